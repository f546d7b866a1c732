# Two commands on a fresh Debian machine with Python 3.11: `make book` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEX_PACKAGES := texlive-xetex texlive-latex-extra texlive-fonts-recommended texlive-lang-french fonts-freefont-otf latexmk

.PHONY: book html test setup tex data check clean

book: setup check
	$(PY) -m alesbook run
	$(PY) -m alesbook book

html: $(STAMP) check
	$(PY) -m alesbook run
	$(PY) -m alesbook book --html

test: setup
	$(PY) -m pytest

setup: $(STAMP) tex

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
