// The GraphQL client: urql with automatic persisted queries (APQ, Apollo's protocol).
//
// - Queries go out as a sha256 hash in a GET URL; the gateway answers PersistedQueryNotFound
//   the first time, urql then sends the text with the hash once and the gateway keeps it. GET
//   answers carry Cache-Control (services 60 s, forms 300 s), so the browser's HTTP cache and
//   any CDN share them. Mutations are POSTed with their text.
// - The admin key (sessionStorage) is sent as `Authorization: Bearer <key>` only on the
//   operations of the admin view: the customer's pages run as an anonymous caller.
// - An anonymous link's token is a credential: operations that carry one are POSTed, so it
//   never lands in a URL (server logs, proxies, browser history).
import { Client, fetchExchange, makeOperation, mapExchange } from "@urql/core";
import { persistedExchange } from "@urql/exchange-persisted";

const ADMIN_KEY = "reference-app.admin-key";
// JSON answers only. urql also offers text/event-stream by default, and the gateway would then
// answer every query as a GraphQL-over-SSE stream.
const ACCEPT = "application/graphql-response+json, application/json";

// The hash APQ needs, with Web Crypto. It exists only in secure contexts (https, localhost);
// elsewhere there is no hash and urql sends the full query, which works the same.
async function sha256Hex(text) {
  if (!globalThis.crypto?.subtle) return undefined;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

// Operations asked with `{ postOnly: true }` are POSTed even when persisted.
const postSecrets = mapExchange({
  onOperation(operation) {
    if (!operation.context.postOnly) return operation;
    return makeOperation(operation.kind, operation, { ...operation.context, preferGetMethod: false });
  },
});

export const client = new Client({
  url: new URL("/graphql", location.href).href,
  // No document cache (cacheExchange): slots and bookings must be fresh, and what may be
  // cached is cached by HTTP (see above).
  exchanges: [persistedExchange({ generateHash: sha256Hex }), postSecrets, fetchExchange],
});

export const adminKey = {
  get: () => sessionStorage.getItem(ADMIN_KEY) || "",
  set: (key) => sessionStorage.setItem(ADMIN_KEY, key),
  clear: () => sessionStorage.removeItem(ADMIN_KEY),
};

/** A GraphQL or network error, with the gateway's `extensions.code` when it sent one. */
export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

function context({ admin = false, postOnly = false }) {
  const headers = { accept: ACCEPT };
  if (admin) headers.authorization = `Bearer ${adminKey.get()}`;
  return { fetchOptions: { headers }, postOnly };
}

function unwrap(result) {
  if (!result.error) return result.data;
  const first = result.error.graphQLErrors[0];
  if (first) throw new ApiError(first.message, first.extensions?.code);
  throw new ApiError(result.error.networkError?.message || result.error.message, "NETWORK");
}

/** Run a query; resolves to its `data`, rejects with an ApiError. */
export async function query(document, variables, options = {}) {
  return unwrap(await client.query(document, variables, context(options)).toPromise());
}

/** Run a mutation; resolves to its `data`, rejects with an ApiError. */
export async function mutate(document, variables, options = {}) {
  return unwrap(await client.mutation(document, variables, context(options)).toPromise());
}

// Idempotency keys: one per distinct input, so a retry of the same booking (a double click, a
// lost answer) is booked once, and a changed input is a new attempt.
const keys = new Map();

export function idempotencyKey(scope, input) {
  const fingerprint = `${scope}:${JSON.stringify(input)}`;
  if (!keys.has(fingerprint)) keys.set(fingerprint, randomKey());
  return keys.get(fingerprint);
}

function randomKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16)); // available outside secure contexts
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}
