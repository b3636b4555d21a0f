// What the course's browser helper adds to each page it measures (before the page's own scripts run).
// It reads the browser's own measurements, as web.dev's web-vitals library does:
//   paint                     First Contentful Paint
//   largest-contentful-paint  LCP: when the largest picture or text block in view was painted
//   layout-shift              CLS: the largest burst of unexpected movement (session windows)
//   event, first-input        INP: from the start of a click until the next frame is painted
//   element                   when the text marked elementtiming="headline" was first painted
(function () {
  "use strict";

  var v = (window.__vitals = {
    fcp: null, headline: null, lcp: null, lcpElement: null, cls: 0, shifts: [], inp: 0, interactions: 0, firstInput: false
  });

  function describe(node) {
    if (!node || node.nodeType !== 1) {
      return node && node.nodeType === 3 ? describe(node.parentNode) : "";
    }
    var part = node.closest ? node.closest("[data-part]") : null;
    if (part) {
      return part.getAttribute("data-part");
    }
    return node.tagName.toLowerCase() + (node.id ? "#" + node.id : "");
  }

  function observe(type, handle, options) {
    try {
      var observer = new PerformanceObserver(function (list) {
        list.getEntries().forEach(handle);
      });
      var settings = { type: type, buffered: true };
      for (var key in options || {}) {
        settings[key] = options[key];
      }
      observer.observe(settings);
    } catch (error) {
      // An older browser without this entry type: that measurement stays empty.
    }
  }

  observe("paint", function (entry) {
    if (entry.name === "first-contentful-paint") {
      v.fcp = entry.startTime;
    }
  });

  observe("largest-contentful-paint", function (entry) {
    v.lcp = entry.startTime;
    v.lcpElement = describe(entry.element);
  });

  // Text waiting for its web font in the font-display block period is not painted, so not reported yet.
  observe("element", function (entry) {
    if (entry.identifier === "headline" && v.headline === null) {
      v.headline = entry.renderTime || entry.loadTime;
    }
  });

  // CLS is the largest session window: shifts less than 1 s apart, in a window of at most 5 s.
  var window_ = { value: 0, first: 0, last: 0 };
  observe("layout-shift", function (entry) {
    if (entry.hadRecentInput) {
      return;
    }
    var moved = (entry.sources || []).map(function (source) { return describe(source.node); });
    v.shifts.push({ time: entry.startTime, value: entry.value, moved: moved });
    if (window_.value && entry.startTime - window_.last < 1000 && entry.startTime - window_.first < 5000) {
      window_.value += entry.value;
    } else {
      window_ = { value: entry.value, first: entry.startTime, last: entry.startTime };
    }
    window_.last = entry.startTime;
    v.cls = Math.max(v.cls, window_.value);
  });

  // With fewer than 50 interactions, INP is the slowest one.
  var seen = {};
  observe("event", function (entry) {
    if (entry.interactionId) {
      seen[entry.interactionId] = true;
      v.interactions = Object.keys(seen).length;
      v.inp = Math.max(v.inp, entry.duration);
    }
  }, { durationThreshold: 16 });

  observe("first-input", function (entry) {
    v.firstInput = true;
    v.inp = Math.max(v.inp, entry.duration);
  });
})();
