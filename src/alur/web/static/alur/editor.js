// The steps table of the SOP editor: add, delete and reorder rows, switch tabs. After any
// change the form fires "alur-rows" so htmx refreshes the preview.
(function () {
  const rows = document.getElementById("langkah");
  const template = document.getElementById("baris-baru");
  if (!rows || !template) return;
  const changed = () => document.body.dispatchEvent(new Event("alur-rows"));
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (!button) return;
    const action = button.dataset.action;
    const row = button.closest(".baris");
    if (action === "tambah") {
      const key = Math.random().toString(16).slice(2, 10);
      const html = template.innerHTML.replaceAll("KUNCI", key);
      rows.insertAdjacentHTML("beforeend", html);
      const numbers = [...rows.querySelectorAll('input[name$="-number"]')].map((i) => parseInt(i.value, 10)).filter((n) => !isNaN(n));
      rows.lastElementChild.querySelector('input[name$="-number"]').value = (numbers.length ? Math.max(...numbers) : 0) + 1;
      rows.lastElementChild.querySelector("textarea").focus();
    } else if (action === "hapus" && row) {
      row.remove();
    } else if (action === "naik" && row && row.previousElementSibling) {
      row.parentNode.insertBefore(row, row.previousElementSibling);
    } else if (action === "turun" && row && row.nextElementSibling) {
      row.parentNode.insertBefore(row.nextElementSibling, row);
    } else {
      return;
    }
    changed();
  });
  document.querySelectorAll("[data-tab]").forEach((tab) => tab.addEventListener("click", (event) => {
    event.preventDefault();
    document.querySelectorAll("[data-tab]").forEach((t) => t.classList.toggle("aktif", t === tab));
    document.querySelectorAll("form.panel").forEach((f) => f.classList.toggle("tersembunyi", f.id !== tab.dataset.tab));
  }));
  window.addEventListener("load", changed);  // draw the preview once on arrival
})();
