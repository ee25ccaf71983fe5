/* The marking-scheme editor on the event form: add and remove modules and criteria, and show the
   sums as the user types (weights = 100, each module's maxima = 100, theory above 30% warned).
   Progressive: the rows are plain indexed fields (modules-0-name, modules-0-criteria-1-max_score)
   that post without this script; the server renumbers nothing and reads gaps in the indices. */
(function () {
  "use strict";

  var WHOLE = /^\d+$/;
  var MARK = /^\d+(\.\d{1,2})?$/;

  /* A typed maximum in hundredths (exact), or null when it is not a number with at most 2 decimals. */
  function cents(text) {
    text = (text || "").trim();
    if (!MARK.test(text)) { return null; }
    var parts = text.split(".");
    var fraction = ((parts[1] || "") + "00").slice(0, 2);
    return parseInt(parts[0], 10) * 100 + parseInt(fraction, 10);
  }

  function showCents(value) {
    var whole = Math.floor(value / 100);
    var rest = value % 100;
    if (!rest) { return String(whole); }
    return whole + "." + (rest < 10 ? "0" + rest : String(rest)).replace(/0$/, "");
  }

  /* The highest index used in names like "<prefix>-<n>-…" among the given elements, plus one. */
  function nextIndex(elements) {
    var next = 0;
    elements.forEach(function (element) {
      var match = /-(\d+)$/.exec(element.getAttribute("data-prefix") || "");
      if (match) { next = Math.max(next, parseInt(match[1], 10) + 1); }
    });
    return next;
  }

  function fromTemplate(template, moduleIndex, criterionIndex) {
    var html = template.innerHTML.split("__m__").join(String(moduleIndex)).split("__c__").join(String(criterionIndex));
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    var element = holder.content.firstElementChild;
    element.querySelectorAll("[data-js-only]").forEach(function (button) { button.hidden = false; });
    return element;
  }

  function moduleIndex(module) {
    return /-(\d+)$/.exec(module.getAttribute("data-prefix"))[1];
  }

  function updateModule(module) {
    var total = 0;
    var known = true;
    module.querySelectorAll("[data-max]").forEach(function (input) {
      var value = cents(input.value);
      if (value === null) { known = false; } else { total += value; }
    });
    var sum = module.querySelector("[data-max-sum]");
    sum.textContent = known ? showCents(total) : "—";
    sum.parentElement.setAttribute("data-max-state", !known ? "unknown" : (total === 10000 ? "ok" : "bad"));
    var kind = module.querySelector("[data-module-kind]");
    if (kind) { module.setAttribute("data-kind", kind.value); }
  }

  function updateTotals(editor) {
    var total = 0;
    var theory = 0;
    var known = true;
    var modules = editor.querySelectorAll("[data-module-list] [data-module]");
    modules.forEach(function (module) {
      updateModule(module);
      var text = module.querySelector("[data-weight]").value.trim().replace(/%$/, "");
      if (!WHOLE.test(text)) { known = false; return; }
      total += parseInt(text, 10);
      if (module.querySelector("[data-module-kind]").value === "theory") { theory += parseInt(text, 10); }
    });
    known = known && modules.length > 0;
    var sum = editor.querySelector("[data-weight-sum]");
    sum.textContent = known ? String(total) : "—";
    sum.parentElement.setAttribute("data-weight-state", !known ? "unknown" : (total === 100 ? "ok" : "bad"));
    editor.querySelector("[data-theory-sum]").textContent = String(theory);
    var warning = editor.querySelector("[data-theory-warning]");
    var limit = parseInt(editor.getAttribute("data-theory-limit"), 10);
    warning.hidden = theory <= limit;
    if (!warning.hidden) { warning.textContent = editor.getAttribute("data-text-theory").replace("{n}", String(theory)); }
  }

  function addCriterion(editor, module) {
    var list = module.querySelector("[data-criterion-list]");
    var row = fromTemplate(editor.querySelector("template[data-criterion-template]"), moduleIndex(module),
                           nextIndex(list.querySelectorAll("[data-criterion]")));
    list.appendChild(row);
    row.querySelector("input").focus();
  }

  function addModule(editor) {
    var list = editor.querySelector("[data-module-list]");
    var module = fromTemplate(editor.querySelector("template[data-module-template]"),
                              nextIndex(list.querySelectorAll("[data-module]")), 0);
    list.appendChild(module);
    module.querySelector("input").focus();
  }

  function hasTyping(module) {
    return Array.prototype.some.call(module.querySelectorAll("input"), function (input) { return input.value.trim(); });
  }

  function onClick(editor, event) {
    var button = event.target.closest("button");
    if (!button || !editor.contains(button)) { return; }
    var module = button.closest("[data-module]");
    if (button.hasAttribute("data-add-module")) {
      addModule(editor);
    } else if (button.hasAttribute("data-add-criterion")) {
      addCriterion(editor, module);
    } else if (button.hasAttribute("data-remove-criterion")) {
      button.closest("[data-criterion]").remove();
    } else if (button.hasAttribute("data-remove-module")) {
      if (hasTyping(module) && !window.confirm(button.getAttribute("data-confirm-text"))) { return; }
      module.remove();
    } else {
      return;
    }
    updateTotals(editor);
  }

  /* District events have no host: hide the host select while "区级赛" is chosen. */
  function syncHost(form) {
    var kind = form.querySelector('select[name="kind"]');
    var host = form.querySelector('[data-field="host_enterprise_id"]');
    if (kind && host) { host.hidden = kind.value !== "enterprise"; }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-scheme-editor]").forEach(function (editor) {
      editor.querySelectorAll("[data-module-list] [data-js-only], [data-add-module]").forEach(function (button) {
        button.hidden = false;
      });
      editor.addEventListener("click", function (event) { onClick(editor, event); });
      editor.addEventListener("input", function () { updateTotals(editor); });
      editor.addEventListener("change", function () { updateTotals(editor); });
      updateTotals(editor);
    });
    document.querySelectorAll("form[data-event-form]").forEach(function (form) {
      syncHost(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "kind") { syncHost(form); }
      });
    });
  });
})();
