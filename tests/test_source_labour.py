"""Labour-market sources: localised unemployment rates, ESTEL employment, jobs by function."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlrd

from alesbook import datasets
from alesbook.errors import SourceError
from alesbook.sources import (
    chomage_dep_reg, chomage_ze2020, emploi_fonctions_communes, emploi_non_salarie_ze2010,
    emploi_salarie_ze2010,
)
from alesbook.sources._common import finish, to_number

from conftest import value

FIXTURES = Path(__file__).parent / "fixtures"


def copy_fixture(folder: str, tmp_path: Path) -> Path:
    target = tmp_path / folder
    shutil.copytree(FIXTURES / folder, target)
    return target


# --- fixtures in the official layouts ------------------------------------------------------------

ZE_FOLDER = chomage_ze2020.SOURCE.folder
ZE_FILE = chomage_ze2020.SOURCE.files[0]


def write_ze_workbook(folder: Path, rows=None, quarters=("2003-T1", "2003-T2", "2023-T3"), sheet="txcho_ze"):
    """A small `chomage-zone-...xlsx`: documentation sheet, title rows, label row 5, code row 6."""
    rows = rows if rows is not None else [
        ["7603", "Alès - Le Vigan", "76", "OCCITANIE", 13, 13.2, 12.3],
        ["0051", "Alençon", "00", "INTERRÉGIONAL", 7, 7.4, 6.1],
        ["0401", "L'Est", "04", "LA REUNION", None, None, 18.5],
    ]
    book = openpyxl.Workbook()
    book.active.title = "Documentation"
    book.active.append(["Taux de chômage localisés par zone d'emploi"])
    data = book.create_sheet(sheet)
    data.append(["Taux de chômage localisés par zone d'emploi, en moyenne trimestrielle"])
    data.append(["Source : Insee, Estimations de taux de chômage localisés."])
    data.append([])
    data.append([])
    data.append(["Code de la zone d'emploi 2020", "Libellé de la zone d'emploi 2020", "Code région 2016",
                 "Libellé région 2016"] + [f"trimestre {q}" for q in quarters])
    data.append(["ZE2020", "LIBZE2020", "REG", "LIBREG", *quarters])
    for row in rows:
        data.append(row)
    folder.mkdir(parents=True, exist_ok=True)
    book.save(folder / ZE_FILE)
    return folder


DEP_FOLDER = chomage_dep_reg.SOURCE.folder
DEP_FILE = chomage_dep_reg.SOURCE.files[0]
FOOTNOTES = ["Données CVS, en moyenne trimestrielle (en %). ",
             "Source : Insee, Estimations de taux de chômage localisés et taux de chômage au sens du BIT."]


def write_dep_workbook(folder: Path, departements=None, regions=None, quarters=("T1_1982", "T1_2000", "T1_2024")):
    """A small `sl_etc_2024T1.xls` in the official sheet layout.

    No library here writes BIFF .xls; the workbook is written as xlsx under the official name, and
    pandas picks its reader from the file's content, so the sheet layout is what is tested.
    """
    departements = departements if departements is not None else [
        ["30", "GARD", 8.2, 14.2, 10.1], ["2A", "CORSE-DU-SUD", 7.1, 11.0, 6.3],
        ["971", "GUADELOUPE", None, None, 18.2],
    ]
    regions = regions if regions is not None else [
        ["00", "FRANCE (HORS MAYOTTE)", None, None, 7.5], ["00", "FRANCE METROPOLITAINE", 6.7, 8.7, 7.3],
        ["76", "OCCITANIE", 7.4, 11.1, 8.9],
    ]
    book = openpyxl.Workbook()
    book.active.title = "Sources_et_méthodes"
    for name, rows, title in (("Département", departements, "départementales"), ("Région", regions, "régionales")):
        sheet = book.create_sheet(name)
        sheet.append([f"Estimations de taux de chômage localisé : comparaisons {title}"])
        sheet.append(["(en%)"])
        sheet.append([])
        sheet.append(["Code", "Libellé", *quarters])
        for row in rows:
            sheet.append(row)
        sheet.append([])
        for note in FOOTNOTES:
            sheet.append([note])
    folder.mkdir(parents=True, exist_ok=True)
    book.save(folder / DEP_FILE)
    return folder


ESTEL_FOLDER = emploi_salarie_ze2010.SOURCE.folder
FUNCTIONS_FOLDER = emploi_fonctions_communes.SOURCE.folder


def rewrite_csv(path: Path, edit) -> None:
    """Rewrite a CSV fixture record by record; `edit(records)` changes the list of records in place."""
    with open(path, encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    edit(records)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records)


# --- the shared parsing of thousands separators ----------------------------------------------------

def test_thousands_separator_is_never_a_decimal_comma():
    parsed = to_number(pd.Series(["4,050", "823", "1,234,567", "nd", "12.5"]), file="f.csv", column="x",
                       thousands=",")
    assert parsed.iloc[:3].tolist() == [4050.0, 823.0, 1234567.0]
    assert pd.isna(parsed.iloc[3]) and parsed.iloc[4] == 12.5
    with pytest.raises(SourceError, match=r"f\.csv.*column 'x'.*row 3.*'4,05'"):
        to_number(pd.Series(["1", "4,05"]), file="f.csv", column="x", first_row=2, thousands=",")


# --- chomage_ze2020 -----------------------------------------------------------------------------

def test_chomage_ze2020_reads_official_layout(tmp_path):
    frame = finish(chomage_ze2020.read(write_ze_workbook(tmp_path / ZE_FOLDER)), chomage_ze2020.SOURCE)
    assert list(frame.columns) == ["level", "code", "name", "period", "variable", "value", "unit"]
    assert set(frame["level"]) == {"ZE2020"} and set(frame["unit"]) == {"%"}
    assert value(frame, code="7603", period="2003-T1") == 13.0
    assert value(frame, code="7603", period="2023-T3") == 12.3
    assert value(frame, code="0051", period="2003-T2") == 7.4  # leading zeros kept
    assert frame.loc[frame["code"] == "7603", "name"].iloc[0] == "Alès - Le Vigan"
    assert frame.loc[frame["code"] == "0401", "value"].isna().sum() == 2  # overseas zones before 2014
    assert len(frame) == 9


def test_chomage_ze2020_secret_marker_is_missing_and_bad_cell_named(tmp_path):
    rows = [["7603", "Alès - Le Vigan", "76", "OCCITANIE", "s", 13.2, 12.3]]
    frame = chomage_ze2020.read(write_ze_workbook(tmp_path / "a", rows=rows))
    assert frame["value"].isna().sum() == 1
    rows = [["7603", "Alès - Le Vigan", "76", "OCCITANIE", 13, "13,2%", 12.3]]
    with pytest.raises(SourceError, match=r"sheet 'txcho_ze', column '2003-T2', row 7"):
        chomage_ze2020.read(write_ze_workbook(tmp_path / "b", rows=rows))


def test_chomage_ze2020_bad_layouts(tmp_path):
    with pytest.raises(SourceError, match=r"chomage-zone.*sheet 'txcho_ze'"):
        chomage_ze2020.read(write_ze_workbook(tmp_path / "sheet", sheet="Feuil1"))
    with pytest.raises(SourceError, match=r"column '2003 T1'.*quarter"):
        chomage_ze2020.read(write_ze_workbook(tmp_path / "quarter", quarters=("2003 T1", "2003-T2", "2023-T3")))
    rows = [["Total", "France", "", "", 8, 8, 7]]
    with pytest.raises(SourceError, match=r"column 'ZE2020', row 7"):
        chomage_ze2020.read(write_ze_workbook(tmp_path / "code", rows=rows))
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / ZE_FILE).write_bytes(b"PK\x03\x04 truncated download")
    with pytest.raises(SourceError, match="chomage-zone-t1-2003-t3-2023.xlsx"):
        chomage_ze2020.read(corrupt)
    with pytest.raises(SourceError, match="raw file not found"):
        chomage_ze2020.read(tmp_path / "missing")


# --- chomage_dep_reg ----------------------------------------------------------------------------

def test_chomage_dep_reg_reads_official_layout(tmp_path):
    frame = finish(chomage_dep_reg.read(write_dep_workbook(tmp_path / DEP_FOLDER)), chomage_dep_reg.SOURCE)
    assert value(frame, level="DEP", code="30", period="1982-T1") == 8.2
    assert value(frame, level="DEP", code="30", period="2000-T1") == 14.2
    assert value(frame, level="DEP", code="2A", period="2024-T1") == 6.3
    assert value(frame, level="REG", code="76", period="2024-T1") == 8.9
    assert value(frame, level="FR", code="METRO", period="1982-T1") == 6.7
    assert value(frame, level="FR", code="FR", period="2024-T1") == 7.5
    assert pd.isna(value(frame, level="FR", code="FR", period="1982-T1"))
    assert set(frame["period"]) == {"1982-T1", "2000-T1", "2024-T1"}
    assert len(frame) == 6 * 3  # footnotes dropped


def test_chomage_dep_reg_rejects_pre_2016_region_and_unknown_france_row(tmp_path):
    regions = [["91", "LANGUEDOC-ROUSSILLON", 7.0, 12.0, 10.0]]
    with pytest.raises(SourceError, match=r"sheet 'Région', column 'Code', row 5.*'91'.*2016"):
        chomage_dep_reg.read(write_dep_workbook(tmp_path / "old", regions=regions))
    regions = [["00", "FRANCE ENTIERE", 7.0, 12.0, 10.0]]
    with pytest.raises(SourceError, match=r"unknown France row 'FRANCE ENTIERE'"):
        chomage_dep_reg.read(write_dep_workbook(tmp_path / "fr", regions=regions))


def test_chomage_dep_reg_bad_layouts(tmp_path):
    departements = [["30", "GARD", 8.2, "n.d.", 10.1], ["Total", "", 1, 2, 3]]
    with pytest.raises(SourceError, match=r"sheet 'Département', column 'Code', row 6"):
        chomage_dep_reg.read(write_dep_workbook(tmp_path / "code", departements=departements))
    frame = chomage_dep_reg.read(write_dep_workbook(tmp_path / "nd", departements=departements[:1]))
    assert frame.loc[frame["level"] == "DEP", "value"].isna().sum() == 1
    with pytest.raises(SourceError, match=r"column '1982'.*quarter"):
        chomage_dep_reg.read(write_dep_workbook(tmp_path / "q", quarters=("1982", "T1_2000", "T1_2024")))
    folder = write_dep_workbook(tmp_path / "sheet")
    with open(folder / DEP_FILE, "rb") as handle:  # a file object: openpyxl refuses the .xls name
        book = openpyxl.load_workbook(handle)
    book["Région"].title = "Regions"
    book.save(folder / DEP_FILE)
    with pytest.raises(SourceError, match=r"sl_etc_2024T1.xls.*sheet 'Région'"):
        chomage_dep_reg.read(folder)


# --- ESTEL ---------------------------------------------------------------------------------------

def test_emploi_salarie_reads_fixture():
    frame = finish(emploi_salarie_ze2010.read(FIXTURES / ESTEL_FOLDER), emploi_salarie_ze2010.SOURCE)
    assert list(frame.columns) == ["level", "code", "name", "period", "sector", "variable", "value", "unit"]
    assert set(frame["level"]) == {"ZE2010"}
    assert value(frame, code="9104", sector="BE", period=1998) == 6371.0  # "6,371" in the file
    assert value(frame, code="9104", sector="BE", period=2017) == 4050.0
    assert value(frame, code="0050", sector="AZ", period=2017) == 2558.0
    assert value(frame, code="9104", sector="AZ", period=2017) == 370.0  # unquoted small number
    assert frame.loc[frame["code"] == "9104", "name"].iloc[0] == "Alès"
    assert set(frame["sector"]) == {"AZ", "BE", "FZ", "GU", "OQ", "TT"}
    assert len(frame) == 2 * 6 * 20


def test_emploi_non_salarie_reads_fixture():
    frame = finish(emploi_non_salarie_ze2010.read(FIXTURES / ESTEL_FOLDER), emploi_non_salarie_ze2010.SOURCE)
    assert value(frame, code="9104", period=1998) == 5853.0
    assert value(frame, code="9104", period=2017) == 7307.0
    assert value(frame, code="9406", period=2017) == 702.0
    assert frame.loc[frame["code"] == "9406", "name"].iloc[0] == "Corte"
    assert len(frame) == 3 * 20


def test_estel_secret_unknown_sector_truncated_and_bad_numbers(tmp_path):
    path = copy_fixture(ESTEL_FOLDER, tmp_path / "s") / emploi_salarie_ze2010.SOURCE.files[0]
    rewrite_csv(path, lambda records: records[6].__setitem__(3, "s"))
    frame = emploi_salarie_ze2010.read(path.parent)
    assert frame["value"].isna().sum() == 1

    path = copy_fixture(ESTEL_FOLDER, tmp_path / "u") / emploi_salarie_ze2010.SOURCE.files[0]
    rewrite_csv(path, lambda records: records[6].__setitem__(2, "C-Industrie manufacturière"))
    with pytest.raises(SourceError, match=r"emploi_sectoriel.*column 'Activite'.*unknown sector"):
        emploi_salarie_ze2010.read(path.parent)

    path = copy_fixture(ESTEL_FOLDER, tmp_path / "t") / emploi_non_salarie_ze2010.SOURCE.files[0]
    path.write_bytes(path.read_bytes()[:-60])
    with pytest.raises(SourceError, match=r"emploi_non_salarie.*row 9.*fields"):
        emploi_non_salarie_ze2010.read(path.parent)

    path = copy_fixture(ESTEL_FOLDER, tmp_path / "n") / emploi_non_salarie_ze2010.SOURCE.files[0]
    rewrite_csv(path, lambda records: records[7].__setitem__(2, "7,30"))
    with pytest.raises(SourceError, match=r"column '2017', row 8.*'7,30'"):
        emploi_non_salarie_ze2010.read(path.parent)

    path = copy_fixture(ESTEL_FOLDER, tmp_path / "h") / emploi_non_salarie_ze2010.SOURCE.files[0]
    rewrite_csv(path, lambda records: records[5].__setitem__(0, "Zone"))
    with pytest.raises(SourceError, match=r"no header record starting with 'Zone_emploi'"):
        emploi_non_salarie_ze2010.read(path.parent)

    path = copy_fixture(ESTEL_FOLDER, tmp_path / "e") / emploi_non_salarie_ze2010.SOURCE.files[0]
    path.write_bytes(path.read_bytes().replace("Alès".encode(), "Alès".encode("latin-1")))
    with pytest.raises(SourceError, match=r"emploi_non_salarie.*not a utf-8-sig text file"):
        emploi_non_salarie_ze2010.read(path.parent)


# --- emploi_fonctions_communes ----------------------------------------------------------------------

def test_emploi_fonctions_reads_fixture():
    frame = finish(emploi_fonctions_communes.read(FIXTURES / FUNCTIONS_FOLDER), emploi_fonctions_communes.SOURCE)
    assert list(frame.columns) == ["level", "code", "name", "period", "function", "variable", "value", "unit"]
    ales = dict(level="COM", code="30007", variable="emploi")
    assert value(frame, **ales, function="TOTAL", period=1999) == 18490.0
    assert value(frame, **ales, function="TOTAL", period=2016) == 20611.0
    assert value(frame, **ales, function="FABRIC", period=1999) == 1888.0
    assert value(frame, **ales, function="FABRIC", period=2016) == 1482.0
    assert value(frame, code="30007", variable="emploi_cadres_fm", function="TOTAL", period=2016) == 1069.0
    assert value(frame, code="09001", variable="emploi", function="AGRICU", period=1999) == 8.0
    assert frame.loc[frame["code"] == "30007", "name"].iloc[0] == "Alès"
    assert len(frame) == 2 * 4 * (16 + 6)


def test_emploi_fonctions_keeps_occitanie_and_counts_nd(tmp_path):
    folder = copy_fixture(FUNCTIONS_FOLDER, tmp_path / "f")
    path = folder / emploi_fonctions_communes.SOURCE.files[3]

    def edit(records):
        records[-1][14] = "nd"  # FABRIC16 of Alès
        records.append(["97101", "Les Abymes", "01", "971"] + ["nd"] * 22)

    rewrite_csv(path, edit)
    frame = emploi_fonctions_communes.read(folder)
    assert "97101" not in set(frame["code"])
    assert frame["value"].isna().sum() == 1
    assert pd.isna(value(frame, code="30007", variable="emploi", function="FABRIC", period=2016))


def test_emploi_fonctions_bad_layouts(tmp_path):
    folder = copy_fixture(FUNCTIONS_FOLDER, tmp_path / "c")
    path = folder / emploi_fonctions_communes.SOURCE.files[1]
    rewrite_csv(path, lambda records: records[10].__setitem__(14, "FABRIC"))
    with pytest.raises(SourceError, match=r"2006\.csv.*missing column.*FABRIC06"):
        emploi_fonctions_communes.read(folder)

    folder = copy_fixture(FUNCTIONS_FOLDER, tmp_path / "y")  # a 2011 file where the 2016 one should be
    shutil.copy(folder / emploi_fonctions_communes.SOURCE.files[2], folder / emploi_fonctions_communes.SOURCE.files[3])
    with pytest.raises(SourceError, match=r"2016\.csv.*missing column.*ELT16"):
        emploi_fonctions_communes.read(folder)

    folder = copy_fixture(FUNCTIONS_FOLDER, tmp_path / "v")
    rewrite_csv(folder / emploi_fonctions_communes.SOURCE.files[0], lambda records: records[-1].__setitem__(4, "18.490,5"))
    with pytest.raises(SourceError, match=r"1999\.csv.*column 'ELT99', row 14"):
        emploi_fonctions_communes.read(folder)


# --- integration: the staged official files -------------------------------------------------------

def test_chomage_ze2020_real(built_data):
    frame = datasets.load("chomage_ze2020", data_dir=built_data)
    ales = frame[(frame["level"] == "ZE2020") & (frame["code"] == "7603")]
    assert value(ales, period="2003-T1") == 13.0  # stated in the issue and the manifest
    assert value(ales, period="2023-T3") == 12.3
    assert frame["code"].nunique() == 302  # documentation sheet: 302 zones d'emploi
    assert frame["period"].nunique() == 83 and frame["period"].min() == "2003-T1"
    assert frame["value"].isna().sum() == 15 * 44  # 15 overseas zones, 2003-T1 to 2013-T4


def test_chomage_dep_reg_real(built_data, raw_dir):
    frame = datasets.load("chomage_dep_reg", data_dir=built_data)
    gard = frame[(frame["level"] == "DEP") & (frame["code"] == "30")]
    assert value(gard, period="1982-T1") == 8.2  # manifest
    assert value(gard, period="2000-T1") == 14.2
    assert value(gard, period="2024-T1") == 10.1
    # Occitanie and France read straight from the workbook with xlrd
    sheet = xlrd.open_workbook(raw_dir / DEP_FOLDER / DEP_FILE).sheet_by_name("Région")
    header = sheet.row_values(3)
    rows = {(sheet.cell_value(r, 0), sheet.cell_value(r, 1)): sheet.row_values(r) for r in range(4, sheet.nrows)}
    occitanie, metro = rows[("76", "OCCITANIE")], rows[("00", "FRANCE METROPOLITAINE")]
    for raw_column, period in (("T1_1982", "1982-T1"), ("T1_2024", "2024-T1")):
        column = header.index(raw_column)
        assert value(frame, level="REG", code="76", period=period) == pytest.approx(occitanie[column])
        assert value(frame, level="FR", code="METRO", period=period) == pytest.approx(metro[column])
    assert set(frame["level"]) == {"DEP", "REG", "FR"}
    assert frame.groupby("level")["code"].nunique().to_dict() == {"DEP": 100, "FR": 2, "REG": 17}


def test_emploi_salarie_real(built_data):
    frame = datasets.load("emploi_salarie_ze2010", data_dir=built_data)
    ales = frame[(frame["level"] == "ZE2010") & (frame["code"] == "9104") & (frame["sector"] == "BE")]
    assert value(ales, period=1998) == 6371.0  # manifest: industry jobs in ZE2010 Alès
    assert value(ales, period=2017) == 4050.0
    assert set(frame.loc[frame["code"] == "9104", "name"]) == {"Alès"}
    assert set(frame.loc[frame["code"] == "9103", "name"]) == {"Narbonne"}  # ZE2010, not ZE1990
    totals = frame[frame["sector"] == "TT"].set_index(["code", "period"])["value"]
    parts = frame[frame["sector"] != "TT"].groupby(["code", "period"])["value"].sum()
    assert (totals - parts).abs().max() <= 5  # sectors add up to the total, up to rounding


def test_emploi_non_salarie_real(built_data, raw_dir):
    frame = datasets.load("emploi_non_salarie_ze2010", data_dir=built_data)
    path = raw_dir / ESTEL_FOLDER / emploi_non_salarie_ze2010.SOURCE.files[0]
    with open(path, encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    header = next(r for r in records if r[:1] == ["Zone_emploi"])
    ales = next(r for r in records if r[:1] == ["9104_Alès"])
    for year in (1998, 2017):
        assert value(frame, code="9104", period=year) == float(ales[header.index(str(year))].replace(",", ""))
    assert frame["code"].nunique() == len(records) - records.index(header) - 1


def test_emploi_fonctions_real(built_data):
    frame = datasets.load("emploi_fonctions_communes", data_dir=built_data)
    ales = frame[(frame["level"] == "COM") & (frame["code"] == "30007") & (frame["variable"] == "emploi")]
    assert value(ales, function="TOTAL", period=1999) == 18490.0  # manifest
    assert value(ales, function="TOTAL", period=2016) == 20611.0
    assert value(ales, function="FABRIC", period=1999) == 1888.0
    assert value(ales, function="FABRIC", period=2016) == 1482.0
    assert frame.groupby("period")["code"].nunique().to_dict() == {1999: 4454, 2006: 4454, 2011: 4454, 2016: 4454}
    assert frame["value"].isna().sum() == 0
