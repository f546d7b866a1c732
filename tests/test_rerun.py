"""The book rerun for another territory: code checks, staged title and notices, and one real rerun."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from alesbook import cli, pipeline, rerun
from alesbook.errors import TerritoryError

DECAZEVILLE = "EPCI:200067064"
DECAZEVILLE_NAME = "CC Decazeville Communauté"


@pytest.mark.parametrize("code, message", [
    ("EPCI-200067064", "malformed"),
    ("EPCI:2000670", "malformed"),
    ("EPCI:999999999", "unknown EPCI code"),
    ("DEP:30", "reruns for an EPCI"),
    ("EPCI:200054781", "not in Occitanie"),  # Métropole du Grand Paris
])
def test_bad_codes_fail_before_any_notebook_runs(code, message, tmp_path, monkeypatch, capsys):
    def no_run(*args, **kwargs):
        raise AssertionError("a notebook ran")

    monkeypatch.setattr(pipeline, "run", no_run)
    with pytest.raises(TerritoryError, match=message):
        rerun.check([DECAZEVILLE, code])
    assert cli.main(["territory", DECAZEVILLE, code, "--out", str(tmp_path / "out"), "--html"]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_same_territory_twice_is_refused():
    with pytest.raises(TerritoryError, match="twice"):
        rerun.check([DECAZEVILLE, "epci:200067064"])


def test_folder_name():
    assert rerun.folder_name(DECAZEVILLE) == "EPCI-200067064"


def _staging(tmp_path, territory):
    out = tmp_path / "out"
    (out / "_executed").mkdir(parents=True)
    (out / "_executed" / "parameters.json").write_text(json.dumps({"territory": territory, "data_dir": None}))
    staging = out / ".staging-x"
    (staging / "book").mkdir(parents=True)
    (staging / "_config.yml").write_text("title: Le bassin\nauthor: A\n", encoding="utf-8")
    (staging / "_toc.yml").write_text("format: jb-book\nroot: book/index\n", encoding="utf-8")
    (staging / "book" / "index.md").write_text("# Le livre\n\nTexte.\n", encoding="utf-8")
    (staging / "book" / "mines.md").write_text(f"(chap-m)=\n# Mines\n{rerun.ALES_SPECIFIC}\n\nTexte.\n",
                                               encoding="utf-8")
    (staging / "book" / "stats.md").write_text("(chap-s)=\n# Stats\n\nTexte.\n", encoding="utf-8")
    return staging


def test_adapt_staging_names_the_territory_in_title_root_page_and_marked_chapters(tmp_path):
    staging = _staging(tmp_path, DECAZEVILLE)
    changed = rerun.adapt_staging(staging)
    assert {p.name for p in changed} == {"_config.yml", "index.md", "mines.md"}
    title = yaml.safe_load((staging / "_config.yml").read_text(encoding="utf-8"))["title"]
    assert title.startswith(f"{DECAZEVILLE_NAME} : une histoire de reconversions")
    assert "bassin d'Alès" in title
    mines = (staging / "book" / "mines.md").read_text(encoding="utf-8")
    assert mines.startswith("(chap-m)=\n# Mines\n\n```{admonition} Déclinaison du livre pour " + DECAZEVILLE_NAME)
    assert f"concernent {DECAZEVILLE_NAME}" in mines and "concernent le bassin d'Alès" in mines
    assert (staging / "book" / "stats.md").read_text(encoding="utf-8") == "(chap-s)=\n# Stats\n\nTexte.\n"


def test_adapt_staging_leaves_the_default_territory_alone(tmp_path):
    default = pipeline.read_parameters()["territory"]
    staging = _staging(tmp_path, default)
    assert rerun.adapt_staging(staging) == []
    assert (staging / "_config.yml").read_text(encoding="utf-8") == "title: Le bassin\nauthor: A\n"


def _text(path):
    """The page's text, tags removed (inline tags leave no space: « étudié, <span>X</span>, » reads « étudié, X, »)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def test_real_rerun_for_decazeville(tmp_path):
    """The real pipeline for one other territory (HTML only): title, notice, glued territory name."""
    results = rerun.rerun([DECAZEVILLE], tmp_path, html=True, pdf=False, progress=lambda message: None)
    html = results[DECAZEVILLE]["folder"] / "_build" / "html"
    assert html == tmp_path / "EPCI-200067064" / "_build" / "html"
    index = _text(html / "book" / "index.html")  # _build/html/index.html only redirects there
    assert f"{DECAZEVILLE_NAME} : une histoire de reconversions, en données" in index
    marked = [p.stem for p in (pipeline.paths.ROOT / "book").glob("*.md")
              if rerun.ALES_SPECIFIC in p.read_text(encoding="utf-8")]
    assert marked, "no chapter is marked as specific to Alès"
    for stem in marked:
        assert f"Déclinaison du livre pour {DECAZEVILLE_NAME}" in _text(html / "book" / f"{stem}.html"), stem
    pairs = (html / "book" / "pairs.html").read_text(encoding="utf-8")
    pasted = re.findall(r'<span class="pasted-text">([^<]*)</span>', pairs)
    assert DECAZEVILLE_NAME in pasted
    assert f"le territoire étudié, {DECAZEVILLE_NAME}, se classe" in _text(html / "book" / "pairs.html")
    assert "le territoire étudié, CA Alès Agglomération" not in _text(html / "book" / "pairs.html")
    unmarked = _text(html / "book" / "pairs.html")
    assert "Déclinaison du livre pour" not in unmarked  # a generic chapter carries no notice
