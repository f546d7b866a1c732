"""recensement_communes: RP2012 / RP2018 extracts of questionr, with the « aucun diplôme » change handled."""

from __future__ import annotations

import pandas as pd
import pyreadr
import pytest

from alesbook import datasets
from alesbook.errors import SourceError
from alesbook.sources import recensement_communes as source

SAME = [
    "pop_femmes", "pop_0_14", "pop_15_29", "pop_18_24", "pop_75p", "pop_act_15p", "pop_chom", "pop_agric",
    "pop_indep", "pop_cadres", "pop_interm", "pop_empl", "pop_ouvr", "pop_scol_18_24", "pop_dipl_bepc",
    "pop_dipl_capbep", "pop_dipl_bac", "log_rp", "log_proprio", "log_loc", "log_hlm", "log_sec",
    "log_maison", "log_appart",
]
DIPLOMAS = {
    2012: {"pop_dipl_aucun": 600, "pop_dipl_bepc": 100, "pop_dipl_capbep": 700, "pop_dipl_bac": 500,
           "pop_dipl_bac2": 300, "pop_dipl_sup": 250},
    2018: {"pop_dipl_aucun": 900.5, "pop_dipl_bepc": 100, "pop_dipl_capbep": 700, "pop_dipl_bac": 500,
           "pop_dipl_sup2": 250, "pop_dipl_sup34": 200, "pop_dipl_sup": 150},
}
NON_SCOL = {2012: 2800, 2018: 2800.5}  # 2012: 350 people hold the CEP, missing from the extract


def _frame(year, codes=("30007", "30132", "75056")):
    rows = []
    for number, code in enumerate(codes):
        row = {"code_insee": code, "commune": f"Commune {code}", "code_region": "91",
               "region": "Languedoc-Roussillon", "code_departement": code[:2], "departement": "Gard",
               "pop_tot": 4000.0 + number, "pop_non_scol_15p": NON_SCOL[year]}
        row.update({column: 10.0 + i for i, column in enumerate(SAME)})
        row.update(DIPLOMAS[year])
        row["dipl_aucun"] = 21.4  # a percentage column, not kept
        rows.append(row)
    return pd.DataFrame(rows)


def _write(folder, frames=None):
    frames = frames or {}
    for year in (2012, 2018):
        frame = frames.get(year, _frame(year))
        pyreadr.write_rdata(str(folder / f"rp{year}.RData"), frame, df_name=f"rp{year}")


def _value(frame, code, period, variable):
    rows = frame[(frame["code"] == code) & (frame["period"] == period) & (frame["variable"] == variable)]
    assert len(rows) <= 1, rows
    return rows["value"].iloc[0] if len(rows) else None


def test_diplomas_are_made_comparable(tmp_path):
    _write(tmp_path)
    frame = source.read(tmp_path)
    assert _value(frame, "30007", 2012, "pop_dipl_aucun_hors_cep") == 600
    assert _value(frame, "30007", 2012, "pop_dipl_cep") == 2800 - 2450
    assert _value(frame, "30007", 2012, "pop_dipl_aucun_cep") == 600 + 350
    assert _value(frame, "30007", 2018, "pop_dipl_aucun_cep") == 900.5
    assert _value(frame, "30007", 2018, "pop_dipl_aucun_hors_cep") is None
    assert _value(frame, "30007", 2018, "pop_dipl_cep") is None
    assert _value(frame, "30007", 2012, "pop_dipl_bac2") == 300
    assert _value(frame, "30007", 2018, "pop_dipl_bac2") == 250
    assert _value(frame, "30007", 2012, "pop_dipl_bac3p") == 250
    assert _value(frame, "30007", 2018, "pop_dipl_bac3p") == 350
    assert _value(frame, "30007", 2018, "pop_dipl_bac5p") == 150
    assert _value(frame, "30007", 2012, "pop_dipl_sup_total") == 550
    assert _value(frame, "30007", 2018, "pop_dipl_sup_total") == 600
    assert not frame["variable"].isin(["pop_dipl_aucun", "pop_dipl_sup", "dipl_aucun", "pop_tot"]).any()


def test_other_variables_rows_and_units(tmp_path):
    _write(tmp_path)
    frame = source.read(tmp_path)
    assert set(frame["code"]) == {"30007", "30132"}  # Paris is outside Occitanie
    assert _value(frame, "30132", 2018, "pop_mun") == 4001
    assert _value(frame, "30007", 2012, "pop_chom") == 10 + SAME.index("pop_chom")
    units = frame.groupby("variable")["unit"].first()
    assert units["pop_mun"] == "habitants" and units["log_hlm"] == "logements" and units["pop_chom"] == "personnes"
    assert frame.groupby("period")["variable"].nunique().to_dict() == {2012: 32, 2018: 32}


def test_2018_diplomas_must_add_up(tmp_path):
    broken = _frame(2018)
    broken.loc[1, "pop_non_scol_15p"] += 400  # as if a CEP group were left out
    _write(tmp_path, {2018: broken})
    with pytest.raises(SourceError, match=r"rp2018.RData, sheet 'rp2018', row 2: commune 30132.*CEP"):
        source.read(tmp_path)


def test_2012_diplomas_cannot_exceed_the_population(tmp_path):
    broken = _frame(2012)
    broken.loc[0, "pop_dipl_aucun"] += 1000
    _write(tmp_path, {2012: broken})
    with pytest.raises(SourceError, match="commune 30007: the diploma groups exceed"):
        source.read(tmp_path)


def test_missing_column_and_wrong_object(tmp_path):
    _write(tmp_path, {2012: _frame(2012).drop(columns="pop_dipl_bac2")})
    with pytest.raises(SourceError, match=r"rp2012.RData.*\['pop_dipl_bac2'\]"):
        source.read(tmp_path)
    pyreadr.write_rdata(str(tmp_path / "rp2012.RData"), _frame(2012), df_name="rp2018")
    with pytest.raises(SourceError, match=r"missing R object\(s\) \['rp2012'\]"):
        source.read(tmp_path)


def test_corrupt_file(tmp_path):
    _write(tmp_path)
    (tmp_path / "rp2018.RData").write_bytes(b"RDX3\n\x00garbage")
    with pytest.raises(SourceError, match="rp2018.RData: not a readable R data file"):
        source.read(tmp_path)


# Integration: the staged questionr files, read here independently with pyreadr for the expected values.

@pytest.fixture(scope="module")
def table(built_data):
    return datasets.load("recensement_communes", data_dir=built_data)


@pytest.fixture(scope="module")
def raw(raw_dir):
    folder = raw_dir / source.SOURCE.folder
    return {year: pyreadr.read_r(str(folder / f"rp{year}.RData"))[f"rp{year}"].set_index("code_insee")
            for year in (2012, 2018)}


# Communes named in the MANIFEST: Alès, La Grand-Combe, Bessèges, Saint-Martin-de-Valgalgues, Salindres,
# Saint-Christol-lez-Alès.
BASSIN = ["30007", "30132", "30037", "30284", "30305", "30243"]


def test_manifest_communes_in_both_years(table):
    for year in (2012, 2018):
        assert set(BASSIN) <= set(table.loc[table["period"] == year, "code"])


def test_counts_match_the_raw_extracts(table, raw):
    occitanie = {"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"}
    for year in (2012, 2018):
        expected = {code for code in raw[year].index if code[:2] in occitanie}
        assert set(table.loc[table["period"] == year, "code"]) == expected
    assert _value(table, "30007", 2012, "pop_dipl_aucun_hors_cep") == raw[2012].loc["30007", "pop_dipl_aucun"]
    assert _value(table, "30007", 2018, "pop_dipl_aucun_cep") == pytest.approx(raw[2018].loc["30007", "pop_dipl_aucun"])
    assert _value(table, "30132", 2018, "pop_chom") == pytest.approx(raw[2018].loc["30132", "pop_chom"])


def test_diploma_groups_add_up_in_both_years(table):
    groups = {
        2012: ["pop_dipl_aucun_cep", "pop_dipl_bepc", "pop_dipl_capbep", "pop_dipl_bac", "pop_dipl_sup_total"],
        2018: ["pop_dipl_aucun_cep", "pop_dipl_bepc", "pop_dipl_capbep", "pop_dipl_bac", "pop_dipl_bac2",
               "pop_dipl_bac34", "pop_dipl_bac5p"],
    }
    for year, variables in groups.items():
        for code in BASSIN:
            parts = sum(_value(table, code, year, v) for v in variables)
            assert parts == pytest.approx(_value(table, code, year, "pop_non_scol_15p"), abs=1e-6)


def test_population_is_the_legal_population_of_the_census_year(table, built_data):
    """pop_mun of RP2012 / RP2018 equals the COGugaison population municipale of the same census year."""
    communes = datasets.load("population_communes", data_dir=built_data)
    for year in (2012, 2018):
        for code in BASSIN:
            assert _value(table, code, year, "pop_mun") == _value(communes, code, year, "pop_mun")
