// Draws the stakeholder graph: people placed by the org chart (positions come from the
// server), coloured by attitude, sized by influence; links styled by kind, arrows on
// directed links. Clicking a person opens their page.
(function () {
  "use strict";

  function byId(nodes) {
    var map = {};
    nodes.forEach(function (node) { map[node.id] = node; });
    return map;
  }

  function edgeTraces(data, nodes) {
    return data.kinds.map(function (kind) {
      var xs = [];
      var ys = [];
      data.edges.forEach(function (edge) {
        if (edge.kind !== kind.value) { return; }
        var a = nodes[edge.source];
        var b = nodes[edge.target];
        if (!a || !b) { return; }
        xs.push(a.x, b.x, null);
        ys.push(a.y, b.y, null);
      });
      return {
        type: "scatter",
        mode: "lines",
        name: kind.label,
        x: xs,
        y: ys,
        hoverinfo: "skip",
        line: { color: kind.colour, width: 2, dash: kind.dash },
        visible: xs.length ? true : "legendonly",
      };
    });
  }

  function arrows(data, nodes) {
    return data.edges.filter(function (edge) {
      return edge.directed && nodes[edge.source] && nodes[edge.target];
    }).map(function (edge) {
      var a = nodes[edge.source];
      var b = nodes[edge.target];
      return {
        x: b.x, y: b.y, ax: a.x, ay: a.y,
        xref: "x", yref: "y", axref: "x", ayref: "y",
        showarrow: true, arrowhead: 2, arrowsize: 1.2, arrowwidth: 1.5,
        arrowcolor: edge.colour, standoff: 14, text: "",
      };
    });
  }

  function hover(node, labels) {
    var lines = ["<b>" + node.name + "</b>"];
    if (node.position) { lines.push(node.position); }
    if (node.account) { lines.push(node.account); }
    lines.push(labels.role + ": " + (node.role || "—"));
    lines.push(labels.attitude + ": " + node.attitude_label);
    lines.push(labels.influence + ": " + (node.influence || "—"));
    if (node.last_contact_label) { lines.push(labels.lastContact + ": " + node.last_contact_label); }
    return lines.join("<br>");
  }

  // On a phone the people of one row stand close together: shorter names ("J. Kowalski"),
  // a smaller font, and neighbours' names alternately above and below their dots, so
  // that no two names overlap.
  function shortName(name) {
    var parts = name.split(" ").filter(Boolean);
    return parts.length > 1 ? parts[0].charAt(0) + ". " + parts[parts.length - 1] : name;
  }

  function labelPlaces(nodes) {
    var rows = {};
    nodes.forEach(function (n) { (rows[n.y] = rows[n.y] || []).push(n); });
    var place = {};
    Object.keys(rows).forEach(function (y) {
      rows[y].sort(function (a, b) { return a.x - b.x; }).forEach(function (n, i) {
        place[n.id] = i % 2 ? "top center" : "bottom center";
      });
    });
    return place;
  }

  function nodeTraces(data, labels, narrow) {
    var place = labelPlaces(data.nodes);
    return data.attitudes.map(function (attitude) {
      var people = data.nodes.filter(function (node) { return node.attitude === attitude.value; });
      return {
        type: "scatter",
        mode: "markers+text",
        name: attitude.label,
        x: people.map(function (n) { return n.x; }),
        y: people.map(function (n) { return n.y; }),
        text: people.map(function (n) { return narrow ? shortName(n.name) : n.name; }),
        textposition: narrow ? people.map(function (n) { return place[n.id]; }) : "bottom center",
        textfont: { size: narrow ? 10 : 12 },
        customdata: people.map(function (n) { return n.url; }),
        hovertext: people.map(function (n) { return hover(n, labels); }),
        hoverinfo: "text",
        marker: {
          color: attitude.colour,
          size: people.map(function (n) { return n.size; }),
          line: { color: people.map(function (n) { return n.left ? "#c0392b" : "#ffffff"; }), width: 2 },
          symbol: people.map(function (n) { return n.outside ? "diamond" : "circle"; }),
        },
        visible: people.length ? true : "legendonly",
      };
    });
  }

  function draw() {
    var target = document.getElementById("stakeholder-graph");
    var source = document.getElementById("stakeholder-data");
    if (!target || !source || typeof Plotly === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var labels = {
      role: target.dataset.roleLabel || "Role",
      attitude: target.dataset.attitudeLabel || "Attitude",
      influence: target.dataset.influenceLabel || "Influence",
      lastContact: target.dataset.lastContactLabel || "Last contact",
    };
    var nodes = byId(data.nodes);
    var rows = {};
    data.nodes.forEach(function (n) { rows[n.y] = true; });
    var height = Math.max(320, Object.keys(rows).length * 120 + 80);
    var layout = {
      margin: { t: 10, r: 10, b: 10, l: 10 },
      height: height,
      showlegend: true,
      legend: { orientation: "h", y: -0.02 },
      xaxis: { visible: false, zeroline: false },
      yaxis: { visible: false, zeroline: false },
      annotations: arrows(data, nodes),
      hovermode: "closest",
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
    };
    var traces = edgeTraces(data, nodes).concat(nodeTraces(data, labels, target.clientWidth < 600));
    Plotly.newPlot(target, traces, layout, { displaylogo: false, responsive: true });
    target.on("plotly_click", function (event) {
      var point = event.points && event.points[0];
      if (point && point.customdata) { window.location.href = point.customdata; }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
