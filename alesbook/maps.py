"""Maps drawn with matplotlib from the contours of the table ``contours_2018`` (WKT, WGS84).

A local equirectangular projection (`project`, kilometres from a centre point) is enough at the scale
of a département; `geometry_path` turns a shapely polygon (holes included) into a matplotlib path in
that projection; `commune_shapes` matches COG 2023 commune codes to the 2018 contours; `area_km2`
sums the approximate areas of a territory's communes; `locator_map` draws where a territory lies.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely
from matplotlib.path import Path as MplPath

from alesbook import datasets, territories
from alesbook.territories import EARTH_RADIUS_KM, Territory

CONTOURS = "contours_2018"


def project(lon, lat, lon0: float, lat0: float):
    """(x, y) in km east and north of (lon0, lat0): equirectangular projection scaled at latitude lat0."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    x = np.radians(lon - lon0) * np.cos(np.radians(lat0)) * EARTH_RADIUS_KM
    y = np.radians(lat - lat0) * EARTH_RADIUS_KM
    return x, y


def _rings(geometry):
    polygons = getattr(geometry, "geoms", [geometry])
    for polygon in polygons:
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        polygon = shapely.geometry.polygon.orient(polygon, 1.0)  # holes turn the other way: drawn empty
        yield polygon.exterior
        yield from polygon.interiors


def geometry_path(geometry, lon0: float, lat0: float) -> MplPath:
    """A matplotlib Path of a (multi)polygon in the projection of `project`; holes stay holes."""
    vertices, codes = [], []
    for ring in _rings(geometry):
        lon, lat = np.asarray(ring.coords).T
        x, y = project(lon, lat, lon0, lat0)
        vertices.append(np.column_stack([x, y]))
        codes.append([MplPath.MOVETO] + [MplPath.LINETO] * (len(x) - 2) + [MplPath.CLOSEPOLY])
    if not vertices:
        raise ValueError("empty geometry: nothing to draw")
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def contours(level: str, data_dir=None) -> pd.DataFrame:
    """Rows of ``contours_2018`` at `level` (COM, DEP, REG), with a shapely ``shape`` column."""
    table = datasets.load(CONTOURS, data_dir=data_dir)
    table = table[table["level"] == level].reset_index(drop=True)
    return table.assign(shape=shapely.from_wkt(table["geometry"].to_numpy()))


def commune_shapes(codes, data_dir=None) -> tuple[pd.DataFrame, list[str]]:
    """(2018 contours of the communes with these COG 2023 codes, codes without any contour).

    The contours carry a column ``com2023`` (see `with_cog2023`): a commune absorbed after 2018 comes
    with the commune that absorbed it. A commune created since 2018 under a new code has no contour.
    """
    codes = list(codes)
    table = with_cog2023(contours("COM", data_dir), territories.composition(data_dir)["com"])
    found = table[table["com2023"].isin(codes)].reset_index(drop=True)
    return found, sorted(set(codes) - set(found["com2023"]))


def with_cog2023(table: pd.DataFrame, cog2023_codes) -> pd.DataFrame:
    """Contours with a column ``com2023``: their own code when it is a COG 2023 code, else (a commune
    merged since 2018) the COG 2023 commune of the same département with which it shares the longest
    border (no passage table is committed; for the few mergers in a département, it is the commune
    that absorbed it). Empty when it shares no border with one."""
    cog2023 = set(cog2023_codes)
    result = table.assign(com2023=table["code"].where(table["code"].isin(cog2023), ""))
    for i in result.index[result["com2023"] == ""]:
        shape, dep = result.at[i, "shape"], result.at[i, "code"][:2]
        candidates = result[(result["com2023"] != "") & result["code"].str.startswith(dep)
                            & result["code"].isin(cog2023)]
        candidates = candidates[candidates["shape"].map(shape.intersects)]
        if not candidates.empty:
            shared = candidates["shape"].map(lambda other: shape.boundary.intersection(other.boundary).length)
            result.at[i, "com2023"] = candidates.loc[shared.idxmax(), "code"]
    return result


def dissolve(shapes) -> shapely.Geometry:
    """The union of polygons, with interior holes smaller than every part filled (absorbed communes)."""
    union = shapely.union_all(list(shapes))
    parts = getattr(union, "geoms", [union])
    smallest = min(part.area for part in parts)
    filled = [shapely.Polygon(part.exterior, [h for h in part.interiors if shapely.Polygon(h).area >= smallest])
              for part in parts]
    return shapely.union_all(filled)


def area_km2(territory, data_dir=None) -> float:
    """Approximate area (km²) of a territory: sum of the contour areas of its COG 2023 communes.

    Raises ValueError when some commune has no contour (the area would be too small).
    """
    members = territories.communes(territory, data_dir)["com"]
    found, missing = commune_shapes(members, data_dir)
    if missing:
        raise ValueError(f"no 2018 contour for communes {missing[:5]} of {territory}")
    return float(found["area_km2"].sum())


def locator_map(territory, ax=None, data_dir=None):
    """Map of the territory's communes, those of its zone d'emploi 2020 and its main commune, within
    its département and the neighbouring ones. Returns (fig, ax)."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, PathPatch

    from alesbook import figures

    territory = territories.validate(territory, data_dir)
    zone = territories.zone_emploi(territory, data_dir=data_dir)
    dep = territories.departement(territory, data_dir=data_dir)
    main = largest_commune(territory, data_dir)
    ze_members = territories.communes(zone, data_dir)
    own = set(territories.communes(territory, data_dir)["com"])
    deps = contours("DEP", data_dir)
    home = deps.loc[deps["code"] == dep.code, "shape"].iloc[0]
    near = deps[deps["shape"].map(lambda s: s.intersects(home.buffer(0.01)))]
    shown_deps = sorted(set(near["code"]) | set(ze_members["dep"]))
    shapes, _ = commune_shapes(territories.composition(data_dir).query("dep in @shown_deps")["com"], data_dir)
    lon0, lat0 = home.centroid.x, home.centroid.y

    if ax is None:
        figures.set_theme()
        fig, ax = plt.subplots(figsize=(8, 7.2))
    else:
        fig = ax.figure
    style = {
        "other": dict(facecolor="#f4f4f4", edgecolor="#d0d0d0", lw=0.2),
        "ze": dict(facecolor="#f9dca0", edgecolor="#e0b060", lw=0.3),
        "own": dict(facecolor="#f0a878", edgecolor="#c06030", lw=0.3),
        "main": dict(facecolor=figures.PALETTE["commune"], edgecolor="#7a3060", lw=0.5),
    }
    ze_codes = set(ze_members["com"])
    for code, shape in zip(shapes["com2023"], shapes["shape"]):
        role = "main" if code == main.code else "own" if code in own else "ze" if code in ze_codes else "other"
        ax.add_patch(PathPatch(geometry_path(shape, lon0, lat0), zorder=1, **style[role]))
    ze_outline = dissolve(shapes.loc[shapes["com2023"].isin(ze_codes), "shape"])
    for outline, colour, lw in ((ze_outline, figures.PALETTE["zone_emploi"], 1.6),
                                (dissolve(shapes.loc[shapes["com2023"].isin(own), "shape"]),
                                 figures.PALETTE["territoire"], 1.6)):
        ax.add_patch(PathPatch(geometry_path(outline, lon0, lat0), facecolor="none", edgecolor=colour, lw=lw,
                               zorder=3))
    for code, name, shape in zip(near["code"], near["name"], near["shape"]):
        ax.add_patch(PathPatch(geometry_path(shape, lon0, lat0), facecolor="none", edgecolor="#555555",
                               lw=1.0 if code != dep.code else 1.6, zorder=2))
    # extent: the département and the zone d'emploi, with a margin
    extent = shapely.union_all([home, ze_outline])
    minx, miny, maxx, maxy = extent.bounds
    (x0, x1), (y0, y1) = project([minx, maxx], [miny, maxy], lon0, lat0)
    pad = 0.08 * max(x1 - x0, y1 - y0)
    ax.set_xlim(x0 - pad, x1 + pad)
    ax.set_ylim(y0 - pad, y1 + pad)
    for code, name, shape in zip(near["code"], near["name"], near["shape"]):
        point = shape.representative_point() if code != dep.code else home.difference(ze_outline.buffer(0.05)).representative_point()
        x, y = project(point.x, point.y, lon0, lat0)
        ha = "left" if x < x0 else "right" if x > x1 else "center"
        x = float(np.clip(x, x0 - pad * 0.9, x1 + pad * 0.9))
        y = float(np.clip(y, y0 - pad * 0.6, y1 + pad * 0.6))
        ax.text(x, y, name.upper(), ha=ha, va="center", fontsize=8.5, color="#555555", zorder=5,
                fontweight="bold" if code == dep.code else "normal", alpha=0.9)
    main_shape = shapes.loc[shapes["com2023"] == main.code, "shape"].iloc[0]
    x, y = project(main_shape.centroid.x, main_shape.centroid.y, lon0, lat0)
    ax.annotate(territories.name_of(main, data_dir), (float(x), float(y)), xytext=(-28, 22),
                textcoords="offset points", fontsize=10, fontweight="bold", zorder=6,
                arrowprops=dict(arrowstyle="-", color="#333333", lw=0.8),
                bbox=dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.8))
    # scale bar of 20 km
    sx, sy = x0 - pad * 0.5, y0 - pad * 0.6
    ax.plot([sx, sx + 20], [sy, sy], color="#333333", lw=2, zorder=6)
    ax.text(sx + 10, sy + pad * 0.12, "20 km", ha="center", va="bottom", fontsize=8, zorder=6)
    ax.set_aspect("equal")
    ax.set_axis_off()
    legend = [
        Patch(**style["main"], label=f"Commune de {territories.name_of(main, data_dir)}"),
        Patch(**style["own"], label=territories.name_of(territory, data_dir)),
        Patch(**style["ze"], label=f"Reste de la zone d'emploi {territories.name_of(zone, data_dir)}"),
        Line2D([], [], color="#555555", lw=1.2, label="Limites départementales"),
    ]
    ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(0, 0), ncol=2, frameon=False, fontsize=8.5)
    return fig, ax


def largest_commune(territory, data_dir=None) -> Territory:
    """The most populous commune of a territory at the latest census (itself for a commune)."""
    return Territory("COM", territories.largest_communes(territory, 1, data_dir=data_dir).index[0])
