/* The tag vendor's promotion banner. It waits for the page's load event ("so that it never slows the
 * page down", as such vendors say), then fills the element with id "promo" at the top of the page. By then
 * the visitor is reading: if the page kept no space for it, everything below moves down by the banner's
 * height, and that movement is what CLS counts.
 */
(function () {
  "use strict";

  function show() {
    var slot = document.getElementById("promo");
    if (!slot || slot.firstChild) {
      return;
    }
    var banner = document.createElement("div");
    banner.className = "promo-banner";
    banner.innerHTML = "<strong>Members save 10% more</strong><span>Join free before Sunday and use code SPRING10.</span>";
    slot.appendChild(banner);
  }

  if (document.readyState === "complete") {
    show();
  } else {
    window.addEventListener("load", show);
  }
})();
