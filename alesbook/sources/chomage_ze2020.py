"""Insee localised unemployment rates (TCL), quarterly, by zone d'emploi 2020."""

from __future__ import annotations

import re

import pandas as pd

from alesbook.errors import SourceError
from alesbook.sources._common import (
    LICENCE_OUVERTE, TIDY_COLUMNS, Source, check_codes, melt_numbers, raw_path, read_excel,
)

SOURCE = Source(
    name="chomage_ze2020",
    title="Taux de chômage localisés trimestriels par zone d'emploi 2020",
    producer="Insee, Estimations de taux de chômage localisés",
    url="https://www.insee.fr/fr/statistiques/1893230",
    licence=LICENCE_OUVERTE,
    attribution="Source : Insee, estimations de taux de chômage localisés",
    vintage="série du 1er trimestre 2003 au 3e trimestre 2023 (fichier chomage-zone-t1-2003-t3-2023), zonage 2020",
    folder="insee_taux_chomage_localises_ze2020_2003T1-2023T3",
    files=("chomage-zone-t1-2003-t3-2023.xlsx",),
    coverage=(
        "les 302 zones d'emploi 2020 de France hors Mayotte et Guyane (287 en métropole, 15 en Guadeloupe, "
        "Martinique et à La Réunion) ; trimestres 2003-T1 à 2023-T3, depuis 2014-T1 pour les DOM"
    ),
    key=("level", "code", "variable", "period"),
    notes=(
        "Quarterly averages, seasonally adjusted (CVS), in % of the active population at place of residence.",
        "Zoning ZE2020 (Alès - Le Vigan = 7603); its codes are not those of ZE2010 (Alès = 9104) or ZE1990.",
        "Overseas zones start in 2014-T1: earlier quarters are blank in the file and kept as missing values.",
        "Interregional zones (codes 00XX) are kept whole; the sheet of their regional parts is not read.",
        "Period is the quarter as a string 'YYYY-TQ' (e.g. '2003-T1'), as in the file's code row.",
    ),
    description=(
        "Variable taux_chomage (unit %): localised unemployment rate of every zone d'emploi 2020 "
        "(level ZE2020), quarterly, seasonally adjusted."
    ),
)

_FILE = SOURCE.files[0]
_SHEET = "txcho_ze"
_HEADER_ROW = 6  # title rows, then French labels on row 5 and the code row on row 6
_ZONE_COLUMNS = ("ZE2020", "LIBZE2020", "REG", "LIBREG")


def read(folder) -> pd.DataFrame:
    path = raw_path(folder, _FILE)
    raw = read_excel(path, sheet=_SHEET, header_row=_HEADER_ROW, dtype={"ZE2020": str},
                     required=_ZONE_COLUMNS)
    quarters = [c for c in raw.columns if c not in _ZONE_COLUMNS]
    for column in quarters:
        if not re.fullmatch(r"\d{4}-T[1-4]", str(column)):
            raise SourceError("column is not a quarter 'YYYY-TQ'", file=path, sheet=_SHEET, column=column)
    zones = pd.DataFrame({
        "level": "ZE2020",
        "code": check_codes(raw["ZE2020"], r"\d{4}", file=path, sheet=_SHEET, column="ZE2020",
                            first_row=_HEADER_ROW + 1),
        "name": raw["LIBZE2020"].astype("string").str.strip(),
    })
    long = melt_numbers(pd.concat([zones, raw[quarters]], axis=1), {q: str(q) for q in quarters},
                        into="period", keep=zones.columns, file=path, sheet=_SHEET,
                        first_row=_HEADER_ROW + 1)
    return long.assign(variable="taux_chomage", unit="%")[TIDY_COLUMNS]
