// The monthly charts of the returns and refusals pages: value as bars, the rate (returns)
// or the count (refusals) as a line on the right axis. Data come from json_script blocks
// as decimal strings; labels from the chart elements' data-*.
(function () {
  "use strict";

  var LANG = (document.documentElement.lang || "en").slice(0, 2);
  var SEPARATORS = LANG === "en" ? ".," : ",\u00a0";

  function layout() {
    return {
      margin: { t: 10, r: 60, b: 40, l: 70 },
      height: 320,
      legend: { orientation: "h", y: 1.12 },
      xaxis: { type: "category", tickangle: -45 },
      yaxis: { tickformat: ",.0f", zeroline: true, rangemode: "tozero" },
      yaxis2: { overlaying: "y", side: "right", rangemode: "tozero", showgrid: false },
      separators: SEPARATORS,
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
    };
  }

  function draw(targetId, dataId, line) {
    var target = document.getElementById(targetId);
    var source = document.getElementById(dataId);
    if (!target || !source || typeof Plotly === "undefined") {
      return;
    }
    var rows = JSON.parse(source.textContent);
    var months = rows.map(function (row) { return row.month; });
    var currency = target.dataset.currency || "";
    var bars = {
      type: "bar",
      name: line.barLabel(target),
      x: months,
      y: rows.map(function (row) { return Number(row[line.barKey]); }),
      marker: { color: "#e0a36b" },
      hovertemplate: "%{x}: %{y:,.2f} " + currency + "<extra></extra>",
    };
    var trend = {
      type: "scatter",
      mode: "lines+markers",
      name: line.lineLabel(target),
      x: months,
      y: rows.map(function (row) { return row[line.lineKey] === null ? null : Number(row[line.lineKey]); }),
      yaxis: "y2",
      line: { color: "#a33a3a", width: 2 },
      marker: { size: 4 },
      hovertemplate: "%{x}: %{y:,.2f}" + line.suffix + "<extra></extra>",
    };
    var look = layout();
    look.yaxis2.ticksuffix = line.suffix;
    look.yaxis2.tickformat = line.tickformat;
    Plotly.newPlot(target, [bars, trend], look, { displaylogo: false, responsive: true });
  }

  function drawAll() {
    draw("returns-chart", "returns-data", {
      barKey: "returned", lineKey: "rate", suffix: "%", tickformat: ",.2f",
      barLabel: function (t) { return t.dataset.returnedLabel || "Returned"; },
      lineLabel: function (t) { return t.dataset.rateLabel || "Rate"; },
    });
    draw("refusals-chart", "refusals-data", {
      barKey: "value", lineKey: "count", suffix: "", tickformat: ",d",
      barLabel: function (t) { return t.dataset.valueLabel || "Value"; },
      lineLabel: function (t) { return t.dataset.countLabel || "Count"; },
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
