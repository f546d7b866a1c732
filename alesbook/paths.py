"""Where the repository keeps things."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(os.environ.get("ALESBOOK_DATA", ROOT / "data"))
SHARED_RAW = ROOT.parent / "shared" / "data" / "raw"


def default_raw_dir() -> Path:
    """`data/raw/` when it holds files, else `../shared/data/raw/` when that exists."""
    local = ROOT / "data" / "raw"
    if local.is_dir() and any(local.iterdir()):
        return local
    if SHARED_RAW.is_dir():
        return SHARED_RAW
    return local
