"""The `alesbook` command: data build | check | fetch, run, book, territory."""

from __future__ import annotations

import argparse
import sys
import time

from alesbook.errors import AlesbookError


def _data_build(args) -> None:
    from alesbook import datasets

    start = time.perf_counter()
    datasets.build(raw_dir=args.raw, out_dir=args.out, only=args.only or None)
    print(f"tidy tables written in {time.perf_counter() - start:.1f} s")


def _data_check(args) -> None:
    from alesbook import datasets

    problems = datasets.check(args.data)
    if problems:
        raise AlesbookError("data check failed:\n" + "\n".join(problems))
    print("data check: every table matches its schema and sha256")


def _data_fetch(args) -> None:
    from alesbook import fetch

    fetch.fetch(to=args.to, only=args.only or None)


def _run(args) -> None:
    from alesbook import pipeline

    pipeline.run(out=args.out, overrides=args.set, only=args.only, force=args.force, jobs=args.jobs)


def _book(args) -> None:
    from alesbook import pipeline

    both = not (args.html or args.pdf)
    pipeline.book(out=args.out, html=args.html or both, pdf=args.pdf or both, force=args.force)


def _territory(args) -> None:
    from alesbook import rerun

    both = not (args.html or args.pdf)
    rerun.rerun(args.territories, args.out, html=args.html or both, pdf=args.pdf or both, force=args.force,
                jobs=args.jobs)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="alesbook", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)

    data = commands.add_parser("data", help="official files -> tidy tables")
    data_commands = data.add_subparsers(dest="data_command", required=True)
    build = data_commands.add_parser("build", help="build the tidy tables and data/datapackage.json")
    build.add_argument("--raw", help="folder of official files (default: data/raw, else ../shared/data/raw)")
    build.add_argument("--out", help="data folder to write (default: data/)")
    build.add_argument("--only", nargs="*", help="build only these tables")
    build.set_defaults(func=_data_build)
    check = data_commands.add_parser("check", help="verify every table against its schema and sha256")
    check.add_argument("--data", help="data folder (default: data/)")
    check.set_defaults(func=_data_check)
    fetch = data_commands.add_parser("fetch", help="download the official raw files and verify their sha256")
    fetch.add_argument("--to", help="folder to fill (default: data/raw/)")
    fetch.add_argument("--only", nargs="*", metavar="FOLDER", help="fetch only these raw folders")
    fetch.set_defaults(func=_data_fetch)

    run = commands.add_parser("run", help="execute the notebooks with Papermill")
    run.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override a parameter")
    run.add_argument("--only", action="append", metavar="NOTEBOOK", help="run only this notebook")
    run.add_argument("--out", help="output folder (default: the repository; notebooks go to OUT/_executed)")
    run.add_argument("--force", action="store_true", help="re-execute every notebook, ignoring the cache")
    run.add_argument("--jobs", type=int, help="notebooks executed in parallel (default: all cores)")
    run.set_defaults(func=_run)

    book = commands.add_parser("book", help="build the HTML and PDF book from the executed notebooks")
    book.add_argument("--html", action="store_true", help="only the HTML book")
    book.add_argument("--pdf", action="store_true", help="only the PDF book")
    book.add_argument("--out", help="output folder (default: the repository; the book goes to OUT/_build)")
    book.add_argument("--force", action="store_true", help="rebuild even when the sources are unchanged")
    book.set_defaults(func=_book)

    territory = commands.add_parser("territory", help="run and build the book for other territories, in parallel")
    territory.add_argument("territories", nargs="+", metavar="EPCI:SIREN", help="EPCI of Occitanie, e.g. EPCI:200067064")
    territory.add_argument("--out", required=True, help="output folder: one OUT/EPCI-<siren>/ per territory")
    territory.add_argument("--html", action="store_true", help="only the HTML books")
    territory.add_argument("--pdf", action="store_true", help="only the PDF books")
    territory.add_argument("--force", action="store_true", help="re-execute and rebuild everything")
    territory.add_argument("--jobs", type=int, help="notebooks executed in parallel per territory")
    territory.set_defaults(func=_territory)
    return main


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        args.func(args)
    except AlesbookError as exc:
        print(f"alesbook: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
