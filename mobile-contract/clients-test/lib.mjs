// What the client checks share: the contract's files, the documents as an app writes them, the
// calls a day in the community made (written by tests/contract/test_clients.py), and a verdict.
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { parse, visit } from "graphql";

export const CONTRACT = fileURLToPath(new URL("..", import.meta.url));

export function readJSON(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

export const manifest = readJSON(CONTRACT + "persisted-query-manifest.json");

function spreads(text) {
  const names = new Set();
  visit(parse(text), { FragmentSpread: (node) => void names.add(node.name.value) });
  return names;
}

// Each operation as an app keeps it: the operation file, then the fragments it uses (by name),
// parsed once. Apollo's cache adds the __typename fields itself.
export function appDocuments() {
  const fragments = new Map();
  // The app's files only: operations/web/ holds the web pages' documents, not the app's.
  const graphql = (folder) => readdirSync(CONTRACT + folder).filter((f) => f.endsWith(".graphql")).sort();
  for (const file of graphql("fragments")) {
    fragments.set(file.replace(/\.graphql$/, ""), readFileSync(CONTRACT + "fragments/" + file, "utf8").trim());
  }
  const documents = new Map();
  for (const file of graphql("operations")) {
    const text = readFileSync(CONTRACT + "operations/" + file, "utf8").trim();
    const needed = new Set();
    const queue = [...spreads(text)];
    while (queue.length) {
      const name = queue.pop();
      if (needed.has(name)) continue;
      needed.add(name);
      queue.push(...spreads(fragments.get(name)));
    }
    const full = [text, ...[...needed].sort().map((n) => fragments.get(n))].join("\n\n");
    documents.set(file.replace(/\.graphql$/, ""), parse(full));
  }
  return documents;
}

// The fixture file: {url, ws, users: {id: token}, calls: [{name, type, user, variables}],
// staff, volunteer, emergency: {input}}.
export function day() {
  return readJSON(process.argv[2]);
}

export const same = isDeepStrictEqual;

// One line per problem on stderr, a JSON summary on stdout; the exit code says it all.
export function finish(check, summary, problems) {
  for (const problem of problems) console.error(`${check}: ${problem}`);
  console.log(JSON.stringify({ check, ...summary, problems: problems.length }));
  process.exit(problems.length ? 1 : 0);
}

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
    }),
  ]);
}
