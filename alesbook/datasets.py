"""The catalogue of tidy tables: build them from raw files, check them, load them."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from alesbook import paths
from alesbook.errors import DataCheckError, SourceError
from alesbook.sources import modules
from alesbook.sources._common import TIDY_COLUMNS, finish, sha256

DESCRIPTOR = "datapackage.json"
TABLES = "tables"
#: Environment variable naming a file where `load` records which tables a notebook read (for the cache).
LOAD_LOG_ENV = "ALESBOOK_LOAD_LOG"

_FIELD_TYPES = {"i": "integer", "u": "integer", "f": "number", "b": "boolean"}
#: Tables whose CSV is larger than this are stored gzip-compressed (NAME.csv.gz) to keep the repository light.
GZIP_ABOVE_BYTES = 5_000_000


def _field_type(series: pd.Series) -> str:
    return _FIELD_TYPES.get(series.dtype.kind, "string")


def catalogue() -> dict:
    """Table name -> source module."""
    return {module.SOURCE.name: module for module in modules()}


def _resource(module, frame: pd.DataFrame, table: Path, raw_dir: Path) -> dict:
    source = module.SOURCE
    folder = Path(raw_dir) / source.folder
    resource = {
        "name": source.name,
        "path": f"{TABLES}/{table.name}",
        "title": source.title,
        "description": source.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        **({"compression": "gz"} if table.suffix == ".gz" else {}),
        "bytes": table.stat().st_size,
        "hash": f"sha256:{sha256(table)}",
        "schema": {
            "fields": [{"name": c, "type": _field_type(frame[c])} for c in frame.columns],
            "primaryKey": list(source.key),
        },
        "sources": [{"title": source.producer, "path": source.url}],
        "licenses": [source.licence],
        "attribution": source.attribution,
        "vintage": source.vintage,
        "coverage": source.coverage,
        "notes": list(source.notes),
        "raw_folder": source.folder,
        "raw_files": [
            {"path": name, "sha256": sha256(folder / name)} for name in source.files
        ],
        "rows": len(frame),
    }
    if "value" in frame.columns:
        resource["missing_values"] = int(frame["value"].isna().sum())
    return resource


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Deterministic CSV: UTF-8, LF line ends, no index, numbers without float noise.

    A CSV over GZIP_ABOVE_BYTES is replaced by PATH.gz, compressed without a timestamp so that the
    same table always gives the same bytes. Returns the path written.
    """
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.12g")
    if path.stat().st_size <= GZIP_ABOVE_BYTES:
        return path
    packed = path.with_name(path.name + ".gz")
    with open(path, "rb") as plain, open(packed, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as compressed:
            shutil.copyfileobj(plain, compressed)
    path.unlink()
    return packed


def build(raw_dir=None, out_dir=None, only=None, progress=print) -> dict:
    """Read every official source, write the tidy tables and the descriptor; return the descriptor.

    Everything is written to a temporary folder first; the committed tables are replaced only when
    every source was read and validated.
    """
    raw_dir = Path(raw_dir) if raw_dir else paths.default_raw_dir()
    out_dir = Path(out_dir) if out_dir else paths.DATA_DIR
    if not raw_dir.is_dir():
        raise SourceError("raw data folder not found", file=raw_dir)
    selected = catalogue()
    if only:
        unknown = sorted(set(only) - set(selected))
        if unknown:
            raise DataCheckError(f"unknown table(s) {unknown}; known: {sorted(selected)}")
        selected = {name: selected[name] for name in only}
    previous = _read_descriptor(out_dir) if (out_dir / DESCRIPTOR).exists() else None
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", dir=out_dir))
    try:
        resources = {}
        for name, module in selected.items():
            frame = module.read(raw_dir / module.SOURCE.folder)
            frame = finish(frame, module.SOURCE)
            table = write_csv(frame, staging / f"{name}.csv")
            resources[name] = _resource(module, frame, table, raw_dir)
            missing = resources[name].get("missing_values", 0)
            progress(f"built {name}: {len(frame)} rows" + (f", {missing} missing values" if missing else ""))
        if previous and only:
            kept = {r["name"]: r for r in previous["resources"] if r["name"] not in resources}
            resources = {**kept, **resources}
        order = [n for n in catalogue() if n in resources]
        descriptor = _package([resources[n] for n in order])
        (out_dir / TABLES).mkdir(exist_ok=True)
        for name in selected:
            for suffix in (".csv", ".csv.gz"):
                target = out_dir / TABLES / f"{name}{suffix}"
                if (staging / target.name).exists():
                    os.replace(staging / target.name, target)
                elif target.exists():  # the table changed storage (plain <-> gzip)
                    target.unlink()
        tmp = staging / DESCRIPTOR
        tmp.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, out_dir / DESCRIPTOR)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return descriptor


def _package(resources: list) -> dict:
    return {
        "profile": "data-package",
        "name": "alesbook-data",
        "title": "Le bassin industriel d'Alès : tables de données",
        "description": "Tidy tables built by `alesbook data build` from official files (Insee, ANCT, IGN, Etalab).",
        "licenses": [
            {"name": "etalab-2.0", "title": "Licence Ouverte / Open Licence 2.0",
             "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
        ],
        "resources": resources,
    }


def _read_descriptor(data_dir: Path) -> dict:
    path = Path(data_dir) / DESCRIPTOR
    if not path.exists():
        raise DataCheckError(f"{path}: descriptor not found; run `alesbook data build`")
    return json.loads(path.read_text(encoding="utf-8"))


def descriptor(data_dir=None) -> dict:
    """The Frictionless data package descriptor of the tidy tables."""
    return _read_descriptor(Path(data_dir) if data_dir else paths.DATA_DIR)


def _resource_of(name: str, data_dir: Path) -> dict:
    resources = {r["name"]: r for r in _read_descriptor(data_dir)["resources"]}
    if name not in resources:
        raise DataCheckError(f"unknown table {name!r}; known tables: {sorted(resources)}")
    return resources[name]


def check(data_dir=None) -> list[str]:
    """Problems found in the tidy tables (sha256, header against schema); empty when all is well."""
    data_dir = Path(data_dir) if data_dir else paths.DATA_DIR
    problems = []
    for resource in _read_descriptor(data_dir)["resources"]:
        problems.extend(_problems(resource, data_dir))
    return problems


def _problems(resource: dict, data_dir: Path) -> list[str]:
    path = data_dir / resource["path"]
    if not path.exists():
        return [f"{path}: table missing; run `alesbook data build`"]
    problems = []
    expected = [f["name"] for f in resource["schema"]["fields"]]
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split(",")
    if header != expected:
        problems.append(f"{path}: header {header} does not match the schema {expected}")
    digest = f"sha256:{sha256(path)}"
    if digest != resource["hash"]:
        problems.append(
            f"{path}: sha256 differs from data/{DESCRIPTOR} (edited by hand?); rebuild it with "
            f"`alesbook data build --only {resource['name']}`"
        )
    return problems


def record_use(name: str) -> None:
    """Note, for the execution cache of `alesbook run`, that the running notebook used input NAME.

    NAME is a table of the descriptor, or `file:PATH` for another committed input (PATH relative to
    the repository), whose sha256 the cache then watches.
    """
    log = os.environ.get(LOAD_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{name}\n")


def input_digest(name: str, data_dir=None) -> str | None:
    """The current digest of an input recorded by `record_use`; None when it no longer exists."""
    if name.startswith("file:"):
        path = paths.ROOT / name[len("file:"):]
        return f"sha256:{sha256(path)}" if path.exists() else None
    resources = {r["name"]: r["hash"] for r in descriptor(data_dir)["resources"]}
    return resources.get(name)


#: Tables already read and validated in this process, by (path, size, modification time).
_LOADED: dict = {}


def _read_table(name: str, data_dir: Path) -> pd.DataFrame:
    """Read and validate a table once per process (and again when its file changes on disk)."""
    resource = _resource_of(name, data_dir)
    path = data_dir / resource["path"]
    stat = path.stat() if path.exists() else None
    key = (str(path), resource["hash"], stat and stat.st_size, stat and stat.st_mtime_ns)
    if key not in _LOADED:
        problems = _problems(resource, data_dir)
        if problems:
            raise DataCheckError("; ".join(problems))
        dtypes = {
            f["name"]: {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean"}[f["type"]]
            for f in resource["schema"]["fields"]
        }
        strings = [c for c, t in dtypes.items() if t == "string"]
        _LOADED[key] = pd.read_csv(path, dtype=dtypes, keep_default_na=False,
                                   na_values={c: [""] for c in dtypes if c not in strings})
    return _LOADED[key].copy()


def load(name: str, territory=None, data_dir=None) -> pd.DataFrame:
    """A validated tidy table; with `territory` ("EPCI:200066918" or a Territory), only its rows."""
    data_dir = Path(data_dir) if data_dir else paths.DATA_DIR
    frame = _read_table(name, data_dir)
    record_use(name)
    if territory is not None:
        from alesbook.territories import Territory

        territory = Territory.parse(territory) if isinstance(territory, str) else territory
        if not {"level", "code"} <= set(frame.columns):
            raise DataCheckError(f"table {name!r} has no level/code columns to select a territory")
        frame = frame[(frame["level"] == territory.level) & (frame["code"] == territory.code)]
        frame = frame.reset_index(drop=True)
    return frame


__all__ = ["TIDY_COLUMNS", "build", "catalogue", "check", "descriptor", "load", "write_csv"]
