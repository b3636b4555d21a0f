"""Markdown extensions for the lesson pages, listed in mkdocs.yml as ``martech.lesson_markdown``.

They run at build time, so the browser gets finished HTML and both engines (MkDocs and
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
- search sections. Both engines' search cut a page into sections at headings with an id. A
  glossary written as one definition list was one section that matched nearly every query: in
  the block marked ``data-glossary`` it is cut into one list per letter, each under a heading.
  (Not one heading per term: Zensical ranks a heading that matches first, and has no boost to
  lower the glossary's, so a term's definition would come before the lesson that explains it.)
  A lesson's ``## Sources`` is a list of link titles full of the lesson's words, which
  outranked the sections that explain them: it stays out of search.
"""

from __future__ import annotations

import functools
import os
import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.postprocessors import Postprocessor
from markdown.extensions.toc import slugify as slugify_default
from markdown.extensions.toc import unique
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
    """A paragraph that holds nothing but an SVG image becomes a scrollable, enlargeable figure,
    its words in the language being built (COURSE_LANGUAGE, set by martech.engines)."""

    @functools.cached_property
    def words(self) -> dict:
        from martech import anatomy, translations

        return translations.interface(anatomy.project_root(), os.environ.get("COURSE_LANGUAGE") or None)

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
                "aria-label": self.words["diagram"].format(description=image.get("alt", ""))})
            frame.append(image)
            caption = etree.SubElement(paragraph, "figcaption")
            link = etree.SubElement(caption, "a", {"href": image.get("src")})
            link.text = self.words["open_diagram"]


class FocusableCode(Postprocessor):
    def run(self, text):
        return CODE_BLOCK.sub(r'\1<code tabindex="0">', text)


class GlossaryByLetter(Treeprocessor):
    """In the element marked ``data-glossary``, each definition list becomes one list per first
    letter, each under an ``<h2>`` of that letter, and each term gets an id of its own, so that
    a link can point at it (glossary/#cdn)."""

    def run(self, root):
        toc = self.md.treeprocessors["toc"] if "toc" in self.md.treeprocessors else None
        slugify = getattr(toc, "slugify", None) or slugify_default
        ids = {element.get("id") for element in root.iter() if element.get("id")}
        parents = {child: parent for parent in root.iter() for child in parent}
        for block in [e for e in root.iter() if e.get("data-glossary") is not None]:
            for listing in list(block.iter("dl")):
                letters: dict[str, list] = {}
                letter = "0–9"
                for item in list(listing):
                    if item.tag == "dt":
                        term = "".join(item.itertext())
                        letter = term[:1].upper() if term[:1].isalpha() else "0–9"
                        item.set("id", unique(slugify(term, "-"), ids))
                    letters.setdefault(letter, []).append(item)
                parent = parents[listing]
                at = list(parent).index(listing)
                parent.remove(listing)
                for letter in sorted(letters, key=lambda name: (name != "0–9", name)):
                    items = letters[letter]
                    heading = etree.Element("h2", {"id": unique(slugify(letter, "-"), ids)})
                    part = etree.Element("dl")
                    heading.text, heading.tail, part.text, part.tail = letter, "\n", "\n", "\n"
                    part.extend(items)
                    parent[at:at] = [heading, part]
                    at += 2


class SourcesOutOfSearch(Treeprocessor):
    """``## Sources`` (every lesson has one) is marked ``data-search-exclude``, which both
    engines read: the section stays on the page and out of the search index."""

    def run(self, root):
        for heading in root.iter("h2"):
            if (heading.text or "").strip() == "Sources":  # the permalink toc adds comes after
                heading.set("data-search-exclude", "")


class LessonMarkdown(Extension):
    def extendMarkdown(self, md):
        # After abbr (priority 7) has marked every use, before the tree is serialised.
        md.treeprocessors.register(FirstUseOnly(md), "first_use_tooltips", 6)
        md.treeprocessors.register(Diagrams(md), "phone_diagrams", 5)
        # After raw_html (priority 30) has put the highlighted code blocks back into the page.
        md.postprocessors.register(FocusableCode(md), "focusable_code", 5)
        # After toc (priority 5): the letters stay out of the page's table of contents, whose
        # script reads where each heading sits; on a page this long that added about 100 ms of
        # blocking time (Lighthouse). And toc's permalink comes after the text "Sources".
        md.treeprocessors.register(GlossaryByLetter(md), "glossary_by_letter", 4)
        md.treeprocessors.register(SourcesOutOfSearch(md), "sources_out_of_search", 4)


def makeExtension(**kwargs):
    return LessonMarkdown(**kwargs)
