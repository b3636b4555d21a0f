"""Links that open a notebook on a JupyterHub or a BinderHub, from addresses set once in mkdocs.yml.

    extra:
      run_online:
        jupyterhub: https://hub.example.com/   # your company's hub, with nbgitpuller
        binderhub: https://mybinder.org/       # a public BinderHub
        branch: main

An address left empty (or a site with no ``repo_url``, which the hub must pull) gives no link.
``martech build-pages`` puts the links on every demo and exercise page (docs/for-teams.md says
how IT sets a hub up). Both kinds of link end at ``martech/workspace`` on the learner's own
server (martech.workspace): it makes ``my-work/`` as ``martech workspace`` does at home, then
opens the learner's copy there, so an exercise opens without its solutions.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import yaml

# The folder a hub fetches the course into, named as the downloaded course's folder (build.ARCHIVE).
COURSE_FOLDER = "web-technology-for-marketers"
WORKSPACE_ROUTE = "martech/workspace"
DEFAULT_BRANCH = "main"


class _Settings(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs does for ``!ENV`` values (other tags, only MkDocs can resolve)."""


def _from_environment(loader, node):
    # MkDocs' rule (pyyaml_env_tag): the first variable that is set; with a list, the last item
    # is the default when none is.
    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(loader.construct_scalar(node))
    items = loader.construct_sequence(node)
    names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    return next((os.environ[name] for name in names if name in os.environ), default)


_Settings.add_constructor("!ENV", _from_environment)
_Settings.add_multi_constructor("", lambda loader, suffix, node: None)


def settings(root: Path) -> dict:
    """repo_url and extra.run_online from mkdocs.yml, environment variables applied."""
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Settings) or {}
    online = (config.get("extra") or {}).get("run_online") or {}
    return {
        "repo": (config.get("repo_url") or "").strip(),
        "jupyterhub": (online.get("jupyterhub") or "").strip(),
        "binderhub": (online.get("binderhub") or "").strip(),
        "branch": str(online.get("branch") or DEFAULT_BRANCH).strip(),
    }


def settings_problems(found: dict) -> list[str]:
    problems = []
    for key in ("jupyterhub", "binderhub"):
        parts = urlsplit(found[key])
        if found[key] and (parts.scheme not in ("http", "https") or not parts.netloc):
            problems.append(f"mkdocs.yml: extra.run_online.{key} must be the hub's address, such as "
                            f"https://hub.example.com/ (it is {found[key]!r}); leave it empty for no link")
    return problems


def workspace_path(notebook: str, folder: str | None = None) -> str:
    """Where the hub sends the learner once the course is there (relative to their server)."""
    query = {"course": folder, "open": notebook} if folder else {"open": notebook}
    return f"{WORKSPACE_ROUTE}?{urlencode(query)}"


def jupyterhub_link(hub: str, repo: str, branch: str, notebook: str) -> str:
    """An nbgitpuller link: the hub logs the learner in, pulls the course, then opens the notebook."""
    query = urlencode({"repo": repo, "branch": branch, "targetPath": COURSE_FOLDER,
                       "urlpath": workspace_path(notebook, COURSE_FOLDER)})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def binder_link(binderhub: str, repo: str, branch: str, notebook: str) -> str:
    """A BinderHub link: it builds the repository (binder/) and starts it with the course as the home folder."""
    parts = urlsplit(repo)
    if parts.netloc == "github.com":
        spec = "gh/" + parts.path.strip("/").removesuffix(".git") + "/" + quote(branch, safe="")
    else:
        spec = "git/" + quote(repo, safe="") + "/" + quote(branch, safe="")
    return f"{binderhub.rstrip('/')}/v2/{spec}?{urlencode({'urlpath': workspace_path(notebook)})}"


def run_links(found: dict, notebook: str) -> list[tuple[str, str]]:
    """(link text, address) for each hub set in mkdocs.yml; none without a repository to pull."""
    if not found["repo"]:
        return []
    links = []
    if found["jupyterhub"]:
        links.append(("Open on JupyterHub", jupyterhub_link(found["jupyterhub"], found["repo"], found["branch"], notebook)))
    if found["binderhub"]:
        links.append(("Open on Binder", binder_link(found["binderhub"], found["repo"], found["branch"], notebook)))
    return links


def run_links_markdown(found: dict, notebook: str) -> str:
    """A paragraph for the page's tip block (indented for it), or nothing."""
    links = run_links(found, notebook)
    if not links:
        return ""
    buttons = " ".join(f"[{text}]({url}){{ .md-button }}" for text, url in links)
    return f"\n\n    Or run it online, with nothing to install: your own copy opens in JupyterLab.\n\n    {buttons}"
