// Draws the monthly revenue (bars) and margin (line) chart on the account page.
// The figures come from a json_script block as decimal strings; plotly needs numbers.
(function () {
  "use strict";

  // Plotly's decimal and thousands marks in the page's language: 1 234,56 in Polish
  // and Russian (a no-break space groups thousands), 1,234.56 in English.
  function separators() {
    var lang = (document.documentElement.lang || "en").slice(0, 2);
    return lang === "pl" || lang === "ru" ? ",\u00a0" : ".,";
  }

  function draw() {
    var target = document.getElementById("revenue-chart");
    var source = document.getElementById("revenue-data");
    if (!target || !source || typeof Plotly === "undefined") {
      return;
    }
    var rows = JSON.parse(source.textContent);
    var months = rows.map(function (row) { return row.month; });
    var currency = target.dataset.currency || "";
    var revenue = {
      type: "bar",
      name: target.dataset.revenueLabel || "Revenue",
      x: months,
      y: rows.map(function (row) { return Number(row.revenue); }),
      marker: { color: "#9dbcf0" },
      hovertemplate: "%{x}: %{y:,.2f} " + currency + "<extra></extra>",
    };
    var margin = {
      type: "scatter",
      mode: "lines+markers",
      name: target.dataset.marginLabel || "Margin",
      x: months,
      y: rows.map(function (row) { return Number(row.margin); }),
      line: { color: "#1c7c4a", width: 2 },
      marker: { size: 4 },
      hovertemplate: "%{x}: %{y:,.2f} " + currency + "<extra></extra>",
    };
    var layout = {
      margin: { t: 10, r: 10, b: 40, l: 70 },
      height: 320,
      legend: { orientation: "h", y: 1.1 },
      xaxis: { type: "category", tickangle: -45 },
      yaxis: { tickformat: ",.0f", zeroline: true },
      separators: (document.documentElement.lang || "en") === "en" ? ".," : ",\u00a0",
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      separators: separators(),
    };
    Plotly.newPlot(target, [revenue, margin], layout, {
      displaylogo: false,
      responsive: true,
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
