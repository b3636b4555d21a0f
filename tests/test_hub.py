"""Running the course on a JupyterHub or a BinderHub: the buttons' links, the page they open, the binder/ files."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import nbformat
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from martech import hub
from martech.build import write_exercise, write_notebook_page
from martech.workspace import NotInTheCourse, _jupyter_server_extension_points, open_in_workspace

ROOT = Path(__file__).resolve().parents[1]
REPO = "https://github.com/example-co/web-technology-for-marketers"
SLUG = "how-the-web-works"


def configured(**changes):
    return {"repo": REPO, "jupyterhub": "", "binderhub": "", "branch": "main", **changes}


def query(url):
    found = parse_qs(urlsplit(url).query, strict_parsing=True)
    assert all(len(values) == 1 for values in found.values()), f"a parameter is repeated: {url}"
    return {key: values[0] for key, values in found.items()}


def test_jupyterhub_link_is_nbgitpuller_s_format_with_everything_encoded():
    [(text, url)] = hub.run_links(configured(jupyterhub="https://hub.example.com/"), f"{SLUG}-exercise.ipynb")
    assert text == "Open on JupyterHub"
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.example.com", "/hub/user-redirect/git-pull")
    # The urlpath's own ? and & are encoded: otherwise they would end nbgitpuller's parameters.
    assert query(url) == {"repo": REPO, "branch": "main", "targetPath": "web-technology-for-marketers",
                          "urlpath": f"martech/workspace?course=web-technology-for-marketers&open={SLUG}-exercise.ipynb"}
    assert "open%3D" in url and "&open=" not in url


def test_a_hub_under_a_path_and_another_branch():
    url = hub.jupyterhub_link("https://example.com/jupyter", REPO, "spring-2027", "caching.ipynb")
    assert urlsplit(url).path == "/jupyter/hub/user-redirect/git-pull"
    assert query(url)["branch"] == "spring-2027"


def test_binder_link_builds_this_repository_and_opens_the_learner_copy():
    [(text, url)] = hub.run_links(configured(binderhub="https://mybinder.org"), f"{SLUG}-exercise.ipynb")
    assert text == "Open on Binder"
    assert urlsplit(url).path == "/v2/gh/example-co/web-technology-for-marketers/main"
    # On Binder the repository is the server's own folder: no course folder to name.
    assert query(url) == {"urlpath": f"martech/workspace?open={SLUG}-exercise.ipynb"}
    other = hub.binder_link("https://binder.example.org/", "https://git.example.org/mkt/course.git", "main", "x.ipynb")
    assert urlsplit(other).path == "/v2/git/https%3A%2F%2Fgit.example.org%2Fmkt%2Fcourse.git/main"


@pytest.mark.parametrize("found", [
    configured(),                                                      # no hub set
    configured(repo="", jupyterhub="https://hub.example.com/", binderhub="https://mybinder.org/"),  # nothing to pull
])
def test_no_address_or_no_repository_means_no_link(found):
    assert hub.run_links(found, "caching.ipynb") == []
    assert hub.run_links_markdown(found, "caching.ipynb") == ""


def test_settings_come_from_mkdocs_yml_with_its_environment_variables(tmp_path, monkeypatch):
    (tmp_path / "mkdocs.yml").write_text(
        'repo_url: !ENV [COURSE_REPO_URL, ""]\n'
        "theme: {name: material}\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra:\n  run_online:\n    jupyterhub: https://hub.example.com/\n")
    monkeypatch.delenv("COURSE_REPO_URL", raising=False)
    assert hub.settings(tmp_path) == {"repo": "", "jupyterhub": "https://hub.example.com/", "binderhub": "",
                                      "branch": "main"}
    monkeypatch.setenv("COURSE_REPO_URL", REPO)
    assert hub.settings(tmp_path)["repo"] == REPO
    # The course's own file: no hub, so no button, on a laptop and in these tests.
    assert hub.settings(ROOT)["jupyterhub"] == "" and hub.settings(ROOT)["binderhub"] == ""


def test_an_address_that_is_not_one_is_a_plain_problem():
    [problem] = hub.settings_problems(configured(jupyterhub="hub.example.com"))
    assert "extra.run_online.jupyterhub" in problem and "https://" in problem
    assert hub.settings_problems(configured(jupyterhub="https://hub.example.com/")) == []


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The demo and exercise pages of one module, written with both hubs set and with none."""
    written = {}
    for name, online in (("set", configured(jupyterhub="https://hub.example.com/", binderhub="https://mybinder.org/")),
                         ("unset", configured())):
        folder = tmp_path_factory.mktemp(name) / SLUG
        folder.mkdir()
        write_notebook_page(ROOT / "notebooks" / f"{SLUG}.ipynb", folder, "demo", "Lesson", online=online)
        write_exercise(ROOT / "exercises" / f"{SLUG}.ipynb", folder, SLUG, "Lesson", online=online)
        written[name] = {kind: (folder / f"{kind}.md").read_text() for kind in ("demo", "exercise")}
    return written


@pytest.mark.parametrize("kind, notebook", [("demo", f"{SLUG}.ipynb"), ("exercise", f"{SLUG}-exercise.ipynb")])
def test_demo_and_exercise_pages_carry_the_links_once_set(pages, kind, notebook):
    import markdown
    from html.parser import HTMLParser

    html = markdown.markdown(pages["set"][kind], extensions=["admonition", "attr_list", "meta"])

    class Links(HTMLParser):
        found = {}

        def handle_starttag(self, tag, attrs):
            self.current = dict(attrs).get("href") if tag == "a" else None

        def handle_data(self, data):
            if getattr(self, "current", None):
                self.found[data] = self.current

    parser = Links()
    parser.feed(html)
    hub_url = parser.found["Open on JupyterHub"]
    assert query(hub_url)["urlpath"].endswith(f"open={notebook}")
    assert query(parser.found["Open on Binder"])["urlpath"] == f"martech/workspace?open={notebook}"
    assert "Open on" not in pages["unset"][kind] and "user-redirect" not in pages["unset"][kind]


@pytest.fixture
def home(tmp_path):
    """A learner's home folder on a hub, with the course where nbgitpuller puts it (one module)."""
    course = tmp_path / "home" / hub.COURSE_FOLDER
    for part in (f"notebooks/{SLUG}.ipynb", f"exercises/{SLUG}.ipynb"):
        (course / part).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / part, course / part)
    (course / "mkdocs.yml").write_text(f"nav:\n  - {SLUG}/index.md\n")
    return tmp_path / "home"


def test_the_workspace_page_makes_my_work_and_keeps_the_learner_s_changes(home):
    path = open_in_workspace(home, hub.COURSE_FOLDER, f"{SLUG}-exercise.ipynb")
    assert path == f"{hub.COURSE_FOLDER}/my-work/{SLUG}-exercise.ipynb"
    copy = home / path
    assert "SOLUTION" not in copy.read_text()
    nbformat.validate(nbformat.read(copy, as_version=4))
    copy.write_text(copy.read_text().replace("Task", "My task"))
    mine = copy.read_text()
    assert open_in_workspace(home, hub.COURSE_FOLDER, f"{SLUG}.ipynb") == f"{hub.COURSE_FOLDER}/my-work/{SLUG}.ipynb"
    assert copy.read_text() == mine


def test_on_binder_the_course_is_the_server_s_own_folder(home):
    course = home / hub.COURSE_FOLDER
    assert open_in_workspace(course, "", f"{SLUG}.ipynb") == f"my-work/{SLUG}.ipynb"


def test_nbgitpuller_s_parent_folder_is_followed(home, monkeypatch):
    (home / "courses").mkdir()
    shutil.move(home / hub.COURSE_FOLDER, home / "courses")
    monkeypatch.setenv("NBGITPULLER_PARENTPATH", "courses")
    assert open_in_workspace(home, hub.COURSE_FOLDER, f"{SLUG}.ipynb").startswith("courses/")


@pytest.mark.parametrize("course, notebook, words", [
    ("../elsewhere", f"{SLUG}.ipynb", "is not a folder name"),
    ("no-such-course", f"{SLUG}.ipynb", "There is no course in the folder"),
    (hub.COURSE_FOLDER, "../../etc/passwd", "is not a notebook of the course"),
    (hub.COURSE_FOLDER, "caching.ipynb", "has no notebook called 'caching.ipynb'"),
])
def test_a_wrong_link_gets_a_sentence_that_says_what_to_do(home, course, notebook, words):
    with pytest.raises(NotInTheCourse) as refused:
        open_in_workspace(home, course, notebook)
    assert words in str(refused.value) and "open the link" in str(refused.value)


def test_the_server_extension_redirects_to_the_notebook_in_jupyterlab(home, tmp_path):
    """The real route in a real Jupyter server, as the hub's buttons reach it (after nbgitpuller)."""
    config = tmp_path / "config"
    config.mkdir()
    # Only this extension: the server starts in about a second.
    (config / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {"jpserver_extensions": {
        "martech.workspace": True, "jupyterlab": False, "jupyter_lsp": False, "notebook_shim": False,
        "jupyter_server_terminals": False, "notebook": False}}}))
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root", "--ip=127.0.0.1", f"--port={port}",
         f"--ServerApp.root_dir={home}", "--IdentityProvider.token=course-test"],
        env={**os.environ, "JUPYTER_CONFIG_DIR": str(config), "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(Stay)

    def get(path, token="course-test"):
        request = urllib.request.Request(f"http://127.0.0.1:{port}/{path}",
                                         headers={"Authorization": f"token {token}"} if token else {})
        try:
            with opener.open(request, timeout=10) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    try:
        for _ in range(100):
            try:
                if get("api/status")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        [(_, link)] = hub.run_links(configured(jupyterhub="https://hub.example.com/"), f"{SLUG}-exercise.ipynb")
        status, headers, _ = get(query(link)["urlpath"])
        assert status == 302
        assert headers["Location"] == f"/lab/tree/{hub.COURSE_FOLDER}/my-work/{SLUG}-exercise.ipynb"
        assert (home / hub.COURSE_FOLDER / "my-work" / f"{SLUG}-exercise.ipynb").exists()
        status, _, page = get(f"martech/workspace?course={hub.COURSE_FOLDER}&open=caching.ipynb")
        assert status == 404 and "has no notebook called" in page
        assert get(query(link)["urlpath"], token=None)[0] in (302, 403)  # a stranger is sent to log in
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_binder_files_name_every_dependency_of_the_course():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    listed = {canonicalize_name(r.name): r for r in (Requirement(l) for l in lines if l.strip() and not l.startswith("#"))}
    for needed in map(Requirement, project["dependencies"]):
        name = canonicalize_name(needed.name)
        assert name in listed, f"binder/requirements.txt lacks {needed} (it is in pyproject.toml)"
        assert listed[name].specifier == needed.specifier, f"binder/requirements.txt has {listed[name]}, pyproject.toml {needed}"
    assert "nbgitpuller" in listed, "a hub needs nbgitpuller for the Open on JupyterHub links"
    python = (ROOT / "binder" / "runtime.txt").read_text().strip()
    assert python.startswith("python-")
    from packaging.specifiers import SpecifierSet

    assert python.removeprefix("python-") + ".0" in SpecifierSet(project["requires-python"])


def test_post_build_installs_the_course_chromium_and_the_workspace_page():
    script = ROOT / "binder" / "postBuild"
    text = script.read_text()
    assert os.access(script, os.X_OK), "repo2docker runs binder/postBuild as a program: chmod +x it"
    assert text.startswith("#!/bin/bash\n") and "set -euo pipefail" in text
    assert "pip install --no-cache-dir --no-deps ." in text  # requirements.txt has the dependencies
    assert "playwright install" in text and '"$prefix/bin/chromium"' in text
    [point] = _jupyter_server_extension_points()
    assert f'"{point["module"]}": true' in text
    subprocess.run(["bash", "-n", str(script)], check=True)
    packages = [l.partition("#")[0].strip() for l in (ROOT / "binder" / "apt.txt").read_text().splitlines()]
    packages = [p for p in packages if p]
    assert "libnss3" in packages and "libgbm1" in packages and len(packages) == len(set(packages))
