(function () {
  // A first-party analytics cookie, written by this script (so it cannot be HttpOnly).
  var id = "{{ visitor }}";
  document.cookie = "_stats=" + id + "; Max-Age={{ max_age }}; Path=/; SameSite=Lax" +
    (location.protocol === "https:" ? "; Secure" : "");
  // localStorage: kept by the browser, never sent by itself; a script must read it and send it.
  var visits = Number(localStorage.getItem("stats_visits") || 0) + 1;
  localStorage.setItem("stats_visits", String(visits));
  new Image().src = "/collect?page=" + encodeURIComponent(location.pathname) + "&visits=" + visits + "&id=" + id;
})();
