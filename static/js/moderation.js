// Keyboard work for the moderation queue. Loaded only on moderation pages; every
// action is also a plain form or link, so the queue works without this file.
(function () {
  "use strict";

  var list = document.getElementById("queue-list");
  if (!list) return;

  function items() {
    return Array.prototype.slice.call(list.querySelectorAll("[data-queue-item]"));
  }

  function current() {
    var active = document.activeElement;
    var item = active && active.closest ? active.closest("[data-queue-item], [data-decided]") : null;
    return item && list.contains(item) ? item : null;
  }

  function focusItem(item) {
    if (!item) return;
    item.focus();
    item.scrollIntoView({ block: "nearest" });
  }

  // The next undecided item after `from` in document order (or the first one).
  function nextAfter(from, step) {
    var all = Array.prototype.slice.call(list.querySelectorAll("[data-queue-item], [data-decided]"));
    var index = from ? all.indexOf(from) : -1;
    for (var i = index + step; i >= 0 && i < all.length; i += step) {
      if (all[i].hasAttribute("data-queue-item")) return all[i];
    }
    return null;
  }

  function move(step) {
    var here = current();
    var target = nextAfter(here, step) || (here ? null : items()[0]);
    if (target) focusItem(target);
  }

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function press(key) {
    var item = current() || items()[0];
    if (!item) return;
    var target = item.querySelector('[data-key="' + key + '"]');
    if (!target) return;
    if (target.tagName === "SELECT") {
      focusItem(item);
      target.focus();
    } else {
      target.click();
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var el = document.activeElement;
    // Enter in a reason list sends that item's reject/remove form.
    if (event.key === "Enter" && el && el.tagName === "SELECT" && el.dataset.key === "r") {
      event.preventDefault();
      if (el.value) el.form.requestSubmit();
      return;
    }
    if (event.key === "Escape" && typing(el)) {
      var owner = el.closest("[data-queue-item]");
      if (owner) focusItem(owner);
      return;
    }
    if (typing(el)) return;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": press("a"); break;
      case "r": press("r"); break;
      case "b": press("b"); break;
      case "x": {
        var item = current();
        var box = item && item.querySelector(".queue-select");
        if (box) box.checked = !box.checked;
        break;
      }
      case "?": {
        var help = document.getElementById("queue-help");
        if (help) help.open = !help.open;
        break;
      }
      default: return;
    }
    event.preventDefault();
  });

  // After htmx swaps a decided item in, carry on with the next one. Watching the
  // list itself works whichever element htmx fires its events on.
  new MutationObserver(function (records) {
    records.forEach(function (record) {
      Array.prototype.forEach.call(record.addedNodes, function (node) {
        if (node.nodeType !== 1 || !node.hasAttribute("data-decided")) return;
        var next = nextAfter(node, 1) || nextAfter(node, -1);
        if (next) {
          focusItem(next);
        } else {
          var end = document.getElementById("queue-end");
          if (end) end.hidden = false;
          node.focus();
        }
      });
    });
  }).observe(list, { childList: true });

  // Start on the first item so j/k/a work at once.
  if (!current() && items().length && !location.hash) items()[0].focus({ preventScroll: true });
})();
