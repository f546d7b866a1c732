"""One reader per official source.

Each module `alesbook/sources/NAME.py` (not starting with `_`) defines `SOURCE` (a
`_common.Source`: provenance, key, notes) and `read(folder) -> DataFrame`, the tidy table built
from the raw files in `folder`. `alesbook.datasets` builds one table per module, in name order.
"""

from __future__ import annotations

import importlib
import pkgutil


def modules():
    """The source modules, sorted by name."""
    names = sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))
    return [importlib.import_module(f"{__name__}.{name}") for name in names]
