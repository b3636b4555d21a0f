/* HeatTrack, the tag vendor's heatmap script (a demo vendor on this computer: it sends nothing anywhere).
 *
 * Like real session-replay and heatmap tags, it watches every click and takes a snapshot of the page
 * for each one, on the main thread, before the browser may paint the click's result. When it starts, it
 * reads the page to set itself up. This demo spends a fixed 100 ms starting and 250 ms per click, so that
 * the cost is the same on every computer: a real tag's cost varies with the page and the phone.
 */
(function () {
  "use strict";

  var START_COST_MS = 100;
  var CLICK_COST_MS = 250;
  var events = [];

  function describe(node) {
    var parts = [];
    while (node && node.nodeType === 1 && parts.length < 6) {
      parts.unshift(node.tagName.toLowerCase() + (node.id ? "#" + node.id : ""));
      node = node.parentNode;
    }
    return parts.join(" > ");
  }

  function snapshot(budget) {
    // Walk the page over and over, as a replay tool serialises it, until the time is spent.
    var started = performance.now();
    var size = 0;
    while (performance.now() - started < budget) {
      var walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_ELEMENT);
      while (walker.nextNode()) {
        size += walker.currentNode.attributes.length;
      }
    }
    return size;
  }

  function record(event) {
    events.push({ target: describe(event.target), x: event.clientX, y: event.clientY, size: snapshot(CLICK_COST_MS) });
  }

  snapshot(START_COST_MS);
  // Capture phase: the tag's work runs before the page's own click handlers.
  document.addEventListener("click", record, true);
  window.heatTrack = { events: events, version: "4.2.0" };
})();
