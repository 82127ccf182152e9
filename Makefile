# The two commands of README.md. Each one sets up .venv/ first (again whenever settings.ini or setup.py change).
VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat settings.ini setup.py | cksum | cut -d' ' -f1)

.PHONY: demo test test-browser install export readme docs

install: $(STAMP)
$(STAMP): settings.ini setup.py
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

demo: install          ## the main job on the default clip (Big Buck Bunny)
	$(BIN)/patchnerv-demo

test: install          ## package in sync with nbs/, every notebook's tests, tests/
	$(BIN)/python -m pytest

export: install        ## notebooks -> patchnerv/ (run after editing a notebook), cleaned notebooks
	$(BIN)/nbdev_export && $(BIN)/nbdev_clean

readme: install        ## README.md from nbs/index.ipynb (nbdev_readme needs Quarto, which cannot be installed here)
	$(BIN)/jupyter nbconvert --to markdown --execute nbs/index.ipynb --output-dir . --output README --log-level WARN

docs: install          ## the documentation site in _site/: every chapter run in a kernel, built by mkdocs-material (nbdev_docs needs Quarto)
	$(BIN)/python tools/docs.py

test-browser: install docs  ## headless Chromium: JupyterLab runs the query chapter, the explorer answers; the site's pages and search (apt needs root)
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)
	$(BIN)/python -m pip install -q playwright
	PATCHNERV_BROWSER=1 $(BIN)/python -m pytest tests/browser -n 0   # PATCHNERV_EXPLORE=output/<run> also screenshots that run
