// Apollo Client 4 (core) pages a date-filtered events timeline to its end, merging the
// pages with relayStylePagination as an application would.
//   node apollo-timeline.mjs <graphql url> <from> <to> <page size>
// Prints {"totalCount", "slugs", "requests"}: the slugs in the order the cache holds them.
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { relayStylePagination } from "@apollo/client/utilities";

const [url, from, to, size] = process.argv.slice(2);
let requests = 0;
const client = new ApolloClient({
  link: new HttpLink({ uri: url, fetch: (...args) => (requests++, fetch(...args)) }),
  cache: new InMemoryCache({
    typePolicies: { Query: { fields: { events: relayStylePagination(["filter", "orderBy"]) } } },
  }),
});

const TIMELINE = gql`
  query Timeline($filter: EventFilter, $first: Int, $after: String) {
    events(filter: $filter, first: $first, after: $after) {
      totalCount
      edges { cursor node { id slug date { iso } } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

const variables = { filter: { crisis: "mali", from, to }, first: Number(size) };
const timeline = client.watchQuery({ query: TIMELINE, variables });
let { data } = await timeline.refetch();
let pages = 1;
while (data.events.pageInfo.hasNextPage) {
  await timeline.fetchMore({ variables: { after: data.events.pageInfo.endCursor } });
  data = timeline.getCurrentResult().data;
  if (++pages > 1000) throw new Error("the pages never end");
}
const slugs = data.events.edges.map((edge) => edge.node.slug);
console.log(JSON.stringify({ totalCount: data.events.totalCount, slugs, requests, pages }));
client.stop();
