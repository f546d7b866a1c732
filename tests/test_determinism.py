"""Two builds from the same inputs give the same bytes: tidy tables and glued values."""

from __future__ import annotations

import nbformat

from alesbook import datasets, pipeline


def test_two_builds_give_identical_tables(tmp_path, raw_dir):
    only = ["population_ze_1876", "emploi_fonctions_communes"]  # plain and gzip-compressed tables
    first = datasets.build(raw_dir=raw_dir, out_dir=tmp_path / "one", only=only, progress=lambda m: None)
    second = datasets.build(raw_dir=raw_dir, out_dir=tmp_path / "two", only=only, progress=lambda m: None)
    assert [r["hash"] for r in first["resources"]] == [r["hash"] for r in second["resources"]]
    for resource in first["resources"]:
        assert (tmp_path / "one" / resource["path"]).read_bytes() == (tmp_path / "two" / resource["path"]).read_bytes()


def _glued(path):
    """Every value a notebook glued: key -> its text/plain (or image) representation."""
    values = {}
    for cell in nbformat.read(path, as_version=4).cells:
        for output in cell.get("outputs", []):
            key = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if key:
                values[key] = output["data"].get("text/plain", output["data"].get("image/png"))
    return values


def test_two_runs_glue_identical_values(tmp_path):
    stem = pipeline.notebook_paths()[0].stem
    for name in ("one", "two"):
        pipeline.run(out=tmp_path / name, only=[stem], force=True, progress=lambda m: None)
    first = _glued(tmp_path / "one" / pipeline.EXECUTED / f"{stem}.ipynb")
    assert first, "the notebook glued nothing"
    assert first == _glued(tmp_path / "two" / pipeline.EXECUTED / f"{stem}.ipynb")
