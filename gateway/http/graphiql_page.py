"""The HTML of GraphiQL at `GET /graphql`: the gateway's own page (Strawberry's GraphiQL page,
with its files served by the gateway and a fetcher speaking automatic persisted queries), and
the self-contained page answered instead when those files are not installed.

The page keeps what Strawberry's did: the explorer plugin, the headers editor (headers kept in
local storage), the query in the URL (`?q=`), a Django `csrftoken` cookie sent as
`x-csrftoken`, and subscriptions over a graphql-transport-ws WebSocket on the page's own URL
(`ws://` or `wss://`). Queries and mutations go over HTTP as Apollo automatic persisted
queries: the hash alone first, then hash and text when the gateway answers
`PERSISTED_QUERY_NOT_FOUND` (`gateway.http.persisted_queries`); without Web Crypto (a plain-HTTP
page on a host other than localhost) or with persisted queries turned off, the text is sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

ASSETS_MARK = "<!-- assets -->"
SCRIPTS_MARK = "<!-- scripts -->"

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>GraphiQL · Wix Bookings gateway</title>
    <link rel="icon" href="data:," />
    <style>
      body { height: 100%; margin: 0; width: 100%; overflow: hidden; }
      #graphiql { height: 100vh; display: flex; }
      .docExplorerHide { display: none; }
      .doc-explorer-contents { overflow-y: hidden !important; }
      .docExplorerWrap { width: unset !important; min-width: unset !important; }
      .graphiql-explorer-actions select { margin-left: 4px; }
    </style>
    <!-- assets -->
  </head>
  <body>
    <div id="graphiql" class="graphiql-container">Loading…</div>
    <!-- scripts -->
    <script>
      const EXAMPLE_QUERY = `# GraphiQL for the Wix Bookings gateway, served by the gateway itself.
#
# Type an operation here; completion and validation come from the schema
# (the Docs and Explorer buttons on the left browse it). For example:
#
#     {
#       services(first: 3) {
#         nodes { name }
#       }
#     }
#
# Queries and mutations go over HTTP as automatic persisted queries (the
# hash first, the text when the gateway does not know it yet);
# subscriptions go over a WebSocket on this same URL.
#
# Keyboard shortcuts:
#
#       Run Query:  Ctrl-Enter (or press the play button above)
#
#   Auto Complete:  Ctrl-Space (or just start typing)
#
`;

      // Parse URL parameters for sharing queries
      const parameters = {};

      for (const entry of window.location.search.slice(1).split("&")) {
        const eq = entry.indexOf("=");
        if (eq >= 0) {
          parameters[decodeURIComponent(entry.slice(0, eq))] =
            decodeURIComponent(entry.slice(eq + 1));
        }
      }

      function updateURL(data) {
        Object.assign(parameters, data);
        const newSearch =
          "?" +
          Object.keys(parameters)
            .filter((key) => Boolean(parameters[key]))
            .map((key) => encodeURIComponent(key) + "=" + encodeURIComponent(parameters[key]))
            .join("&");
        history.replaceState(null, null, newSearch);
      }

      const fetchURL = window.location.href.split("?")[0];

      function httpUrlToWebSockeUrl(url) {
        const parsedURL = new URL(url);
        parsedURL.protocol = parsedURL.protocol === "http:" ? "ws:" : "wss:";
        parsedURL.hash = "";
        return parsedURL.toString();
      }

      const defaultHeaders = {};
      const csrfToken = Cookies.get("csrftoken");

      if (csrfToken) {
        defaultHeaders["x-csrftoken"] = csrfToken;
      }

      const subscriptionUrl = httpUrlToWebSockeUrl(fetchURL);

      // Automatic persisted queries (Apollo's protocol): send the query's SHA-256 alone; when
      // the gateway does not know it, send hash and text together, which registers it.
      // crypto.subtle exists on https pages and on localhost only: elsewhere, send the text.
      let persistedQueries = Boolean(window.crypto && window.crypto.subtle);

      async function sha256Hex(text) {
        const bytes = new TextEncoder().encode(text);
        const digest = await window.crypto.subtle.digest("SHA-256", bytes);
        return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0"))
          .join("");
      }

      function persistedQueryRefusal(body) {
        const errors = (body && Array.isArray(body.errors) && body.errors) || [];
        const codes = errors.map(
          (error) => (error.extensions && error.extensions.code) || error.message,
        );
        const any = (...names) => names.some((name) => codes.includes(name));
        if (any("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")) return "not found";
        if (any("PERSISTED_QUERY_NOT_SUPPORTED", "PersistedQueryNotSupported")) {
          return "not supported";
        }
        return null;
      }

      async function fetchWithPersistedQueries(url, init) {
        let params = null;
        try {
          params = persistedQueries && JSON.parse(init.body);
        } catch (error) {
          params = null;
        }
        if (!params || typeof params.query !== "string") return window.fetch(url, init);
        const sha256Hash = await sha256Hex(params.query);
        const extensions = Object.assign({}, params.extensions, {
          persistedQuery: { version: 1, sha256Hash: sha256Hash },
        });
        const hashOnly = Object.assign({}, params, { extensions: extensions });
        delete hashOnly.query;
        const send = (body) => window.fetch(url, Object.assign({}, init, { body: body }));
        const first = await send(JSON.stringify(hashOnly));
        const refusal = persistedQueryRefusal(await first.clone().json().catch(() => null));
        if (refusal === null) return first;
        if (refusal === "not supported") {
          persistedQueries = false;  // this gateway has them off: send the text from now on
          return window.fetch(url, init);
        }
        return send(JSON.stringify(Object.assign({}, params, { extensions: extensions })));
      }

      const graphiqlFetcher = GraphiQL.createFetcher({
        url: fetchURL,
        headers: defaultHeaders,
        subscriptionUrl,
        fetch: fetchWithPersistedQueries,
      });

      // GraphiQL tells its fetcher about subscriptions with the editor's parsed document, which
      // it updates 100 ms after the last keystroke: parse the text sent instead, so that a
      // subscription run sooner still goes over the socket.
      function fetcher(graphQLParams, fetcherOpts) {
        let documentAST = fetcherOpts && fetcherOpts.documentAST;
        try {
          documentAST = GraphiQL.GraphQL.parse(graphQLParams.query);
        } catch (error) {
          // not a document: let the gateway say what is wrong with it
        }
        return graphiqlFetcher(graphQLParams, Object.assign({}, fetcherOpts, { documentAST }));
      }

      function GraphiQLWithExplorer() {
        const [query, setQuery] = React.useState(parameters.q || EXAMPLE_QUERY);
        const [variables, setVariables] = React.useState(parameters.variables);
        const [headers, setHeaders] = React.useState(parameters.headers);

        function onEditQuery(newQuery) {
          setQuery(newQuery);
          updateURL({ q: newQuery });
        }

        function onEditVariables(newVariables) {
          setVariables(newVariables);
          updateURL({ variables: newVariables });
        }

        function onEditHeaders(newHeaders) {
          setHeaders(newHeaders);
        }

        const explorerPlugin = GraphiQLPluginExplorer.explorerPlugin();

        return React.createElement(GraphiQL, {
          fetcher: fetcher,
          defaultEditorToolsVisibility: true,
          plugins: [explorerPlugin],
          query: query,
          variables: variables,
          headers: headers,
          onEditQuery: onEditQuery,
          onEditVariables: onEditVariables,
          onEditHeaders: onEditHeaders,
          inputValueDeprecation: true,
          isHeadersEditorEnabled: true,
          shouldPersistHeaders: true,
        });
      }

      const root = ReactDOM.createRoot(document.getElementById("graphiql"));
      root.render(React.createElement(GraphiQLWithExplorer));
    </script>
  </body>
</html>
"""

MISSING_PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>GraphiQL is not installed · Wix Bookings gateway</title>
    <link rel="icon" href="data:," />
    <style>
      body { font: 16px/1.5 system-ui, sans-serif; margin: 3rem auto; max-width: 42rem;
             padding: 0 1rem; color: #1b1f24; }
      code, pre { font: 15px/1.4 ui-monospace, monospace; background: #f0f2f4;
                  border-radius: 4px; padding: 0.1rem 0.3rem; }
      pre { padding: 0.75rem 1rem; }
      li { margin: 0.2rem 0; }
    </style>
  </head>
  <body>
    <h1>GraphiQL is not installed</h1>
    <p>This gateway serves GraphiQL's files itself (no internet needed), from the
      <code>web/</code> folder of its checkout, and they are not there yet. In the checkout,
      run:</p>
    <pre>make web</pre>
    <p>which needs Node.js and npm (it runs <code>npm ci</code> in <code>web/</code>), then
      reload this page; no restart is needed.</p>
    <p>The API itself works: send queries with <code>POST /graphql</code> (JSON), or
      subscriptions over a WebSocket (graphql-transport-ws) on this URL.</p>
    <p>Missing files:</p>
    <ul>
      <!-- missing -->
    </ul>
  </body>
</html>
"""


def graphiql_html(stylesheets: Iterable[str], scripts: Iterable[str]) -> str:
    """GraphiQL's page, loading these stylesheets and scripts (URLs on this host, in order)."""
    links = "\n    ".join(f'<link rel="stylesheet" href="{escape(url)}" />' for url in stylesheets)
    tags = "\n    ".join(f'<script src="{escape(url)}"></script>' for url in scripts)
    return PAGE.replace(ASSETS_MARK, links).replace(SCRIPTS_MARK, tags)


def missing_html(missing: Iterable[str]) -> str:
    """The page saying to run `make web`, listing the files not found (relative paths)."""
    items = "\n      ".join(f"<li><code>{escape(name)}</code></li>" for name in missing)
    return MISSING_PAGE.replace("<!-- missing -->", items)
