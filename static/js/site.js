// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Character counter for textareas that declare data-counter="<max>".
  function bindCounter(area) {
    var max = parseInt(area.getAttribute("data-counter"), 10);
    var out = document.querySelector('[data-counter-for="' + area.id + '"]');
    if (!out || !max) return;
    function update() {
      var left = max - area.value.length;
      out.textContent = left + " characters left";
      out.classList.toggle("over", left < 0);
    }
    area.addEventListener("input", update);
    update();
  }

  // Disable a form's submit button once it is sent, so a double click posts once.
  function guardDoubleSubmit(form) {
    form.addEventListener("submit", function () {
      var btn = form.querySelector('button[type="submit"]');
      if (btn) {
        window.setTimeout(function () { btn.disabled = true; }, 0);
      }
    });
  }

  function init(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("textarea[data-counter]").forEach(bindCounter);
    root.querySelectorAll("form.comment-form, form.report-form, form.confirm-form").forEach(guardDoubleSubmit);
  }

  // "Cancel" in a form opened in place: without JavaScript it is a link back to
  // the comment; with it, the form just closes.
  document.addEventListener("click", function (e) {
    var cancel = e.target.closest && e.target.closest(".comment-slot .slot-cancel");
    if (!cancel) return;
    var slot = cancel.closest(".comment-slot");
    e.preventDefault();
    slot.innerHTML = "";
    var opener = slot.parentNode.querySelector(".comment-actions .action");
    if (opener) opener.focus();
  });

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (e) { init(e.target); });
})();
