// The fixture page of test_cors_apollo.py, bundled by esbuild at test time: an Apollo Client 3
// app on another origin than the gateway, with client awareness (sent as the
// apollographql-client-name and -version headers), CSRF prevention's apollo-require-preflight,
// and a header of its own (x-tenant-id). It runs one query and shows the answer or the error.
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client/core";

const params = new URL(window.location.href).searchParams;
const client = new ApolloClient({
  name: "cors-fixture",
  version: "1.0.0",
  cache: new InMemoryCache(),
  link: new HttpLink({
    uri: params.get("gateway"),
    headers: { "apollo-require-preflight": "true", "x-tenant-id": "demo" },
  }),
});

const output = document.getElementById("output");
try {
  const { data } = await client.query({ query: gql(params.get("query")) });
  output.textContent = JSON.stringify(data);
  output.dataset.outcome = "data";
} catch (error) {
  output.textContent = String(error.message);
  output.dataset.outcome = "error";
}
