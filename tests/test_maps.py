"""Map helpers: projection, paths with holes, mergers, areas (and the Alès map on the committed data)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest
import shapely
from matplotlib.path import Path as MplPath

from alesbook import maps, territories


def test_project_scales_degrees_to_km():
    x, y = maps.project([4.0, 5.0, 4.0], [44.0, 44.0, 45.0], 4.0, 44.0)
    one_degree = 6371.0088 * np.pi / 180  # 111.195 km
    assert x.tolist() == pytest.approx([0.0, one_degree * np.cos(np.radians(44.0)), 0.0])
    assert y.tolist() == pytest.approx([0.0, 0.0, one_degree])


def _signed_area(vertices):
    x, y = vertices[:, 0], vertices[:, 1]
    return 0.5 * (np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def test_geometry_path_keeps_holes():
    hole = [(0.4, 0.4), (0.6, 0.4), (0.6, 0.6), (0.4, 0.6)]  # counter-clockwise, as the exterior: must be turned
    square = shapely.Polygon([(0, 0), (1, 0), (1, 1), (0, 1)], [hole])
    path = maps.geometry_path(shapely.MultiPolygon([square, shapely.box(2, 0, 3, 1)]), 0.0, 0.0)
    starts = np.flatnonzero(path.codes == MplPath.MOVETO)
    assert len(starts) == 3  # two exteriors and one hole
    rings = np.split(path.vertices, starts[1:])
    signs = [np.sign(_signed_area(ring[:-1])) for ring in rings]
    assert signs == [1, -1, 1]  # matplotlib fills with the non-zero rule: the hole turns the other way
    assert _signed_area(rings[0][:-1]) == pytest.approx(111.19508 ** 2, rel=1e-4)  # 1 degree square at the equator


def test_dissolve_fills_a_small_hole_left_by_a_missing_commune():
    ring = shapely.box(0, 0, 3, 3).difference(shapely.box(1, 1, 2, 2))  # 8 km² around a 1 km² hole
    assert maps.dissolve([ring]).area == pytest.approx(9.0)


def test_with_cog2023_gives_an_absorbed_commune_to_its_longest_neighbour():
    table = pd.DataFrame({"code": ["30001", "30002", "30003"],
                          "shape": [shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 3), shapely.box(0, 1, 1, 1.5)]})
    result = maps.with_cog2023(table, ["30001", "30003"])  # 30002 merged: borders 1 with 30001, 0.5 with 30003
    assert result["com2023"].tolist() == ["30001", "30001", "30003"]


def test_areas_on_the_committed_contours():
    zone = territories.zone_emploi("EPCI:200066918")
    assert maps.area_km2(zone) == pytest.approx(2945.73, rel=0.01)  # ANCT area of ZE 7603 (population_ze_1876)
    assert maps.largest_commune("EPCI:200066918") == territories.Territory("COM", "30007")


def test_largest_communes_of_alès_agglomeration_in_1968():
    largest = territories.largest_communes("EPCI:200066918", 3, year=1968)
    assert largest.index.tolist() == ["30007", "30132", "30307"]  # Alès, La Grand-Combe, Les Salles-du-Gardon
    assert largest.iloc[0] == 43368  # Alès, census 1968
