"""Which translated pages follow an older English page, and which are missing.

A translation lives in ``i18n/<lang>/docs/``, at its English page's path in ``docs/``, except
that a page such as ``start-here.md`` is ``start-here/index.md`` there (``translated_path``), with
its technical words in ``i18n/<lang>/terms.yml``. Each translated page says in its front
matter which English file it follows, and the fingerprint of that file's text when it was
translated (the first 16 hex digits of its SHA-256, as ``sha256sum`` prints them)::

    translation:
      source: docs/how-the-web-works/index.md
      source_sha256: c863d0bd1cabd64f

When the English page changes, its fingerprint changes, and ``problems()`` names every page to
bring up to date. To update one: see what changed (``git log -p docs/<page>``), change the
translation to match, then write the new fingerprint (``sha256sum docs/<page> | cut -c1-16``).

The exercises' hints are translated in ``i18n/<lang>/hints.yml``: each English text a check
passes to ``martech.checks.say``, and its translation, with the same {placeholders}.
"""

from __future__ import annotations

import ast
import hashlib
import string
from pathlib import Path

from martech.anatomy import read_front_matter

# What every language translates, as paths under docs/: the bounded part of the course proven in
# every language first (issue "Languages"). Add a path here when a module is translated.
REQUIRED = ["index.md", "start-here.md", "glossary.md", "how-the-web-works/index.md"]
# The checks whose hints every language translates (hints.yml): the shared ones, and those of
# each module in REQUIRED. Add a module's checks.py here when its lesson is added there.
HINTS = ["src/martech/checks.py", "src/martech/modules/how_the_web_works/checks.py"]


def languages(root: Path) -> list[str]:
    """The languages the course has a translation folder for (i18n/<lang>/)."""
    folder = root / "i18n"
    return sorted(p.name for p in folder.iterdir() if (p / "docs").is_dir()) if folder.is_dir() else []


def translated_path(page: str) -> str:
    """Where a translation of docs/<page> lives under i18n/<lang>/docs/: start-here.md becomes
    start-here/index.md. A page's folder is then its address's folder, so that a link to the
    English site beside it (../../for-teams/) means the same to both engines: MkDocs reads such a
    link from the page's address, Zensical from the page's file."""
    return page if page == "index.md" or page.endswith("/index.md") else page.removesuffix(".md") + "/index.md"


def interface(root: Path, lang: str | None = None) -> dict:
    """The course's interface words (mkdocs.yml: extra.ui) in ``lang``, from its mkdocs.<lang>.yml,
    each word it does not give in English; ``lang`` None: English."""
    from martech.engines import load_config

    config = load_config(root / (f"mkdocs.{lang}.yml" if lang else "mkdocs.yml"))
    return (config.get("extra") or {}).get("ui") or {}


def address(page: str) -> str:
    """A page's address under its site's root: index.md is "", start-here.md "start-here/"."""
    return page.removesuffix("index.md").removesuffix(".md").strip("/") + "/" if page != "index.md" else ""


def switcher_pages() -> str:
    """The addresses every language has (REQUIRED), as the language switcher reads them
    (mkdocs.yml: extra.translated, overrides/partials/alternate.html): "||start-here/|...|"."""
    return "|" + "|".join(address(page) for page in REQUIRED) + "|"


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def problems(root: Path, lang: str) -> list[str]:
    """What a language's translation lacks or where it follows an older English page, in plain words."""
    found = []
    docs = root / "i18n" / lang / "docs"
    if not (root / "i18n" / lang / "terms.yml").is_file():
        found.append(f"{lang}: i18n/{lang}/terms.yml is missing: the technical words of this language, "
                     "which stay English and which are translated")
    found += _missing_words(root, lang)
    found += _missing_hints(root, lang)
    for page in REQUIRED:
        translated = docs / translated_path(page)
        where = f"i18n/{lang}/docs/{translated_path(page)}"
        if not translated.is_file():
            found.append(f"{lang}: {where} is missing: translate docs/{page}")
            continue
        try:
            meta, _ = read_front_matter(translated)
        except Exception as error:  # a broken front matter is one more thing to fix, not a crash
            found.append(f"{lang}: {where} has front matter that cannot be read ({error})")
            continue
        said = (meta or {}).get("translation") or {}
        source, recorded = said.get("source"), str(said.get("source_sha256") or "")
        if source != f"docs/{page}":
            found.append(f"{lang}: {where} should say which English page it follows: "
                         f"translation: source: docs/{page}")
            continue
        english = root / source
        if not english.is_file():
            found.append(f"{lang}: {where} follows docs/{page}, which no longer exists")
            continue
        now = fingerprint(english)
        if recorded != now:
            found.append(f"{lang}: {where} follows an older docs/{page} (fingerprint {recorded or 'missing'}, "
                         f"now {now}): see what changed with `git log -p docs/{page}`, update the "
                         f"translation, then set source_sha256: {now}")
    return found


def _missing_words(root: Path, lang: str) -> list[str]:
    """The interface words (mkdocs.yml: extra.ui) that mkdocs.<lang>.yml does not give itself."""
    from martech.engines import _yaml

    yaml, Loader, _ = _yaml()
    config = root / f"mkdocs.{lang}.yml"
    if not config.is_file():
        return [f"{lang}: mkdocs.{lang}.yml is missing: copy mkdocs.fi.yml and change its names and words"]

    def words(path: Path) -> set[str]:
        ui = ((yaml.load(path.read_text(encoding="utf-8"), Loader=Loader) or {}).get("extra") or {}).get("ui") or {}
        return {f"{key}.{inner}" if isinstance(value, dict) else key
                for key, value in ui.items() for inner in (value if isinstance(value, dict) else [None])}

    missing = sorted(words(root / "mkdocs.yml") - words(config))
    return [f"{lang}: mkdocs.{lang}.yml gives no words of its own for {', '.join(missing)} (extra.ui), "
            "so they show in English"] if missing else []


def hint_templates(root: Path) -> tuple[dict[str, str], list[str]]:
    """Each English text the checks in HINTS pass to say(), with where it is ("src/...py line 12"),
    and the say() calls whose text is not written out there, which no catalog can translate."""
    templates, unreadable = {}, []
    for name in HINTS:
        tree = ast.parse((root / name).read_text(encoding="utf-8"), filename=name)
        for call in sorted(ast.walk(tree), key=lambda node: getattr(node, "lineno", 0)):
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", getattr(call.func, "attr", None)) == "say"):
                continue
            first = call.args[0] if call.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                templates.setdefault(first.value, f"{name} line {call.lineno}")
            else:
                unreadable.append(f"{name} line {call.lineno}: say() must be given its English text written out "
                                  "(\"...\", values as name=value), so that each language can translate it")
    return templates, unreadable


def placeholders(template: str) -> set[str]:
    """The {placeholders} of a template as written: {"{host!r}", "{total:g}"}."""
    return {"{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            for _, name, spec, conversion in string.Formatter().parse(template) if name is not None}


def _missing_hints(root: Path, lang: str) -> list[str]:
    """The hints i18n/<lang>/hints.yml lacks, gives with other {placeholders}, or keeps after the checks dropped them."""
    import yaml

    where = f"i18n/{lang}/hints.yml"
    catalog = root / "i18n" / lang / "hints.yml"
    if not catalog.is_file():
        return [f"{lang}: {where} is missing: the exercise hints in this language, each check's English "
                "sentence and its translation"]
    try:
        translated = yaml.safe_load(catalog.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        return [f"{lang}: {where} cannot be read ({error})"]
    templates, found = hint_templates(root)
    for english, place in templates.items():
        if not isinstance(translated.get(english), str):
            found.append(f"{lang}: {where} has no translation of {english!r} ({place})")
        elif placeholders(translated[english]) != placeholders(english):
            found.append(f"{lang}: {where} translates {english!r} ({place}) with the placeholders "
                         f"{sorted(placeholders(translated[english]))}, not {sorted(placeholders(english))}: "
                         "keep each {...} exactly as in English")
    found += [f"{lang}: {where} has an entry no check says any more: {english!r}: remove it"
              for english in translated if english not in templates]
    return found
