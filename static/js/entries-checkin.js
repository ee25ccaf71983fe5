/* Check-in page: live filtering of the loaded rows, select-all with a count, and clear messages
   when an htmx row update is refused. The page works without it (plain forms and GET search). */
(function () {
  "use strict";

  function rows() { return document.querySelectorAll("tr[data-entry-row]"); }

  function liveFilter(input) {
    var words = input.value.trim().toLowerCase();
    var shown = 0;
    rows().forEach(function (row) {
      var match = !words || (row.getAttribute("data-search") || "").toLowerCase().indexOf(words) !== -1;
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    var none = document.querySelector("[data-no-match]");
    if (none) { none.classList.toggle("d-none", shown !== 0); }
  }

  function updatePicked() {
    var counter = document.querySelector("[data-picked-count]");
    if (!counter) { return; }
    var picked = document.querySelectorAll('input[name="entry_ids"]:checked').length;
    counter.textContent = counter.getAttribute("data-template").replace("{n}", picked);
  }

  function pickAll(checked) {
    rows().forEach(function (row) {
      var box = row.querySelector('input[name="entry_ids"]');
      if (box && !box.disabled && !row.hidden) { box.checked = checked; }
    });
    updatePicked();
  }

  /* A refused row comes back as the row with its message (400/409): show it in place. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 400 || status === 409) && target && target.matches("tr[data-entry-row]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  /* Anything else (no permission, session ended, server down): a message on top of the page. */
  document.addEventListener("htmx:responseError", function (event) {
    var box = document.querySelector("[data-check-in-alert]");
    if (!box) { return; }
    var page = new DOMParser().parseFromString(event.detail.xhr.responseText || "", "text/html");
    var lead = page.querySelector(".lead, [data-form-error]");
    var alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    alert.textContent = (lead && lead.textContent.trim()) || box.getAttribute("data-fallback");
    box.replaceChildren(alert);
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.querySelector("[data-check-in-alert]");
    if (box) {
      var alert = document.createElement("div");
      alert.className = "alert alert-danger";
      alert.setAttribute("role", "alert");
      alert.textContent = box.getAttribute("data-offline");
      box.replaceChildren(alert);
    }
  });

  document.addEventListener("input", function (event) {
    if (event.target.matches("[data-live-filter]")) { liveFilter(event.target); }
  });
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-pick-all]")) { pickAll(event.target.checked); }
    else if (event.target.matches('input[name="entry_ids"]')) { updatePicked(); }
  });
  /* After a row is swapped, its checkbox is new and unticked: recount. */
  document.addEventListener("htmx:afterSwap", updatePicked);
})();
