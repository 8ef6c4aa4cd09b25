// Helpers for the scripts that drive GraphiQL (`graphiql*.mjs`): wait for its editor, type an
// operation as a person would, run it, read the result pane, and record the POSTs the page
// makes to /graphql with their answers.

const EDITOR = ".graphiql-query-editor .CodeMirror";
const RESULT = ".graphiql-response .CodeMirror";

export async function waitForEditor(page) {
  await page.waitForSelector(EDITOR, { timeout: 10_000 });
}

/** Replace the editor's text by typing `query` (brackets the editor closes itself are typed
 * over); returns what the editor then holds. */
export async function typeQuery(page, query) {
  await page.click(EDITOR);
  await page.keyboard.press("Control+A");
  await page.keyboard.press("Backspace");
  await page.keyboard.type(query);
  await page.keyboard.press("Escape"); // close the completion list, if open
  return page.evaluate((selector) => document.querySelector(selector).CodeMirror.getValue(), EDITOR);
}

export async function run(page) {
  await page.click(".graphiql-execute-button");
}

/** The result pane's text, once it contains `expected`. */
export async function resultText(page, expected, timeout = 10_000) {
  await page.waitForFunction(
    ([selector, text]) => {
      const pane = document.querySelector(selector);
      return pane !== null && pane.CodeMirror.getValue().includes(text);
    },
    [RESULT, expected],
    { timeout },
  );
  return page.evaluate((selector) => document.querySelector(selector).CodeMirror.getValue(), RESULT);
}

/** Every POST to /graphql the page makes, in order: what it sent (text or not, the persisted
 * query's hash) and, once answered, the HTTP status and the answer's error codes. */
export function graphqlExchanges(page) {
  const all = [];
  const entries = new Map();
  page.on("request", (request) => {
    if (request.method() !== "POST" || new URL(request.url()).pathname !== "/graphql") return;
    const sent = request.postDataJSON() ?? {};
    const entry = {
      operationName: sent.operationName ?? null,
      hasQuery: typeof sent.query === "string",
      sha256Hash: sent.extensions?.persistedQuery?.sha256Hash ?? null,
      status: null,
      errorCodes: null,
      hasData: null,
    };
    entries.set(request, entry);
    all.push(entry);
  });
  page.on("requestfinished", async (request) => {
    const entry = entries.get(request);
    if (entry === undefined) return;
    const response = await request.response();
    const answer = await response.json().catch(() => null);
    entry.errorCodes = (answer?.errors ?? []).map((error) => error.extensions?.code ?? null);
    entry.hasData = answer?.data != null;
    entry.status = response.status();
  });
  page.on("requestfailed", (request) => {
    const entry = entries.get(request);
    if (entry !== undefined) entry.status = 0;
  });
  return {
    /** The exchanges of operations other than GraphiQL's introspection. */
    operations: () => all.filter((entry) => entry.operationName !== "IntrospectionQuery"),
    all: () => all,
    /** Until at least `count` operations were sent and every one sent is answered. */
    async settled(count = 0, timeout = 10_000) {
      const deadline = Date.now() + timeout;
      const sent = () => this.operations();
      while (sent().length < count || sent().some((entry) => entry.status === null)) {
        if (Date.now() > deadline) throw new Error(`waited for ${count} answered POSTs`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return sent().length;
    },
  };
}
