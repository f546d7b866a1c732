"""Verdicts on the claims of the starting book, from measured values: pure functions with stated rules.

Each function returns a `Verdict`: one of `VERDICTS` and a French sentence giving the reason, built
from the values, so that a new data vintage recomputes both. Values are passed as mappings from a
label (the level and year, in French, e.g. « commune d'Alès (2018) ») to a number (a percentage
unless said otherwise); missing values (NaN, None) are left out, never counted as zero.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import pandas as pd

from alesbook.figures import fr_number
from alesbook.phases import PHASES

CONFIRMED, QUALIFIED, CONTRADICTED, UNMEASURABLE = "confirmé", "nuancé", "contredit", "non mesurable"
VERDICTS = (CONFIRMED, QUALIFIED, CONTRADICTED, UNMEASURABLE)

#: Rule for « unemployment has fallen notably »: from the highest yearly rate since the start of the
#: third phase to the latest year, a fall of at least this many points and this many % of the rate.
NOTABLE_FALL_POINTS, NOTABLE_FALL_RELATIVE = 2.0, 15.0


@dataclass(frozen=True)
class Verdict:
    verdict: str
    reason: str

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; expected one of {VERDICTS}")


def _measured(values: Mapping) -> dict:
    return {k: float(v) for k, v in values.items() if v is not None and not math.isnan(float(v))}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _pct(value: float) -> str:
    return f"{fr_number(value, 1)}\u00a0%"


def _list(values: Mapping) -> str:
    items = [f"{_pct(v)} ({k})" for k, v in values.items()]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def threshold(values: Mapping, limit: float, above: bool = True, tolerance: float = 1.0,
              what: str = "la part") -> Verdict:
    """A claim « `what` is above (`above`) or below `limit` » against values at several levels.

    confirmé: every measured value is on the claimed side; contredit: none is, and every one misses
    by more than `tolerance` points; nuancé: in between (some hold, or the misses are within
    `tolerance`); non mesurable: no value.
    """
    values = _measured(values)
    side = "plus de" if above else "moins de"
    if not values:
        return Verdict(UNMEASURABLE, f"Aucune donnée ne mesure {what} au niveau du territoire.")
    holds = {k: (v > limit if above else v < limit) for k, v in values.items()}
    miss = {k: abs(v - limit) for k, v in values.items() if not holds[k]}
    listed = _list(values)
    if all(holds.values()):
        return Verdict(CONFIRMED, f"{_cap(what)} dépasse le seuil annoncé ({side} {_pct(limit)}) "
                       f"à tous les niveaux mesurés : {listed}." if above else
                       f"{_cap(what)} reste sous le seuil annoncé ({side} {_pct(limit)}) "
                       f"à tous les niveaux mesurés : {listed}.")
    if not any(holds.values()) and all(m > tolerance for m in miss.values()):
        return Verdict(CONTRADICTED, f"Aucun niveau mesuré ne vérifie « {side} {_pct(limit)} », même à "
                       f"{fr_number(tolerance, 1)} point près : {listed}.")
    return Verdict(QUALIFIED, f"Le seuil annoncé ({side} {_pct(limit)}) n'est pas vérifié partout ou "
                   f"seulement de justesse (à {fr_number(tolerance, 1)} point près) ; valeurs mesurées : {listed}.")


def approximately(values: Mapping, target: float, tolerance: float = 2.5, what: str = "la part") -> Verdict:
    """A claim « `what` is about `target` » against values at several levels.

    confirmé: every value within `tolerance` points of the target; contredit: every value farther
    than twice `tolerance`; nuancé: in between; non mesurable: no value.
    """
    values = _measured(values)
    if not values:
        return Verdict(UNMEASURABLE, f"Aucune donnée ne mesure {what} au niveau du territoire.")
    gaps = {k: abs(v - target) for k, v in values.items()}
    listed = _list(values)
    if all(g <= tolerance for g in gaps.values()):
        return Verdict(CONFIRMED, f"Le chiffre annoncé ({_pct(target)}) est retrouvé à "
                       f"{fr_number(tolerance, 1)} points près à tous les niveaux mesurés : {listed}.")
    if all(g > 2 * tolerance for g in gaps.values()):
        return Verdict(CONTRADICTED, f"Le chiffre annoncé ({_pct(target)}) s'écarte de plus de "
                       f"{fr_number(2 * tolerance, 1)} points de toutes les mesures : {listed}.")
    return Verdict(QUALIFIED, f"Le chiffre annoncé ({_pct(target)}) n'est retrouvé, à "
                   f"{fr_number(tolerance, 1)} points près, qu'à certains niveaux ; valeurs mesurées : {listed}.")


def notable_fall(yearly: pd.Series, since: int, points: float = NOTABLE_FALL_POINTS,
                 relative: float = NOTABLE_FALL_RELATIVE, what: str = "le taux de chômage") -> Verdict:
    """A claim « `what` has fallen notably » on a yearly series (index: years, values in %).

    Rule: from the highest value of the years from `since` on to the latest value, a fall of at least
    `points` points and `relative` % of the starting value is confirmé; a smaller fall is nuancé; no
    fall is contredit; fewer than two years from `since` is non mesurable.
    """
    values = yearly.dropna()
    values = values[values.index >= since]
    if len(values) < 2:
        return Verdict(UNMEASURABLE, f"Moins de deux années mesurées depuis {since}.")
    top_year, top = values.idxmax(), values.max()
    last_year, last = values.index[-1], values.iloc[-1]
    drop = top - last
    share = drop / top * 100 if top else float("nan")
    text = (f"{_cap(what)} passe de {_pct(top)} en {top_year} (son maximum depuis {since}) à "
            f"{_pct(last)} en {last_year}, soit {fr_number(drop, 1)} points et {_pct(share)} de moins")
    if last_year == top_year or drop <= 0:
        return Verdict(CONTRADICTED, f"{_cap(what)} n'a pas baissé depuis son maximum de "
                       f"{top_year} ({_pct(top)}) : {_pct(last)} en {last_year}.")
    if drop >= points and share >= relative:
        return Verdict(CONFIRMED, f"{text} : la baisse dépasse le seuil retenu ({fr_number(points, 0)} "
                       f"points et {_pct(relative)}).")
    return Verdict(QUALIFIED, f"{text} : une baisse, mais sous le seuil retenu ({fr_number(points, 0)} "
                   f"points et {_pct(relative)}).")


def higher_like_region(territory: Mapping, region: float, reference: float, margin: float = 1.0,
                       region_name: str = "la région", reference_name: str = "la France",
                       what: str = "le taux de pauvreté") -> Verdict:
    """A claim « `what` is comparatively high in the territory, as in its region ».

    confirmé: every territory value and the region's exceed the reference by more than `margin`
    points; nuancé: the territory does but the region does not; contredit: no territory value does;
    non mesurable: no territory value or no reference.
    """
    values = _measured(territory)
    if not values or reference is None or math.isnan(reference):
        return Verdict(UNMEASURABLE, f"Pas de mesure de {what} pour le territoire et sa référence.")
    listed = _list(values)
    high = [v > reference + margin for v in values.values()]
    region_high = region is not None and not math.isnan(region) and region > reference + margin
    where = f"{_pct(region)} pour {region_name}" if region is not None and not math.isnan(region) \
        else f"non mesuré pour {region_name}"
    if all(high) and region_high:
        return Verdict(CONFIRMED, f"{_cap(what)} dépasse celui de {reference_name} "
                       f"({_pct(reference)}) de plus de {fr_number(margin, 0)} point : {listed}, "
                       f"et {where}.")
    if not any(high):
        return Verdict(CONTRADICTED, f"{_cap(what)} ne dépasse pas celui de {reference_name} "
                       f"({_pct(reference)}) de plus de {fr_number(margin, 0)} point : {listed}.")
    return Verdict(QUALIFIED, f"{_cap(what)} n'est élevé qu'en partie par rapport à "
                   f"{reference_name} ({_pct(reference)}) : {listed} ; {where}.")


def both(first: Verdict, second: Verdict) -> Verdict:
    """The verdict on a claim made of two parts that must both hold.

    Any part contredit: contredit; both confirmé: confirmé; both non mesurable: non mesurable;
    otherwise nuancé (one part unverified or qualified). The reason joins the two reasons.
    """
    verdicts = {first.verdict, second.verdict}
    reason = f"{first.reason} {second.reason}"
    if CONTRADICTED in verdicts:
        return Verdict(CONTRADICTED, reason)
    if verdicts == {CONFIRMED}:
        return Verdict(CONFIRMED, reason)
    if verdicts == {UNMEASURABLE}:
        return Verdict(UNMEASURABLE, reason)
    return Verdict(QUALIFIED, reason)


def unmeasurable(measured: str, missing: str) -> Verdict:
    """A claim the data cannot test: what they do show (`measured`) and what they lack (`missing`)."""
    return Verdict(UNMEASURABLE, f"{measured} {missing}")


def turning_point(trough_year: int, peak_year: int, phases=PHASES, what: str = "la population") -> Verdict:
    """A periodisation claim against the turning point of a series (e.g. the population of the zone).

    The data cannot date reconversions; they can say whether the series turns from decline to growth
    inside one of the reconversion phases. nuancé if the trough after the peak falls in a reconversion
    phase (consistent, not a proof); non mesurable otherwise.
    """
    phase = next((p for p in phases if p.start <= trough_year < p.end), None)
    if phase is None or phase.key == "mine" or trough_year <= peak_year:
        return Verdict(UNMEASURABLE, f"Le point bas de {trough_year} ne tombe dans aucune phase de "
                       "reconversion : les séries ne datent pas les phases.")
    return Verdict(QUALIFIED, f"{_cap(what)} culmine en {peak_year} et touche son point bas en "
                   f"{trough_year}, pendant la phase « {phase.label} » : compatible avec la "
                   "périodisation, sans la démontrer, car aucune série ne date les reconversions elles-mêmes.")
