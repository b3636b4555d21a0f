"""The ``martech`` command: start a demo server for your own browser, and build the site's pages.

    martech list
    martech serve web [--port 8000]
    martech serve slow --delay 0.5 --rate 50000
    martech workspace
    martech build-pages
    martech build-site [--engine zensical]
    martech serve-site [--engine zensical] [--port 8000]
    martech offline-site site
    martech new-module search-advertising "Why we pay more per click than our rival"
    martech brief my-brief.md
"""

from __future__ import annotations

import argparse
import sys
import time

from martech.engines import DEFAULT as DEFAULT_ENGINE
from martech.engines import ENGINES
from martech.problems import Problem
from martech.servers import PORTS, all_demos, check_port, serve_until_interrupted

DEFAULT_PORT = 8000


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["brief"]:  # the working-with-it module's brief checker has options of its own
        from martech.modules.working_with_it.brief import main as check_briefs

        return check_briefs(argv[1:])
    parser = argparse.ArgumentParser(prog="martech", description="Tools for the web technology course for marketers.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("list", help="list the demo servers")
    serve = commands.add_parser(
        "serve", help="start a demo server for your own browser",
        description="Start a demo server on 127.0.0.1 for your own browser.",
        epilog="Each demo has options of its own: `martech serve NAME --help` lists them "
               "(`martech list` shows the names), e.g. martech serve slow --help")
    serve.add_argument("demo", help="the demo's name (see: martech list)")
    serve.add_argument("--port", default=str(DEFAULT_PORT),
                       help=f"the port to listen on: {PORTS} (default {DEFAULT_PORT})")
    commands.add_parser("build-pages", help="write the generated pages the site needs (before mkdocs)")
    for verb, what in (("build-site", "build the site, strict (after build-pages)"),
                       ("serve-site", "build the site and preview it at http://127.0.0.1:PORT/")):
        site = commands.add_parser(verb, help=what)
        site.add_argument("--engine", default=DEFAULT_ENGINE,
                          help=f"the site generator: {' or '.join(ENGINES)} (default {DEFAULT_ENGINE})")
        if verb == "build-site":
            site.add_argument("--site-dir", default=None, help="the folder to write (default: site)")
        else:
            site.add_argument("--port", default=str(DEFAULT_PORT), help=f"the port to listen on (default {DEFAULT_PORT})")
    offline = commands.add_parser("offline-site", help="add the site, zipped to read offline, to its downloads (after mkdocs)")
    offline.add_argument("site", nargs="?", default="site", help="the built site's folder (default: site)")
    work = commands.add_parser("workspace", help="copy the notebooks and exercises into a folder of your own")
    work.add_argument("folder", nargs="?", default="my-work", help="the folder's name (default: my-work)")
    new = commands.add_parser("new-module", help="create every part of a new module, with TODOs to fill in")
    new.add_argument("slug", help="lower-case words joined by hyphens, e.g. search-advertising")
    new.add_argument("title", help='the lesson\'s title, in quotes, e.g. "Why emails land in spam"')
    # Listed here for --help only: main() hands `martech brief ...` to the module's own parser.
    commands.add_parser("brief", help="check a one-page brief for IT: martech brief my-brief.md (--template prints one)")

    # Each demo's own settings (e.g. --delay) become options of `serve`, once we know the demo:
    # read its name before argparse runs, so that `martech serve slow --help` lists them too.
    demos = all_demos()
    name = _demo_name(argv)
    if name is not None:
        if name not in demos:
            return _fail(f"There is no demo called {name!r}. The demos are: {', '.join(demos)}.")
        for key, setting in demos[name].settings.items():
            shown = setting.default if setting.default not in ("", None) else "none"
            help_text = f"{setting.help}: {setting.describe()}"
            if "default" not in setting.help:
                help_text += f" (default: {shown})"
            # --dns-port as a command line usually spells it, and --dns_port as the notebook's keyword does.
            spellings = [_option(key)] + ([f"--{key}"] if "_" in key else [])
            serve.add_argument(*spellings, dest=key, default=setting.default, help=help_text)
    # Values are read as text and checked by each setting itself, so that a bad one gets the
    # same plain sentence here as in a notebook, not argparse's "invalid float value".
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        if args.command == "serve":
            own = ", ".join(_option(key) for key in demos[args.demo].settings)
            options = f"Its options: --port, {own}" if own else "Its only option is --port"
            return _fail(f"The {args.demo!r} demo has no option {unknown[0]}. {options} "
                         f"(see: martech serve {args.demo} --help).")
        return _fail(f"martech does not understand {' '.join(unknown)!r}. See: martech --help.")

    if args.command == "list":
        for name, handler in demos.items():
            print(f"{name:8} {handler.description}")
        print("\nStart one with: martech serve NAME")
        return 0
    if args.command == "serve":
        settings = {key: getattr(args, key) for key in demos[args.demo].settings}
        try:
            port = check_port(int(args.port) if args.port.strip().isdigit() else args.port)
            serve_until_interrupted(args.demo, port, **settings)
        except Problem as problem:
            return _fail(str(problem))
        return 0
    if args.command == "build-pages":
        from martech.build import build_pages

        problems = build_pages()
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1 if problems else 0
    if args.command in ("build-site", "serve-site"):
        from martech import engines

        try:
            if args.command == "serve-site":
                if not args.port.strip().isdigit():
                    return _fail(f"The port must be a whole number, e.g. {DEFAULT_PORT}; {args.port!r} is not.")
                return engines.serve_site(args.engine, int(args.port))
            started = time.perf_counter()
            folder = engines.build_site(args.engine, args.site_dir, echo=True)
        except Problem as problem:
            return _fail(str(problem))
        except engines.BuildFailed as failure:
            print(failure, file=sys.stderr)
            return 1
        print(f"Built the site with {args.engine} into {folder} in {time.perf_counter() - started:.0f} s")
        return 0
    if args.command == "offline-site":
        from pathlib import Path

        from martech.offline import offline_site

        try:
            archive = offline_site(Path(args.site))
        except (FileNotFoundError, OSError) as problem:
            return _fail(str(problem))
        print(f"Wrote {archive} ({archive.stat().st_size / 1e6:.1f} MB)")
        return 0
    if args.command == "workspace":
        from martech import kernel_config
        from martech.anatomy import project_root
        from martech.workspace import make_workspace

        try:
            kernel_config.install()
        except OSError:
            pass  # a read-only environment only keeps a harmless warning
        try:
            folder, added, kept = make_workspace(project_root(), args.folder)
        except (FileNotFoundError, OSError) as problem:
            return _fail(str(problem))
        for name in added:
            print(f"  added {name}")
        if kept:
            print(f"  kept your own copies of: {', '.join(kept)}")
        print(f"\nYour notebooks are in {folder}. Open them with: jupyter lab {args.folder}")
        return 0
    if args.command == "new-module":
        from martech.anatomy import project_root
        from martech.scaffold import ScaffoldRefused, new_module

        try:
            root = project_root()
            written = new_module(root, args.slug, args.title)
        except (ScaffoldRefused, FileNotFoundError) as problem:
            return _fail(str(problem))
        print(f"Created module {args.slug!r}:")
        for path in written:
            print(f"  {path.relative_to(root)}")
        print("\nNext: fill in every TODO (make test lists those left), then run "
              f"`make outputs MODULE={args.slug}` and `make test`. CONTRIBUTING.md explains each part.")
        return 0
    parser.print_help()
    return 0


def _option(key: str) -> str:
    """A demo setting's command-line option, as it is listed: dns_port is --dns-port."""
    return "--" + key.replace("_", "-")


def _demo_name(argv: list[str]) -> str | None:
    """The demo named after `serve`, skipping options and their values (all serve options take one)."""
    if argv[:1] != ["serve"]:
        return None
    rest, i = argv[1:], 0
    while i < len(rest):
        if rest[i] in ("-h", "--help"):
            i += 1
        elif rest[i].startswith("-"):
            i += 1 if "=" in rest[i] else 2
        else:
            return rest[i]
    return None


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
