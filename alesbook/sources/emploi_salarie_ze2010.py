"""Insee ESTEL: salaried jobs by zone d'emploi 2010 and broad sector (A5), 1998-2017."""

from __future__ import annotations

import pandas as pd

from alesbook.errors import SourceError
from alesbook.sources import _estel
from alesbook.sources._common import Source, raw_path

SOURCE = Source(
    name="emploi_salarie_ze2010",
    title="Emploi salarié par zone d'emploi 2010 et grand secteur d'activité, 1998-2017",
    producer=_estel.PRODUCER,
    url=_estel.URL,
    licence=_estel.LICENCE,
    attribution=_estel.ATTRIBUTION,
    vintage=_estel.VINTAGE,
    folder=_estel.FOLDER,
    files=(_estel.SALARIED,),
    coverage=_estel.COVERAGE + " ; cinq grands secteurs (A5) et total",
    key=("level", "code", "sector", "variable", "period"),
    notes=_estel.NOTES + (
        "Sector labels 'BE-Industrie' become their A5 code ('BE'); any other sector is rejected.",
    ),
    description=(
        "Variable emploi_salarie (unit emplois): salaried jobs at place of work on 31 December, by zone "
        "d'emploi 2010 (level ZE2010), year (period) and sector: AZ agriculture, BE industrie (manufacturing, "
        "energy, mining), FZ construction, GU tertiaire marchand, OQ tertiaire non marchand, TT total."
    ),
)

#: sector label in column Activite -> A5 code
SECTORS = {
    "AZ-Agriculture": "AZ", "BE-Industrie": "BE", "FZ-Construction": "FZ", "GU-Tertiaire marchand": "GU",
    "OQ-Tertiaire non marchand": "OQ", "TT-Total": "TT",
}


def read(folder) -> pd.DataFrame:
    long = _estel.read_zones(folder, _estel.SALARIED, extra_ids=("Activite",))
    unknown = sorted(set(long["Activite"]) - set(SECTORS))
    if unknown:
        raise SourceError(f"unknown sector(s) {unknown}; known: {sorted(SECTORS)}",
                          file=raw_path(folder, _estel.SALARIED), column="Activite")
    long["sector"] = long["Activite"].map(SECTORS)
    return long.assign(variable="emploi_salarie", unit="emplois")[
        ["level", "code", "name", "period", "sector", "variable", "value", "unit"]]
