"""INSEE Filosofi 2021, base « chiffres clés » of communes: disposable income and poverty."""

from __future__ import annotations

import pandas as pd

from alesbook.errors import SourceError
from alesbook.sources import _filosofi
from alesbook.sources._common import INSEE, LICENCE_OUVERTE, Source, raw_path

_FILE = "cc_filosofi_2021_COM.csv"
_YEAR = 2021

SOURCE = Source(
    name="filosofi_2021_communes",
    title="Revenus, pauvreté et niveau de vie (Filosofi) 2021, communes d'Occitanie",
    producer=INSEE,
    url="https://www.insee.fr/fr/statistiques/7756729?sommaire=7756859",
    licence=LICENCE_OUVERTE,
    attribution="Source : Insee-DGFiP-Cnaf-Cnav-CCMSA, Fichier localisé social et fiscal (Filosofi) 2021",
    vintage="Filosofi 2021, base « chiffres clés » communes, géographie au 1er janvier 2024",
    folder="insee_filosofi_2021_communes",
    files=(_FILE,),
    coverage="revenus 2021 ; communes d'Occitanie (géographie 2024)",
    key=("level", "code", "period", "variable"),
    notes=(
        "Communes only: the EPCI, zone d'emploi, department and region files of this release are not "
        "staged, so income 2021 cannot be compared with those levels here. Kept as its own table (its raw "
        "folder differs from the 2014-2019 one); variable names and units are those of the table filosofi "
        "(core variables of communes), so the two concatenate.",
        "The file has no label column: name is empty; take commune names from another table.",
        "Secret statistique: 's' and 'nd' stay NaN (most indicators of small communes).",
        "Poverty rates and shares of communes are rounded to whole percent in this release.",
    ),
    description="Disposable income per consumption unit and poverty of the communes of Occitanie, income "
                "2021. " + _filosofi.DESCRIPTION + ".",
)


def read(folder) -> pd.DataFrame:
    path = raw_path(folder, _FILE)
    try:
        raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SourceError(f"not a readable ';'-separated CSV file ({exc})", file=path) from exc
    raw.index = range(2, len(raw) + 2)  # file line of each record, below the header line
    return _filosofi.tidy(raw, level="COM", year=_YEAR, file=path)
