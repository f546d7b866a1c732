"""ANCT Observatoire des territoires: population since 1876 and area, by zone d'emploi 2020."""

from __future__ import annotations

import pandas as pd

from alesbook.sources._common import INSEE, LICENCE_OUVERTE, TIDY_COLUMNS, Source, raw_path, read_excel, to_number

SOURCE = Source(
    name="population_ze_1876",
    title="Population depuis 1876 et superficie, par zone d'emploi 2020",
    producer="ANCT, Observatoire des territoires (données Insee, recensements)",
    url="https://www.observatoire-des-territoires.gouv.fr/",
    licence=LICENCE_OUVERTE,
    attribution="Source : Insee, recensements de la population ; ANCT, Observatoire des territoires",
    vintage="recensements 1876 à 2020, zonage en zones d'emploi 2020",
    folder="anct_ot_population_historique_ze2020_1876_2020",
    files=("pop_hist_1876_ze.xlsx", "insee_rp_hist_1968_superf_ze.xlsx"),
    coverage="toutes les zones d'emploi 2020 ; 1876-1936, 1954, 1962, 1968, 1975, 1982, 1990, 1999, puis 2006-2020",
    key=("level", "code", "variable", "period"),
    notes=(
        "Population reconstituted by the Observatoire des territoires on the 2020 perimeter of each zone "
        "d'emploi (communes in current geography): the series is comparable over time.",
    ),
    description="Long series of the legal population of every zone d'emploi 2020, and its area in km².",
)

#: (file, value column, tidy variable, unit)
_FILES = (
    ("pop_hist_1876_ze.xlsx", "pop", "population", "habitants"),
    ("insee_rp_hist_1968_superf_ze.xlsx", "superf_choro", "superficie", "km2"),
)
_HEADER_ROW = 5  # four title rows above the header


def read(folder) -> pd.DataFrame:
    frames = []
    for filename, column, variable, unit in _FILES:
        path = raw_path(folder, filename)
        raw = read_excel(path, sheet="Data", header_row=_HEADER_ROW, dtype={"codgeo": str},
                         required=("codgeo", "libgeo", "an", column))
        frames.append(pd.DataFrame({
            "level": "ZE2020",
            "code": raw["codgeo"].str.strip(),
            "name": raw["libgeo"],
            "period": to_number(raw["an"], file=path, sheet="Data", column="an",
                                first_row=_HEADER_ROW + 1).astype("Int64"),
            "variable": variable,
            "value": to_number(raw[column], file=path, sheet="Data", column=column,
                               first_row=_HEADER_ROW + 1),
            "unit": unit,
        }))
    return pd.concat(frames, ignore_index=True)[TIDY_COLUMNS]
