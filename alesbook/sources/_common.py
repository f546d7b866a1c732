"""Shared pieces of the source readers: the source description, checked file access and number parsing."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from alesbook.errors import SourceError

#: Columns of a long tidy table, in this order; a source may add dimension columns before `variable`.
TIDY_COLUMNS = ["level", "code", "name", "period", "variable", "value", "unit"]

#: Cell contents that official files use for secret, not available or not significant values.
MISSING_MARKERS = {"", "s", "nd", "n.d.", "nd.", "ns", "nc", "n.s.", "se", "-", "..."}

INSEE = "Insee"
LICENCE_OUVERTE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}


@dataclass(frozen=True)
class Source:
    """What a tidy table is built from and how to cite it."""

    name: str  #: table name, the stem of data/tables/NAME.csv and the argument of alesbook.load
    title: str  #: French title shown in the data appendix
    producer: str
    url: str  #: official page of the producer
    licence: dict
    attribution: str  #: e.g. « Source : Insee »
    vintage: str  #: millésime / edition as the producer names it
    folder: str  #: folder under the raw data directory
    files: tuple[str, ...]  #: raw files read, relative to folder
    coverage: str
    key: tuple[str, ...]  #: columns that identify a row (sorted on, unique)
    notes: tuple[str, ...] = field(default_factory=tuple)  #: pitfalls handled, documented in the descriptor
    description: str = ""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def raw_path(folder: Path, filename: str) -> Path:
    """The path of a raw file, or a SourceError naming the missing file."""
    path = Path(folder) / filename
    if not path.is_file():
        raise SourceError("raw file not found (run `alesbook data fetch` or pass --raw DIR)", file=path)
    return path


def require_columns(frame: pd.DataFrame, required, *, file, sheet=None) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise SourceError(
            f"missing column(s) {missing}; found {list(frame.columns)[:20]}", file=file, sheet=sheet
        )


def read_excel(path: Path, *, sheet, header_row: int, required=(), dtype=None) -> pd.DataFrame:
    """Read one sheet whose header is on (1-based) spreadsheet row `header_row`; check its columns."""
    try:
        frame = pd.read_excel(path, sheet_name=sheet, skiprows=header_row - 1, dtype=dtype)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"not a readable Excel file ({exc})", file=path) from exc
    except ValueError as exc:  # unknown sheet, bad layout
        raise SourceError(str(exc), file=path, sheet=sheet) from exc
    except Exception as exc:  # openpyxl/xlrd raise their own types on corrupt files
        raise SourceError(f"not a readable Excel file ({type(exc).__name__}: {exc})", file=path) from exc
    require_columns(frame, required, file=path, sheet=sheet)
    return frame


def to_number(series: pd.Series, *, file, column, sheet=None, first_row: int = 2) -> pd.Series:
    """Parse numbers written with a point or a decimal comma; secret markers become missing (NaN).

    `first_row` is the spreadsheet/CSV line number of the series' first element, so that an
    unparseable cell is reported at its row in the file.
    """
    if pd.api.types.is_numeric_dtype(series):
        return series.astype(float)
    text = series.astype("string").str.strip().str.replace("\u202f", "", regex=False)
    text = text.str.replace("\xa0", "", regex=False).str.replace(" ", "", regex=False)
    marker = text.isna() | text.str.lower().isin(MISSING_MARKERS)
    numbers = pd.to_numeric(text.where(~marker).str.replace(",", ".", regex=False), errors="coerce")
    bad = numbers.isna() & ~marker
    if bad.any():
        position = int(bad.to_numpy().nonzero()[0][0])
        raise SourceError(
            f"value {series.iloc[position]!r} is neither a number nor a secret marker",
            file=file, sheet=sheet, column=column, row=first_row + position,
        )
    return numbers.astype(float)


def finish(frame: pd.DataFrame, source: Source, *, file=None) -> pd.DataFrame:
    """Sort on the key, reject duplicate keys, and return a clean index."""
    key = list(source.key)
    require_columns(frame, key, file=file or source.name)
    duplicated = frame.duplicated(key, keep=False)
    if duplicated.any():
        example = frame.loc[duplicated, key].head(2).to_dict("records")
        raise SourceError(f"duplicate rows for key {key}: {example}", file=file or source.name)
    return frame.sort_values(key, kind="mergesort").reset_index(drop=True)
