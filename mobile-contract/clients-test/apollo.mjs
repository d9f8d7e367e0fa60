// Apollo Client 4 as a mobile team sets it up (mobile-contract/README.md, "Apollo Client"):
// InMemoryCache with the contract's possibleTypes, the persisted-query link reading ids from Apollo's manifest, HttpLink for
// queries and mutations, GraphQLWsLink (graphql-ws) for subscriptions.
//   1. every query the day ran answers the same under cache-first (what useQuery does) as
//      under no-cache: the normalized cache has every __typename it needs;
//   2. every mutation answers with its typed payload, no top-level error;
//   3. NotificationAdded over GraphQLWsLink delivers a missed and a live call-out.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from "@apollo/client";
import { SetContextLink } from "@apollo/client/link/context";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { getMainDefinition } from "@apollo/client/utilities";
import { generatePersistedQueryIdsFromManifest } from "@apollo/persisted-query-lists";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

import { CONTRACT, appDocuments, day, finish, manifest, readJSON, same, withTimeout } from "./lib.mjs";

const fixture = day();
// Which object types implement each interface: without it the cache cannot match
// `ActivityLogFields on ActivityLog` to a `PatrolLog` and drops the fragment's fields.
const possibleTypes = readJSON(CONTRACT + "possible-types.json");
const documents = appDocuments();
const problems = [];

// The set-up of mobile-contract/README.md ("Apollo Client 4"), one client (and cache) per person.
function apolloClient(token) {
  const auth = () => (token ? { authorization: `Bearer ${token}` } : {});
  const http = new HttpLink({ uri: fixture.url + "/graphql" });
  const ws = new GraphQLWsLink(
    createClient({ url: fixture.ws + "/graphql", webSocketImpl: WebSocket, connectionParams: auth }),
  );
  const isSubscription = ({ query }) => {
    const definition = getMainDefinition(query);
    return definition.kind === "OperationDefinition" && definition.operation === "subscription";
  };
  return new ApolloClient({
    link: ApolloLink.from([
      new PersistedQueryLink(generatePersistedQueryIdsFromManifest({ loadManifest: () => Promise.resolve(manifest) })),
      new SetContextLink((context) => ({ headers: { ...context.headers, ...auth() } })),
      ApolloLink.split(isSubscription, ws, http),
    ]),
    cache: new InMemoryCache({ possibleTypes }),
  });
}

const clients = new Map();
function clientOf(user) {
  if (!clients.has(user)) clients.set(user, apolloClient(fixture.users[user]));
  return clients.get(user);
}

// 1. Queries: no-cache (the server's answer as it is) against cache-first (the answer written
// to the normalized cache and read back), one client and cache per person, as in the app.
let queries = 0;
const queried = new Set();
for (const call of fixture.calls.filter((c) => c.type === "query")) {
  const key = JSON.stringify([call.name, call.user, call.variables]);
  if (queried.has(key)) continue;
  queried.add(key);
  queries += 1;
  const client = clientOf(call.user);
  const options = { query: documents.get(call.name), variables: call.variables, errorPolicy: "all" };
  const plain = await client.query({ ...options, fetchPolicy: "no-cache" });
  const cached = await client.query({ ...options, fetchPolicy: "cache-first" });
  if (plain.error) problems.push(`${call.name}: ${plain.error.message}`);
  else if (!plain.data || Object.keys(plain.data).length === 0) problems.push(`${call.name}: no data`);
  else if (!same(plain.data, cached.data)) {
    problems.push(`${call.name}: cache-first ${JSON.stringify(cached.data)} != no-cache ${JSON.stringify(plain.data)}`);
  }
}
const queryNames = new Set(fixture.calls.filter((c) => c.type === "query").map((c) => c.name));

// 2. Mutations, each as the day sent it (a replay: keyed ones answer their first payload,
// transitions answer the object as it stands or a payload error). Photos go as JSON [] here.
let mutations = 0;
let payloadErrors = 0;
const mutated = new Set();
for (const call of fixture.calls.filter((c) => c.type === "mutation")) {
  mutations += 1;
  mutated.add(call.name);
  const variables = JSON.parse(JSON.stringify(call.variables));
  if (variables.input && Array.isArray(variables.input.photos)) variables.input.photos = [];
  const result = await clientOf(call.user).mutate({
    mutation: documents.get(call.name),
    variables,
    errorPolicy: "all",
  });
  if (result.error) {
    problems.push(`${call.name}: ${result.error.message}`);
    continue;
  }
  const [payload] = Object.values(result.data ?? {});
  if (!payload || typeof payload.__typename !== "string" || !payload.__typename.endsWith("Payload")) {
    problems.push(`${call.name}: no typed payload in ${JSON.stringify(result.data)}`);
  } else if (Array.isArray(payload.errors) && payload.errors.length) {
    payloadErrors += 1;
  }
}

// 3. The live inbox over GraphQLWsLink: load the inbox, miss one call-out, subscribe from the
// inbox's cursor, hear the missed one and then a live one.
async function declare(key) {
  const input = { ...fixture.emergency.input, idempotencyKey: key };
  const result = await clientOf(fixture.staff).mutate({
    mutation: documents.get("EmergencyDeclare"),
    variables: { input },
  });
  const errors = result.data.emergencyDeclare.errors;
  if (errors.length) throw new Error(`EmergencyDeclare: ${JSON.stringify(errors)}`);
}
const listener = clientOf(fixture.volunteer);
const inbox = await listener.query({ query: documents.get("MyInbox"), fetchPolicy: "network-only" });
await declare(`apollo-missed-${Date.now()}`);
const heard = [];
let live;
const done = new Promise((resolve, reject) => {
  const subscription = listener
    .subscribe({ query: documents.get("NotificationAdded"), variables: { after: inbox.data.myInboxCursor } })
    .subscribe({
      next: (result) => {
        if (result.error) return reject(result.error);
        heard.push(result.data.notificationAdded);
        if (heard.length === 1) live = declare(`apollo-live-${Date.now()}`).catch(reject);
        if (heard.length === 2) {
          subscription.unsubscribe();
          resolve();
        }
      },
      error: reject,
    });
});
try {
  await withTimeout(done, 15000, "NotificationAdded over GraphQLWsLink");
  await live;
  if (heard.some((n) => n.event !== "emergency.declared" || n.__typename !== "Notification")) {
    problems.push(`NotificationAdded: ${JSON.stringify(heard)}`);
  }
} catch (error) {
  problems.push(`NotificationAdded: ${error.message}; heard ${JSON.stringify(heard)}`);
}
for (const client of clients.values()) client.stop();

const untried = [...documents.keys()].filter((name) => {
  const operation = getMainDefinition(documents.get(name)).operation;
  return (operation === "query" && !queryNames.has(name)) || (operation === "mutation" && !mutated.has(name));
});
if (untried.length) problems.push(`operations the day never ran: ${untried.join(", ")}`);

finish("apollo", { queries, queryOperations: queryNames.size, mutations, payloadErrors, heard: heard.length }, problems);
