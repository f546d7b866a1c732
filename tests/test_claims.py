"""Verdict rules on the claims, with hand-made cases for each verdict."""

import pandas as pd
import pytest

from alesbook import claims
from alesbook.phases import Phase


def test_threshold_above_each_verdict():
    assert claims.threshold({"a": 26.0, "b": 30.0}, 25).verdict == "confirmé"
    assert claims.threshold({"a": 26.0, "b": 24.5}, 25).verdict == "nuancé"  # one holds
    assert claims.threshold({"a": 24.5}, 25, tolerance=1).verdict == "nuancé"  # misses by 0.5 <= 1
    assert claims.threshold({"a": 20.0, "b": 23.0}, 25, tolerance=1).verdict == "contredit"
    assert claims.threshold({"a": float("nan"), "b": None}, 25).verdict == "non mesurable"
    assert claims.threshold({}, 25).verdict == "non mesurable"


def test_threshold_below_and_reason_lists_the_values_in_french():
    verdict = claims.threshold({"commune (2018)": 18.04}, 15, above=False, tolerance=1)
    assert verdict.verdict == "contredit"
    assert "18,0\u00a0% (commune (2018))" in verdict.reason
    assert claims.threshold({"x": 14.0}, 15, above=False).verdict == "confirmé"
    assert claims.threshold({"x": 25.0}, 25).verdict == "nuancé"  # equal is not « more than », but near


def test_approximately_each_verdict():
    assert claims.approximately({"a": 27.0, "b": 23.0}, 25, tolerance=2.5).verdict == "confirmé"
    assert claims.approximately({"a": 27.0, "b": 30.6}, 25, tolerance=2.5).verdict == "nuancé"
    assert claims.approximately({"a": 31.0, "b": 18.0}, 25, tolerance=2.5).verdict == "contredit"
    assert claims.approximately({}, 25).verdict == "non mesurable"


def test_notable_fall_each_verdict():
    years = [2010, 2011, 2012, 2013]
    confirmed = claims.notable_fall(pd.Series([12.0, 16.0, 14.0, 12.0], index=years), since=2010)
    assert confirmed.verdict == "confirmé"  # 16 -> 12: 4 points, 25 %
    assert "4,0 points" in confirmed.reason and "25,0\u00a0%" in confirmed.reason
    # 10 -> 8.5: 1.5 point (< 2), 15 %: a fall below the rule
    assert claims.notable_fall(pd.Series([10.0, 9.0, 8.5], index=years[:3]), since=2010).verdict == "nuancé"
    # 20 -> 17.5: 2.5 points but 12.5 % (< 15 %)
    assert claims.notable_fall(pd.Series([20.0, 17.5], index=years[:2]), since=2010).verdict == "nuancé"
    assert claims.notable_fall(pd.Series([8.0, 9.0, 10.0], index=years[:3]), since=2010).verdict == "contredit"
    # years before `since` are ignored: the 2009 peak does not count
    early = pd.Series([20.0, 10.0, 11.0], index=[2009, 2010, 2011])
    assert claims.notable_fall(early, since=2010).verdict == "contredit"
    assert claims.notable_fall(pd.Series([9.0], index=[2010]), since=2010).verdict == "non mesurable"


def test_higher_like_region_each_verdict():
    assert claims.higher_like_region({"t": 22.0}, region=17.0, reference=14.5).verdict == "confirmé"
    assert claims.higher_like_region({"t": 22.0}, region=15.0, reference=14.5).verdict == "nuancé"
    assert claims.higher_like_region({"t": 22.0, "u": 15.0}, region=17.0, reference=14.5).verdict == "nuancé"
    assert claims.higher_like_region({"t": 15.0}, region=17.0, reference=14.5).verdict == "contredit"
    assert claims.higher_like_region({"t": None}, region=17.0, reference=14.5).verdict == "non mesurable"


def test_both_parts_must_hold():
    yes, partly = claims.Verdict("confirmé", "A."), claims.Verdict("nuancé", "B.")
    no, unknown = claims.Verdict("contredit", "C."), claims.Verdict("non mesurable", "D.")
    assert claims.both(yes, yes).verdict == "confirmé"
    assert claims.both(yes, partly).verdict == "nuancé"
    assert claims.both(yes, unknown).verdict == "nuancé"
    assert claims.both(unknown, no).verdict == "contredit"
    assert claims.both(unknown, unknown).verdict == "non mesurable"
    assert claims.both(yes, no).reason == "A. C."


def test_unmeasurable_and_turning_point():
    assert claims.unmeasurable("X.", "Y.") == claims.Verdict("non mesurable", "X. Y.")
    phases = (Phase("mine", "Mines", 1800, 1970, "#000"), Phase("phase2", "Deuxième", 1990, 2010, "#000"))
    assert claims.turning_point(1999, 1954, phases).verdict == "nuancé"
    assert "Deuxième" in claims.turning_point(1999, 1954, phases).reason
    assert claims.turning_point(1962, 1954, phases).verdict == "non mesurable"  # mining era
    assert claims.turning_point(1980, 1954, phases).verdict == "non mesurable"  # in no phase


def test_unknown_verdict_is_rejected():
    with pytest.raises(ValueError):
        claims.Verdict("vrai", "")
