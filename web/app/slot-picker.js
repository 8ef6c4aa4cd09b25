// Picking a time: the days that have free slots, then that day's times, as buttons. Slots are
// listed by the gateway (from its "now", seven days ahead, in the business's zone); `load`
// fetches one page (`{ nodes, pageInfo }`) after a cursor.
import { dayLabel, dayOf, timeOf } from "./format.js";
import { actionButton, errorNotice, h, show, uid } from "./dom.js";

export function slotPicker({ load, onPick, empty = "No free times in the next seven days." }) {
  const element = h("div", { class: "slot-picker" }, h("p", { class: "hint" }, "Loading times…"));
  const slots = [];
  let cursor = null;
  let hasMore = false;
  let day = null;
  let picked = null;

  async function more({ fresh = false } = {}) {
    try {
      const page = await load(fresh ? null : cursor);
      if (fresh) slots.length = 0;
      slots.push(...page.nodes);
      cursor = page.pageInfo.endCursor;
      hasMore = page.pageInfo.hasNextPage;
      day = day || (slots[0] && dayOf(slots[0].localStart));
      render();
    } catch (error) {
      show(element, errorNotice(error));
    }
  }

  function render() {
    if (!slots.length) {
      show(element, h("p", { class: "notice" }, empty));
      return;
    }
    const days = [...new Set(slots.map((slot) => dayOf(slot.localStart)))];
    if (!days.includes(day)) day = days[0];
    const times = slots.filter((slot) => dayOf(slot.localStart) === day);
    const timesLabel = uid("times");
    show(
      element,
      h("p", { class: "hint" }, `Times are in ${slots[0].timeZone}, the business's time zone.`),
      h(
        "div",
        { class: "days", role: "group", "aria-label": "Day" },
        days.map((d) =>
          h(
            "button",
            { type: "button", class: "chip", "aria-pressed": String(d === day), onclick: () => pickDay(d) },
            dayLabel(d),
          ),
        ),
      ),
      h("h3", { id: timesLabel, class: "times-heading" }, `Times on ${dayLabel(day)}`),
      h(
        "div",
        { class: "times", role: "group", "aria-labelledby": timesLabel },
        times.map((slot) => timeButton(slot)),
      ),
      hasMore ? actionButton("Show later times", () => more(), { class: "link-button" }) : null,
    );
  }

  function timeButton(slot) {
    const who = slot.resources.map((r) => r.name).join(", ");
    const spots = slot.eventId && slot.remainingCapacity != null ? `${slot.remainingCapacity} spots left` : who;
    return h(
      "button",
      {
        type: "button",
        class: "slot",
        "aria-pressed": String(slot === picked),
        "data-local-start": slot.localStart,
        "data-local-end": slot.localEnd,
        onclick: () => {
          picked = slot;
          render();
          element.querySelector(".times [aria-pressed=true]")?.focus();
          onPick(slot);
        },
      },
      h("span", { class: "slot-time" }, timeOf(slot.localStart)),
      h("span", { class: "slot-meta" }, spots),
    );
  }

  function pickDay(d) {
    day = d;
    render();
    element.querySelector(".days [aria-pressed=true]")?.focus();
  }

  /** List again from the start (after a slot was lost), keeping the day shown. */
  function refresh() {
    picked = null;
    return more({ fresh: true });
  }

  more();
  return { element, refresh, reset: () => ((picked = null), render()) };
}
