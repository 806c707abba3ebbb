// Logging out forgets the editor's unsaved changes kept in this browser (alur-editor:* keys,
// see editor.js), so the next person on a shared computer does not find them.
(function () {
  "use strict";
  document.addEventListener("submit", (event) => {
    if (!event.target.matches || !event.target.matches("form.keluar")) return;
    try {
      for (let i = localStorage.length - 1; i >= 0; i--) {
        const key = localStorage.key(i);
        if (key && key.startsWith("alur-editor:")) localStorage.removeItem(key);
      }
    } catch (e) { /* storage off: nothing kept */ }
  });
})();
