// The SOP editor: the steps grid (a Django formset, one <tbody class="baris"> per step), the
// actor columns, the split pane with the live flowchart, and the unsaved changes kept in the
// browser. Each step's fields are named step-<index>-<field>, the order of the indexes being
// the order of the steps: after any change to the rows they are numbered again from 0 and
// step-TOTAL_FORMS says how many there are; the form then fires "alur-rows" so htmx redraws
// the preview. Nothing here may throw on a half-typed document: the server draws the preview.
(function () {
  "use strict";
  const root = document.getElementById("editor");
  const form = document.getElementById("formulir");
  const grid = document.getElementById("grid-langkah");
  if (!root || !form || !grid) return;
  const yamlForm = document.getElementById("yaml");
  const stepTemplate = document.getElementById("baris-baru");
  const actorTemplate = document.getElementById("pelaksana-baru");
  const actorBody = document.getElementById("baris-pelaksana");
  const stepTotal = form.querySelector('input[name="step-TOTAL_FORMS"]');
  const actorTotal = form.querySelector('input[name="actor-TOTAL_FORMS"]');
  const chartOf = () => document.getElementById("pratinjau-bagan");  // htmx replaces it
  const STEP_FIELD = /^step-(\d+|__prefix__)-/;
  const ACTOR_FIELD = /^actor-(\d+|__prefix__)-/;
  const REFS = ["next", "on_yes", "on_no"];
  const changed = () => document.body.dispatchEvent(new Event("alur-rows"));

  // --- rows ------------------------------------------------------------------------------
  const rows = () => [...grid.querySelectorAll(":scope > tbody.baris")];
  const field = (row, name) => row.querySelector(`[name$="-${name}"]`);
  const numberOf = (row) => {
    const input = field(row, "number");
    const value = input ? input.value.trim() : "";
    return /^\d+$/.test(value) ? parseInt(value, 10) : null;
  };
  function renumberIndexes() {
    rows().forEach((row, index) => {
      row.dataset.key = String(index);
      row.querySelectorAll("[name]").forEach((input) => {
        if (STEP_FIELD.test(input.name)) input.name = input.name.replace(STEP_FIELD, `step-${index}-`);
      });
    });
    stepTotal.value = String(rows().length);
  }
  // Before a change to the rows: which number each row had, and whether they ran 1..n (then
  // the steps are numbered again after the change and the yes/no/next targets follow).
  function snapshot() {
    const before = rows();
    const numbers = new Map(before.map((row) => [row, numberOf(row)]));
    const sequential = before.every((row, i) => numbers.get(row) === i + 1);
    return { numbers, sequential };
  }
  function settle(snap) {
    const after = rows();
    if (snap.sequential) {
      const moved = new Map();
      snap.numbers.forEach((old, row) => moved.set(old, after.includes(row) ? after.indexOf(row) + 1 : ""));
      after.forEach((row, i) => {
        field(row, "number").value = String(i + 1);
        REFS.forEach((name) => {
          const input = field(row, name);
          const value = input ? input.value.trim() : "";
          if (input && /^\d+$/.test(value) && moved.has(parseInt(value, 10))) {
            input.value = String(moved.get(parseInt(value, 10)));
          }
        });
      });
    } else {
      const numbers = after.map(numberOf).filter((n) => n !== null);
      let next = numbers.length ? Math.max(...numbers) + 1 : 1;
      after.forEach((row) => { if (!snap.numbers.has(row) && numberOf(row) === null) field(row, "number").value = String(next++); });
    }
    renumberIndexes();
    highlight();
    changed();
    remember();
  }
  function newRow() {
    const fragment = stepTemplate.content.cloneNode(true);
    return fragment.querySelector("tbody");
  }
  function addAfter(row) {
    const snap = snapshot();
    const fresh = newRow();
    if (row) row.after(fresh); else grid.append(fresh);
    settle(snap);
    select(fresh, { open: false });
    const activity = field(fresh, "activity");
    if (activity) activity.focus();
  }
  function move(row, target, after) {
    if (!row || !target || row === target) return;
    const snap = snapshot();
    if (after) target.after(row); else target.before(row);
    settle(snap);
  }

  // --- selection and details ----------------------------------------------------------------
  let selected = null;
  function select(row, { open = false, scroll = false, reveal = false } = {}) {
    if (selected && selected !== row) selected.classList.remove("terpilih");
    selected = row;
    if (row) {
      row.classList.add("terpilih");
      if (open) setOpen(row, true);
      if (scroll) row.scrollIntoView({ block: "center", behavior: "smooth" });
    }
    highlight(scroll || open || reveal);
  }
  function setOpen(row, open) {
    if (open) rows().forEach((other) => { if (other !== row && !other.querySelector(".is-invalid")) setOpen(other, false); });
    row.classList.toggle("terbuka", open);
    const button = row.querySelector('[data-action="rincian"]');
    if (button) button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  function rowOfStep(number) {
    return rows().find((row) => numberOf(row) === number) || null;
  }
  function highlight(reveal) {
    const chart = chartOf();
    if (!chart) return;
    chart.querySelectorAll(".symbol.terpilih").forEach((s) => s.classList.remove("terpilih"));
    const number = selected && selected.isConnected ? numberOf(selected) : null;
    if (number === null) return;
    const symbol = chart.querySelector(`.symbol[data-step="${number}"]`);
    if (!symbol) return;
    symbol.classList.add("terpilih");
    if (reveal) {
      const box = document.getElementById("pratinjau-kotak");
      const r = symbol.getBoundingClientRect(), b = box.getBoundingClientRect();
      if (r.top < b.top || r.bottom > b.bottom || r.left < b.left || r.right > b.right) {
        box.scrollBy({ top: r.top - b.top - b.height / 3, left: r.left - b.left - b.width / 3, behavior: "smooth" });
      }
    }
  }
  function openStep(number) {
    const row = rowOfStep(number);
    if (!row) return;
    if (form.classList.contains("d-none")) showTab("formulir");
    select(row, { open: true, scroll: true });
    const activity = field(row, "activity");
    if (activity) activity.focus({ preventScroll: true });
  }

  grid.addEventListener("focusin", (event) => {
    const row = event.target.closest("tbody.baris");
    if (row && row !== selected) select(row, { reveal: true });
  });
  grid.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      const row = event.target.closest("tbody.baris");
      if (!row) return;
      event.preventDefault();
      addAfter(row);
    }
  });
  // The number of a row changed: the highlight follows.
  grid.addEventListener("input", (event) => { if (event.target.name && event.target.name.endsWith("-number")) highlight(); });

  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-langkah]");
    if (link) { event.preventDefault(); openStep(parseInt(link.dataset.langkah, 10)); return; }
    const symbol = event.target.closest("#pratinjau-bagan .symbol[data-step]");
    if (symbol) { openStep(parseInt(symbol.dataset.step, 10)); return; }
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    const row = button.closest("tbody.baris");
    if (action === "tambah") {
      addAfter(rows().at(-1) || null);
    } else if (action === "sisip" && row) {
      addAfter(row);
    } else if (action === "rincian" && row) {
      const open = !row.classList.contains("terbuka");
      select(row);
      setOpen(row, open);
    } else if (action === "hapus" && row) {
      const snap = snapshot();
      const neighbour = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      if (selected === row) selected = null;
      settle(snap);
      const focus = neighbour && neighbour.matches("tbody.baris") ? neighbour.querySelector('[data-action="hapus"]') : null;
      if (focus) focus.focus();
    } else if (action === "naik" && row) {
      const previous = row.previousElementSibling;
      if (previous && previous.matches("tbody.baris")) { move(row, previous, false); button.focus(); }
    } else if (action === "turun" && row) {
      const next = row.nextElementSibling;
      if (next && next.matches("tbody.baris")) { move(row, next, true); button.focus(); }
    } else if (action === "tambah-pelaksana") {
      addActor();
    } else if (action === "jenis-tanggal") {
      toggleDate(button);
    } else if (action === "pulihkan") {
      restore();
    } else if (action === "buang") {
      forget();
    }
  });

  // --- drag and drop (the ⠿ handle; the buttons stay for the keyboard) --------------------
  let dragged = null, dragSnap = null;
  grid.addEventListener("dragstart", (event) => {
    const handle = event.target.closest && event.target.closest(".pegangan");
    if (!handle) return;
    dragged = handle.closest("tbody.baris");
    dragSnap = snapshot();
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged.dataset.key || "");
    try { event.dataTransfer.setDragImage(dragged, 10, 10); } catch (e) { /* not everywhere */ }
    dragged.classList.add("seret");
  });
  grid.addEventListener("dragover", (event) => {
    if (!dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    const target = event.target.closest && event.target.closest("tbody.baris");
    if (!target || target === dragged) return;
    const box = target.getBoundingClientRect();
    if (event.clientY > box.top + box.height / 2) target.after(dragged); else target.before(dragged);
  });
  grid.addEventListener("drop", (event) => { if (dragged) event.preventDefault(); });
  grid.addEventListener("dragend", () => {
    if (!dragged) return;
    dragged.classList.remove("seret");
    const row = dragged;
    dragged = null;
    settle(dragSnap);
    select(row);
  });

  // --- actors: a column of the grid each --------------------------------------------------
  function slug(text) {
    let s = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^\x00-\x7f]/g, "")
      .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (s.length > 60) {
      let cut = s.slice(0, 60);
      if (s[60] !== "-") cut = cut.includes("-") ? cut.slice(0, cut.lastIndexOf("-")) : cut;
      s = cut.replace(/^-+|-+$/g, "");
    }
    return s;
  }
  const actorRows = () => [...actorBody.querySelectorAll("tr.pelaksana-baris")];
  function actorOf(tr) {
    const id = tr.querySelector('[name$="-id"]'), name = tr.querySelector('[name$="-name"]');
    const title = name ? name.value.trim() : "";
    const value = (id && id.value.trim()) || slug(title);
    return { value, title: title || value };
  }
  function addActor() {
    const index = actorRows().length;
    const fragment = actorTemplate.content.cloneNode(true);
    fragment.querySelectorAll("[name]").forEach((input) => { input.name = input.name.replace(ACTOR_FIELD, `actor-${index}-`); });
    const tr = fragment.querySelector("tr");
    tr.dataset.key = String(index);
    actorBody.append(fragment);
    actorTotal.value = String(index + 1);
    const name = tr.querySelector('[name$="-name"]');
    if (name) name.focus();
  }
  // The grid's actor columns follow the actor table: the n-th named actor is the n-th column
  // (columns the server added for ids no actor has any more stay after them).
  function syncColumns() {
    const head = document.getElementById("kepala-grid");
    const wanted = actorRows().map(actorOf).filter((a) => a.value);
    const columns = [...head.querySelectorAll("th.kol-pelaksana")];
    const known = columns.filter((th) => !th.dataset.lain);
    const bodies = [...rows(), ...stepTemplate.content.querySelectorAll("tbody.baris")];
    wanted.forEach((actor, i) => {
      let th = known[i];
      if (!th) {
        th = document.createElement("th");
        th.scope = "col";
        th.className = "kol-pelaksana";
        th.append(document.createElement("span"));
        head.insertBefore(th, columns.find((c) => c.dataset.lain) || document.getElementById("kol-jenis"));
        bodies.forEach((body) => {
          const cells = body.querySelectorAll("tr.baris-utama > td.sel-pilih");
          const td = document.createElement("td");
          td.className = "sel-pilih";
          const box = document.createElement("input");
          box.type = "checkbox";
          box.className = "form-check-input";
          box.name = field(body, "number").name.replace(/-number$/, "-actors");
          td.append(box);
          const anchor = cells[i] || body.querySelector("tr.baris-utama > td.sel-jenis");
          anchor.before(td);
        });
        known.splice(i, 0, th);
      }
      const old = th.dataset.aktor;
      th.dataset.aktor = actor.value;
      th.querySelector("span").textContent = actor.title;
      bodies.forEach((body) => {
        const box = body.querySelectorAll("tr.baris-utama > td.sel-pilih input")[i];
        if (box && (box.value === old || !box.value || old === undefined)) { box.value = actor.value; box.setAttribute("aria-label", actor.title); }
      });
    });
    // Columns past the named actors (an actor row emptied) go, with their ticks.
    known.slice(wanted.length).forEach((th) => {
      const index = [...head.querySelectorAll("th.kol-pelaksana")].indexOf(th);
      bodies.forEach((body) => { const td = body.querySelectorAll("tr.baris-utama > td.sel-pilih")[index]; if (td) td.remove(); });
      th.remove();
    });
    const span = String(head.children.length);
    bodies.forEach((body) => { const td = body.querySelector("tr.baris-rincian > td"); if (td) td.colSpan = parseInt(span, 10); });
  }
  // Server columns for ids no actor row has: marked so syncColumns leaves them be.
  (function markOtherColumns() {
    const values = actorRows().map(actorOf).map((a) => a.value).filter(Boolean);
    [...document.querySelectorAll("#kepala-grid th.kol-pelaksana")].forEach((th, i) => { if (i >= values.length) th.dataset.lain = "1"; });
  })();
  actorBody.addEventListener("input", () => { syncColumns(); changedSoon(); });
  let columnTimer = null;
  function changedSoon() { clearTimeout(columnTimer); columnTimer = setTimeout(changed, 300); }

  // --- dates: a date picker, or a month picker for YYYY-MM ----------------------------------
  function toggleDate(button) {
    const input = button.parentElement.querySelector("input");
    if (!input) return;
    const month = input.type !== "month";
    const value = input.value;
    input.type = month ? "month" : "date";
    input.value = month ? value.slice(0, 7) : (value ? `${value.slice(0, 7)}-01` : "");
    dateLabel(button, input);
    input.dispatchEvent(new Event("change", { bubbles: true }));
  }
  function dateLabel(button, input) {
    button.textContent = input.type === "month" ? button.dataset.tanggalPenuh : button.dataset.bulan;
  }
  document.querySelectorAll('[data-action="jenis-tanggal"]').forEach((b) => { const i = b.parentElement.querySelector("input"); if (i) dateLabel(b, i); });

  // --- tabs ---------------------------------------------------------------------------------
  function showTab(name) {
    document.querySelectorAll("[data-tab]").forEach((t) => {
      t.classList.toggle("active", t.dataset.tab === name);
      t.setAttribute("aria-selected", t.dataset.tab === name ? "true" : "false");
    });
    document.querySelectorAll("form.panel").forEach((f) => f.classList.toggle("d-none", f.id !== name));
  }
  document.querySelectorAll("[data-tab]").forEach((tab) => tab.addEventListener("click", (event) => {
    event.preventDefault();
    showTab(tab.dataset.tab);
    const shown = document.getElementById(tab.dataset.tab);
    if (shown && window.htmx) window.htmx.trigger(shown, tab.dataset.tab === "yaml" ? "input" : "alur-rows");
  }));
  // A YAML text that could not be read: select the line the reader stopped at.
  const yamlText = document.getElementById("yaml-isi");
  if (yamlText && yamlText.dataset.baris && !yamlForm.classList.contains("d-none")) {
    const line = parseInt(yamlText.dataset.baris, 10) - 1;
    const lines = yamlText.value.split("\n");
    const start = lines.slice(0, Math.max(line, 0)).reduce((n, l) => n + l.length + 1, 0);
    yamlText.focus();
    yamlText.setSelectionRange(start, start + (lines[line] || "").length);
    const height = parseFloat(getComputedStyle(yamlText).lineHeight) || 20;
    yamlText.scrollTop = Math.max(0, line - 5) * height;
  }

  // --- the flowchart: zoom, redrawn by htmx --------------------------------------------------
  let zoom = 1;
  document.querySelectorAll("[data-zoom]").forEach((b) => b.addEventListener("click", () => {
    const step = parseInt(b.dataset.zoom, 10);
    zoom = step === 0 ? 1 : Math.min(4, Math.max(0.5, zoom * (step > 0 ? 1.25 : 0.8)));
    // On the box, not the chart: htmx replaces the chart, and copying a style attribute
    // onto the new one would break the Content-Security-Policy.
    document.getElementById("pratinjau-kotak").style.setProperty("--zoom", String(zoom));
  }));
  document.body.addEventListener("htmx:afterSettle", () => highlight(false));

  // --- the split pane: a handle to drag (or arrow keys), its width remembered ---------------
  const split = document.getElementById("editor-belah");
  const handle = document.getElementById("editor-pegangan");
  const WIDTH_KEY = "alur-tata:editor-lebar";
  function setWidth(percent) {
    const p = Math.min(80, Math.max(25, percent));
    split.style.setProperty("--lebar-kiri", `${p}%`);
    handle.setAttribute("aria-valuenow", String(Math.round(p)));
    return p;
  }
  try { const saved = parseFloat(localStorage.getItem(WIDTH_KEY)); if (saved) setWidth(saved); } catch (e) { /* storage off */ }
  const keepWidth = (p) => { try { localStorage.setItem(WIDTH_KEY, String(Math.round(p * 10) / 10)); } catch (e) { /* storage off */ } };
  if (handle && split) {
    handle.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      handle.setPointerCapture(event.pointerId);
      handle.classList.add("seret");
      const onMove = (e) => {
        const box = split.getBoundingClientRect();
        setWidth(((e.clientX - box.left) / box.width) * 100);
      };
      const onUp = () => {
        handle.classList.remove("seret");
        handle.removeEventListener("pointermove", onMove);
        handle.removeEventListener("pointerup", onUp);
        keepWidth(parseFloat(handle.getAttribute("aria-valuenow")));
      };
      handle.addEventListener("pointermove", onMove);
      handle.addEventListener("pointerup", onUp);
    });
    handle.addEventListener("keydown", (event) => {
      const now = parseFloat(handle.getAttribute("aria-valuenow")) || 60;
      const delta = event.key === "ArrowLeft" ? -5 : event.key === "ArrowRight" ? 5 : 0;
      if (!delta) return;
      event.preventDefault();
      keepWidth(setWidth(now + delta));
    });
  }

  // --- unsaved changes, kept in this browser per user, version and revision -----------------
  const prefix = `alur-editor:${root.dataset.pengguna}:${root.dataset.versi}:`;
  const key = prefix + root.dataset.revisi;
  const SKIP = new Set(["csrfmiddlewaretoken", "revision", "base", "mode"]);
  function state() {
    const pairs = [...new FormData(form)].filter(([name]) => !SKIP.has(name)).map(([n, v]) => [n, String(v)]);
    return { form: pairs, yaml: yamlText ? yamlText.value : "" };
  }
  const storage = (() => { try { return window.localStorage; } catch (e) { return null; } })();
  let initial = JSON.stringify(state());
  let dirty = false;
  let leaving = false;  // logging out: logout.js forgets the kept changes; keep none again
  function remember() {
    if (!storage || leaving) return;
    const now = JSON.stringify(state());
    dirty = now !== initial || root.dataset.belumTersimpan === "1";
    try {
      if (dirty) storage.setItem(key, JSON.stringify({ at: Date.now(), state: JSON.parse(now) }));
      else storage.removeItem(key);
    } catch (e) { /* full or off: the page still works */ }
  }
  let rememberTimer = null;
  const rememberSoon = () => { clearTimeout(rememberTimer); rememberTimer = setTimeout(remember, 250); };
  form.addEventListener("input", rememberSoon);
  form.addEventListener("change", rememberSoon);
  if (yamlForm) yamlForm.addEventListener("input", rememberSoon);
  function forget() {
    if (storage) { try { storage.removeItem(key); } catch (e) { /* off */ } }
    const offer = document.getElementById("pulihkan");
    if (offer) offer.hidden = true;
  }
  function apply(saved) {
    const pairs = saved.form || [];
    const values = (name) => pairs.filter((p) => p[0] === name).map((p) => p[1]);
    const wantActors = parseInt(values("actor-TOTAL_FORMS")[0], 10);
    if (!isNaN(wantActors)) {
      while (actorRows().length < wantActors && actorRows().length < 200) addActor();
      while (actorRows().length > wantActors) actorRows().at(-1).remove();
      actorTotal.value = String(actorRows().length);
    }
    actorBody.querySelectorAll("[name]").forEach((input) => setValue(input, values(input.name)));
    syncColumns();
    const wantSteps = parseInt(values("step-TOTAL_FORMS")[0], 10);
    if (!isNaN(wantSteps)) {
      while (rows().length < wantSteps && rows().length < 1000) grid.append(newRow());
      while (rows().length > wantSteps) rows().at(-1).remove();
      syncColumns();
      renumberIndexes();
    }
    grid.querySelectorAll("[name]").forEach((input) => setValue(input, values(input.name)));
    form.querySelectorAll(".identitas [name]").forEach((input) => setValue(input, values(input.name)));
    if (yamlText && typeof saved.yaml === "string") yamlText.value = saved.yaml;
    dirty = true;
    highlight();
    changed();
  }
  function setValue(input, values) {
    if (SKIP.has(input.name) || /TOTAL_FORMS|INITIAL_FORMS|MIN_NUM|MAX_NUM/.test(input.name)) return;
    if (input.type === "checkbox" || input.type === "radio") { input.checked = values.includes(input.value); return; }
    const value = values.length ? values[0] : "";
    if (input.dataset.tanggal !== undefined) {
      input.type = /^\d{4}-\d{2}$/.test(value) ? "month" : /^(\d{4}-\d{2}-\d{2})?$/.test(value) ? "date" : "text";
      const button = input.parentElement.querySelector('[data-action="jenis-tanggal"]');
      if (button) dateLabel(button, input);
    }
    input.value = value;
  }
  function restore() {
    const stored = storage && storage.getItem(key);
    if (stored) { try { apply(JSON.parse(stored).state); } catch (e) { /* damaged: ignore */ } }
    const offer = document.getElementById("pulihkan");
    if (offer) offer.hidden = true;
    remember();
  }
  if (storage) {
    try {
      // Kept changes of another revision were made on a draft that has since been saved:
      // never offered over it.
      for (let i = storage.length - 1; i >= 0; i--) {
        const k = storage.key(i);
        if (k && k.startsWith(prefix) && k !== key) storage.removeItem(k);
      }
      const stored = storage.getItem(key);
      if (root.dataset.belumTersimpan === "1") {
        remember();  // what the failed save brought back is itself unsaved
      } else if (stored) {
        const kept = JSON.parse(stored);
        if (JSON.stringify(kept.state) !== initial) {
          const offer = document.getElementById("pulihkan");
          const when = offer.querySelector("[data-waktu]");
          if (when && kept.at) when.textContent = `(${new Date(kept.at).toLocaleString()})`;
          offer.hidden = false;
        } else {
          storage.removeItem(key);
        }
      }
    } catch (e) { /* damaged entry: leave the page as it is */ }
  }
  let submitting = false;
  [form, yamlForm].forEach((f) => f && f.addEventListener("submit", () => { submitting = true; forget(); }));
  document.addEventListener("submit", (event) => {
    if (event.target.matches && event.target.matches("form.keluar")) { leaving = true; clearTimeout(rememberTimer); }
  }, true);
  window.addEventListener("beforeunload", (event) => {
    if (!dirty || submitting) return;
    event.preventDefault();
    event.returnValue = "";
  });

  // --- on arrival -----------------------------------------------------------------------------
  // A finding's or a review note's link: to a step (#langkah-3) or an identity field (#name).
  function goToLink() {
    const linked = /^#langkah-(\d+)$/.exec(window.location.hash);
    if (linked) {
      const row = rowOfStep(Number(linked[1]));
      if (!row) return;
      select(row, { open: true, scroll: true });
      const field = row.querySelector("textarea, input[type='text']");
      if (field) field.focus({ preventScroll: true });
      return;
    }
    const id = decodeURIComponent(window.location.hash.slice(1));
    const target = id && form.querySelector(`[id="${CSS.escape(id)}"]`);
    if (!target) return;
    for (let box = target.closest("details"); box; box = box.parentElement.closest("details")) {
      box.open = true;
    }
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }
  const firstError = form.querySelector(".is-invalid, [aria-invalid='true']");
  if (firstError) {
    const row = firstError.closest("tbody.baris");
    if (row) { select(row); setOpen(row, true); }
    firstError.focus({ preventScroll: false });
  } else {
    goToLink();
  }
  window.addEventListener("hashchange", goToLink);
  // Draw the preview once on arrival: the form's (the draft as saved, or as posted), then, on
  // the YAML tab, the text's findings over it (a broken text keeps that chart).
  window.addEventListener("load", () => {
    changed();
    if (yamlForm && !yamlForm.classList.contains("d-none") && window.htmx) {
      const once = () => { document.body.removeEventListener("htmx:afterSettle", once); window.htmx.trigger(yamlForm, "input"); };
      document.body.addEventListener("htmx:afterSettle", once);
    }
  });
})();
