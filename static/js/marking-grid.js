/* Mark grid: Enter moves down the column (Tab moves on by itself), and a refused cell is shown
   with its reason (htmx swaps 400/403/409 responses of a cell). */
(function () {
  "use strict";

  function inputs() { return Array.prototype.slice.call(document.querySelectorAll("input.marking-input")); }

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !input.matches || !input.matches("input.marking-input")) { return; }
    event.preventDefault();
    var column = input.getAttribute("data-criterion");
    var same = inputs().filter(function (i) { return i.getAttribute("data-criterion") === column; });
    var next = same[same.indexOf(input) + 1];
    if (next) { next.focus(); next.select(); } else { input.blur(); }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ([400, 403, 409].indexOf(status) !== -1 && target && target.matches("td[data-cell]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
}());
