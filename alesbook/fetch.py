"""`alesbook data fetch`: download the official raw files listed in data/raw_registry.csv, verified.

Each registry row names a raw file (folder, file), its sha256 and byte count, and where to get it:
`url` (the producer's file, or a byte copy named by the folder's MANIFEST.md when no producer URL
is known), optionally `member` (the file is this member of the zip at `url`), `mirror` (a byte
copy tried when `url` fails or serves another vintage), and `page` + `note` for files that have
no direct URL (subsets made for this project): those are reported with where to get them.

A download goes to a temporary file in the target folder and is renamed only once its sha256
matches: a truncated, altered or newer file never replaces or stands in for the known vintage.
"""

from __future__ import annotations

import csv
import logging
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pooch
import requests

from alesbook import paths
from alesbook.errors import AlesbookError, SourceError
from alesbook.sources._common import sha256

#: The committed registry of raw files (generated once from the MANIFEST.md files).
REGISTRY = paths.ROOT / "data" / "raw_registry.csv"
COLUMNS = ["folder", "file", "member", "bytes", "sha256", "url", "mirror", "page", "note"]


@dataclass(frozen=True)
class RawFile:
    """One raw file of the registry."""

    folder: str
    file: str
    member: str  #: member of the zip at `url` that is this file; empty when `url` is the file itself
    bytes: int
    sha256: str
    url: str
    mirror: str  #: byte copy of the file itself, tried after `url`
    page: str
    note: str

    @property
    def name(self) -> str:
        return f"{self.folder}/{self.file}"


def registry(path=None) -> list[RawFile]:
    """The rows of the registry (default REGISTRY); a SourceError if its header is not COLUMNS."""
    path = Path(path) if path else REGISTRY
    if not path.is_file():
        raise SourceError("registry of raw files not found", file=path)
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise SourceError(f"registry columns {reader.fieldnames} differ from {COLUMNS}", file=path)
        return [RawFile(**{**row, "bytes": int(row["bytes"])}) for row in reader]


def fetch(to=None, only=None, registry_path=None, progress=print) -> list[Path]:
    """Download and verify the raw files of the registry (of the folders `only`) into `to`.

    `to` defaults to data/raw/, `registry_path` to REGISTRY. Files already present with the right sha256 are kept. Every file
    is attempted; then an AlesbookError lists the files that could not be fetched (download
    refused or failed, or no direct URL: the message says which page to get them from and where
    to put them). Returns the paths of the verified files.
    """
    to = Path(to) if to else paths.ROOT / "data" / "raw"
    entries = registry(registry_path)
    if only:
        unknown = sorted(set(only) - {e.folder for e in entries})
        if unknown:
            known = sorted({e.folder for e in entries})
            raise SourceError(f"unknown raw folder(s) {unknown}; known folders: {known}")
        entries = [e for e in entries if e.folder in only]
    done, problems = [], []
    for entry in entries:
        target = to / entry.folder / entry.file
        if target.is_file():
            if sha256(target) == entry.sha256:
                progress(f"present, sha256 verified: {entry.name}")
                done.append(target)
                continue
            progress(f"{target}: sha256 differs from the registry; fetching the known vintage again")
        sources = [(u, m) for u, m in ((entry.url, entry.member), (entry.mirror, "")) if u]
        if not sources:
            problems.append(f"{target}: no direct download URL; download it from {entry.page} "
                            f"({entry.note}) and put it at {target} (sha256 {entry.sha256})")
            continue
        errors = []
        for url, member in sources:
            try:
                _download(entry, url, member, target)
            except SourceError as exc:
                errors.append(str(exc))
                progress(f"not fetched: {exc}")
                continue
            progress(f"fetched, sha256 verified: {entry.name} from {url}")
            done.append(target)
            break
        else:
            problems.append("\n  ".join(errors))
    if problems:
        raise AlesbookError(f"{len(problems)} raw file(s) not fetched:\n" + "\n".join(problems))
    return done


def _download(entry: RawFile, url: str, member: str, target: Path) -> None:
    """Download `url` (or its zip `member`) to `target` through a temporary file, verified."""
    target.parent.mkdir(parents=True, exist_ok=True)
    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        if member:
            _download_member(entry, url, member, target)
            return
        try:
            pooch.retrieve(url, known_hash=f"sha256:{entry.sha256}", fname=target.name,
                           path=target.parent, progressbar=False)
        except ValueError as exc:  # pooch deleted the temporary file whose hash did not match
            actual = re.search(r"but got ([0-9a-f]{64})", str(exc))
            raise _mismatch(entry, url, target, actual[1] if actual else f"? ({exc})") from exc
        except requests.RequestException as exc:
            raise SourceError(f"download from {url} failed ({exc})", file=target) from exc
    finally:
        logger.setLevel(level)


def _download_member(entry: RawFile, url: str, member: str, target: Path) -> None:
    staging = Path(tempfile.mkdtemp(prefix=".fetch-", dir=target.parent))
    try:
        try:
            archive = pooch.retrieve(url, known_hash=None, fname="archive.zip", path=staging, progressbar=False)
        except requests.RequestException as exc:
            raise SourceError(f"download from {url} failed ({exc})", file=target) from exc
        extracted = staging / target.name
        try:
            with zipfile.ZipFile(archive) as package, package.open(member) as src, open(extracted, "wb") as dst:
                shutil.copyfileobj(src, dst)
        except (zipfile.BadZipFile, KeyError) as exc:
            raise SourceError(f"{url} is not a zip holding {member!r} ({exc})", file=target) from exc
        actual = sha256(extracted)
        if actual != entry.sha256:
            raise _mismatch(entry, f"{url} (member {member})", target, actual)
        os.replace(extracted, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _mismatch(entry: RawFile, url: str, target: Path, actual: str) -> SourceError:
    return SourceError(
        f"download from {url} refused: sha256 {actual} differs from the expected {entry.sha256} "
        f"(known vintage: {entry.bytes} bytes; the download is truncated, altered or another vintage); "
        "nothing was written",
        file=target,
    )
