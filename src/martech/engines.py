"""The two site generators that build the course from the same mkdocs.yml, and how each is run.

    martech build-site [--engine zensical] [--site-dir DIR]    make site ENGINE=zensical
    martech serve-site [--engine zensical] [--port 8000]       make serve ENGINE=zensical

MkDocs with Material for MkDocs is the default; Zensical is Material's successor from the same
team and reads our mkdocs.yml as it is. This is the one place that says how each engine is run
(command, strict mode, output folder), so that `make`, the tests (tests/conftest.py) and the
benchmarks (benchmarks/bench.py) build the same site the same way. Run `martech build-pages`
first: both engines read the pages and snippets it writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from martech import anatomy, translations
from martech.problems import Problem

ENGINES = ("mkdocs", "zensical")
DEFAULT = "mkdocs"
# Zensical (0.0.7x) has no --site-dir: it always writes site/ next to mkdocs.yml. To build
# anywhere else, build a copy of what it reads (mkdocs.yml, the pages, the theme overrides,
# the snippets `martech build-pages` writes into build/), so the checkout is never touched.
ZENSICAL_READS = ("docs", "i18n", "overrides", "build")
# Material 9.7+ prints a banner about MkDocs 2 on every build; we already plan for Zensical.
QUIET = {"NO_MKDOCS_2_WARNING": "1"}


class BuildFailed(Exception):
    """The engine refused to build the site; str() holds the end of what it said."""


def check_engine(engine: str) -> str:
    """``engine`` if it is one we know and it is installed, else a Problem that says what to do."""
    from importlib.util import find_spec

    if engine not in ENGINES:
        raise Problem(f"There is no site engine called {engine!r}. The engines are: {', '.join(ENGINES)}.")
    if find_spec(engine) is None:
        raise Problem(f"{engine} is not installed here: run `make install` (pyproject.toml lists it), then try again.")
    return engine


def _command(engine: str, verb: str) -> list[str]:
    return [sys.executable, "-m", engine, verb]


def build_site(engine: str = DEFAULT, site_dir: Path | None = None, root: Path | None = None,
               echo: bool = False, environment: dict | None = None) -> Path:
    """Build the site strictly (any warning fails) with ``engine`` into ``site_dir`` (default:
    site/ in the course folder); return that folder. ``echo`` shows the engine's own output;
    ``environment`` adds variables mkdocs.yml reads (COURSE_REPO_URL, COURSE_SITE_URL)."""
    check_engine(engine)
    root = anatomy.project_root(root)
    site_dir = Path(site_dir).resolve() if site_dir else root / "site"
    env = {**os.environ, **QUIET, "COURSE_TRANSLATED": translations.switcher_pages(), **(environment or {})}
    languages = translations.languages(root)
    if engine == "mkdocs":
        _run([*_command("mkdocs", "build"), "--strict", "--site-dir", str(site_dir)], root, env, echo)
        for lang in languages:
            _run([*_command("mkdocs", "build"), "--strict", "-f", f"mkdocs.{lang}.yml", "--site-dir",
                  str(site_dir / lang)], root, _language(env, lang), echo)
        return site_dir
    if site_dir == root / "site":
        _zensical(root, env, languages, echo)
        return site_dir
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=site_dir.parent, prefix=".zensical-") as work:
        work = Path(work)
        for name in ZENSICAL_READS:
            if (root / name).exists():
                shutil.copytree(root / name, work / name)
        for config in ["mkdocs.yml", *(f"mkdocs.{lang}.yml" for lang in languages)]:
            shutil.copy(root / config, work / config)
        _zensical(work, env, languages, echo)
        shutil.rmtree(site_dir, ignore_errors=True)
        shutil.move(work / "site", site_dir)
    return site_dir


def _language(env: dict, lang: str) -> dict:
    """A translation's build reads its own snippets (mkdocs.yml: COURSE_SNIPPETS), its Markdown
    extension writes in its language (COURSE_LANGUAGE: martech.lesson_markdown), and its pages'
    addresses (canonical, sitemap) are under <lang>/ of the site's (COURSE_SITE_URL): inherited
    as it was, each translated page named the English page as its canonical address."""
    language = {**env, "COURSE_SNIPPETS": f"build/snippets/{lang}", "COURSE_LANGUAGE": lang}
    if env.get("COURSE_SITE_URL"):
        language["COURSE_SITE_URL"] = env["COURSE_SITE_URL"].rstrip("/") + f"/{lang}/"
    return language


def _zensical(folder: Path, env: dict, languages: list[str], echo: bool) -> None:
    """The English site into folder/site, then each translation into folder/site/<lang> (its site_dir)."""
    _run([*_command("zensical", "build"), "--strict"], folder, env, echo)
    for lang in languages:
        config = folder / f".mkdocs.{lang}.zensical.yml"
        config.write_text(inherited(folder / f"mkdocs.{lang}.yml"), encoding="utf-8")
        _run([*_command("zensical", "build"), "--strict", "-f", config.name], folder, _language(env, lang), echo)


class _EnvList(list):
    """!ENV [VARIABLE, default], kept as written."""


class _EnvName(str):
    """!ENV VARIABLE, kept as written."""


def _yaml():
    """A YAML loader and dumper for mkdocs.yml that keep its !ENV tags as they are written."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    class Dumper(yaml.SafeDumper):
        pass

    Loader.add_constructor("!ENV", lambda loader, node: _EnvList(loader.construct_sequence(node))
                           if isinstance(node, yaml.SequenceNode) else _EnvName(loader.construct_scalar(node)))
    Dumper.add_representer(_EnvList, lambda dumper, value: dumper.represent_sequence("!ENV", list(value), flow_style=True))
    Dumper.add_representer(_EnvName, lambda dumper, value: dumper.represent_scalar("!ENV", str(value)))
    return yaml, Loader, Dumper


def load_config(config: Path) -> dict:
    """``config`` (mkdocs.yml or a translation's) with its INHERIT resolved as MkDocs does it: a
    child's mapping merges into the parent's, a child's list replaces the parent's."""
    yaml, Loader, _ = _yaml()
    data = yaml.load(config.read_text(encoding="utf-8"), Loader=Loader) or {}
    parent = data.pop("INHERIT", None)
    return _merge(load_config(config.parent / parent), data) if parent else data


def _merge(parent: dict, child: dict) -> dict:
    out = dict(parent)
    for key, value in child.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def inherited(config: Path) -> str:
    """``config`` with its INHERIT resolved (load_config), as YAML.

    Zensical (0.0.7x) appends the lists instead, so a translation's nav would list every English
    page too; it gets this merged file, with no INHERIT left for it to read.
    """
    yaml, _, Dumper = _yaml()
    return yaml.dump(load_config(config), Dumper=Dumper, allow_unicode=True, sort_keys=False, width=10_000)


def _run(command: list[str], cwd: Path, env: dict, echo: bool) -> None:
    result = subprocess.run(command, cwd=cwd, env=env, text=True, capture_output=not echo, timeout=600)
    if result.returncode:
        said = "" if echo else (result.stdout + result.stderr)[-4000:]
        raise BuildFailed(f"{' '.join(command[2:])} failed" + (f":\n{said}" if said else " (its messages are above)."))


def serve_command(engine: str = DEFAULT, port: int = 8000) -> list[str]:
    """The engine's own preview server on 127.0.0.1, which rebuilds a page when its file changes."""
    check_engine(engine)
    address = f"127.0.0.1:{port}"
    if engine == "mkdocs":
        return [*_command("mkdocs", "serve"), "--strict", "-a", address]
    return [*_command("zensical", "serve"), "-a", address]  # its --strict is "currently unsupported"


def serve_site(engine: str = DEFAULT, port: int = 8000, root: Path | None = None) -> int:
    """Run the engine's preview server until Ctrl+C; return its exit status."""
    command = serve_command(engine, port)
    try:
        return subprocess.call(command, cwd=anatomy.project_root(root),
                               env={**os.environ, **QUIET, "COURSE_TRANSLATED": translations.switcher_pages()})
    except KeyboardInterrupt:
        return 0
