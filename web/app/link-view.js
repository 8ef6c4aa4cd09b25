// The page an anonymous link opens (`#/link/<token>`): the booking, and cancel or reschedule
// when the link allows it. The token is the holder's only credential: no Authorization header,
// and it is POSTed, never put in a request URL.
import { idempotencyKey, mutate, query } from "./client.js";
import * as api from "./documents.js";
import { actionButton, errorNotice, h, liveRegion, show } from "./dom.js";
import { slotLabel } from "./format.js";
import { bookingDetails, outcomeView } from "./outcomes.js";
import { slotPicker } from "./slot-picker.js";

const SLOTS = {
  APPOINTMENT: { document: api.APPOINTMENT_SLOTS, field: "timeSlots" },
  CLASS: { document: api.CLASS_SESSIONS, field: "eventTimeSlots" },
};

export function linkView(token) {
  const body = h("div", { class: "link-booking" }, h("p", { class: "hint" }, "Loading your booking…"));
  const outcome = liveRegion({ class: "outcome-region" });

  async function load() {
    try {
      const data = await query(api.ANONYMOUS_BOOKING, { token }, { postOnly: true });
      render(data.anonymousBooking);
    } catch (error) {
      show(body, errorNotice(error));
    }
  }

  function render(found) {
    if (!found) {
      show(body, h("p", { class: "notice notice-error" }, "This link is not valid, or its booking no longer exists."));
      return;
    }
    const { booking, allowedAnonymousActions: allowed } = found;
    const actions = h("div", { class: "actions" });
    const changing = h("div");
    const canMove = allowed.reschedule && SLOTS[booking.service?.type];
    const buttons = [
      allowed.cancel ? h("button", { type: "button", class: "danger", onclick: () => askCancel(actions, found) }, "Cancel booking") : null,
      canMove ? h("button", { type: "button", onclick: () => reschedule(booking, changing) }, "Change time") : null,
    ].filter(Boolean);
    show(actions, buttons.length ? buttons : h("p", { class: "hint" }, "This booking can no longer be changed online."));
    show(body, bookingDetails(booking), actions, changing);
  }

  function askCancel(actions, found) {
    const keep = h("button", { type: "button", onclick: () => render(found) }, "Keep it");
    const yes = actionButton("Yes, cancel it", cancel, { class: "danger" });
    show(actions, h("p", {}, "Cancel this booking?"), yes, keep);
    yes.focus();
  }

  async function cancel() {
    try {
      const key = idempotencyKey("cancel", token);
      const result = (await mutate(api.CANCEL_ANONYMOUSLY, { token, idempotencyKey: key })).cancelBookingAnonymously;
      done(result, "Your booking is canceled.");
    } catch (error) {
      show(outcome, errorNotice(error));
    }
  }

  function reschedule(booking, container) {
    const { document, field } = SLOTS[booking.service.type];
    const confirm = h("div", { class: "actions" });
    const picker = slotPicker({
      load: async (after) => (await query(document, { serviceId: booking.service.id, after }))[field],
      onPick: (slot) => offerMove(slot, confirm),
    });
    show(container, h("h2", { id: "reschedule", tabindex: "-1" }, "Choose a new time"), picker.element, confirm);
    container.querySelector("h2").focus();
  }

  function offerMove(slot, confirm) {
    const move = actionButton(`Move to ${slotLabel(slot)}`, () => moveTo(slot, confirm), { class: "primary" });
    show(confirm, move);
  }

  async function moveTo(slot, confirm) {
    const newSlot = slot.eventId
      ? { eventId: slot.eventId }
      : { localStart: slot.localStart, localEnd: slot.localEnd, timeZone: slot.timeZone, locationId: slot.location?.id };
    try {
      const key = idempotencyKey("reschedule", { token, newSlot });
      const variables = { token, newSlot, idempotencyKey: key };
      const result = (await mutate(api.RESCHEDULE_ANONYMOUSLY, variables)).rescheduleBookingAnonymously;
      done(result, "Your booking is moved.", {
        timeZone: slot.timeZone,
        onAlternative: (alternative) => offerMove(alternative, confirm),
      });
    } catch (error) {
      show(outcome, errorNotice(error));
    }
  }

  function done(result, success, options = {}) {
    const panel = outcomeView(result, { success, details: false, ...options });
    panel.tabIndex = -1;
    show(outcome, panel);
    panel.focus();
    if (result.__typename === "BookingUpdated") load(); // what the link allows now
  }

  load();
  return h("div", {}, h("h1", { tabindex: "-1" }, "Your booking"), body, outcome);
}
