"""Insee ESTEL: non-salaried jobs by zone d'emploi 2010, 1998-2017."""

from __future__ import annotations

import pandas as pd

from alesbook.sources import _estel
from alesbook.sources._common import TIDY_COLUMNS, Source

SOURCE = Source(
    name="emploi_non_salarie_ze2010",
    title="Emploi non salarié par zone d'emploi 2010, 1998-2017",
    producer=_estel.PRODUCER,
    url=_estel.URL,
    licence=_estel.LICENCE,
    attribution=_estel.ATTRIBUTION,
    vintage=_estel.VINTAGE,
    folder=_estel.FOLDER,
    files=(_estel.NON_SALARIED,),
    coverage=_estel.COVERAGE + " ; tous secteurs",
    key=("level", "code", "variable", "period"),
    notes=_estel.NOTES,
    description=(
        "Variable emploi_non_salarie (unit emplois): non-salaried jobs (self-employed) at place of work on "
        "31 December, all sectors, by zone d'emploi 2010 (level ZE2010) and year (period)."
    ),
)


def read(folder) -> pd.DataFrame:
    long = _estel.read_zones(folder, _estel.NON_SALARIED)
    return long.assign(variable="emploi_non_salarie", unit="emplois")[TIDY_COLUMNS]
