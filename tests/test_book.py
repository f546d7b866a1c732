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


def _expected_territory_numbers():
    """The population of Alès and of Alès Agglomération at the latest census, summed here from the table."""
    table = datasets.load("population_communes")
    table = table[(table["level"] == "COM") & (table["period"] == table["period"].max())]
    members = datasets.load("communes_2023").query("epci == '200066918'")["com"]
    return {"year": str(table["period"].max()),
            "ales": fr_number(table.loc[table["code"] == "30007", "value"].iloc[0]),
            "agglo": fr_number(table.loc[table["code"].isin(members), "value"].sum()),
            "agglo_communes": str(len(members))}


def test_territory_chapter_html_has_title_figures_and_glued_numbers(built_book):
    out = built_book
    page = (out / "_build" / "html" / "book" / "territoire.html").read_text(encoding="utf-8")
    assert "Le territoire et l'héritage minier" in page.replace("&#39;", "'").replace("’", "'")
    expected = _expected_population_numbers()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    def norm(value):  # the page text has its spaces (narrow no-break ones included) made plain
        return re.sub(r"\s+", " ", value)

    assert norm(f"culminé en {expected['peak_year']} avec {expected['peak']} habitants") in text
    assert norm(f"{expected['latest']} en {expected['latest_year']}") in text
    territory = _expected_territory_numbers()
    assert norm(f"{territory['agglo_communes']} communes et {territory['agglo']} habitants en {territory['year']}") in text
    assert "<table" in page and norm(territory["ales"]) in text  # the levels table is rendered
    parser = _Images()
    parser.feed(page)
    alts = [img.get("alt", "") for img in parser.images]
    for start in ("Courbe de la population", "Carte du département", "Chronologie de l'ère minière",
                  "Cinq petits graphiques"):
        assert any(alt.replace("&#39;", "'").startswith(start) for alt in alts), f"figure « {start} » missing"
    assert "Figure 1" in text and "Source : Insee" in text
    assert "1947" in text and "1958" in text  # the two dates of the workforce peak, both given


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
    assert "Le territoire et l" in text and "héritage minier" in text
    assert _expected_population_numbers()["peak"] in text
