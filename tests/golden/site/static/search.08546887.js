/* Search page: Pagefind's UI over the bundle in pagefind/, with the query from ?q=. */
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
  var ui = new window.PagefindUI({
    element: "#search",
    baseUrl: root.pathname,
    bundlePath: new URL("pagefind/", root).pathname,
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
})();
