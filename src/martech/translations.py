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
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from martech.anatomy import read_front_matter

# What every language translates, as paths under docs/: the bounded part of the course proven in
# every language first (issue "Languages"). Add a path here when a module is translated.
REQUIRED = ["index.md", "start-here.md", "glossary.md", "how-the-web-works/index.md"]


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
