// Runs the graphql-http server audits against the GraphQL endpoint given as the only argument
// and prints one JSON array: {id, name, status ("ok" | "notice" | "warn" | "error"), reason}.
// "error" is a failed MUST; tests/http/test_graphql_http_audit.py reads the output.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql endpoint url>');
  process.exit(2);
}
const results = await auditServer({ url });
const summary = results.map(({ id, name, status, reason }) => ({ id, name, status, reason }));
console.log(JSON.stringify(summary, null, 1));
