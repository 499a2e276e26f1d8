// Queue and case list: keyboard selection (j/k, arrows, Enter) and live countdowns from data-due.
(function () {
  "use strict";

  var LEVELS = ["w50", "w80", "w2d"];

  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "SELECT" || el.tagName === "TEXTAREA" || el.isContentEditable);
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#queue-table tbody tr[data-href]"));
  }

  function select(index) {
    var all = rows();
    if (!all.length) return;
    index = Math.max(0, Math.min(all.length - 1, index));
    all.forEach(function (r) { r.classList.remove("selected"); r.removeAttribute("aria-selected"); });
    all[index].classList.add("selected");
    all[index].setAttribute("aria-selected", "true");
    all[index].scrollIntoView({ block: "nearest" });
  }

  function current() {
    return rows().findIndex(function (r) { return r.classList.contains("selected"); });
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || typing(document.activeElement)) return;
    var i = current();
    if (ev.key === "j" || ev.key === "ArrowDown") { select(i + 1); ev.preventDefault(); }
    else if (ev.key === "k" || ev.key === "ArrowUp") { select(i < 0 ? 0 : i - 1); ev.preventDefault(); }
    else if (ev.key === "Enter" && i >= 0) { window.location.href = rows()[i].dataset.href; ev.preventDefault(); }
    else if (ev.key === "n") { var next = document.getElementById("page-next"); if (next) next.click(); }
    else if (ev.key === "p") { var prev = document.getElementById("page-prev"); if (prev) prev.click(); }
  });

  document.addEventListener("click", function (ev) {
    var row = ev.target.closest && ev.target.closest("#queue-table tbody tr[data-href]");
    if (!row || ev.target.closest("a, button, input")) return;
    window.location.href = row.dataset.href;
  });

  function text(ms, t) {
    if (ms <= 0) return t.tOverdue;
    var minutes = Math.floor(ms / 60000);
    var d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
    if (d > 0) return t.tLeft + " " + d + " " + t.tDay + " " + h + " " + t.tHour;
    if (h > 0) return t.tLeft + " " + h + " " + t.tHour + " " + m + " " + t.tMinute;
    return t.tLeft + " " + m + " " + t.tMinute;
  }

  function tick() {
    var table = document.getElementById("queue-table");
    if (!table) return;
    var t = table.dataset, now = Date.now();
    document.querySelectorAll(".countdown[data-due]").forEach(function (el) {
      var due = Date.parse(el.dataset.due);
      if (isNaN(due)) return;
      var level = "none";
      LEVELS.forEach(function (key) {
        var at = el.dataset[key] ? Date.parse(el.dataset[key]) : NaN;
        if (!isNaN(at) && at <= now) level = key;
      });
      if (due <= now) level = "breached";
      el.className = "countdown level-" + level;
      var row = el.closest("tr");
      if (row) { row.className = row.className.replace(/\blevel-\S+/, "level-" + level); }
      el.textContent = text(due - now, t);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (rows().length) select(0);
    tick();
    window.setInterval(tick, 30000);
  });
  document.body && document.body.addEventListener("htmx:afterSwap", tick);
})();
