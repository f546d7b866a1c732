"""Territories: a level and an official code, e.g. ``Territory.parse("EPCI:200066918")``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from alesbook.errors import TerritoryError

#: Level -> pattern of a valid code at that level.
LEVELS = {
    "COM": r"\d[\dAB]\d{3}",
    "EPCI": r"\d{9}",
    "ZE2020": r"\d{4}",
    "ZE2010": r"\d{4}",
    "ZE1990": r"\d{4}",
    "DEP": r"\d[\dAB]|\d{3}",
    "REG": r"\d{2}",
    "FR": r"FR|METRO",
}


@dataclass(frozen=True, order=True)
class Territory:
    level: str
    code: str

    @classmethod
    def parse(cls, text: str) -> "Territory":
        """Parse ``LEVEL:CODE``; a malformed text or code raises TerritoryError."""
        if isinstance(text, Territory):
            return text
        level, sep, code = str(text).strip().partition(":")
        level = level.upper()
        if not sep or level not in LEVELS:
            raise TerritoryError(
                f"malformed territory {text!r}: expected LEVEL:CODE with LEVEL in {sorted(LEVELS)}, "
                "e.g. EPCI:200066918"
            )
        if not re.fullmatch(LEVELS[level], code):
            raise TerritoryError(f"malformed {level} code {code!r} in {text!r}")
        return cls(level, code)

    def __str__(self) -> str:
        return f"{self.level}:{self.code}"
