"""population_communes: COGugaison commune populations moved to the COG 2023 geography."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from alesbook import datasets
from alesbook.errors import SourceError
from alesbook.sources import population_communes as source

COG, PASSAGE = "COG.RData", "TABLES_PASSAGE.RData"


def _cog(rows):
    return pd.DataFrame(rows, columns=["CODGEO", "LIBGEO", "POP"])


def _passage(start, end, rows):
    return pd.DataFrame(rows, columns=[f"cod{start}", f"cod{end}", "annee", "typemodif", "ratio"])


def _fixture():
    """Four COG years: 34154 splits in 2008, 30999 merges into 30132 in 2023, COG2009 repeats COG2008."""
    cogs = {
        "COG1999_insee": _cog([("30007", "Alès", 39271.0), ("30132", "La Grand-Combe", 5724.0),
                               ("30999", "Village", 100.0), ("34154", "Ville", 1000.0),
                               ("13001", "Aix", 5000.0), ("97101", "Abymes", 60000.0)]),
        "COG2008_insee": _cog([("30007", "Alès", 39943.0), ("30132", "La Grand-Combe", 5332.0),
                               ("30999", "Village", 110.0), ("34154", "Ville", 800.0), ("34344", "Hameau", 300.0),
                               ("13001", "Aix", 5100.0), ("97101", "Abymes", 61000.0)]),
        "COG2023_insee": _cog([("30007", "Alès", 43892.0), ("30132", "La Grand-Combe", 4891.0),
                               ("34154", "Ville", 900.0), ("34344", "Hameau", 350.0),
                               ("13001", "Aix", 5200.0), ("97101", "Abymes", 62000.0)]),
    }
    cogs["COG2009_insee"] = cogs["COG2008_insee"].copy()  # placeholder copied forward: no census 2007
    cogs["COG1999"] = cogs["COG1999_insee"]  # non-INSEE variants are ignored
    passages = {
        "PASSAGE_1999_2008_insee": _passage(1999, 2008, [("34154", "34154", "2005", "d", 0.75),
                                                         ("34154", "34344", "2005", "d", 0.25)]),
        "PASSAGE_2008_2009_insee": _passage(2008, 2009, []),
        "PASSAGE_2009_2023_insee": _passage(2009, 2023, [("30999", "30132", "2020", "f", 1.0),
                                                         ("30132", "30132", "2020", "f", 1.0)]),
    }
    return cogs, passages


def _tidy(cogs, passages):
    return source.tidy(cogs, passages, cog_path=COG, passage_path=PASSAGE)


def _value(frame, code, period, variable=None):
    rows = frame[(frame["code"] == code) & (frame["period"] == period)]
    if variable:
        rows = rows[rows["variable"] == variable]
    assert len(rows) == 1, rows
    return rows["value"].iloc[0]


def test_moves_populations_to_the_2023_geography_by_census_year():
    frame = _tidy(*_fixture())
    assert sorted(frame["period"].unique()) == [1999, 2006, 2021]  # COG2008 -> RP2006, COG2023 -> RP2021
    assert set(frame.loc[frame["period"] == 1999, "variable"]) == {"pop_sdc"}
    assert set(frame.loc[frame["period"] > 1999, "variable"]) == {"pop_mun"}
    assert _value(frame, "30007", 1999) == 39271
    assert _value(frame, "30132", 2006) == 5332 + 110  # merged commune summed
    assert _value(frame, "34154", 1999) == 750 and _value(frame, "34344", 1999) == 250  # split by ratio
    assert _value(frame, "30", 2021) == 43892 + 4891
    assert _value(frame, "76", 1999) == 39271 + 5724 + 100 + 1000
    assert _value(frame, "METRO", 2006) == 39943 + 5332 + 110 + 800 + 300 + 5100  # no overseas
    assert set(frame.loc[frame["level"] == "COM", "code"]) == {"30007", "30132", "34154", "34344"}
    assert frame.loc[frame["code"] == "30132", "name"].unique().tolist() == ["La Grand-Combe"]


def test_missing_population_stays_missing_in_sums():
    cogs, passages = _fixture()
    cogs["COG1999_insee"].loc[cogs["COG1999_insee"]["CODGEO"] == "30999", "POP"] = float("nan")
    frame = _tidy(cogs, passages)
    assert math.isnan(_value(frame, "30132", 1999))  # 30999 is merged into 30132
    assert math.isnan(_value(frame, "30", 1999)) and math.isnan(_value(frame, "METRO", 1999))
    assert frame.loc[frame["period"] == 1999, "value"].isna().sum() == 4  # commune, DEP, REG, METRO
    assert _value(frame, "30007", 1999) == 39271


def test_ratios_that_do_not_sum_to_one_are_rejected():
    cogs, passages = _fixture()
    passages["PASSAGE_1999_2008_insee"].loc[1, "ratio"] = 0.5
    with pytest.raises(SourceError, match="PASSAGE_1999_2008_insee.*34154"):
        _tidy(cogs, passages)


def test_unknown_passage_code_is_rejected():
    cogs, passages = _fixture()
    passages["PASSAGE_2009_2023_insee"].loc[0, "cod2009"] = "30888"
    with pytest.raises(SourceError, match="30888"):
        _tidy(cogs, passages)


def test_missing_passage_table_and_missing_column_are_named():
    cogs, passages = _fixture()
    del passages["PASSAGE_2008_2009_insee"]
    with pytest.raises(SourceError, match="no passage table from COG2008"):
        _tidy(cogs, passages)
    cogs, passages = _fixture()
    cogs["COG2008_insee"] = cogs["COG2008_insee"].drop(columns="POP")
    with pytest.raises(SourceError, match=r"COG2008_insee.*'POP'"):
        _tidy(cogs, passages)


def test_target_geography_is_required():
    cogs, passages = _fixture()
    del cogs["COG2023_insee"]
    with pytest.raises(SourceError, match="no table COG2023_insee"):
        _tidy(cogs, passages)


def test_corrupt_or_missing_file_names_the_file(tmp_path):
    with pytest.raises(SourceError, match="COG.RData"):
        source.read(tmp_path)
    (tmp_path / COG).write_bytes(b"RDX2\nX\n\x00\x01 truncated")
    (tmp_path / PASSAGE).write_bytes(b"")
    with pytest.raises(SourceError, match="COG.RData.*not a readable R data file"):
        source.read(tmp_path)


# Integration: the staged COGugaison files. Expected values are those of the MANIFEST.md.

@pytest.fixture(scope="module")
def table(built_data):
    return datasets.load("population_communes", data_dir=built_data)


@pytest.mark.parametrize("code, period, variable, expected", [
    ("30132", 1968, "pop_sdc", 13336), ("30132", 1975, "pop_sdc", 10560), ("30132", 1982, "pop_sdc", 8216),
    ("30132", 1990, "pop_sdc", 7126), ("30132", 1999, "pop_sdc", 5724), ("30132", 2021, "pop_mun", 4891),
    ("30007", 1968, "pop_sdc", 43368), ("30007", 1999, "pop_sdc", 39271), ("30007", 2021, "pop_mun", 43892),
    ("30007", 2016, "pop_mun", 39970), ("30007", 2019, "pop_mun", 41837),
])
def test_manifest_values(table, code, period, variable, expected):
    assert _value(table, code, period, variable) == expected


def test_census_years_and_placeholders(table):
    # COG2022 repeats COG2021 (RP2019) and COG2024 repeats COG2023 (RP2021): no RP2020, nothing after 2021.
    assert sorted(table["period"].unique()) == [1968, 1975, 1982, 1990, 1999, *range(2006, 2020), 2021]


def test_communes_are_those_of_occitanie_in_2023(table, raw_dir):
    zonage = pd.read_excel(raw_dir / "insee_zonage_zones_emploi_2020_geo2023" / "ZE2020_au_01-01-2023.xlsx",
                           sheet_name="Composition_communale", header=5, dtype=str)
    occitanie = set(zonage.loc[zonage["REG"] == "76", "CODGEO"])
    per_period = table[table["level"] == "COM"].groupby("period")["code"].apply(set)
    assert all(codes == occitanie for codes in per_period)


def test_sums_by_zone_emploi_match_the_anct_series(table, raw_dir, built_data):
    """The communes of ZE 7603 add up to the ANCT/INSEE series of the zone: exactly from census 2008 on."""
    zonage = pd.read_excel(raw_dir / "insee_zonage_zones_emploi_2020_geo2023" / "ZE2020_au_01-01-2023.xlsx",
                           sheet_name="Composition_communale", header=5, dtype=str)
    communes = set(zonage.loc[zonage["ZE2020"] == "7603", "CODGEO"])
    assert len(communes) == 173
    mine = table[(table["level"] == "COM") & table["code"].isin(communes)].groupby("period")["value"].sum()
    anct = datasets.load("population_ze_1876", data_dir=built_data)
    anct = anct[(anct["code"] == "7603") & (anct["variable"] == "population")].set_index("period")["value"]
    years = [year for year in mine.index if year >= 2006 and year in anct.index]
    assert years and max(years) >= 2019
    assert ((mine[years] / anct[years] - 1).abs() < 1e-4).all()
    exact = [year for year in years if year >= 2008]
    assert (mine[exact] == anct[exact]).all()


def test_commune_names_are_repaired_from_double_encoding(built_data):
    table = datasets.load("population_communes", data_dir=built_data)
    names = dict(zip(table["code"], table["name"]))
    assert names["30007"] == "Alès"
    assert names["30284"] == "Saint-Martin-de-Valgalgues"
    assert names["30250"] == "Saint-Étienne-de-l'Olm"
    assert not table["name"].str.contains("Ã").any()
