// Hand adjustments in the editor's flowchart preview. Drag the start of a decision's exit
// (Ya/Tidak) to the side of the diamond it should leave by, its arrowhead to the side of the
// target it should enter by, or its words to where they should sit. The choice is written
// into the same selects of the step's row that a keyboard user sets (the step's `layout`),
// and the preview is drawn again; a choice the drawing rules cannot keep is said beside it.
// A press that does not move is left alone, so a click on a symbol still opens its step.
(function () {
  "use strict";
  const grid = document.getElementById("grid-langkah");
  const box = document.getElementById("pratinjau-kotak");
  const status = document.getElementById("pratinjau-geser");
  if (!grid || !box || !status) return;
  const REACH = 9;  // screen pixels from an end or a label that still grab it
  const SLOP = 5;   // screen pixels a press must move to be a drag

  const message = (key, values) => (status.dataset[key] || "").replace(
    /\{(\w+)\}/g, (_, name) => (name in values ? String(values[name]) : ""));
  const sideWord = (side) => status.dataset[`side${side[0].toUpperCase()}${side.slice(1)}`] || side;

  function rowOf(step) {
    return [...grid.querySelectorAll(":scope > tbody.baris")].find((row) => {
      const input = row.querySelector('[name$="-number"]');
      return input && input.value.trim() === String(step);
    }) || null;
  }
  function svgPoint(svg, event) {
    const matrix = svg.getScreenCTM();
    return matrix ? new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse()) : null;
  }
  const scaleOf = (svg) => { const m = svg.getScreenCTM(); return m ? Math.hypot(m.a, m.b) || 1 : 1; };
  const distance = (a, b) => Math.hypot(a.x - b.x, a.y - b.y);
  function ends(group) {
    const line = group.querySelector("polyline");
    if (!line || line.points.length < 2) return null;
    const points = [...line.points];
    return { start: points[0], next: points[1], end: points.at(-1) };
  }
  // The nearest symbol of a step to a point (a joint step has several).
  function symbolNear(svg, step, point) {
    let best = null;
    svg.querySelectorAll(`.symbol[data-step="${step}"]`).forEach((symbol) => {
      const b = symbol.getBBox();
      const d = Math.hypot(point.x - (b.x + b.width / 2), point.y - (b.y + b.height / 2));
      if (!best || d < best.d) best = { box: b, d };
    });
    return best && best.box;
  }
  // Which side of a box a point lies towards, measured in its half width and half height.
  function sideOf(b, point) {
    const dx = (point.x - (b.x + b.width / 2)) / Math.max(b.width / 2, 1);
    const dy = (point.y - (b.y + b.height / 2)) / Math.max(b.height / 2, 1);
    if (Math.abs(dx) >= Math.abs(dy)) return dx < 0 ? "left" : "right";
    return dy < 0 ? "top" : "bottom";
  }

  // What a press at `point` grabs: the nearest, within reach, of the decisions' exit ends
  // and their words (a press on the words themselves takes the words).
  function grab(svg, point) {
    const reach = REACH / scaleOf(svg);
    let best = null;
    const offer = (d, what) => { if (d <= reach && (!best || d < best.d)) best = Object.assign({ d }, what); };
    svg.querySelectorAll("text.label[data-from][data-exit]").forEach((label) => {
      const arrow = svg.querySelector(`g.arrow.${label.dataset.exit}[data-from="${label.dataset.from}"]`);
      const at = arrow && ends(arrow);
      if (!at) return;
      const b = label.getBBox();
      const dx = Math.max(b.x - point.x, 0, point.x - (b.x + b.width));
      const dy = Math.max(b.y - point.y, 0, point.y - (b.y + b.height));
      const sideways = Math.abs(at.next.x - at.start.x) > Math.abs(at.next.y - at.start.y);
      offer(Math.hypot(dx, dy), { what: "words", step: label.dataset.from, exit: label.dataset.exit, fixed: at.start, sideways });
    });
    svg.querySelectorAll("g.arrow.yes, g.arrow.no").forEach((arrow) => {
      const at = ends(arrow);
      if (!at) return;
      const exit = arrow.classList.contains("yes") ? "yes" : "no";
      const step = arrow.dataset.from, target = arrow.dataset.to;
      if (svg.querySelector(`.symbol.decision[data-step="${step}"]`)) {
        offer(distance(point, at.start), { what: "exit", step, target, exit, fixed: at.end });
      }
      if (svg.querySelector(`.symbol[data-step="${target}"]`)) {
        offer(distance(point, at.end), { what: "entry", step, target, exit, fixed: at.start });
      }
    });
    return best;
  }

  // The side chosen by a drop, or null (with a message) when it is no side that drag sets.
  function chosen(svg, held, point) {
    if (held.what === "exit") {
      const diamond = symbolNear(svg, held.step, point);
      const side = diamond && sideOf(diamond, point);
      return side === "top" ? null : side;
    }
    if (held.what === "entry") {
      const target = symbolNear(svg, held.target, point);
      return target && sideOf(target, point);
    }
    // Words sit above or below an exit that leaves sideways, left or right of one going down.
    if (held.sideways) return point.y < held.fixed.y ? "above" : "below";
    return point.x < held.fixed.x ? "left" : "right";
  }
  const FIELDS = { exit: "exit", entry: "entry", words: "label" };
  function apply(held, side) {
    const row = rowOf(held.step);
    const name = held.what === "words" ? `label_${held.exit}_side` : `${FIELDS[held.what]}_${held.exit}`;
    const select = row && row.querySelector(`select[name$="-${name}"]`);
    if (!select) return;
    select.value = side;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    status.textContent = message(held.what, { step: held.step, exit: held.exit === "yes" ? "Ya" : "Tidak", side: sideWord(side) });
  }

  let held = null, pressed = null, ghost = null, dragged = false;
  box.addEventListener("pointerdown", (event) => {
    const svg = event.target.closest && event.target.closest("#pratinjau-bagan svg");
    if (!svg || event.button !== 0) return;
    const point = svgPoint(svg, event);
    const found = point && grab(svg, point);
    if (!found) return;
    held = Object.assign(found, { svg });
    pressed = { x: event.clientX, y: event.clientY };
    dragged = false;
    box.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  box.addEventListener("pointermove", (event) => {
    const svg = event.target.closest && event.target.closest("#pratinjau-bagan svg");
    if (!held) {
      if (svg) { const p = svgPoint(svg, event); box.classList.toggle("geser-bisa", Boolean(p && grab(svg, p))); }
      return;
    }
    if (!dragged && Math.hypot(event.clientX - pressed.x, event.clientY - pressed.y) < SLOP) return;
    dragged = true;
    const point = svgPoint(held.svg, event);
    if (!point) return;
    if (!ghost) {
      ghost = document.createElementNS("http://www.w3.org/2000/svg", "line");
      ghost.setAttribute("class", "geser-bayang");
      held.svg.appendChild(ghost);
    }
    ghost.setAttribute("x1", held.fixed.x); ghost.setAttribute("y1", held.fixed.y);
    ghost.setAttribute("x2", point.x); ghost.setAttribute("y2", point.y);
  });
  function finish(event, drop) {
    if (!held) return;
    const was = held;
    held = null;
    if (ghost) { ghost.remove(); ghost = null; }
    if (box.hasPointerCapture(event.pointerId)) box.releasePointerCapture(event.pointerId);
    if (!drop || !dragged) return;
    const point = svgPoint(was.svg, event);
    const side = point && chosen(was.svg, was, point);
    if (side) apply(was, side);
    else status.textContent = message("refused", { step: was.step });
    droppedAt = Date.now();
  }
  // The click that follows a drag must not open the step under the pointer.
  let droppedAt = 0;
  box.addEventListener("click", (event) => {
    if (Date.now() - droppedAt < 500) { event.stopPropagation(); event.preventDefault(); }
  }, { capture: true });
  box.addEventListener("pointerup", (event) => finish(event, true));
  box.addEventListener("pointercancel", (event) => finish(event, false));
})();
