// Portfolio analysis charts: the Pareto curve with its 80% line, and score vs revenue.
// Data comes from the page's json_script block; labels from the chart elements' data-*.
(function () {
  "use strict";

  var INK = "#1d2433";
  var BRAND = "#1f5fbf";
  var GRID = "#e8ebf0";
  var FONT = { family: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size: 12, color: INK };
  // Numbers as the page's language writes them: "79,7 %" in Russian, "79,7%" in Polish.
  var LANG = document.documentElement.lang || "en";
  var PERCENT = new Intl.NumberFormat(LANG, {
    style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1,
  });
  // Plotly's own labels: decimal mark, then thousands separator.
  var SEPARATORS = LANG === "en" ? ".," : ",\u00a0";

  function baseLayout(target) {
    return {
      separators: SEPARATORS,
      margin: { t: 10, r: 16, b: 48, l: 56 },
      height: 380,
      font: FONT,
      showlegend: false,
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      xaxis: { title: { text: target.dataset.xLabel || "" }, gridcolor: GRID, zeroline: false },
      yaxis: { title: { text: target.dataset.yLabel || "" }, gridcolor: GRID, zeroline: false },
    };
  }

  // The cumulative share at a share of customers, read off the curve's points.
  function shareAt(x, y, at) {
    for (var i = 1; i < x.length; i++) {
      if (x[i] >= at) {
        var t = (at - x[i - 1]) / (x[i] - x[i - 1] || 1);
        return y[i - 1] + t * (y[i] - y[i - 1]);
      }
    }
    return y[y.length - 1];
  }

  // `share80`: the exact share of customers holding 80%, from the server (the points
  // are a sample of the curve, so reading it off them would be slightly off).
  function pareto(target, points, share80) {
    var x = points.map(function (p) { return p[0]; });
    var y = points.map(function (p) { return p[1]; });
    var crossing = share80 > 0 ? share80 : null;
    var curve = {
      type: "scatter", mode: "lines", x: x, y: y, fill: "tozeroy",
      fillcolor: "rgba(31,95,191,0.08)", line: { color: BRAND, width: 2.5, shape: "spline" },
      hovertemplate: "%{x:.1%} \u2192 %{y:.1%}<extra></extra>",
    };
    var even = {
      type: "scatter", mode: "lines", x: [0, 1], y: [0, 1], hoverinfo: "skip",
      line: { color: "#b8c0cc", width: 1, dash: "dot" },
    };
    var layout = baseLayout(target);
    layout.xaxis.tickformat = ".0%";
    layout.xaxis.range = [0, 1.005];
    layout.xaxis.dtick = 0.2;
    layout.yaxis.tickformat = ".0%";
    layout.yaxis.range = [0, 1.02];
    layout.shapes = [{
      type: "line", xref: "paper", x0: 0, x1: 1, y0: 0.8, y1: 0.8,
      line: { color: "#b3261e", width: 1.5, dash: "dash" },
    }];
    layout.annotations = [{
      xref: "paper", x: 1, y: 0.8, xanchor: "right", yanchor: "bottom", showarrow: false,
      text: target.dataset.lineLabel || "80%", font: { color: "#b3261e", size: 11 },
    }];
    if (crossing !== null) {
      layout.shapes.push({
        type: "line", x0: crossing, x1: crossing, y0: 0, y1: 0.8,
        line: { color: "#b3261e", width: 1, dash: "dot" },
      });
      layout.annotations.push({
        x: crossing, y: 0.8, xanchor: "left", yanchor: "top", showarrow: false, xshift: 4, yshift: -4,
        text: PERCENT.format(crossing), font: { color: "#b3261e", size: 11 },
      });
    }
    var top20 = shareAt(x, y, 0.2);
    var marker = {
      type: "scatter", mode: "markers", x: [0.2], y: [top20], hoverinfo: "skip",
      marker: { size: 9, color: "#ffffff", line: { color: BRAND, width: 2.5 } },
    };
    layout.annotations.push({
      x: 0.2, y: top20, xanchor: "right", yanchor: "bottom", showarrow: false, xshift: -6, yshift: 4,
      text: (target.dataset.topLabel || "top 20%") + ": " + PERCENT.format(top20),
      font: { color: BRAND, size: 11 },
    });
    Plotly.newPlot(target, [even, curve, marker], layout, { displaylogo: false, responsive: true });
  }

  function scatterTrace(points, name, color, big) {
    return {
      // SVG scatter whatever the count: the basic plotly bundle has no WebGL traces.
      type: "scatter",
      mode: "markers",
      name: name,
      x: points.map(function (p) { return p.revenue; }),
      y: points.map(function (p) { return p.score; }),
      text: points.map(function (p) { return p.name; }),
      customdata: points.map(function (p) { return p.id; }),
      marker: {
        size: big ? 9 : 6, opacity: big ? 0.95 : 0.55, color: color,
        line: { width: big ? 1 : 0.5, color: "#ffffff" },
      },
      hovertemplate: "<b>%{text}</b><br>%{x:,.0f}<br>%{y:.2f}<extra></extra>",
    };
  }

  function scatter(target, points, accountUrl) {
    var others = points.filter(function (p) { return !p.key; });
    var keys = points.filter(function (p) { return p.key; });
    var traces = [scatterTrace(others, target.dataset.otherLabel || "Other", "#9dbcf0", false)];
    if (keys.length) {
      traces.push(scatterTrace(keys, target.dataset.keyLabel || "Key", "#c2410c", true));
    }
    var layout = baseLayout(target);
    layout.xaxis.type = "log";
    layout.xaxis.tickformat = ",.0f"; // "10 000", not "10k", in every language
    layout.yaxis.range = [0.5, 10.5];
    layout.showlegend = true;
    layout.legend = { orientation: "h", y: 1.08, x: 0 };
    Plotly.newPlot(target, traces, layout, { displaylogo: false, responsive: true });
    target.on("plotly_click", function (event) {
      var id = event.points && event.points[0] && event.points[0].customdata;
      if (id && accountUrl) {
        window.location.href = accountUrl.replace("{id}", id);
      }
    });
  }

  function draw() {
    var source = document.getElementById("portfolio-data");
    if (!source || typeof Plotly === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var paretoTarget = document.getElementById("pareto-chart");
    if (paretoTarget && data.pareto.length) {
      pareto(paretoTarget, data.pareto, data.share80);
    }
    var scatterTarget = document.getElementById("scatter-chart");
    if (scatterTarget && data.scatter.length) {
      scatter(scatterTarget, data.scatter, data.accountUrl);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
