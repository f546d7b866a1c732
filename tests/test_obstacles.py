"""Measures of the obstacles chapter, on small hand-computed cases."""

import math

import pandas as pd
import pytest

from alesbook import obstacles


def test_density_and_density_series():
    assert obstacles.density(1000, 4) == 250
    frame = pd.DataFrame({"period": [1990, 2000, 2020], "variable": ["population", "population", "superficie"],
                          "value": [500.0, 600.0, 2.0]})
    assert obstacles.density_series(frame).to_dict() == {1990: 250.0, 2000: 300.0}


def test_large_cities_keeps_those_over_the_threshold_largest_first():
    population = pd.Series({"a": 50_000, "b": 150_000, "c": 100_000, "d": 99_999})
    assert list(obstacles.large_cities(population)) == [150_000, 100_000]
    assert list(obstacles.large_cities(population).index) == ["b", "c"]


def test_nearest_on_the_equator():
    # One degree of longitude on the equator = 2 pi R / 360 = 111.195 km (R = 6371.0088 km).
    points = pd.DataFrame({"code": ["p", "q"], "lon": [0.0, 3.0], "lat": [0.0, 0.0]})
    targets = pd.DataFrame({"code": ["A", "B"], "lon": [1.0, 5.0], "lat": [0.0, 0.0]})
    result = obstacles.nearest(points, targets).set_index("code")
    assert result.loc["p", "target"] == "A" and result.loc["q", "target"] == "B"
    degree = 2 * math.pi * 6371.0088 / 360
    assert result.loc["p", "distance_km"] == pytest.approx(degree, rel=1e-9)
    assert result.loc["q", "distance_km"] == pytest.approx(2 * degree, rel=1e-9)
    with pytest.raises(ValueError):
        obstacles.nearest(points, targets.iloc[0:0])


def test_weighted_mean_and_share_within_skip_missing_pairs():
    values = pd.Series({"a": 10.0, "b": 40.0, "c": float("nan"), "d": 100.0})
    weights = pd.Series({"a": 3.0, "b": 1.0, "c": 5.0})  # d has no weight
    assert obstacles.weighted_mean(values, weights) == pytest.approx((30 + 40) / 4)
    assert obstacles.share_within(values, weights, 20) == pytest.approx(75.0)
    assert math.isnan(obstacles.weighted_mean(values[["c"]], weights))


def _ages(values, period=2000):
    ages = ["00-04", "05-09", "10-14", "15-19", "20-24", "25-29", "30-34", "65-69", "70-74", "95+"]
    rows = [{"period": period, "age": a, "value": v} for a, v in zip(ages, values)]
    rows.append({"period": period, "age": "total", "value": sum(values)})
    return pd.DataFrame(rows)


def test_age_structure_sums_the_five_year_groups():
    frame = _ages([10, 10, 10, 10, 5, 5, 20, 15, 10, 5])  # total 100
    result = obstacles.age_structure(frame).loc[2000]
    assert result["share_15_29"] == pytest.approx(20.0)  # 10 + 5 + 5
    assert result["share_65_plus"] == pytest.approx(30.0)  # 15 + 10 + 5
    assert result["ageing_index"] == pytest.approx(30 / 40 * 100)  # under 20: 10 + 10 + 10 + 10


def test_ratios_and_commune_ratios():
    table = pd.DataFrame({"code": ["1"] * 4 + ["2"] * 4, "period": [2018] * 8,
                          "variable": ["pop_chom", "pop_act_15p", "pop_15_29", "pop_mun"] * 2,
                          "value": [10, 100, 30, 200, 5, 20, 0, 50]})
    result = obstacles.commune_ratios(table)
    assert result.loc[("1", 2018), "unemployment_rate"] == pytest.approx(10.0)
    assert result.loc[("2", 2018), "unemployment_rate"] == pytest.approx(25.0)
    assert result.loc[("1", 2018), "share_15_29"] == pytest.approx(15.0)
    assert "share_no_diploma_cep" not in result  # its variables are absent


def test_spread():
    result = obstacles.spread(pd.Series({"x": 12.0, "y": 30.0, "z": float("nan"), "w": 20.0}))
    assert result == {"count": 3, "min": 12.0, "min_at": "x", "max": 30.0, "max_at": "y"}
    assert obstacles.spread(pd.Series(dtype=float))["count"] == 0


def test_census_rates_of_a_commune_and_of_the_agglomeration():
    """Integration on the committed tables: Alès's own ratios; the agglomeration's are sums over its
    communes in the extract, which cover part of its population."""
    from alesbook import load
    table = load("recensement_communes")
    ales = obstacles.census_rates(table, "COM:30007")
    counts = table[(table["code"] == "30007") & (table["period"] == 2018)].set_index("variable")["value"]
    assert ales.loc[2018, "unemployment_rate"] == pytest.approx(counts["pop_chom"] / counts["pop_act_15p"] * 100)
    assert ales.loc[2018, "population_share"] == pytest.approx(100.0)
    agglomeration = obstacles.census_rates(table, "EPCI:200066918")
    assert 0 < agglomeration.loc[2018, "population_share"] < 100
    assert agglomeration.loc[2018, "communes"] < agglomeration.loc[2018, "communes_total"]


def test_level_measures_on_the_committed_tables():
    """The measures by level read the right rows: recomputed here directly from the tables."""
    from alesbook import load, territories
    found = obstacles.levels("EPCI:200066918")
    assert found["commune"].code == "30007" and found["zone_emploi"].code == "7603"
    assert found["departement"].code == "30" and found["france"].code == "METRO"
    # yearly unemployment = mean of the four quarters of the zone
    quarters = load("chomage_ze2020", territory=found["zone_emploi"])
    mean_2015 = quarters[quarters["period"].str.startswith("2015")]["value"].mean()
    assert obstacles.unemployment_by_level("EPCI:200066918").loc[2015, "zone_emploi"] == pytest.approx(mean_2015)
    # poverty rate of the EPCI in 2019, as published
    filosofi = load("filosofi")
    row = filosofi[(filosofi["level"] == "EPCI") & (filosofi["code"] == "200066918") & (filosofi["period"] == 2019)
                   & (filosofi["variable"] == "poverty_rate_60")]
    poverty = obstacles.income_by_level("EPCI:200066918", "poverty_rate_60")
    assert poverty.loc[2019, "territoire"] == pytest.approx(row["value"].iloc[0])
    # the nearest large city of Alès is Nîmes, at the distance between the two centroids
    shapes = load("contours_2018").set_index("code")
    iso = obstacles.isolation("COM:30007").iloc[0]
    assert iso["target_name"] == "Nîmes"
    expected = territories.distance_km(shapes.loc["30007", "lon"], shapes.loc["30007", "lat"],
                                       shapes.loc["30189", "lon"], shapes.loc["30189", "lat"])
    assert iso["distance_km"] == pytest.approx(float(expected))


def test_position_groups_references_by_direction():
    refs = {"du département": 9.0, "de la région": 8.7, "de la France": 10.1}
    assert obstacles.position(9.9, refs) == "au-dessus du département et de la région et en dessous de la France"
    assert obstacles.position(12.0, refs) == "au-dessus du département, de la région et de la France"
    # 9.04 and 9.0 both print « 9,0 »: same level as shown
    assert obstacles.position(9.04, {"du département": 9.0}) == "au niveau du département"
    assert obstacles.position(5.0, {"de la France": 7.1}, above="plus", below="moins") == "moins de la France"
