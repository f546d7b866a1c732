"""population_dep_age: INSEE population estimates by département, sex and five-year age group."""

from __future__ import annotations

import math

import openpyxl
import pytest

from alesbook import datasets
from alesbook.errors import SourceError
from alesbook.sources import population_dep_age as source

FILE = "estim-pop-dep-sexe-aq-1975-2021.xlsx"
OCCITANIE = ["09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"]
AGES = [f"{a} à {a + 4} ans" for a in range(0, 95, 5)] + ["95 ans et plus", "Total"]
DOM_AGES = AGES[:18] + ["90 ans et plus", None, "Total"]


def _header(sheet, ages, ditto=False):
    sheet.append(["Départements", None, "Ensemble"] + [None] * 20 + ["Hommes"] + [None] * 20 + ["Femmes"])
    labels = list(ages)
    ensemble = ['"' if ditto and i == 1 else label for i, label in enumerate(labels)]
    sheet.append([None, None] + ensemble + labels + labels)


def _row(code, name, base):
    """Ensemble = hommes + femmes; age group i of hommes = base + i, of femmes = 2 * (base + i)."""
    men = [base + i for i in range(20)]
    women = [2 * m for m in men]
    both = [m + w for m, w in zip(men, women)]
    return [code, name] + both + [sum(both)] + men + [sum(men)] + women + [sum(women)]


def _write(path, years=(2021, 1990), cells=None, drop=None):
    book = openpyxl.Workbook()
    book.active.title = "À savoir"
    book.active.append(["Quelques remarques"])
    for year in years:
        sheet = book.create_sheet(str(year))
        sheet.append(["Estimation de population au 1er janvier, par département, sexe et âge quinquennal"])
        sheet.append([f"Année {year}"])
        sheet.append([])
        _header(sheet, AGES, ditto=year == 2021)
        for number, code in enumerate(OCCITANIE):
            if code != drop:
                sheet.append(_row(code, f"Dép {code}", 100 * (number + 1)))
        sheet.append(_row("France métropolitaine ", None, 100000))
        if year >= 1990:
            sheet.append([])
            _header(sheet, DOM_AGES)
            dom = _row(971, "Guadeloupe", 50)
            sheet.append(dom[:20] + [dom[20] + dom[21], None] + dom[22:41] + [dom[41] + dom[42], None]
                         + dom[43:62] + [dom[62] + dom[63], None] + dom[64:])
            sheet.append(["France métropolitaine et DOM", None] + [1000] * 63)
        sheet.append([])
        sheet.append(["Source : Insee - Estimations de population"])
    for (year, row, column), value in (cells or {}).items():
        book[str(year)].cell(row=row, column=column, value=value)
    book.save(path)
    return path


def _value(frame, code, period, sex, age):
    rows = frame[(frame["code"] == code) & (frame["period"] == period) & (frame["sex"] == sex) & (frame["age"] == age)]
    assert len(rows) == 1, rows
    return rows["value"].iloc[0]


def test_reads_blocks_by_position(tmp_path):
    _write(tmp_path / FILE)
    frame = source.read(tmp_path)
    gard = 100 * (OCCITANIE.index("30") + 1)
    assert _value(frame, "30", 2021, "hommes", "00-04") == gard
    assert _value(frame, "30", 2021, "femmes", "95+") == 2 * (gard + 19)
    assert _value(frame, "30", 2021, "ensemble", "05-09") == 3 * (gard + 1)  # ditto mark in the header
    assert _value(frame, "30", 1990, "ensemble", "total") == sum(3 * (gard + i) for i in range(20))
    regional = sum(100 * (n + 1) for n in range(13))
    assert _value(frame, "76", 2021, "hommes", "00-04") == regional
    assert _value(frame, "METRO", 1990, "hommes", "10-14") == 100002
    assert frame.loc[frame["code"] == "30", "name"].unique().tolist() == ["Gard"]
    # France métropolitaine et DOM: the second header block of 1990 stops at 90+
    fr = frame[(frame["code"] == "FR") & (frame["period"] == 1990)]
    assert "90+" in set(fr["age"]) and "95+" not in set(fr["age"]) and len(fr) == 3 * 20
    assert set(frame["level"]) == {"DEP", "REG", "FR"}
    assert frame["value"].notna().all()


def test_secret_marker_becomes_missing_and_is_counted(tmp_path):
    gard_row = 6 + OCCITANIE.index("30")
    _write(tmp_path / FILE, years=(2021,), cells={(2021, gard_row, 3): "s"})
    frame = source.read(tmp_path)
    assert math.isnan(_value(frame, "30", 2021, "ensemble", "00-04"))
    assert math.isnan(_value(frame, "76", 2021, "ensemble", "00-04"))  # no partial regional sum
    assert frame["value"].isna().sum() == 2


def test_bad_number_names_sheet_column_and_row(tmp_path):
    gard_row = 6 + OCCITANIE.index("30")
    _write(tmp_path / FILE, years=(2021,), cells={(2021, gard_row, 5): "12 3x"})
    with pytest.raises(SourceError, match=r"sheet '2021', column 'E', row " + str(gard_row)):
        source.read(tmp_path)


def test_missing_departement_row(tmp_path):
    _write(tmp_path / FILE, years=(2021,), drop="48")
    with pytest.raises(SourceError, match=r"sheet '2021'.*\['48'\]"):
        source.read(tmp_path)


def test_wrong_sex_header_and_unknown_age_label(tmp_path):
    _write(tmp_path / FILE, years=(2021,), cells={(2021, 4, 24): "Garçons"})
    with pytest.raises(SourceError, match=r"column 'X', row 4.*Hommes"):
        source.read(tmp_path)
    _write(tmp_path / FILE, years=(2021,), cells={(2021, 5, 4): "10 à 14"})
    with pytest.raises(SourceError, match="unknown age label '10 à 14'"):
        source.read(tmp_path)


def test_no_year_sheet_and_corrupt_file(tmp_path):
    _write(tmp_path / FILE, years=())
    with pytest.raises(SourceError, match="no sheet named after a year"):
        source.read(tmp_path)
    (tmp_path / FILE).write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(SourceError, match=FILE):
        source.read(tmp_path)


# Integration: the staged INSEE file, read here cell by cell with openpyxl for the expected values.

@pytest.fixture(scope="module")
def table(built_data):
    return datasets.load("population_dep_age", data_dir=built_data)


@pytest.fixture(scope="module")
def workbook(raw_dir):
    return openpyxl.load_workbook(raw_dir / source.SOURCE.folder / FILE, read_only=True, data_only=True)


def _raw_row(workbook, year, label):
    for row in workbook[str(year)].iter_rows(values_only=True):
        if row[0] is not None and str(row[0]).strip() == label:
            return row
    raise AssertionError(f"{label} not in sheet {year}")


@pytest.mark.parametrize("year", [1975, 1990, 2021])
def test_gard_and_metro_match_the_raw_cells(table, workbook, year):
    gard = _raw_row(workbook, year, "30")
    assert gard[1] == "Gard"
    assert _value(table, "30", year, "ensemble", "00-04") == gard[2]
    assert _value(table, "30", year, "ensemble", "total") == gard[22]
    assert _value(table, "30", year, "hommes", "65-69") == gard[23 + 13]
    assert _value(table, "30", year, "femmes", "95+") == gard[44 + 19]
    metro = _raw_row(workbook, year, "France métropolitaine")
    assert _value(table, "METRO", year, "ensemble", "total") == metro[22]


def test_occitanie_is_the_sum_of_its_departements(table, workbook):
    expected = sum(_raw_row(workbook, 2021, code)[22] for code in OCCITANIE)
    assert _value(table, "76", 2021, "ensemble", "total") == expected


def test_coverage(table):
    assert sorted(table["period"].unique()) == list(range(1975, 2022))
    assert set(table.loc[table["level"] == "DEP", "code"]) == set(OCCITANIE)
    assert table.loc[table["code"] == "FR", "period"].min() == 1990
    assert table["value"].notna().all()
    parts = table[table["age"] != "total"].groupby(["code", "sex", "period"])["value"].sum()
    totals = table[table["age"] == "total"].set_index(["code", "sex", "period"])["value"]
    assert (parts == totals[parts.index]).all()


def test_gard_is_older_than_france(table):
    """The book's point: more people aged 65+ than 15-29 in the Gard in 2021, fewer in 1975."""
    def share(code, year, ages):
        rows = table[(table["code"] == code) & (table["period"] == year) & (table["sex"] == "ensemble")]
        values = rows.set_index("age")["value"]
        return values[list(ages)].sum() / values["total"]
    old = ["65-69", "70-74", "75-79", "80-84", "85-89", "90-94", "95+"]
    young = ["15-19", "20-24", "25-29"]
    assert share("30", 2021, old) > share("30", 2021, young)
    assert share("30", 1975, old) < share("30", 1975, young)
    assert share("30", 2021, old) > share("METRO", 2021, old)
