// Starts GraphiQL (vendored UMD builds, loaded before this file) on the page's own URL.
// The example queries come from the page's JSON block; ?example=NAME opens one.
(function () {
  "use strict";
  var examples = JSON.parse(document.getElementById("graphql-examples").textContent);
  var params = new URLSearchParams(window.location.search);
  var chosen = examples.find(function (e) { return e.name === params.get("example"); });
  var select = document.getElementById("example");
  examples.forEach(function (e) {
    var option = document.createElement("option");
    option.value = e.name;
    option.textContent = e.title;
    option.selected = Boolean(chosen && chosen.name === e.name);
    select.appendChild(option);
  });
  select.addEventListener("change", function () {
    if (!select.value) { return; }
    params.set("example", select.value);
    window.location.search = params.toString();
  });
  var props = {
    fetcher: GraphiQL.createFetcher({ url: window.location.pathname }),
    defaultQuery: examples[0].query,
    defaultEditorToolsVisibility: false
  };
  if (chosen) { props.query = chosen.query; }
  ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(GraphiQL, props));
}());
