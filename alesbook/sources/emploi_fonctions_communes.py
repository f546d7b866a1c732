"""Insee census (RP), functional analysis of jobs: jobs by function per commune of Occitanie, 1999-2016."""

from __future__ import annotations

import pandas as pd

from alesbook.sources._common import (
    LICENCE_OUVERTE, Source, check_codes, melt_numbers, raw_path, read_csv_records,
)

YEARS = (1999, 2006, 2011, 2016)
SOURCE = Source(
    name="emploi_fonctions_communes",
    title="Emplois au lieu de travail par fonction et cadres des fonctions métropolitaines, communes d'Occitanie",
    producer="Insee, recensements de la population, exploitation complémentaire au lieu de travail",
    url="https://www.insee.fr/fr/statistiques/1893116",
    licence=LICENCE_OUVERTE,
    attribution="Source : Insee, recensements de la population, exploitations complémentaires au lieu de travail",
    vintage="RP 1999, 2006, 2011 et 2016 ; analyse fonctionnelle des emplois, géographie communale commune aux quatre années",
    folder="insee_analyse_fonctionnelle_emplois_communes_1999_2016_occitanie",
    files=tuple(f"Analyse_fonctionnelle_-_Donnees_communales_-_{year}.csv" for year in YEARS),
    coverage="les 4 454 communes de la région Occitanie (76) ; recensements 1999, 2006, 2011 et 2016",
    key=("level", "code", "variable", "function", "period"),
    notes=(
        "Jobs at place of work from the census complementary exploitation (a sample: counts are estimates; "
        "small communes' figures are imprecise, in 1999 multiples of 4).",
        "The 15 functions are defined from the occupation (PCS), across sectors: FABRIC (fabrication) is the "
        "census proxy for manufacturing jobs, not the industry sector.",
        "CSV exports of Insee's spreadsheets, UTF-8, comma-separated, with 10 title records (one cell holds a "
        "line break) above the code record CODGEO,...; numbers carry en-US thousands separators (\"18,490\" "
        "= 18490), never decimal commas.",
        "Only rows of région 76 (Occitanie) are kept, whether the raw file is the staged subset or Insee's "
        "national file; 'nd' (not available) becomes a missing value.",
        "The four files share one commune geography, so communes can be compared across years.",
    ),
    description=(
        "Variables (unit emplois) by commune (level COM) and census year (period): emploi = jobs at place of "
        "work by function (ADMPUB administration publique, AGRICU agriculture, BTP bâtiment-travaux publics, "
        "COMINT commerce inter-entreprises, CONREC conception-recherche, CULLOI culture-loisirs, DISTRI "
        "distribution, EDUFOR éducation-formation, ENTREP entretien-réparation, FABRIC fabrication, GESTIO "
        "gestion, LOGIST transports-logistique, PREINT prestations intellectuelles, SANSOC santé-action sociale, "
        "SERPRO services de proximité; TOTAL = all jobs, ELT); emploi_cadres_fm = cadres (managers and "
        "professionals) of the five metropolitan functions COMINT, CONREC, CULLOI, GESTIO, PREINT, TOTAL = CFM."
    ),
)

_REGION = "76"
FUNCTIONS = ("ADMPUB", "AGRICU", "BTP", "COMINT", "CONREC", "CULLOI", "DISTRI", "EDUFOR", "ENTREP", "FABRIC",
             "GESTIO", "LOGIST", "PREINT", "SANSOC", "SERPRO")
METROPOLITAN = ("COMINT", "CONREC", "CULLOI", "GESTIO", "PREINT")


def _columns(year: int) -> dict:
    """Tidy variable -> {raw column -> function} for one census year (columns end with its two digits)."""
    yy = f"{year % 100:02d}"
    return {
        "emploi": {f"ELT{yy}": "TOTAL", **{f"{f}{yy}": f for f in FUNCTIONS}},
        "emploi_cadres_fm": {f"CFM{yy}": "TOTAL", **{f"{f}_CAD{yy}": f for f in METROPOLITAN}},
    }


def _year(folder, filename: str, year: int) -> pd.DataFrame:
    path = raw_path(folder, filename)
    variables = _columns(year)
    value_columns = [column for columns in variables.values() for column in columns]
    raw, first_line = read_csv_records(path, header_first_field="CODGEO",
                                       required=["CODGEO", "LIBGEO", "REG", *value_columns])
    communes = pd.DataFrame({
        "level": "COM",
        "code": check_codes(raw["CODGEO"], r"\d[\dAB]\d{3}", file=path, column="CODGEO", first_row=first_line),
        "name": raw["LIBGEO"].str.strip(),
        "period": year,
        "REG": raw["REG"].str.strip(),
    })
    frame = pd.concat([communes, raw[value_columns]], axis=1)
    long = pd.concat([
        melt_numbers(frame, columns, into="function", keep=communes.columns, file=path,
                     first_row=first_line, thousands=",").assign(variable=variable)
        for variable, columns in variables.items()
    ], ignore_index=True)
    return long[long["REG"] == _REGION].drop(columns="REG")  # filtered after parsing: errors name file rows


def read(folder) -> pd.DataFrame:
    long = pd.concat([_year(folder, name, year) for name, year in zip(SOURCE.files, YEARS)], ignore_index=True)
    return long.assign(unit="emplois")[["level", "code", "name", "period", "function", "variable", "value", "unit"]]
