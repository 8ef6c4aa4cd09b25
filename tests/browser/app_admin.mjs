// The business's view: no key given, then the key (kept for the tab, across a reload);
// a double booking listed and resolved; signing out forgets the key.
import { config, finish, open } from "./driver.mjs";

const { adminKey, doubleBookedId } = config.params;
const session = await open();
const { page } = session;
const started = Date.now();

await page.goto(`${config.baseUrl}/app/#/admin`);
await page.getByRole("button", { name: "Sign in" }).click();
const refusal = page.getByRole("alert");
await refusal.waitFor();
const refused = await refusal.textContent();
await session.screenshot("admin-key-missing");

await page.getByLabel("Admin key").fill(adminKey);
await page.getByRole("button", { name: "Sign in" }).click();
await page.reload(); // the key stays for this tab (sessionStorage)
const conflicts = page.locator("section", { has: page.getByRole("heading", { name: "Double bookings" }) });
const conflict = conflicts.locator(".card", { has: page.locator(`[data-booking-id="${doubleBookedId}"]`) });
await conflict.waitFor();
const listedBefore = await conflicts.locator(".card").count();
await session.screenshot("admin-double-booking");

await conflict.getByLabel("Resolve by").selectOption("CANCEL");
await conflict.getByRole("button", { name: "Resolve" }).click();
const outcome = page.locator(".outcome-region [data-outcome]");
await outcome.waitFor();
await conflicts.getByText("No double bookings.").waitFor();
const resolved = {
  outcome: await outcome.getAttribute("data-outcome"),
  status: await outcome.locator("[data-status]").getAttribute("data-status"),
};
await session.screenshot("admin-double-booking-resolved");

await page.getByRole("button", { name: "Sign out" }).click();
await page.getByLabel("Admin key").waitFor();
const keptKeys = await page.evaluate(() => Object.keys(sessionStorage));

await session.browser.close();
finish({
  external: session.external,
  consoleErrors: session.consoleErrors,
  seconds: (Date.now() - started) / 1000,
  refused,
  listedBefore,
  resolved,
  keptKeys,
});
