"""Citation metadata, licences, versions, publication workflow and the citable, accessible built book."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from pybtex.database import parse_string
from pypdf import PdfReader

import alesbook
from alesbook import citation, paths, pipeline

ROOT = paths.ROOT
CFFCONVERT = ROOT / ".venv-tools" / "bin" / "cffconvert"


def _validate(path: Path) -> subprocess.CompletedProcess:
    assert CFFCONVERT.exists(), f"{CFFCONVERT} missing: run `make .venv-tools/.installed` (or `make test`)"
    return subprocess.run([str(CFFCONVERT), "--validate", "-i", str(path)], capture_output=True, text=True)


def test_citation_cff_is_valid():
    result = _validate(ROOT / "CITATION.cff")
    assert result.returncode == 0, result.stdout + result.stderr


def test_cffconvert_rejects_an_invalid_citation_file(tmp_path):
    broken = tmp_path / "CITATION.cff"
    broken.write_text((ROOT / "CITATION.cff").read_text(encoding="utf-8")
                      .replace('date-released: "2026-11-25"', 'date-released: "25/11/2026"'), encoding="utf-8")
    assert "25/11/2026" in broken.read_text(encoding="utf-8")
    assert _validate(broken).returncode != 0


def test_citation_cff_has_the_book_metadata():
    cff = citation.read_cff()
    assert cff["authors"] == [{"name": "Les auteurs du livre d'Alès"}]
    assert cff["title"] == yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["title"]
    assert set(cff["license"]) == {"CC-BY-4.0", "BSD-3-Clause"}


def test_zenodo_json_is_generated_from_citation_cff():
    committed = (ROOT / ".zenodo.json").read_text(encoding="utf-8")
    assert committed == citation.zenodo_json(citation.read_cff()), (
        ".zenodo.json is stale: python -c 'from alesbook import citation; citation.write_zenodo()'")
    record = json.loads(committed)
    assert record["upload_type"] == "publication" and record["publication_type"] == "book"
    assert record["license"] == "cc-by-4.0" and record["version"] == "0.1.0"


def test_one_version_number():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    version = citation.read_cff()["version"]
    assert pyproject["project"]["version"] == version
    assert alesbook.__version__ == version, "reinstall the package (make setup) after a version change"
    assert f"## [{version}]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_licence_files_and_attributions():
    assert "BSD 3-Clause License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "creativecommons.org/licenses/by/4.0" in (ROOT / "LICENSE-text").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    page = (ROOT / "book" / "comment-citer.md").read_text(encoding="utf-8")
    for text in (readme, page):
        for name in ("Licence Ouverte", "« Source : Insee »", "ANCT", "IGN", "Etalab", "CC BY 4.0", "BSD-3-Clause"):
            assert name in text


def test_chapter_registry_matches_the_toc():
    assert citation.registry_problems() == []


def test_renamed_chapter_breaks_the_registry_check(tmp_path):
    for name in ("_toc.yml", "book"):
        source = ROOT / name
        shutil.copytree(source, tmp_path / name) if source.is_dir() else shutil.copy(source, tmp_path / name)
    first = citation.toc_chapters(ROOT)[0]
    renamed = first + "-renomme"
    (tmp_path / (first + ".md")).rename(tmp_path / (renamed + ".md"))
    toc = tmp_path / "_toc.yml"
    toc.write_text(toc.read_text(encoding="utf-8").replace(f"file: {first}\n", f"file: {renamed}\n"), encoding="utf-8")
    problems = citation.registry_problems(tmp_path)
    assert any(renamed in p and "not in" in p for p in problems)
    assert any(repr(first) in p and "no longer a chapter" in p for p in problems)


def test_chapter_bibtex_parses_with_its_fields():
    cff = citation.read_cff()
    text, entry = citation.chapter_citation(cff, "population", "book/population", "La population & le bassin")
    parsed = parse_string(entry, "bibtex").entries["bassin-ales:population"]
    assert parsed.type == "incollection"
    assert parsed.fields["title"] == r"La population \& le bassin"
    assert parsed.fields["booktitle"] == cff["title"]
    assert parsed.fields["url"] == "https://ales-book.github.io/bassin-ales/html/book/population.html"
    assert parsed.fields["year"] == "2026" and parsed.fields["version"] == "0.1.0"
    assert str(parsed.persons["author"][0]) == "{Les auteurs du livre d'Alès}"
    assert "« La population & le bassin »" in text and "version 0.1.0 du 25 novembre 2026" in text


def test_chapter_title_must_be_plain():
    assert citation.chapter_title("(x)=\n# Un titre\n\ntexte", "x.md") == "Un titre"
    with pytest.raises(citation.AlesbookError, match="plain first heading"):
        citation.chapter_title("texte sans titre", "x.md")


def test_data_vintages_come_from_the_tables_the_notebook_loaded():
    descriptor = {"resources": [{"name": "t1", "title": "Table 1", "vintage": "RP 2020", "attribution": "Source : Insee"},
                                {"name": "t2", "title": "Table 2", "vintage": "2023", "attribution": "ANCT"}]}
    text = "{glue:text}`../_executed/nb.ipynb::x` et {doc}`../_executed/nb`"
    lines = citation.data_vintages(text, {"nb": {"key": "k", "tables": {"t2": "h"}}}, descriptor)
    assert lines == ["*Table 2* (table `t2`) : 2023 ; « ANCT »"]
    with pytest.raises(citation.AlesbookError, match="run `alesbook run`"):
        citation.data_vintages(text, {}, descriptor)


def test_author_year_bibliography_labels():
    bibliography = parse_string((ROOT / "book" / "references.bib").read_text(encoding="utf-8"), "bibtex")
    labels = dict(zip(bibliography.entries, citation.AuthorYearLabels().format_labels(bibliography.entries.values())))
    assert labels["granier2023"] == "Granier, 2023"
    assert labels["daumalin2006"] == "Daumalin et al., 2006"


def test_yaml_files_lint():
    config = "{extends: default, rules: {line-length: {max: 120}, truthy: {check-keys: false}, document-start: disable}}"
    files = [ROOT / ".github" / "workflows" / "publish.yml", ROOT / "CITATION.cff", ROOT / "book" / "chapitres.yml"]
    result = subprocess.run([str(Path(sys.executable).parent / "yamllint"), "-f", "parsable", "-d", config, *map(str, files)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    workflow = yaml.safe_load(files[0].read_text(encoding="utf-8"))
    steps = " ".join(str(step) for step in workflow["jobs"]["build"]["steps"])
    assert "make book" in steps and "bassin-ales.pdf" in steps and "upload-pages-artifact" in steps


# The built book (HTML and PDF), once for this module.

@pytest.fixture(scope="module")
def built(built_book):
    return built_book / "_build"


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(page: Path) -> list:
    parser = _Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tags


def test_every_page_is_french_and_every_image_has_alt_text(built):
    pages = sorted(p for p in (built / "html").rglob("*.html") if "_static" not in p.parts)
    assert len(pages) > 5
    no_alt, not_french = [], []
    for page in pages:
        tags = _tags(page)
        root = [attrs for tag, attrs in tags if tag == "html"]
        if root and root[0].get("lang") != "fr" or not root and page.name != "index.html":  # root redirect
            not_french.append(page.name)
        no_alt += [f"{page.name}: {attrs.get('src')}" for tag, attrs in tags
                   if tag == "img" and not (attrs.get("alt") or "").strip()]
    assert not not_french and not no_alt


def test_every_chapter_ends_with_its_citation(built):
    cff = citation.read_cff()
    for file in citation.toc_chapters(ROOT):
        page = (built / "html" / (file + ".html")).read_text(encoding="utf-8")
        text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", page)))
        assert "Citer ce chapitre" in text and "@incollection{bassin-ales:" in text, file
        assert citation.book_url(cff, file) in text and f"version {cff['version']}" in text
        assert "Données utilisées" in text, file


def test_pdf_link_reaches_the_pdf_and_version_is_shown(built):
    html = built / "html"
    for page in (html / "book" / "index.html", html / "book" / "comment-citer.html"):
        links = [attrs["href"] for tag, attrs in _tags(page) if tag == "a" and attrs.get("href", "").endswith(".pdf")]
        assert links and all((page.parent / link).resolve() == (built / "pdf" / pipeline.PDF_NAME).resolve()
                              for link in links)
    footer = (html / "book" / "territoire.html").read_text(encoding="utf-8")
    assert f"Version {alesbook.__version__} du" in footer and "construite le" in footer


def test_bibliography_page_is_author_year_in_html_and_once_in_pdf(built):
    page = (built / "html" / "book" / "bibliographie.html").read_text(encoding="utf-8")
    assert "Granier, 2023" in page and "Le bassin industriel d'Alès, une histoire de reconversions" in page
    assert "{bibliography}" not in (ROOT / "book" / "index.md").read_text(encoding="utf-8")
    reader = PdfReader(built / "pdf" / pipeline.PDF_NAME)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert re.sub(r"\s", "", text).count("CarolineGranier.Lebassinindustriel") == 1
    titles = []

    def walk(items):
        for item in items:
            walk(item) if isinstance(item, list) else titles.append(item.title)

    walk(reader.outline)
    assert titles.count("Bibliographie") == 1, titles
    assert f"Version {alesbook.__version__}" in text and "bassin-ales:territoire" in text
