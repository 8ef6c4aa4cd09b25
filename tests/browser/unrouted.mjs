// Chromium for the CORS tests, without request interception: while any route is set (as
// driver.mjs's `open` sets one to block the internet), playwright-core answers every CORS
// preflight itself, allowing whatever was asked, so the gateway's answer to OPTIONS would never
// be tested. Here the internet is cut by a proxy that refuses connections (loopback bypasses
// proxies), and every request to another host is still reported (`external`).
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";

import { config, session } from "./driver.mjs";

const require = createRequire(path.join(process.cwd(), "package.json"));
const { chromium } = require("playwright-core");
const LOOPBACK = ["127.0.0.1", "localhost", "[::1]"];

/** A loopback port nothing listens on: connections to it are refused. */
async function closedPort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function openUnrouted({ viewport = { width: 1280, height: 900 } } = {}) {
  const browser = await chromium.launch({
    executablePath: config.chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
    proxy: { server: `http://127.0.0.1:${await closedPort()}`, bypass: LOOPBACK.join(",") },
  });
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const external = [];
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (!["http:", "https:", "ws:", "wss:"].includes(url.protocol)) return;
    if (!LOOPBACK.includes(url.hostname)) external.push(url.href);
  });
  return session(browser, context, page, external);
}
