"""Pieces shared by the population and census readers: R data files and the départements of Occitanie."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadr

from alesbook.errors import SourceError

#: Départements of the Occitanie region (code 76 since 2016) and their names.
OCCITANIE = {
    "09": "Ariège", "11": "Aude", "12": "Aveyron", "30": "Gard", "31": "Haute-Garonne", "32": "Gers",
    "34": "Hérault", "46": "Lot", "48": "Lozère", "65": "Hautes-Pyrénées", "66": "Pyrénées-Orientales",
    "81": "Tarn", "82": "Tarn-et-Garonne",
}
OCCITANIE_CODE, OCCITANIE_NAME = "76", "Occitanie"


def read_rdata(path: Path, objects=None) -> dict[str, pd.DataFrame]:
    """The data frames of an .RData/.rds file, by object name; a corrupt file or a missing object raises."""
    try:
        result = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own LibrdataError / PyreadrError types
        raise SourceError(f"not a readable R data file ({type(exc).__name__}: {exc})", file=path) from exc
    missing = [name for name in objects or () if name not in result]
    if missing:
        raise SourceError(f"missing R object(s) {missing}; found {sorted(result)[:10]}", file=path)
    return dict(result)


def sum_strict(values: pd.Series, by) -> pd.Series:
    """Group sums that stay missing (NaN) when any member is missing, instead of counting it as 0."""
    grouped = values.groupby(by, sort=True)
    sums = grouped.sum()
    sums[values.isna().groupby(by, sort=True).any()] = float("nan")
    return sums


def repair_mojibake(names: pd.Series) -> pd.Series:
    """Undo UTF-8 text decoded as Windows-1252 ("AlÃ¨s" -> "Alès", "Ã‰" -> "É"), as in the
    COGugaison tables. Names that are not such double-encoded text are kept as they are.
    """
    def repair(text):
        for codec in ("cp1252", "latin-1"):
            try:
                return text.encode(codec).decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError, AttributeError):
                continue
        return text

    return names.map(repair)
