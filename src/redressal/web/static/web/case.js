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
    notice.setAttribute("data-bound", "1");
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

  // Solution form: as amounts are typed, say whether the total is within the proposer's limit and,
  // if not, whose approval it needs (the ladder is rendered by the server from the case's profile).
  function approverPreview(root) {
    var out = root.querySelector("[data-testid=approver-preview]");
    if (!out) { return; }
    var inputs = root.querySelectorAll("input[name^='propose_solution-item_amount_']");
    function update() {
      var total = 0;
      inputs.forEach(function (el) { var v = parseFloat(el.value); if (!isNaN(v)) { total += v; } });
      var own = out.getAttribute("data-own");
      if (own === "" || total <= parseFloat(own)) { out.textContent = out.getAttribute("data-within"); return; }
      var needed = "";
      root.querySelectorAll(".ladder li[data-role]").forEach(function (li) {
        var limit = li.getAttribute("data-limit");
        if (!needed && (limit === "" || total <= parseFloat(limit))) { needed = li.getAttribute("data-role"); }
      });
      out.textContent = out.getAttribute("data-needs") + "：" + needed + "（¥" + total.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }) + "）";
    }
    inputs.forEach(function (el) { el.addEventListener("input", update); });
    update();
  }

  // A re-rendered form (422/409) replaces its section: bind the behaviour to the new elements.
  document.addEventListener("htmx:afterSettle", function () {
    var proposal = document.getElementById("action-propose_solution");
    if (proposal && !proposal.hasAttribute("data-bound")) { proposal.setAttribute("data-bound", "1"); approverPreview(proposal); }
    ["respond", "review_decide"].forEach(function (prefix) {
      var notice = document.getElementById("id_" + prefix + "-notice_content");
      if (notice && !notice.hasAttribute("data-bound")) { bindNotice(prefix); }
    });
  });

  // One action form open at a time: opening a panel folds the others (their forms stay loaded).
  document.addEventListener("toggle", function (ev) {
    var details = ev.target;
    if (!details.open || !details.closest || !details.parentElement || !details.parentElement.classList.contains("action")) { return; }
    document.querySelectorAll("#actions > .action > details[open]").forEach(function (other) {
      if (other !== details) { other.open = false; }
    });
  }, true);

  function openAction(name) {
    var details = document.querySelector("#action-" + name + " > details");
    if (!details) { return false; }
    details.open = true;  // fires "toggle": htmx fetches the form the first time
    document.getElementById("action-" + name).scrollIntoView({ block: "start" });
    return true;
  }

  function openClassification() {
    var details = document.getElementById("classification-details");
    if (details) { details.open = true; }
    var panel = document.getElementById("classification");
    if (panel) { panel.scrollIntoView({ block: "start" }); }
  }

  document.addEventListener("click", function (ev) {
    var el = ev.target.closest ? ev.target.closest("[data-open-action], [data-open-classification], a[href='#classification']") : null;
    if (!el) { return; }
    var name = el.getAttribute("data-open-action");
    if (name) {
      if (openAction(name)) { ev.preventDefault(); }
      return;
    }
    ev.preventDefault();
    openClassification();
  });

  document.addEventListener("DOMContentLoaded", function () {
    // A message about the action just taken shows in the header that stays, whatever section the page returned to.
    var head = document.getElementById("case-head");
    var notes = document.querySelector("body > ul.messages");
    if (head && notes) { head.appendChild(notes); }
    if (window.location.hash === "#classification") { openClassification(); }
    var proposal = document.getElementById("action-propose_solution");
    if (proposal) { proposal.setAttribute("data-bound", "1"); approverPreview(proposal); }
    tick();
    setInterval(tick, 60000);
    bindNotice("respond");
    bindNotice("review_decide");
  });
})();
