// Material for MkDocs 9 renders its search as role="dialog" without a name (axe:
// aria-dialog-name). Zensical's own markup already has one, so overriding the template
// would break Zensical's search: name the dialog here instead, only where it is unnamed.
document.querySelectorAll('.md-search[role="dialog"]:not([aria-label]):not([aria-labelledby])')
  .forEach(function (dialog) { dialog.setAttribute("aria-label", "Search"); });
