// Import review beside the source: a step row (or its "hal." link) shows its source page and
// outlines its symbol; a symbol clicked on the page marks its step row. No library needed.
(function () {
  "use strict";
  function clear(root, className) {
    root.querySelectorAll("." + className).forEach(function (el) { el.classList.remove(className); });
  }
  function showStep(row) {
    var section = row.closest("section");
    var page = document.getElementById(row.dataset.halaman);
    if (!section || !page) return;
    clear(section, "sorot");
    row.classList.add("sorot");
    page.classList.add("sorot");
    var symbol = row.dataset.simbol && document.getElementById(row.dataset.simbol);
    if (symbol) symbol.classList.add("sorot");
    var aside = page.closest(".impor-sumber");
    var target = symbol || page;
    // Scroll the page column only when it scrolls by itself (desktop), else the window.
    if (aside && aside.scrollHeight > aside.clientHeight + 4) {
      var box = target.getBoundingClientRect(), frame = aside.getBoundingClientRect();
      aside.scrollTop += box.top - frame.top - 40;
    } else {
      target.scrollIntoView({ behavior: "smooth", block: "center" });
    }
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a.ke-halaman");
    var row = event.target.closest("tr[data-halaman]");
    if (row && (link || !event.target.closest("select, input, button, a, label"))) {
      if (link) event.preventDefault();
      showStep(row);
      return;
    }
    var symbol = event.target.closest("rect.simbol[data-langkah]");
    if (symbol) {
      var section = symbol.closest("section");
      var rows = section.querySelectorAll("table.impor-langkah-tabel tbody tr");
      var step = rows[Number(symbol.dataset.langkah)];
      if (step) { showStep(step); step.scrollIntoView({ behavior: "smooth", block: "center" }); }
    }
  });
})();
