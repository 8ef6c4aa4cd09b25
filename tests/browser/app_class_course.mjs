// Classes and courses: join a yoga session (a form with a choice and a checkbox), book the
// whole Pilates course; then move the class booking to another session through its link.
import { config, finish, open } from "./driver.mjs";

const { adminKey, email } = config.params;
const session = await open();
const { page } = session;
const started = Date.now();
const field = (label) => page.getByLabel(new RegExp(`^${label}( \\*)?$`));
const outcome = page.locator(".outcome-region [data-outcome]");

async function fillContact(first) {
  await field("First Name").fill(first);
  await field("Last Name").fill("Okoro");
  await field("Email").fill(email);
}

// A class: sessions with the spots left; the yoga form asks for a level and a mat.
await page.goto(`${config.baseUrl}/app/`);
await page.getByRole("button", { name: /Vinyasa Yoga/ }).click();
const sessionButton = page.locator(".times button").first();
await sessionButton.waitFor();
const classSession = {
  localStart: await sessionButton.getAttribute("data-local-start"),
  meta: await sessionButton.locator(".slot-meta").textContent(),
};
await sessionButton.click();
await fillContact("Kemi");
await page.getByRole("button", { name: "Book", exact: true }).click();
const levelError = await page.locator(".field", { has: field("Experience level") }).locator(".field-error").textContent();
await field("Experience level").selectOption("beginner");
await page.getByLabel("Rent a mat").check();
await session.screenshot("class-form");
await page.getByRole("button", { name: "Book", exact: true }).click();
await outcome.waitFor();
const classBooked = {
  outcome: await outcome.getAttribute("data-outcome"),
  bookingId: await outcome.locator("[data-booking-id]").getAttribute("data-booking-id"),
};
await session.screenshot("class-booked");

// A course: no time to pick, booked as a whole.
await page.getByRole("button", { name: /Pilates Foundations/ }).click();
await fillContact("Tolu");
await page.getByRole("button", { name: "Book", exact: true }).click();
await outcome.waitFor();
const courseBooked = {
  outcome: await outcome.getAttribute("data-outcome"),
  text: await outcome.textContent(),
};
await session.screenshot("course-booked");

// The class booking's link (minted through the API, as a back office would) moves it.
const minted = await fetch(`${config.baseUrl}/graphql`, {
  method: "POST",
  headers: { "content-type": "application/json", authorization: `Bearer ${adminKey}` },
  body: JSON.stringify({
    query: "mutation($id: ID!) { createAnonymousLink(bookingId: $id) { ... on AnonymousLink { token } } }",
    variables: { id: classBooked.bookingId },
  }),
}).then((response) => response.json());
await page.goto(`${config.baseUrl}/app/#/link/${minted.data.createAnonymousLink.token}`);
await page.getByRole("button", { name: "Change time" }).click();
await page.locator(".days button").nth(1).click(); // the next day with a session
const other = page.locator(".times button").first();
await other.waitFor();
const movedTo = await other.getAttribute("data-local-start");
await other.click();
await page.getByRole("button", { name: /^Move to / }).click();
await outcome.waitFor();
const moved = {
  outcome: await outcome.getAttribute("data-outcome"),
  movedTo,
};
await session.screenshot("class-rescheduled");

await session.browser.close();
finish({
  external: session.external,
  consoleErrors: session.consoleErrors,
  seconds: (Date.now() - started) / 1000,
  classSession,
  levelError,
  classBooked,
  courseBooked,
  moved,
});
