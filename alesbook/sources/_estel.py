"""Shared reading of the two ESTEL employment files by zone d'emploi 2010 (salaried and non-salaried)."""

from __future__ import annotations

import re

import pandas as pd

from alesbook.errors import SourceError
from alesbook.sources._common import LICENCE_OUVERTE, check_codes, melt_numbers, raw_path, read_csv_records

FOLDER = "insee_estel_emploi_ze2010_1998_2017"
SALARIED = "ESTEL_-_emploi_sectoriel_par_ZE_-_1998_a_2017.csv"
NON_SALARIED = "ESTEL_-_emploi_non_salarie_par_ZE_-_1998_a_2017.csv"
PRODUCER = "Insee, Estimations d'emploi (ESTEL)"
URL = "https://www.insee.fr/fr/statistiques/1893177"
ATTRIBUTION = "Source : Insee, estimations d'emploi"
VINTAGE = "estimations d'emploi au 31 décembre de 1998 à 2017, zonage en zones d'emploi 2010 (paru le 12/10/2020)"
COVERAGE = "toutes les zones d'emploi 2010 de France hors Mayotte ; emploi au 31 décembre de 1998 à 2017"
NOTES = (
    "Zoning ZE2010, stated by level 'ZE2010': zone codes are re-used across zonings (9104 = Alès in ZE2010 "
    "but Bagnols-sur-Cèze in ZE1990; 9103 = Narbonne in ZE2010 but Alès-La Grand-Combe in ZE1990; Alès is "
    "7603 in ZE2020).",
    "CSV export of Insee's spreadsheet with en-US thousands separators (\"4,050\" = 4050): commas are read "
    "as thousands separators, never as decimal marks.",
    "The 'Zone_emploi' cell '9104_Alès' is split into code and name; the 'Region' column is not kept "
    "(interregional zones have no single region).",
    "Jobs at place of work on 31 December.",
)
LICENCE = LICENCE_OUVERTE
_IDS = ("Zone_emploi", "Region")


def read_zones(folder, filename: str, extra_ids=()) -> pd.DataFrame:
    """Long frame: level, code, name, the `extra_ids` columns as in the file, period (year), value."""
    path = raw_path(folder, filename)
    raw, first_line = read_csv_records(path, header_first_field="Zone_emploi", required=_IDS + tuple(extra_ids))
    years = [c for c in raw.columns if c not in _IDS + tuple(extra_ids)]
    for column in years:
        if not re.fullmatch(r"(19|20)\d\d", column):
            raise SourceError("column is not a year", file=path, column=column)
    zone = check_codes(raw["Zone_emploi"], r"\d{4}_.+", file=path, column="Zone_emploi", first_row=first_line)
    zones = pd.DataFrame({"level": "ZE2010", "code": zone.str[:4], "name": zone.str[5:].str.strip()})
    for column in extra_ids:
        zones[column] = raw[column].str.strip()
    frame = pd.concat([zones, raw[years]], axis=1)
    return melt_numbers(frame, {year: int(year) for year in years}, into="period", keep=zones.columns,
                        file=path, first_row=first_line, thousands=",")
