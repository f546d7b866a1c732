"""Territories: a level and an official code, e.g. ``Territory.parse("EPCI:200066918")``.

Compositions, names and memberships come from the tidy tables (``communes_2023`` for the COG 2023
communes with their EPCI and zone d'emploi 2020, ``cog_2026`` for the names of départements and régions,
``population_communes`` for population weights), read with `alesbook.datasets.load`; every function
takes ``data_dir`` (None: the committed data folder).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from alesbook import datasets
from alesbook.errors import TerritoryError

#: Level -> pattern of a valid code at that level.
LEVELS = {
    "COM": r"\d[\dAB]\d{3}",
    "EPCI": r"\d{9}",
    "ZE2020": r"\d{4}",
    "ZE2010": r"\d{4}",
    "ZE1990": r"\d{4}",
    "DEP": r"\d[\dAB]|\d{3}",
    "REG": r"\d{2}",
    "FR": r"FR|METRO",
}
#: Mean radius of the Earth (IUGG), km.
EARTH_RADIUS_KM = 6371.0088
#: Tables read: the commune composition (COG 2023), the names of départements and régions (COG 2026),
#: the census populations of the communes in COG 2023 geography (weights).
COMPOSITION, COG, POPULATION = "communes_2023", "cog_2026", "population_communes"
#: Level -> column of the composition table holding the code of that level.
COLUMNS = {"COM": "com", "EPCI": "epci", "ZE2020": "ze2020", "DEP": "dep", "REG": "reg"}
_NAME_COLUMNS = {"COM": "com_name", "EPCI": "epci_name", "ZE2020": "ze2020_name"}
_FRANCE = {"FR": "France", "METRO": "France métropolitaine"}


@dataclass(frozen=True, order=True)
class Territory:
    level: str
    code: str

    @classmethod
    def parse(cls, text: str) -> "Territory":
        """Parse ``LEVEL:CODE``; a malformed text or code raises TerritoryError."""
        if isinstance(text, Territory):
            return text
        level, sep, code = str(text).strip().partition(":")
        level = level.upper()
        if not sep or level not in LEVELS:
            raise TerritoryError(
                f"malformed territory {text!r}: expected LEVEL:CODE with LEVEL in {sorted(LEVELS)}, "
                "e.g. EPCI:200066918"
            )
        if not re.fullmatch(LEVELS[level], code):
            raise TerritoryError(f"malformed {level} code {code!r} in {text!r}")
        return cls(level, code)

    def __str__(self) -> str:
        return f"{self.level}:{self.code}"


def composition(data_dir=None) -> pd.DataFrame:
    """Every commune of France (COG 2023) with its département, région, EPCI and zone d'emploi 2020."""
    return datasets.load(COMPOSITION, data_dir=data_dir)


def validate(territory, data_dir=None) -> Territory:
    """The parsed territory, checked against the COG 2023 composition; an unknown code raises TerritoryError.

    ZE2010 and ZE1990 codes cannot be checked (no composition table) and raise TerritoryError too.
    """
    territory = Territory.parse(territory)
    if territory.level == "FR":
        return territory
    if territory.level not in COLUMNS:
        raise TerritoryError(f"cannot check {territory}: no commune composition for level {territory.level}")
    column = composition(data_dir)[COLUMNS[territory.level]]
    if not column.eq(territory.code).any():
        raise TerritoryError(
            f"unknown {territory.level} code {territory.code!r} ({territory}): not in the COG 2023 "
            f"composition (table {COMPOSITION})"
        )
    return territory


def name_of(territory, data_dir=None) -> str:
    """The official name: COG 2023 for communes, EPCI and zones d'emploi, COG 2026 for départements and régions."""
    territory = validate(territory, data_dir)
    if territory.level == "FR":
        return _FRANCE[territory.code]
    if territory.level in _NAME_COLUMNS:
        table = composition(data_dir)
        column = COLUMNS[territory.level]
        return str(table.loc[table[column] == territory.code, _NAME_COLUMNS[territory.level]].iloc[0])
    cog = datasets.load(COG, territory=territory, data_dir=data_dir)
    if cog.empty:
        raise TerritoryError(f"no name for {territory} in table {COG}")
    return str(cog["name"].iloc[0])


def communes(territory, data_dir=None) -> pd.DataFrame:
    """The COG 2023 communes of a territory (rows of the composition table, sorted by code).

    ``FR:FR`` is France with its overseas départements, ``FR:METRO`` France métropolitaine.
    """
    territory = validate(territory, data_dir)
    table = composition(data_dir)
    if territory.level == "FR":
        selected = table if territory.code == "FR" else table[~table["dep"].str.startswith("97")]
    else:
        selected = table[table[COLUMNS[territory.level]] == territory.code]
    return selected.sort_values("com").reset_index(drop=True)


def populations(year: int | None = None, data_dir=None) -> pd.Series:
    """Population of each commune (COG 2023 geography) at census `year` (default: the latest), by code.

    Read from the table ``population_communes`` (Occitanie only): population municipale from 2006,
    population sans doubles comptes before.
    """
    table = datasets.load(POPULATION, data_dir=data_dir)
    table = table[table["level"] == "COM"]
    year = int(table["period"].max()) if year is None else year
    table = table[table["period"] == year]
    if table.empty:
        raise TerritoryError(f"no commune population for census {year} in table {POPULATION}")
    return pd.Series(table["value"].to_numpy(), index=table["code"].to_numpy(), name="population")


def _weights(members: pd.Series, population, data_dir) -> pd.Series:
    """Population of each member commune (0 when the weights have none for it); error if none has one."""
    if population is None or isinstance(population, int):
        population = populations(population, data_dir)
    weights = members.map(population)
    if weights.isna().all():
        raise TerritoryError(
            "no population for the communes " + ", ".join(members.head(3)) + "…: the default weights (table "
            f"{POPULATION}) cover Occitanie only; pass population=<Series indexed by commune code>"
        )
    return weights.fillna(0.0).astype(float)


def _dominant(territory, level: str, population, data_dir) -> Territory:
    """The territory of `level` holding most of the population of `territory`'s communes."""
    members = communes(territory, data_dir)
    values = members[COLUMNS[level]]
    if values.nunique() > 1:
        weights = _weights(members["com"], population, data_dir)
        code = weights.groupby(values.to_numpy()).sum().idxmax()
    else:
        code = values.iloc[0]
    return Territory(level, str(code))


def zone_emploi(territory, population=None, data_dir=None) -> Territory:
    """The zone d'emploi 2020 holding most of the territory's population (its own ZE for a commune).

    ``population``: Series of population by COG 2023 commune code, or a census year; default: the
    latest census (`populations`, Occitanie only).
    """
    return _dominant(territory, "ZE2020", population, data_dir)


def departement(territory, population=None, data_dir=None) -> Territory:
    """The département holding most of the territory's population."""
    return _dominant(territory, "DEP", population, data_dir)


def region(territory, population=None, data_dir=None) -> Territory:
    """The région holding most of the territory's population."""
    return _dominant(territory, "REG", population, data_dir)


def aggregate(frame: pd.DataFrame, territory, value: str = "value", population=None,
              data_dir=None) -> pd.DataFrame:
    """Sum communal values over the COG 2023 communes of `territory`, with the population they cover.

    `frame` is a tidy table at level COM (``code`` = commune code); every column other than level,
    code, name and `value` (e.g. period, variable, unit) is kept as a grouping column. Each result row
    gives the sum over communes with a value, ``communes`` (how many), ``communes_total`` (communes of
    the territory) and ``population_share``: the share of the territory's population living in the
    communes summed, weighted by `population` (a Series by commune code, or a census year; default:
    the latest census, `populations`, Occitanie only). A missing or
    secret commune value is left out of the sum and lowers the share; it is never counted as 0.
    """
    territory = validate(territory, data_dir)
    if "level" in frame.columns and not frame["level"].eq("COM").all():
        raise TerritoryError(f"aggregate needs commune rows (level COM); found {sorted(frame['level'].unique())}")
    members = communes(territory, data_dir)["com"]
    weights = pd.Series(_weights(members, population, data_dir).to_numpy(), index=members.to_numpy())
    by = [c for c in frame.columns if c not in ("level", "code", "name", value)]
    rows = frame[frame["code"].isin(members) & frame[value].notna()]
    rows = rows.assign(_weight=rows["code"].map(weights))
    if by:
        result = rows.groupby(by, dropna=False, sort=True).agg(
            value=(value, "sum"), communes=("code", "nunique"), _weight=("_weight", "sum")).reset_index()
    else:
        result = pd.DataFrame({"value": [rows[value].sum()], "communes": [rows["code"].nunique()],
                               "_weight": [rows["_weight"].sum()]})
    result["communes_total"] = len(members)
    result["population_share"] = result.pop("_weight") / weights.sum()
    result.insert(0, "name", name_of(territory, data_dir))
    result.insert(0, "code", territory.code)
    result.insert(0, "level", territory.level)
    return result.rename(columns={"value": value})


def distance_km(lon1, lat1, lon2, lat2):
    """Great-circle (haversine) distance in km between points given in degrees; numpy arrays broadcast."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(x, dtype=float)) for x in (lon1, lat1, lon2, lat2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def largest_communes(territory, n: int, year: int | None = None, data_dir=None) -> pd.Series:
    """The `n` most populous COG 2023 communes of a territory at census `year` (default: the latest):
    population by commune code, largest first (ties by code). Communes without a population rank last."""
    members = communes(territory, data_dir)["com"]
    values = pd.Series(members.map(populations(year, data_dir)).to_numpy(), index=members.to_numpy(),
                       name="population")
    order = sorted(values.index, key=lambda code: (-(values[code] if values[code] == values[code] else -1), code))
    return values.loc[order[:n]]


class ZoneMatch(NamedTuple):
    """A zone d'emploi 2010 found by the name of a commune: its code and name, the commune, and the
    territory (the one studied, or its zone d'emploi 2020) among whose communes it was found."""

    code: str
    name: str
    commune: str
    within: Territory


def zone_emploi_2010(territory, data_dir=None) -> ZoneMatch:
    """The zone d'emploi 2010 named after the most populous commune of the territory that gives its name
    to a zone of the ESTEL employment table; failing that, after the most populous such commune of the
    territory's zone d'emploi 2020.

    No table of the book maps communes to the 2010 zoning, so the zone is matched by name (case,
    accents and hyphens ignored): chapters using it say so and name the commune.
    """
    from alesbook.indicators import find_by_name

    names = datasets.load("emploi_salarie_ze2010", data_dir=data_dir).drop_duplicates("code")
    names = names.set_index("code")["name"]
    territory = Territory.parse(territory)
    for within in (territory, zone_emploi(territory, data_dir=data_dir)):
        members = communes(within, data_dir).set_index("com")["com_name"]
        for code in largest_communes(within, len(members), data_dir=data_dir).index:
            try:
                zone = find_by_name(names, members[code])
            except KeyError:
                continue
            return ZoneMatch(zone, names[zone], members[code], within)
    raise TerritoryError(f"no zone d'emploi 2010 is named after a commune of {territory} or of its zone d'emploi 2020")
