"""Shift-share decomposition: the identity and a hand-computed case."""

import numpy as np
import pandas as pd
import pytest

from alesbook.shiftshare import shift_share


def _frame(rows):
    """Jobs by sector (rows) in 2000 and 2010 (columns)."""
    return pd.DataFrame.from_dict(rows, orient="index", columns=[2000, 2010]).rename_axis("sector")


LOCAL = _frame({"IND": [100, 80], "SER": [200, 240]})
# Reference: industry 1 000 -> 900 (-10 %), services 3 000 -> 3 600 (+20 %), total 4 000 -> 4 500 (+12.5 %).
REFERENCE = _frame({"IND": [1000, 900], "SER": [3000, 3600]})


def test_hand_computed_case():
    result = shift_share(LOCAL, REFERENCE, 2000, 2010)
    # Industry: national 100 × 0.125 = 12.5; mix 100 × (-0.10 - 0.125) = -22.5; local -20 - 100 × (-0.10) = -10.
    assert result.loc["IND", "national"] == pytest.approx(12.5)
    assert result.loc["IND", "mix"] == pytest.approx(-22.5)
    assert result.loc["IND", "local"] == pytest.approx(-10.0)
    # Services: national 200 × 0.125 = 25; mix 200 × (0.20 - 0.125) = 15; local 40 - 200 × 0.20 = 0.
    assert result.loc["SER", "national"] == pytest.approx(25.0)
    assert result.loc["SER", "mix"] == pytest.approx(15.0)
    assert result.loc["SER", "local"] == pytest.approx(0.0)
    # Total: change 20 = 37.5 - 7.5 - 10.
    assert result.loc["Total", ["start", "end", "change"]].tolist() == [300, 320, 20]
    assert result.loc["Total", "national"] == pytest.approx(37.5)
    assert result.loc["Total", "mix"] == pytest.approx(-7.5)
    assert result.loc["Total", "local"] == pytest.approx(-10.0)


def test_effects_sum_to_actual_change():
    rng = np.random.default_rng(0)
    sectors = list("ABCDE")
    local = pd.DataFrame(rng.integers(0, 5000, (5, 3)), index=sectors, columns=[1998, 2008, 2017])
    reference = pd.DataFrame(rng.integers(1000, 90000, (5, 3)), index=sectors, columns=[1998, 2008, 2017])
    for start, end in [(1998, 2008), (2008, 2017), (1998, 2017)]:
        result = shift_share(local, reference, start, end)
        assert np.allclose(result[["national", "mix", "local"]].sum(axis=1), result["change"])
        assert np.allclose(result.loc["Total", ["change", "national", "mix", "local"]],
                           result.drop(index="Total")[["change", "national", "mix", "local"]].sum())


def test_total_row_gives_reference_rate_and_is_dropped():
    local = pd.concat([LOCAL, _frame({"TT": [300, 320]})])
    reference = pd.concat([REFERENCE, _frame({"TT": [4000, 4500]})])
    result = shift_share(local, reference, 2000, 2010, total="TT")
    assert list(result.index) == ["IND", "SER", "Total"]
    assert result.loc["Total", "national"] == pytest.approx(37.5)


def test_local_sector_without_jobs_at_start_keeps_identity():
    local = _frame({"IND": [0, 50], "SER": [200, 240]})
    result = shift_share(local, REFERENCE, 2000, 2010)
    assert result.loc["IND", ["national", "mix"]].tolist() == [0, 0]
    assert result.loc["IND", "local"] == pytest.approx(50)


def test_bad_input():
    with pytest.raises(KeyError):
        shift_share(LOCAL, REFERENCE, 2000, 2020)
    with pytest.raises(KeyError):
        shift_share(_frame({"AGR": [5, 6]}), REFERENCE, 2000, 2010)
    with pytest.raises(ValueError):
        shift_share(LOCAL, _frame({"IND": [0, 900], "SER": [3000, 3600]}), 2000, 2010)
