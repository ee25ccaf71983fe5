/* The enrolment policy form on an enterprise event's page: type to narrow the list of enterprises to invite, and
   show that list only while "主办企业和受邀企业" is chosen. Without this script the whole list simply shows. */
(function () {
  "use strict";

  function syncPicker(form) {
    var chosen = form.querySelector('input[name="open_to"]:checked');
    var picker = form.querySelector("[data-invited-picker]");
    if (picker) { picker.hidden = !chosen || chosen.value !== "invited"; }
  }

  function filterOptions(form, text) {
    var wanted = text.trim().toLowerCase();
    var shown = 0;
    form.querySelectorAll("[data-enterprise-option]").forEach(function (option) {
      var box = option.querySelector("input");
      var match = !wanted || option.getAttribute("data-name").toLowerCase().indexOf(wanted) !== -1;
      option.hidden = !(match || (box && box.checked));
      if (!option.hidden) { shown += 1; }
    });
    var none = form.querySelector("[data-no-enterprise-match]");
    if (none) { none.hidden = shown !== 0; }
  }

  function countChosen(form) {
    var count = form.querySelector("[data-invited-count]");
    if (count) { count.textContent = String(form.querySelectorAll('input[name="invited_enterprise_ids"]:checked').length); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll('form[data-form="enrolment-policy"]').forEach(function (form) {
      syncPicker(form);
      countChosen(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "open_to") { syncPicker(form); }
        if (event.target.name === "invited_enterprise_ids") { countChosen(form); }
      });
      var search = form.querySelector("[data-enterprise-filter]");
      if (search) {
        search.addEventListener("input", function () { filterOptions(form, search.value); });
        search.addEventListener("keydown", function (event) {
          if (event.key === "Enter") { event.preventDefault(); }  /* Enter filters; it does not submit */
        });
      }
    });
  });
})();
