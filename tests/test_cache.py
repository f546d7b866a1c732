"""The execution cache: a notebook re-executes exactly when one of its inputs changed; bad input stops
`alesbook run` and `alesbook book` before any work."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from alesbook import datasets, paths, pipeline
from alesbook.errors import AlesbookError, TerritoryError
from alesbook.sources._common import sha256


def _notebook(path, body):
    parameters = new_code_cell('territory = "EPCI:200066918"\ndata_dir = None')
    parameters.metadata["tags"] = ["parameters"]
    cells = [parameters, new_code_cell("from alesbook import load\n" + body)]
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": {
        "name": "python3", "language": "python", "display_name": "Python 3"}}), path)


@pytest.fixture
def project(tmp_path, monkeypatch):
    """Two notebooks loading different tables, and a private copy of the tidy tables."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _notebook(notebooks / "a.ipynb", 'x = load("population_ze_1876", data_dir=data_dir)')
    _notebook(notebooks / "b.ipynb", 'x = load("chomage_ze2020", data_dir=data_dir)')
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data, ignore=shutil.ignore_patterns("raw"))
    monkeypatch.setattr(pipeline, "NOTEBOOKS", notebooks)
    monkeypatch.setattr(pipeline, "code_digest", lambda: "this version of alesbook")
    overrides = [f"data_dir={data}"]
    out = tmp_path / "out"

    def run(*extra, **options):
        return pipeline.run(out=out, overrides=[*overrides, *extra], progress=lambda m: None, **options)

    return run, notebooks, data, out


def _executed(report):
    return sorted(stem for stem, status in report.items() if status != "cached")


def _new_vintage(data, name):
    """Change one value of a table and record the new sha256 in the descriptor, as a rebuild would."""
    table = datasets.load(name, data_dir=data)
    table.loc[table.index[0], "value"] = 1.0 + (table["value"].iloc[0] or 0)
    path = datasets.write_csv(table, data / datasets.TABLES / f"{name}.csv")
    descriptor = json.loads((data / datasets.DESCRIPTOR).read_text())
    for resource in descriptor["resources"]:
        if resource["name"] == name:
            resource["hash"] = f"sha256:{sha256(path)}"
    (data / datasets.DESCRIPTOR).write_text(json.dumps(descriptor))


def test_nothing_changed_nothing_executed(project):
    run, *_ = project
    assert _executed(run()) == ["a", "b"]
    assert _executed(run()) == []


def test_a_changed_table_re_executes_only_the_notebooks_that_load_it(project):
    run, notebooks, data, out = project
    run()
    _new_vintage(data, "chomage_ze2020")
    assert _executed(run()) == ["b"]


def test_a_changed_notebook_re_executes_only_itself(project):
    run, notebooks, data, out = project
    run()
    _notebook(notebooks / "a.ipynb", 'x = load("population_ze_1876", data_dir=data_dir)\ny = 1')
    assert _executed(run()) == ["a"]


def test_changed_parameters_re_execute_everything(project):
    run, *_ = project
    run()
    assert _executed(run("territory=EPCI:200067064")) == ["a", "b"]


def test_changed_analysis_code_re_executes_everything(project, monkeypatch):
    run, *_ = project
    run()
    monkeypatch.setattr(pipeline, "code_digest", lambda: "another version of alesbook")
    assert _executed(run()) == ["a", "b"]


def test_code_digest_follows_analysis_modules_only(tmp_path, monkeypatch):
    package = tmp_path / "alesbook"
    (package / "sources").mkdir(parents=True)
    for name in ("indicators.py", "cli.py", "sources/reader.py"):
        (package / name).write_text("x = 1\n")
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    before = pipeline.code_digest()
    (package / "cli.py").write_text("x = 2\n")
    (package / "sources" / "reader.py").write_text("x = 2\n")
    assert pipeline.code_digest() == before
    (package / "indicators.py").write_text("x = 2\n")
    assert pipeline.code_digest() != before


def test_force_re_executes_everything(project):
    run, *_ = project
    run()
    assert _executed(run(force=True)) == ["a", "b"]


def test_a_recorded_committed_file_is_watched(project, tmp_path, monkeypatch):
    run, notebooks, data, out = project
    watched = tmp_path / "timeline.csv"
    watched.write_text("date,event\n1946,HBC\n")
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    _notebook(notebooks / "a.ipynb", 'from alesbook import datasets\ndatasets.record_use("file:timeline.csv")')
    run()
    assert _executed(run()) == []
    watched.write_text("date,event\n1946,HBC\n1947,pic\n")
    assert _executed(run()) == ["a"]


def test_edited_table_stops_the_run_before_any_notebook(project):
    run, notebooks, data, out = project
    table = data / datasets.TABLES / "population_ze_1876.csv"
    table.write_text(table.read_text().replace("199886", "199887"))
    with pytest.raises(AlesbookError, match="population_ze_1876.csv: sha256 differs"):
        run()
    assert not (out / pipeline.EXECUTED / "a.ipynb").exists()


def test_missing_table_stops_the_run_before_any_notebook(project):
    run, notebooks, data, out = project
    (data / datasets.TABLES / "chomage_ze2020.csv").unlink()
    with pytest.raises(AlesbookError, match="chomage_ze2020.csv: table missing"):
        run()
    assert not (out / pipeline.EXECUTED).exists() or not any((out / pipeline.EXECUTED).glob("*.ipynb"))


def test_unknown_territory_stops_the_run_before_any_notebook(project):
    run, notebooks, data, out = project
    with pytest.raises(TerritoryError, match="200066919"):
        run("territory=EPCI:200066919")
    assert not (out / pipeline.EXECUTED).exists()


def test_missing_tex_stops_the_pdf_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline.shutil, "which", lambda tool: None)
    with pytest.raises(AlesbookError, match="apt-get install -y texlive-xetex"):
        pipeline.book(out=tmp_path, html=False, pdf=True, progress=lambda m: None)
    assert not any(tmp_path.iterdir())
