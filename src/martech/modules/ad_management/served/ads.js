// The page's ad tag, in three steps for each slot:
// 1. ask the ad server for an ad (the ad server counts an impression when it answers);
// 2. show the creative; when the image has loaded, tell the page's own counter (/render);
// 3. measure viewability as the MRC defines it for display ads: at least 50% of the ad's
//    pixels in view, on a visible tab, for one continuous second after it rendered (/viewable).
(function () {
  "use strict";
  var NEEDED_RATIO = 0.5;     // 50% of the pixels
  var NEEDED_MS = 1000;       // one continuous second (two for video)

  function beacon(path) {
    // keepalive: the request still goes if the visitor leaves the page right now
    fetch(path, { keepalive: true, cache: "no-store" }).catch(function () {});
  }

  // The share of the element's pixels inside the window right now, from 0 to 1.
  function shareInView(element) {
    var box = element.getBoundingClientRect();
    var width = Math.max(0, Math.min(box.right, innerWidth) - Math.max(box.left, 0));
    var height = Math.max(0, Math.min(box.bottom, innerHeight) - Math.max(box.top, 0));
    return box.width && box.height ? (width * height) / (box.width * box.height) : 0;
  }

  function measure(slot, imp) {
    var timer = null;
    var start = 0;
    var state = slot.querySelector(".ad-state");
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var inView = entry.intersectionRatio >= NEEDED_RATIO && document.visibilityState === "visible";
        if (inView && timer === null) {
          start = performance.now();
          timer = setTimeout(function () {
            timer = null;
            if (shareInView(image) < NEEDED_RATIO || document.visibilityState !== "visible") {
              return;               // it left the view and the observer has not said so yet
            }
            observer.disconnect();
            state.textContent = "Viewable: 50% in view for 1 second";
            beacon("/viewable?imp=" + imp + "&ms=" + Math.round(performance.now() - start));
          }, NEEDED_MS);
        } else if (!inView && timer !== null) {
          clearTimeout(timer);        // the second must be continuous: start again next time
          timer = null;
        }
      });
    }, { threshold: [0, NEEDED_RATIO, 1] });
    var image = slot.querySelector("img");
    observer.observe(image);
  }

  function fill(slot) {
    var name = slot.getAttribute("data-slot");
    fetch("/ad?slot=" + name + "&page=" + encodeURIComponent(location.pathname), { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (ad) {
        var link = document.createElement("a");
        link.href = ad.click;
        var image = document.createElement("img");
        image.alt = "Ad: " + ad.source;
        image.width = 300;
        image.height = 250;
        image.addEventListener("load", function () {
          beacon("/render?imp=" + ad.imp);
          measure(slot, ad.imp);
        });
        image.src = ad.creative;
        link.appendChild(image);
        var state = document.createElement("p");
        state.className = "ad-state";
        state.textContent = ad.imp + " from " + ad.source;
        slot.appendChild(link);
        slot.appendChild(state);
      })
      .catch(function () {});
  }

  document.querySelectorAll(".slot").forEach(fill);
})();
