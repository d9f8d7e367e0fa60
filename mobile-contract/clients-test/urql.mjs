// urql as a mobile team sets it up (mobile-contract/README.md, "urql"): the persisted exchange
// sending the manifest's id for each operation (never the text, as production requires), then
// fetchExchange. Every query the day ran must answer as the server answers its hash.
import { Client, cacheExchange, fetchExchange, getOperationName } from "@urql/core";
import { persistedExchange } from "@urql/exchange-persisted";

import { appDocuments, day, finish, manifest, same } from "./lib.mjs";

const fixture = day();
const documents = appDocuments();
const ids = new Map(manifest.operations.map((operation) => [operation.name, operation.id]));
const problems = [];

function urqlClient(token) {
  return new Client({
    url: fixture.url + "/graphql",
    exchanges: [
      cacheExchange,
      persistedExchange({
        enforcePersistedQueries: true,
        preferGetForPersistedQueries: false,
        generateHash: async (_query, document) => ids.get(getOperationName(document)),
      }),
      fetchExchange,
    ],
    fetchOptions: () => ({ headers: token ? { authorization: `Bearer ${token}` } : {} }),
    requestPolicy: "network-only",
  });
}

// The server's own answer to the hash, for comparison.
async function byHash(name, token, variables) {
  const response = await fetch(fixture.url + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({
      operationName: name,
      variables,
      extensions: { persistedQuery: { version: 1, sha256Hash: ids.get(name) } },
    }),
  });
  return response.json();
}

const clients = new Map();
const asked = new Set();
const names = new Set();
for (const call of fixture.calls.filter((c) => c.type === "query")) {
  const key = JSON.stringify([call.name, call.user, call.variables]);
  if (asked.has(key)) continue;
  asked.add(key);
  names.add(call.name);
  const token = fixture.users[call.user];
  if (!clients.has(call.user)) clients.set(call.user, urqlClient(token));
  const result = await clients.get(call.user).query(documents.get(call.name), call.variables).toPromise();
  const expected = await byHash(call.name, token, call.variables);
  if (result.error) problems.push(`${call.name}: ${result.error.message}`);
  else if (expected.errors) problems.push(`${call.name}: the server answered ${JSON.stringify(expected.errors)}`);
  else if (!same(result.data, expected.data)) {
    problems.push(`${call.name}: urql ${JSON.stringify(result.data)} != server ${JSON.stringify(expected.data)}`);
  }
}

finish("urql", { queries: asked.size, queryOperations: names.size }, problems);
