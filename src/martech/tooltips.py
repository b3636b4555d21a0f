"""A Markdown extension: a glossary tooltip on the first use of each term on a page, not on every use.

The ``abbr`` extension wraps every use of every glossary term in ``<abbr title>``; on a lesson
that says "server" a hundred times that is a sea of dotted underlines, and a theme that makes
every ``<abbr>`` a tooltip pays for each one when the page loads. Pruning here, at build time,
leaves the browser only the first use per term. mkdocs.yml lists it as ``martech.tooltips``;
both MkDocs and Zensical run Markdown extensions.
"""

from __future__ import annotations

from markdown import Extension
from markdown.treeprocessors import Treeprocessor


class FirstUseOnly(Treeprocessor):
    def run(self, root):
        seen: set[str] = set()
        later = []
        for element in root.iter("abbr"):  # document order
            if element.text in seen:
                later.append(element)
            seen.add(element.text)
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in later:
            _unwrap(parents[element], element)


def _unwrap(parent, element) -> None:
    """Replace ``element`` by its text, keeping the text that followed it."""
    text = (element.text or "") + (element.tail or "")
    index = list(parent).index(element)
    if index:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(element)


class TooltipsExtension(Extension):
    def extendMarkdown(self, md):
        # After abbr (priority 7) has marked every use, before the tree is serialised.
        md.treeprocessors.register(FirstUseOnly(md), "first_use_tooltips", 6)


def makeExtension(**kwargs):
    return TooltipsExtension(**kwargs)
