// unrouted.mjs still cuts the internet: a page on loopback fetches a public URL, which fails
// and is reported in `external`; it failed at the refusing proxy, whatever this machine's
// network.
import { config, finish } from "./driver.mjs";
import { openUnrouted } from "./unrouted.mjs";

const session = await openUnrouted();
const failures = [];
session.page.on("requestfailed", (request) => failures.push(request.failure().errorText));
await session.page.goto(`${config.baseUrl}/healthz`);
const fetched = await session.page.evaluate(async (url) => {
  try {
    return `status ${(await fetch(url, { mode: "no-cors" })).status}`;
  } catch (error) {
    return String(error.message);
  }
}, config.params.publicUrl);
await session.browser.close();
finish({ fetched, failures, external: session.external });
