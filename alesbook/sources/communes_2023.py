"""Insee: every commune of France (COG 2023) with its EPCI and its zone d'emploi 2020."""

from __future__ import annotations

import pandas as pd

from alesbook.errors import SourceError
from alesbook.sources._common import LICENCE_OUVERTE, Source, check_codes, raw_path, read_excel
from alesbook.territories import LEVELS

_EPCI_FILE = "Intercommunalite_Metropole_au_01-01-2023.xlsx"
_ZE_FOLDER = "insee_zonage_zones_emploi_2020_geo2023"
_ZE_FILE = f"../{_ZE_FOLDER}/ZE2020_au_01-01-2023.xlsx"
_HEADER_ROW = 6  # four title rows, a row of French labels, then the row of variable codes
_NO_EPCI = "ZZZZZZZZZ"  # « Sans objet »: island communes that belong to no EPCI

SOURCE = Source(
    name="communes_2023",
    title="Communes au 1er janvier 2023 : intercommunalité (EPCI) et zone d'emploi 2020",
    producer="Insee, Code officiel géographique (intercommunalités d'après DGCL/Banatic ; "
             "zonage en zones d'emploi 2020)",
    url="https://www.insee.fr/fr/information/2510634",
    licence=LICENCE_OUVERTE,
    attribution="Source : Insee, Code officiel géographique 2023, intercommunalités et zones d'emploi 2020",
    vintage="géographie au 01/01/2023 (mise en ligne le 17/03/2023)",
    folder="insee_composition_epci_2023",
    files=(_EPCI_FILE, _ZE_FILE),
    coverage="toutes les communes de France (34 945, DOM compris), géographie au 1er janvier 2023",
    key=("com",),
    notes=(
        "A composition table (one row per commune), not a long table.",
        "The zones d'emploi file is read from the sibling raw folder "
        f"{_ZE_FOLDER} (https://www.insee.fr/fr/information/4652957); both files must list the same communes.",
        f"Four island communes belong to no EPCI (code {_NO_EPCI}, « Sans objet »): their epci is left empty.",
        "The number of communes per EPCI and per zone d'emploi is checked against the NB_COM column of the "
        "list sheets (a truncated file fails).",
        "Zones d'emploi may cross regional borders: ze2020 7603 Alès - Le Vigan covers Gard, Lozère and Hérault.",
        "COG 2023: Corbès (30094) is still a commune (merged into Thoiras-Corbès 30329 in 2025).",
    ),
    description=(
        "One row per commune: com (code commune), com_name, dep, reg, epci (SIREN), epci_name, epci_nature "
        "(CA, CC, CU, ME, METLYON), ze2020 (code of the zone d'emploi 2020), ze2020_name."
    ),
)


def _sheet(path, sheet, required):
    frame = read_excel(path, sheet=sheet, header_row=_HEADER_ROW, dtype=str, required=required)
    return frame.apply(lambda column: column.str.strip())


def _check_counts(composition, listing, code, path, sheet):
    """Compare the communes counted per zone with the NB_COM column of the list sheet."""
    counted = composition[code].value_counts()
    stated = pd.to_numeric(listing.set_index(code)["NB_COM"], errors="coerce")
    differs = stated.ne(counted.reindex(stated.index).fillna(0))
    if differs.any() or not counted.index.isin(stated.index).all():
        zone = differs.idxmax() if differs.any() else counted.index[~counted.index.isin(stated.index)][0]
        raise SourceError(
            f"{code} {zone}: {int(counted.get(zone, 0))} communes in Composition_communale, "
            f"NB_COM says {stated.get(zone)} (truncated or inconsistent file)",
            file=path, sheet=sheet, column="NB_COM",
        )


def read(folder) -> pd.DataFrame:
    epci_path, ze_path = raw_path(folder, _EPCI_FILE), raw_path(folder, _ZE_FILE)
    epci = _sheet(epci_path, "Composition_communale", ("CODGEO", "LIBGEO", "EPCI", "LIBEPCI", "DEP", "REG"))
    epci_list = _sheet(epci_path, "EPCI", ("EPCI", "LIBEPCI", "NATURE_EPCI", "NB_COM"))
    ze = _sheet(ze_path, "Composition_communale", ("CODGEO", "ZE2020", "LIBZE2020"))
    ze_list = _sheet(ze_path, "ZE2020", ("ZE2020", "LIBZE2020", "NB_COM"))
    _check_counts(epci, epci_list, "EPCI", epci_path, "EPCI")
    _check_counts(ze, ze_list, "ZE2020", ze_path, "ZE2020")
    for path, frame in ((epci_path, epci), (ze_path, ze)):
        check_codes(frame["CODGEO"], LEVELS["COM"], file=path, sheet="Composition_communale", column="CODGEO",
                    first_row=_HEADER_ROW + 1)
    only = set(epci["CODGEO"]) ^ set(ze["CODGEO"])
    if only:
        raise SourceError(f"the two files list different communes, e.g. {sorted(only)[:5]}", file=ze_path,
                          sheet="Composition_communale", column="CODGEO")
    nature = epci_list.set_index("EPCI")["NATURE_EPCI"]
    table = pd.DataFrame({
        "com": epci["CODGEO"],
        "com_name": epci["LIBGEO"],
        "dep": epci["DEP"],
        "reg": epci["REG"],
        "epci": epci["EPCI"].mask(epci["EPCI"] == _NO_EPCI),
        "epci_name": epci["LIBEPCI"].mask(epci["EPCI"] == _NO_EPCI),
        "epci_nature": epci["EPCI"].map(nature).mask(epci["EPCI"] == _NO_EPCI),
    })
    zones = ze.set_index("CODGEO")[["ZE2020", "LIBZE2020"]]
    table["ze2020"] = table["com"].map(zones["ZE2020"])
    table["ze2020_name"] = table["com"].map(zones["LIBZE2020"])
    return table.astype("string")
