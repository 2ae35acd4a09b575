// Scoring model editor: shows each criterion's weight as a share of the total as you type,
// and greys out the fields that do not apply to "entered by people" rows.
(function () {
  "use strict";

  var PERCENT = new Intl.NumberFormat(document.documentElement.lang || "en", {
    style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1,
  });

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll(".criterion-row"));
  }

  function field(row, name) {
    return row.querySelector("[name$='-" + name + "']");
  }

  function refresh() {
    var weights = rows().map(function (row) {
      var chosen = field(row, "criterion").value;
      var weight = parseFloat((field(row, "weight").value || "").replace(",", "."));
      return chosen && weight > 0 ? weight : 0;
    });
    var total = weights.reduce(function (a, b) { return a + b; }, 0);
    rows().forEach(function (row, i) {
      var share = row.querySelector(".share");
      share.textContent = total > 0 && weights[i] > 0 ? PERCENT.format(weights[i] / total) : "—";
      var people = field(row, "source").value === "people";
      ["metric", "mapping", "bands", "direction"].forEach(function (name) {
        field(row, name).disabled = people;
      });
      field(row, "bands").disabled = people || field(row, "mapping").value !== "bands";
      row.classList.toggle("unused", !field(row, "criterion").value);
    });
    var totalCell = document.getElementById("weight-total");
    if (totalCell) {
      totalCell.textContent = total > 0 ? total.toLocaleString() : "—";
    }
  }

  // Picking a criterion fills in its usual metric, as the server would on saving.
  function fillDefaultMetric(event, defaults) {
    var row = event.target.closest(".criterion-row");
    if (!row || !event.target.name.endsWith("-criterion")) {
      return;
    }
    var metric = field(row, "metric");
    var usual = defaults[event.target.value];
    if (usual && !metric.value) {
      metric.value = usual;
    }
  }

  function start() {
    var form = document.querySelector(".model-editor");
    if (!form) {
      return;
    }
    var source = document.getElementById("default-metrics");
    var defaults = source ? JSON.parse(source.textContent) : {};
    form.addEventListener("input", refresh);
    form.addEventListener("change", function (event) {
      fillDefaultMetric(event, defaults);
      refresh();
    });
    // Disabled fields are not posted: enable them again just before sending.
    form.addEventListener("submit", function () {
      form.querySelectorAll("[disabled]").forEach(function (el) { el.disabled = false; });
    });
    refresh();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
