"""Markdown extensions for the lesson pages, listed in mkdocs.yml as ``martech.lesson_markdown``.

Both run at build time, so the browser gets finished HTML and both engines (MkDocs and
Zensical, which run Markdown extensions but not MkDocs plugins) produce the same page:

- glossary tooltips on the first use of each term per page. The ``abbr`` extension wraps every
  use; on a lesson that says "server" a hundred times that is a sea of dotted underlines, and a
  theme that makes every ``<abbr>`` a tooltip pays for each one when the page loads.
- diagrams readable on a phone. An SVG shrunk to a 375 px screen has text about 6 px high: on
  narrow screens a diagram keeps its drawn size and scrolls sideways in a frame that the
  keyboard can scroll too, and a link under it opens it full size.
- code blocks the keyboard can reach. Material makes a code block that scrolls sideways
  focusable when it starts the block, and it starts each block only as it comes into view
  (``content.lazy``, which keeps a page with many blocks quick to answer a tap). Until then every
  block is focusable; Material takes that away from those that need no scrolling.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

CODE_BLOCK = re.compile(r"(<pre[^>]*>(?:<span></span>)?)<code>")


class FirstUseOnly(Treeprocessor):
    """Inside an element marked ``data-no-tooltips`` (the glossary, which defines every term
    in plain sight), no tooltips at all."""

    def run(self, root):
        seen: set[str] = set()
        later = []
        for element in root.iter("abbr"):  # document order
            if element.text in seen:
                later.append(element)
            seen.add(element.text)
        for quiet in root.iter():
            if quiet.get("data-no-tooltips") is not None:
                later += [element for element in quiet.iter("abbr") if element not in later]
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


class Diagrams(Treeprocessor):
    """A paragraph that holds nothing but an SVG image becomes a scrollable, enlargeable figure."""

    def run(self, root):
        for paragraph in list(root.iter("p")):
            images = list(paragraph)
            if (len(images) != 1 or images[0].tag != "img" or (paragraph.text or "").strip()
                    or (images[0].tail or "").strip() or not images[0].get("src", "").endswith(".svg")):
                continue
            image = images[0]
            paragraph.remove(image)
            paragraph.tag, paragraph.attrib = "figure", {"class": "diagram"}
            frame = etree.SubElement(paragraph, "div", {
                "class": "diagram-frame", "tabindex": "0", "role": "group",
                "aria-label": f"Diagram: {image.get('alt', '')}"})
            frame.append(image)
            caption = etree.SubElement(paragraph, "figcaption")
            link = etree.SubElement(caption, "a", {"href": image.get("src")})
            link.text = "Open the diagram full size"


class FocusableCode(Postprocessor):
    def run(self, text):
        return CODE_BLOCK.sub(r'\1<code tabindex="0">', text)


class LessonMarkdown(Extension):
    def extendMarkdown(self, md):
        # After abbr (priority 7) has marked every use, before the tree is serialised.
        md.treeprocessors.register(FirstUseOnly(md), "first_use_tooltips", 6)
        md.treeprocessors.register(Diagrams(md), "phone_diagrams", 5)
        # After raw_html (priority 30) has put the highlighted code blocks back into the page.
        md.postprocessors.register(FocusableCode(md), "focusable_code", 5)


def makeExtension(**kwargs):
    return LessonMarkdown(**kwargs)
