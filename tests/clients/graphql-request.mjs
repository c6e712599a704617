// graphql-request pages a connection with first/after until hasNextPage is false.
//   node graphql-request.mjs <graphql url> <page size>
// Prints {"totalCount", "slugs", "pages"}.
import { GraphQLClient, gql } from "graphql-request";

const [url, size] = process.argv.slice(2);
const client = new GraphQLClient(url);
const DOCUMENTS = gql`
  query Documents($first: Int, $after: String) {
    documents(filter: { crisis: "mali" }, first: $first, after: $after) {
      totalCount
      nodes { slug }
      pageInfo { hasNextPage endCursor }
    }
  }
`;

const slugs = [];
let after = null;
let pages = 0;
let totalCount;
for (;;) {
  const { documents } = await client.request(DOCUMENTS, { first: Number(size), after });
  pages++;
  if (totalCount !== undefined && documents.totalCount !== totalCount) {
    throw new Error(`totalCount changed between pages: ${totalCount} then ${documents.totalCount}`);
  }
  totalCount = documents.totalCount;
  slugs.push(...documents.nodes.map((node) => node.slug));
  if (!documents.pageInfo.hasNextPage) break;
  after = documents.pageInfo.endCursor;
  if (pages > 1000) throw new Error("the pages never end");
}
console.log(JSON.stringify({ totalCount, slugs, pages }));
