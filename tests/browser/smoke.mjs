// The harness itself: Chromium opens the gateway's /healthz.
import { config, finish, open } from "./driver.mjs";

const session = await open();
const response = await session.page.goto(`${config.baseUrl}/healthz`);
const body = await session.page.textContent("body");
await session.screenshot("healthz");
await session.browser.close();
finish({ status: response.status(), body, external: session.external });
