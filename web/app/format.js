// Dates and times as the business sees them. Slots come with wall times (`localStart`) in the
// business's zone: they are shown as given, never converted to the browser's zone. Bookings
// carry UTC instants and their zone, formatted in that zone.

const DAY = new Intl.DateTimeFormat("en-GB", {
  weekday: "short",
  day: "numeric",
  month: "short",
  timeZone: "UTC",
});

/** "2026-03-02T10:20:00" -> "2026-03-02" */
export const dayOf = (local) => local.slice(0, 10);

/** "2026-03-02T10:20:00" -> "10:20" */
export const timeOf = (local) => local.slice(11, 16);

/** "2026-03-02" -> "Mon 2 Mar" (calendar arithmetic only; no clock, no zone). */
export function dayLabel(day) {
  const [year, month, date] = day.split("-").map(Number);
  return DAY.format(new Date(Date.UTC(year, month - 1, date)));
}

/** A slot as one line: "Mon 2 Mar, 10:20–10:50". */
export function slotLabel(slot) {
  return `${dayLabel(dayOf(slot.localStart))}, ${timeOf(slot.localStart)}–${timeOf(slot.localEnd)}`;
}

/** A UTC instant in `timeZone`: "Mon 2 Mar 2026, 10:20". */
export function instantLabel(iso, timeZone) {
  if (!iso) return "";
  const format = new Intl.DateTimeFormat("en-GB", {
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: timeZone || "UTC",
  });
  return format.format(new Date(iso));
}

/** "65 GBP" as the price reads, or "Free". */
export function priceLabel(payment) {
  if (!payment || payment.rateType === "NO_FEE") return "Free";
  const price = payment.price;
  if (!price) return "";
  try {
    const money = new Intl.NumberFormat("en-GB", { style: "currency", currency: price.currency });
    return money.format(Number(price.value));
  } catch {
    return `${price.value} ${price.currency || ""}`.trim();
  }
}

/** When a booking happens, in its own zone. */
export function bookingWhen(booking) {
  const zone = booking.slot?.timeZone || booking.schedule?.timeZone;
  if (booking.schedule?.firstSessionStart) {
    const first = instantLabel(booking.schedule.firstSessionStart, zone);
    return `course from ${first} (${zone})`;
  }
  return `${instantLabel(booking.start, zone)} (${zone})`;
}
