// The steps table of the SOP editor: add, delete and reorder rows, switch tabs. The rows are
// a Django formset: each row's fields are named step-<index>-<field> and the order of the
// indexes is the order of the steps, so after any change the rows are numbered again from 0
// and step-TOTAL_FORMS says how many there are. Then the form fires "alur-rows" so htmx
// refreshes the preview.
(function () {
  const rows = document.getElementById("langkah");
  const template = document.getElementById("baris-baru");
  const total = document.querySelector('input[name="step-TOTAL_FORMS"]');
  if (!rows || !template || !total) return;
  const changed = () => document.body.dispatchEvent(new Event("alur-rows"));
  const field = /^step-(\d+|__prefix__)-/;
  function renumber() {
    [...rows.querySelectorAll(".baris")].forEach((row, index) => {
      row.dataset.key = String(index);
      row.querySelectorAll("[name]").forEach((input) => {
        if (field.test(input.name)) input.name = input.name.replace(field, `step-${index}-`);
      });
    });
    total.value = String(rows.querySelectorAll(".baris").length);
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    const row = button.closest(".baris");
    if (action === "tambah") {
      const numbers = [...rows.querySelectorAll('input[name$="-number"]')].map((i) => parseInt(i.value, 10)).filter((n) => !isNaN(n));
      rows.insertAdjacentHTML("beforeend", template.innerHTML);
      renumber();
      rows.lastElementChild.querySelector('input[name$="-number"]').value = (numbers.length ? Math.max(...numbers) : 0) + 1;
      rows.lastElementChild.querySelector("textarea").focus();
      changed();
      return;
    } else if (action === "hapus" && row) {
      row.remove();
    } else if (action === "naik" && row && row.previousElementSibling) {
      row.parentNode.insertBefore(row, row.previousElementSibling);
    } else if (action === "turun" && row && row.nextElementSibling) {
      row.parentNode.insertBefore(row.nextElementSibling, row);
    } else {
      return;
    }
    renumber();
    changed();
  });
  document.querySelectorAll("[data-tab]").forEach((tab) => tab.addEventListener("click", (event) => {
    event.preventDefault();
    document.querySelectorAll("[data-tab]").forEach((t) => t.classList.toggle("aktif", t === tab));
    document.querySelectorAll("form.panel").forEach((f) => f.classList.toggle("tersembunyi", f.id !== tab.dataset.tab));
  }));
  window.addEventListener("load", changed);  // draw the preview once on arrival
})();
