// Every read goes through /graphql as a persisted GET (?id=...&variables=...), so the
// browser and any proxy can cache it. The ids come from the server, never from this file.
export const config = JSON.parse(document.getElementById("config").textContent);

const RETRIES = 5;

export function say(message) {
  const status = document.getElementById("status");
  status.textContent = message || "";
  status.hidden = !message;
}

export async function run(role, variables) {
  const operation = config.operations[role];
  if (!operation) {
    throw new Error(`the saved operation ${config.files[role]} is not in the server's queries folder`);
  }
  const params = new URLSearchParams({ id: operation.id, variables: JSON.stringify(variables) });
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(`${config.graphql}?${params}`, {
      headers: { Accept: "application/json" },
    });
    // Over the budget (429) or too busy (503): wait as long as the server asks.
    if ((response.status === 429 || response.status === 503) && attempt < RETRIES) {
      const wait = Number(response.headers.get("Retry-After")) || 2 ** attempt;
      say(`The server asks us to wait ${wait} s before the next request…`);
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      say("");
      continue;
    }
    const body = await response.json();
    if (body.errors && body.errors.length) {
      throw new Error(body.errors.map((error) => error.message).join("; "));
    }
    return body.data;
  }
}

// All pages of the connection `pick(data)` returns: [the first answer, every node or edge].
export async function everything(role, variables, pick) {
  let after = null;
  let first = null;
  const items = [];
  do {
    const data = await run(role, { ...variables, after });
    first = first || data;
    const connection = pick(data);
    items.push(...(connection.edges || connection.nodes));
    after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
  } while (after);
  return [first, items];
}

// The page's link to the same operation in GraphiQL, which reads it from the fragment.
export function graphiqlLink(role, variables) {
  const query = config.operations[role].text;
  const hash = new URLSearchParams({ query, variables: JSON.stringify(variables, null, 2) });
  return `${config.graphql}#${hash}`;
}
