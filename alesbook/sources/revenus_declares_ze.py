"""INSEE declared income per consumption unit by zone d'emploi, 2001-2017 (RFL, then Filosofi)."""

from __future__ import annotations

import pandas as pd

from alesbook.errors import SourceError
from alesbook.sources._common import (INSEE, LICENCE_OUVERTE, TIDY_COLUMNS, Source, melt_numbers, raw_path,
                                      read_csv_records)

_YEARS = range(2001, 2018)
_LAST_ZE1990 = 2008  # 2001-2008 in ZE1990, 2009-2017 in ZE2010
_FIRST_FILOSOFI = 2012  # 2001-2011: RFL layout; 2012-2017: Filosofi layout

#: tidy variable -> (unit, RFL column stem, Filosofi column stem); stems take the 2-digit year suffix
#: except RD and Q3_Q1 in the Filosofi files; None: not in that layout
_VARIABLES = {
    "households": ("ménages", None, "NBMEN"),
    "persons": ("personnes", None, "NBPERS"),
    "consumption_units": ("UC", "NBUC", "NBUC"),
    "share_households_taxed": ("%", None, "PMIMP"),
    "q1_income_uc": ("euros", "RFUCQ1", "Q1"),
    "median_income_uc": ("euros", "RFUCQ2", "Q2"),
    "q3_income_uc": ("euros", "RFUCQ3", "Q3"),
    "d1_income_uc": ("euros", "RFUCD1", "D1"),
    "d9_income_uc": ("euros", "RFUCD9", "D9"),
    "interdecile_ratio": ("ratio", "RFUCRD", "RD"),
    "s80_s20": ("ratio", None, "S80S20"),
    "gini": ("index", "RFUCGI", "GI"),
    "mean_income_uc": ("euros", "RFUCMO", None),
    "income_share_activity": ("%", None, "PACT"),
    "income_share_wages": ("%", None, "PTSA"),
    "income_share_unemployment_benefits": ("%", None, "PCHO"),
    "income_share_self_employment": ("%", None, "PBEN"),
    "income_share_pensions": ("%", None, "PPEN"),
    "income_share_other": ("%", None, "PAUT"),
}
#: present in every file of a layout: a file without them is in the wrong layout
_REQUIRED = ("consumption_units", "median_income_uc", "d1_income_uc", "d9_income_uc")


def _level(year: int) -> str:
    return "ZE1990" if year <= _LAST_ZE1990 else "ZE2010"


def _filename(year: int) -> str:
    return f"FILOSOFI_-_Revenus_declares_par_{_level(year)}_-_{year}.csv"


SOURCE = Source(
    name="revenus_declares_ze",
    title="Revenu déclaré par unité de consommation, par zone d'emploi, 2001 à 2017",
    producer=INSEE,
    url="https://www.insee.fr/fr/metadonnees/source/serie/s1172",
    licence=LICENCE_OUVERTE,
    attribution="Source : Insee-DGFiP, Revenus fiscaux localisés des ménages (2001-2011) ; Insee-DGFiP-Cnaf-"
                "Cnav-CCMSA, Fichier localisé social et fiscal (2012-2017)",
    vintage="RFL 2001 à 2011, Filosofi 2012 à 2017 (revenus déclarés)",
    folder="insee_revenus_fiscaux_declares_ze1990_ze2010_2001_2017",
    files=tuple(_filename(year) for year in _YEARS),
    coverage="toutes les zones d'emploi : zonage 1990 de 2001 à 2008, zonage 2010 de 2009 à 2017",
    key=("level", "code", "period", "variable"),
    notes=(
        "Zone codes are reused across zonings: 9103 is Alès-La Grand-Combe in ZE1990 but Narbonne in "
        "ZE2010; 9104 is Bagnols-sur-Cèze in ZE1990 but Alès in ZE2010 (and Alès is 7603 in ZE2020). The "
        "zoning is the level (ZE1990 for 2001-2008, ZE2010 for 2009-2017): always select on level and code.",
        "Declared income (before taxes and transfers) per consumption unit: not comparable with the "
        "disposable-income living standard of the table filosofi. 2001-2011 come from RFL, 2012-2017 from "
        "Filosofi: expect a break in 2012 (different processing; households from 2012 only).",
        "The RFL files' region column (pre-2016 regions) and their 1999 census counts (MEN99, PSDC99, "
        "2001-2007) are not kept; nor are the other deciles, the interquartile range and the standard "
        "deviation.",
        "Blank cells (indicators under INSEE's diffusion thresholds) stay NaN.",
    ),
    description=(
        "Distribution of declared income per consumption unit (UC) in each zone d'emploi, by year. Variables "
        "(RFL / Filosofi code stems): households (NBMEN), persons (NBPERS), consumption_units (NBUC), "
        "share_households_taxed (PMIMP, %), q1/median/q3_income_uc (RFUCQ1-3 / Q1-Q3, €), d1/d9_income_uc "
        "(RFUCD1, RFUCD9 / D1, D9, €), interdecile_ratio (D9/D1), s80_s20 (S80S20), gini (RFUCGI / GI), "
        "mean_income_uc (RFUCMO, RFL only), income_share_* (PACT activity from 2015, PTSA wages, PCHO "
        "unemployment benefits, PBEN self-employment, PPEN pensions, PAUT other; % of declared income, "
        "Filosofi only)."
    ),
)


def _one_year(folder, year: int) -> pd.DataFrame:
    path = raw_path(folder, _filename(year))
    level, suffix = _level(year), f"{year % 100:02d}"
    filosofi = year >= _FIRST_FILOSOFI
    code = "CODGEO" if filosofi else level
    raw, first_line = read_csv_records(path, header_first_field=code, required=(code, "LIBGEO"))
    columns = {}  # raw column -> variable
    for variable, (_, rfl, filo) in _VARIABLES.items():
        stem = filo if filosofi else rfl
        if stem is None:
            continue
        column = next((c for c in (f"{stem}{suffix}", stem) if c in raw.columns), None)
        if column is not None:
            columns[column] = variable
        elif variable in _REQUIRED:
            raise SourceError(f"missing column {stem}{suffix}; found {list(raw.columns)}", file=path)
    long = melt_numbers(raw, columns, into="variable", keep=[code, "LIBGEO"], file=path, first_row=first_line)
    return pd.DataFrame({
        "level": level,
        "code": long[code].str.strip(),
        "name": long["LIBGEO"].str.strip(),
        "period": year,
        "variable": long["variable"],
        "value": long["value"],
        "unit": long["variable"].map({v: unit for v, (unit, _, _) in _VARIABLES.items()}),
    })[TIDY_COLUMNS]


def read(folder) -> pd.DataFrame:
    return pd.concat([_one_year(folder, year) for year in _YEARS], ignore_index=True)
