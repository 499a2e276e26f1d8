// Case page behaviour. Loaded as a file: the CSP forbids inline script.
(function () {
  "use strict";
  // Validation (422), refusal (403) and conflict (409) answers carry the re-rendered form: show them.
  if (window.htmx) {
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "(403|409|422)", swap: true, error: false },
      { code: "[45]..", swap: false, error: true }
    ];
  }

  // Keep the decision countdown current without reloading (the server computed the first value).
  function tick() {
    var el = document.querySelector(".countdown[data-due]");
    if (!el) { return; }
    var due = Date.parse(el.getAttribute("data-due"));
    if (isNaN(due)) { return; }
    var left = due - Date.now();
    el.classList.toggle("overdue", left < 0);
    el.setAttribute("title", Math.round(left / 3600000) + " h");
  }

  // Fill the notice template's placeholders from the decision fields until the handler edits it.
  function bindNotice(prefix) {
    var notice = document.getElementById("id_" + prefix + "-notice_content");
    if (!notice) { return; }
    var template = notice.value;
    var edited = false;
    notice.addEventListener("input", function () { edited = true; });
    var outcomes = {};
    try { outcomes = JSON.parse(notice.getAttribute("data-outcomes") || "{}"); } catch (e) { outcomes = {}; }
    function val(name) {
      var el = document.getElementById("id_" + prefix + "-" + name);
      if (!el) { return ""; }
      if (name === "outcome") { return outcomes[el.value] || el.value; }
      return el.value;
    }
    function fill() {
      if (edited) { return; }
      notice.value = template
        .replace("【处理结果】", val("outcome"))
        .replace("【理由】", val("reasons"))
        .replace("【依据】", val("basis") ? "（" + val("basis") + "）" : "")
        .replace("【补救措施】", val("remedy") || "—");
    }
    ["outcome", "reasons", "basis", "remedy"].forEach(function (name) {
      var el = document.getElementById("id_" + prefix + "-" + name);
      if (el) { el.addEventListener("input", fill); el.addEventListener("change", fill); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    setInterval(tick, 60000);
    bindNotice("respond");
    bindNotice("review_decide");
  });
})();
