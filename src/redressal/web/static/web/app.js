// Workbench behaviour that needs a script. Loaded as a file: the CSP forbids inline script.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    document.dispatchEvent(new CustomEvent("redressal:ready"));
  });
})();
