"""INSEE population estimates on 1 January by département, sex and five-year age group, 1975-2021."""

from __future__ import annotations

import re

import pandas as pd

from alesbook.errors import SourceError
from alesbook.sources._census import OCCITANIE, OCCITANIE_CODE, OCCITANIE_NAME, sum_strict
from alesbook.sources._common import INSEE, LICENCE_OUVERTE, Source, raw_path, read_excel, to_number

SOURCE = Source(
    name="population_dep_age",
    title="Estimations de population au 1er janvier par département, sexe et âge quinquennal, 1975-2021",
    producer=INSEE,
    url="https://www.insee.fr/fr/statistiques/1893198",
    licence=LICENCE_OUVERTE,
    attribution="Source : Insee, estimations de population (données actualisées au 29 mars 2021)",
    vintage="édition du 29 mars 2021 ; 2019 à 2021 provisoires",
    folder="insee_estimations_population_dep_sexe_age_1975_2021",
    files=("estim-pop-dep-sexe-aq-1975-2021.xlsx",),
    coverage=(
        "les 13 départements d'Occitanie, la région Occitanie (somme), la France métropolitaine (1975-2021) "
        "et la France métropolitaine et DOM (1990-2021) ; population au 1er janvier"
    ),
    key=("level", "code", "sex", "age", "variable", "period"),
    notes=(
        "One sheet per year; each block of rows has a two-row header (sex, then age). Column labels are "
        "taken by position within each block, and ditto marks (\") in the age row are filled from the "
        "same position in the other sex blocks.",
        "Estimates for 2019, 2020 and 2021 are provisional in this edition (revised by INSEE since).",
        "Age is the age reached on 1 January. For France métropolitaine et DOM (code FR) in 1990-1998 the "
        "highest group is 90+ (the DOM had no 90-94 / 95+ split), so those years have age '90+' instead "
        "of '90-94' and '95+'. France métropolitaine et DOM exists from 1990 and includes Mayotte from 2014.",
        "Age 'total' is the published total; it equals the sum of the age groups in every row kept. "
        "France métropolitaine figures of the early years are rounded (total 52 600 000 in 1975).",
        "Occitanie (REG 76) is the sum of its 13 départements (09, 11, 12, 30, 31, 32, 34, 46, 48, 65, 66, "
        "81, 82), computed here; a sum with a missing member is missing.",
    ),
    description=(
        "Population on 1 January by sex (ensemble, hommes, femmes) and five-year age group ('00-04' ... "
        "'90-94', '95+', and 'total'), variable population, for each département of Occitanie (DEP), "
        "Occitanie (REG 76), France métropolitaine (FR, code METRO) and France métropolitaine et DOM "
        "(FR, code FR). Shares of the 15-29 and 65+ age groups are sums of the five-year groups."
    ),
)

_SEXES = {"Ensemble": "ensemble", "Hommes": "hommes", "Femmes": "femmes"}
_FIRST_COLUMN, _BLOCK = 2, 21  # per sex: 20 age groups and the total
_TOTALS = {"France métropolitaine": ("FR", "METRO"), "France métropolitaine et DOM": ("FR", "FR")}
_FIRST_YEAR_WITH_DOM = 1990
_HEADER_ROW = 1  # the title row serves as pandas' header: frame row i is spreadsheet row i + 2


def read(folder) -> pd.DataFrame:
    path = raw_path(folder, SOURCE.files[0])
    sheets = read_excel(path, sheet=None, header_row=_HEADER_ROW)
    years = sorted(name for name in sheets if re.fullmatch(r"\d{4}", str(name)))
    if not years:
        raise SourceError(f"no sheet named after a year; sheets {list(sheets)}", file=path)
    frame = pd.concat([_sheet(sheets[name], int(name), path, name) for name in years], ignore_index=True)
    occitanie = frame[frame["level"] == "DEP"]
    by = [occitanie[c] for c in ("period", "sex", "age")]
    region = sum_strict(occitanie["value"], by).rename("value").reset_index()
    region = region.assign(level="REG", code=OCCITANIE_CODE, name=OCCITANIE_NAME)
    frame = pd.concat([frame, region], ignore_index=True)
    frame = frame.assign(variable="population", unit="habitants")
    return frame[["level", "code", "name", "period", "sex", "age", "variable", "value", "unit"]]


def _sheet(raw: pd.DataFrame, year: int, path, sheet) -> pd.DataFrame:
    """The kept rows of one year's sheet, long, with the age labels of the header block above each row."""
    first = raw.iloc[:, 0].map(lambda v: str(v).strip() if pd.notna(v) else "")
    headers = [i for i in range(len(raw)) if str(raw.iat[i, _FIRST_COLUMN]).strip() == "Ensemble"]
    if not headers:
        raise SourceError("no header row with 'Ensemble' in the third column", file=path, sheet=sheet)
    wanted = {code: ("DEP", code) for code in OCCITANIE} | _TOTALS
    parts, found = [], set()
    for position, label in first.items():
        if label not in wanted:
            continue
        header = max((h for h in headers if h < position), default=None)
        if header is None:
            raise SourceError(f"data row {label!r} above any header", file=path, sheet=sheet, row=position + 2)
        ages = _ages(raw, header, path, sheet)
        level, code = wanted[label]
        name = OCCITANIE.get(code) or label
        for (sex, age), column in ages.items():
            parts.append((level, code, name, sex, age, raw.iat[position, column], column, position))
        found.add(label)
    expected = set(OCCITANIE) | {"France métropolitaine"}
    if year >= _FIRST_YEAR_WITH_DOM:
        expected.add("France métropolitaine et DOM")
    if expected - found:
        raise SourceError(f"row(s) {sorted(expected - found)} not found in column A", file=path, sheet=sheet)
    frame = pd.DataFrame(parts, columns=["level", "code", "name", "sex", "age", "cell", "column", "row"])
    try:
        frame["value"] = to_number(frame["cell"], file=path, sheet=sheet, column=None, first_row=0)
    except SourceError as exc:  # report the cell where it is in the sheet, not in this long frame
        bad = frame.iloc[exc.row]
        raise SourceError(f"value {bad['cell']!r} is neither a number nor a secret marker", file=path,
                          sheet=sheet, column=_excel_column(bad["column"]), row=bad["row"] + 2) from exc
    return frame.drop(columns=["cell", "column", "row"]).assign(period=year)


def _ages(raw: pd.DataFrame, header: int, path, sheet) -> dict:
    """(sex, age) -> column of the block whose sex row is `header` (its age row is just below)."""
    labels = {}
    for block, (title, sex) in enumerate(_SEXES.items()):
        start = _FIRST_COLUMN + block * _BLOCK
        found = str(raw.iat[header, start]).strip()
        if found != title:
            raise SourceError(f"expected sex {title!r}, found {found!r}", file=path, sheet=sheet,
                              column=_excel_column(start), row=header + 2)
        for offset in range(_BLOCK):
            labels[sex, offset] = _age(raw.iat[header + 1, start + offset], file=path, sheet=sheet,
                                       column=_excel_column(start + offset), row=header + 3)
    result = {}
    for offset in range(_BLOCK):
        parsed = {labels[sex, offset] for sex in _SEXES.values()} - {'"', None}
        if len(parsed) > 1:
            raise SourceError(f"sex blocks disagree on the age group at offset {offset}: {sorted(parsed)}",
                              file=path, sheet=sheet, row=header + 3)
        if not parsed:
            continue  # empty column (the DOM blocks of 1990-1998 stop at 90+)
        age = parsed.pop()
        for block, sex in enumerate(_SEXES.values()):
            result[sex, age] = _FIRST_COLUMN + block * _BLOCK + offset
    return result


def _age(label, **where):
    """'0 à 4 ans' -> '00-04', '95 ans et plus' -> '95+', 'Total' -> 'total'; ditto marks and blanks kept.

    `where` (file, sheet, column, row) locates the label in an error.
    """
    if label is None or pd.isna(label) or str(label).strip() == "":
        return None
    text = str(label).strip()
    if text in ('"', "''", "\u201d", "\u201c"):
        return '"'
    if text == "Total":
        return "total"
    match = re.fullmatch(r"(\d+) à (\d+) ans", text)
    if match:
        return f"{int(match.group(1)):02d}-{int(match.group(2)):02d}"
    match = re.fullmatch(r"(\d+) ans et plus", text)
    if match:
        return f"{int(match.group(1))}+"
    raise SourceError(f"unknown age label {text!r}", **where)


def _excel_column(index: int) -> str:
    """0-based column index -> spreadsheet letters."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
