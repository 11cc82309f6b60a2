// Small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // The page's words in the interface's language, from data-t-* attributes on
  // <body> (templates/base.html: no inline script under the CSP); English when
  // absent. "{n}" stands for a number, "{max}" for the limit.
  function say(key, english, values) {
    var words = (document.body && document.body.dataset) || {};
    var text = words[key] || english;
    Object.keys(values || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(values[name]);
    });
    return text;
  }

  // Character counter for textareas that declare data-counter="<max>".
  function bindCounter(area) {
    var max = parseInt(area.getAttribute("data-counter"), 10);
    var out = document.querySelector('[data-counter-for="' + area.id + '"]');
    if (!out || !max) return;
    function update() {
      var left = max - area.value.length;
      // Nothing is cut: a text over the limit is kept, and the count says by how much.
      out.textContent = left >= 0
        ? say("tLeft", "{n} characters left", { n: left.toLocaleString("en") })
        : say("tOver", "{n} characters over the limit of {max}",
          { n: (-left).toLocaleString("en"), max: max.toLocaleString("en") });
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

  // The replies under a top-level comment, in the flat list the thread is.
  function repliesOf(top) {
    var found = [];
    var next = top.nextElementSibling;
    while (next && next.classList.contains("comment") && !next.classList.contains("depth-0")) {
      found.push(next);
      next = next.nextElementSibling;
    }
    return found;
  }

  // "Collapse" on each top-level comment with replies; without JavaScript every
  // reply simply stays shown.
  function bindCollapse(top) {
    if (top.hasAttribute("data-collapse-ready")) return;
    var replies = repliesOf(top);
    var actions = top.querySelector(".comment-actions");
    if (!replies.length || !actions) return;
    top.setAttribute("data-collapse-ready", "");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button action collapse-toggle";
    button.setAttribute("aria-expanded", "true");
    var one = replies.length === 1;
    var count = { n: replies.length };
    var collapse = one ? say("tCollapseOne", "Collapse ({n} reply)", count)
      : say("tCollapseMany", "Collapse ({n} replies)", count);
    var expand = one ? say("tExpandOne", "Expand ({n} reply)", count)
      : say("tExpandMany", "Expand ({n} replies)", count);
    button.textContent = collapse;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      repliesOf(top).forEach(function (li) { li.hidden = open; });
      button.setAttribute("aria-expanded", open ? "false" : "true");
      button.textContent = open ? expand : collapse;
      top.classList.toggle("is-collapsed", open);
    });
    actions.appendChild(button);
  }

  // "Copy link": the comment's address to the clipboard. Without JavaScript (or a
  // clipboard) it is a plain link to the comment.
  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("[data-copy-link]");
    if (!link || !navigator.clipboard || !window.isSecureContext) return;
    e.preventDefault();
    var address = new URL(link.getAttribute("href"), window.location.href).href;
    navigator.clipboard.writeText(address).then(function () {
      link.textContent = say("tCopied", "Link copied");
      link.setAttribute("role", "status");
      window.setTimeout(function () {
        link.textContent = say("tCopy", "Copy link");
        link.removeAttribute("role");
      }, 2500);
    }, function () { window.location.href = address; });
  });

  function init(root) {
    if (!root.querySelectorAll) return;
    var thread = document.querySelector("ol.thread");
    if (thread) thread.querySelectorAll("li.comment.depth-0").forEach(bindCollapse);
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

  // Live threads: while the article is open, ask every so often how many
  // comments it has (a 304 while its thread is unchanged) and offer to show the
  // new ones. Without JavaScript the page is as it was when loaded.
  function watchThread() {
    var section = document.querySelector("#comments[data-live-url]");
    var notice = section && section.querySelector(".live-notice");
    if (!notice || !window.fetch) return;
    var seen = parseInt(section.getAttribute("data-count"), 10) || 0;
    var every = parseInt(section.getAttribute("data-live-every"), 10) || 20000;
    function check() {
      if (document.hidden) return;
      fetch(section.getAttribute("data-live-url"), {
        cache: "no-cache", credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (r) { return r.status === 200 ? r.json() : null; })
        .then(function (data) {
          if (!data || typeof data.count !== "number" || data.count <= seen) return;
          var n = data.count - seen;
          var link = document.createElement("a");
          link.href = window.location.pathname + window.location.search + "#comments";
          link.className = "live-show";
          link.textContent = n === 1 ? say("tNewOne", "{n} new comment – show them", { n: n })
            : say("tNewMany", "{n} new comments – show them", { n: n });
          link.addEventListener("click", function (e) {
            // Same address, other anchor: load the page again, at the comments.
            e.preventDefault();
            window.history.replaceState(null, "", link.href);
            window.location.reload();
          });
          notice.textContent = "";
          notice.appendChild(link);
          notice.hidden = false;
        }, function () {});
    }
    window.setInterval(check, every);
    document.addEventListener("visibilitychange", function () { if (!document.hidden) check(); });
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); watchThread(); });
  document.addEventListener("htmx:load", function (e) { init(e.target); });
})();
