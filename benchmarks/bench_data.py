"""Benchmark of the data layer: `alesbook data build` on every staged source (into a temporary folder),
`alesbook data check`, and `alesbook.load` of each table.

    .venv/bin/python benchmarks/bench_data.py

Targets on a 2-core machine: build under 60 s, check under 2 s, any load under 0.5 s.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from alesbook import datasets


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        descriptor = datasets.build(out_dir=Path(tmp), progress=lambda message: None)
        print(f"data build ({len(descriptor['resources'])} tables)   {time.perf_counter() - start:6.1f} s   (target < 60 s)")
    start = time.perf_counter()
    problems = datasets.check()
    print(f"data check                    {time.perf_counter() - start:6.2f} s   (target < 2 s)"
          + (f"; {len(problems)} problems" if problems else ""))
    slowest = (0.0, "")
    for resource in datasets.descriptor()["resources"]:
        start = time.perf_counter()
        datasets.load(resource["name"])
        slowest = max(slowest, (time.perf_counter() - start, resource["name"]))
    print(f"slowest load ({slowest[1]})  {slowest[0]:6.2f} s   (target < 0.5 s)")


if __name__ == "__main__":
    main()
