"""Geography sources: COG 2023 compositions, Etalab COG 2026, Territoires d'industrie, IGN contours."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import shapely

from alesbook import datasets
from alesbook.errors import SourceError
from alesbook.sources import cog_2026, communes_2023, contours_2018, territoires_industrie
from alesbook.sources._common import finish

FIXTURES = Path(__file__).parent / "fixtures"
EPCI_FOLDER = communes_2023.SOURCE.folder
ZE_FOLDER = "insee_zonage_zones_emploi_2020_geo2023"


def copy_fixture(folder: str, tmp_path: Path) -> Path:
    target = tmp_path / folder
    shutil.copytree(FIXTURES / folder, target)
    return target


# --- communes_2023: two Insee workbooks written in their official layout ----------------------------

COMPOSITION = [  # CODGEO, LIBGEO, EPCI, LIBEPCI, ZE2020, LIBZE2020, DEP, REG
    ("30007", "Alès", "200066918", "CA Alès Agglomération", "7603", "Alès-Le Vigan", "30", "76"),
    ("30132", "La Grand-Combe", "200066918", "CA Alès Agglomération", "7603", "Alès-Le Vigan", "30", "76"),
    ("30094", "Corbès", "200066918", "CA Alès Agglomération", "7618", "Nîmes", "30", "76"),
    ("29083", "Île-de-Sein", "ZZZZZZZZZ", "Sans objet", "5309", "Quimper", "29", "53"),
]
EPCI_LIST = [("200066918", "CA Alès Agglomération", "CA", 3), ("ZZZZZZZZZ", "Sans objet", "ZZ", 1)]
ZE_LIST = [("7603", "Alès-Le Vigan", 2), ("7618", "Nîmes", 1), ("5309", "Quimper", 1)]


def _sheet(book, title, labels, codes, rows):
    sheet = book.create_sheet(title)
    for line in ("Titre", "France - Liste", "Mise en ligne le 17/03/2023", "@Insee Source(s) : Insee"):
        sheet.append([line])
    sheet.append(labels)
    sheet.append(codes)
    for row in rows:
        sheet.append(list(row))


def write_composition(raw: Path, composition=COMPOSITION, epci_list=EPCI_LIST, ze_list=ZE_LIST,
                      epci_sheet="Composition_communale") -> Path:
    """Both workbooks under raw/<folder>/; returns the EPCI folder (the one `read` is given)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    _sheet(book, "EPCI", ["EPCI - Métropole", "Libellé", "Nature", "Nombre communes"],
           ["EPCI", "LIBEPCI", "NATURE_EPCI", "NB_COM"], epci_list)
    _sheet(book, epci_sheet, ["Code géographique", "Libellé", "EPCI", "Libellé EPCI", "Département", "Région"],
           ["CODGEO", "LIBGEO", "EPCI", "LIBEPCI", "DEP", "REG"], [r[:4] + r[6:] for r in composition])
    (raw / EPCI_FOLDER).mkdir(parents=True, exist_ok=True)
    book.save(raw / EPCI_FOLDER / communes_2023.SOURCE.files[0])
    book = openpyxl.Workbook()
    book.remove(book.active)
    _sheet(book, "ZE2020", ["Zone d'emploi 2020", "Libellé", "Nombre communes"], ["ZE2020", "LIBZE2020", "NB_COM"],
           ze_list)
    _sheet(book, "Composition_communale",
           ["Code", "Libellé", "ZE", "Libellé ZE", "Partie", "Département", "Région"],
           ["CODGEO", "LIBGEO", "ZE2020", "LIBZE2020", "ZE2020_PARTIE_REG", "DEP", "REG"],
           [r[:2] + r[4:6] + (None,) + r[6:] for r in composition])
    (raw / ZE_FOLDER).mkdir(parents=True, exist_ok=True)
    book.save(raw / ZE_FOLDER / "ZE2020_au_01-01-2023.xlsx")
    return raw / EPCI_FOLDER


def test_communes_2023_merges_epci_and_zone(tmp_path):
    table = finish(communes_2023.read(write_composition(tmp_path)), communes_2023.SOURCE)
    assert list(table.columns) == ["com", "com_name", "dep", "reg", "epci", "epci_name", "epci_nature",
                                   "ze2020", "ze2020_name"]
    ales = table.set_index("com").loc["30007"]
    assert (ales["epci"], ales["epci_nature"], ales["ze2020"], ales["dep"]) == ("200066918", "CA", "7603", "30")
    assert table.set_index("com").loc["30094", "ze2020_name"] == "Nîmes"


def test_communes_2023_island_without_epci_is_missing_not_a_code(tmp_path):
    table = communes_2023.read(write_composition(tmp_path)).set_index("com")
    assert pd.isna(table.loc["29083", "epci"]) and pd.isna(table.loc["29083", "epci_name"])
    assert table.loc["29083", "ze2020"] == "5309"


def test_communes_2023_truncated_file_fails_on_counts(tmp_path):
    folder = write_composition(tmp_path, composition=COMPOSITION[:3])  # EPCI list still says 1 island commune
    with pytest.raises(SourceError, match="NB_COM") as error:
        communes_2023.read(folder)
    assert "Intercommunalite_Metropole_au_01-01-2023.xlsx" in str(error.value)


def test_communes_2023_wrong_sheet_names_file_and_sheet(tmp_path):
    folder = write_composition(tmp_path, epci_sheet="Composition")
    with pytest.raises(SourceError, match="Composition_communale"):
        communes_2023.read(folder)


def test_communes_2023_missing_column(tmp_path):
    folder = write_composition(tmp_path, epci_list=[r[:3] for r in EPCI_LIST])
    book = openpyxl.load_workbook(folder / communes_2023.SOURCE.files[0])
    book["EPCI"].delete_cols(4)
    book.save(folder / communes_2023.SOURCE.files[0])
    with pytest.raises(SourceError, match=r"sheet 'EPCI'.*missing column.*NB_COM"):
        communes_2023.read(folder)


def test_communes_2023_malformed_code_named_with_row(tmp_path):
    bad = [("3007",) + COMPOSITION[0][1:]] + COMPOSITION[1:]
    with pytest.raises(SourceError, match=r"CODGEO.*row 7: code '3007'"):
        communes_2023.read(write_composition(tmp_path, composition=bad))


def test_communes_2023_files_listing_different_communes(tmp_path):
    folder = write_composition(tmp_path)
    other = [("30008",) + COMPOSITION[0][1:]] + COMPOSITION[1:]
    shutil.rmtree(tmp_path / ZE_FOLDER)
    write_composition(tmp_path / "other", composition=other)
    shutil.copytree(tmp_path / "other" / ZE_FOLDER, tmp_path / ZE_FOLDER)
    with pytest.raises(SourceError, match="different communes"):
        communes_2023.read(folder)


def test_communes_2023_missing_zone_file(tmp_path):
    folder = write_composition(tmp_path)
    shutil.rmtree(tmp_path / ZE_FOLDER)
    with pytest.raises(SourceError, match="ZE2020_au_01-01-2023.xlsx"):
        communes_2023.read(folder)


def test_communes_2023_corrupt_workbook(tmp_path):
    folder = write_composition(tmp_path)
    (folder / communes_2023.SOURCE.files[0]).write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(SourceError, match="Intercommunalite_Metropole_au_01-01-2023.xlsx"):
        communes_2023.read(folder)


# --- cog_2026: Etalab JSON --------------------------------------------------------------------------

def test_cog_2026_fixture(tmp_path):
    table = finish(cog_2026.read(copy_fixture(cog_2026.SOURCE.folder, tmp_path)), cog_2026.SOURCE)
    com = table[table["level"] == "COM"].set_index("code")
    assert sorted(com.index) == ["30007", "30329", "48080"]  # communes déléguées are not rows
    assert com.loc["30007", "population"] == 46125 and com.loc["30007", "population_year"] == 2023
    assert com.loc["30329", "former_codes"] == "30094"
    assert com.loc["30329", "epci"] == "200066918" and com.loc["48080", "epci"] == "200006930"
    dep = table[table["level"] == "DEP"].set_index("code")
    assert dep.loc["76", "name"] == "Seine-Maritime" and dep.loc["76", "reg"] == "28"
    assert table[(table["level"] == "REG") & (table["code"] == "76")]["name"].item() == "Occitanie"
    assert table.loc[table["level"] == "EPCI", "population"].isna().all()  # DGCL vintage not kept


def test_cog_2026_truncated_json(tmp_path):
    folder = copy_fixture(cog_2026.SOURCE.folder, tmp_path)
    text = (folder / "communes.json").read_text(encoding="utf-8")
    (folder / "communes.json").write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(SourceError, match="communes.json.*JSON"):
        cog_2026.read(folder)


def test_cog_2026_missing_key(tmp_path):
    folder = copy_fixture(cog_2026.SOURCE.folder, tmp_path)
    rows = json.loads((folder / "departements.json").read_text(encoding="utf-8"))
    del rows[1]["region"]
    (folder / "departements.json").write_text(json.dumps(rows), encoding="utf-8")
    with pytest.raises(SourceError, match=r"departements.json.*'region'.*row 2"):
        cog_2026.read(folder)


def test_cog_2026_commune_in_two_epci(tmp_path):
    folder = copy_fixture(cog_2026.SOURCE.folder, tmp_path)
    rows = json.loads((folder / "epci.json").read_text(encoding="utf-8"))
    rows[0]["membres"].append({"code": "30007", "nom": "Alès"})
    (folder / "epci.json").write_text(json.dumps(rows), encoding="utf-8")
    with pytest.raises(SourceError, match="30007 is a member of two EPCI"):
        cog_2026.read(folder)


# --- territoires_industrie ----------------------------------------------------------------------------

def test_territoires_industrie_fixture(tmp_path):
    table = finish(territoires_industrie.read(copy_fixture(territoires_industrie.SOURCE.folder, tmp_path)),
                   territoires_industrie.SOURCE)
    wave1 = table[table["wave"] == "2018-2022"]
    assert wave1.loc[wave1["ti_id"] == "ti-7602", "siren"].tolist() == ["200066918"]  # a Point geometry
    assert wave1.loc[wave1["siren"] == "241500230", "member_name"].item() == "CA du Bassin d'Aurillac"
    # "…Rouffach, Vignobles et Châteaux": names and SIREN cannot be paired, names stay empty
    assert wave1.loc[wave1["ti_id"] == "ti-4410", "member_name"].isna().all()
    alès = table[(table["wave"] == "2023-2027") & (table["ti_id"] == "ti-7601")]
    assert set(alès["siren"]) == {"200066918", "200035129"}
    assert set(alès["ti_name"]) == {"Alès"} and set(alès["reg"]) == {"76"}
    rouffach = table[(table["wave"] == "2023-2027") & (table["siren"] == "246800494")]
    assert rouffach["member_name"].item() == "CC du Pays de Rouffach, Vignobles et Châteaux"


def test_territoires_industrie_malformed_member(tmp_path):
    folder = copy_fixture(territoires_industrie.SOURCE.folder, tmp_path)
    path = folder / territoires_industrie.SOURCE.files[1]
    path.write_text(path.read_text(encoding="utf-8").replace("(200035129)", "(20003512)"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"liste_geo.*row 1: ti-7601.*Cèze Cévennes"):
        territoires_industrie.read(folder)


def test_territoires_industrie_malformed_siren(tmp_path):
    folder = copy_fixture(territoires_industrie.SOURCE.folder, tmp_path)
    path = folder / territoires_industrie.SOURCE.files[0]
    path.write_text(path.read_text(encoding="utf-8").replace('"200066918"', '"2000669"'), encoding="utf-8")
    with pytest.raises(SourceError, match=r"siren_groupement.*row 2: ti-7602.*'2000669'"):
        territoires_industrie.read(folder)


def test_territoires_industrie_malformed_id(tmp_path):
    folder = copy_fixture(territoires_industrie.SOURCE.folder, tmp_path)
    path = folder / territoires_industrie.SOURCE.files[1]
    path.write_text(path.read_text(encoding="utf-8").replace('"ti-4414"', '"TI 4414"'), encoding="utf-8")
    with pytest.raises(SourceError, match=r"id_territoire.*row 2: malformed territory id 'TI 4414'"):
        territoires_industrie.read(folder)


def test_territoires_industrie_missing_property(tmp_path):
    folder = copy_fixture(territoires_industrie.SOURCE.folder, tmp_path)
    path = folder / territoires_industrie.SOURCE.files[0]
    path.write_text(path.read_text(encoding="utf-8").replace('"siren_groupement"', '"siren"'), encoding="utf-8")
    with pytest.raises(SourceError, match="siren_groupement"):
        territoires_industrie.read(folder)


# --- contours_2018: GeoJSON written in the test ---------------------------------------------------------

def _square(lon, lat, side):
    return {"type": "Polygon", "coordinates": [[[lon, lat], [lon + side, lat], [lon + side, lat + side],
                                                [lon, lat + side], [lon, lat]]]}


def write_contours(folder: Path, geometry=None) -> Path:
    """One square commune per département file, one square département and région."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, filename in enumerate(contours_2018.SOURCE.files):
        lon = 1.0 + number * 0.1
        feature = {"type": "Feature", "properties": {"code": f"{30000 + number}", "nom": f"Commune {number}"},
                   "geometry": geometry if (geometry and number == 0) else _square(lon, 44.0, 0.05)}
        if filename.startswith(("departements", "regions")):
            feature["properties"] = {"code": "30" if filename.startswith("dep") else "76", "nom": "Zone"}
            feature["geometry"] = _square(4.0, 44.0, 0.5)
        (folder / filename).write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}),
                                       encoding="utf-8")
    return folder


def spherical_rectangle_km2(lon_side, lat1, lat2, radius=6371.0088):
    """Exact area of a lon/lat rectangle on a sphere."""
    return radius ** 2 * math.radians(lon_side) * (math.sin(math.radians(lat2)) - math.sin(math.radians(lat1)))


def test_contours_area_and_centroid_of_squares(tmp_path):
    table = finish(contours_2018.read(write_contours(tmp_path / "contours")), contours_2018.SOURCE)
    assert table["level"].value_counts().to_dict() == {"COM": 13, "DEP": 1, "REG": 1}
    commune = table.iloc[0]
    assert commune["area_km2"] == pytest.approx(spherical_rectangle_km2(0.05, 44.0, 44.05), rel=1e-3)
    assert commune["lon"] == pytest.approx(1.025, abs=1e-3) and commune["lat"] == pytest.approx(44.025, abs=1e-3)
    dep = table[table["level"] == "DEP"].iloc[0]
    assert dep["area_km2"] == pytest.approx(spherical_rectangle_km2(0.5, 44.0, 44.5), rel=1e-3)
    # the centroid of an equal-area projection lies a little south of the middle latitude (wider there)
    assert 44.24 < dep["lat"] < 44.25
    assert shapely.from_wkt(commune["geometry"]).equals(shapely.box(1.0, 44.0, 1.05, 44.05))


def test_contours_non_polygon_geometry(tmp_path):
    folder = write_contours(tmp_path / "contours", geometry={"type": "Point", "coordinates": [1, 44]})
    with pytest.raises(SourceError, match=r"communes-09-ariege.geojson.*Point"):
        contours_2018.read(folder)


def test_contours_missing_code(tmp_path):
    folder = write_contours(tmp_path / "contours")
    path = folder / "communes-30-gard.geojson"
    path.write_text(path.read_text(encoding="utf-8").replace('"code"', '"insee"'), encoding="utf-8")
    with pytest.raises(SourceError, match=r"communes-30-gard.geojson.*'code'"):
        contours_2018.read(folder)


def test_contours_missing_file(tmp_path):
    folder = write_contours(tmp_path / "contours")
    (folder / "communes-48-lozere.geojson").unlink()
    with pytest.raises(SourceError, match="communes-48-lozere.geojson"):
        contours_2018.read(folder)


# --- integration on the staged official files (values from the MANIFEST.md files) -----------------------

def test_real_communes_2023(built_data, raw_dir):
    table = datasets.load("communes_2023", data_dir=built_data)
    raw = openpyxl.load_workbook(raw_dir / EPCI_FOLDER / communes_2023.SOURCE.files[0], read_only=True)
    codes = [row[0] for row in raw["Composition_communale"].iter_rows(min_row=7, max_col=1, values_only=True)
             if row[0]]
    assert sorted(table["com"]) == sorted(codes)  # all communes, none lost
    ales = table.set_index("com").loc["30007"]
    assert (ales["epci"], ales["epci_name"]) == ("200066918", "CA Alès Agglomération")
    agglo = table[table["epci"] == "200066918"]
    assert len(agglo) == 72
    assert agglo["ze2020"].value_counts().to_dict() == {"7603": 66, "7618": 6}
    ze = table[table["ze2020"] == "7603"]
    assert len(ze) == 173 and ze["dep"].value_counts().to_dict() == {"30": 150, "48": 17, "34": 6}
    for commune in ("30007", "30132", "30037", "30305"):  # Alès, La Grand-Combe, Bessèges, Salindres
        assert table.set_index("com").loc[commune, "ze2020"] == "7603"
    assert "30094" in set(table["com"])  # Corbès still a commune in COG 2023
    # the four « Sans objet » island communes (datasets.load reads a missing string as "")
    assert table["epci"].fillna("").eq("").sum() == 4


def test_real_cog_2026(built_data):
    table = datasets.load("cog_2026", data_dir=built_data)
    com = table[table["level"] == "COM"].set_index("code")
    assert com.loc["30007", "population"] == 46125  # RP2023, in force 2026 (not 45 025 = RP2022)
    assert (com["epci"] == "200066918").sum() == 71
    assert "30094" not in com.index and com.loc["30329", "former_codes"] == "30094"
    assert set(com["reg"]) == {"76"} and com["population"].notna().all()
    assert (table["level"] == "EPCI").sum() == 164


def test_real_territoires_industrie(built_data):
    table = datasets.load("territoires_industrie", data_dir=built_data)
    assert table.groupby("wave")["ti_id"].nunique().to_dict() == {"2018-2022": 149, "2023-2027": 183}
    assert table.groupby("wave").size().to_dict() == {"2018-2022": 588, "2023-2027": 641}
    wave1 = table[(table["wave"] == "2018-2022") & (table["ti_id"] == "ti-7602")]
    assert wave1["siren"].tolist() == ["200066918"] and wave1["ti_name"].item() == "Bassin d'Alès"
    wave2 = table[(table["wave"] == "2023-2027") & (table["ti_id"] == "ti-7601")]
    assert set(wave2["siren"]) == {"200066918", "200035129"}
    assert set(table[(table["wave"] == "2018-2022") & (table["ti_id"] == "ti-7601")]["ti_name"]) == {
        "Aurillac - Figeac - Rodez"}
    # MANIFEST: 41 of 588 (wave 1) and 15 of 641 (wave 2) SIREN are not EPCI of 01/01/2023
    epci_2023 = set(datasets.load("communes_2023", data_dir=built_data)["epci"].dropna())
    unmatched = table[~table["siren"].isin(epci_2023)].groupby("wave").size().to_dict()
    assert unmatched == {"2018-2022": 41, "2023-2027": 15}


def test_real_contours_2018(built_data, raw_dir):
    table = datasets.load("contours_2018", data_dir=built_data)
    folder = raw_dir / contours_2018.SOURCE.folder
    features = sum(len(json.loads(p.read_text(encoding="utf-8"))["features"])
                   for p in folder.glob("communes-*.geojson"))
    assert (table["level"] == "COM").sum() == features
    assert (table["level"] == "DEP").sum() == 96 and (table["level"] == "REG").sum() == 13
    com = table[table["level"] == "COM"].set_index("code")
    assert com.loc["30007", "name"] == "Alès"
    assert com.loc["30007", "area_km2"] == pytest.approx(23.16, rel=0.02)  # Insee official area of Alès
    geometry = shapely.from_wkt(com.loc["30007", "geometry"])
    assert geometry.contains(shapely.Point(com.loc["30007", "lon"], com.loc["30007", "lat"]))
    assert shapely.is_valid(shapely.from_wkt(table["geometry"].to_numpy())).all()
    assert (built_data / "tables" / "contours_2018.csv").stat().st_size < 3_000_000
