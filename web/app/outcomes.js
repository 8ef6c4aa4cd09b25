// Booking outcomes are GraphQL unions: switch on `__typename`, one view per member.
import { h } from "./dom.js";
import { bookingWhen, instantLabel, slotLabel } from "./format.js";

const STATUS = {
  CREATED: "Requested (not yet confirmed)",
  CONFIRMED: "Confirmed",
  PENDING: "Waiting for the business's approval",
  CANCELED: "Canceled",
  DECLINED: "Declined",
  WAITING_LIST: "On the waiting list",
  UNKNOWN: "Unknown",
};

export const statusLabel = (status) => STATUS[status] || status;

/** A booking's facts as a description list. */
export function bookingDetails(booking) {
  const rows = [
    ["Service", booking.service?.name],
    ["When", bookingWhen(booking)],
    ["Where", booking.slot?.location?.name],
    ["With", booking.slot?.resource?.name],
    ["Name", [booking.contact?.firstName, booking.contact?.lastName].filter(Boolean).join(" ")],
    ["Email", booking.contact?.email],
    ["Status", statusLabel(booking.status)],
    ["Reference", booking.id],
  ].filter(([, value]) => value);
  return h(
    "dl",
    { class: "details", "data-booking-id": booking.id, "data-status": booking.status },
    rows.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]),
  );
}

const SUCCESSES = new Set(["BookingCreated", "BookingUpdated", "DoubleBookingResolved", "AlreadyResolved"]);

const TITLES = {
  BookingCreated: "Booked",
  BookingUpdated: "Done",
  DoubleBookingResolved: "Resolved",
  AlreadyResolved: "Already resolved",
  SlotUnavailable: "That time is no longer free",
  FormInvalid: "Some answers need fixing",
  PolicyViolation: "This time can't be booked now",
  ClassFull: "The class is full",
  CourseFull: "The course is full",
  NotAllowed: "Not allowed",
  NotFound: "Not found",
  InvalidAnonymousToken: "This link is not valid",
  RevisionConflict: "The booking changed meanwhile",
  IdempotencyKeyReused: "Already used",
};

/**
 * The outcome as a panel; `onAlternative(slot)` makes the alternatives of SlotUnavailable
 * pickable, `timeZone` is the business's (for dates the outcome gives as UTC instants);
 * `details: false` leaves out the booking (when the page shows it anyway).
 */
export function outcomeView(outcome, { onAlternative, success, timeZone = "UTC", details = true } = {}) {
  const kind = outcome.__typename;
  const ok = SUCCESSES.has(kind);
  const body = [];
  if (ok && success) body.push(h("p", {}, success));
  if (outcome.message) body.push(h("p", {}, outcome.message));
  if (outcome.note) body.push(h("p", {}, outcome.note));
  if (outcome.booking && details) body.push(bookingDetails(outcome.booking));
  if (kind === "SlotUnavailable" && outcome.alternatives?.length && onAlternative) {
    body.push(
      h("p", {}, "The nearest free times:"),
      h(
        "ul",
        { class: "alternatives" },
        outcome.alternatives.map((slot) =>
          h(
            "li",
            {},
            h(
              "button",
              { type: "button", class: "slot", onclick: () => onAlternative(slot), "data-local-start": slot.localStart },
              slotLabel(slot),
              slot.resources.length ? h("span", { class: "slot-meta" }, slot.resources.map((r) => r.name).join(", ")) : null,
            ),
          ),
        ),
      ),
    );
  }
  if (kind === "PolicyViolation") body.push(policyDetails(outcome, timeZone));
  if (kind === "ClassFull") {
    const waiting = outcome.waitingListAvailable ? " The waiting list has room." : "";
    body.push(h("p", {}, `${outcome.remaining} spots left.${waiting}`));
  }
  if (kind === "NotAllowed" && outcome.reason && outcome.reason !== outcome.message) {
    body.push(h("p", { class: "hint" }, outcome.reason));
  }
  return h(
    "div",
    { class: `outcome ${ok ? "outcome-ok" : "outcome-problem"}`, "data-outcome": kind },
    h("h3", {}, TITLES[kind] || kind),
    body,
  );
}

function policyDetails(violation, timeZone) {
  if (violation.tooEarly && violation.earliestBookingDate) {
    const opens = instantLabel(violation.earliestBookingDate, timeZone);
    return h("p", {}, `Booking opens ${opens} (${timeZone}).`);
  }
  if (violation.tooLate) return h("p", {}, "It is too close to the start to book online.");
  if (violation.onlineBookingDisabled) return h("p", {}, "This service is booked by phone.");
  return null;
}
