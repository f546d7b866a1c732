"""Shared pieces of the source readers: the source description, checked file access and number parsing."""

from __future__ import annotations

import csv
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
        frame = pd.read_excel(path, sheet_name=sheet, skiprows=header_row - 1, dtype=dtype, engine="calamine")
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"not a readable Excel file ({exc})", file=path) from exc
    except ValueError as exc:  # unknown sheet, bad layout
        raise SourceError(str(exc), file=path, sheet=sheet) from exc
    except Exception as exc:  # openpyxl/xlrd raise their own types on corrupt files
        raise SourceError(f"not a readable Excel file ({type(exc).__name__}: {exc})", file=path) from exc
    require_columns(frame, required, file=path, sheet=sheet)
    return frame


def to_number(series: pd.Series, *, file, column, sheet=None, first_row: int = 2,
              thousands: str | None = None) -> pd.Series:
    """Parse numbers written with a point or a decimal comma; secret markers become missing (NaN).

    `first_row` is the spreadsheet/CSV line number of the series' first element, so that an
    unparseable cell is reported at its row in the file. With `thousands=","` (en-US exports such
    as "4,050"), the comma groups digits by three and only a point is a decimal mark; a comma
    elsewhere ("4,05") is an error rather than a silent decimal.
    """
    if pd.api.types.is_numeric_dtype(series):
        return series.astype(float)
    text = series.astype("string").str.strip().str.replace("\u202f", "", regex=False)
    text = text.str.replace("\xa0", "", regex=False).str.replace(" ", "", regex=False)
    marker = text.isna() | text.str.lower().isin(MISSING_MARKERS)
    if thousands == ",":
        grouped = text.str.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?").fillna(False).astype(bool)
        text = text.mask(grouped, text.str.replace(",", "", regex=False))
        text = text.mask(text.str.contains(",", regex=False).fillna(False).astype(bool), "?")
    elif thousands is not None:
        raise ValueError(f"unsupported thousands separator {thousands!r}")
    numbers = pd.to_numeric(text.where(~marker).str.replace(",", ".", regex=False), errors="coerce")
    bad = numbers.isna() & ~marker
    if bad.any():
        position = int(bad.to_numpy().nonzero()[0][0])
        raise SourceError(
            f"value {series.iloc[position]!r} is neither a number nor a secret marker",
            file=file, sheet=sheet, column=column, row=first_row + position,
        )
    return numbers.astype(float)


def check_codes(series: pd.Series, pattern: str, *, file, column, sheet=None, first_row: int = 2) -> pd.Series:
    """The codes, stripped; a SourceError at the first one that does not match the regex `pattern`."""
    codes = series.astype("string").str.strip()
    bad = ~codes.str.fullmatch(pattern).fillna(False).astype(bool)
    if bad.any():
        position = int(bad.to_numpy().nonzero()[0][0])
        raise SourceError(f"code {series.iloc[position]!r} does not match {pattern!r}",
                          file=file, sheet=sheet, column=column, row=first_row + position)
    return codes


def melt_numbers(frame: pd.DataFrame, columns: dict, *, into: str, keep, file, sheet=None,
                 first_row: int = 2, thousands: str | None = None) -> pd.DataFrame:
    """Wide to long: the `keep` columns, `into` (the label of each raw column) and `value`.

    `columns` maps each raw value column to its label; every column is parsed with `to_number`,
    so that a bad cell is reported with its column and row.
    """
    parts = []
    for column, label in columns.items():
        part = frame[list(keep)].copy()
        part[into] = label
        part["value"] = to_number(frame[column], file=file, sheet=sheet, column=column,
                                  first_row=first_row, thousands=thousands)
        parts.append(part)
    return pd.concat(parts, ignore_index=True)


def read_csv_records(path: Path, *, header_first_field: str, required=(),
                     encoding: str = "utf-8-sig") -> tuple[pd.DataFrame, int]:
    """Read a CSV whose header record (first field `header_first_field`) follows title records.

    Returns the records below the header as strings and the file line number of the first one
    (title cells may hold line breaks, so record and line numbers can differ). Trailing empty
    records are dropped; a record with another number of fields than the header is an error.
    """
    header, records, line = None, [], 0
    try:
        with open(path, encoding=encoding, newline="") as handle:
            reader = csv.reader(handle)
            for record in reader:
                if header is None:
                    if record and record[0].strip() == header_first_field:
                        header, first_line = [cell.strip() for cell in record], reader.line_num + 1
                    continue
                line = reader.line_num
                if not any(cell.strip() for cell in record):
                    record = [""] * len(header)
                elif len(record) != len(header):
                    raise SourceError(
                        f"record has {len(record)} fields, the header has {len(header)} (truncated file?)",
                        file=path, row=line,
                    )
                records.append(record)
    except UnicodeDecodeError as exc:
        raise SourceError(f"not a {encoding} text file ({exc})", file=path) from exc
    except csv.Error as exc:
        raise SourceError(f"not a readable CSV file ({exc})", file=path, row=line) from exc
    if header is None:
        raise SourceError(f"no header record starting with {header_first_field!r}", file=path)
    while records and not any(cell.strip() for cell in records[-1]):
        records.pop()
    if not records:
        raise SourceError("no data record below the header", file=path, row=first_line)
    frame = pd.DataFrame(records, columns=header, dtype="string")
    require_columns(frame, required, file=path)
    return frame, first_line


def finish(frame: pd.DataFrame, source: Source, *, file=None) -> pd.DataFrame:
    """Sort on the key, reject duplicate keys, and return a clean index."""
    key = list(source.key)
    require_columns(frame, key, file=file or source.name)
    duplicated = frame.duplicated(key, keep=False)
    if duplicated.any():
        example = frame.loc[duplicated, key].head(2).to_dict("records")
        raise SourceError(f"duplicate rows for key {key}: {example}", file=file or source.name)
    return frame.sort_values(key, kind="mergesort").reset_index(drop=True)
