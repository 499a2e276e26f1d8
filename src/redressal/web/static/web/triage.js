// Mass-incident page behaviour. Loaded as a file: the CSP forbids inline script.
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
})();
