"""Indicators: expected values computed by hand."""

import pandas as pd
import pytest

from alesbook import indicators


def test_shares_of_sum_and_of_total_label():
    values = pd.Series({"BE": 20.0, "GU": 30.0, "OQ": 50.0})
    assert indicators.shares(values).to_dict() == {"BE": 20.0, "GU": 30.0, "OQ": 50.0}
    with_total = pd.Series({"BE": 20.0, "GU": 30.0, "TT": 200.0})
    assert indicators.shares(with_total, total="TT").to_dict() == {"BE": 10.0, "GU": 15.0}


def test_shares_of_a_frame_row_by_row():
    frame = pd.DataFrame({"BE": [1.0, 3.0], "TT": [4.0, 4.0]}, index=[1998, 1999])
    result = indicators.shares(frame, total="TT")
    assert list(result.columns) == ["BE"]
    assert result["BE"].tolist() == [25.0, 75.0]


def test_location_quotient_series():
    # local: industry 30 of 100 = 30 %; reference: 1 500 of 10 000 = 15 % -> LQ 2
    # local services 70 %, reference 85 % -> 70/85
    local = pd.Series({"BE": 30.0, "GU": 70.0, "TT": 100.0})
    reference = pd.Series({"BE": 1500.0, "GU": 8500.0, "TT": 10000.0})
    lq = indicators.location_quotient(local, reference, total="TT")
    assert lq["BE"] == pytest.approx(2.0)
    assert lq["GU"] == pytest.approx(70 / 85)
    # without total label the denominators are the sums (100 and 10 000): same result
    assert indicators.location_quotient(local.drop("TT"), reference.drop("TT"))["BE"] == pytest.approx(2.0)


def test_location_quotient_frame_by_period():
    local = pd.DataFrame({"BE": [10.0, 5.0], "TT": [40.0, 50.0]}, index=[2000, 2001])
    reference = pd.DataFrame({"BE": [100.0, 100.0], "TT": [1000.0, 1000.0]}, index=[2000, 2001])
    lq = indicators.location_quotient(local, reference, total="TT")
    # 2000: 25 % / 10 % = 2.5 ; 2001: 10 % / 10 % = 1
    assert lq["BE"].tolist() == pytest.approx([2.5, 1.0])


def test_quarter_to_year_fraction():
    assert indicators.quarter_to_year_fraction("2003-T1") == 2003.0
    assert indicators.quarter_to_year_fraction("1982-T2") == 1982.25
    assert indicators.quarter_to_year_fraction("2023-T4") == 2023.75
    for bad in ("2003", "2003-T5", "2003-Q1", "T1-2003"):
        with pytest.raises(ValueError):
            indicators.quarter_to_year_fraction(bad)


def test_quarterly_series_and_annual_mean():
    frame = pd.DataFrame({"period": ["2004-T1", "2003-T2", "2003-T1", "2003-T3", "2003-T4"],
                          "variable": "taux_chomage", "value": [9.0, 8.0, 6.0, 10.0, 12.0]})
    values = indicators.quarterly_series(frame, "taux_chomage")
    assert values.index.tolist() == [2003.0, 2003.25, 2003.5, 2003.75, 2004.0]
    # 2003: (6 + 8 + 10 + 12) / 4 = 9 ; 2004 has one quarter only: left out
    assert indicators.annual_mean(values).to_dict() == {2003: 9.0}


def test_find_by_name_ignores_accents_case_and_hyphens():
    names = pd.Series({"9104": "Alès", "9105": "Bagnols-sur-Cèze", "9109": "Clermont-l'Hérault-Lodève"})
    assert indicators.find_by_name(names, "ALES") == "9104"
    assert indicators.find_by_name(names, "Bagnols sur Ceze") == "9105"
    with pytest.raises(KeyError):
        indicators.find_by_name(names, "Nîmes")
    with pytest.raises(KeyError):
        indicators.find_by_name(pd.Series({"1": "Prades", "2": "Prades"}), "Prades")


def test_existing_indicators():
    values = pd.Series({1990: 50.0, 2000: 100.0, 2010: 80.0})
    assert indicators.index_base100(values, 2000).tolist() == [50.0, 100.0, 80.0]
    assert indicators.change_percent(values, 2000, 2010) == pytest.approx(-20.0)
    assert indicators.peak(values) == (2000, 100.0)
    assert indicators.trough(values) == (1990, 50.0)


def test_quarter_label_fr():
    assert indicators.quarter_label_fr(2003.25) == "deuxième trimestre 2003"
    assert indicators.quarter_label_fr(1982.0) == "premier trimestre 1982"
    assert indicators.quarter_label_fr("2023-T3") == "troisième trimestre 2023"
    assert indicators.quarter_label_fr(indicators.quarter_to_year_fraction("2023-T4")) == "quatrième trimestre 2023"
    with pytest.raises(ValueError):
        indicators.quarter_label_fr(2003.1)
