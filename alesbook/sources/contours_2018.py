"""IGN Admin Express COG 2018: simplified contours, centroids and areas of the communes of Occitanie,
and of the départements and régions of France métropolitaine."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from alesbook.errors import SourceError
from alesbook.sources._common import LICENCE_OUVERTE, Source, raw_path
from alesbook.sources._geo import read_features
from alesbook.territories import EARTH_RADIUS_KM

_DEPARTEMENTS = {
    "09": "ariege", "11": "aude", "12": "aveyron", "30": "gard", "31": "haute-garonne", "32": "gers",
    "34": "herault", "46": "lot", "48": "lozere", "65": "hautes-pyrenees", "66": "pyrenees-orientales",
    "81": "tarn", "82": "tarn-et-garonne",
}
_COMMUNE_FILES = tuple(f"communes-{code}-{name}.geojson" for code, name in _DEPARTEMENTS.items())
_LEVEL_FILES = {"DEP": "departements-version-simplifiee.geojson", "REG": "regions-version-simplifiee.geojson"}
#: Coverage simplification tolerance (degrees, about the square root of the removed triangles' area).
TOLERANCE = {"COM": 0.002, "DEP": 0.005, "REG": 0.005}
#: Grid of the published coordinates, in degrees (1e-4 degree is about 10 m).
GRID = 1e-4

SOURCE = Source(
    name="contours_2018",
    title="Contours simplifiés des communes d'Occitanie et des départements et régions de France métropolitaine",
    producer="IGN, ADMIN EXPRESS COG édition 2018 (codes et noms Insee COG 2018), simplifié par G. David "
             "(france-geojson)",
    url="https://geoservices.ign.fr/adminexpress",
    licence=LICENCE_OUVERTE,
    attribution="Source : IGN, Admin Express COG 2018",
    vintage="ADMIN EXPRESS COG 2018",
    folder="ign_adminexpress_contours_2018_occitanie",
    files=_COMMUNE_FILES + tuple(_LEVEL_FILES.values()),
    coverage="communes d'Occitanie (géographie au 1er janvier 2018) ; départements et régions de France "
             "métropolitaine",
    key=("level", "code"),
    notes=(
        "Commune codes and names are those of the COG 2018: communes merged since (e.g. in 2019) keep their "
        "2018 codes; join with a COG passage table before matching COG 2023 codes.",
        "lon/lat is the centroid of the contour computed in a sinusoidal equal-area projection centred on "
        f"the territory (spherical Earth, R = {EARTH_RADIUS_KM} km), projected back to WGS84; it may fall "
        "outside a strongly concave commune. area_km2 is the area in the same projection.",
        "Centroids and areas are computed on the contours as distributed, which the distributor already "
        "simplified (25 % for communes, 5 % for départements and régions): areas are approximate, take "
        "official areas from Insee.",
        "geometry is WKT (WGS84 lon/lat), further simplified for maps with shapely.coverage_simplify (shared "
        f"borders stay shared; tolerance {TOLERANCE['COM']} degree for communes, {TOLERANCE['DEP']} for "
        f"départements and régions) and snapped to a {GRID} degree grid.",
    ),
    description=(
        "One row per territory: level (COM, DEP, REG), code, name, lon, lat (centroid, degrees WGS84), "
        "area_km2, geometry (WKT polygon or multipolygon, for maps)."
    ),
)


def _sinusoidal(geometries: np.ndarray, lon0: np.ndarray) -> np.ndarray:
    """Project lon/lat geometries (degrees) to a sinusoidal equal-area plane in km, one meridian each."""
    projected = []
    for geometry, meridian in zip(geometries, lon0):
        def forward(xy, meridian=meridian):
            lat = np.radians(xy[:, 1])
            return np.column_stack([EARTH_RADIUS_KM * np.radians(xy[:, 0] - meridian) * np.cos(lat),
                                    EARTH_RADIUS_KM * lat])
        projected.append(shapely.transform(geometry, forward))
    return np.array(projected, dtype=object)


def centroids_and_areas(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centroid lon, lat (degrees) and area (km²) of lon/lat polygons, in a sinusoidal equal-area projection."""
    lon0 = shapely.get_x(shapely.centroid(geometries))
    projected = _sinusoidal(geometries, lon0)
    centre = shapely.centroid(projected)
    lat = np.degrees(shapely.get_y(centre) / EARTH_RADIUS_KM)
    lon = lon0 + np.degrees(shapely.get_x(centre) / (EARTH_RADIUS_KM * np.cos(np.radians(lat))))
    return lon, lat, shapely.area(projected)


def _read_level(folder, level: str, files) -> pd.DataFrame:
    codes, names, geometries = [], [], []
    for filename in files:
        path = raw_path(folder, filename)
        for number, feature in enumerate(read_features(path, ("code", "nom")), start=1):
            try:
                geometry = shapely.geometry.shape(feature["geometry"])
            except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.GEOSException) as exc:
                raise SourceError(f"feature {number} has no readable geometry ({exc})", file=path) from exc
            if geometry.geom_type not in ("Polygon", "MultiPolygon") or not geometry.is_valid:
                raise SourceError(f"feature {number} ({feature['properties']['code']}): invalid or "
                                  f"non-polygon geometry {geometry.geom_type}", file=path)
            codes.append(str(feature["properties"]["code"]))
            names.append(feature["properties"]["nom"])
            geometries.append(geometry)
    geometries = np.array(geometries, dtype=object)
    lon, lat, area = centroids_and_areas(geometries)
    simplified = shapely.set_precision(shapely.coverage_simplify(geometries, TOLERANCE[level]), GRID)
    return pd.DataFrame({
        "level": level, "code": codes, "name": names,
        "lon": lon.round(5), "lat": lat.round(5), "area_km2": area.round(3),
        "geometry": shapely.to_wkt(simplified, rounding_precision=4, trim=True),
    })


def read(folder) -> pd.DataFrame:
    frame = pd.concat(
        [_read_level(folder, "COM", _COMMUNE_FILES)]
        + [_read_level(folder, level, (filename,)) for level, filename in _LEVEL_FILES.items()],
        ignore_index=True,
    )
    empty = frame["geometry"].str.contains("EMPTY")
    if empty.any():
        raise SourceError(f"simplification emptied the contour of {frame.loc[empty, 'code'].tolist()[:5]}",
                          file=folder)
    frame[["level", "code", "name", "geometry"]] = frame[["level", "code", "name", "geometry"]].astype("string")
    return frame
