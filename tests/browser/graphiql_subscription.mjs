// A subscription in GraphiQL: type it, run it (GraphiQL opens a graphql-transport-ws socket on
// /graphql), make a booking through the gateway's API from here (not from the page), and read
// the event in the result pane.
import { config, finish, open } from "./driver.mjs";
import { resultText, run, typeQuery, waitForEditor } from "./graphiql_page.mjs";

const { subscription, mutation, variables, expected } = config.params;
const session = await open();
const { page } = session;

const sockets = [];
page.on("websocket", (socket) => {
  const entry = { url: socket.url(), sent: [], received: [] };
  sockets.push(entry);
  socket.on("framesent", (frame) => entry.sent.push(JSON.parse(frame.payload).type));
  socket.on("framereceived", (frame) => entry.received.push(JSON.parse(frame.payload).type));
});

/** Subscriptions listening to Wix events in the gateway (its /metrics gauge). */
async function listening() {
  const text = await (await fetch(`${config.baseUrl}/metrics`)).text();
  const line = text.split("\n").find((row) => row.startsWith("gateway_live_subscribers "));
  return line === undefined ? 0 : Number(line.split(" ")[1]);
}

async function until(condition, what, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

await page.goto(`${config.baseUrl}/graphql`);
await waitForEditor(page);
const before = await listening();
const typed = await typeQuery(page, subscription);
await run(page);
await until(() => sockets.some((socket) => socket.sent.includes("subscribe")), "subscribe");
await until(async () => (await listening()) > before, "the gateway to listen");
await session.screenshot("subscribed");

const booked = await fetch(`${config.baseUrl}/graphql`, {
  method: "POST",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ query: mutation, variables }),
});
const booking = await booked.json();
const result = await resultText(page, expected);
await session.screenshot("event");

await run(page); // the run button stops a running subscription
await until(() => sockets.every((socket) => socket.sent.includes("complete")), "complete");
await session.screenshot("stopped");

await session.browser.close();
finish({
  typed,
  booking,
  result,
  sockets,
  external: session.external,
  consoleErrors: session.consoleErrors,
});
