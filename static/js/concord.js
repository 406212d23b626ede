// Concord's page behaviour, kept out of the HTML so the Content-Security-Policy can forbid
// every inline script and style attribute (issue 13).
(function () {
  "use strict";

  // The language switcher submits as soon as a language is picked.
  document.addEventListener("change", function (e) {
    var select = e.target;
    if (select && select.id === "language-select" && select.form) select.form.submit();
  });

  // Progress bars carry their width as data; CSSOM writes are allowed where style="" is not.
  function sizeBars(root) {
    (root || document).querySelectorAll("[data-percent]").forEach(function (bar) {
      var percent = Math.max(0, Math.min(100, parseFloat(bar.dataset.percent) || 0));
      bar.style.width = percent + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { sizeBars(document); });
  document.addEventListener("htmx:afterSwap", function (e) { sizeBars(e.target); });

  // Keyboard shortcuts on the voting page, as in Pol.is: a agree, d disagree, p pass
  // (not while typing).
  document.addEventListener("keydown", function (e) {
    if (!document.getElementById("vote-area")) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "TEXTAREA" || t.tagName === "INPUT" || t.isContentEditable)) return;
    var key = {a: "agree", d: "disagree", p: "pass"}[e.key.toLowerCase()];
    if (!key) return;
    var button = document.querySelector("#vote-area button[data-key='" + key + "']");
    if (button && !button.disabled) { e.preventDefault(); button.click(); }
  });

  // Opinion map: hover a group in the legend (or focus it) to bring its dots forward.
  document.addEventListener("mouseover", function (e) {
    if (!document.querySelector(".opinion-map")) return;
    var key = e.target.closest && e.target.closest("[data-group]");
    document.querySelectorAll(".opinion-map").forEach(function (svg) {
      svg.dataset.focus = key ? key.dataset.group : "";
    });
  });
})();
