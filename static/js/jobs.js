/* A background job's progress (templates/certificates/_job.html): poll its JSON status every second until it is done
   or failed, moving the progress bar and offering the download. No inline scripts (the CSP forbids them). */
(function () {
  "use strict";

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, name) { return values[name]; });
  }

  function show(panel, job) {
    var text = panel.querySelector("[data-job-text]");
    var bar = panel.querySelector("[data-job-progress]");
    var error = panel.querySelector("[data-job-error]");
    var link = panel.querySelector("[data-job-download]");
    panel.setAttribute("data-job-state", job.state);
    bar.value = job.percent;
    bar.textContent = job.percent + "%";
    text.textContent = fill(text.getAttribute("data-text-" + job.state) || "", job);
    if (job.state === "failed") { error.textContent = job.error || ""; error.hidden = false; }
    /* the job's page offers 重试 (templates/jobs/show.html) once the job has failed */
    document.querySelectorAll("[data-job-retry='" + job.id + "']").forEach(function (f) { f.hidden = job.state !== "failed"; });
    if (job.state === "done") {  /* a file to download, or (an import) a link the page already holds */
      if (job.download_url) { link.href = job.download_url; }
      link.hidden = false;
    }
    /* a failed import lists its bad rows: the page renders them (it only polls while the job runs, so this is once) */
    if (job.state === "failed" && panel.hasAttribute("data-reload-when-failed")) { window.location.reload(); }
  }

  function poll(panel) {
    fetch(panel.getAttribute("data-status-url"), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (response) {
        /* anything but the job's JSON (the session ended: the login page) stops the polling; reloading shows why */
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        return response.ok && json ? response.json() : null;
      })
      .then(function (job) {
        if (!job) { return; }
        show(panel, job);
        if (job.state === "queued" || job.state === "running") { window.setTimeout(function () { poll(panel); }, 1000); }
        else { document.querySelectorAll("[data-action='print-certificates']").forEach(function (b) { b.disabled = false; }); }
      })
      .catch(function () { window.setTimeout(function () { poll(panel); }, 3000); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-job]").forEach(function (panel) {
      var state = panel.getAttribute("data-job-state");
      if (state === "queued" || state === "running") { poll(panel); }
    });
  });
})();
