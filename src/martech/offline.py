"""The built site as one ZIP file, to read offline: ``martech offline-site`` (after the site generator).

    make site   =   martech build-pages  +  mkdocs build --strict  +  martech offline-site site

It writes ``<site>/downloads/web-technology-for-marketers-offline.zip`` (linked from Start here),
so the published site carries it. The copy in the ZIP differs from the site in one way: each link
to a page's folder (``../caching/``) names the folder's ``index.html``, because a browser that
opens files from disk shows a folder as a list of files, not as its page. The same copy works
served, e.g. ``python -m http.server``. Search needs that: Material runs it in a web worker, which
a page opened from disk may not start. So that such a page neither fails to load the index (it asks
for search/search_index.js there) nor says "Initializing search" for ever, the copy has that file
and a line that says where to read about search instead.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ARCHIVE = "web-technology-for-marketers-offline"
# Already compressed: storing them again compressed only costs time.
STORED = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".zip", ".gz", ".woff", ".woff2"}
HREF = re.compile(r'(\shref=")([^"]*)(")')
FROM_DISK = ('<script>if (location.protocol === "file:") document.querySelectorAll(".md-search-result__meta")'
             '.forEach(function (m) { m.textContent = "Search works only when the site is served: '
             'see HOW-TO-READ-OFFLINE.txt"; });</script>\n</body>')

HOW_TO_READ = """\
Web technology for marketers: the course site, to read offline.

Open index.html in this folder with your web browser. Every page, diagram and quiz works, and
so does every download. Search does not: a browser lets a page opened from a file load no other file's data.

For search too, serve the folder on your own computer. In a terminal in this folder, type
    python -m http.server 8000 --bind 127.0.0.1
(on Windows: py -m http.server 8000 --bind 127.0.0.1), open http://127.0.0.1:8000/ in your
browser, and press Ctrl+C in the terminal when you are done.
"""


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
        index = site / "search" / "search_index.json"
        if index.is_file():  # what Material's search reads from disk (as its offline plugin writes it)
            archive.writestr(f"{ARCHIVE}/search/search_index.js", "var __index = " + index.read_text(encoding="utf-8"))
        for path in sorted(site.rglob("*")):
            if not path.is_file() or path in (target, partial):
                continue
            name = f"{ARCHIVE}/{path.relative_to(site).as_posix()}"
            if path.suffix == ".html":
                archive.writestr(name, file_links(path.read_text(encoding="utf-8")))
            else:
                archive.write(path, name, zipfile.ZIP_STORED if path.suffix.lower() in STORED else zipfile.ZIP_DEFLATED)
    partial.replace(target)
    return target
