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
