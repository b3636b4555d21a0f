# The one task runner. README, CONTRIBUTING and CI call these targets.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
# The site generator: mkdocs (MkDocs with Material, the default) or zensical, Material's successor;
# both read mkdocs.yml. How each is run is written once, in src/martech/engines.py.
ENGINE ?= mkdocs
STAMP  := $(VENV)/.installed
# Material 9.7+ prints a banner about MkDocs 2 on every build; we already plan for Zensical.
export NO_MKDOCS_2_WARNING := 1

.PHONY: help install browser pages site serve test lab outputs bench clean

help:
	@echo "make serve    build the site and serve it at http://127.0.0.1:$(PORT)/ (ENGINE=zensical to build with Zensical)"
	@echo "make test     run every test (installs what it needs, a browser included)"
	@echo "make site     write the static site to site/, with a ZIP of itself to read offline (ENGINE=zensical too)"
	@echo "make lab      copy the notebooks and exercises (no solutions) to my-work/ and open JupyterLab there"
	@echo "make outputs  re-run every notebook and store its outputs (MODULE=slug for one module)"
	@echo "make bench    print build times, notebook times, page weights and Lighthouse scores, both engines side by side"
	@echo "              (BENCH='--skip-notebooks --engine zensical --only / caching caching/demo')"

install: $(STAMP)

# Reinstall whenever the dependencies change. uv (from PyPI, like the rest) installs the same
# packages as pip in a third of the time; where it cannot, pip does.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv && $(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[test]' \
	  || $(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m martech.kernel_config
	touch $@

# A Chromium for Playwright: one already on the machine, else Debian's package
# (Playwright's own download is not reachable everywhere), else Playwright's. Headless pages run
# in its headless shell, at half the CPU; profiles with Chrome's settings in the full browser.
browser: $(STAMP)
	@$(BIN)/python -m martech.browser --check --shell || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-headless-shell >/dev/null; \
	  else \
	    $(BIN)/python -m playwright install chromium; \
	  fi; \
	  $(BIN)/python -m martech.browser --check; }

# Python for the exercises that run in the reader's browser (Pyodide), shipped with the site.
PYODIDE := in-browser/node_modules/pyodide/pyodide.mjs
$(PYODIDE): in-browser/package.json in-browser/package-lock.json
	@$(call NEED_NPM,The in-browser exercises' Python (Pyodide) and its files)
	cd in-browser && npm ci --no-audit --no-fund --silent
	touch $@

pages: $(STAMP) $(PYODIDE)
	$(BIN)/martech build-pages

# The offline copy (site/downloads/...-offline.zip) is the built site itself, so it comes last.
site: pages
	$(BIN)/martech build-site --engine $(ENGINE)
	$(BIN)/martech offline-site site

serve: pages
	$(BIN)/martech serve-site --engine $(ENGINE) --port $(PORT)

test: $(STAMP) browser $(PYODIDE)
	$(BIN)/python -m pytest

# JupyterLab refuses to start as root unless told; IT staff in a container often are root.
lab: browser
	$(BIN)/martech workspace
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) my-work

# `make outputs` re-runs every notebook; `make outputs MODULE=caching` just one module's two.
# The stored outputs are English, whatever the machine's language (the checks speak the learner's).
NOTEBOOKS = $(if $(MODULE),notebooks/$(MODULE).ipynb exercises/$(MODULE).ipynb,notebooks/*.ipynb exercises/*.ipynb)
outputs: browser
	MARTECH_LANGUAGE=en $(BIN)/jupyter nbconvert --to notebook --execute --inplace $(NOTEBOOKS)

# Lighthouse and Pyodide come from npm; Node.js from Debian where it is missing and we may install it.
NEED_NPM = command -v npm >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else echo "$(1) come from npm: install Node.js and npm, then run it again." >&2; exit 2; fi; }
LIGHTHOUSE := benchmarks/node_modules/.bin/lighthouse
$(LIGHTHOUSE): benchmarks/package.json
	@$(call NEED_NPM,Lighthouse and its packages (make bench))
	cd benchmarks && npm install --no-audit --no-fund --silent
	touch $@

# bench.py builds each engine's site itself (into a temporary folder), to time the builds.
bench: $(STAMP) browser $(LIGHTHOUSE)
	$(BIN)/python benchmarks/bench.py $(BENCH)

# .cache/ is Zensical's build cache.
clean:
	rm -rf site build .pytest_cache .cache
