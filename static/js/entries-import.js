/* Roster import: upload with a progress bar (XMLHttpRequest upload events), then show the server's page.
   Without JavaScript the form posts normally; nothing here is needed for the import to work. */
(function () {
  "use strict";

  function show(form, text, isError) {
    var box = form.querySelector("[data-upload-progress]");
    var status = form.querySelector("[data-upload-status]");
    box.hidden = false;
    status.textContent = text;
    status.classList.toggle("text-danger", !!isError);
    status.classList.toggle("text-body-secondary", !isError);
  }

  /* Replace the page's main content (and title) with the server's answer, as a normal submit would. */
  function replacePage(html) {
    var next = new DOMParser().parseFromString(html, "text/html");
    var main = next.querySelector("main");
    if (!main) { document.open(); document.write(html); document.close(); return; }
    document.querySelector("main").replaceWith(main);
    document.title = next.title;
    window.scrollTo(0, 0);
    var focus = main.querySelector("[data-preview], [data-form-error], .is-invalid");
    if (focus) {
      focus.setAttribute("tabindex", "-1");
      focus.focus();
    }
  }

  function tooLarge(form, file) {
    var limit = parseInt(form.getAttribute("data-max-bytes"), 10);
    return limit && file.size > limit;
  }

  function upload(form) {
    var input = form.querySelector('input[type="file"]');
    var file = input && input.files && input.files[0];
    if (!file) { return false; }  /* let the server say that no file was chosen */
    if (!/\.(xlsx|xls|csv)$/i.test(file.name)) { show(form, form.getAttribute("data-wrong-type"), true); return true; }
    if (tooLarge(form, file)) { show(form, form.getAttribute("data-too-large"), true); return true; }
    var bar = form.querySelector("[data-upload-progress] progress");
    var button = form.querySelector("[data-upload-submit]");
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        var percent = Math.round(event.loaded * 100 / event.total);
        bar.value = percent;
        show(form, percent + "%");
      }
    });
    xhr.upload.addEventListener("load", function () {
      bar.value = 100;
      show(form, form.getAttribute("data-checking"));
    });
    xhr.addEventListener("load", function () { replacePage(xhr.responseText); });
    xhr.addEventListener("error", function () {
      button.disabled = false;
      show(form, form.getAttribute("data-failed"), true);
    });
    button.disabled = true;
    bar.value = 0;
    show(form, "0%");
    xhr.send(new FormData(form));
    return true;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-upload-form]") || !window.FormData || !window.DOMParser) { return; }
    if (upload(form)) { event.preventDefault(); }
  });
})();
