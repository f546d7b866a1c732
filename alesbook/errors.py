"""Errors with a message that names where the problem is."""

from __future__ import annotations


class AlesbookError(Exception):
    """Base error of the package: its message is shown to the user as is."""


class SourceError(AlesbookError):
    """A raw official file that cannot be read as its documented layout says."""

    def __init__(self, message: str, *, file=None, sheet=None, column=None, row=None):
        self.file, self.sheet, self.column, self.row = file, sheet, column, row
        where = []
        if file is not None:
            where.append(f"file {file}")
        if sheet is not None:
            where.append(f"sheet {sheet!r}")
        if column is not None:
            where.append(f"column {column!r}")
        if row is not None:
            where.append(f"row {row}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class DataCheckError(AlesbookError):
    """A tidy table that does not match its descriptor (schema or sha256)."""


class TerritoryError(AlesbookError):
    """A territory code that is malformed or unknown."""


class NotebookError(AlesbookError):
    """A notebook whose execution failed."""
