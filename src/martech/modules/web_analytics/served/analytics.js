(function () {
  // 1. A first-party cookie remembers this browser for 400 days: its "client id".
  var found = document.cookie.match(/(?:^|; )cid=([0-9A-Za-z._-]+)/);
  var cid = found ? found[1] : String(Math.floor(1e9 + Math.random() * 9e9));
  document.cookie = "cid=" + cid + "; path=/; max-age=34560000; SameSite=Lax";
  var variant = Number(cid.slice(-1)) % 2 ? "B" : "A";   // the A/B test: half see headline B
  var headline = document.querySelector("[data-headline-b]");
  if (headline && variant === "B") headline.textContent = headline.dataset.headlineB;
  var tags = new URLSearchParams(location.search);
  function data(event, extra) {
    var d = new URLSearchParams({event: event, page: location.pathname, client_id: cid, variant: variant});
    ["utm_source", "utm_medium", "utm_campaign"].forEach(function (k) { if (tags.get(k)) d.set(k, tags.get(k)); });
    if (document.referrer) d.set("referrer", document.referrer);
    Object.keys(extra || {}).forEach(function (k) { d.set(k, extra[k]); });
    return d;
  }
  // 2. The page view: a pixel, a 1x1 image whose address carries the data (GET).
  new Image(1, 1).src = "/collect?" + data("page_view");
  // 3. Everything else: a beacon (POST), which the browser sends even while the page closes.
  window.track = function (event, extra) { return navigator.sendBeacon("/collect", data(event, extra)); };
  var visibleSince = Date.now();
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      track("user_engagement", {engagement_ms: Date.now() - visibleSince});
    } else {
      visibleSince = Date.now();
    }
  });
})();
