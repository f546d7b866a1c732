"""Citation metadata of the book, from CITATION.cff: Zenodo record, « Comment citer » page, and the
citation block at the foot of every chapter (text and BibTeX, with the vintages of the data it used)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import nbformat
import yaml
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle

from alesbook import datasets, paths
from alesbook.errors import AlesbookError

CFF_FILE = "CITATION.cff"
ZENODO_FILE = ".zenodo.json"
REGISTRY_FILE = Path("book") / "chapitres.yml"
CITE_PAGE = Path("book") / "comment-citer.md"
CHAPTERS_PART = "Chapitres"
PDF_LINK = "pdf/bassin-ales.pdf"  # beside html/ in _build/ and on the published site
HTML_DIR = "html/"  # the HTML book's folder under the book URL
BOOK_MARKER = "% generated: book-citation"
CHAPTERS_MARKER = "% generated: chapter-citations"
LANGUAGE = "fra"
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


def read_cff(root=paths.ROOT) -> dict:
    """CITATION.cff as a dict, with the fields the book needs checked."""
    path = Path(root) / CFF_FILE
    cff = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = [k for k in ("title", "authors", "version", "date-released", "license", "url", "repository-code")
               if not cff.get(k)]
    if missing:
        raise AlesbookError(f"{path}: missing field(s) {missing}")
    cff["version"] = str(cff["version"])
    cff["date-released"] = dt.date.fromisoformat(str(cff["date-released"]))
    cff["license"] = [cff["license"]] if isinstance(cff["license"], str) else list(cff["license"])
    return cff


def french_date(day: dt.date) -> str:
    """'25 novembre 2026'."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


def build_date() -> dt.date:
    """Today, or the date of SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date() if epoch else dt.date.today()


def _person(author: dict) -> tuple[str, str]:
    """(family or entity name, given names) of a CFF author."""
    if "name" in author:
        return author["name"], ""
    return author["family-names"], author.get("given-names", "")


def zenodo(cff: dict) -> dict:
    """The Zenodo deposit metadata (.zenodo.json) of the book: a publication of type book.

    The first licence of CITATION.cff is the book's (text and figures); the others are named in
    the notes.
    """
    creators = []
    for author in cff["authors"]:
        family, given = _person(author)
        creator = {"name": f"{family}, {given}" if given else family}
        if author.get("affiliation"):
            creator["affiliation"] = author["affiliation"]
        if author.get("orcid"):
            creator["orcid"] = author["orcid"].rsplit("/", 1)[-1]
        creators.append(creator)
    licence, *others = cff["license"]
    record = {
        "title": cff["title"],
        "upload_type": "publication",
        "publication_type": "book",
        "description": " ".join(cff.get("abstract", "").split()),
        "creators": creators,
        "version": cff["version"],
        "publication_date": cff["date-released"].isoformat(),
        "language": LANGUAGE,
        "license": licence.lower(),
        "keywords": cff.get("keywords", []),
        "related_identifiers": [
            {"identifier": cff["url"], "relation": "isAlternateIdentifier", "resource_type": "publication-book"},
            {"identifier": cff["repository-code"], "relation": "isSupplementedBy", "resource_type": "software"},
        ],
    }
    if others:
        record["notes"] = (f"Text and figures: {licence}. Code: {', '.join(others)}. Data: Licence Ouverte / "
                           "Open Licence 2.0 (Source : Insee ; ANCT ; IGN ; Etalab).")
    return record


def zenodo_json(cff: dict) -> str:
    """The text of .zenodo.json, as committed."""
    return json.dumps(zenodo(cff), ensure_ascii=False, indent=2) + "\n"


def write_zenodo(root=paths.ROOT) -> Path:
    """Regenerate .zenodo.json from CITATION.cff."""
    path = Path(root) / ZENODO_FILE
    path.write_text(zenodo_json(read_cff(root)), encoding="utf-8")
    return path


def toc_chapters(root) -> list[str]:
    """The files of the `Chapitres` part of _toc.yml, in order (e.g. 'book/population')."""
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc.get("parts", []):
        if part.get("caption") == CHAPTERS_PART:
            return [entry["file"] for entry in part.get("chapters", [])]
    raise AlesbookError(f"{Path(root) / '_toc.yml'}: no part with caption {CHAPTERS_PART!r}")


def read_registry(root) -> dict:
    """The committed registry of stable chapter identifiers: {key: {'file': ..., 'label': ...}}."""
    return yaml.safe_load((Path(root) / REGISTRY_FILE).read_text(encoding="utf-8"))["chapters"] or {}


def _source(root, file: str) -> Path:
    for suffix in (".md", ".ipynb"):
        path = Path(root) / (file + suffix)
        if path.exists():
            return path
    raise AlesbookError(f"chapter {file!r} of _toc.yml: no {file}.md or {file}.ipynb in {root}")


def _markdown(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = nbformat.read(path, as_version=4).cells
        return "\n\n".join(c.source for c in cells if c.cell_type == "markdown")
    return path.read_text(encoding="utf-8")


def chapter_title(text: str, path) -> str:
    """The first level-1 heading of a chapter."""
    match = re.search(r"^# +(.+?)\s*$", text, re.M)
    if not match or "{" in match.group(1):
        raise AlesbookError(f"{path}: a chapter needs a plain first heading '# Title' (no roles) to be cited")
    return match.group(1)


def first_label(text: str) -> str | None:
    """The MyST target `(label)=` opening a chapter, if any."""
    match = re.match(r"\s*\((?P<label>[\w:.-]+)\)=", text)
    return match.group("label") if match else None


def registry_problems(root=paths.ROOT) -> list[str]:
    """Where the registry of stable chapter identifiers and _toc.yml disagree."""
    registry = read_registry(root)
    files = toc_chapters(root)
    registered = {entry["file"]: key for key, entry in registry.items()}
    problems = [f"chapter {f!r} of _toc.yml is not in {REGISTRY_FILE}: add its stable key, file and label"
                for f in files if f not in registered]
    problems += [f"{REGISTRY_FILE}: {key!r} points to {entry['file']!r}, which is no longer a chapter of _toc.yml: "
                 "a renamed chapter changes its published URL; keep the old file name, or update the entry "
                 "knowingly (and note the move in CHANGELOG.md)"
                 for key, entry in registry.items() if entry["file"] not in files]
    for key, entry in registry.items():
        if entry["file"] in files:
            label = first_label(_markdown(_source(root, entry["file"])))
            if label != entry["label"]:
                problems.append(f"{entry['file']}: opens with label {label!r}, the registry says {entry['label']!r}")
    return problems


def _bib_escape(text: str) -> str:
    return re.sub(r"([&%$#_])", r"\\\1", text)


def _bib_authors(cff: dict) -> str:
    names = []
    for author in cff["authors"]:
        family, given = _person(author)
        names.append(f"{family}, {given}" if given else "{" + family + "}")
    return " and ".join(names)


def _text_authors(cff: dict) -> str:
    names = []
    for author in cff["authors"]:
        family, given = _person(author)
        names.append(f"{family} {given[:1]}." if given else family)
    return ", ".join(names)


def book_url(cff: dict, file: str = "index") -> str:
    """Published address of a page of the HTML book."""
    return f"{cff['url'].rstrip('/')}/{HTML_DIR}{file}.html"


def bibtex(fields: dict, kind: str, key: str) -> str:
    width = max(len(name) for name in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields.items())
    return f"@{kind}{{{key},\n{body}\n}}"


def _common_fields(cff: dict) -> dict:
    fields = {"year": str(cff["date-released"].year), "version": cff["version"],
              "date": cff["date-released"].isoformat(), "language": "french"}
    if cff.get("doi"):
        fields["doi"] = cff["doi"]
    return fields


def book_citation(cff: dict) -> tuple[str, str]:
    """(text, BibTeX) references of the whole book."""
    text = (f"{_text_authors(cff)} ({cff['date-released'].year}). *{cff['title']}*, version {cff['version']} "
            f"du {french_date(cff['date-released'])}. <{book_url(cff)}>")
    fields = {"author": _bib_authors(cff), "title": _bib_escape(cff["title"]), **_common_fields(cff),
              "url": book_url(cff)}
    return text, bibtex(fields, "book", "bassin-ales")


def chapter_citation(cff: dict, key: str, file: str, title: str) -> tuple[str, str]:
    """(text, BibTeX) references of one chapter."""
    url = book_url(cff, file)
    text = (f"{_text_authors(cff)} ({cff['date-released'].year}). « {title} ». Dans *{cff['title']}*, "
            f"version {cff['version']} du {french_date(cff['date-released'])}. <{url}>")
    fields = {"author": _bib_authors(cff), "title": _bib_escape(title), "booktitle": _bib_escape(cff["title"]),
              **_common_fields(cff), "url": url}
    return text, bibtex(fields, "incollection", f"bassin-ales:{key}")


def _notebooks(text: str) -> list[str]:
    return sorted(set(re.findall(r"_executed/([\w.-]+?)(?:\.ipynb)?(?=::|[`>\s)])", text)))


def data_vintages(text: str, cache: dict, descriptor: dict) -> list[str]:
    """One line per tidy table loaded by the notebooks a chapter glues from: title, vintage, attribution."""
    resources = {r["name"]: r for r in descriptor["resources"]}
    lines = []
    for stem in _notebooks(text):
        if stem not in cache:
            raise AlesbookError(f"no record of the tables loaded by notebook {stem!r}: run `alesbook run` first")
        for name in sorted(cache[stem]["tables"]):
            resource = resources[name]
            lines.append(f"*{resource['title']}* (table `{name}`) : {resource['vintage']} ; "
                         f"« {resource['attribution']} »")
    return lines


def _executed_on(staging: Path, text: str) -> str | None:
    """Latest end of execution of the notebooks a chapter glues from, as a French date."""
    dates = []
    for stem in _notebooks(text):
        notebook = nbformat.read(staging / "_executed" / f"{stem}.ipynb", as_version=4)
        end = notebook.metadata.get("papermill", {}).get("end_time")
        if end:
            dates.append(dt.datetime.fromisoformat(end).date())
    return french_date(max(dates)) if dates else None


def citation_block(cff: dict, key: str, file: str, text: str, vintages: list[str], executed: str | None) -> str:
    """The MyST admonition appended to a chapter: data vintages, text reference and BibTeX."""
    reference, entry = chapter_citation(cff, key, file, chapter_title(text, file))
    lines = ["", "", ":::{admonition} Citer ce chapitre", ":class: note", ""]
    if vintages:
        lines += ["**Données utilisées**"
                  + (f" (carnet exécuté le {executed})" if executed else "") + " :", ""]
        lines += [f"- {line}" for line in vintages] + [""]
    lines += [reference, "", "```bibtex", entry, "```", ":::", ""]
    return "\n".join(lines)


def _stable_key(registry: dict, file: str) -> str:
    """The registry key of a chapter; a chapter not registered yet is keyed by its file name."""
    return next((key for key, entry in registry.items() if entry["file"] == file), Path(file).name)


def cite_page(template: str, cff: dict, chapters: list[tuple[str, str, str]]) -> str:
    """The « Comment citer » page: the static template with the book's and chapters' references."""
    text, entry = book_citation(cff)
    book = [text, "", "```bibtex", entry, "```", "",
            f"Version {cff['version']} du {french_date(cff['date-released'])}, livre construit le "
            f"{french_date(build_date())}."]
    rows = [f"- {{doc}}`{title} </{file}>` : clé `bassin-ales:{key}`, <{book_url(cff, file)}>"
            for key, file, title in chapters]
    for marker in (BOOK_MARKER, CHAPTERS_MARKER):
        if marker not in template:
            raise AlesbookError(f"{CITE_PAGE}: marker line {marker!r} missing")
    return template.replace(BOOK_MARKER, "\n".join(book)).replace(CHAPTERS_MARKER, "\n".join(rows))


def _patch_config(staging: Path, cff: dict) -> None:
    """Version, release date and build date into the staged _config.yml (HTML footer, PDF title page)."""
    path = staging / "_config.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    built = french_date(build_date())
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx.update(version=cff["version"], release=cff["version"], today=built)
    config.setdefault("html", {})["extra_footer"] = (
        f"<p>Version {cff['version']} du {french_date(cff['date-released'])}, construite le {built}. "
        f"Texte et figures : licence CC BY 4.0 ; code : licence BSD-3-Clause ; données : Licence Ouverte 2.0 "
        f"(« Source : Insee », ANCT, IGN, Etalab).</p>")
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def write_citation_pages(staging: Path, data_dir=None) -> None:
    """In a staged copy of the book: citation blocks at the foot of every chapter, the « Comment
    citer » page, and version and dates in the configuration.

    The tables each chapter used come from OUT/_executed/.cache.json, beside the staging folder.
    """
    staging = Path(staging)
    cff = read_cff(paths.ROOT)
    registry = read_registry(staging)
    cache_path = staging.parent / "_executed" / ".cache.json"
    cache = json.loads(cache_path.read_text()) if cache_path.exists() else {}
    descriptor = datasets.descriptor(data_dir)
    chapters = []
    for file in toc_chapters(staging):
        path = _source(staging, file)
        if path.suffix != ".md":
            raise AlesbookError(f"{path}: citation blocks are written into Markdown chapters only")
        text = path.read_text(encoding="utf-8")
        key = _stable_key(registry, file)
        block = citation_block(cff, key, file, text, data_vintages(text, cache, descriptor),
                               _executed_on(staging, text))
        path.write_text(text.rstrip("\n") + block, encoding="utf-8")
        chapters.append((key, file, chapter_title(text, path)))
    page = staging / CITE_PAGE
    page.write_text(cite_page(page.read_text(encoding="utf-8"), cff, chapters), encoding="utf-8")
    _patch_config(staging, cff)


class AuthorYearLabels(BaseLabelStyle):
    """Bibliography labels 'Granier, 2023', matching the author-year citations of the text."""

    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            persons = entry.persons.get("author") or entry.persons.get("editor") or []
            names = [" ".join(person.last_names) for person in persons]
            if len(names) > 2:
                who = f"{names[0]} et al."
            elif names:
                who = " et ".join(names)
            else:
                who = entry.fields.get("organization") or entry.fields["title"]
            yield f"{who.replace('{', '').replace('}', '')}, {entry.fields.get('year', 's. d.')}"


class AuthorYearStyle(PlainStyle):
    """pybtex's 'plain' formatting with author-year labels."""

    default_label_style = AuthorYearLabels


def setup(app):
    """Sphinx extension: the bibliography style `auteur-annee` (`bibtex_default_style` in _config.yml)."""
    register_plugin("pybtex.style.formatting", "auteur-annee", AuthorYearStyle)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
