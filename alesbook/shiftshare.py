"""Shift-share decomposition of the change in jobs of a local area between two years.

The change of each sector's local jobs, L1 - L0, splits into three effects measured against a
reference area (e.g. France):

- national effect: L0 × G, the change had the sector grown at the reference's overall rate G = R1/R0 - 1;
- sector-mix effect: L0 × (g - G), what the reference growth g = R1_s/R0_s - 1 of the sector adds or
  takes away compared with the overall rate (positive for sectors growing faster than the whole);
- local effect: (L1 - L0) - L0 × g, the rest: how much better or worse the sector did locally than in
  the reference.

The three effects sum to the actual change, sector by sector and in total.
"""

from __future__ import annotations

import pandas as pd

#: Columns of the result, in order.
COLUMNS = ["start", "end", "change", "national", "mix", "local"]
#: Label of the total row of the result.
TOTAL = "Total"


def _sectors(frame: pd.DataFrame, start, end, total) -> tuple[pd.DataFrame, pd.Series]:
    """Sector rows of the two years, and the totals of the two years (the `total` row or the sum)."""
    for year in (start, end):
        if year not in frame.columns:
            raise KeyError(f"year {year!r} not in the columns of the frame ({list(frame.columns)})")
    data = frame[[start, end]].astype(float)
    if data.isna().any().any():
        raise ValueError("missing jobs in the frame: " + ", ".join(map(str, data.index[data.isna().any(axis=1)])))
    if total is None:
        return data, data.sum()
    return data.drop(index=total), data.loc[total]


def shift_share(local: pd.DataFrame, reference: pd.DataFrame, start, end, total=None) -> pd.DataFrame:
    """National, sector-mix and local effects of the change in jobs of `local` between `start` and `end`.

    `local` and `reference`: jobs, one row per sector (the same labels in both) and one column per year.
    `total`: the label of a row holding the all-sector total (e.g. ``"TT"``), which then gives the
    reference's overall growth rate and is left out of the sectors; None: the totals are the sums of the
    sectors. Returns one row per sector and a last row ``"Total"``, with columns start and end (local
    jobs), change (end - start) and the three effects, national + mix + local = change.
    """
    local_sectors, _ = _sectors(local, start, end, total)
    reference_sectors, reference_total = _sectors(reference, start, end, total)
    missing = local_sectors.index.difference(reference_sectors.index)
    if len(missing):
        raise KeyError(f"sectors absent from the reference: {list(missing)}")
    reference_sectors = reference_sectors.loc[local_sectors.index]
    if (reference_sectors[start] <= 0).any() or reference_total[start] <= 0:
        raise ValueError(f"the reference has no jobs in {start} in some sector: growth rate undefined")
    overall = reference_total[end] / reference_total[start] - 1
    sector_growth = reference_sectors[end] / reference_sectors[start] - 1
    base = local_sectors[start]
    result = pd.DataFrame({
        "start": base,
        "end": local_sectors[end],
        "change": local_sectors[end] - base,
        "national": base * overall,
        "mix": base * (sector_growth - overall),
    })
    result["local"] = result["change"] - base * sector_growth
    result.loc[TOTAL] = result.sum()
    result.index.name = local.index.name
    return result[COLUMNS]
