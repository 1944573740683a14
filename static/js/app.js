// Sinergi: small behaviours that must not live inline (strict CSP later).
(function () {
  "use strict";
  // An error response that names its own target (HX-Retarget: a message fragment for
  // #messages, or a form re-rendered after a conflict) is swapped there; the htmx-config
  // meta swaps only 422/413 by default.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr;
    if (xhr && xhr.status >= 400 && xhr.getResponseHeader("HX-Retarget")) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });
  // Errors htmx does not swap and that name no target: show the text in #messages.
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
  // A filter that fires twice for one change (the search box's "changed" on blur, then the
  // select) must not leave two identical entries in the history: Back would seem to do nothing.
  document.addEventListener("htmx:beforeHistoryUpdate", function (evt) {
    var h = evt.detail && evt.detail.history;
    if (h && h.type === "push" && h.path === location.pathname + location.search) {
      h.type = "replace";
    }
  });
  // The snapshot of a filtered list is taken when the next filter is already chosen; on Back,
  // set every filter control from the restored address so that the form matches the list.
  document.addEventListener("htmx:historyRestore", function () {
    var params = new URLSearchParams(location.search);
    document.querySelectorAll("form[hx-push-url]").forEach(function (form) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.type === "submit" || el.type === "hidden") { return; }
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = params.getAll(el.name).indexOf(el.value) !== -1;
        } else {
          el.value = params.get(el.name) || "";
        }
      });
    });
  });
  // htmx keeps a snapshot of the page for the back button; form controls keep their state
  // in properties, not attributes, so write it into the attributes before the snapshot.
  document.addEventListener("htmx:beforeHistorySave", function () {
    document.querySelectorAll("select").forEach(function (sel) {
      Array.prototype.forEach.call(sel.options, function (opt) {
        if (opt.selected) { opt.setAttribute("selected", ""); } else { opt.removeAttribute("selected"); }
      });
    });
    document.querySelectorAll("input").forEach(function (inp) {
      if (inp.type === "checkbox" || inp.type === "radio") {
        if (inp.checked) { inp.setAttribute("checked", ""); } else { inp.removeAttribute("checked"); }
      } else if (inp.type !== "password" && inp.type !== "hidden") {
        inp.setAttribute("value", inp.value);
      }
    });
  });
  // After a failed submit, take the user to the first field that needs attention.
  function focusFirstError(root) {
    var bad = (root || document).querySelector(".is-invalid");
    if (bad && typeof bad.focus === "function") {
      bad.focus({ preventScroll: true });
      bad.scrollIntoView({ block: "center" });
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    focusFirstError(document);
    // Signed out (no logout button on the page): drop htmx's copy of earlier pages, which
    // may hold the previous user's data, from this tab's storage.
    if (!document.querySelector("form[data-logout]")) {
      try { sessionStorage.removeItem("htmx-history-cache"); } catch (e) { /* storage off */ }
    }
  });
  document.addEventListener("submit", function (evt) {
    if (evt.target && evt.target.matches && evt.target.matches("form[data-logout]")) {
      try { sessionStorage.removeItem("htmx-history-cache"); } catch (e) { /* storage off */ }
    }
  });
  document.addEventListener("htmx:afterSwap", function (evt) {
    // after an outerHTML swap the old target is gone from the page: look in the whole page
    var target = evt.detail.target;
    focusFirstError(target && target.isConnected ? target : document);
  });
  // File inputs with data-max-bytes: a file over the limit is named at the field before
  // anything is uploaded (the server still refuses it with 413 if this script is off).
  function oversize(input) {
    var max = parseInt(input.dataset.maxBytes, 10);
    return Array.prototype.filter.call(input.files || [], function (f) { return f.size > max; });
  }
  function showSizeError(input) {
    var big = oversize(input);
    var box = input.parentNode.querySelector("[data-size-error]");
    if (!box) {
      box = document.createElement("div");
      box.className = "field-error";
      box.setAttribute("data-size-error", "");
      box.setAttribute("role", "alert");
      input.insertAdjacentElement("afterend", box);
    }
    box.textContent = big.map(function (f) {
      return (input.dataset.tooBigText || "Berkas terlalu besar") + ": " + f.name;
    }).join(" · ");
    input.classList.toggle("is-invalid", big.length > 0);
    return big.length > 0;
  }
  document.addEventListener("change", function (evt) {
    if (evt.target.matches && evt.target.matches("input[type=file][data-max-bytes]")) {
      showSizeError(evt.target);
    }
  });
  function blockOversize(evt, form) {
    var bad = false;
    (form ? form.querySelectorAll("input[type=file][data-max-bytes]") : []).forEach(function (i) {
      if (showSizeError(i)) { bad = true; }
    });
    if (bad) {
      evt.preventDefault();
      focusFirstError(form);
    }
  }
  document.addEventListener("submit", function (evt) { blockOversize(evt, evt.target); }, true);
  // Plain forms that must be confirmed first (htmx forms use hx-confirm).
  document.addEventListener("submit", function (evt) {
    var form = evt.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      evt.preventDefault();
    }
  });
  document.addEventListener("click", function (evt) {
    if (evt.target.closest && evt.target.closest("[data-print]")) { window.print(); }
  });
  document.addEventListener("htmx:beforeRequest", function (evt) {
    var elt = evt.detail.elt;
    blockOversize(evt, elt && elt.closest ? elt.closest("form") : null);
  });
})();
