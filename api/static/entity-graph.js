// Draws an entity's neighbourhood with cytoscape.js (vendored, loaded before this file)
// from the page's JSON block. Clicking a node opens its page. The instance is kept on
// window.chipkgGraph so tests (and curious users, from the console) can ask it questions.
(function () {
  "use strict";
  var block = document.getElementById("graph-data");
  var container = document.getElementById("graph");
  if (!block || !container || typeof cytoscape !== "function") { return; }
  var data = JSON.parse(block.textContent);
  var colours = {
    Company: "#1f77b4", Regulator: "#d62728", Chip: "#2ca02c", Product: "#2ca02c", Policy: "#9467bd",
    Person: "#ff7f0e", Country: "#8c564b", City: "#8c564b", Place: "#8c564b", Event: "#e377c2",
    Quote: "#7f7f7f", Article: "#17becf", Organization: "#1f77b4"
  };
  var cy = cytoscape({
    container: container,
    elements: data,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 4,
        "text-wrap": "wrap", "text-max-width": 120, "width": 22, "height": 22,
        "background-color": function (n) { return colours[n.data("kind")] || "#555"; } } },
      { selector: "node[?center]", style: { "width": 34, "height": 34, "font-weight": "bold",
        "border-width": 3, "border-color": "#222" } },
      { selector: "node[href]", style: { "cursor": "pointer" } },
      { selector: "edge", style: {
        "label": "data(label)", "font-size": 9, "color": "#555", "curve-style": "bezier",
        "target-arrow-shape": "triangle", "width": 1.5, "line-color": "#aaa", "target-arrow-color": "#aaa",
        "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.8 } }
    ],
    layout: { name: "concentric", animate: false, minNodeSpacing: 40,
      concentric: function (n) { return n.data("center") ? 2 : 1; }, levelWidth: function () { return 1; } }
  });
  // The server only hands out relative links and http(s) ones; check again before following.
  var followable = function (target) {
    return typeof target === "string" && (/^https?:/i.test(target) || !/^[a-z][a-z0-9+.-]*:/i.test(target));
  };
  cy.on("tap", "node", function (event) {
    var target = event.target.data("href");
    if (target && followable(target)) { window.location.href = target; }
  });
  window.chipkgGraph = cy;
}());
