"""Peers: Territoires d'industrie resolved into communes, dominant zones, aggregates and ranks."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from alesbook import peers

COMPOSITION = pd.DataFrame({
    "com": ["01001", "01002", "01003", "02001", "02002"],
    "com_name": ["Amont", "Aval", "Le Pont-d'Ain", "Bourg", "Côte"],
    "dep": ["01", "01", "01", "02", "02"],
    "epci": ["200000001", "200000001", "200000002", "200000003", "200000003"],
})


def _members(*rows):
    return pd.DataFrame([{"wave": "w", "ti_id": ti, "ti_name": ti, "siren": siren, "member_name": name}
                         for ti, siren, name in rows])


def test_member_communes_resolves_epci_commune_sirens_and_reports_others():
    members = _members(("A", "200000001", "CC X"), ("B", "210100305", "le pont d ain"),
                       ("B", "200057990", "EPT Y"), ("C", "210200123", "Ailleurs"))
    found = peers.member_communes(members, COMPOSITION)
    assert found[found["ti_id"] == "A"]["com"].tolist() == ["01001", "01002"]
    b = found[found["ti_id"] == "B"].set_index("siren")
    assert b.loc["210100305", "com"] == "01003" and b.loc["210100305", "kind"] == "COM"  # name, accents ignored
    assert pd.isna(b.loc["200057990", "com"]) and pd.isna(b.loc["200057990", "kind"])  # EPT: no composition
    c = found[found["ti_id"] == "C"].iloc[0]  # a commune name absent from its département
    assert pd.isna(c["com"]) and pd.isna(c["kind"])


def test_commune_weights_prefer_commune_population_else_share_epci_population():
    weights = peers.commune_weights(COMPOSITION, pd.Series({"200000001": 900.0, "200000003": 50.0}),
                                    pd.Series({"01001": 100.0}))
    assert weights["01001"] == 100.0  # its own population
    assert weights["01002"] == 450.0  # 900 shared by the 2 communes of its EPCI
    assert weights["02001"] == 25.0 and weights["02002"] == 25.0
    assert math.isnan(weights["01003"])  # EPCI without population


def test_dominant_zone_by_weight_with_share():
    communes = pd.DataFrame({"wave": "w", "ti_id": ["A", "A", "A", "B"], "ti_name": ["A", "A", "A", "B"],
                             "com": ["c1", "c2", "c3", "c4"]})
    zone = pd.Series({"c1": "Z1", "c2": "Z2", "c3": "Z2", "c4": "Z9"})
    weights = pd.Series({"c1": 50.0, "c2": 30.0, "c3": 30.0, "c4": 5.0})
    result = peers.dominant_zone(communes, zone, weights).set_index("ti_id")
    assert result.loc["A", "zone"] == "Z2" and result.loc["A", "share"] == pytest.approx(60 / 110)  # 30+30 > 50
    assert result.loc["B", "zone"] == "Z9" and result.loc["B", "share"] == 1.0
    tie = peers.dominant_zone(communes, zone, weights.replace({50.0: 60.0})).set_index("ti_id")
    assert tie.loc["A", "zone"] == "Z1" and tie.loc["A", "share"] == pytest.approx(0.5)  # smallest code wins


def test_weighted_mean_is_the_pooled_rate_and_counts_members():
    members = pd.DataFrame({"wave": "w", "ti_id": ["A", "A", "B", "B"], "ti_name": ["A", "A", "B", "B"],
                            "siren": ["e1", "e2", "e1", "e3"]})
    rates = pd.Series({"e1": 10.0, "e2": 40.0})
    persons = pd.Series({"e1": 300.0, "e2": 100.0, "e3": 50.0})
    result = peers.weighted_mean(members, rates, persons).set_index("ti_id")
    # A: (10*300 + 40*100) / 400 = 17.5 poor persons in % of 400
    assert result.loc["A", "value"] == pytest.approx(17.5)
    assert result.loc["A", "members"] == 2 and result.loc["A", "members_total"] == 2
    assert result.loc["B", "members"] == 1 and result.loc["B", "members_total"] == 2  # e3 has no rate


def test_annual_change_on_quarters_and_years():
    quarters = pd.DataFrame({"code": "Z", "variable": "taux", "value": [10, 12, 10, 12, 8, 8, 9, 7.0],
                             "period": [f"{y}-T{q}" for y in (2015, 2016) for q in (1, 2, 3, 4)]})
    result = peers.annual_change(quarters, 2015, 2016).iloc[0]
    assert (result["start"], result["end"], result["change"]) == (11.0, 8.0, -3.0)
    years = pd.DataFrame({"code": ["Z", "Z"], "variable": "population", "period": [2010, 2020], "value": [200.0, 150.0]})
    assert peers.annual_change(years, 2010, 2020, relative=True)["change"].iloc[0] == pytest.approx(-25.0)


def test_rank_among_peers():
    peer_values = pd.Series([5.0, 7.0, 7.0, 12.0, float("nan")])
    assert peers.rank_among(peer_values, 8.0) == {"rank": 2, "n": 5, "percentile": 75.0}
    assert peers.rank_among(peer_values, 7.0, descending=False)["rank"] == 2  # only 5 is lower
    assert peers.rank_among(peer_values, 1.0)["percentile"] == 0.0


def test_metropolitan_total_leaves_overseas_zones_out_and_missing_stays_missing():
    frame = pd.DataFrame({"code": ["0051", "7603", "0401", "0051", "7603", "0401"],
                          "period": [2010, 2010, 2010, 2020, 2020, 2020],
                          "value": [10.0, 20.0, 99.0, 11.0, float("nan"), 99.0]})
    total = peers.metropolitan_total(frame)
    assert total[2010] == 30.0 and math.isnan(total[2020])


def test_same_communes_finds_identical_groups():
    groups = pd.DataFrame({"wave": "w", "ti_id": ["A", "A", "B"], "ti_name": ["A", "A", "B"],
                           "com": ["c1", "c2", "c1"]})
    assert peers.same_communes(groups, ["c2", "c1"]) == [("w", "A", "A")]


def test_coal_basins_are_epci_of_occitanie():
    from alesbook import territories

    for basin in peers.COAL_BASINS_OCCITANIE:
        assert territories.region(basin).code == "76"
