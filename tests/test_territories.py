"""Territories: parsing, validation, names, compositions, dominant zones, aggregation, distances."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from alesbook import datasets
from alesbook import territories as T
from alesbook.errors import TerritoryError
from alesbook.territories import Territory

ALES_AGGLO = "EPCI:200066918"


# --- parsing (no data needed) --------------------------------------------------------------------

def test_parse_and_str():
    assert Territory.parse(" epci:200066918 ") == Territory("EPCI", "200066918")
    assert str(Territory.parse("COM:2A004")) == "COM:2A004"
    assert Territory.parse(Territory("DEP", "30")) == Territory("DEP", "30")


@pytest.mark.parametrize("text", ["200066918", "XYZ:1", "EPCI:2000669", "COM:3007", "FR:EU"])
def test_parse_malformed(text):
    with pytest.raises(TerritoryError):
        Territory.parse(text)


# --- distances -------------------------------------------------------------------------------------

def test_distance_km_known_arcs():
    assert T.distance_km(3.0, 44.0, 3.0, 45.0) == pytest.approx(math.pi * 6371.0088 / 180)  # 1° of meridian
    assert T.distance_km(0, 0, 90, 0) == pytest.approx(math.pi * 6371.0088 / 2)  # quarter of the equator
    assert T.distance_km(4.08, 44.12, 4.08, 44.12) == 0
    assert T.distance_km(2.3522, 48.8566, 5.3698, 43.2965) == pytest.approx(660, abs=5)  # Paris-Marseille


def test_distance_km_broadcasts_and_is_symmetric():
    lon, lat = np.array([4.08, 4.36, 3.88]), np.array([44.12, 43.84, 43.61])
    distances = T.distance_km(lon[:, None], lat[:, None], lon[None, :], lat[None, :])
    assert distances.shape == (3, 3)
    assert np.allclose(distances, distances.T) and np.allclose(np.diag(distances), 0)


# --- on the built tables -----------------------------------------------------------------------------

def test_validate(built_data):
    assert T.validate(ALES_AGGLO, data_dir=built_data) == Territory("EPCI", "200066918")
    assert T.validate("FR:METRO", data_dir=built_data) == Territory("FR", "METRO")
    with pytest.raises(TerritoryError, match=r"unknown EPCI code '200066919'"):
        T.validate("EPCI:200066919", data_dir=built_data)
    with pytest.raises(TerritoryError, match=r"unknown ZE2020 code '9999'"):
        T.validate("ZE2020:9999", data_dir=built_data)
    with pytest.raises(TerritoryError, match="unknown COM code '30999'"):
        T.validate("COM:30999", data_dir=built_data)
    with pytest.raises(TerritoryError, match="ZE2010"):
        T.validate("ZE2010:9104", data_dir=built_data)


def test_names(built_data):
    assert T.name_of("COM:30007", data_dir=built_data) == "Alès"
    assert T.name_of(ALES_AGGLO, data_dir=built_data) == "CA Alès Agglomération"
    assert T.name_of("ZE2020:7603", data_dir=built_data).replace(" ", "") == "Alès-LeVigan"
    assert T.name_of("DEP:30", data_dir=built_data) == "Gard"
    assert T.name_of("REG:76", data_dir=built_data) == "Occitanie"
    assert T.name_of("DEP:76", data_dir=built_data) == "Seine-Maritime"
    assert T.name_of("FR:METRO", data_dir=built_data) == "France métropolitaine"


def test_communes(built_data):
    agglo = T.communes(ALES_AGGLO, data_dir=built_data)
    assert len(agglo) == 72 and agglo["com"].is_monotonic_increasing and "30007" in set(agglo["com"])
    ze = T.communes("ZE2020:7603", data_dir=built_data)
    assert len(ze) == 173 and ze["dep"].value_counts().to_dict() == {"30": 150, "48": 17, "34": 6}
    assert set(T.communes("DEP:30", data_dir=built_data)["dep"]) == {"30"}
    assert T.communes("COM:30007", data_dir=built_data)["com"].tolist() == ["30007"]
    metro = T.communes("FR:METRO", data_dir=built_data)
    france = T.communes("FR:FR", data_dir=built_data)
    assert not metro["dep"].str.startswith("97").any() and france["dep"].str.startswith("97").any()


def test_dominant_zones(built_data):
    assert T.zone_emploi(ALES_AGGLO, data_dir=built_data) == Territory("ZE2020", "7603")
    assert T.zone_emploi("COM:30007", data_dir=built_data) == Territory("ZE2020", "7603")
    assert T.departement("ZE2020:7603", data_dir=built_data) == Territory("DEP", "30")
    assert T.region(ALES_AGGLO, data_dir=built_data) == Territory("REG", "76")
    assert T.region("DEP:30", data_dir=built_data) == Territory("REG", "76")


def test_zone_emploi_follows_the_population_weights(built_data):
    agglo = T.communes(ALES_AGGLO, data_dir=built_data)
    in_nimes = agglo.loc[agglo["ze2020"] == "7618", "com"]
    population = pd.Series(1000.0, index=in_nimes.to_numpy())  # people only in the 6 communes of ZE 7618
    assert T.zone_emploi(ALES_AGGLO, population=population, data_dir=built_data) == Territory("ZE2020", "7618")


def test_zone_emploi_outside_occitanie_needs_population(built_data):
    with pytest.raises(TerritoryError, match="population="):
        T.zone_emploi("DEP:13", data_dir=built_data)  # Bouches-du-Rhône: several ZE, no default weights


def _commune_frame(codes, periods=(2012, 2018)):
    return pd.DataFrame([
        {"level": "COM", "code": code, "name": code, "period": period, "variable": "x", "value": 1.0, "unit": "n"}
        for code in codes for period in periods
    ])


def test_aggregate_complete_territory(built_data):
    codes = T.communes(ALES_AGGLO, data_dir=built_data)["com"]
    frame = pd.concat([_commune_frame(codes), _commune_frame(["30189"])])  # Nîmes is outside: ignored
    result = T.aggregate(frame, ALES_AGGLO, data_dir=built_data)
    assert list(result.columns) == ["level", "code", "name", "period", "variable", "unit", "value", "communes",
                                    "communes_total", "population_share"]
    assert result["value"].tolist() == [72.0, 72.0] and result["period"].tolist() == [2012, 2018]
    assert (result["communes_total"] == 72).all() and result["population_share"].tolist() == [1.0, 1.0]
    assert set(result["name"]) == {"CA Alès Agglomération"}


def test_aggregate_reports_population_covered(built_data):
    codes = T.communes(ALES_AGGLO, data_dir=built_data)["com"]
    population = pd.Series(10.0, index=codes.to_numpy())
    population["30007"] = 280.0  # 71 communes of 10 people and Alès with 280: 990 people
    frame = _commune_frame(codes[codes != "30132"])  # La Grand-Combe missing in both periods
    frame.loc[(frame["code"] == "30007") & (frame["period"] == 2018), "value"] = np.nan  # secret for Alès in 2018
    result = T.aggregate(frame, ALES_AGGLO, population=population, data_dir=built_data).set_index("period")
    assert result.loc[2012, "value"] == 71 and result.loc[2012, "communes"] == 71
    assert result.loc[2012, "population_share"] == pytest.approx(980 / 990)  # all but La Grand-Combe
    assert result.loc[2018, "value"] == 70 and result.loc[2018, "communes"] == 70
    assert result.loc[2018, "population_share"] == pytest.approx(700 / 990)  # neither La Grand-Combe nor Alès


def test_aggregate_default_weights_are_census_populations(built_data):
    census = datasets.load("population_communes", data_dir=built_data)
    census = census[census["level"] == "COM"]
    members = set(T.communes(ALES_AGGLO, data_dir=built_data)["com"])
    frame = _commune_frame(["30007"], periods=(2018,))
    for year, ales in ((2021, 43892), (2016, 39970)):  # Alès, RP2021 and RP2016 (population_communes notes)
        total = census.loc[census["code"].isin(members) & (census["period"] == year), "value"].sum()
        population = None if year == 2021 else year  # 2021: the latest census, the default
        result = T.aggregate(frame, ALES_AGGLO, population=population, data_dir=built_data)
        assert result["population_share"].item() == pytest.approx(ales / total)


def test_aggregate_rejects_other_levels(built_data):
    frame = _commune_frame(["30007"]).assign(level="EPCI")
    with pytest.raises(TerritoryError, match="level COM"):
        T.aggregate(frame, ALES_AGGLO, data_dir=built_data)


def test_zone_emploi_2010_is_named_after_the_chief_town():
    # ESTEL names the ZE2010 of Alès « Alès » with code 9104 (9103 is Narbonne in that zoning).
    assert T.zone_emploi_2010(ALES_AGGLO) == ("9104", "Alès", "Alès", Territory.parse(ALES_AGGLO))


def test_zone_emploi_2010_falls_back_on_the_zone_emploi_2020():
    # No commune of Decazeville Communauté names a 2010 zone; its zone d'emploi 2020 (7611
    # Figeac-Villefranche) has Villefranche-de-Rouergue as most populous commune, which names ZE2010 7305.
    match = T.zone_emploi_2010("EPCI:200067064")
    assert (match.code, match.commune, match.within) == ("7305", "Villefranche-de-Rouergue",
                                                         Territory("ZE2020", "7611"))
