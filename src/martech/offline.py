"""The built site as one ZIP file, to read offline: ``martech offline-site`` (after the site generator).

    make site   =   martech build-pages  +  martech build-site  +  martech offline-site site

It writes ``<site>/downloads/web-technology-for-marketers-offline.zip`` (linked from Start here),
so the published site carries it. The copy in the ZIP differs from the site in one way: each link
to a page's folder (``../caching/``) names the folder's ``index.html``, because a browser that
opens files from disk shows a folder as a list of files, not as its page. The same copy works
served, e.g. ``python -m http.server``. Search needs that: both engines run it in a web worker,
which a page opened from disk may not start. So that such a page neither fails to load the index
(Material asks for search/search_index.js there, Zensical for search.js) nor says "Initializing
search" for ever, the copy has that file and a line that says where to read about search instead.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from martech import inbrowser

ARCHIVE = "web-technology-for-marketers-offline"
# Not in the copy: the in-browser exercises' Python (14 MB; martech.inbrowser), which a page opened
# from disk cannot start, and which would double the copy (Start here: "under 10 MB").
RUNTIME = inbrowser.SITE_FOLDER
# Already compressed: storing them again compressed only costs time.
STORED = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".zip", ".gz", ".woff", ".woff2"}
HREF = re.compile(r'(\shref=")([^"]*)(")')
# Opened from disk, neither engine's search can start its web worker. Say so where each shows
# what search is doing: under Material's search box; in the status line of Zensical's search
# dialog, which it draws (in a shadow root) when search opens, and which would otherwise say
# "Search is unavailable. Reload the page to try again." (a reload does not help).
FROM_DISK = """<script>
if (location.protocol === "file:") (function () {
  var note = "Search works only when the site is served: see HOW-TO-READ-OFFLINE.txt";
  function say(root) {
    root.querySelectorAll(".md-search-result__meta, dialog [role=status]").forEach(function (line) {
      if (line.textContent !== note) line.textContent = note;
    });
  }
  function watch(host) {
    if (!host.shadowRoot || host.watched) return;
    host.watched = true;
    say(host.shadowRoot);
    new MutationObserver(function () { say(host.shadowRoot); })
      .observe(host.shadowRoot, {childList: true, subtree: true, characterData: true});
  }
  say(document);
  [].forEach.call(document.body.children, watch);
  new MutationObserver(function () { [].forEach.call(document.body.children, watch); })
    .observe(document.body, {childList: true});
})();
</script>
</body>"""

HOW_TO_READ = """\
Web technology for marketers: the course site, to read offline.

Open index.html in this folder with your web browser. Every page, diagram and quiz works, and
so does every download. Search does not: a browser lets a page opened from a file load no other file's data.

For search too, serve the folder on your own computer. In a terminal in this folder, type
    python -m http.server 8000 --bind 127.0.0.1
(on Windows: py -m http.server 8000 --bind 127.0.0.1), open http://127.0.0.1:8000/ in your
browser, and press Ctrl+C in the terminal when you are done.
"""


STAND_IN = """\
This is a stand-in. The copy of the site to read offline is made after the site is built
(make site does it, with martech offline-site site); the published site has the real one here.
"""


def write_stand_in(docs: Path) -> Path:
    """A stand-in for the offline ZIP in ``docs``/downloads/, written before the site is built
    (by martech build-pages), so that Start here links to it as Markdown does: both engines check
    such a link and make it relative to the built page alike. (A raw <a href> would not do:
    Zensical re-bases it as it does a Markdown link, MkDocs leaves it as written.) offline_site
    writes the real ZIP over the stand-in's copy in the built site."""
    target = Path(docs) / "downloads" / f"{ARCHIVE}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(f"{ARCHIVE}/HOW-TO-READ-OFFLINE.txt", STAND_IN)
    return target


def file_links(html: str) -> str:
    """The page with each link to a folder of the site ('../caching/', '..') pointing at its index.html."""

    def to_index(match: re.Match) -> str:
        url = match.group(2)
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith("/") or not parts.path:
            return match.group(0)
        path = parts.path
        if path.endswith("/"):
            path += "index.html"
        elif path.split("/")[-1] in (".", ".."):
            path += "/index.html"
        else:
            return match.group(0)
        return match.group(1) + urlunsplit(("", "", path, parts.query, parts.fragment)) + match.group(3)

    head, body_end, tail = HREF.sub(to_index, html).rpartition("</body>")
    return head + FROM_DISK + tail if body_end else tail


def offline_site(site: Path) -> Path:
    """Write the offline ZIP of the built ``site`` into its downloads/ folder; return its path."""
    site = Path(site)
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"{site} holds no built site (no index.html): build it first, e.g. make site.")
    target = site / "downloads" / f"{ARCHIVE}.zip"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{ARCHIVE}/HOW-TO-READ-OFFLINE.txt", HOW_TO_READ)
        # What each engine's search reads from disk instead of its index (as Material's offline plugin writes it).
        for index, script in (("search/search_index.json", "search/search_index.js"), ("search.json", "search.js")):
            if (site / index).is_file():
                archive.writestr(f"{ARCHIVE}/{script}", "var __index = " + (site / index).read_text(encoding="utf-8"))
        for path in sorted(site.rglob("*")):
            if not path.is_file() or path in (target, partial) or path.parent.relative_to(site) == RUNTIME:
                continue
            name = f"{ARCHIVE}/{path.relative_to(site).as_posix()}"
            if path.suffix == ".html":
                archive.writestr(name, file_links(path.read_text(encoding="utf-8")))
            else:
                archive.write(path, name, zipfile.ZIP_STORED if path.suffix.lower() in STORED else zipfile.ZIP_DEFLATED)
    partial.replace(target)
    return target
