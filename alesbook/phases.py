"""The mining era and the three reconversion phases of the Alès basin (Granier, 2023)."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Phase:
    key: str
    label: str  #: French label shown on figures
    start: int  #: first year
    end: int  #: first year after the phase (exclusive)
    colour: str


_THIS_YEAR = _dt.date.today().year

#: The phases as the starting book periodises them: « 1970-1980, 1990-2000 et 2010-aujourd'hui »,
#: read as the decades 1970s-1980s, 1990s-2000s, 2010s to today; the mining era before them.
PHASES = (
    Phase("mine", "Ère minière", 1800, 1970, "#d9d9d9"),
    Phase("phase1", "1re reconversion (1970-1980)", 1970, 1990, "#fde0c5"),
    Phase("phase2", "2e reconversion (1990-2000)", 1990, 2010, "#d6e9f8"),
    Phase("phase3", "3e reconversion (2010-)", 2010, _THIS_YEAR + 1, "#dff2dc"),
)


def phase_of(year: int) -> Phase:
    """The phase a year belongs to."""
    for phase in PHASES:
        if phase.start <= year < phase.end:
            return phase
    raise ValueError(f"year {year} is outside the periods of the book ({PHASES[0].start}-{_THIS_YEAR})")
