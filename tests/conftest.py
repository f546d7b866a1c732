"""Shared fixtures: the tidy tables built once from the staged official files."""

from __future__ import annotations

from pathlib import Path

import pytest

from alesbook import datasets, paths

FIXTURES = Path(__file__).parent / "fixtures"


def value(frame, **where) -> float:
    """The single value of the rows matching `where`."""
    rows = frame
    for column, wanted in where.items():
        rows = rows[rows[column] == wanted]
    assert len(rows) == 1, f"{len(rows)} rows for {where}"
    return float(rows["value"].iloc[0])


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The staged official files (../shared/data/raw); CI has them beside the clone."""
    raw = paths.default_raw_dir()
    assert raw.is_dir(), f"staged raw data not found at {raw}"
    return raw


@pytest.fixture(scope="session")
def built_data(tmp_path_factory, raw_dir) -> Path:
    """A data folder built from every staged source, away from the committed one."""
    out = tmp_path_factory.mktemp("data")
    datasets.build(raw_dir=raw_dir, out_dir=out, progress=lambda message: None)
    return out


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Path:
    """The real book, executed and built (HTML and PDF) from the committed data into a temporary OUT."""
    from alesbook import pipeline

    out = tmp_path_factory.mktemp("book")
    pipeline.run(out=out, progress=lambda message: None)
    pipeline.book(out=out, progress=lambda message: None)
    return out
