// GraphiQL at /graphql with no internet: open it, type a query, run it, read the result pane,
// run it again; report every POST the page made to /graphql (hash alone, or with the text)
// with its answer.
import { config, finish, open } from "./driver.mjs";
import { graphqlExchanges, resultText, run, typeQuery, waitForEditor } from "./graphiql_page.mjs";

const { query, expected, withoutWebCrypto, shots = "" } = config.params;
const session = await open();
const { page } = session;
if (withoutWebCrypto) {
  // As on a plain-HTTP page of a host other than localhost: no crypto.subtle.
  await page.addInitScript(() => {
    Object.defineProperty(Crypto.prototype, "subtle", { get: () => undefined });
  });
}
const exchanges = graphqlExchanges(page);

const opened = await page.goto(`${config.baseUrl}/graphql`);
await waitForEditor(page);
await session.screenshot(`${shots}opened`);

const typed = await typeQuery(page, query);
await session.screenshot(`${shots}typed`);

await run(page);
const result = await resultText(page, expected);
const sent = await exchanges.settled();
await session.screenshot(`${shots}result`);

await run(page); // again: the gateway knows the query by now
await exchanges.settled(sent + 1);
const again = await resultText(page, expected);
await session.screenshot(`${shots}result-again`);

await session.browser.close();
finish({
  status: opened.status(),
  typed,
  result,
  again,
  operations: exchanges.operations(),
  introspection: exchanges.all().filter((entry) => entry.operationName === "IntrospectionQuery"),
  external: session.external,
  consoleErrors: session.consoleErrors,
});
