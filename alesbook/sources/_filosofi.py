"""What the Filosofi « chiffres clés » readers share: variable names, units, the Occitanie filter, tidying."""

from __future__ import annotations

import pandas as pd

from alesbook.errors import SourceError
from alesbook.sources._common import TIDY_COLUMNS, require_columns, to_number

#: INSEE column stem (the code without its two-digit year suffix) -> (tidy variable, unit).
VARIABLES = {
    "NBMENFISC": ("tax_households", "ménages"),
    "NBPERSMENFISC": ("tax_household_persons", "personnes"),
    "MED": ("median_living_standard", "euros"),
    "D1": ("d1_living_standard", "euros"),
    "D9": ("d9_living_standard", "euros"),
    "RD": ("interdecile_ratio", "ratio"),
    "PIMP": ("share_households_taxed", "%"),
    "TP60": ("poverty_rate_60", "%"),
    "TP60AGE1": ("poverty_rate_60_age_under_30", "%"),
    "TP60AGE2": ("poverty_rate_60_age_30_39", "%"),
    "TP60AGE3": ("poverty_rate_60_age_40_49", "%"),
    "TP60AGE4": ("poverty_rate_60_age_50_59", "%"),
    "TP60AGE5": ("poverty_rate_60_age_60_74", "%"),
    "TP60AGE6": ("poverty_rate_60_age_75_plus", "%"),
    "TP60TOL1": ("poverty_rate_60_owners", "%"),
    "TP60TOL2": ("poverty_rate_60_tenants", "%"),
    "PACT": ("income_share_activity", "%"),
    "PRA": ("income_share_activity", "%"),  # 2014 name of PACT, same label
    "PTSA": ("income_share_wages", "%"),
    "PCHO": ("income_share_unemployment_benefits", "%"),
    "PTSAC": ("income_share_wages_and_unemployment_benefits", "%"),  # 2014 only
    "PBEN": ("income_share_self_employment", "%"),
    "PPEN": ("income_share_pensions", "%"),
    "PPAT": ("income_share_property_and_other", "%"),
    "PPSOC": ("income_share_social_benefits", "%"),
    "PPFAM": ("income_share_family_benefits", "%"),
    "PPMINI": ("income_share_minimum_benefits", "%"),
    "PPLOGT": ("income_share_housing_benefits", "%"),
    "PIMPOT": ("income_share_taxes", "%"),
}
UNITS = dict(VARIABLES.values())

#: Stems every vintage has; communes keep only these (the others are mostly secret for them, and the
#: table stays small), the other levels keep every known stem.
CORE = ("NBMENFISC", "NBPERSMENFISC", "MED", "D1", "D9", "RD", "PIMP", "TP60")
CORE_LEVELS = ("COM",)

#: Departments of the Occitanie region: the communes kept.
OCCITANIE_DEPARTMENTS = ("09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82")

DESCRIPTION = (
    "Variables (INSEE code without its year suffix in brackets): tax_households (NBMENFISC, ménages "
    "fiscaux), tax_household_persons (NBPERSMENFISC), median_living_standard (MED, médiane du niveau "
    "de vie, €/UC/year), d1_living_standard and d9_living_standard (D1, D9, 1st and 9th deciles), "
    "interdecile_ratio (RD = D9/D1), share_households_taxed (PIMP, % of ménages fiscaux imposés), "
    "poverty_rate_60 (TP60, % of persons whose living standard is below 60 % of the metropolitan median)"
)
DESCRIPTION_EXTENDED = (
    "; except for communes, also poverty_rate_60_age_* and poverty_rate_60_owners/tenants (TP60AGE1-6, "
    "TP60TOL1-2, by age of the fiscal referent and tenure) and the composition of disposable income "
    "income_share_* (PACT activity = PRA in 2014, PTSA wages, PCHO unemployment benefits, PTSAC wages and "
    "unemployment benefits in 2014 only, PBEN self-employment, PPEN pensions, PPAT property and other, "
    "PPSOC social benefits with PPFAM family, PPMINI minimum and PPLOGT housing benefits, PIMPOT taxes, "
    "negative), in % of disposable income."
)


def columns_of(header, year: int, stems) -> dict:
    """Raw column -> stem, for the `stems` whose column STEM+yy is in `header`."""
    suffix = f"{year % 100:02d}"
    return {f"{stem}{suffix}": stem for stem in stems if f"{stem}{suffix}" in header}


def tidy(raw: pd.DataFrame, *, level: str, year: int, file, sheet=None) -> pd.DataFrame:
    """The long tidy frame of one Filosofi table (columns CODGEO, [LIBGEO], STEM+yy; index: file rows).

    The core columns must all be there. Communes are those of Occitanie and keep the core variables;
    the other levels keep every known one.
    """
    suffix = f"{year % 100:02d}"
    require_columns(raw, ["CODGEO", *(f"{stem}{suffix}" for stem in CORE)], file=file, sheet=sheet)
    if level == "COM":
        raw = raw[raw["CODGEO"].str[:2].isin(OCCITANIE_DEPARTMENTS).to_numpy()]
    if "LIBGEO" not in raw.columns:
        raw = raw.assign(LIBGEO=pd.NA)
    columns = columns_of(raw.columns, year, CORE if level in CORE_LEVELS else VARIABLES)
    long = raw[["CODGEO", "LIBGEO", *columns]].melt(id_vars=["CODGEO", "LIBGEO"], var_name="column",
                                                    ignore_index=False)
    variables = long["column"].map(columns).map(lambda stem: VARIABLES[stem][0])
    return pd.DataFrame({
        "level": level,
        "code": long["CODGEO"].astype("string"),
        "name": long["LIBGEO"].astype("string"),
        "period": year,
        "variable": variables,
        "value": melted_numbers(long, file=file, sheet=sheet),
        "unit": variables.map(UNITS),
    }).reset_index(drop=True)[TIDY_COLUMNS]


def melted_numbers(long: pd.DataFrame, *, file, sheet=None) -> pd.Series:
    """`to_number` on melted cells (index: file row; columns `column`, `value`): errors name row and column.

    One call on all the cells of a table, after the selection of communes: several times faster than
    `_common.melt_numbers` (one call per column on every row) on these wide workbooks.
    """
    try:
        return to_number(long["value"].reset_index(drop=True), file=file, sheet=sheet, column="",
                         first_row=0).set_axis(long.index)
    except SourceError as exc:
        cell = long.iloc[exc.row]
        raise SourceError(f"value {cell['value']!r} is neither a number nor a secret marker",
                          file=file, sheet=sheet, column=cell["column"], row=int(long.index[exc.row])) from exc
