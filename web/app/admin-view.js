// The business's view: bookings with what their customers may still do, "my bookings" by a
// customer's email, anonymous links, and double bookings to resolve. The admin key is kept in
// sessionStorage (this tab only) and sent as `Authorization: Bearer <key>`.
import { adminKey, idempotencyKey, mutate, query } from "./client.js";
import * as api from "./documents.js";
import { actionButton, errorNotice, h, liveRegion, show } from "./dom.js";
import { bookingDetails, outcomeView } from "./outcomes.js";

const ACTIVE = ["CREATED", "PENDING", "CONFIRMED"];
const STRATEGIES = [
  ["FORCE_CONFIRM", "Keep it (force confirm)"],
  ["FORCE_DECLINE", "Decline it"],
  ["CANCEL", "Cancel it"],
];
const ADMIN = { admin: true };

const heading = (booking) => {
  const name = [booking.contact?.firstName, booking.contact?.lastName].filter(Boolean).join(" ");
  return [booking.service?.name || "Booking", name].filter(Boolean).join(" · ");
};

export function adminView() {
  const body = h("div");
  const outcome = liveRegion({ class: "outcome-region" });
  const results = h("div");
  const resultsHeading = h("h2", { id: "bookings-heading" }, "Bookings");
  const doubles = h("div");
  const email = h("input", { id: "filter-email", type: "email", autocomplete: "off" });
  const active = h("input", { id: "filter-active", type: "checkbox" });

  function signIn(problem) {
    const input = h("input", { id: "admin-key", type: "password", autocomplete: "off", "aria-describedby": "admin-key-hint" });
    const form = h(
      "form",
      { class: "key-form" },
      h(
        "div",
        { class: "field" },
        h("label", { for: "admin-key" }, "Admin key"),
        input,
        h("p", { id: "admin-key-hint", class: "hint" }, "A key from GATEWAY_ADMIN_KEYS (any other token goes to Wix as it is); kept in this tab only."),
      ),
      problem ? h("p", { class: "notice notice-error", role: "alert" }, problem) : null,
      h("button", { type: "submit", class: "primary" }, "Sign in"),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!input.value.trim()) return signIn("Enter the admin key.");
      adminKey.set(input.value.trim());
      signedIn();
    });
    show(body, form);
    input.focus();
  }

  function signedIn() {
    const filters = h(
      "form",
      { class: "filters", role: "search", "aria-label": "Bookings" },
      h("div", { class: "field" }, h("label", { for: "filter-email" }, "Customer email (optional)"), email),
      h("label", { class: "check", for: "filter-active" }, active, " Active only (requested, pending, confirmed)"),
      h("button", { type: "submit" }, "Show bookings"),
    );
    filters.addEventListener("submit", (event) => {
      event.preventDefault();
      load();
    });
    const signOut = () => {
      adminKey.clear();
      signIn();
    };
    show(
      body,
      h("p", { class: "signed-in" }, "Signed in with an admin key. ", h("button", { type: "button", class: "link-button", onclick: signOut }, "Sign out")),
      filters,
      outcome,
      h("section", { "aria-labelledby": "bookings-heading" }, resultsHeading, results),
      h("section", { "aria-labelledby": "doubles-heading" }, h("h2", { id: "doubles-heading" }, "Double bookings"), doubles),
    );
    load();
  }

  async function load() {
    const filter = {};
    if (email.value.trim()) filter.email = email.value.trim();
    if (active.checked) filter.statuses = ACTIVE;
    show(results, h("p", { class: "hint" }, "Loading…"));
    try {
      const data = await query(api.BOOKINGS, { filter }, ADMIN);
      const who = filter.email ? ` of ${filter.email}` : "";
      const nodes = data.bookings.nodes;
      resultsHeading.textContent = `Bookings${who}${filter.statuses ? " (active)" : ""}`;
      show(results, nodes.length ? list(nodes, bookingItem) : h("p", {}, `No bookings${who}.`));
      const conflicts = data.doubleBookedBookings.nodes;
      show(doubles, conflicts.length ? list(conflicts, conflictItem) : h("p", {}, "No double bookings."));
    } catch (error) {
      if (error.code === "UNAUTHENTICATED") {
        adminKey.clear();
        signIn("The gateway refused this key.");
        return;
      }
      show(results, errorNotice(error));
    }
  }

  const list = (nodes, item) => h("ul", { class: "booking-list" }, nodes.map((booking) => h("li", { class: "card" }, item(booking))));

  function bookingItem(booking) {
    const allowed = booking.allowedActions;
    const may = allowed ? [allowed.cancel && "cancel", allowed.reschedule && "reschedule"].filter(Boolean) : [];
    const linkArea = h("div", { class: "link-area" });
    const over = booking.status === "CANCELED" || booking.status === "DECLINED";
    return [
      h("h3", {}, heading(booking)),
      bookingDetails(booking),
      booking.doubleBooked && !over ? h("p", { class: "notice notice-error" }, "Double-booked: resolve it below.") : null,
      h("p", { class: "hint" }, may.length ? `The customer may ${may.join(" or ")} it.` : "The customer can't change it any more."),
      h(
        "div",
        { class: "actions" },
        over ? null : actionButton("Anonymous link", () => createLink(booking, linkArea)),
        allowed?.cancel ? actionButton("Cancel booking", () => cancel(booking), { class: "danger" }) : null,
      ),
      linkArea,
    ];
  }

  async function createLink(booking, area) {
    try {
      const result = (await mutate(api.CREATE_ANONYMOUS_LINK, { bookingId: booking.id }, ADMIN)).createAnonymousLink;
      if (result.__typename !== "AnonymousLink") {
        show(area, outcomeView(result));
        return;
      }
      const url = new URL(`#/link/${encodeURIComponent(result.token)}`, location.href).href;
      const id = `link-${booking.id}`;
      const field = h("input", { id, type: "text", readonly: true, value: url, class: "link-field" });
      const copy = async () => {
        field.select();
        await navigator.clipboard?.writeText(url).catch(() => {});
      };
      show(
        area,
        h("label", { for: id }, "Anonymous link (send it to the customer; it is a credential)"),
        field,
        h("div", { class: "actions" }, h("button", { type: "button", onclick: copy }, "Copy"), h("a", { href: url, class: "open-link" }, "Open link")),
      );
      field.focus();
    } catch (error) {
      show(area, errorNotice(error));
    }
  }

  async function cancel(booking) {
    const input = { bookingId: booking.id };
    input.idempotencyKey = idempotencyKey("admin-cancel", input);
    await act(() => mutate(api.CANCEL_BOOKING, { input }, ADMIN), "cancelBooking", "The booking is canceled.");
  }

  function conflictItem(booking) {
    const id = `strategy-${booking.id}`;
    const strategies = STRATEGIES.filter(([value]) => value !== "CANCEL" || booking.allowedActions?.cancel);
    const select = h("select", { id }, strategies.map(([value, label]) => h("option", { value }, label)));
    const resolve = () => {
      const variables = { bookingId: booking.id, strategy: select.value };
      variables.idempotencyKey = idempotencyKey("resolve", variables);
      return act(() => mutate(api.RESOLVE_DOUBLE_BOOKING, variables, ADMIN), "resolveDoubleBooking", "Resolved.");
    };
    return [
      h("h3", {}, heading(booking)),
      bookingDetails(booking),
      h("div", { class: "field" }, h("label", { for: id }, "Resolve by"), select),
      actionButton("Resolve", resolve, { class: "primary" }),
    ];
  }

  /** Run a business mutation, show its outcome, list the bookings again. */
  async function act(run, field, success) {
    try {
      const result = (await run())[field];
      const panel = outcomeView(result, { success });
      panel.tabIndex = -1;
      show(outcome, panel);
      await load();
      panel.focus();
    } catch (error) {
      show(outcome, errorNotice(error));
    }
  }

  if (adminKey.get()) signedIn();
  else signIn();
  return h("div", {}, h("h1", { tabindex: "-1" }, "Bookings for the business"), body);
}
