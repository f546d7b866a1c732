"""Pure functions on tidy series: peaks, latest values, base-100 indices, shares, growth rates."""

from __future__ import annotations

import pandas as pd


def series(frame: pd.DataFrame, variable: str, index: str = "period") -> pd.Series:
    """The values of one variable of a tidy frame, indexed by period and sorted, missing values dropped."""
    selected = frame[frame["variable"] == variable]
    if selected.empty:
        raise KeyError(f"variable {variable!r} not in frame (has {sorted(frame['variable'].unique())})")
    return selected.set_index(index)["value"].sort_index().dropna()


def peak(values: pd.Series) -> tuple:
    """(period, value) of the maximum; the first one when the maximum is reached twice."""
    if values.empty:
        raise ValueError("empty series has no peak")
    return values.idxmax(), values.max()


def latest(values: pd.Series) -> tuple:
    """(period, value) of the last non-missing value."""
    values = values.dropna()
    if values.empty:
        raise ValueError("empty series has no latest value")
    return values.index[-1], values.iloc[-1]


def index_base100(values: pd.Series, base) -> pd.Series:
    """The series divided by its value at period `base`, times 100."""
    if base not in values.index or pd.isna(values.loc[base]) or values.loc[base] == 0:
        raise ValueError(f"base period {base!r} missing or zero in the series")
    return values / values.loc[base] * 100


def change_percent(values: pd.Series, start, end) -> float:
    """Relative change in % between two periods."""
    return (values.loc[end] / values.loc[start] - 1) * 100


def trough(values: pd.Series) -> tuple:
    """(period, value) of the minimum; the first one when the minimum is reached twice."""
    if values.empty:
        raise ValueError("empty series has no trough")
    return values.idxmin(), values.min()


def shares(values, total=None):
    """Each value as a percentage of the total.

    `values`: a Series indexed by category, or a DataFrame with one row per observation (e.g. period) and
    one column per category. `total`: the label of the category holding the total (e.g. ``"TT"``), which
    is then the denominator and is dropped from the result; None: the sum of the categories.
    """
    if isinstance(values, pd.DataFrame):
        denominator = values.sum(axis=1) if total is None else values[total]
        parts = values if total is None else values.drop(columns=total)
        return parts.div(denominator, axis=0) * 100
    denominator = values.sum() if total is None else values.loc[total]
    parts = values if total is None else values.drop(total)
    return parts / denominator * 100


def location_quotient(local, reference, total=None):
    """Location quotient of each category: its share of the local total over its share of the reference total.

    LQ_i = (local_i / local_total) / (reference_i / reference_total). 1 means that category i weighs as much
    locally as in the reference; 2, twice as much; 0.5, half. `local` and `reference` are Series indexed by
    category (e.g. sector), or DataFrames with one row per period and one column per category, aligned on
    their labels; `total` as in `shares` (None: the sum of the categories).
    """
    return shares(local, total) / shares(reference, total)


def quarter_to_year_fraction(period) -> float:
    """A quarter 'YYYY-TQ' (e.g. '2003-T1') as a year with fraction at the start of the quarter: 2003.0;
    '2003-T3' is 2003.5. Use it to put quarterly series on the same time axis as annual ones."""
    text = str(period).strip()
    year, sep, quarter = text.partition("-T")
    if not (sep and year.isdigit() and quarter in ("1", "2", "3", "4")):
        raise ValueError(f"not a quarter 'YYYY-TQ': {period!r}")
    return int(year) + (int(quarter) - 1) / 4


def quarterly_series(frame: pd.DataFrame, variable: str) -> pd.Series:
    """`series` of a quarterly tidy frame (periods 'YYYY-TQ') indexed by `quarter_to_year_fraction`."""
    values = series(frame, variable)
    values.index = [quarter_to_year_fraction(period) for period in values.index]
    return values.sort_index()


def annual_mean(values: pd.Series) -> pd.Series:
    """Mean of a quarterly series (indexed by year fraction) over each calendar year with four quarters."""
    years = pd.Series(values.index, index=values.index).astype(float).floordiv(1).astype(int)
    grouped = values.groupby(years.to_numpy())
    return grouped.mean()[grouped.count() == 4]


def _normalised(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(text.replace("-", " ").replace("'", " ").casefold().split())


def find_by_name(names: pd.Series, name: str):
    """The index label of the only entry of `names` equal to `name`, ignoring case, accents, hyphens and
    apostrophes (e.g. to find the zone d'emploi named after a commune); none or several raise KeyError."""
    matches = names[names.map(_normalised) == _normalised(name)].index.unique()
    if len(matches) != 1:
        raise KeyError(f"{len(matches)} entries named {name!r} (need exactly one): {list(matches)[:5]}")
    return matches[0]


#: French ordinals of the quarters, for prose: « premier trimestre 1982 ».
QUARTERS_FR = ("premier", "deuxième", "troisième", "quatrième")


def quarter_label_fr(quarter) -> str:
    """A quarter in French words, given as a period ('2003-T2') or as the year fraction of its start
    (as from `quarter_to_year_fraction`, 2003.25): « deuxième trimestre 2003 »."""
    year_fraction = quarter_to_year_fraction(quarter) if isinstance(quarter, str) else quarter
    year = int(year_fraction // 1)
    quarter = round((year_fraction - year) * 4)
    if not 0 <= quarter <= 3 or abs((year_fraction - year) * 4 - quarter) > 1e-9:
        raise ValueError(f"{year_fraction!r} is not the start of a quarter")
    return f"{QUARTERS_FR[quarter]} trimestre {year}"
