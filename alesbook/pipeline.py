"""Execute the notebooks with Papermill and build the book with Jupyter Book."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import yaml

from alesbook import datasets, figures, paths
from alesbook.errors import AlesbookError, NotebookError
from alesbook.territories import Territory

NOTEBOOKS = paths.ROOT / "notebooks"
PARAMETERS_FILE = paths.ROOT / "parameters.yml"
EXECUTED = "_executed"
CACHE_FILE = ".cache.json"
#: Written by `run` beside the executed notebooks: the parameters they were executed with.
RUN_PARAMETERS = "parameters.json"
HIDDEN_TAGS = ("parameters", "injected-parameters")
BOOK_SOURCES = ("_config.yml", "_toc.yml", "book")
PDF_NAME = "bassin-ales.pdf"
TEX_PACKAGES = ("texlive-xetex texlive-latex-extra texlive-fonts-recommended texlive-lang-french "
                "fonts-freefont-otf latexmk")


def read_parameters(overrides=(), path=PARAMETERS_FILE) -> dict:
    """The book's parameters from the YAML file, with `KEY=VALUE` overrides, validated."""
    parameters = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep:
            raise AlesbookError(f"--set {item!r}: expected KEY=VALUE")
        if key not in parameters:
            raise AlesbookError(f"--set {item!r}: unknown parameter {key!r}; known: {sorted(parameters)}")
        parameters[key] = yaml.safe_load(value)
    Territory.parse(parameters["territory"])
    return parameters


def notebook_paths(only=None) -> list[Path]:
    """The source notebooks, sorted; `only` keeps those whose stem is listed."""
    found = sorted(NOTEBOOKS.glob("*.ipynb"))
    if only:
        stems = {Path(name).stem for name in only}
        unknown = stems - {p.stem for p in found}
        if unknown:
            raise AlesbookError(f"unknown notebook(s) {sorted(unknown)}; known: {[p.stem for p in found]}")
        found = [p for p in found if p.stem in stems]
    return found


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


#: Modules that run the book but do not compute anything a notebook shows; the source readers
#: (alesbook/sources/) count through the tables they build.
NOT_ANALYSIS_CODE = {"pipeline.py", "cli.py", "__main__.py", "rerun.py", "fetch.py", "appendix.py", "citation.py"}


def code_digest() -> str:
    """Digest of the alesbook package source: a change of analysis code invalidates the cache."""
    package = paths.ROOT / "alesbook"
    files = sorted(f for f in package.rglob("*.py")
                   if f.name not in NOT_ANALYSIS_CODE and f.parent.name != "sources")
    return _digest(*(f.relative_to(paths.ROOT).as_posix().encode() + f.read_bytes() for f in files))


def _notebook_digest(path: Path) -> str:
    """Digest of a notebook's cells (sources and tags), ignoring outputs and execution metadata."""
    notebook = nbformat.read(path, as_version=4)
    cells = [(c.cell_type, c.source, c.get("metadata", {}).get("tags", [])) for c in notebook.cells]
    return _digest(json.dumps(cells, ensure_ascii=False).encode())


def execute(source: Path, target: Path, parameters: dict) -> list[str]:
    """Run one notebook with Papermill into `target`; return the tables it loaded.

    The parameter cells are tagged `remove-cell` so the book does not show them. A failing cell
    raises NotebookError naming the notebook, the cell and the error.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "loads.tsv"
        log.touch()
        partial = Path(tmp) / target.name
        os.environ[datasets.LOAD_LOG_ENV] = str(log)
        os.environ[figures.FIGURE_DIR_ENV] = str(target.parent / "figures")
        try:
            papermill.execute_notebook(
                str(source), str(partial), parameters=parameters, cwd=str(source.parent),
                progress_bar=False, kernel_name="python3",
            )
        except PapermillExecutionError as exc:
            raise NotebookError(
                f"notebook {source.name} failed at cell {exc.cell_index} (execution count {exc.exec_count}): "
                f"{exc.ename}: {exc.evalue}\nfull output kept in {_keep_failed(partial, target)}"
            ) from None
        finally:
            os.environ.pop(datasets.LOAD_LOG_ENV, None)
            os.environ.pop(figures.FIGURE_DIR_ENV, None)
        notebook = nbformat.read(partial, as_version=4)
        for cell in notebook.cells:
            tags = cell.get("metadata", {}).get("tags", [])
            if any(tag in tags for tag in HIDDEN_TAGS) and "remove-cell" not in tags:
                cell.metadata["tags"] = [*tags, "remove-cell"]
        nbformat.write(notebook, partial)
        os.replace(partial, target)
        return sorted({line for line in log.read_text().splitlines() if line})


def _keep_failed(partial: Path, target: Path) -> Path:
    failed = target.with_suffix(".failed.ipynb")
    if partial.exists():
        failed.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(partial, failed)
    return failed


def _execute_job(args):
    source, target, parameters = args
    start = time.perf_counter()
    tables = execute(Path(source), Path(target), parameters)
    return Path(source).stem, tables, time.perf_counter() - start


def run(out=None, overrides=(), only=None, force=False, jobs=None, progress=print) -> dict:
    """Execute the notebooks that changed into OUT/_executed; return {stem: 'cached' | seconds}.

    A notebook re-executes when its cells, the parameters, the alesbook code or one of the tidy
    tables it loaded last time changed (or with `force`).
    """
    out = Path(out) if out else paths.ROOT
    parameters = read_parameters(overrides)
    from alesbook.territories import validate

    validate(parameters["territory"], data_dir=parameters.get("data_dir"))
    sources = notebook_paths(only)
    executed = out / EXECUTED
    executed.mkdir(parents=True, exist_ok=True)
    cache_path = executed / CACHE_FILE
    cache = json.loads(cache_path.read_text()) if cache_path.exists() else {}
    data_dir = parameters.get("data_dir")
    problems = datasets.check(data_dir)
    if problems:
        raise AlesbookError("the tidy tables do not match data/datapackage.json:\n" + "\n".join(problems))
    code = code_digest()
    params_key = json.dumps(parameters, sort_keys=True)
    keys, todo, report = {}, [], {}
    for source in sources:
        key = _digest(_notebook_digest(source).encode(), params_key.encode(), code.encode())
        keys[source.stem] = key
        entry = cache.get(source.stem)
        target = executed / source.name
        fresh = (
            not force and entry and entry["key"] == key and target.exists()
            and all(datasets.input_digest(name, data_dir) == digest for name, digest in entry["tables"].items())
        )
        if fresh:
            report[source.stem] = "cached"
            progress(f"cached   {source.stem}")
        else:
            todo.append((str(source), str(target), parameters))
    # Longest first (by the last run's duration), so that parallel workers finish together.
    todo.sort(key=lambda job: -cache.get(Path(job[0]).stem, {}).get("seconds", 0))
    jobs = jobs or min(len(todo), os.cpu_count() or 1) or 1
    failures = []
    if todo:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_execute_job, job): Path(job[0]).stem for job in todo}
            for future, stem in futures.items():
                try:
                    stem, tables, seconds = future.result()
                except NotebookError as exc:
                    failures.append(str(exc))
                    cache.pop(stem, None)
                    progress(f"FAILED   {stem}")
                    continue
                cache[stem] = {"key": keys[stem], "seconds": round(seconds, 1),
                               "tables": {t: datasets.input_digest(t, data_dir) for t in tables}}
                report[stem] = seconds
                progress(f"executed {stem} in {seconds:.1f} s")
    (executed / RUN_PARAMETERS).write_text(json.dumps(parameters, indent=1, sort_keys=True))
    tmp = cache_path.with_suffix(".tmp")
    tmp.write_text(json.dumps(cache, indent=1, sort_keys=True))
    os.replace(tmp, cache_path)
    if failures:
        raise NotebookError("\n".join(failures))
    return report


def _require_tex() -> None:
    missing = [tool for tool in ("xelatex", "latexmk") if not shutil.which(tool)]
    if missing:
        raise AlesbookError(
            f"{', '.join(missing)} not found: the PDF needs TeX. Install it with\n"
            f"  sudo apt-get install -y {TEX_PACKAGES}"
        )


def _jupyter_book(staging: Path, builder: str) -> None:
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(staging), "-W", "-n", "--keep-going",
               "--builder", builder]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        log = staging.parent / "_build" / f"jupyter-book-{builder}.log"
        log.parent.mkdir(exist_ok=True)
        log.write_text(result.stdout + result.stderr, encoding="utf-8")
        lines = [l for l in (result.stdout + result.stderr).splitlines()
                 if "WARNING" in l or "ERROR" in l or "Error" in l]
        raise AlesbookError(
            f"jupyter-book {builder} build failed (warnings are errors); full log: {log}\n"
            + "\n".join(lines[-20:])
        )


def stage(out: Path) -> Path:
    """A fresh copy of the book sources with the executed notebooks, in a folder beside OUT/_build."""
    executed = out / EXECUTED
    missing = [p.name for p in notebook_paths() if not (executed / p.name).exists()]
    if missing:
        raise AlesbookError(f"executed notebooks missing in {executed}: {missing}; run `alesbook run` first")
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    for name in BOOK_SOURCES:
        source = paths.ROOT / name
        if source.is_dir():
            shutil.copytree(source, staging / name)
        else:
            shutil.copy2(source, staging / name)
    shutil.copytree(executed, staging / EXECUTED, ignore=shutil.ignore_patterns(CACHE_FILE, "*.failed.ipynb"))
    from alesbook.appendix import write_generated_pages
    from alesbook.rerun import adapt_staging

    write_generated_pages(staging)
    adapt_staging(staging)  # names a rerun's territory in the staged copy (nothing for the default territory)
    return staging


def _tree_digest(folder: Path) -> str:
    """Digest of every file below `folder` (relative paths and contents)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file()
                   and not {"_build", "__pycache__"} & set(p.relative_to(folder).parts))
    return _digest(*(p.relative_to(folder).as_posix().encode() + p.read_bytes() for p in files))


def book(out=None, html=True, pdf=True, force=False, progress=print) -> dict:
    """Build the HTML and/or PDF book into OUT/_build, replacing the previous book only on success.

    A format whose staged sources are byte-identical to those of its last successful build is not
    rebuilt (unless `force`).
    """
    out = Path(out) if out else paths.ROOT
    if pdf:
        _require_tex()
    staging = stage(out)
    final = out / "_build"
    final.mkdir(exist_ok=True)
    # The staged sources, and the package (its Sphinx extension and generated pages shape the book).
    inputs = _digest(_tree_digest(staging).encode(), _tree_digest(paths.ROOT / "alesbook").encode())
    targets = {"html": final / "html" / "index.html", "pdf": final / "pdf" / PDF_NAME}
    built = {}
    try:
        for builder, wanted in (("html", html), ("pdf", pdf)):
            if not wanted:
                continue
            stamp = final / f".inputs-{builder}"
            if not force and targets[builder].exists() and stamp.exists() and stamp.read_text() == inputs:
                built[builder] = targets[builder]
                progress(f"{builder.upper()} book unchanged: {targets[builder]}")
                continue
            start = time.perf_counter()
            stamp.unlink(missing_ok=True)
            if builder == "html":
                _jupyter_book(staging, "html")
                _swap(staging / "_build" / "html", final / "html")
            else:
                _jupyter_book(staging, "pdflatex")
                pdfs = sorted((staging / "_build" / "latex").glob("*.pdf"))
                if not pdfs:
                    raise AlesbookError(f"no PDF produced in {staging / '_build' / 'latex'}")
                (final / "pdf").mkdir(exist_ok=True)
                tmp = final / "pdf" / (PDF_NAME + ".tmp")
                shutil.copyfile(pdfs[0], tmp)
                os.replace(tmp, targets["pdf"])
            stamp.write_text(inputs)
            built[builder] = targets[builder]
            progress(f"{builder.upper()} book: {targets[builder]} ({time.perf_counter() - start:.0f} s)")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return built


def _swap(new: Path, current: Path) -> None:
    """Replace folder `current` by `new` with two renames, so a reader never sees half a book."""
    old = current.with_name(current.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if current.exists():
        os.replace(current, old)
    shutil.move(str(new), str(current))
    shutil.rmtree(old, ignore_errors=True)
