// Zoom for the flowchart pages (SOP page, case page): a toolbar of + / − / reset buttons
// scales every drawing of its section inside the drawing's own scrolling box, which then pans
// both ways. The drawing keeps its proportions (its height follows the width). The toolbar is
// hidden until this script runs, so without JavaScript no button does nothing.
(function () {
  "use strict";
  var LEVELS = [1, 1.5, 2, 3, 4, 6];

  function setUp(bar) {
    var section = bar.closest("section") || document;
    var boxes = section.querySelectorAll(".bagan-kotak");
    var status = bar.querySelector("[data-zoom-level]");
    var level = 0;

    function apply(next) {
      var old = LEVELS[level];
      level = Math.max(0, Math.min(LEVELS.length - 1, next));
      var scale = LEVELS[level];
      boxes.forEach(function (box) {
        var svg = box.querySelector("svg");
        if (!svg) { return; }
        // Keep the middle of what was in view in the middle.
        var cx = (box.scrollLeft + box.clientWidth / 2) / old;
        var cy = (box.scrollTop + box.clientHeight / 2) / old;
        // The width the page's stylesheet gives the drawing is 100 %; zooming multiplies it.
        svg.style.width = "";
        svg.style.maxWidth = "";
        var base = svg.getBoundingClientRect().width;
        if (scale !== 1) {
          svg.style.width = Math.round(base * scale) + "px";
          svg.style.maxWidth = "none";
        }
        box.scrollLeft = cx * scale - box.clientWidth / 2;
        box.scrollTop = cy * scale - box.clientHeight / 2;
      });
      if (status) { status.textContent = Math.round(scale * 100) + "%"; }
      bar.querySelector("[data-zoom='in']").disabled = level === LEVELS.length - 1;
      bar.querySelector("[data-zoom='out']").disabled = level === 0;
    }

    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-zoom]");
      if (!button) { return; }
      var action = button.dataset.zoom;
      apply(action === "in" ? level + 1 : action === "out" ? level - 1 : 0);
    });
    bar.hidden = false;
    apply(0);
  }

  document.querySelectorAll(".bagan-zoom").forEach(setUp);
})();
