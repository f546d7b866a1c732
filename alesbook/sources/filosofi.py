"""INSEE Filosofi, bases « chiffres clés » 2014-2019: disposable income, poverty and living standards."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from alesbook.errors import SourceError
from alesbook.sources import _filosofi
from alesbook.sources._common import INSEE, LICENCE_OUVERTE, Source, raw_path

#: (zip file as distributed, income year)
_WORKBOOKS = (
    ("filo-revenu-pauvrete-menage-2014.zip", 2014),
    ("filosofi-revenu-pauvrete-menage-2016.zip", 2016),
    ("base-filosofi-2017_XLSX.zip", 2017),
    ("base-cc-filosofi-2018_XLSX-geo2021.zip", 2018),
    ("base-cc-filosofi-2019_XLSX.zip", 2019),
)
#: sheet -> tidy level; a workbook has one of the two employment-zone sheets
_SHEETS = {"COM": "COM", "EPCI": "EPCI", "ZE2010": "ZE2010", "ZE2020": "ZE2020", "DEP": "DEP",
           "REG": "REG", "METRO": "FR"}
_ZONE_SHEETS = ("ZE2010", "ZE2020")
_CODE_ROW = 6  # five title/label rows above the row of variable codes
_METRO = "METRO"  # code of France métropolitaine (level FR); the sheet says "1"

SOURCE = Source(
    name="filosofi",
    title="Revenus, pauvreté et niveau de vie (Filosofi), 2014 à 2019, par territoire",
    producer=INSEE,
    url="https://www.insee.fr/fr/statistiques/6036902?sommaire=6036904",
    licence=LICENCE_OUVERTE,
    attribution="Source : Insee-DGFiP-Cnaf-Cnav-CCMSA, Fichier localisé social et fiscal (Filosofi)",
    vintage="Filosofi 2014, 2016, 2017, 2018 et 2019, bases « chiffres clés », chaque millésime dans sa géographie",
    folder="insee_filosofi_2014_2019_multiniveaux",
    files=tuple(name for name, _ in _WORKBOOKS),
    coverage=(
        "revenus 2014, 2016, 2017, 2018, 2019 ; tous les EPCI, zones d'emploi (2010 jusqu'en 2017, 2020 "
        "ensuite), départements et régions de France métropolitaine, Martinique et La Réunion ; "
        "France métropolitaine ; communes d'Occitanie"
    ),
    key=("level", "code", "period", "variable"),
    notes=(
        "Each vintage is in the geography of its release: income 2014 on 1 January 2015 (pre-2017 EPCI, "
        "e.g. CA Alès Agglomération 200035152; 200066918 exists from 2016 on), 2016 on 2019, 2017 on 2020, "
        "2018 on 2021, 2019 on 2022. Compare territories over time only where their perimeter is stable.",
        "Employment zones are ZE2010 for 2014-2017 and ZE2020 for 2018-2019 (separate levels: codes such "
        "as 9104 or 7603 are not comparable across zonings).",
        "France métropolitaine is level FR with code METRO. Income 2015 is not staged.",
        "Secret statistique: cells that are blank (2014-2018) or 's'/'ns' (2019) stay NaN. Communes below "
        "INSEE's diffusion thresholds have most indicators secret: use the EPCI/ZE rows for small places.",
        "The 2019 DEP and REG sheets append, below a blank row, Guadeloupe, Guyane and Mayotte from another "
        "source (enquête Budget de famille): only the Filosofi block above the blank row is read.",
        "Communes keep only the core variables (poverty rate, median, D1, D9, interdecile ratio, share "
        "taxed, households and persons: the others are mostly secret for them); the by-age, by-tenure and "
        "income-composition variables are kept for the other levels. Income 2021 for communes is in the table filosofi_2021_communes (same "
        "variable names): no EPCI/ZE/DEP file of that release is staged.",
        "2014 labels TP60AGE* as poverty of ménages, later vintages of persons in ménages, by age of the "
        "fiscal referent; PRA (2014) is stored as income_share_activity like PACT; PTSAC (2014: wages and "
        "unemployment benefits) has no later equivalent (PTSA and PCHO are separate from 2016).",
        "The workbooks are read from the zips as distributed, without extracting them.",
    ),
    description=(
        "Disposable income per consumption unit (niveau de vie), poverty and income composition of "
        "ménages fiscaux, by territory and income year. " + _filosofi.DESCRIPTION + _filosofi.DESCRIPTION_EXTENDED
    ),
)


def _workbook(path) -> tuple[CalamineWorkbook, str]:
    """The Excel workbook inside a distributed zip, opened in memory, and its name for messages.

    python-calamine reads both the legacy .xls (2014, 2016) and the .xlsx workbooks, several times
    faster than xlrd/openpyxl: these workbooks are the slowest input of the data build.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith((".xls", ".xlsx"))]
            if len(members) != 1:
                raise SourceError(f"expected one Excel workbook in the zip, found {members}", file=path)
            content = archive.read(members[0])
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise SourceError(f"not a readable zip file ({exc})", file=path) from exc
    where = f"{path}!{members[0]}"
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(content)), where
    except CalamineError as exc:
        raise SourceError(f"not a readable Excel workbook ({exc})", file=where) from exc


def _sheet(book: CalamineWorkbook, sheet: str, where: str) -> pd.DataFrame:
    """The records under the code row of one sheet, down to the first blank code, indexed by file row."""
    try:
        cells = book.get_sheet_by_name(sheet).to_python()
    except CalamineError as exc:
        raise SourceError(f"unreadable sheet ({exc})", file=where, sheet=sheet) from exc
    if len(cells) < _CODE_ROW or not cells[_CODE_ROW - 1] or cells[_CODE_ROW - 1][0] != "CODGEO":
        raise SourceError(f"row {_CODE_ROW} should hold the variable codes, starting with CODGEO",
                          file=where, sheet=sheet, row=_CODE_ROW)
    header = [str(cell).strip() for cell in cells[_CODE_ROW - 1]]
    records = []
    for row in cells[_CODE_ROW:]:
        if row[0] == "":
            break
        records.append(row)
    frame = pd.DataFrame(records, columns=header, dtype=object,
                         index=range(_CODE_ROW + 1, _CODE_ROW + 1 + len(records)))
    frame["CODGEO"] = frame["CODGEO"].map(_code).astype("string")
    return frame


def _code(value) -> str:
    """A geographic code as text (a few sheets store codes such as 971 as numbers)."""
    return str(int(value)) if isinstance(value, (int, float)) else str(value).strip()


def read(folder) -> pd.DataFrame:
    frames = []
    for filename, year in _WORKBOOKS:
        path = raw_path(folder, filename)
        book, where = _workbook(path)
        zones = [s for s in _ZONE_SHEETS if s in book.sheet_names]
        missing = [s for s in _SHEETS if s not in book.sheet_names and s not in _ZONE_SHEETS]
        if missing or not zones:
            raise SourceError(f"missing sheet(s) {missing or list(_ZONE_SHEETS)}; found {book.sheet_names}",
                              file=where)
        for sheet, level in _SHEETS.items():
            if sheet not in book.sheet_names:
                continue
            records = _sheet(book, sheet, where)
            if level == "FR":
                records = records.assign(CODGEO=_METRO)
            frames.append(_filosofi.tidy(records, level=level, year=year, file=where, sheet=sheet))
    return pd.concat(frames, ignore_index=True)
