"""The real pipeline, end to end: notebooks executed, HTML and PDF books built from the committed data."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from alesbook import datasets, territories
from alesbook.figures import fr_number


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def _expected_population_numbers():
    """The numbers the chapter must show, computed here from the table, independently of the notebook."""
    zone = territories.zone_emploi("EPCI:200066918")
    table = datasets.load("population_ze_1876", territory=zone)
    population = table[table["variable"] == "population"].dropna(subset=["value"]).set_index("period")["value"]
    return {
        "peak_year": str(population.idxmax()),
        "peak": fr_number(population.max()),
        "latest_year": str(population.index.max()),
        "latest": fr_number(population.loc[population.index.max()]),
    }


def test_population_chapter_html_has_title_figure_and_glued_numbers(built_book):
    out = built_book
    page = (out / "_build" / "html" / "book" / "population.html").read_text(encoding="utf-8")
    assert "La population du bassin depuis 1876" in page
    expected = _expected_population_numbers()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert f"culminé en {expected['peak_year']} avec {expected['peak']} habitants" in text
    assert f"{expected['latest']} en {expected['latest_year']}" in text
    parser = _Images()
    parser.feed(page)
    figures = [img for img in parser.images if "Courbe de la population" in img.get("alt", "")]
    assert figures, "the population figure (with its alt text) is missing"
    assert "Figure 1" in text and "Source : Insee" in text


def test_html_loads_nothing_from_the_internet(built_book):
    out = built_book
    pattern = re.compile(r"""<(?:script|link|img)[^>]+(?:src|href)=["'](?:https?:)?//""", re.I)
    offenders = {}
    for page in (out / "_build" / "html").rglob("*.html"):
        found = pattern.findall(page.read_text(encoding="utf-8"))
        if found:
            offenders[page.name] = found[:3]
    assert not offenders


def test_pdf_has_the_chapter(built_book):
    pdf = built_book / "_build" / "pdf" / "bassin-ales.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "La population du bassin depuis 1876" in text
    assert _expected_population_numbers()["peak"] in text
