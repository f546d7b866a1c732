# Two commands on a fresh Debian machine with Python 3.11: `make book` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TOOLS := .venv-tools
TOOLS_STAMP := $(TOOLS)/.installed
CFFCONVERT := cffconvert==2.0.0 jsonschema==3.2.0 pykwalify==1.8.0 ruamel.yaml==0.19.1 click==8.5.1 requests==2.34.2
TEX_PACKAGES := texlive-xetex texlive-latex-extra texlive-fonts-recommended texlive-lang-french fonts-freefont-otf latexmk

.PHONY: book html test setup tex data check clean

book: setup check
	$(PY) -m alesbook run
	$(PY) -m alesbook book

html: $(STAMP) check
	$(PY) -m alesbook run
	$(PY) -m alesbook book --html

test: setup $(TOOLS_STAMP)
	$(PY) -m pytest

setup: $(STAMP) tex

# cffconvert (validation of CITATION.cff, run by the tests) pins jsonschema 3.2, which conflicts with
# Jupyter Book: it gets its own venv.
$(TOOLS_STAMP):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet $(CFFCONVERT)
	touch $(TOOLS_STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ needed"'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

# TeX for the PDF book: installed through apt-get when run as root, else the exact command is printed.
tex:
	@if command -v xelatex >/dev/null && command -v latexmk >/dev/null && kpsewhich hyph-fr.tex >/dev/null \
	    && fc-list | grep -qi freeserif; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	    echo "Installing TeX (about 200 MB): $(TEX_PACKAGES)"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(TEX_PACKAGES); \
	else \
	    echo "TeX is missing for the PDF book. Run:"; \
	    echo "  sudo apt-get install -y $(TEX_PACKAGES)"; \
	    exit 1; \
	fi

check: $(STAMP)
	$(PY) -m alesbook data check

data: $(STAMP)
	$(PY) -m alesbook data build

clean:
	rm -rf _build _executed
