"""Measures of the territorial and socio-economic obstacles: isolation, precarity, diplomas, ages, unemployment.

Pure functions on tidy frames and Series, plus `census_rates`, which sums the census extracts of the
communes of a territory with `alesbook.territories.aggregate` (and so reports the population covered).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alesbook import territories

#: A « large city »: a commune with at least this many inhabitants (population municipale).
LARGE_CITY_POPULATION = 100_000

#: Census ratios: name -> (numerator variable, denominator variable) of the table recensement_communes.
CENSUS_RATIOS = {
    "share_no_diploma_cep": ("pop_dipl_aucun_cep", "pop_non_scol_15p"),
    "share_higher_education": ("pop_dipl_sup_total", "pop_non_scol_15p"),
    "share_15_29": ("pop_15_29", "pop_mun"),
    "share_75_plus": ("pop_75p", "pop_mun"),
    "unemployment_rate": ("pop_chom", "pop_act_15p"),
}


def density(population, area_km2):
    """Inhabitants per km²."""
    return population / area_km2


def density_series(frame: pd.DataFrame) -> pd.Series:
    """Inhabitants per km² by period from a tidy frame with variables ``population`` and ``superficie``
    (one territory, e.g. the table population_ze_1876); the area is the latest one given."""
    population = frame[frame["variable"] == "population"].set_index("period")["value"].sort_index().dropna()
    area = frame[frame["variable"] == "superficie"].sort_values("period")["value"].dropna()
    if population.empty or area.empty:
        raise KeyError("density_series needs variables 'population' and 'superficie'")
    return population / float(area.iloc[-1])


def large_cities(population: pd.Series, threshold: float = LARGE_CITY_POPULATION) -> pd.Series:
    """The communes of `population` (by code) with at least `threshold` inhabitants, largest first."""
    return population[population >= threshold].sort_values(ascending=False)


def nearest(points: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """For each point (columns code, lon, lat), the nearest target (code, lon, lat) in straight line.

    Returns one row per point: code, target (code of the nearest target), distance_km (great circle).
    """
    if targets.empty:
        raise ValueError("no target to measure a distance to")
    matrix = territories.distance_km(points["lon"].to_numpy()[:, None], points["lat"].to_numpy()[:, None],
                                     targets["lon"].to_numpy()[None, :], targets["lat"].to_numpy()[None, :])
    best = matrix.argmin(axis=1)
    return pd.DataFrame({"code": points["code"].to_numpy(), "target": targets["code"].to_numpy()[best],
                         "distance_km": matrix[np.arange(len(points)), best]})


def weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    """Mean of `values` weighted by `weights` (aligned on their index); pairs with a missing side are left out."""
    frame = pd.concat([values.rename("v"), weights.rename("w")], axis=1).dropna()
    if frame.empty or frame["w"].sum() == 0:
        return float("nan")
    return float((frame["v"] * frame["w"]).sum() / frame["w"].sum())


def share_within(values: pd.Series, weights: pd.Series, limit: float) -> float:
    """Share (%) of the total weight whose value is at most `limit` (e.g. population within 30 km)."""
    frame = pd.concat([values.rename("v"), weights.rename("w")], axis=1).dropna()
    if frame.empty or frame["w"].sum() == 0:
        return float("nan")
    return float(frame.loc[frame["v"] <= limit, "w"].sum() / frame["w"].sum() * 100)


def annual_mean(quarterly: pd.Series, complete: bool = True) -> pd.Series:
    """Yearly means of a quarterly series indexed 'YYYY-TQ'; with `complete`, only years with 4 quarters."""
    values = quarterly.dropna()
    years = values.index.str[:4].astype(int)
    grouped = values.groupby(years)
    means = grouped.mean()
    if complete:
        means = means[grouped.count() == 4]
    means.index.name = "period"
    return means


def age_group_total(frame: pd.DataFrame, low: int, high: int | None = None) -> pd.Series:
    """Population by period of the five-year age groups from `low` to `high` years (None: no upper bound).

    `frame`: one territory and one sex of the table population_dep_age (ages '00-04' ... '95+',
    '90+', 'total'). A group is kept when its lower bound is in [low, high].
    """
    ages = frame[frame["age"] != "total"]
    lower = ages["age"].str.extract(r"^(\d+)")[0].astype(int)
    keep = (lower >= low) & (lower <= (high if high is not None else 10**6))
    return ages[keep.to_numpy()].groupby("period")["value"].sum(min_count=1)


def age_structure(frame: pd.DataFrame) -> pd.DataFrame:
    """Shares (%) of the 15-29 and 65+ and the ageing index (65+ per 100 under-20) by period.

    `frame`: one territory and one sex of the table population_dep_age.
    """
    total = frame[frame["age"] == "total"].set_index("period")["value"]
    young, old = age_group_total(frame, 15, 25), age_group_total(frame, 65)
    under20 = age_group_total(frame, 0, 15)
    return pd.DataFrame({"share_15_29": young / total * 100, "share_65_plus": old / total * 100,
                         "ageing_index": old / under20 * 100}).sort_index()


def ratios(sums: pd.DataFrame, definitions: dict = CENSUS_RATIOS) -> pd.DataFrame:
    """Ratios (%) of summed counts: `sums` has one column per variable (rows: periods or territories);
    returns one column per ratio of `definitions` (name -> (numerator, denominator))."""
    return pd.DataFrame({name: sums[num] / sums[den] * 100 for name, (num, den) in definitions.items()
                         if num in sums and den in sums}, index=sums.index)


def census_rates(table: pd.DataFrame, territory, data_dir=None) -> pd.DataFrame:
    """Census ratios (`CENSUS_RATIOS`) of a territory, from the communes of the table recensement_communes.

    One row per period: the ratios, plus ``communes`` (communes in the extract), ``communes_total`` and
    ``population_share`` (% of the territory's population they hold, weighted by the census population of
    the same year). For a commune, its own ratios.
    """
    variables = {v for pair in CENSUS_RATIOS.values() for v in pair}
    table = table[table["variable"].isin(variables)]
    rows = []
    for period, part in table.groupby("period"):
        summed = territories.aggregate(part, territory, population=int(period), data_dir=data_dir)
        wide = summed.set_index("variable")["value"]
        row = ratios(wide.to_frame().T).iloc[0].to_dict()
        base = summed[summed["variable"] == "pop_mun"]
        row.update(period=int(period), communes=int(base["communes"].iloc[0]),
                   communes_total=int(base["communes_total"].iloc[0]),
                   population_share=float(base["population_share"].iloc[0]) * 100)
        rows.append(row)
    return pd.DataFrame(rows).set_index("period")


def commune_ratios(table: pd.DataFrame) -> pd.DataFrame:
    """Census ratios (`CENSUS_RATIOS`) of each commune and period: index (code, period)."""
    wide = table.pivot_table(index=["code", "period"], columns="variable", values="value", aggfunc="sum")
    return ratios(wide)


def spread(values: pd.Series) -> dict:
    """Minimum, maximum (with their index labels) and count of the non-missing values."""
    values = values.dropna()
    if values.empty:
        return {"count": 0, "min": float("nan"), "min_at": None, "max": float("nan"), "max_at": None}
    return {"count": int(values.size), "min": float(values.min()), "min_at": values.idxmin(),
            "max": float(values.max()), "max_at": values.idxmax()}
