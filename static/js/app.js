/* 吴江职业技能联赛: the app's own script. No inline scripts anywhere (the CSP forbids them). */
(function () {
  "use strict";

  /* htmx requests carry the CSRF token from <meta name="csrf-token">. */
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) {
      event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
    }
  });

  /* An htmx request whose session has ended gets a 401 naming the login page (never a login page pasted into
     a fragment): go there, and come back here after logging in. Pages that keep unsaved work handle it
     themselves first (the mark grid does, and marks it handled). */
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status === 401 && xhr.getResponseHeader("HX-Login-URL")) {
      window.location.assign(xhr.getResponseHeader("HX-Login-URL"));
    }
  });

  /* Destructive actions ask first: a form or its submit button with data-confirm="…". */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  /* Links with data-confirm (rare: prefer POST forms) ask as well. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-confirm]");
    if (link && !window.confirm(link.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });

  /* On the new-user form, show the affiliation select that fits the chosen role. */
  function syncRoleFields(form) {
    var role = form.querySelector('select[name="role"]');
    if (!role) { return; }
    form.querySelectorAll("[data-show-for-role]").forEach(function (block) {
      block.hidden = block.getAttribute("data-show-for-role") !== role.value;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-role-form]").forEach(function (form) {
      syncRoleFields(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "role") { syncRoleFields(form); }
      });
    });
    /* Put the cursor in the first field with an error. */
    var invalid = document.querySelector(".is-invalid");
    if (invalid && typeof invalid.focus === "function") { invalid.focus(); }
  });
})();
