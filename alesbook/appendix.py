"""Pages of the book generated from the repository's metadata (the data descriptor)."""

from __future__ import annotations

from pathlib import Path

from alesbook import citation, datasets

DATA_PAGE = Path("book") / "annexe-donnees.md"


def data_appendix(descriptor: dict) -> str:
    """The data appendix in MyST Markdown: one section per tidy table, from the descriptor."""
    lines = [
        "(annexe-donnees)=",
        "# Annexe : les données",
        "",
        "Chaque nombre de ce livre provient d'un fichier officiel, lu par le paquet `alesbook`, "
        "transformé en table « tidy » et décrit dans `data/datapackage.json` (format Frictionless "
        "Data Package). Cette page est générée à partir de ce descripteur à chaque construction du "
        "livre : producteur, adresse officielle, licence, millésime, couverture, et empreintes "
        "sha256 des fichiers sources et des tables.",
        "",
    ]
    for resource in descriptor["resources"]:
        source = resource["sources"][0]
        licence = resource["licenses"][0]
        lines += [
            f"## {resource['title']}",
            "",
            f"- **Table** : `{resource['path']}` ({resource['rows']} lignes"
            + (f", dont {resource['missing_values']} valeurs manquantes ou secrètes" if resource.get("missing_values") else "")
            + ")",
            f"- **Producteur** : {source['title']} — <{source['path']}>",
            f"- **Licence** : [{licence['title']}]({licence['path']}) ; attribution : « {resource['attribution']} »",
            f"- **Millésime** : {resource['vintage']}",
            f"- **Couverture** : {resource['coverage']}",
            f"- **Fichiers sources** (dossier `{resource['raw_folder']}`) : "
            + ", ".join(f"`{f['path']}` (sha256 `{f['sha256'][:12]}…`)" for f in resource["raw_files"]),
        ]
        if resource["notes"]:
            lines.append("- **Précautions de lecture** (en anglais, comme dans le descripteur) :")
            lines += [f"  - {note}" for note in resource["notes"]]
        lines.append("")
    return "\n".join(lines)


def write_generated_pages(book_root: Path, data_dir=None) -> None:
    """Write the generated pages into a staged copy of the book sources."""
    path = Path(book_root) / DATA_PAGE
    path.write_text(data_appendix(datasets.descriptor(data_dir)), encoding="utf-8")
    citation.write_citation_pages(book_root, data_dir)
