// Registration: show the regulator block only for forwarded cases, the answer block only for
// consultations and suggestions; Ctrl+Enter submits from a textarea; clearing a picked customer.
(function () {
  "use strict";

  function sync() {
    var form = document.getElementById("register-form");
    if (!form) return;
    var source = form.querySelector("[name=source]");
    var type = form.querySelector("[name=request_type]");
    var channel = form.querySelector("[name=channel]");
    var reg = document.getElementById("regulator-fields");
    if (reg && source) reg.hidden = source.value !== reg.dataset.showWhenSource && !reg.querySelector(".has-error");
    var ans = document.getElementById("answer-fields");
    if (ans && type) ans.hidden = ans.dataset.showWhenType.split(" ").indexOf(type.value) < 0 && !ans.querySelector(".has-error");
    var received = document.getElementById("f-received_at");
    if (received && channel) received.classList.toggle("letter", channel.value === "letter");
  }

  document.addEventListener("change", function (ev) {
    if (ev.target.closest && ev.target.closest("#register-form")) sync();
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey) && ev.target.tagName === "TEXTAREA") {
      var form = ev.target.form;
      if (form) { ev.preventDefault(); form.requestSubmit(); }
    }
  });
  document.addEventListener("click", function (ev) {
    if (ev.target.matches && ev.target.matches("[data-clear-customer]")) {
      var box = document.getElementById("customer-picked");
      if (box) box.innerHTML = "";
    }
  });
  document.addEventListener("DOMContentLoaded", sync);
  document.addEventListener("htmx:afterSwap", sync);
})();
