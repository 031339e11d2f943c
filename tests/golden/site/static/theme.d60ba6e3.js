// Colour-scheme toggle: system -> dark -> light -> sepia, remembered in localStorage.
// Reading needs no JavaScript: without it the page simply follows the system scheme.
(function () {
  "use strict";
  var KEY = "gleanery-scheme";
  var ORDER = ["system", "dark", "light", "sepia"];
  var root = document.documentElement;

  function stored() {
    try {
      var value = window.localStorage.getItem(KEY);
      return ORDER.indexOf(value) >= 0 ? value : "system";
    } catch (error) {
      return "system";
    }
  }

  function apply(scheme) {
    if (scheme === "system") {
      root.removeAttribute("data-scheme");
    } else {
      root.setAttribute("data-scheme", scheme);
    }
  }

  function label(button, scheme) {
    var name = button.getAttribute("data-name-" + scheme) || scheme;
    button.textContent = button.getAttribute("data-label").replace("{name}", name);
  }

  function remember(scheme) {
    try {
      window.localStorage.setItem(KEY, scheme);
    } catch (error) {
      // Storage may be disabled (private mode, file://): the choice lasts for this page only.
    }
  }

  function setUp() {
    var button = document.querySelector(".scheme-toggle");
    if (!button) {
      return;
    }
    var scheme = stored();
    label(button, scheme);
    button.hidden = false;
    button.addEventListener("click", function () {
      scheme = ORDER[(ORDER.indexOf(scheme) + 1) % ORDER.length];
      apply(scheme);
      remember(scheme);
      label(button, scheme);
    });
  }

  apply(stored());
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
