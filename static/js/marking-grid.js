/* The judges' mark grid (issue 15): no mark is ever lost silently, and large grids stay usable.

   Saving: each cell saves itself through htmx when it is left. While the request runs the cell says 保存中…;
   the server answers with the cell itself (✓ 已保存, or why it was refused: range, stale edit, 回避). A save
   that gets no such answer (no network, a server error, an ended session, a stale page) leaves the cell red
   with 未保存 and keeps the value in localStorage, per judge and event. A banner counts those cells; they are
   sent again when the network returns, every 15 seconds, on 立即重试, and when the grid is opened again
   (after logging in). The server stores a value sent twice once. Submitting is refused while any is unsaved.

   Moving: Enter goes down the column (on a phone: to the next field, then the next contestant), Tab across
   the row; 跳到参赛号 finds a number. On a phone the grid shows one contestant at a time. */
(function () {
  "use strict";

  var grid = document.querySelector("[data-marking-grid]");
  if (!grid) { return; }
  var KEY = "league.unsaved-marks." + grid.getAttribute("data-judge") + "." + grid.getAttribute("data-event");
  var RETRY_MS = 15000;
  var banner = document.querySelector("[data-unsaved-banner]");
  var phone = window.matchMedia("(max-width: 575.98px)");
  var loginNeeded = false;

  function say(name, values) {
    var message = grid.getAttribute("data-text-" + name) || "";
    Object.keys(values || {}).forEach(function (key) { message = message.replace("__" + key + "__", values[key]); });
    return message;
  }

  /* -- what is typed but not yet stored, kept on the tablet -- */

  function pending() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "{}") || {}; } catch (error) { return {}; }
  }

  function keep(all) {
    try {
      if (Object.keys(all).length) { window.localStorage.setItem(KEY, JSON.stringify(all)); }
      else { window.localStorage.removeItem(KEY); }
    } catch (error) { /* private mode or full: the cell stays red and the banner still counts it */ }
  }

  function cellKey(input) { return input.getAttribute("data-number") + "|" + input.getAttribute("data-criterion"); }

  function isCellInput(element) { return element && element.matches && element.matches("input.marking-input"); }

  function inputFor(key) {
    var parts = key.split("|");
    return grid.querySelector('input.marking-input[data-number="' + parts[0] + '"][data-criterion="' + parts[1] + '"]');
  }

  function expectedField(input) { return input.closest("td").querySelector('input[name="expected"]'); }

  function remember(input) {
    var all = pending();
    all[cellKey(input)] = {value: input.value, expected: expectedField(input).value};
    keep(all);
  }

  function forget(key) {
    var all = pending();
    delete all[key];
    keep(all);
  }

  /* -- how a cell looks -- */

  function setState(cell, state, message) {
    if (!cell) { return; }
    cell.classList.remove("marking-saving", "marking-unsaved");
    var note = cell.querySelector("[data-cell-state]");
    if (note) { note.remove(); }
    var input = cell.querySelector("input.marking-input");
    if (!state) { return; }
    cell.classList.add(state === "saving" ? "marking-saving" : "marking-unsaved");
    cell.classList.remove("marking-saved");
    var saved = cell.querySelector("[data-saved]");
    if (saved) { saved.remove(); }
    note = document.createElement("div");
    note.setAttribute("data-cell-state", state);
    note.className = state === "saving" ? "small text-body-secondary" : "small text-danger fw-semibold";
    note.setAttribute("role", state === "saving" ? "status" : "alert");
    note.textContent = message;
    cell.appendChild(note);
    if (input) { input.setAttribute("aria-invalid", state === "unsaved" ? "true" : "false"); }
  }

  function refreshBanner() {
    var count = Object.keys(pending()).length;
    if (!banner) { return; }
    banner.hidden = count === 0;
    banner.querySelector("[data-unsaved-text]").textContent =
      say(loginNeeded ? "login-banner" : "count", {N: count});
    banner.querySelector("[data-login-link]").hidden = !loginNeeded;
    banner.querySelector("[data-retry-now]").hidden = loginNeeded;
  }

  function markUnsaved(input, why) {
    setState(input.closest("td"), "unsaved", why === "login" ? say("login") : say("unsaved"));
    refreshBanner();
  }

  /* -- saving, through htmx -- */

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    var input = event.detail.elt;
    if (!isCellInput(input)) { return; }
    remember(input);  // kept before it leaves: a page closed mid-request loses nothing
    setState(input.closest("td"), "saving", say("saving"));
  });

  function errorCode(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("application/json") === -1) { return null; }
    try { return JSON.parse(xhr.responseText).error.code; } catch (error) { return "error"; }
  }

  /* The server answered with the cell (saved, or refused with a reason shown in it): swap it in, forget it.
     Anything else (a server error page, a 401, a stale page token) leaves the cell red and the value kept. */
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var input = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!isCellInput(input)) { return; }
    var xhr = event.detail.xhr;
    var code = errorCode(xhr);
    var answered = code === null && [200, 400, 403, 409].indexOf(xhr.status) !== -1;
    if (answered) {
      forget(cellKey(input));
      loginNeeded = false;
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    } else {
      event.detail.shouldSwap = false;
      event.detail.isError = false;  // handled here: htmx need not report it
      loginNeeded = loginNeeded || xhr.status === 401 || code === "csrf";
      markUnsaved(input, loginNeeded ? "login" : "network");
    }
    window.setTimeout(refreshBanner, 0);
  });

  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.body.addEventListener(name, function (event) {
      var input = event.detail.elt;
      if (isCellInput(input)) { markUnsaved(input, "network"); }
    });
  });

  function retryAll() {
    var all = pending();
    Object.keys(all).forEach(function (key) {
      var input = inputFor(key);
      if (!input || input.closest("td").classList.contains("marking-saving")) { return; }
      input.value = all[key].value;
      expectedField(input).value = all[key].expected;
      window.htmx.trigger(input, "change");
    });
  }

  window.addEventListener("online", retryAll);
  window.setInterval(function () {
    if (!loginNeeded && Object.keys(pending()).length) { retryAll(); }
  }, RETRY_MS);
  if (banner) {
    banner.querySelector("[data-retry-now]").addEventListener("click", retryAll);
  }

  /* Marks kept from an earlier visit (the network fell, the session ended): show them, then send them. */
  function restore() {
    var all = pending();
    Object.keys(all).forEach(function (key) {
      var input = inputFor(key);
      if (!input) { forget(key); return; }  // no longer a cell of this judge's grid (submitted, or 回避)
      input.value = all[key].value;
      expectedField(input).value = all[key].expected;
      markUnsaved(input, "network");
    });
    refreshBanner();
    if (Object.keys(all).length) { retryAll(); }
    sendTypedEarly(all);
    grid.setAttribute("data-ready", "");
  }

  /* A mark typed while the page's scripts were still loading (a slow venue network) left its field before htmx
     listened: nothing sent it. Whatever differs from what the server drew is sent now, like any other save. */
  function sendTypedEarly(kept) {
    Array.prototype.forEach.call(grid.querySelectorAll("input.marking-input"), function (input) {
      if (input.value !== input.defaultValue && !kept[cellKey(input)]) { window.htmx.trigger(input, "change"); }
    });
  }

  /* Submitting with marks still unsaved would leave them out: refuse, before the confirmation is asked. */
  window.addEventListener("submit", function (event) {
    if (!event.target.matches("[data-submit-marks]")) { return; }
    var count = Object.keys(pending()).length + grid.querySelectorAll("td.marking-saving").length;
    if (count) {
      event.preventDefault();
      event.stopImmediatePropagation();
      refreshBanner();
      window.alert(say("submit-blocked", {N: count}));
    }
  }, true);

  /* -- moving around a large grid -- */

  var rows = Array.prototype.slice.call(grid.querySelectorAll("tr[data-row]"));
  var current = 0;

  function inputsOf(row) { return Array.prototype.slice.call(row.querySelectorAll("input.marking-input")); }

  function show(index) {
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) { row.classList.toggle("is-current", i === current); });
    var position = document.querySelector("[data-card-position]");
    if (position) { position.textContent = say("position", {I: current + 1, N: rows.length}); }
    var prev = document.querySelector("[data-card-prev]");
    var next = document.querySelector("[data-card-next]");
    if (prev) { prev.disabled = current === 0; }
    if (next) { next.disabled = current === rows.length - 1; }
  }

  function focusRow(index) {
    show(index);
    var row = rows[current];
    if (!row) { return; }
    if (!phone.matches) { row.scrollIntoView({block: "center"}); }
    var first = inputsOf(row)[0];
    if (first) { first.focus(); first.select(); }
  }

  var prevButton = document.querySelector("[data-card-prev]");
  var nextButton = document.querySelector("[data-card-next]");
  if (prevButton) { prevButton.addEventListener("click", function () { focusRow(current - 1); }); }
  if (nextButton) { nextButton.addEventListener("click", function () { focusRow(current + 1); }); }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !isCellInput(input)) { return; }
    event.preventDefault();
    var row = input.closest("tr");
    if (phone.matches) {  // one contestant on the screen: down the card, then the next contestant
      var own = inputsOf(row);
      var after = own[own.indexOf(input) + 1];
      if (after) { after.focus(); after.select(); } else { input.blur(); focusRow(rows.indexOf(row) + 1); }
      return;
    }
    var column = input.getAttribute("data-criterion");
    var same = Array.prototype.slice.call(grid.querySelectorAll('input.marking-input[data-criterion="' + column + '"]'));
    var next = same[same.indexOf(input) + 1];
    if (next) { next.focus(); next.select(); } else { input.blur(); }
  });

  document.addEventListener("focusin", function (event) {
    if (isCellInput(event.target)) { current = rows.indexOf(event.target.closest("tr")); }
  });

  var gotoForm = document.querySelector("[data-goto-form]");
  if (gotoForm) {
    gotoForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var box = gotoForm.querySelector("[data-goto-number]");
      var wanted = box.value.trim();
      var index = rows.findIndex(function (row) {
        var number = row.getAttribute("data-number");
        return number === wanted || (/^\d+$/.test(wanted) && parseInt(number, 10) === parseInt(wanted, 10));
      });
      box.setCustomValidity(index === -1 ? say("not-found", {X: wanted}) : "");
      if (index === -1) { box.reportValidity(); return; }
      box.value = "";
      focusRow(index);
    });
  }

  /* On a phone, open on the first contestant with an empty field. */
  var firstOpen = rows.findIndex(function (row) {
    return inputsOf(row).some(function (input) { return input.value === ""; });
  });
  show(firstOpen === -1 ? 0 : firstOpen);
  // htmx wires the cells on DOMContentLoaded (its listener was added before this deferred script ran): resend after.
  document.addEventListener("DOMContentLoaded", restore);
}());
