/* Keyboard shortcuts: "/" focuses search; j and k (or the right and left arrow keys) go to
   the next (older) and previous (newer) article; on listings j and k move between entries.
   Reading never needs this file. */
(function () {
  "use strict";
  function isTyping(target) {
    if (!target || !target.tagName) {
      return false;
    }
    var tag = target.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }
  function searchBox() {
    return document.querySelector(".pagefind-ui__search-input") ||
      document.getElementById("site-search-input");
  }
  function follow(selector) {
    var link = document.querySelector(selector);
    if (link && link.href) {
      window.location.href = link.href;
      return true;
    }
    return false;
  }
  function moveInList(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll(".entry__title a"));
    if (!links.length) {
      return false;
    }
    var index = links.indexOf(document.activeElement);
    var target = index === -1 ? (step > 0 ? 0 : links.length - 1) : index + step;
    if (target < 0 || target >= links.length) {
      return follow('.pagination a[rel="' + (step > 0 ? "next" : "prev") + '"]');
    }
    links[target].focus();
    return true;
  }
  function goTo(rel) {
    return follow('.article-nav a[rel="' + rel + '"]');
  }
  function handle(key) {
    if (key === "/") {
      var box = searchBox();
      if (box) {
        box.focus();
        return true;
      }
      return false;
    }
    var onArticle = document.querySelector(".article-nav") !== null;
    if (key === "j" || key === "k") {
      var rel = key === "j" ? "next" : "prev";
      return onArticle ? goTo(rel) : moveInList(key === "j" ? 1 : -1);
    }
    if (key === "ArrowRight" || key === "ArrowLeft") {
      var way = key === "ArrowRight" ? "next" : "prev";
      return onArticle ? goTo(way) : follow('.pagination a[rel="' + way + '"]');
    }
    return false;
  }
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey ||
        event.shiftKey || isTyping(event.target)) {
      return;
    }
    if (handle(event.key)) {
      event.preventDefault();
    }
  });
})();
