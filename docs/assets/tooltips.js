// Glossary tooltips: the definition of a term (an <abbr title>) under the pointer, a tap or
// the focus, drawn with the theme's own tooltip classes, so it looks like Material's.
// Why not Material's content.tooltips: it starts a tooltip for every element with a title as
// the page opens, each with its own listeners. On a notebook page with some forty of them that
// was most of the work a first tap had to wait for (Lighthouse total blocking time about
// 170 ms, against about 60 ms without). This script starts nothing until a reader points at
// a term: one listener for the page, one tooltip at a time. Escape hides it (WCAG 1.4.13), and
// the pointer can move onto it without it going away.
(function () {
  var TERM = ".md-typeset abbr[title], .md-typeset abbr[data-title]";
  var host = null, tip = null, leaving = 0;

  function show(term) {
    clearTimeout(leaving);
    if (term === host) return;
    hide();
    var text = term.getAttribute("title");
    if (!text) return;
    host = term;
    // The title moves aside while the tooltip shows, or the browser would draw its own too.
    term.setAttribute("data-title", text);
    term.removeAttribute("title");
    tip = document.createElement("div");
    tip.className = "md-tooltip2 md-tooltip2--bottom";
    tip.id = "glossary-tooltip";
    tip.setAttribute("role", "tooltip");
    var inner = document.createElement("div");
    inner.className = "md-tooltip2__inner md-typeset";
    inner.textContent = text;
    tip.appendChild(inner);
    document.body.appendChild(tip);
    // The same custom properties Material sets for its tooltips (see its tooltip2 component).
    var box = term.getBoundingClientRect();
    var place = {
      "--md-tooltip-host-x": box.left + window.scrollX, "--md-tooltip-host-y": box.top + window.scrollY,
      "--md-tooltip-x": box.width / 2, "--md-tooltip-y": 8 + box.height,
      "--md-tooltip-width": inner.getBoundingClientRect().width, "--md-tooltip-tail": 0
    };
    for (var name in place) tip.style.setProperty(name, place[name] + "px");
    term.setAttribute("aria-describedby", tip.id);
    var shown = tip;
    // A frame later, so that the theme's fade-in runs.
    requestAnimationFrame(function () { shown.classList.add("md-tooltip2--active"); });
  }

  function hide() {
    clearTimeout(leaving);
    if (!host) return;
    host.setAttribute("title", host.getAttribute("data-title"));
    host.removeAttribute("data-title");
    host.removeAttribute("aria-describedby");
    tip.remove();
    host = tip = null;
  }

  // As Material does: a moment's grace, so the pointer can cross the gap onto the tooltip.
  function hideSoon() {
    clearTimeout(leaving);
    leaving = setTimeout(hide, 250);
  }

  function termAt(target) {
    return target && target.closest ? target.closest(TERM) : null;
  }

  document.addEventListener("pointerover", function (event) {
    var term = termAt(event.target);
    if (term) show(term);
    else if (host && !(event.target.closest && event.target.closest("#glossary-tooltip"))) hideSoon();
  });
  document.addEventListener("focusin", function (event) {
    var term = termAt(event.target);
    if (term) show(term);
    else hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
  // Pointer or focus leaving the window, or the page scrolling under a tooltip shown by a tap.
  window.addEventListener("blur", hide);
  window.addEventListener("scroll", function () { if (host && !host.matches(":hover")) hide(); }, { passive: true });
})();
