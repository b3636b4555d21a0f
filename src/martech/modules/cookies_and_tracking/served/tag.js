(function () {
  // The ad tag: it loads a pixel from adtech (a third-party request that may carry adtech's cookie)
  // and adds a fingerprint, made from what any script can read about the browser and the computer.
  var parts = [navigator.userAgent, navigator.language, screen.width + "x" + screen.height,
               screen.colorDepth, new Date().getTimezoneOffset(), navigator.hardwareConcurrency];
  var canvas = document.createElement("canvas"), ctx = canvas.getContext("2d");
  ctx.font = "16px sans-serif"; ctx.fillText("adtech fingerprint", 2, 16);
  parts.push(canvas.toDataURL());
  var text = parts.join("|"), hash = 0;
  for (var i = 0; i < text.length; i++) { hash = (hash * 31 + text.charCodeAt(i)) >>> 0; }
  new Image(1, 1).src = "{{ pixel }}?site=" + encodeURIComponent(location.hostname) +
    "&page=" + encodeURIComponent(location.pathname) + "&fp=" + hash.toString(16);
})();
