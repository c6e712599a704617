// Starts GraphiQL on this server's /graphql with the tour as its default tab; a link with
// `#query=...&variables=...` (the explorer's) opens that operation instead.
(function () {
  var root = document.getElementById("graphiql");
  // The scripts above run first, or have failed to load (offline, without the assets).
  if (typeof GraphiQL === "undefined" || typeof React === "undefined" || typeof ReactDOM === "undefined") {
    root.textContent =
      "GraphiQL's scripts did not load: this server does not have them installed and the " +
      "CDN cannot be reached. Run `python -m server assets` in the checkout, then restart " +
      "the server. The API itself works: POST your queries to /graphql.";
    root.className = "failed";
    return;
  }
  var tour = JSON.parse(document.getElementById("tour").textContent);
  var linked = new URLSearchParams(window.location.hash.slice(1));
  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  var props = {
    fetcher: fetcher,
    defaultQuery: tour.query,
    defaultTabs: [{ query: tour.query }].concat(
      tour.examples.map(function (query) { return { query: query }; })
    ),
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: false,
  };
  if (linked.get("query")) {
    props.query = linked.get("query");
    props.variables = linked.get("variables") || undefined;
  }
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, props));
})();
