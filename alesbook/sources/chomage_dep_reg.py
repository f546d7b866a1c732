"""Insee localised unemployment rates (TCL), quarterly, by département, région and France."""

from __future__ import annotations

import re

import pandas as pd

from alesbook.errors import SourceError
from alesbook.sources._common import (
    LICENCE_OUVERTE, TIDY_COLUMNS, Source, check_codes, melt_numbers, raw_path, read_excel,
)

SOURCE = Source(
    name="chomage_dep_reg",
    title="Taux de chômage localisés trimestriels par département, région et France",
    producer="Insee, Estimations de taux de chômage localisés",
    url="https://www.insee.fr/fr/statistiques/2012804",
    licence=LICENCE_OUVERTE,
    attribution="Source : Insee, estimations de taux de chômage localisés et taux de chômage au sens du BIT",
    vintage="série du 1er trimestre 1982 au 1er trimestre 2024 (fichier sl_etc_2024T1), régions 2016",
    folder="insee_taux_chomage_localises_dep_reg_1982T1-2024T1",
    files=("sl_etc_2024T1.xls",),
    coverage=(
        "tous les départements et toutes les régions (découpage 2016) hors Mayotte, France métropolitaine "
        "et France hors Mayotte ; trimestres 1982-T1 à 2024-T1 (DOM et France hors Mayotte depuis 2014-T1)"
    ),
    key=("level", "code", "variable", "period"),
    notes=(
        "Quarterly averages, seasonally adjusted (CVS), in % of the active population at place of residence.",
        "Regions are the 2016 regions (Occitanie = 76); any other region code is rejected. Overseas regions "
        "keep their 2016 codes 01-04.",
        "The two rows coded 00 in sheet 'Région' become level FR: code METRO (France métropolitaine) and "
        "code FR (France hors Mayotte).",
        "Overseas départements and régions and France hors Mayotte start in 2014-T1: earlier quarters are "
        "blank in the file and kept as missing values.",
        "Footnote rows below the table (no value in any quarter) are dropped.",
        "Quarter columns 'T1_1982' become the period string '1982-T1'.",
    ),
    description=(
        "Variable taux_chomage (unit %): localised unemployment rate, quarterly, seasonally adjusted, for "
        "levels DEP (départements), REG (régions 2016) and FR (codes METRO and FR)."
    ),
)

_FILE = SOURCE.files[0]
_HEADER_ROW = 4  # title, unit, blank, then `Code, Libellé, T1_1982 ...`
_REGIONS_2016 = {"01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76",
                 "84", "93", "94"}
#: sheet -> regex of its codes
_SHEETS = {"Département": r"\d{2}|2[AB]|97[1-6]", "Région": r"\d{2}"}
#: label of a row coded 00 in sheet Région -> code of level FR
_FRANCE = {"FRANCE METROPOLITAINE": "METRO", "FRANCE (HORS MAYOTTE)": "FR"}


def _quarter(column) -> str:
    match = re.fullmatch(r"T([1-4])_(\d{4})", str(column))
    return f"{match.group(2)}-T{match.group(1)}" if match else ""


def _sheet(path, sheet: str) -> pd.DataFrame:
    raw = read_excel(path, sheet=sheet, header_row=_HEADER_ROW, dtype={"Code": str}, required=("Code", "Libellé"))
    quarters = [c for c in raw.columns if c not in ("Code", "Libellé")]
    for column in quarters:
        if not _quarter(column):
            raise SourceError("column is not a quarter 'TQ_YYYY'", file=path, sheet=sheet, column=column)
    pattern = _SHEETS[sheet]
    data = raw["Code"].astype("string").str.strip().str.fullmatch(pattern).fillna(False).astype(bool)
    data = (data | raw[quarters].notna().any(axis=1)).to_numpy().nonzero()[0]
    if not len(data):
        raise SourceError("no data row below the header", file=path, sheet=sheet, row=_HEADER_ROW + 1)
    raw = raw.iloc[: data[-1] + 1]  # drop the footnotes below the last data row
    codes = check_codes(raw["Code"], pattern, file=path, sheet=sheet, column="Code", first_row=_HEADER_ROW + 1)
    names = raw["Libellé"].astype("string").str.strip()
    level = pd.Series("DEP" if sheet == "Département" else "REG", index=raw.index, dtype="string")
    if sheet == "Région":
        for position, (code, name) in enumerate(zip(codes, names)):
            row = _HEADER_ROW + 1 + position
            if code == "00" and name.upper() not in _FRANCE:
                raise SourceError(f"unknown France row {name!r}", file=path, sheet=sheet, column="Libellé", row=row)
            if code != "00" and code not in _REGIONS_2016:
                raise SourceError(f"region code {code!r} is not a 2016 region", file=path, sheet=sheet,
                                  column="Code", row=row)
        france = codes == "00"
        level = level.mask(france, "FR")
        codes = codes.mask(france, names.str.upper().map(_FRANCE))
    zones = pd.DataFrame({"level": level, "code": codes, "name": names})
    return melt_numbers(pd.concat([zones, raw[quarters]], axis=1), {q: _quarter(q) for q in quarters},
                        into="period", keep=zones.columns, file=path, sheet=sheet, first_row=_HEADER_ROW + 1)


def read(folder) -> pd.DataFrame:
    path = raw_path(folder, _FILE)
    long = pd.concat([_sheet(path, sheet) for sheet in _SHEETS], ignore_index=True)
    return long.assign(variable="taux_chomage", unit="%")[TIDY_COLUMNS]
