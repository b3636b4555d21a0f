// Glossary tooltips (generated from docs/glossary.md) mark every use of a term. Keep the
// first use on each page and turn the rest back into plain text, so a page with "server"
// a hundred times is not a sea of dotted underlines.
(function () {
  var seen = {};
  document.querySelectorAll("article abbr[title]").forEach(function (abbr) {
    var term = abbr.textContent;
    if (seen[term]) {
      abbr.replaceWith(document.createTextNode(term));
    } else {
      seen[term] = true;
    }
  });
})();
