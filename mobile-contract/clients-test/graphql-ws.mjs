// The stock graphql-ws client (what Apollo's GraphQLWsLink and urql's subscription exchange sit
// on): it always sends the document's text, so it sends the manifest's body for the operation.
// NotificationAdded from the inbox's cursor must deliver a call-out declared before subscribing
// (missed) and one declared while subscribed (live), each once.
import { createClient } from "graphql-ws";
import WebSocket from "ws";

import { day, finish, manifest, withTimeout } from "./lib.mjs";

const fixture = day();
const byName = new Map(manifest.operations.map((operation) => [operation.name, operation]));
const problems = [];

async function post(name, token, variables) {
  const response = await fetch(fixture.url + "/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({
      operationName: name,
      variables,
      extensions: { persistedQuery: { version: 1, sha256Hash: byName.get(name).id } },
    }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function declare(key) {
  const input = { ...fixture.emergency.input, idempotencyKey: key };
  const data = await post("EmergencyDeclare", fixture.users[fixture.staff], { input });
  if (data.emergencyDeclare.errors.length) throw new Error(JSON.stringify(data.emergencyDeclare.errors));
}

const token = fixture.users[fixture.volunteer];
const cursor = (await post("MyInbox", token, {})).myInboxCursor;
await declare(`ws-missed-${Date.now()}`);

const client = createClient({
  url: fixture.ws + "/graphql",
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
});
const heard = [];
try {
  const subscription = client.iterate({
    operationName: "NotificationAdded",
    query: byName.get("NotificationAdded").body,
    variables: { after: cursor },
  });
  await withTimeout(
    (async () => {
      for await (const result of subscription) {
        if (result.errors) throw new Error(JSON.stringify(result.errors));
        heard.push(result.data.notificationAdded);
        if (heard.length === 1) await declare(`ws-live-${Date.now()}`);
        if (heard.length === 2) break;
      }
    })(),
    15000,
    "NotificationAdded over graphql-ws",
  );
  if (new Set(heard.map((n) => n.id)).size !== 2 || heard.some((n) => n.event !== "emergency.declared")) {
    problems.push(`NotificationAdded: ${JSON.stringify(heard)}`);
  }
} catch (error) {
  problems.push(`NotificationAdded: ${error.message}; heard ${JSON.stringify(heard)}`);
} finally {
  await client.dispose();
}

finish("graphql-ws", { heard: heard.length }, problems);
