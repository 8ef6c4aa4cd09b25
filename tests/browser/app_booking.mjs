// The reference app end to end: book a haircut (a form error first, then fixed), find the
// booking in the business's view, mint its anonymous link, open it and cancel the booking.
import { config, finish, open } from "./driver.mjs";

const { adminKey, email } = config.params;
const session = await open();
const { page } = session;
const started = Date.now();
const requests = [];
page.on("request", (request) => requests.push({ method: request.method(), url: request.url(), body: request.postData() || "" }));
const bookRequests = () => requests.filter((r) => r.body.includes("BookAppointment")).length;

/** The form's input labelled `label` (its label ends with " *" when required). */
const field = (label) => page.getByLabel(new RegExp(`^${label}( \\*)?$`));

/** The error text tied (aria-describedby) to the input labelled `label`. */
async function errorOf(label) {
  const input = field(label);
  const id = await input.getAttribute("aria-describedby");
  return {
    text: await page.locator(`[id="${id}"]`).textContent(),
    invalid: await input.getAttribute("aria-invalid"),
  };
}

// 1. Service.
await page.goto(`${config.baseUrl}/app/`);
const haircut = page.getByRole("button", { name: /Express Haircut/ });
await haircut.waitFor();
await session.screenshot("services");
await haircut.click();

// 2. Time: the first free slot of the first day the gateway lists.
const firstSlot = page.locator(".times button").first();
await firstSlot.waitFor();
const slotStart = await firstSlot.getAttribute("data-local-start");
const zoneNote = await page.locator(".slot-picker .hint").first().textContent();
await session.screenshot("slots");
await firstSlot.click();

// 3. Details, with mistakes: the browser's checks (the gateway's rules) stop the booking.
await field("First Name").waitFor();
await session.screenshot("form");
await field("First Name").fill("Maya");
await field("Email").fill("maya@example");
await page.getByRole("button", { name: "Book", exact: true }).click();
await page.locator(".form-summary .notice-error").waitFor();
const clientErrors = {
  lastName: await errorOf("Last Name"),
  email: await errorOf("Email"),
  firstName: await errorOf("First Name"),
  focused: await page.evaluate(() => document.activeElement?.getAttribute("name")),
};
const bookRequestsBeforeFix = bookRequests();
await session.screenshot("form-errors");

// Fixed: each error goes as its field is corrected; booked.
await field("Last Name").fill("Rosen");
const correctedError = await errorOf("Last Name");
await field("Email").fill(email);
await page.getByRole("button", { name: "Book", exact: true }).click();
const outcome = page.locator(".outcome-region [data-outcome]");
await outcome.waitFor();
const booked = {
  outcome: await outcome.getAttribute("data-outcome"),
  bookingId: await outcome.locator("[data-booking-id]").getAttribute("data-booking-id"),
  status: await outcome.locator("[data-status]").getAttribute("data-status"),
  text: await outcome.textContent(),
};
await session.screenshot("booked");

// 4. The business's view: sign in, the booking is listed; then "my bookings" by email.
await page.getByRole("link", { name: "Business" }).click();
await page.getByLabel("Admin key").fill(adminKey);
await page.getByRole("button", { name: "Sign in" }).click();
const card = page.locator(".card", { has: page.locator(`[data-booking-id="${booked.bookingId}"]`) });
await card.first().waitFor();
const listed = await page.locator(".booking-list").first().locator(".card").count();
const allowedText = await card.first().locator(".hint").textContent();
await session.screenshot("admin-bookings");
await page.getByLabel("Customer email (optional)").fill(email);
await page.getByRole("button", { name: "Show bookings" }).click();
await page.getByRole("heading", { name: `Bookings of ${email}` }).waitFor();
const mine = await page.locator(".booking-list").first().locator("[data-booking-id]").evaluateAll((nodes) => nodes.map((n) => n.dataset.bookingId));
await session.screenshot("admin-my-bookings");

// 5. Its anonymous link.
await card.getByRole("button", { name: "Anonymous link" }).click();
const linkField = card.getByLabel(/Anonymous link/);
await linkField.waitFor();
const link = await linkField.inputValue();
await session.screenshot("admin-link");

// 6. The customer opens it (as `?token=`, which becomes the hash route) and cancels.
const token = decodeURIComponent(link.split("#/link/")[1]);
await page.goto(`${config.baseUrl}/app/?token=${encodeURIComponent(token)}`);
const details = page.locator(".link-booking > .details");
await details.waitFor();
const linkPage = {
  url: page.url(),
  status: await details.getAttribute("data-status"),
  bookingId: await details.getAttribute("data-booking-id"),
};
await session.screenshot("link-page");
await page.getByRole("button", { name: "Cancel booking" }).click();
await session.screenshot("link-confirm-cancel");
await page.getByRole("button", { name: "Yes, cancel it" }).click();
const cancelOutcome = page.locator(".outcome-region [data-outcome]");
await cancelOutcome.waitFor();
await page.locator('.link-booking > .details[data-status="CANCELED"]').waitFor();
const canceled = {
  outcome: await cancelOutcome.getAttribute("data-outcome"),
  status: await page.locator(".link-booking > .details").getAttribute("data-status"),
  actions: await page.locator(".link-booking .actions").textContent(),
};
await session.screenshot("link-canceled");

await session.browser.close();
finish({
  external: session.external,
  consoleErrors: session.consoleErrors,
  seconds: (Date.now() - started) / 1000,
  slotStart,
  zoneNote,
  clientErrors,
  bookRequestsBeforeFix,
  correctedError,
  booked,
  admin: { listed, allowedText, mine },
  link,
  linkPage,
  canceled,
  tokenInRequestUrls: requests.filter((r) => r.url.includes("/graphql") && r.url.includes(token)).length,
  persistedGets: requests.filter((r) => r.method === "GET" && r.url.includes("persistedQuery")).length,
  graphqlRequests: requests.filter((r) => r.url.includes("/graphql")).map((r) => `${r.method} ${r.body ? r.body.slice(0, 60) : r.url.slice(0, 120)}`),
});
