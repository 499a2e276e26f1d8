// Session idle warning (SPEC §13): one minute before the server ends an idle session, a banner offers
// to stay signed in. Reads data-idle-seconds on <body>; the ping is an ordinary authenticated POST.
(function () {
  "use strict";
  var WARN_BEFORE = 60;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  function start() {
    var body = document.body;
    var idle = parseInt(body.getAttribute("data-idle-seconds") || "", 10);
    var pingUrl = body.getAttribute("data-ping-url");
    if (!idle || idle <= WARN_BEFORE || !pingUrl || !document.getElementById("notif-badge")) {
      return; // not signed in, or no timeout configured
    }
    var warnTimer = null;
    var endTimer = null;
    var banner = null;

    function hideBanner() {
      if (banner) {
        banner.hidden = true;
      }
    }

    function showBanner() {
      if (!banner) {
        banner = document.createElement("div");
        banner.id = "idle-warning";
        banner.className = "idle-warning";
        banner.setAttribute("role", "alertdialog");
        banner.setAttribute("data-testid", "idle-warning");
        var text = document.createElement("span");
        text.textContent = body.getAttribute("data-idle-text") || "";
        var button = document.createElement("button");
        button.type = "button";
        button.id = "stay-signed-in";
        button.className = "primary";
        button.setAttribute("data-testid", "stay-signed-in");
        button.textContent = body.getAttribute("data-idle-button") || "OK";
        button.addEventListener("click", ping);
        banner.appendChild(text);
        banner.appendChild(button);
        document.body.insertBefore(banner, document.body.firstChild);
      }
      banner.hidden = false;
    }

    function expire() {
      window.location.reload(); // the server has ended the session: the login page follows
    }

    function reset() {
      hideBanner();
      window.clearTimeout(warnTimer);
      window.clearTimeout(endTimer);
      warnTimer = window.setTimeout(showBanner, (idle - WARN_BEFORE) * 1000);
      endTimer = window.setTimeout(expire, (idle + 2) * 1000);
    }

    function ping() {
      fetch(pingUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() }
      }).then(function (r) {
        if (r.ok) {
          reset();
        } else {
          expire();
        }
      });
    }

    // Anything the person does through htmx counts as activity; the badge poll does not.
    document.body.addEventListener("htmx:afterRequest", function (evt) {
      var cfg = evt.detail && evt.detail.requestConfig;
      var passive = cfg && cfg.headers && cfg.headers["X-Idle-Passive"];
      if (!passive) {
        reset();
      }
    });
    reset();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
