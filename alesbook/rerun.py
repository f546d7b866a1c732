"""The whole book rerun for other territories: `alesbook territory EPCI:200067064 ... --out DIR`.

Each territory gets its own folder DIR/EPCI-<siren>/ with its executed notebooks (`alesbook run`) and
its book (`alesbook book`): DIR/EPCI-<siren>/_build/html and _build/pdf. In the staged copy of the
sources only, the book's title names the territory and every chapter marked as specific to Alès
opens with a notice saying what concerns Alès and what concerns the territory.
"""

from __future__ import annotations

import json
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

from alesbook import territories
from alesbook.errors import AlesbookError, TerritoryError

#: Comment put in a chapter's Markdown (under its title) when its subject is specific to Alès:
#: timeline of events, mining history, named firms.
ALES_SPECIFIC = "<!-- alesbook:ales-specific -->"
#: The communal tables (populations, census, jobs by function, Filosofi communes) cover this région only.
REGION = "76"
TITLE = "{name} : une histoire de reconversions, en données — déclinaison du livre sur le bassin d'Alès"
NOTICE = """
```{{admonition}} Déclinaison du livre pour {name}
:class: warning
Ce chapitre a été écrit pour le bassin d'Alès. Ses faits datés (événements, histoire minière,
entreprises citées) concernent le bassin d'Alès ; ses statistiques, figures et nombres recalculés
concernent {name}.
```
"""
INDEX_NOTICE = """
```{{admonition}} Déclinaison du livre pour {name}
:class: note
Cette édition reprend le livre écrit sur le bassin d'Alès et recalcule ses carnets pour {name}
({territory}) : les statistiques concernent ce territoire ; les chapitres consacrés à l'histoire d'Alès
le signalent en tête de page.
```
"""


def check(codes, data_dir=None) -> list[territories.Territory]:
    """The parsed territories, each an EPCI of Occitanie known to the COG 2023; otherwise TerritoryError.

    Called before any notebook runs, so that a bad code fails at once with a clear message.
    """
    if not codes:
        raise TerritoryError("no territory given: expected codes such as EPCI:200067064")
    checked = []
    for code in codes:
        territory = territories.validate(code, data_dir)
        if territory.level != "EPCI":
            raise TerritoryError(
                f"{territory}: the book reruns for an EPCI (e.g. EPCI:200067064); its chapters compare "
                "intercommunalities")
        regions = territories.communes(territory, data_dir)["reg"]
        if regions.ne(REGION).mean() > 0.5:
            raise TerritoryError(
                f"{territory} ({territories.name_of(territory, data_dir)}) is not in Occitanie: the book's "
                "communal tables (populations, census, jobs by function) cover Occitanie only, so it reruns "
                "for an EPCI of Occitanie")
        if territory in checked:
            raise TerritoryError(f"{territory} given twice")
        checked.append(territory)
    return checked


def folder_name(territory) -> str:
    """'EPCI-200067064': the territory's folder under the output folder."""
    return str(territories.Territory.parse(territory)).replace(":", "-")


def rerun(codes, out, html=True, pdf=True, force=False, jobs=None, progress=print) -> dict:
    """Run the notebooks and build the book for each territory, territories in parallel.

    Returns {territory: {"folder", "seconds", "built"}}; the first failure is raised after the other
    territories finished.
    """
    from alesbook import pipeline

    data_dir = pipeline.read_parameters().get("data_dir")
    checked = check(codes, data_dir)
    if pdf:
        pipeline._require_tex()
    out = Path(out)
    cores = os.cpu_count() or 1
    jobs = jobs or max(1, cores // len(checked))

    def one(territory):
        folder = out / folder_name(territory)
        say = lambda message: progress(f"[{territory}] {message}")  # noqa: E731
        start = time.perf_counter()
        pipeline.run(out=folder, overrides=[f"territory={territory}"], force=force, jobs=jobs, progress=say)
        built = pipeline.book(out=folder, html=html, pdf=pdf, force=force, progress=say)
        seconds = time.perf_counter() - start
        say(f"done in {seconds:.0f} s: {folder}")
        return {"folder": folder, "seconds": seconds, "built": built}

    results, errors = {}, []
    with ThreadPoolExecutor(max_workers=len(checked)) as pool:
        futures = {territory: pool.submit(one, territory) for territory in checked}
        for territory, future in futures.items():
            try:
                results[str(territory)] = future.result()
            except AlesbookError as exc:
                errors.append(f"{territory}: {exc}")
    if errors:
        raise AlesbookError("\n".join(errors))
    return results


def _insert_after_title(text: str, block: str) -> str:
    """`block` inserted under the first level-1 heading (at the top when there is none)."""
    match = re.search(r"^# .*$", text, re.M)
    at = match.end() + 1 if match else 0
    return text[:at] + block + text[at:]


def adapt_staging(staging: Path) -> list[Path]:
    """Name the run's territory in a staged copy of the book, when it is not the default one.

    Reads the run parameters from OUT/_executed/parameters.json (OUT: the staging folder's parent):
    the title of the staged _config.yml names the territory, the root page says whose book it is,
    and every chapter carrying the ALES_SPECIFIC marker opens with a notice. Returns the pages changed.
    """
    from alesbook import pipeline

    staging = Path(staging)
    recorded = staging.parent / pipeline.EXECUTED / pipeline.RUN_PARAMETERS
    if not recorded.exists():
        return []
    parameters = json.loads(recorded.read_text(encoding="utf-8"))
    territory = territories.Territory.parse(parameters["territory"])
    if territory == territories.Territory.parse(pipeline.read_parameters()["territory"]):
        return []
    name = territories.name_of(territory, parameters.get("data_dir"))
    config_path = staging / "_config.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["title"] = TITLE.format(name=name)
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    changed = [config_path]
    toc = yaml.safe_load((staging / "_toc.yml").read_text(encoding="utf-8"))
    root = staging / (toc["root"] + ".md")
    if root.exists():
        root.write_text(_insert_after_title(root.read_text(encoding="utf-8"),
                                            INDEX_NOTICE.format(name=name, territory=territory)), encoding="utf-8")
        changed.append(root)
    for page in sorted((staging / "book").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        if ALES_SPECIFIC in text:
            page.write_text(_insert_after_title(text, NOTICE.format(name=name)), encoding="utf-8")
            changed.append(page)
    return changed
