// Apollo's persisted-query link (hashing with Node's crypto, hashed queries sent as GET)
// pages the actors connection; every request and what it got is recorded. Then a saved
// operation of queries/ is run by the hash a client computes from its file.
//   node apollo-persisted.mjs <graphql url> <page size> <a saved operation's file>
// Prints {"totalCount", "slugs", "exchanges", "saved"}.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { createPersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { stripIgnoredCharacters } from "graphql";

const [url, size, savedFile] = process.argv.slice(2);
const sha256 = (text) => createHash("sha256").update(text, "utf8").digest("hex");

const exchanges = [];
async function recordingFetch(input, init) {
  const response = await fetch(input, init);
  const body = await response.clone().json();
  const sent = init.method === "GET" ? new URL(input).searchParams.get("query") : JSON.parse(init.body).query;
  exchanges.push({
    method: init.method,
    withQuery: Boolean(sent),
    status: response.status,
    code: body.errors?.[0]?.extensions?.code ?? null,
    data: Boolean(body.data),
  });
  return response;
}

const client = new ApolloClient({
  link: createPersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
    new HttpLink({ uri: url, fetch: recordingFetch }),
  ),
  cache: new InMemoryCache(),
});

const ACTORS = gql`
  query ActorsPage($first: Int, $after: String) {
    actors(filter: { crisis: "mali" }, first: $first, after: $after) {
      totalCount
      nodes { slug }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

const slugs = [];
let after = null;
let totalCount;
for (let pages = 1; ; pages++) {
  const { data } = await client.query({
    query: ACTORS,
    variables: { first: Number(size), after },
    fetchPolicy: "network-only",
  });
  totalCount = data.actors.totalCount;
  slugs.push(...data.actors.nodes.map((node) => node.slug));
  if (!data.actors.pageInfo.hasNextPage) break;
  after = data.actors.pageInfo.endCursor;
  if (pages > 1000) throw new Error("the pages never end");
}

// A saved operation, by the hash of its normalised text: stripIgnoredCharacters(file).
const hash = sha256(stripIgnoredCharacters(readFileSync(savedFile, "utf8")));
const listed = await (await fetch(new URL("/graphql/operations", url))).json();
const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } });
const ran = await (await fetch(`${url}?extensions=${encodeURIComponent(extensions)}`)).json();
const saved = {
  listed: listed.operations.some((op) => op.hash === hash),
  errors: ran.errors ?? null,
  data: Boolean(ran.data),
};
console.log(JSON.stringify({ totalCount, slugs, exchanges, saved }));
client.stop();
