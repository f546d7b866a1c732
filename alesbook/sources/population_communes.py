"""Population of the communes at each census since 1968, in the communal geography of 1 January 2023.

Read from the R package COGugaison (K. Antunez), which holds one table of commune populations per
Code officiel géographique (COG) year and the passage tables between consecutive COG years.
"""

from __future__ import annotations

import re

import pandas as pd

from alesbook.errors import SourceError
from alesbook.sources._census import OCCITANIE, OCCITANIE_CODE, OCCITANIE_NAME, read_rdata, repair_mojibake, sum_strict
from alesbook.sources._common import TIDY_COLUMNS, Source, raw_path

#: The communal geography every population is moved to: that of the commune → EPCI 2023 table.
GEOGRAPHY = 2023

SOURCE = Source(
    name="population_communes",
    title="Population des communes aux recensements de 1968 à 2021, en géographie communale au 1er janvier 2023",
    producer="Insee (recensements de la population), compilé par le package R COGugaison (Kim Antunez)",
    url="https://github.com/antuki/COGugaison",
    licence={
        "name": "ODbL-1.0",
        "title": "Open Data Commons Open Database License 1.0 (données Insee sous Licence Ouverte 2.0)",
        "path": "https://opendatacommons.org/licenses/odbl/1-0/",
    },
    attribution="Source : Insee, recensements de la population ; package COGugaison (K. Antunez, ODbL)",
    vintage="COGugaison, commit 37a6d4c du 1er juillet 2024 (COG 1968 à 2024)",
    folder="cogugaison_populations_communales_cog_1968_2024",
    files=("COG.RData", "TABLES_PASSAGE.RData"),
    coverage=(
        "communes d'Occitanie (géographie au 1er janvier 2023), leurs 13 départements, la région Occitanie "
        "et la France métropolitaine ; recensements 1968, 1975, 1982, 1990, 1999 et 2006 à 2021 (sauf 2020)"
    ),
    key=("level", "code", "variable", "period"),
    notes=(
        "period is the census year, not the COG year of the COGugaison table: COG1968 ... COG1999 hold the "
        "population sans doubles comptes of the census of the same year (variable pop_sdc); COG N for N >= 2008 "
        "holds the population municipale of census N-2, the legal population in force on 1 January N "
        "(variable pop_mun). Checked on Alès: COG2018 = 39 970 (RP2016), COG2021 = 41 837 (RP2019), "
        "COG2023 = 43 892 (RP2021).",
        "A COG table whose populations equal those of the previous COG table for at least 90 % of the "
        "communes is a placeholder copied forward by COGugaison before the legal populations were "
        "published; it is dropped. In this vintage COG2022 repeats COG2021 (RP2019, so RP2020 is missing) "
        "and COG2024 repeats COG2023 (RP2021).",
        "Every population is moved to the COG 2023 geography with the COGugaison passage tables as INSEE "
        "applied them (the *_insee tables): merged communes are summed; a commune later split is shared "
        "out with the population ratios of the passage table, so a few values are fractional.",
        "Sums (départements, Occitanie, France métropolitaine = code METRO) are over the communes in the "
        "2023 geography; a sum with a missing member is missing, not a partial total.",
        "Cross-check: summed by zone d'emploi 2020, the communes give the ANCT series (table "
        "population_ze_1876) exactly from census 2008 on and within 12 inhabitants per zone in 2006-2007, "
        "but only within about 2 % in 1968-1999 (the two reconstitutions of past censuses in today's "
        "geography differ): do not mix the two tables for those years.",
        "Overseas communes were not counted in the 1968 COGugaison table (missing values); they are outside "
        "the rows kept here.",
    ),
    description=(
        "Population of every commune of Occitanie at each census since 1968, in the communal geography "
        "of 1 January 2023, ready to be summed by EPCI 2023 or zone d'emploi 2020. Variables: pop_sdc, "
        "population sans doubles comptes (censuses 1968-1999); pop_mun, population municipale (census "
        "years 2006-2021, legal populations). Level COM (COG 2023 codes), DEP, REG (76) and FR (METRO)."
    ),
)

_COG = re.compile(r"COG(\d{4})_insee")
_LAST_SDC_CENSUS = 1999  # exhaustive censuses up to 1999; annual census cycles since 2004
_PLACEHOLDER_SHARE = 0.9


def read(folder) -> pd.DataFrame:
    cog_path, passage_path = (raw_path(folder, name) for name in SOURCE.files)
    return tidy(read_rdata(cog_path), read_rdata(passage_path), cog_path=cog_path, passage_path=passage_path)


def tidy(cogs: dict, passages: dict, *, cog_path, passage_path) -> pd.DataFrame:
    """The tidy table from the COGyyyy_insee and PASSAGE_yyyy_zzzz_insee data frames of COGugaison."""
    years = sorted(int(m.group(1)) for m in map(_COG.fullmatch, cogs) if m)
    if GEOGRAPHY not in years:
        raise SourceError(f"no table COG{GEOGRAPHY}_insee; found years {years}", file=cog_path)
    target = _populations(cogs, GEOGRAPHY, cog_path)
    names = repair_mojibake(cogs[f"COG{GEOGRAPHY}_insee"].set_index("CODGEO")["LIBGEO"])
    frames, previous = [], None
    for year in years:
        populations = _populations(cogs, year, cog_path)
        placeholder = previous is not None and _same_share(populations, previous) >= _PLACEHOLDER_SHARE
        previous = populations
        if year > _LAST_SDC_CENSUS and placeholder:
            continue
        moved = _to_geography(populations, year, passages, passage_path)
        if not moved.index.equals(target.index):
            extra = sorted(set(moved.index) ^ set(target.index))[:5]
            raise SourceError(f"COG{year}_insee moved to {GEOGRAPHY} does not give the communes of "
                              f"COG{GEOGRAPHY}_insee (e.g. {extra})", file=passage_path)
        census = year if year <= _LAST_SDC_CENSUS else year - 2
        frames.append(_rows(moved, census, "pop_sdc" if year <= _LAST_SDC_CENSUS else "pop_mun", names))
    return pd.concat(frames, ignore_index=True)[TIDY_COLUMNS]


def _populations(cogs: dict, year: int, path) -> pd.Series:
    """POP by CODGEO of one COG year, checked."""
    table = cogs[f"COG{year}_insee"]
    missing = [c for c in ("CODGEO", "LIBGEO", "POP") if c not in table.columns]
    if missing:
        raise SourceError(f"missing column(s) {missing}", file=path, sheet=f"COG{year}_insee")
    codes = table["CODGEO"].astype("string").str.strip()
    if codes.duplicated().any() or codes.isna().any():
        raise SourceError(f"missing or duplicated CODGEO, e.g. {codes[codes.duplicated()].head(3).tolist()}",
                          file=path, sheet=f"COG{year}_insee", column="CODGEO")
    if not pd.api.types.is_numeric_dtype(table["POP"]):
        raise SourceError("POP is not numeric", file=path, sheet=f"COG{year}_insee", column="POP")
    return pd.Series(table["POP"].astype(float).to_numpy(), index=pd.Index(codes, name="code")).sort_index()


def _same_share(current: pd.Series, previous: pd.Series) -> float:
    common = current.index.intersection(previous.index)
    return float((current[common] == previous[common]).mean()) if len(common) else 0.0


def _to_geography(populations: pd.Series, year: int, passages: dict, path) -> pd.Series:
    """Move commune populations from COG `year` to COG GEOGRAPHY, one passage table after another."""
    for start, end in _steps(year, passages, path):
        name = f"PASSAGE_{start}_{end}_insee"
        table = passages[name]
        columns = [f"cod{start}", f"cod{end}", "ratio"]
        missing = [c for c in columns if c not in table.columns]
        if missing:
            raise SourceError(f"missing column(s) {missing}", file=path, sheet=name)
        table = table[columns]
        unknown = ~table[columns[0]].isin(populations.index)
        if unknown.any():
            raise SourceError(f"code {table.loc[unknown, columns[0]].iloc[0]!r} is not a commune of COG{start}",
                              file=path, sheet=name, column=columns[0], row=int(unknown.to_numpy().argmax()) + 1)
        shares = table.groupby(columns[0])["ratio"].sum()
        if ((shares - 1).abs() > 1e-6).any():
            code = shares.index[((shares - 1).abs() > 1e-6).to_numpy().argmax()]
            raise SourceError(f"ratios of commune {code} sum to {shares[code]}, not 1",
                              file=path, sheet=name, column="ratio")
        moved = table[columns[0]].map(populations) * table["ratio"]
        kept = populations[~populations.index.isin(table[columns[0]])]
        absorbing = kept.index.intersection(table[columns[1]].unique())  # not listed as a source
        codes = pd.concat([absorbing.to_series(), table[columns[1]]], ignore_index=True).to_numpy()
        merged = sum_strict(pd.concat([kept[absorbing], moved], ignore_index=True), codes)
        populations = pd.concat([kept.drop(absorbing), merged])
    return populations.rename_axis("code").sort_index()


def _steps(year: int, passages: dict, path) -> list[tuple[int, int]]:
    """Consecutive (start, end) COG years from `year` to GEOGRAPHY, read from the passage table names."""
    links = {}
    for name in passages:
        match = re.fullmatch(r"PASSAGE_(\d{4})_(\d{4})_insee", name)
        if match:
            start, end = int(match.group(1)), int(match.group(2))
            if (end > start) == (GEOGRAPHY > year):
                links[start] = min(links.get(start, end), end, key=lambda y: abs(y - start))
    steps = []
    while year != GEOGRAPHY:
        if year not in links:
            raise SourceError(f"no passage table from COG{year} towards COG{GEOGRAPHY}", file=path)
        steps.append((year, links[year]))
        year = links[year]
    return steps


def _rows(populations: pd.Series, census: int, variable: str, names: pd.Series) -> pd.DataFrame:
    """Commune rows of Occitanie, plus département, region and metropolitan sums."""
    codes = populations.index.to_series()
    departement = codes.str[:2]
    occitanie = departement.isin(OCCITANIE)
    metro = ~codes.str.startswith("97")
    parts = [
        pd.DataFrame({"level": "COM", "code": codes[occitanie], "name": names.reindex(codes[occitanie]).to_numpy(),
                      "value": populations[occitanie]}),
        pd.DataFrame({"level": "DEP", "value": sum_strict(populations[occitanie], departement[occitanie])})
        .rename_axis("code").reset_index().assign(name=lambda d: d["code"].map(OCCITANIE)),
        pd.DataFrame({"level": ["REG"], "code": [OCCITANIE_CODE], "name": [OCCITANIE_NAME],
                      "value": [populations[occitanie].sum(skipna=False)]}),
        pd.DataFrame({"level": ["FR"], "code": ["METRO"], "name": ["France métropolitaine"],
                      "value": [populations[metro].sum(skipna=False)]}),
    ]
    frame = pd.concat(parts, ignore_index=True)
    return frame.assign(period=census, variable=variable, value=frame["value"].astype(float), unit="habitants")
