// Starts GraphiQL on this page: the scripts it needs were served by this server (api/developer_pages.py),
// so it works with no internet. `?query=` preloads a document (a link from the start page or a test).
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var root = document.getElementById("explorer");
  var fetcher = GraphiQL.createFetcher({ url: root.dataset.endpoint });
  ReactDOM.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: root.dataset.defaultQuery,
      query: params.get("query") || undefined,
      headers: params.get("headers") || undefined,
      shouldPersistHeaders: true,
    }),
    root
  );
})();
