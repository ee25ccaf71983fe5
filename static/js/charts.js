/* Dashboard charts: each <canvas data-chart='{...}'> is drawn with the vendored Chart.js.
   The JSON holds type, labels, datasets, urls (one per label: a click opens the underlying list)
   and options: horizontal, stacked, max. The numbers are also in the table beside each chart. */
(function () {
  "use strict";
  var PALETTE = ["#1f5f99", "#e07b39", "#3c9d5d", "#c0392b", "#8e6bbf", "#b8860b", "#2aa198", "#7f8c8d",
                 "#d35400", "#16a085", "#9b59b6", "#34495e"];

  function colour(i, alpha) {
    var hex = PALETTE[i % PALETTE.length];
    if (alpha === undefined) { return hex; }
    var n = parseInt(hex.slice(1), 16);
    return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
  }

  function datasets(spec) {
    return spec.datasets.map(function (set, i) {
      var out = Object.assign({}, set);
      if (spec.type === "doughnut") {
        out.backgroundColor = spec.labels.map(function (_, j) { return colour(j); });
      } else if (set.type === "line") {
        out.borderColor = colour(i);
        out.backgroundColor = colour(i, 0.2);
        out.borderDash = set.dashed ? [6, 4] : [];
        out.pointRadius = set.dashed ? 0 : 3;
        out.tension = 0.2;
      } else {
        out.backgroundColor = colour(i, 0.8);
      }
      delete out.dashed;
      return out;
    });
  }

  function draw(canvas) {
    var spec = JSON.parse(canvas.getAttribute("data-chart"));
    var options = {
      responsive: true, maintainAspectRatio: false, animation: false,
      indexAxis: spec.horizontal ? "y" : "x",
      plugins: { legend: { display: spec.type === "doughnut" || spec.datasets.length > 1 } },
      onClick: function (event, elements) {
        if (!elements.length || !spec.urls) { return; }
        var url = spec.urls[elements[0].index];
        if (url) { window.location.href = url; }
      },
      onHover: function (event, elements) {
        event.native.target.style.cursor = elements.length && spec.urls ? "pointer" : "default";
      }
    };
    if (spec.type !== "doughnut") {
      var value = spec.horizontal ? "x" : "y";
      var category = spec.horizontal ? "y" : "x";
      options.scales = {};
      options.scales[value] = { beginAtZero: true, stacked: !!spec.stacked };
      options.scales[category] = { stacked: !!spec.stacked, ticks: { autoSkip: false, callback: function (value) {
        var label = String(this.getLabelForValue(value));
        return label.length > 10 ? label.slice(0, 9) + "…" : label;  // the full name is in the table
      } } };
      if (spec.max) { options.scales[value].max = spec.max; }
    }
    if (spec.horizontal) {
      canvas.parentElement.style.height = Math.max(260, spec.labels.length * 34 + 60) + "px";
    }
    canvas.chart = new window.Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: datasets(spec) },
                                              options: options });
    canvas.setAttribute("data-chart-drawn", "true");
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.Chart) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
  });
}());
