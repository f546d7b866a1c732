"""Census 2012 and 2018 key figures (age, diplomas, activity, social groups, housing) of communes over 2 000.

Read from the extracts of the INSEE census databases shipped as R data by the package questionr.
"""

from __future__ import annotations

import pandas as pd

from alesbook.errors import SourceError
from alesbook.sources._census import OCCITANIE, read_rdata
from alesbook.sources._common import INSEE, LICENCE_OUVERTE, TIDY_COLUMNS, Source, raw_path

SOURCE = Source(
    name="recensement_communes",
    title="Recensements 2012 et 2018 : âge, diplômes, activité, catégories socioprofessionnelles et logement "
          "des communes de plus de 2 000 habitants",
    producer=f"{INSEE} (recensements de la population 2012 et 2018), extraits du package R questionr",
    url="https://www.insee.fr/fr/information/5369871",
    licence=LICENCE_OUVERTE,
    attribution="Source : Insee, recensements de la population 2012 et 2018 (exploitations principale et "
                "complémentaire), extraits du package questionr",
    vintage="RP2012 (géographie au 1er janvier 2014) et RP2018 (géographie au 1er janvier 2020) ; "
            "questionr, commit 715528f",
    folder="questionr_rp2012_rp2018_communes_2000hab",
    files=("rp2012.RData", "rp2018.RData"),
    coverage="communes d'Occitanie de plus de 2 000 habitants (487 en 2012, 524 en 2018)",
    key=("level", "code", "variable", "period"),
    notes=(
        "« Aucun diplôme » changed meaning: from RP2017 on INSEE merges « aucun diplôme » and the certificat "
        "d'études primaires (CEP). questionr's pop_dipl_aucun is therefore « aucun diplôme » without the CEP "
        "in 2012 (kept as pop_dipl_aucun_hors_cep) but « aucun diplôme ou CEP » in 2018. The 2012 extract has "
        "no CEP column: pop_dipl_cep (2012) is derived as pop_non_scol_15p minus the six other diploma "
        "groups (exact up to the rounding of the published integers), and pop_dipl_aucun_cep, comparable "
        "in both years, is aucun + CEP in 2012 and pop_dipl_aucun in 2018. The reader checks that the 2018 "
        "diploma groups add up to pop_non_scol_15p, i.e. that no CEP group is left out.",
        "Higher education groups differ: 2012 has bac+2 and « supérieur long » (bac+3 or more), 2018 has "
        "bac+2, bac+3/4 and bac+5 or more. Same labels in both years: pop_dipl_bac2 and pop_dipl_bac3p "
        "(2018: bac+3/4 + bac+5), but the split moved with the new diploma classification of RP2017 "
        "(Alès: bac+2 falls from 3 263 to 2 454 while bac+3 or more rises from 2 591 to 3 720), so compare "
        "only their sum pop_dipl_sup_total across 2012 and 2018. 2018 only: pop_dipl_bac34, "
        "pop_dipl_bac5p. questionr's ambiguous pop_dipl_sup is not kept under that name.",
        "pop_mun is the population municipale of the census year (RP2012 = legal population 2012, in force "
        "on 1 January 2015; RP2018 = legal population 2018, in force on 1 January 2021); it equals "
        "population_communes' pop_mun of the same period in the geography of that period's file.",
        "Codes are in the geography of each file: COG 2014 for 2012 and COG 2020 for 2018 (no commune of "
        "Occitanie over 2 000 inhabitants changed code between those and COG 2023).",
        "Counts from the complementary exploitation (diplomas, social groups) are weighted and so "
        "fractional in 2018; the 2012 extract holds rounded integers. The six social groups do not add up "
        "to pop_act_15p (they come from another exploitation and leave out unemployed people who never "
        "worked): take their shares of their own sum.",
        "questionr's percentage columns are not kept (they are the counts divided by their base). There is "
        "no 65+ group in these extracts (only 75+).",
        "Region codes are pre-2016 in rp2012 (91 = Languedoc-Roussillon); rows are selected on the "
        "département of the commune code instead.",
    ),
    description=(
        "Census counts of the communes of Occitanie over 2 000 inhabitants, RP2012 and RP2018. Population: "
        "pop_mun, pop_femmes, pop_0_14, pop_15_29, pop_18_24, pop_75p. Activity: pop_act_15p (actifs), "
        "pop_chom (chômeurs), social groups of the actifs pop_agric, pop_indep, pop_cadres, pop_interm, "
        "pop_empl, pop_ouvr. Education: pop_scol_18_24 (in education), pop_non_scol_15p (15+ out of "
        "school) by highest diploma: pop_dipl_aucun_cep (both years), pop_dipl_aucun_hors_cep and "
        "pop_dipl_cep (2012), pop_dipl_bepc, pop_dipl_capbep, pop_dipl_bac, pop_dipl_bac2, pop_dipl_bac3p, "
        "pop_dipl_sup_total (both years), pop_dipl_bac34 and pop_dipl_bac5p (2018). Housing: log_rp "
        "(résidences principales), log_proprio, log_loc, log_hlm, log_sec (résidences secondaires), log_maison, log_appart."
    ),
)

_SAME = (
    "pop_femmes", "pop_0_14", "pop_15_29", "pop_18_24", "pop_75p", "pop_act_15p", "pop_chom",
    "pop_agric", "pop_indep", "pop_cadres", "pop_interm", "pop_empl", "pop_ouvr", "pop_scol_18_24",
    "pop_non_scol_15p", "pop_dipl_bepc", "pop_dipl_capbep", "pop_dipl_bac",
    "log_rp", "log_proprio", "log_loc", "log_hlm", "log_sec", "log_maison", "log_appart",
)
_CEP = "cep (derived)"
#: year -> (file, R object, tidy variable -> raw columns summed, diploma columns adding up to pop_non_scol_15p)
_YEARS = {
    2012: ("rp2012.RData", "rp2012", {
        "pop_dipl_aucun_hors_cep": ("pop_dipl_aucun",),
        "pop_dipl_cep": (_CEP,),
        "pop_dipl_aucun_cep": ("pop_dipl_aucun", _CEP),
        "pop_dipl_bac2": ("pop_dipl_bac2",),
        "pop_dipl_bac3p": ("pop_dipl_sup",),
        "pop_dipl_sup_total": ("pop_dipl_bac2", "pop_dipl_sup"),
    }, ("pop_dipl_aucun", "pop_dipl_bepc", "pop_dipl_capbep", "pop_dipl_bac", "pop_dipl_bac2", "pop_dipl_sup")),
    2018: ("rp2018.RData", "rp2018", {
        "pop_dipl_aucun_cep": ("pop_dipl_aucun",),
        "pop_dipl_bac2": ("pop_dipl_sup2",),
        "pop_dipl_bac3p": ("pop_dipl_sup34", "pop_dipl_sup"),
        "pop_dipl_bac34": ("pop_dipl_sup34",),
        "pop_dipl_bac5p": ("pop_dipl_sup",),
        "pop_dipl_sup_total": ("pop_dipl_sup2", "pop_dipl_sup34", "pop_dipl_sup"),
    }, ("pop_dipl_aucun", "pop_dipl_bepc", "pop_dipl_capbep", "pop_dipl_bac", "pop_dipl_sup2",
        "pop_dipl_sup34", "pop_dipl_sup")),
}
_TOLERANCE = 0.5  # persons: published counts are rounded to integers in 2012


def read(folder) -> pd.DataFrame:
    frames = []
    for year, (filename, name, specific, diplomas) in _YEARS.items():
        path = raw_path(folder, filename)
        raw = read_rdata(path, objects=[name])[name]
        variables = {"pop_mun": ("pop_tot",), **{v: (v,) for v in _SAME}, **specific}
        needed = {"code_insee", "commune", "pop_non_scol_15p", *diplomas}
        needed |= {c for columns in variables.values() for c in columns if c != _CEP}
        missing = sorted(needed - set(raw.columns))
        if missing:
            raise SourceError(f"missing column(s) {missing}", file=path, sheet=name)
        raw = raw.reset_index(drop=True)  # index = position in the R data frame, for error rows
        raw = raw[raw["code_insee"].astype("string").str[:2].isin(OCCITANIE)]
        for column in needed - {"code_insee", "commune"}:
            if not pd.api.types.is_numeric_dtype(raw[column]):
                raise SourceError("not numeric", file=path, sheet=name, column=column)
        rest = raw["pop_non_scol_15p"] - raw[list(diplomas)].sum(axis=1, skipna=False)
        if year == 2012:
            raw[_CEP] = rest
            _check(rest > -_TOLERANCE, "the diploma groups exceed pop_non_scol_15p", raw, path, name)
        else:
            _check(rest.abs() < _TOLERANCE, "the diploma groups do not add up to pop_non_scol_15p "
                   "(is a CEP group missing?)", raw, path, name)
        for variable, columns in variables.items():
            frames.append(pd.DataFrame({
                "level": "COM", "code": raw["code_insee"].astype("string"), "name": raw["commune"].astype("string"),
                "period": year, "variable": variable,
                "value": raw[list(columns)].astype(float).sum(axis=1, skipna=False),
                "unit": _unit(variable),
            }))
    return pd.concat(frames, ignore_index=True)[TIDY_COLUMNS]


def _unit(variable: str) -> str:
    return "logements" if variable.startswith("log_") else "habitants" if variable == "pop_mun" else "personnes"


def _check(ok: pd.Series, message: str, raw: pd.DataFrame, path, name) -> None:
    if not ok.all():
        position = int((~ok).to_numpy().argmax())
        raise SourceError(f"commune {raw['code_insee'].iloc[position]}: {message}", file=path, sheet=name,
                          row=int(raw.index[position]) + 1)
