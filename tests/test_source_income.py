"""Income and poverty sources: Filosofi 2014-2019 (all levels), Filosofi 2021 communes, declared income by ZE."""

from __future__ import annotations

import io
import math
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from alesbook import datasets
from alesbook.errors import SourceError
from alesbook.sources import filosofi, filosofi_2021_communes, revenus_declares_ze
from alesbook.sources._common import finish

from conftest import value

FIXTURES = Path(__file__).parent / "fixtures"


# --- Filosofi 2014-2019: small workbooks in the official layout, zipped as distributed ----------

STEMS = ["NBMENFISC", "NBPERSMENFISC", "MED", "PIMP", "TP60", "TP60AGE1", "PPEN", "D1", "D9", "RD"]
ROWS = {  # sheet -> records (CODGEO, LIBGEO, values in STEMS order)
    "COM": [
        ["01001", "L'Abergement-Clémenciat", 304, 799.5, 21576.5, None, None, None, None, None, None, None],
        ["30007", "Alès", 19865, 38641, 17180, 38, 29, 39, 35.1, 9250, 30640, 3.3],
        ["30132", "La Grand-Combe", 2300, 4500, 15000, "s", 41, "s", 40, "s", "s", "s"],
    ],
    "EPCI": [["200066918", "CA Alès Agglomération", 60000, 130000, 19870, 45, 22.1, 30, 33.0, 10160, 35000, 3.4]],
    "DEP": [["30", "Gard", 330000, 730000, 20270, 48, 19.6, 28, 31.0, 10000, 36000, 3.6]],
    "REG": [["76", "Occitanie", 2623383, 5679741, 20980, 52.3, 16.8, 27.6, 31.5, 10300, 38000, 3.7]],
    "METRO": [["1", "France métropolitaine", 27937964, 62973019, 21930, 57.6, 14.5, 22.7, 27.0, 11000, 40000, 3.4]],
    "ZE2020": [["7603", "Alès", 70000, 150000, 19000, 42, 22.7, 33, 34.0, 9900, 34000, 3.5]],
}


def write_workbook(path: Path, year: int, *, rows=ROWS, drop_column=None, appended=False) -> None:
    """A zip holding one « chiffres clés » workbook: 4 title rows, labels row 5, codes row 6."""
    suffix = f"{year % 100:02d}"
    codes = ["CODGEO", "LIBGEO", *(f"{stem}{suffix}" for stem in STEMS)]
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet, records in rows.items():
        data = book.create_sheet(sheet)
        data.append([f"Fichier Localisé Social et Fiscal (FiLoSoFi) - Année {year}"])
        data.append(["France métropolitaine, Martinique et La Réunion"])
        data.append(["Mise en ligne le 05/07/2022       Géographie au 01/01/2022"])
        data.append(["©Insee       Source(s) : Insee-DGFIP-Cnaf-Cnav-CCMSA, Fichier localisé social et fiscal."])
        data.append(["Code géographique", "Libellé géographique"] + ["libellé"] * len(STEMS))
        keep = [i for i, code in enumerate(codes) if code != drop_column]
        data.append([codes[i] for i in keep])
        for record in records:
            data.append([record[i] for i in keep])
        if appended and sheet == "DEP":  # the 2019 layout: another source's block below a blank row
            data.append([])
            data.append(["Guadeloupe, Guyane, Mayotte"])
            data.append(["Code géographique", "Libellé géographique", "Nombre de ménages"])
            data.append([971, "Guadeloupe", 176632])
    book.create_sheet("Variables")
    content = io.BytesIO()
    book.save(content)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"base-cc-filosofi-{year}.xlsx", content.getvalue())


@pytest.fixture
def filosofi_folder(tmp_path) -> Path:
    folder = tmp_path / filosofi.SOURCE.folder
    folder.mkdir()
    for name, year in filosofi._WORKBOOKS:
        write_workbook(folder / name, year, appended=year == 2019)
    return folder


def test_filosofi_reads_the_official_layout(filosofi_folder):
    frame = finish(filosofi.read(filosofi_folder), filosofi.SOURCE)
    assert sorted(frame["period"].unique()) == [2014, 2016, 2017, 2018, 2019]
    assert value(frame, level="COM", code="30007", period=2019, variable="poverty_rate_60") == 29
    assert value(frame, level="COM", code="30007", period=2019, variable="median_living_standard") == 17180
    assert value(frame, level="COM", code="30007", period=2019, variable="interdecile_ratio") == 3.3
    assert value(frame, level="EPCI", code="200066918", period=2016, variable="poverty_rate_60") == 22.1
    assert value(frame, level="FR", code="METRO", period=2019, variable="poverty_rate_60") == 14.5
    assert value(frame, level="ZE2020", code="7603", period=2019, variable="poverty_rate_60") == 22.7
    # communes outside Occitanie are left out; communes keep the core variables only
    assert not (frame["code"] == "01001").any()
    assert set(frame.loc[frame["level"] == "COM", "variable"]) == {
        "tax_households", "tax_household_persons", "median_living_standard", "share_households_taxed",
        "poverty_rate_60", "d1_living_standard", "d9_living_standard", "interdecile_ratio"}
    # other levels also keep the breakdowns and the income composition
    assert value(frame, level="DEP", code="30", period=2017, variable="income_share_pensions") == 31.0
    assert value(frame, level="REG", code="76", period=2018, variable="poverty_rate_60_age_under_30") == 27.6
    assert frame["code"].map(type).eq(str).all()


def test_filosofi_secret_cells_stay_missing(filosofi_folder):
    frame = filosofi.read(filosofi_folder)
    grand_combe = frame[(frame["code"] == "30132") & (frame["period"] == 2018)].set_index("variable")["value"]
    assert grand_combe["poverty_rate_60"] == 41
    secret = ["share_households_taxed", "d1_living_standard", "d9_living_standard", "interdecile_ratio"]
    assert grand_combe[secret].isna().all()
    assert not (frame["value"] == 0).any()
    assert frame["value"].isna().sum() == 4 * 5  # the four 's' cells of La Grand-Combe, in five vintages


def test_filosofi_stops_at_the_appended_block(filosofi_folder):
    frame = filosofi.read(filosofi_folder)
    assert not frame["code"].isin(["971", "Guadeloupe, Guyane, Mayotte", "Code géographique"]).any()
    assert set(frame.loc[(frame["level"] == "DEP") & (frame["period"] == 2019), "code"]) == {"30"}


def test_filosofi_missing_column_names_file_and_sheet(filosofi_folder):
    write_workbook(filosofi_folder / "base-filosofi-2017_XLSX.zip", 2017, drop_column="TP6017")
    with pytest.raises(SourceError, match=r"base-filosofi-2017_XLSX\.zip.*sheet 'COM'.*TP6017"):
        filosofi.read(filosofi_folder)


def test_filosofi_missing_sheet(filosofi_folder):
    rows = {sheet: records for sheet, records in ROWS.items() if sheet != "EPCI"}
    write_workbook(filosofi_folder / "base-cc-filosofi-2018_XLSX-geo2021.zip", 2018, rows=rows)
    with pytest.raises(SourceError, match=r"geo2021\.zip.*missing sheet\(s\) \['EPCI'\]"):
        filosofi.read(filosofi_folder)


def test_filosofi_bad_value_names_row_and_column(filosofi_folder):
    rows = dict(ROWS, COM=[ROWS["COM"][0], ROWS["COM"][1][:6] + ["29 %"] + ROWS["COM"][1][7:]])
    write_workbook(filosofi_folder / "base-cc-filosofi-2019_XLSX.zip", 2019, rows=rows)
    with pytest.raises(SourceError, match=r"sheet 'COM', column 'TP6019', row 8: value '29 %'"):
        filosofi.read(filosofi_folder)


def test_filosofi_corrupt_zip_names_the_file(filosofi_folder):
    path = filosofi_folder / "filo-revenu-pauvrete-menage-2014.zip"
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(SourceError, match=r"filo-revenu-pauvrete-menage-2014\.zip: not a readable zip"):
        filosofi.read(filosofi_folder)


def test_filosofi_corrupt_workbook_names_the_member(filosofi_folder):
    with zipfile.ZipFile(filosofi_folder / "filosofi-revenu-pauvrete-menage-2016.zip", "w") as archive:
        archive.writestr("base-cc-filosofi-2016.xls", b"not a workbook")
    with pytest.raises(SourceError, match=r"2016\.zip!base-cc-filosofi-2016\.xls: not a readable Excel"):
        filosofi.read(filosofi_folder)


# --- Filosofi 2021 communes ----------------------------------------------------------------------

FOLDER_2021 = FIXTURES / filosofi_2021_communes.SOURCE.folder


def test_filosofi_2021_reads_the_official_layout():
    frame = finish(filosofi_2021_communes.read(FOLDER_2021), filosofi_2021_communes.SOURCE)
    assert set(frame["code"]) == {"30007", "30132", "34172"}  # 01001 is not in Occitanie
    assert value(frame, code="30007", variable="median_living_standard") == 18000
    assert value(frame, code="30007", variable="poverty_rate_60") == 30.0
    assert value(frame, code="30132", variable="share_households_taxed") == 20.0
    # 's' and 'nd' stay missing and are counted
    assert math.isnan(value(frame, code="30132", variable="d1_living_standard"))
    assert math.isnan(value(frame, code="34172", variable="poverty_rate_60"))
    assert frame["value"].isna().sum() == 3
    assert frame["period"].eq(2021).all() and frame["level"].eq("COM").all()


def test_filosofi_2021_bad_value_names_line(tmp_path):
    folder = tmp_path / "filo21"
    shutil.copytree(FOLDER_2021, folder)
    path = folder / "cc_filosofi_2021_COM.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("18000", "18 000 €"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"column 'MED21', row 3: value '18 000 €'"):
        filosofi_2021_communes.read(folder)


def test_filosofi_2021_missing_column(tmp_path):
    folder = tmp_path / "filo21"
    shutil.copytree(FOLDER_2021, folder)
    path = folder / "cc_filosofi_2021_COM.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("TP6021", "TP60_21"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"cc_filosofi_2021_COM\.csv: missing column\(s\) \['TP6021'\]"):
        filosofi_2021_communes.read(folder)


# --- declared income by zone d'emploi ------------------------------------------------------------

FOLDER_ZE = FIXTURES / revenus_declares_ze.SOURCE.folder


def test_revenus_declares_rfl_layout():
    frame = revenus_declares_ze._one_year(FOLDER_ZE, 2001)
    assert frame["level"].eq("ZE1990").all()
    assert value(frame, code="9103", variable="median_income_uc") == 12035
    assert value(frame, code="9103", variable="gini") == 0.362
    assert value(frame, code="9104", variable="d9_income_uc") == 28781
    assert frame.loc[frame["code"] == "9104", "name"].iloc[0] == "Bagnols-sur-Cèze"
    assert math.isnan(value(frame, code="9417", variable="mean_income_uc"))  # blank cell
    assert "households" not in set(frame["variable"])  # not in the RFL files


def test_revenus_declares_filosofi_layout_and_reused_codes():
    frame = revenus_declares_ze._one_year(FOLDER_ZE, 2017)
    assert frame["level"].eq("ZE2010").all()
    assert value(frame, code="9104", variable="median_income_uc") == 17480
    assert value(frame, code="9104", variable="interdecile_ratio") == 8.1  # column RD has no year suffix
    assert value(frame, code="9104", variable="income_share_pensions") == 39.1
    assert frame.loc[frame["code"] == "9103", "name"].iloc[0] == "Narbonne"
    assert math.isnan(value(frame, code="9407", variable="d1_income_uc"))


def test_revenus_declares_missing_file_and_bad_value(tmp_path):
    with pytest.raises(SourceError, match=r"2002\.csv: raw file not found"):
        revenus_declares_ze.read(FOLDER_ZE)
    folder = tmp_path / "ze"
    shutil.copytree(FOLDER_ZE, folder)
    path = folder / revenus_declares_ze._filename(2017)
    path.write_text(path.read_text(encoding="utf-8").replace(",17480,", ",17 480 €,"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"column 'Q217', row 8: value '17 480 €'"):
        revenus_declares_ze._one_year(folder, 2017)


def test_revenus_declares_wrong_layout(tmp_path):
    folder = tmp_path / "ze"
    shutil.copytree(FOLDER_ZE, folder)
    path = folder / revenus_declares_ze._filename(2001)
    path.write_text(path.read_text(encoding="utf-8").replace("RFUCQ201", "MEDIANE"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"2001\.csv: missing column RFUCQ201"):
        revenus_declares_ze._one_year(folder, 2001)


# --- integration: the staged official files, values from the manifests ---------------------------


@pytest.fixture(scope="module")
def income(built_data):
    return {name: datasets.load(name, data_dir=built_data)
            for name in ("filosofi", "filosofi_2021_communes", "revenus_declares_ze")}


@pytest.mark.parametrize("level, code, period, variable, expected", [
    ("COM", "30007", 2019, "poverty_rate_60", 29),  # Alès
    ("COM", "30007", 2019, "median_living_standard", 17180),
    ("COM", "30007", 2014, "poverty_rate_60", 29.0),
    ("COM", "30007", 2014, "median_living_standard", 15894),  # manifest: 15 894 € (unrounded in the file)
    ("COM", "30132", 2014, "poverty_rate_60", 39.0),  # La Grand-Combe
    ("COM", "30132", 2019, "poverty_rate_60", 41),
    ("EPCI", "200066918", 2016, "poverty_rate_60", 22.5),  # Alès Agglomération
    ("EPCI", "200066918", 2019, "poverty_rate_60", 22.1),
    ("DEP", "30", 2014, "poverty_rate_60", 20.3),
    ("DEP", "30", 2019, "poverty_rate_60", 19.6),
    ("REG", "76", 2019, "poverty_rate_60", 16.8),
    ("FR", "METRO", 2019, "poverty_rate_60", 14.5),
    ("ZE2020", "7603", 2019, "poverty_rate_60", 22.7),
])
def test_filosofi_manifest_values(income, level, code, period, variable, expected):
    got = value(income["filosofi"], level=level, code=code, period=period, variable=variable)
    assert got == pytest.approx(expected, abs=0.5 if variable == "median_living_standard" else 1e-9)


def test_filosofi_coverage(income):
    frame = income["filosofi"]
    assert set(frame["level"]) == {"COM", "EPCI", "ZE2010", "ZE2020", "DEP", "REG", "FR"}
    counts = frame[frame["variable"] == "poverty_rate_60"].groupby(["level", "period"]).size()
    assert counts["EPCI", 2019] > 1200 and counts["ZE2020", 2019] > 280 and counts["ZE2010", 2016] > 300
    assert 4400 < counts["COM", 2019] < 4600  # the communes of Occitanie
    assert frame["value"].isna().any() and not (frame["value"] == 0).any()


def test_filosofi_2021_manifest_values(income):
    frame = income["filosofi_2021_communes"]
    assert value(frame, code="30007", variable="median_living_standard") == 18000
    assert value(frame, code="30007", variable="poverty_rate_60") == 30.0
    assert value(frame, code="30132", variable="median_living_standard") == 15050
    assert value(frame, code="30132", variable="poverty_rate_60") == 43.0


def test_revenus_declares_manifest_values(income):
    frame = income["revenus_declares_ze"]
    assert value(frame, level="ZE1990", code="9103", period=2001, variable="median_income_uc") == 12035
    assert value(frame, level="ZE2010", code="9104", period=2017, variable="median_income_uc") == 17480
    names = frame.drop_duplicates(["level", "code"]).set_index(["level", "code"])["name"]
    assert names["ZE1990", "9103"].startswith("Alès") and names["ZE2010", "9103"] == "Narbonne"
    assert names["ZE1990", "9104"] == "Bagnols-sur-Cèze" and names["ZE2010", "9104"] == "Alès"
    assert sorted(frame["period"].unique()) == list(range(2001, 2018))
    assert set(frame.loc[frame["period"] <= 2008, "level"]) == {"ZE1990"}
    assert set(frame.loc[frame["period"] >= 2009, "level"]) == {"ZE2010"}
