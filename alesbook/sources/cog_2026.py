"""Etalab découpage administratif 2026: communes of Occitanie with their EPCI and latest legal population."""

from __future__ import annotations

import pandas as pd

from alesbook.errors import SourceError
from alesbook.sources._common import LICENCE_OUVERTE, Source, raw_path
from alesbook.sources._geo import records

_FILES = ("communes.json", "epci.json", "departements.json", "regions.json")
#: Reference year of the legal populations in force on 1 January 2026 (Insee page 8680726).
POPULATION_YEAR = 2023

SOURCE = Source(
    name="cog_2026",
    title="Code officiel géographique 2026 : communes d'Occitanie, EPCI, départements et régions",
    producer="Etalab (data.gouv.fr), paquet @etalab/decoupage-administratif 6.0.0, d'après Insee (COG 2026, "
             "populations légales) et DGCL (composition des EPCI)",
    url="https://github.com/datagouv/decoupage-administratif",
    licence=LICENCE_OUVERTE,
    attribution="Source : Insee, Code officiel géographique 2026 et populations légales 2023 ; DGCL ; Etalab",
    vintage="COG 2026 ; populations légales millésime 2023 en vigueur au 1er janvier 2026",
    folder="etalab_decoupage_administratif_2026",
    files=_FILES,
    coverage="communes d'Occitanie (4 446 communes actuelles) ; 164 EPCI ayant une commune en Occitanie ; "
             "tous les départements et régions de France (collectivités d'outre-mer comprises)",
    key=("level", "code"),
    notes=(
        "The raw communes.json is the Occitanie subset (region 76) of the package; only communes actuelles are "
        "kept (communes déléguées and associées are listed by code in former_codes of their commune).",
        "population is the population municipale of the legal populations in force in 2026 (census reference "
        f"year {POPULATION_YEAR}, column population_year); the EPCI populations of epci.json come from the DGCL "
        "file (one vintage older) and are deliberately not kept, so that the two vintages are not mixed.",
        "COG 2026: Corbès (30094) is a commune déléguée of Thoiras-Corbès (30329) since 2025, so Alès "
        "Agglomération has 71 member communes instead of 72 in COG 2023.",
        "The package gives no coordinates: centroids come from the contours_2018 table.",
    ),
    description=(
        "One row per territory (level COM, EPCI, DEP or REG; code, name). COM rows: dep, reg, epci (SIREN of "
        "the EPCI in 2026), population (population municipale), population_year, former_codes (codes of "
        "the communes déléguées or associées, separated by ';'). DEP rows carry their reg."
    ),
)


def _membership(path) -> dict:
    """Commune code -> SIREN of its EPCI, from the EPCI member lists."""
    members = {}
    for number, epci in enumerate(records(path, ("code", "nom", "membres")), start=1):
        for member in epci["membres"]:
            if member.get("code") in members:
                raise SourceError(f"commune {member.get('code')} is a member of two EPCI",
                                  file=path, row=number)
            members[member.get("code")] = epci["code"]
    return members


def read(folder) -> pd.DataFrame:
    communes_path, epci_path, dep_path, reg_path = (raw_path(folder, name) for name in _FILES)
    communes = pd.DataFrame(records(communes_path, ("code", "nom", "type", "departement", "region")))
    communes = communes[communes["type"] == "commune-actuelle"]
    if "population" not in communes or communes["population"].isna().any():
        raise SourceError("a commune actuelle has no population", file=communes_path, column="population")
    former = communes.get("anciensCodes", pd.Series(index=communes.index, dtype=object))
    members = _membership(epci_path)
    epci = pd.DataFrame(records(epci_path, ("code", "nom")))
    departements = pd.DataFrame(records(dep_path, ("code", "nom", "region")))
    regions = pd.DataFrame(records(reg_path, ("code", "nom")))
    frame = pd.concat([
        pd.DataFrame({
            "level": "COM", "code": communes["code"], "name": communes["nom"],
            "dep": communes["departement"], "reg": communes["region"],
            "epci": communes["code"].map(members),
            "population": communes["population"].astype("Int64"),
            "population_year": POPULATION_YEAR,
            "former_codes": former.map(lambda codes: ";".join(codes) if isinstance(codes, list) else pd.NA),
        }),
        pd.DataFrame({"level": "EPCI", "code": epci["code"], "name": epci["nom"]}),
        pd.DataFrame({"level": "DEP", "code": departements["code"], "name": departements["nom"],
                      "reg": departements["region"]}),
        pd.DataFrame({"level": "REG", "code": regions["code"], "name": regions["nom"]}),
    ], ignore_index=True)
    frame["population_year"] = frame["population_year"].astype("Int64")
    strings = ["level", "code", "name", "dep", "reg", "epci", "former_codes"]
    frame[strings] = frame[strings].astype("string")
    return frame[["level", "code", "name", "dep", "reg", "epci", "population", "population_year", "former_codes"]]
