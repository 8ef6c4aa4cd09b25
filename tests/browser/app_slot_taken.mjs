// On a phone-sized screen, by keyboard: the slot the customer picked is taken (through the API)
// before they book; the app shows SlotUnavailable with the nearest free times, the customer
// picks one and books it.
import { config, finish, open } from "./driver.mjs";

const { adminKey, email } = config.params;
const session = await open({ viewport: { width: 390, height: 844 } });
const { page } = session;
const started = Date.now();
const field = (label) => page.getByLabel(new RegExp(`^${label}( \\*)?$`));

/** The business books `slot` confirmed, as another customer would win it (admin key). */
async function takeSlot(slot) {
  const response = await fetch(`${config.baseUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${adminKey}` },
    body: JSON.stringify({
      query: `mutation Take($input: BookAppointmentInput!) {
        bookAppointment(input: $input) { __typename ... on BookingCreated { booking { id status } } }
      }`,
      variables: {
        input: {
          serviceId: slot.serviceId,
          localStart: slot.localStart,
          localEnd: slot.localEnd,
          contact: { firstName: "Someone", lastName: "Faster", email: "faster@example.com" },
          confirm: true,
        },
      },
    }),
  });
  return (await response.json()).data.bookAppointment;
}

await page.goto(`${config.baseUrl}/app/`);
const haircut = page.getByRole("button", { name: /Express Haircut/ });
await haircut.waitFor();

// Keyboard: Tab reaches the service, its focus ring shows, Enter picks it.
let tabs = 0;
while (!(await haircut.evaluate((button) => button === document.activeElement)) && tabs < 20) {
  await page.keyboard.press("Tab");
  tabs += 1;
}
const focusRing = await haircut.evaluate((button) => {
  const style = getComputedStyle(button);
  return { visible: button.matches(":focus-visible"), outline: `${style.outlineStyle} ${style.outlineWidth}` };
});
await session.screenshot("phone-service-focused");
await page.keyboard.press("Enter");

const firstSlot = page.locator(".times button").first();
await firstSlot.waitFor();
const picked = {
  serviceId: "e5000000-0000-4000-8000-000000000002",
  localStart: await firstSlot.getAttribute("data-local-start"),
  localEnd: await firstSlot.getAttribute("data-local-end"),
};
await firstSlot.focus();
await page.keyboard.press("Enter");
await field("First Name").fill("Ana");
await field("Last Name").fill("Lima");
await field("Email").fill(email);
await session.screenshot("phone-form");

const taken = await takeSlot(picked);
await page.getByRole("button", { name: "Book", exact: true }).click();
const outcome = page.locator(".outcome-region [data-outcome]");
await outcome.waitFor();
const alternatives = outcome.locator(".alternatives button");
const unavailable = {
  outcome: await outcome.getAttribute("data-outcome"),
  alternatives: await alternatives.evaluateAll((buttons) => buttons.map((b) => b.dataset.localStart)),
  overflow: await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
};
// The times are listed again: the lost one is gone.
await page.locator(`.times [data-local-start="${picked.localStart}"]`).waitFor({ state: "detached" });
await session.screenshot("phone-slot-taken");

await alternatives.first().click();
const selected = await page.locator("#selected-slot").textContent();
const focusedAfterPick = await page.evaluate(() => document.activeElement?.textContent);
await page.getByRole("button", { name: "Book", exact: true }).click();
await page.locator('.outcome-region [data-outcome="BookingCreated"]').waitFor();
const created = page.locator('.outcome-region [data-outcome="BookingCreated"]');
const booked = {
  bookingId: await created.locator("[data-booking-id]").getAttribute("data-booking-id"),
  text: await created.textContent(),
  overflow: await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
};
await session.screenshot("phone-booked-alternative");

await session.browser.close();
finish({
  external: session.external,
  consoleErrors: session.consoleErrors,
  seconds: (Date.now() - started) / 1000,
  tabs,
  focusRing,
  picked,
  taken,
  unavailable,
  selected,
  focusedAfterPick,
  booked,
});
