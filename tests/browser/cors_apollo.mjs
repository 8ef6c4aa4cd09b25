// The Apollo Client fixture page, served from another loopback origin than the gateway, runs
// a query against it: report what the page shows, the headers the browser sent with the
// POST, and the gateway's answer to it (none when the browser refused to send it).
import { config, finish } from "./driver.mjs";
import { openUnrouted } from "./unrouted.mjs";

const { pageUrl, query, name } = config.params;
const session = await openUnrouted(); // driver.mjs's routes would answer preflights
const { page } = session;
const posts = [];
page.on("request", async (request) => {
  if (request.method() !== "POST" || !request.url().startsWith(config.baseUrl)) return;
  posts.push({ url: request.url(), headers: await request.allHeaders() });
});

const gateway = `${config.baseUrl}/graphql`;
await page.goto(`${pageUrl}?${new URLSearchParams({ gateway, query })}`);
await page.waitForSelector("#output[data-outcome]", { timeout: 10_000 });
const outcome = await page.getAttribute("#output", "data-outcome");
const shown = await page.textContent("#output");
await session.screenshot(name);

await session.browser.close();
finish({
  origin: new URL(pageUrl).origin,
  outcome,
  shown,
  posts,
  external: session.external,
  consoleErrors: session.consoleErrors,
});
