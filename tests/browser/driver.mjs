// Shared by the browser scripts: launch Debian's Chromium through playwright-core (resolved
// from web/node_modules), block every request that leaves loopback (and report it), take
// numbered screenshots, and print the script's result as the last line of stdout.
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.join(process.cwd(), "package.json"));
const { chromium } = require("playwright-core");

export const config = JSON.parse(process.argv[2]);

export async function open({ viewport = { width: 1280, height: 900 } } = {}) {
  const browser = await chromium.launch({
    executablePath: config.chromium,
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  const context = await browser.newContext({ viewport });
  const external = [];
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)) return route.continue();
    external.push(url.href);
    return route.abort("internetdisconnected");
  });
  return session(browser, context, await context.newPage(), external);
}

// The page's console errors and numbered screenshots, for a page `open` or another launcher made.
export function session(browser, context, page, external) {
  const consoleErrors = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  let shot = 0;
  return {
    browser,
    context,
    page,
    external,
    consoleErrors,
    async screenshot(name) {
      shot += 1;
      const file = path.join(config.screenshots, `${String(shot).padStart(2, "0")}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
  };
}

export function finish(result) {
  console.log(JSON.stringify(result));
}
