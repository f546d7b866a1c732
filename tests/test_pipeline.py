"""Running notebooks: parameters, failures, hidden parameter cells."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from alesbook import cli, pipeline
from alesbook.errors import AlesbookError, NotebookError, TerritoryError


def _notebook(path, *sources):
    cells = [new_code_cell('territory = "EPCI:200066918"\ndata_dir = None')]
    cells[0].metadata["tags"] = ["parameters"]
    cells += [new_code_cell(source) for source in sources]
    nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "language": "python",
                                                            "display_name": "Python 3"}})
    nbformat.write(nb, path)


@pytest.fixture
def notebooks(tmp_path, monkeypatch):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    monkeypatch.setattr(pipeline, "NOTEBOOKS", folder)
    return folder


def test_failing_notebook_names_notebook_cell_and_error(notebooks, tmp_path, capsys):
    _notebook(notebooks / "broken.ipynb", "x = 1", "raise ValueError('bad input in chapter')")
    with pytest.raises(NotebookError) as error:
        pipeline.run(out=tmp_path / "out", progress=lambda m: None)
    message = str(error.value)
    assert "broken.ipynb" in message and "cell 3" in message
    assert "ValueError: bad input in chapter" in message
    assert not (tmp_path / "out" / "_executed" / "broken.ipynb").exists()
    assert (tmp_path / "out" / "_executed" / "broken.failed.ipynb").exists()


def test_cli_exits_non_zero_on_failing_notebook(notebooks, tmp_path, capsys):
    _notebook(notebooks / "broken.ipynb", "1 / 0")
    assert cli.main(["run", "--out", str(tmp_path / "out")]) == 1
    assert "broken.ipynb" in capsys.readouterr().err


def test_parameters_are_injected_and_parameter_cells_hidden(notebooks, tmp_path):
    _notebook(notebooks / "echo.ipynb", "print(territory)")
    pipeline.run(out=tmp_path, overrides=["territory=EPCI:200067064"], progress=lambda m: None)
    executed = nbformat.read(tmp_path / "_executed" / "echo.ipynb", as_version=4)
    hidden = [c for c in executed.cells if "remove-cell" in c.metadata.get("tags", [])]
    assert {t for c in hidden for t in c.metadata["tags"]} >= {"parameters", "injected-parameters"}
    printed = executed.cells[-1].outputs[0]["text"]
    assert printed.strip() == "EPCI:200067064"


def test_unknown_parameter_is_refused():
    with pytest.raises(AlesbookError, match="unknown parameter 'territorry'"):
        pipeline.read_parameters(["territorry=EPCI:200066918"])


def test_malformed_territory_is_refused():
    with pytest.raises(TerritoryError, match="malformed"):
        pipeline.read_parameters(["territory=EPCI-200066918"])


def test_unknown_notebook_is_refused(notebooks):
    _notebook(notebooks / "echo.ipynb", "1")
    with pytest.raises(AlesbookError, match="unknown notebook"):
        pipeline.notebook_paths(["chapitre-absent"])
