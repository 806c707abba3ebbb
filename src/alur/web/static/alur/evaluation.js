// The evaluation form: the proposal under the criteria follows the answers as they are given
// (any "Tidak" proposes a revision, all "Ya" keeping the SOP), and the result takes the
// proposal until the evaluator chooses one themselves. The server proposes the same on save.
(function () {
  "use strict";
  var form = document.querySelector("form .kriteria");
  var hint = document.getElementById("usulan");
  var result = document.getElementById("id_result");
  if (!form || !hint || !result) { return; }
  var chosenByHand = false;
  result.addEventListener("change", function () { chosenByHand = true; });

  function update() {
    var failed = [], unanswered = 0;
    for (var n = 1; n <= 7; n++) {
      var checked = document.querySelector('input[name="kriteria_' + n + '"]:checked');
      if (!checked) { unanswered++; } else if (checked.value === "tidak") { failed.push(n); }
    }
    var proposed = "";
    if (failed.length) {
      proposed = "revisi";
      hint.textContent = hint.dataset.reviseText.replace("{}", failed.join(", "));
    } else if (!unanswered) {
      proposed = "tetap";
      hint.textContent = hint.dataset.keepText;
    } else {
      hint.textContent = hint.dataset.noneText;
    }
    if (proposed && !chosenByHand) { result.value = proposed; }
  }
  form.addEventListener("change", update);
})();
