"""`alesbook data fetch` against a local HTTP server (never the internet), and the committed registry."""

from __future__ import annotations

import csv
import hashlib
import http.server
import io
import os
import re
import threading
import zipfile
from functools import partial
from pathlib import Path

import pytest

from alesbook import cli, fetch, paths
from alesbook.errors import AlesbookError, SourceError
from alesbook.sources import modules

GOOD = b"CODGEO;VALUE\n30007;1\n" * 50
MEMBER = b"fake xlsx bytes of the member\n" * 40


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the fixture folder; /truncated/NAME announces more bytes than it sends."""

    def do_GET(self):
        self.server.requests.append(self.path)
        if self.path.startswith("/truncated/"):
            self.send_response(200)
            self.send_header("Content-Length", str(len(GOOD) + 1000))
            self.end_headers()
            self.wfile.write(GOOD)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    """(base URL, served folder, list of requested paths) of a server on a free port of 127.0.0.1."""
    served = tmp_path / "served"
    served.mkdir()
    (served / "good.csv").write_bytes(GOOD)
    (served / "altered.csv").write_bytes(GOOD.replace(b"30007", b"30008"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("Documentation.txt", "notes")
        package.writestr("inner.xlsx", MEMBER)
    (served / "package.zip").write_bytes(buffer.getvalue())
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(served)))
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", served, httpd.requests
    httpd.shutdown()
    httpd.server_close()


def write_registry(path: Path, rows: list[dict]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fetch.COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in fetch.COLUMNS})
    return path


def row(file, data, url, **extra):
    return {"folder": "demo", "file": file, "bytes": len(data), "sha256": digest(data), "url": url,
            "page": "https://example.org/page", "note": "test", **extra}


def files_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_good_file_is_fetched_and_verified(server, tmp_path):
    base, _, requests = server
    registry = write_registry(tmp_path / "r.csv", [row("good.csv", GOOD, f"{base}/good.csv")])
    out = tmp_path / "raw"
    done = fetch.fetch(to=out, registry_path=registry, progress=lambda m: None)
    assert done == [out / "demo" / "good.csv"]
    assert (out / "demo" / "good.csv").read_bytes() == GOOD
    assert files_in(out) == [out / "demo" / "good.csv"]  # no temporary file left
    assert requests == ["/good.csv"]


def test_present_verified_file_is_not_downloaded_again(server, tmp_path):
    base, _, requests = server
    registry = write_registry(tmp_path / "r.csv", [row("good.csv", GOOD, f"{base}/good.csv")])
    out = tmp_path / "raw"
    fetch.fetch(to=out, registry_path=registry, progress=lambda m: None)
    messages = []
    fetch.fetch(to=out, registry_path=registry, progress=messages.append)
    assert requests == ["/good.csv"]
    assert messages == ["present, sha256 verified: demo/good.csv"]


@pytest.mark.parametrize("path", ["altered.csv", "truncated/good.csv"])
def test_altered_or_truncated_file_is_refused_and_nothing_left(server, tmp_path, path):
    base, _, _ = server
    url = f"{base}/{path}"
    registry = write_registry(tmp_path / "r.csv", [row("good.csv", GOOD, url)])
    out = tmp_path / "raw"
    with pytest.raises(AlesbookError) as error:
        fetch.fetch(to=out, registry_path=registry, progress=lambda m: None)
    message = str(error.value)
    assert "good.csv" in message and url in message
    if path == "altered.csv":  # names the expected and the actual sha256
        altered = GOOD.replace(b"30007", b"30008")
        assert digest(GOOD) in message and digest(altered) in message
    assert files_in(out) == []


def test_cli_exits_non_zero_on_a_refused_file(server, tmp_path, monkeypatch, capsys):
    base, _, _ = server
    registry = write_registry(tmp_path / "r.csv", [row("good.csv", GOOD, f"{base}/altered.csv")])
    monkeypatch.setattr(fetch, "REGISTRY", registry)
    assert cli.main(["data", "fetch", "--to", str(tmp_path / "raw")]) == 1
    err = capsys.readouterr().err
    assert "refused" in err and digest(GOOD) in err and "1 raw file(s) not fetched" in err
    assert files_in(tmp_path / "raw") == []


def test_a_present_altered_file_is_replaced_by_the_verified_download(server, tmp_path):
    base, _, _ = server
    registry = write_registry(tmp_path / "r.csv", [row("good.csv", GOOD, f"{base}/good.csv")])
    target = tmp_path / "raw" / "demo" / "good.csv"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"edited by hand")
    fetch.fetch(to=tmp_path / "raw", registry_path=registry, progress=lambda m: None)
    assert target.read_bytes() == GOOD


def test_zip_member_is_extracted_and_verified(server, tmp_path):
    base, _, _ = server
    registry = write_registry(tmp_path / "r.csv", [
        row("inner.xlsx", MEMBER, f"{base}/package.zip", member="inner.xlsx"),
    ])
    out = tmp_path / "raw"
    fetch.fetch(to=out, registry_path=registry, progress=lambda m: None)
    assert files_in(out) == [out / "demo" / "inner.xlsx"]  # neither the zip nor a staging folder left
    assert (out / "demo" / "inner.xlsx").read_bytes() == MEMBER


@pytest.mark.parametrize("member, data", [("inner.xlsx", b"another vintage"), ("absent.xlsx", MEMBER)])
def test_wrong_or_missing_zip_member_is_refused(server, tmp_path, member, data):
    base, _, _ = server
    registry = write_registry(tmp_path / "r.csv", [
        row(member, data, f"{base}/package.zip", member=member),
    ])
    out = tmp_path / "raw"
    with pytest.raises(AlesbookError, match=re.escape(member)):
        fetch.fetch(to=out, registry_path=registry, progress=lambda m: None)
    assert files_in(out) == []
    assert [p.name for p in (out / "demo").iterdir()] == []  # staging folder removed


def test_mirror_is_used_when_the_producer_url_fails(server, tmp_path):
    base, _, requests = server
    registry = write_registry(tmp_path / "r.csv", [
        row("good.csv", GOOD, f"{base}/gone.csv", mirror=f"{base}/good.csv"),
    ])
    out = tmp_path / "raw"
    messages = []
    fetch.fetch(to=out, registry_path=registry, progress=messages.append)
    assert (out / "demo" / "good.csv").read_bytes() == GOOD
    assert requests == ["/gone.csv", "/good.csv"]
    assert any("gone.csv" in m and "failed" in m for m in messages)


def test_file_without_url_names_its_page_after_fetching_the_others(server, tmp_path):
    base, _, _ = server
    registry = write_registry(tmp_path / "r.csv", [
        row("subset.csv", b"subset", ""),
        row("good.csv", GOOD, f"{base}/good.csv"),
    ])
    out = tmp_path / "raw"
    with pytest.raises(AlesbookError) as error:
        fetch.fetch(to=out, registry_path=registry, progress=lambda m: None)
    message = str(error.value)
    assert "https://example.org/page" in message and str(out / "demo" / "subset.csv") in message
    assert (out / "demo" / "good.csv").read_bytes() == GOOD


def test_unknown_folder_is_an_error(tmp_path, capsys):
    registry = write_registry(tmp_path / "r.csv", [row("good.csv", GOOD, "http://127.0.0.1:9/x")])
    with pytest.raises(SourceError, match="unknown raw folder"):
        fetch.fetch(to=tmp_path / "raw", only=["nope"], registry_path=registry)
    assert cli.main(["data", "fetch", "--to", str(tmp_path / "raw"), "--only", "no_such_folder"]) == 1
    assert "no_such_folder" in capsys.readouterr().err
    assert not (tmp_path / "raw").exists()


# --- the committed registry -------------------------------------------------------------------

def manifest_files() -> dict:
    """(folder, file) -> (bytes, sha256) from the Files tables of the shared MANIFEST.md files."""
    found = {}
    for manifest in sorted(paths.SHARED_RAW.glob("*/MANIFEST.md")):
        table = manifest.read_text(encoding="utf-8").split("## Files", 1)[1]
        for line in table.splitlines():
            cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
            if len(cells) == 3 and re.fullmatch(r"[0-9a-f]{64}", cells[2]):
                found[(manifest.parent.name, cells[0])] = (int(cells[1].replace(",", "")), cells[2])
    return found


@pytest.fixture(scope="module")
def committed():
    return {(e.folder, e.file): e for e in fetch.registry()}


@pytest.mark.skipif(not paths.SHARED_RAW.is_dir(), reason="no shared raw folder")
def test_registry_lists_every_manifest_file_with_its_sha256(committed):
    expected = {k: v for k, v in manifest_files().items() if not k[1].startswith(("LICENSE", "README"))}
    assert len(expected) > 50
    assert set(committed) == set(expected)
    for key, (size, sha) in expected.items():
        assert (committed[key].bytes, committed[key].sha256) == (size, sha), key


def test_registry_covers_every_source_file(committed):
    for module in modules():
        source = module.SOURCE
        for name in source.files:
            key = tuple(os.path.normpath(os.path.join(source.folder, name)).split(os.sep, 1))
            assert key in committed, f"{source.name}: {key} not in data/raw_registry.csv"


def test_registry_rows_are_well_formed(committed):
    for entry in committed.values():
        assert re.fullmatch(r"[0-9a-f]{64}", entry.sha256) and entry.bytes > 0
        for url in (entry.url, entry.mirror, entry.page):
            assert url == "" or url.startswith("https://"), entry
            assert " " not in url, entry
        assert entry.url or entry.page, entry  # a way to get every file
        assert not entry.member or entry.url.endswith(".zip"), entry
