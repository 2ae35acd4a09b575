// Long lists of accounts and people become searchable: type a few letters of a name
// (Tom Select, from the npm registry). The <select> stays the form's field, so the form,
// htmx (hx-get on change) and a browser without JavaScript work as before.
(function () {
  "use strict";

  function enhance(root) {
    if (typeof TomSelect === "undefined") { return; }
    root.querySelectorAll("select.searchable:not(.tomselected)").forEach(function (select) {
      var nothing = select.dataset.noResults || "";
      new TomSelect(select, {
        maxOptions: null,
        allowEmptyOption: true,
        create: false,
        render: {
          no_results: function () {
            var div = document.createElement("div");
            div.className = "no-results";
            div.textContent = nothing;
            return div;
          },
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSwap", function (event) { enhance(event.target); });
})();
