/* Event form: the defaults that come from the policy (the 技术能手 quota, the notice's working days) follow
   the version in force on the event's date, not today's. When the date changes, a quota still at its
   prefilled default takes the new version's; a quota the user typed is left alone. Without JavaScript the
   server does the same on saving (a quota posted as prefilled is the date's default). */
(function () {
  "use strict";

  function versionOn(versions, day) {
    var found = null;
    versions.forEach(function (v) { if (v.from <= day) { found = v; } });
    return found || versions[0] || null;
  }

  function init(form) {
    var versions = JSON.parse(form.getAttribute("data-policy-defaults") || "[]");
    var date = form.querySelector("input[name='event_date']");
    var quota = form.querySelector("input[name='nomination_quota']");
    var prefilled = form.querySelector("input[name='quota_prefilled']");
    var hint = form.querySelector("[data-policy-hint]");
    if (!date || !quota || !versions.length) { return; }
    // The default the quota shows while untouched (a new event only: an edit keeps the event's own quota).
    var applied = prefilled && prefilled.value ? prefilled.value : null;

    function follow() {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date.value)) { return; }
      var v = versionOn(versions, date.value);
      if (!v) { return; }
      if (applied !== null && (quota.value === applied || quota.value === "")) {
        quota.value = String(v.quota);
        applied = String(v.quota);
        if (prefilled) { prefilled.value = applied; }
      }
      if (hint) {
        hint.textContent = (form.getAttribute("data-text-policy") || "")
          .replace("{from}", v.from).replace("{quota}", v.quota).replace("{notice}", v.notice);
      }
    }

    date.addEventListener("change", follow);
    date.addEventListener("input", follow);
    follow();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-event-form][data-policy-defaults]");
    if (form) { init(form); }
  });
})();
