/* Search page: Pagefind's UI over the bundles listed in pagefind/gleanery-bundles.json
   (the index split into parts, merged), with the query from ?q=. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box) {
    return;
  }
  function show(id) {
    var element = document.getElementById(id);
    if (element) {
      element.hidden = false;
    }
  }
  if (window.location.protocol === "file:") {
    show("search-file-message");
    return;
  }
  if (typeof window.PagefindUI !== "function") {
    show("search-missing-message");
    return;
  }
  var root = new URL(box.getAttribute("data-root") || "./", window.location.href);
  var data = box.dataset;
  function start(bundles) {
    if (!bundles.length) {
      show("search-missing-message");
      return;
    }
    var paths = bundles.map(function (bundle) {
      return new URL("pagefind/" + bundle, root).pathname;
    });
    var ui = new window.PagefindUI({
      element: "#search",
      baseUrl: root.pathname,
      bundlePath: paths[0],
      mergeIndex: paths.slice(1).map(function (path) {
        return { bundlePath: path, baseUrl: root.pathname };
      }),
      showImages: false,
      showSubResults: false,
      showEmptyFilters: false,
      autofocus: true,
      translations: {
        placeholder: data.placeholder,
        zero_results: data.zeroResults,
        many_results: data.manyResults,
        one_result: data.oneResult,
        filters_label: data.filters,
        load_more: data.loadMore
      }
    });
    function labelInput() {
      var input = box.querySelector(".pagefind-ui__search-input");
      if (input && input.getAttribute("aria-label") !== data.label) {
        input.setAttribute("aria-label", data.label);
      }
    }
    new MutationObserver(labelInput).observe(box, { childList: true, subtree: true });
    labelInput();
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      ui.triggerSearch(query);
    }
  }
  fetch(new URL("pagefind/gleanery-bundles.json", root))
    .then(function (response) {
      return response.ok ? response.json() : { bundles: [] };
    })
    .then(function (manifest) {
      start(manifest.bundles || []);
    }, function () {
      show("search-missing-message");
    });
})();
