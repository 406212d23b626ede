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
  // Version editor (issue 11): brackets are data, never "[ ]" typed into the text. Select
  // words in any language's text and press "Bracket the selection": the offsets (in
  // characters, as the server counts them) go into that language's brackets field, one
  // "start-end HELD,BY" a line. Without JavaScript that field is typed by hand.
  function codePoints(text) { return Array.from(text || "").length; }
  function parseBrackets(value) {
    var out = [];
    (value || "").split("\n").forEach(function (line) {
      var m = /^\s*(\d+)\s*[-\u2013:]\s*(\d+)\s*(.*)$/.exec(line);
      if (m) out.push({start: +m[1], end: +m[2], held: m[3].trim()});
    });
    return out;
  }
  function column(el) { return el.closest(".language-column"); }
  function fieldOf(col, kind) {
    return col.querySelector("textarea[name$='_" + kind + "_" + col.dataset.lang + "']");
  }
  function previewRow(fieldset) {
    if (!fieldset) return;
    var bracketedIn = [];
    fieldset.querySelectorAll(".language-column").forEach(function (col) {
      var text = fieldOf(col, "text"), spans = parseBrackets(fieldOf(col, "brackets").value);
      var preview = col.querySelector(".bracket-preview");
      var chars = Array.from(text.value.replace(/\r\n/g, "\n"));
      preview.textContent = "";
      var pos = 0;
      spans.sort(function (a, b) { return a.start - b.start; }).forEach(function (b) {
        if (b.start < pos || b.end > chars.length || b.end <= b.start) return;
        preview.appendChild(document.createTextNode(chars.slice(pos, b.start).join("")));
        var mark = document.createElement("mark");
        mark.className = "bracket";
        mark.title = b.held;
        mark.textContent = chars.slice(b.start, b.end).join("");
        preview.appendChild(mark);
        pos = b.end;
      });
      if (spans.length) {
        preview.appendChild(document.createTextNode(chars.slice(pos).join("")));
        bracketedIn.push(col.dataset.lang + (spans[0].held ? " (" + spans[0].held + ")" : ""));
      }
      col.dataset.bracketed = spans.length ? "true" : "false";
    });
    // Parallel brackets: every language that has the provision shows it is bracketed.
    fieldset.querySelectorAll(".language-column").forEach(function (col) {
      var own = col.dataset.bracketed === "true";
      var note = col.querySelector(".parallel-bracket");
      if (!note) {
        note = document.createElement("p");
        note.className = "parallel-bracket parallel-note";
        col.querySelector(".bracket-preview").after(note);
      }
      var hasText = fieldOf(col, "text").value.trim() !== "";
      note.hidden = own || !hasText || bracketedIn.length === 0;
      note.textContent = note.hidden ? "" : "[ " + bracketedIn.join("; ") + " ]";
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!document.getElementById("version-form")) return;
    document.querySelectorAll(".bracket-selection").forEach(function (b) { b.hidden = false; });
    document.querySelectorAll(".provision-editor").forEach(previewRow);
  });
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest(".bracket-selection");
    if (!button) return;
    e.preventDefault();
    var col = column(button), text = fieldOf(col, "text"), field = fieldOf(col, "brackets");
    var value = text.value.replace(/\r\n/g, "\n");
    var start = codePoints(value.slice(0, text.selectionStart));
    var end = codePoints(value.slice(0, text.selectionEnd));
    if (end <= start) { text.focus(); return; }
    var held = (document.getElementById("held-by") || {}).value || "";
    var line = start + "-" + end + " " + held.toUpperCase().split(/[^A-Z]+/).filter(Boolean).join(",");
    field.value = (field.value.trim() ? field.value.trim() + "\n" : "") + line;
    previewRow(button.closest(".provision-editor"));
  });
  document.addEventListener("input", function (e) {
    var fs = e.target.closest && e.target.closest(".provision-editor");
    if (fs) previewRow(fs);
  });
})();
