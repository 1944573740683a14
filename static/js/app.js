// Sinergi: small behaviours that must not live inline (strict CSP later).
(function () {
  "use strict";
  // Errors htmx does not swap (403/404/409/500): show the server's short fragment in #messages.
  document.addEventListener("htmx:responseError", function (evt) {
    var xhr = evt.detail.xhr;
    var box = document.getElementById("messages");
    if (!box) { return; }
    var text = xhr && xhr.responseText ? xhr.responseText : "";
    if (text && text.indexOf("<html") === -1) {
      box.innerHTML = text;
    } else {
      box.innerHTML = '<div class="alert alert-danger" role="alert">' +
        (box.dataset.errorText || "Terjadi kesalahan.") + "</div>";
    }
    box.scrollIntoView({ block: "nearest" });
  });
  document.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("messages");
    if (box) {
      box.innerHTML = '<div class="alert alert-warning" role="alert">' +
        (box.dataset.offlineText || "Koneksi terputus.") + "</div>";
    }
  });
  // Show the comment box of an action only when its button is chosen (works without JS too).
  document.addEventListener("change", function (evt) {
    var el = evt.target;
    if (el && el.matches && el.matches("select[data-autosubmit]")) {
      el.form.requestSubmit();
    }
  });
})();
