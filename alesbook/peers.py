"""The territory among its peers: Territoires d'industrie and former coal basins of Occitanie.

Territoires d'industrie (TI) are lists of member SIREN (table ``territoires_industrie``): mostly EPCI,
a few wave-1 communes (SIREN starting with 21) and établissements publics territoriaux of the Grand Paris,
which have no commune composition here. The functions below resolve members into COG 2023 communes,
map a group of communes to its dominant zone, aggregate member rates, and rank a value among peers.
"""

from __future__ import annotations

import pandas as pd

from alesbook.indicators import annual_mean, find_by_name, quarterly_series

#: The former coal basins of Occitanie, as EPCI of 2023: the Cévennes basin (Alès Agglomération), the
#: Aveyron basin (Decazeville Communauté) and the Carmaux basin (Carmausin-Ségala). The book's choice:
#: the EPCI holding the main pits of each basin of the Houillères de bassin du Centre-Midi in Occitanie;
#: no source of the fact sheet lists them.
COAL_BASINS_OCCITANIE = ("EPCI:200066918", "EPCI:200067064", "EPCI:200040905")
#: Group columns of a member table.
GROUP = ["wave", "ti_id", "ti_name"]


def member_kind(siren: pd.Series, epci_codes) -> pd.Series:
    """'EPCI' for a SIREN of an EPCI of 2023, 'COM' for a commune SIREN (21…), None otherwise."""
    kind = pd.Series(None, index=siren.index, dtype="object")
    kind[siren.str.startswith("21")] = "COM"
    kind[siren.isin(set(epci_codes))] = "EPCI"
    return kind


def member_communes(members: pd.DataFrame, composition: pd.DataFrame) -> pd.DataFrame:
    """The COG 2023 communes of every member of every group.

    `members`: rows wave, ti_id, ti_name, siren, member_name (the ``territoires_industrie`` layout).
    An EPCI member brings its communes of 2023; a commune member (SIREN ``21DD…``, DD its
    département) is found by its name among the communes of that département (accents, case and
    hyphens ignored). Result: one row per group and commune (wave, ti_id, ti_name, siren, kind, com);
    members that cannot be resolved (e.g. Grand Paris EPT, a commune merged since) have kind None
    and com missing, so that the caller can count them.
    """
    members = members.assign(kind=member_kind(members["siren"], composition["epci"].dropna()))
    epci = members[members["kind"] == "EPCI"].merge(
        composition[["epci", "com"]], left_on="siren", right_on="epci").drop(columns="epci")
    communes = composition.set_index("com")
    found = []
    for _, row in members[members["kind"] == "COM"].iterrows():
        candidates = communes.loc[communes["dep"].str[:2] == row["siren"][2:4], "com_name"]
        try:
            found.append({**row.to_dict(), "com": find_by_name(candidates, row["member_name"])})
        except KeyError:
            found.append({**row.to_dict(), "kind": None, "com": None})
    other = members[members["kind"].isna()].assign(com=None)
    rows = pd.concat([epci, pd.DataFrame(found, columns=[*members.columns, "com"]), other], ignore_index=True)
    return rows[[*GROUP, "siren", "kind", "com"]].sort_values([*GROUP, "siren", "com"], ignore_index=True)


def commune_weights(composition: pd.DataFrame, epci_population: pd.Series,
                    commune_population: pd.Series | None = None) -> pd.Series:
    """A population weight for every commune of `composition`, indexed by commune code.

    The commune's own population where `commune_population` has it (e.g. the census of Occitanie),
    else its EPCI's population (`epci_population`, by SIREN) shared equally among the EPCI's
    communes; missing when neither is known.
    """
    per_commune = composition["epci"].map(epci_population) / composition.groupby("epci")["com"].transform("size")
    weights = pd.Series(per_commune.to_numpy(dtype=float), index=composition["com"].to_numpy())
    if commune_population is not None:
        known = weights.index.to_series().map(commune_population)
        weights = known.where(known.notna(), weights)
    return weights.rename("weight")


def dominant_zone(communes: pd.DataFrame, zone: pd.Series, weights: pd.Series, by=GROUP) -> pd.DataFrame:
    """For each group of communes, the zone holding most of its weight, and that share.

    `communes`: rows `by` + com; `zone` and `weights`: Series indexed by commune code. Result: `by`,
    zone, share (weight of the dominant zone over the group's weight, 1 when the group lies in one
    zone; a tie goes to the smallest zone code). Communes without a zone or a weight are left out.
    """
    rows = communes.assign(zone=communes["com"].map(zone), weight=communes["com"].map(weights))
    rows = rows.dropna(subset=["zone", "weight"])
    by_zone = rows.groupby([*by, "zone"], as_index=False)["weight"].sum()
    total = by_zone.groupby(by)["weight"].transform("sum")
    by_zone = by_zone.assign(share=by_zone["weight"] / total)
    best = by_zone.sort_values([*by, "weight", "zone"], ascending=[True] * len(by) + [False, True])
    return best.drop_duplicates(by).drop(columns="weight").reset_index(drop=True)


def weighted_mean(members: pd.DataFrame, values: pd.Series, weights: pd.Series, by=GROUP) -> pd.DataFrame:
    """Weighted mean of member values per group, with how many members had a value.

    `members`: rows `by` + siren (one per member); `values` and `weights`: Series indexed by SIREN.
    With a rate of persons weighted by those persons (e.g. a poverty rate by the persons of the
    ménages fiscaux), this is the group's rate exactly. Result: `by`, value, members (with a value and
    a weight), members_total.
    """
    rows = members.drop_duplicates([*by, "siren"])
    rows = rows.assign(value=rows["siren"].map(values), weight=rows["siren"].map(weights))
    total = rows.groupby(by).size().rename("members_total")
    rows = rows.dropna(subset=["value", "weight"])
    rows = rows.assign(product=rows["value"] * rows["weight"])
    sums = rows.groupby(by).agg(product=("product", "sum"), weight=("weight", "sum"), members=("siren", "size"))
    result = pd.DataFrame({"value": sums["product"] / sums["weight"], "members": sums["members"]})
    result = result.join(total, how="right")
    result["members"] = result["members"].fillna(0).astype(int)
    return result.reset_index()


def annual_change(frame: pd.DataFrame, start: int, end: int, relative: bool = False) -> pd.DataFrame:
    """Per code: value in `start`, in `end`, and the change (difference, or % with `relative`).

    `frame`: a tidy table of one variable with integer periods; a quarterly table (periods
    'YYYY-TQ') is first averaged over the calendar years with four quarters.
    """
    rows = []
    for code, group in frame.groupby("code"):
        if "-T" in str(group["period"].iloc[0]):
            values = annual_mean(quarterly_series(group, group["variable"].iloc[0]))
        else:
            values = group.set_index("period")["value"].dropna()
        first, last = values.get(start), values.get(end)
        rows.append({"code": code, "start": first, "end": last})
    result = pd.DataFrame(rows, columns=["code", "start", "end"]).astype({"start": float, "end": float})
    result["change"] = (result["end"] / result["start"] - 1) * 100 if relative else result["end"] - result["start"]
    return result


def rank_among(peers: pd.Series, value: float, descending: bool = True) -> dict:
    """Where `value` stands among the `peers` values (missing ones dropped).

    rank: 1 + the number of peers strictly above (below, if not `descending`); n: peers + 1 (the
    value itself); percentile: % of peers strictly below `value`.
    """
    peers = peers.dropna()
    above = int((peers > value).sum()) if descending else int((peers < value).sum())
    return {"rank": 1 + above, "n": len(peers) + 1, "percentile": 100 * float((peers < value).mean())}


def territory_members(territory, wave: str, data_dir=None) -> pd.DataFrame:
    """A territory as a group in the layout of `member_communes` (ti_id: the territory, ti_name: its name).

    Its member SIREN is its own code for an EPCI, else the EPCI of each of its communes (so that
    EPCI-level tables then describe those whole EPCI).
    """
    from alesbook import territories

    territory = territories.validate(territory, data_dir)
    communes = territories.communes(territory, data_dir)
    siren = territory.code if territory.level == "EPCI" else communes["epci"]
    return pd.DataFrame({"wave": wave, "ti_id": str(territory), "ti_name": territories.name_of(territory, data_dir),
                         "siren": siren, "kind": "EPCI", "com": communes["com"]})


def same_communes(groups: pd.DataFrame, communes, by=GROUP) -> list[tuple]:
    """The groups (tuples of `by` values) whose set of communes equals `communes`."""
    target = frozenset(communes)
    sets = groups.dropna(subset=["com"]).groupby(by)["com"].agg(frozenset)
    return [key for key, found in sets.items() if found == target]


#: Zones d'emploi 2020 codes start with their région's code; these are the overseas régions (01 to 06).
OVERSEAS_ZONE_PREFIXES = ("01", "02", "03", "04", "06")


def metropolitan_total(frame: pd.DataFrame) -> pd.Series:
    """Sum by period of a ZE2020 tidy table over the zones of France métropolitaine (interregional
    zones 00XX included, overseas zones left out); a period with a missing zone value is missing."""
    metro = frame[~frame["code"].str[:2].isin(OVERSEAS_ZONE_PREFIXES)]
    return metro.groupby("period")["value"].sum(min_count=1).where(metro.groupby("period")["value"].count()
                                                                    == metro.groupby("period")["code"].size())
