// Alpenglow's own script: the countdown, the category filters and the basket. It is small and
// loaded with defer, so it never holds up the first paint.
(function () {
  "use strict";

  var countdown = document.getElementById("countdown");
  var ends = new Date();
  ends.setDate(ends.getDate() + ((7 - ends.getDay()) % 7));
  ends.setHours(23, 59, 59, 0);

  function showCountdown() {
    var left = Math.max(0, ends - new Date());
    var days = Math.floor(left / 86400000);
    var hours = Math.floor((left % 86400000) / 3600000);
    // About as long as the text it replaces, on one line: the button below must not move.
    countdown.textContent = "Ends in " + days + " d " + hours + " h, Sunday";
  }

  if (countdown) {
    showCountdown();
    setInterval(showCountdown, 60000);
  }

  var cards = Array.prototype.slice.call(document.querySelectorAll(".card"));
  var filters = Array.prototype.slice.call(document.querySelectorAll("[data-filter]"));

  filters.forEach(function (button) {
    button.addEventListener("click", function () {
      var wanted = button.getAttribute("data-filter");
      filters.forEach(function (other) {
        other.setAttribute("aria-pressed", String(other === button));
      });
      cards.forEach(function (card) {
        card.hidden = wanted !== "all" && card.getAttribute("data-category") !== wanted;
      });
    });
  });

  var basket = [];
  var basketLine = document.getElementById("basket");
  document.querySelectorAll(".add").forEach(function (button) {
    button.addEventListener("click", function () {
      basket.push(button.getAttribute("data-sku"));
      basketLine.textContent = "Your basket: " + basket.length + (basket.length === 1 ? " item." : " items.");
    });
  });

  var cta = document.getElementById("cta");
  if (cta) {
    cta.addEventListener("click", function () {
      // The visitor sees at once that the tap worked: the button says so in the next frame.
      cta.textContent = "Here is the sale";
      document.getElementById("products").scrollIntoView({ behavior: "instant", block: "start" });
    });
  }
})();
