"""ANCT Territoires d'industrie: the member groupings (EPCI SIREN) of each territory, waves 2018-2022 and 2023-2027."""

from __future__ import annotations

import re

import pandas as pd

from alesbook.errors import SourceError
from alesbook.sources._common import LICENCE_OUVERTE, Source, raw_path
from alesbook.sources._geo import read_features

_WAVE1 = "ti_2018-2022_149_territoires_polygone-4326_ti.geojson"
_WAVE2 = "ti_2023-2027_183_territoires_ti_geom.geojson"
_SIREN = re.compile(r"\d{9}")
_TI_ID = re.compile(r"ti-\d{4}")
_NAMED_SIREN = re.compile(r"(?P<name>.+?)\s*\((?P<siren>\d{9})\)")

SOURCE = Source(
    name="territoires_industrie",
    title="Territoires d'industrie : intercommunalités membres, vagues 2018-2022 et 2023-2027",
    producer="Agence nationale de la cohésion des territoires (ANCT), programme Territoires d'industrie",
    url="https://agence-cohesion-territoires.gouv.fr/territoires-dindustrie-44",
    licence=LICENCE_OUVERTE,
    attribution="Source : ANCT, Territoires d'industrie",
    vintage="périmètres 2018-2022 (149 territoires) et 2023-2027 (183 territoires), fichiers de la carte "
            "« Superposeur » de l'ANCT",
    folder="anct_territoires_industrie",
    files=(_WAVE1, _WAVE2),
    coverage="France entière (DOM compris) ; 149 territoires en 2018-2022, 183 en 2023-2027",
    key=("wave", "ti_id", "siren"),
    notes=(
        "Membership is read from the attributes (SIREN lists), not from the geometries (some wave-1 features "
        "are points or geometry collections).",
        "ti_id values are re-used across waves with different meanings (ti-7601 is Aurillac-Figeac-Rodez in "
        "2018-2022 and Alès in 2023-2027): always select on wave and ti_id together.",
        "siren is the SIREN of a member grouping, mostly an EPCI; a few wave-1 territories list communes "
        "(e.g. Aix-Marseille-Provence, Toulon) and some SIREN are EPCI that merged or were renumbered "
        "after the territory was designated: join with communes_2023 to know which are EPCI in 2023.",
        "Wave-1 member names are a comma-separated list in the order of the SIREN list; where names contain "
        "commas the two lists cannot be paired and member_name is left empty.",
        "reg is the region code embedded in ti_id (ti-RRnn), the region that manages the territory.",
    ),
    description=(
        "One row per territory and member: wave (2018-2022 or 2023-2027), ti_id, ti_name, reg, siren (SIREN "
        "of the member, an EPCI in nearly all cases), member_name (its name as the ANCT file gives it)."
    ),
)


def _member(wave, properties, id_key, name_key, siren, name, *, path, number, column) -> dict:
    """One row of the table, with its territory id and SIREN checked."""
    ti_id = properties[id_key]
    if not _TI_ID.fullmatch(ti_id):
        raise SourceError(f"malformed territory id {ti_id!r}", file=path, column=id_key, row=number)
    if not _SIREN.fullmatch(siren):
        raise SourceError(f"{ti_id}: malformed SIREN {siren!r}", file=path, column=column, row=number)
    return {"wave": wave, "ti_id": ti_id, "ti_name": properties[name_key], "reg": ti_id[3:5], "siren": siren,
            "member_name": name}


def _wave1(path) -> list[dict]:
    """Members of 2018-2022: a SIREN list and a name list, both comma-separated (feature = row)."""
    rows = []
    for number, feature in enumerate(read_features(path, ("id_ti", "lib_ti", "siren_groupement")), start=1):
        properties = feature["properties"]
        sirens = [s.strip() for s in properties["siren_groupement"].split(",")]
        names = [n.strip() for n in (properties.get("lib_groupement") or "").split(",")]
        if len(names) != len(sirens):
            names = [pd.NA] * len(sirens)
        rows += [_member("2018-2022", properties, "id_ti", "lib_ti", siren, name, path=path, number=number,
                         column="siren_groupement") for siren, name in zip(sirens, names)]
    return rows


def _wave2(path) -> list[dict]:
    """Members of 2023-2027: « Name (SIREN); Name (SIREN) » (feature = row)."""
    rows = []
    for number, feature in enumerate(read_features(path, ("id_territoire", "lib_territoire", "liste_geo")),
                                     start=1):
        properties = feature["properties"]
        for item in properties["liste_geo"].split(";"):
            match = _NAMED_SIREN.fullmatch(item.strip())
            if not match:
                raise SourceError(f"{properties['id_territoire']}: member {item.strip()!r} is not « Name (SIREN) »",
                                  file=path, column="liste_geo", row=number)
            rows.append(_member("2023-2027", properties, "id_territoire", "lib_territoire", match["siren"],
                                match["name"], path=path, number=number, column="liste_geo"))
    return rows


def read(folder) -> pd.DataFrame:
    frame = pd.DataFrame(_wave1(raw_path(folder, _WAVE1)) + _wave2(raw_path(folder, _WAVE2)))
    return frame[["wave", "ti_id", "ti_name", "reg", "siren", "member_name"]].astype("string")
