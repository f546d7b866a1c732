"""Benchmark of the book build on this machine, against Jupyter Book executing the notebooks itself.

    .venv/bin/python benchmarks/bench_build.py [--pdf]

Measures, in a temporary output folder and on a temporary copy of the tidy tables:
  1. a clean build: every notebook executed (Papermill, in parallel) + the HTML book;
  2. a rebuild with nothing changed;
  3. a rebuild after one tidy table changed (the notebooks that load it re-execute, the others not);
  4. the PDF book (with --pdf);
  5. the baseline: `jupyter-book build` executing the same notebooks itself (execute_notebooks: force).
It prints the times and the ratios against the targets of the project.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHANGED_TABLE = "population_ze_1876"


def _timed(label, function):
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    print(f"{label:<48} {seconds:7.1f} s")
    return seconds, result


def _change_table(data_dir: Path, name: str) -> None:
    """Rewrite one table with one value changed, and its descriptor entry, as a new vintage would."""
    from alesbook import datasets
    from alesbook.sources._common import sha256

    descriptor_path = data_dir / datasets.DESCRIPTOR
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == name)
    table = datasets.load(name, data_dir=data_dir)
    table.loc[table.index[-1], "value"] += 1
    path = datasets.write_csv(table, data_dir / datasets.TABLES / f"{name}.csv")
    resource["hash"] = f"sha256:{sha256(path)}"
    descriptor_path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _baseline(out: Path) -> None:
    """Jupyter Book executing the source notebooks itself, in a staged copy of the book."""
    import yaml

    from alesbook import pipeline

    staging = pipeline.stage(out)
    try:
        for source in pipeline.notebook_paths():
            shutil.copyfile(source, staging / pipeline.EXECUTED / source.name)
        shutil.rmtree(staging / pipeline.EXECUTED / "figures", ignore_errors=True)
        config_path = staging / "_config.yml"
        config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
        config["execute"]["execute_notebooks"] = "force"
        config["sphinx"]["config"]["nb_execution_mode"] = "force"
        config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        env = {**os.environ, "ALESBOOK_FIGURE_DIR": str(staging / pipeline.EXECUTED / "figures")}
        jupyter_book = str(Path(sys.executable).with_name("jupyter-book"))
        subprocess.run([jupyter_book, "build", str(staging), "--builder", "html"], check=True,
                       capture_output=True, env=env)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", action="store_true", help="also time the PDF book")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="alesbook-bench-"))
    data = work / "data"
    shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("raw"))
    os.environ["ALESBOOK_DATA"] = str(data)  # read by alesbook.paths at import
    from alesbook import pipeline

    out = work / "out"
    out.mkdir()
    quiet = dict(progress=lambda message: None)
    try:
        print(f"benchmark of {len(pipeline.notebook_paths())} notebooks on {os.cpu_count()} cores, in {work}")
        clean, _ = _timed("clean build (execute + HTML)", lambda: (pipeline.run(out=out, force=True, **quiet),
                                                                  pipeline.book(out=out, pdf=False, **quiet)))
        unchanged, _ = _timed("rebuild, nothing changed", lambda: (pipeline.run(out=out, **quiet),
                                                                 pipeline.book(out=out, pdf=False, **quiet)))
        _change_table(data, CHANGED_TABLE)
        changed, (report, _) = _timed(f"rebuild after {CHANGED_TABLE} changed",
                                      lambda: (pipeline.run(out=out, **quiet),
                                               pipeline.book(out=out, pdf=False, **quiet)))
        rerun = sorted(stem for stem, status in report.items() if status != "cached")
        print(f"  re-executed: {', '.join(rerun) or 'none'}; cached: "
              f"{', '.join(sorted(s for s, v in report.items() if v == 'cached')) or 'none'}")
        if args.pdf:
            _timed("PDF book", lambda: pipeline.book(out=out, html=False, force=True, **quiet))
        baseline, _ = _timed("baseline: jupyter-book executing the notebooks", lambda: _baseline(out))
        print()
        print(f"clean build / baseline       = {clean / baseline:5.2f}   (target <= 0.6)")
        print(f"nothing changed              = {unchanged:5.1f} s (target < 3 s)")
        print(f"one table changed / clean    = {changed / clean:5.2f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
