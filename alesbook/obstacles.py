"""Measures of the territorial and socio-economic obstacles: isolation, precarity, diplomas, ages, unemployment.

Pure functions on tidy frames and Series, plus `census_rates`, which sums the census extracts of the
communes of a territory with `alesbook.territories.aggregate` (and so reports the population covered).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from alesbook import indicators, territories

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


# --- Measures by territorial level (read the tidy tables; shared by the chapter and the claims annex) ---

#: Roles of the levels compared, in order: the main commune, the territory, its zone d'emploi,
#: département, région and France métropolitaine (keys of `alesbook.figures.PALETTE`).
ROLES = ("commune", "territoire", "zone_emploi", "departement", "region", "france")


def main_commune(territory, data_dir=None) -> territories.Territory:
    """The most populous commune of the territory (latest census)."""
    members = territories.communes(territory, data_dir)["com"]
    weights = members.map(territories.populations(data_dir=data_dir)).fillna(0)
    return territories.Territory("COM", str(members.iloc[int(weights.to_numpy().argmax())]))


def levels(territory, data_dir=None) -> dict:
    """Role -> Territory of the levels compared with `territory` (see `ROLES`)."""
    territory = territories.validate(territory, data_dir)
    return {"commune": main_commune(territory, data_dir), "territoire": territory,
            "zone_emploi": territories.zone_emploi(territory, data_dir=data_dir),
            "departement": territories.departement(territory, data_dir=data_dir),
            "region": territories.region(territory, data_dir=data_dir),
            "france": territories.Territory("FR", "METRO")}


def by_level(table: pd.DataFrame, found: dict, variable: str) -> pd.DataFrame:
    """Values of `variable` by period (rows) and role (columns) for the territories of `found`
    (role -> Territory), matched on level and code; roles absent from the table are left out."""
    rows = table[table["variable"] == variable]
    columns = {}
    for role, where in found.items():
        part = rows[(rows["level"] == where.level) & (rows["code"] == where.code)]
        if not part.empty:
            columns[role] = part.groupby("period")["value"].first()
    return pd.DataFrame(columns).sort_index()


def income_by_level(territory, variable: str, data_dir=None) -> pd.DataFrame:
    """A Filosofi variable (e.g. poverty_rate_60) by income year and role; 2021 for communes only.

    Each vintage is in its own geography: a territory whose code did not exist yet has no value then.
    """
    from alesbook import datasets
    table = pd.concat([datasets.load("filosofi", data_dir=data_dir),
                       datasets.load("filosofi_2021_communes", data_dir=data_dir)])
    return by_level(table, levels(territory, data_dir), variable)


def income_of_communes(territory, variable: str, period: int, data_dir=None) -> pd.DataFrame:
    """A Filosofi variable for each commune of the territory in `period` (2014-2019 or 2021), with the
    commune's name and population (latest census); secret values stay missing."""
    from alesbook import datasets
    name = "filosofi_2021_communes" if period == 2021 else "filosofi"
    table = datasets.load(name, data_dir=data_dir)
    table = table[(table["level"] == "COM") & (table["variable"] == variable) & (table["period"] == period)]
    members = territories.communes(territory, data_dir)[["com", "com_name"]]
    result = members.assign(value=members["com"].map(table.set_index("code")["value"]),
                            population=members["com"].map(territories.populations(data_dir=data_dir)))
    return result.rename(columns={"com": "code", "com_name": "name"}).reset_index(drop=True)


def unemployment_by_level(territory, data_dir=None, yearly: bool = True) -> pd.DataFrame:
    """Localised unemployment rate (%) of the zone d'emploi, département, région and France
    métropolitaine: yearly means of complete years (`yearly`) or quarters, columns = roles."""
    from alesbook import datasets
    table = pd.concat([datasets.load("chomage_ze2020", data_dir=data_dir),
                       datasets.load("chomage_dep_reg", data_dir=data_dir)])
    found = {k: v for k, v in levels(territory, data_dir).items() if k not in ("commune", "territoire")}
    quarterly = by_level(table, found, "taux_chomage")
    if not yearly:
        return quarterly
    quarterly.index = [indicators.quarter_to_year_fraction(q) for q in quarterly.index]
    result = quarterly.apply(lambda column: indicators.annual_mean(column.dropna()))
    result.index.name = "period"
    return result


def ages_by_level(territory, data_dir=None) -> dict:
    """Role -> `age_structure` (shares of 15-29 and 65+, ageing index) by year, for the département,
    the région and France métropolitaine (table population_dep_age, both sexes)."""
    from alesbook import datasets
    table = datasets.load("population_dep_age", data_dir=data_dir)
    table = table[table["sex"] == "ensemble"]
    result = {}
    for role, where in levels(territory, data_dir).items():
        part = table[(table["level"] == where.level) & (table["code"] == where.code)]
        if not part.empty:
            result[role] = age_structure(part)
    return result


def census_by_level(territory, data_dir=None) -> pd.DataFrame:
    """`census_rates` of each role but France (no national rows in the extract): index (role, period)."""
    from alesbook import datasets
    table = datasets.load("recensement_communes", data_dir=data_dir)
    found = {k: v for k, v in levels(territory, data_dir).items() if k != "france"}
    return pd.concat({role: census_rates(table, where, data_dir) for role, where in found.items()},
                     names=["role", "period"])


def isolation(territory, threshold: float = LARGE_CITY_POPULATION, data_dir=None) -> pd.DataFrame:
    """Each commune of the territory with its population (latest census), area (km²), density, and
    the nearest large city (commune of the data with at least `threshold` inhabitants) in straight
    line from centroid to centroid (table contours_2018)."""
    from alesbook import datasets
    population = territories.populations(data_dir=data_dir)
    shapes = datasets.load("contours_2018", data_dir=data_dir)
    shapes = shapes[shapes["level"] == "COM"].drop_duplicates("code")
    cities = shapes[shapes["code"].isin(large_cities(population, threshold).index)]
    members = territories.communes(territory, data_dir)[["com", "com_name"]]
    points = members.merge(shapes[["code", "lon", "lat", "area_km2"]], left_on="com", right_on="code")
    result = points.merge(nearest(points, cities), on="code")
    result["population"] = result["code"].map(population)
    result["density"] = result["population"] / result["area_km2"]
    result["target_name"] = result["target"].map(shapes.set_index("code")["name"])
    return result[["code", "com_name", "population", "area_km2", "density", "target", "target_name",
                   "distance_km"]].rename(columns={"com_name": "name"})


def isolation_summary(frame: pd.DataFrame, within: float = 30.0) -> dict:
    """Population, area, density, population-weighted mean distance to the nearest large city and share
    of the population within `within` km, from an `isolation` frame."""
    population, area = frame["population"].sum(), frame["area_km2"].sum()
    return {"population": float(population), "area_km2": float(area), "density": float(population / area),
            "distance_km": weighted_mean(frame["distance_km"], frame["population"]),
            "share_within": share_within(frame["distance_km"], frame["population"], within)}


def density_by_level(territory, data_dir=None) -> pd.DataFrame:
    """Inhabitants per km² by census year (rows) and role (columns): the zone d'emploi since 1876
    (table population_ze_1876, with its area), the territory, département, région and France
    métropolitaine since 1968 (table population_communes over the areas of contours_2018)."""
    from alesbook import datasets
    found = levels(territory, data_dir)
    zone = datasets.load("population_ze_1876", territory=found["zone_emploi"], data_dir=data_dir)
    columns = {"zone_emploi": density_series(zone)}
    people = datasets.load("population_communes", data_dir=data_dir)
    shapes = datasets.load("contours_2018", data_dir=data_dir)
    areas = shapes.set_index(["level", "code"])["area_km2"]
    towns = people[people["level"] == "COM"]
    members = territories.communes(found["territoire"], data_dir)["com"]
    columns["territoire"] = (towns[towns["code"].isin(members)].groupby("period")["value"].sum(min_count=1)
                             / shapes[(shapes["level"] == "COM") & shapes["code"].isin(members)]["area_km2"].sum())
    for role in ("departement", "region"):
        where = found[role]
        part = people[(people["level"] == where.level) & (people["code"] == where.code)]
        columns[role] = part.set_index("period")["value"] / areas[(where.level, where.code)]
    france = people[(people["level"] == "FR") & (people["code"] == "METRO")].set_index("period")["value"]
    columns["france"] = france / shapes.loc[shapes["level"] == "REG", "area_km2"].sum()
    return pd.DataFrame(columns).sort_index()


def mean_distance_by(frame: pd.DataFrame, key: pd.Series) -> pd.Series:
    """Population-weighted mean distance (column distance_km, weights population) of an `isolation`
    frame, by the group `key` gives to each row (e.g. its EPCI)."""
    weighted = frame["distance_km"] * frame["population"]
    groups = key.to_numpy()
    return weighted.groupby(groups).sum() / frame["population"].groupby(groups).sum()


def position(value, references: dict, decimals: int = 1, above: str = "au-dessus", below: str = "en dessous",
             level: str = "au niveau") -> str:
    """Where `value` stands against named references, in French, grouped by direction, so that prose
    stays true for any territory: position(9.9, {"du département": 9.0, "de la région": 8.7,
    "de la France": 10.1}) == "au-dessus du département et de la région et en dessous de la France".

    Keys carry their preposition (« du département », « de la région »); the gap is rounded to `decimals`
    (the precision shown), so that a gap printed as zero reads « au niveau ».
    """
    groups: dict[str, list[str]] = {}
    for name, reference in references.items():
        gap = round(value - reference, decimals)
        word = above if gap > 0 else below if gap < 0 else level
        groups.setdefault(word, []).append(name)
    parts = [f"{word} {_join(names)}" for word, names in groups.items()]
    return _join(parts)


def _join(items: list[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]
