// The heat map's step figures for keyboard users: a step symbol that gets the focus shows
// its figures (its aria-label) in a box beside it; the mouse gets the SVG <title> tooltip.
(function () {
  "use strict";
  function tip() {
    var box = document.getElementById("peta-tip");
    if (!box) {
      box = document.createElement("div");
      box.id = "peta-tip";
      box.className = "peta-tip";
      box.setAttribute("aria-hidden", "true");
      box.hidden = true;
      document.body.appendChild(box);
    }
    return box;
  }
  function symbol(target) {
    return target && target.closest ? target.closest(".bagan-kotak [data-step][aria-label]") : null;
  }
  document.addEventListener("focusin", function (event) {
    var step = symbol(event.target);
    if (!step) return;
    var box = tip();
    var place = step.getBoundingClientRect();
    box.textContent = step.getAttribute("aria-label");
    box.hidden = false;
    // Beside the symbol (so the flow below stays visible), else under it on a narrow screen.
    var room = document.documentElement.clientWidth;
    var top = window.scrollY + place.top;
    var left = window.scrollX + place.right + 8;
    if (place.right + 8 + box.offsetWidth > room - 8) {
      top = window.scrollY + place.bottom + 6;
      left = window.scrollX + Math.max(8, Math.min(place.left, room - box.offsetWidth - 8));
    }
    box.style.top = top + "px";
    box.style.left = left + "px";
  });
  document.addEventListener("focusout", function (event) {
    if (symbol(event.target)) tip().hidden = true;
  });
})();
