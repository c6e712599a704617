// Starts GraphiQL on this server's /graphql with the tour as its default tab.
(function () {
  var tour = JSON.parse(document.getElementById("tour").textContent);
  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: tour.query,
      defaultTabs: [{ query: tour.query }].concat(
        tour.examples.map(function (query) { return { query: query }; })
      ),
      defaultEditorToolsVisibility: true,
      shouldPersistHeaders: false,
    })
  );
})();
