// urql as a mobile team sets it up (mobile-contract/README.md, "urql"): the persisted exchange
// sending the manifest's id for each operation (never the text, as production requires), then
// fetchExchange, and subscriptionExchange over graphql-ws. Every query the day ran must answer
// as the server answers its hash; NotificationAdded must deliver a missed and a live call-out.
import { Client, cacheExchange, fetchExchange, getOperationName, subscriptionExchange } from "@urql/core";
import { persistedExchange } from "@urql/exchange-persisted";
import { createClient as createWsClient } from "graphql-ws";
import WebSocket from "ws";

import { appDocuments, day, finish, manifest, same, withTimeout } from "./lib.mjs";

const fixture = day();
const documents = appDocuments();
const ids = new Map(manifest.operations.map((operation) => [operation.name, operation.id]));
const problems = [];

const bodies = new Map(manifest.operations.map((operation) => [operation.name, operation.body]));
const sockets = [];

function urqlClient(token) {
  const auth = () => (token ? { authorization: `Bearer ${token}` } : {});
  const ws = createWsClient({ url: fixture.ws + "/graphql", webSocketImpl: WebSocket, connectionParams: auth, lazy: true });
  sockets.push(ws);
  return new Client({
    url: fixture.url + "/graphql",
    exchanges: [
      cacheExchange,
      persistedExchange({
        enforcePersistedQueries: true,
        preferGetForPersistedQueries: false,
        generateHash: async (_query, document) => ids.get(getOperationName(document)),
        enableForMutation: true,
      }),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({
            unsubscribe: ws.subscribe({ ...request, query: bodies.get(request.operationName) }, sink),
          }),
        }),
      }),
    ],
    fetchOptions: () => ({ headers: auth() }),
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

// The live inbox through subscriptionExchange: a call-out before subscribing, one after.
async function declare(key) {
  const input = { ...fixture.emergency.input, idempotencyKey: key };
  const staff = clients.get(fixture.staff) ?? urqlClient(fixture.users[fixture.staff]);
  const result = await staff.mutation(documents.get("EmergencyDeclare"), { input }).toPromise();
  if (result.error || result.data.emergencyDeclare.errors.length) {
    throw new Error(`EmergencyDeclare: ${result.error?.message ?? JSON.stringify(result.data.emergencyDeclare.errors)}`);
  }
}
const listener = clients.get(fixture.volunteer) ?? urqlClient(fixture.users[fixture.volunteer]);
const heard = [];
try {
  const inbox = await listener.query(documents.get("MyInbox"), {}).toPromise();
  await declare(`urql-missed-${Date.now()}`);
  await withTimeout(
    new Promise((resolve, reject) => {
      const { unsubscribe } = listener
        .subscription(documents.get("NotificationAdded"), { after: inbox.data.myInboxCursor })
        .subscribe((result) => {
          if (result.error) return reject(result.error);
          heard.push(result.data.notificationAdded);
          if (heard.length === 1) declare(`urql-live-${Date.now()}`).catch(reject);
          if (heard.length === 2) {
            setTimeout(() => unsubscribe());
            resolve();
          }
        });
    }),
    15000,
    "NotificationAdded over urql",
  );
  if (heard.some((n) => n.event !== "emergency.declared")) problems.push(`NotificationAdded: ${JSON.stringify(heard)}`);
} catch (error) {
  problems.push(`NotificationAdded: ${error.message}; heard ${JSON.stringify(heard)}`);
}
await Promise.all(sockets.map((ws) => ws.dispose()));

finish("urql", { queries: asked.size, queryOperations: names.size, heard: heard.length }, problems);
