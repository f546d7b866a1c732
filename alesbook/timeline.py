"""The book-wide timeline of dated events of the Alès basin (mines, reconversions, institutions, firms).

The events live in ``data/timeline.csv``, written by hand from the sourced fact sheet
(``../shared/reference/facts.md``): one row per event, with its source address and confidence. Where
two sources disagree, both rows are kept and point at each other through ``conflict``.

Columns of the CSV:

- ``id``: unique row id (``T01``…), referred to by ``conflict``;
- ``date``: ISO date ``YYYY-MM-DD``, ``YYYY-MM`` or a year ``YYYY``; ``end_date`` (optional, same
  formats) for events that last (a strike, a fund);
- ``event``: short French description, in our own words (it is the label on figures);
- ``category``: one of `CATEGORIES`;
- ``territory``: ``LEVEL:CODE`` (`alesbook.territories.Territory`); ``FR:FR`` for national events;
- ``source``: address of the page; ``confidence``: H, M or L as in the fact sheet;
- ``conflict``: empty, or the id of the row it disagrees with.

API, for the chapter introducing each phase::

    from alesbook import timeline
    events = timeline.events_between(1970, 1989, territory=territory)  # a phase, bounds inclusive
    fig, ax = timeline.plot_timeline(events)                             # then figures.save(fig, ...)

`load_timeline` reads and validates the CSV (a bad date, an unknown category, a missing source raise
`SourceError` naming the file, row and column); it adds the columns ``start`` and ``end``
(Timestamps: first and last day covered), ``year`` (decimal year of ``start``, for plotting) and
``label`` (French date, e.g. « 28 juin 1946 »). With a territory, only its events and the national
ones (``FR:FR``) are kept: for another territory than Alès, the Alès events drop out.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from alesbook import paths
from alesbook.errors import SourceError, TerritoryError

#: The committed timeline.
TIMELINE_CSV = paths.ROOT / "data" / "timeline.csv"
COLUMNS = ("id", "date", "end_date", "event", "category", "territory", "source", "confidence", "conflict")
#: Category -> (French label for legends, marker colour).
CATEGORIES = {
    "mine": ("Mines de charbon", "#444444"),
    "reconversion-phase1": ("Outils de reconversion, 1re phase", "#D55E00"),
    "reconversion-phase2": ("Outils de reconversion, 2e phase", "#0072B2"),
    "reconversion-phase3": ("Outils de reconversion, 3e phase", "#009E73"),
    "institution": ("Institutions", "#CC79A7"),
    "firm": ("Entreprises", "#E69F00"),
}
CONFIDENCES = ("H", "M", "L")
_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")
_MONTHS_LONG = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                "novembre", "décembre")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def parse_date(text: str, end: bool = False) -> pd.Timestamp:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as its first day (its last day with `end`); ValueError if bad."""
    match = _DATE.fullmatch(str(text).strip())
    if not match:
        raise ValueError(f"bad date {text!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    start = pd.Timestamp(int(year), int(month or 1), int(day or 1))  # raises ValueError for 2001-13
    if not end or day:
        return start
    return start + (pd.offsets.MonthEnd(0) if month else pd.offsets.YearEnd(0))


def french_date(text: str) -> str:
    """« 28 juin 1946 », « 1er janvier 2000 », « juil. 1999 » or « 1947 » from an ISO date or year."""
    year, month, day = _DATE.fullmatch(text).groups()
    if day:
        return f"{int(day)}{'er' if int(day) == 1 else ''} {_MONTHS_LONG[int(month) - 1]} {year}"
    return f"{_MONTHS[int(month) - 1]} {year}" if month else year


def _decimal_year(ts: pd.Timestamp) -> float:
    return ts.year + (ts.day_of_year - 1) / (366 if ts.is_leap_year else 365)


def load_timeline(territory=None, path=None) -> pd.DataFrame:
    """The validated timeline sorted by date; with `territory`, its events and the national ones."""
    from alesbook.territories import Territory

    path = Path(path) if path else TIMELINE_CSV
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise SourceError(f"missing columns {missing}", file=path)
    starts, ends = [], []
    for i, row in table.iterrows():
        line = i + 2  # the header is line 1

        def fail(column, message):
            raise SourceError(message, file=path, row=line, column=column)

        for column in ("id", "event", "source"):
            if not row[column].strip():
                fail(column, f"empty {column}")
        if not re.match(r"https?://", row["source"]):
            fail("source", f"source {row['source']!r} is not a web address")
        try:
            start = parse_date(row["date"])
            end = parse_date(row["end_date"], end=True) if row["end_date"] else parse_date(row["date"], end=True)
        except ValueError as error:
            fail("end_date" if row["end_date"] and "end_date" in str(error) else "date", str(error))
        if end < start:
            fail("end_date", f"end_date {row['end_date']} before date {row['date']}")
        if row["category"] not in CATEGORIES:
            fail("category", f"unknown category {row['category']!r}; expected one of {list(CATEGORIES)}")
        if row["confidence"] not in CONFIDENCES:
            fail("confidence", f"confidence {row['confidence']!r} is not H, M or L")
        try:
            Territory.parse(row["territory"])
        except TerritoryError as error:
            fail("territory", str(error))
        starts.append(start)
        ends.append(end)
    duplicated = table["id"][table["id"].duplicated()]
    if not duplicated.empty:
        raise SourceError(f"duplicate id {duplicated.iloc[0]!r}", file=path, column="id",
                          row=int(duplicated.index[0]) + 2)
    for i, other in table["conflict"].items():
        if other and other not in set(table["id"]):
            raise SourceError(f"conflict refers to unknown id {other!r}", file=path, column="conflict", row=i + 2)
    table = table.assign(start=starts, end=ends)
    table["year"] = [_decimal_year(ts) for ts in table["start"]]
    table["label"] = [french_date(d) if not e else f"{french_date(d)} – {french_date(e)}"
                      for d, e in zip(table["date"], table["end_date"])]
    if territory is not None:
        code = str(Territory.parse(territory))
        table = table[table["territory"].isin([code, "FR:FR"])]
    return table.sort_values(["start", "id"], kind="stable").reset_index(drop=True)


def events_between(start, end, territory=None, events=None) -> pd.DataFrame:
    """Events overlapping the period from `start` to `end`, both inclusive (years or ISO dates).

    ``events_between(1970, 1989)`` keeps every event of 1970 to 1989, and those that began earlier and
    still ran in 1970. `events`: a frame from `load_timeline` (default: ``load_timeline(territory)``).
    """
    events = load_timeline(territory) if events is None else events
    lo, hi = parse_date(str(start)), parse_date(str(end), end=True)
    return events[(events["start"] <= hi) & (events["end"] >= lo)].reset_index(drop=True)


def plot_timeline(events: pd.DataFrame, ax=None, start=None, end=None, phases: bool = True):
    """One row per event, earliest on top: the date and text as the row's label on the left, a dot
    (a bar for events that last) on the time axis, phases shaded behind; rows in conflict with
    another source are drawn hollow and marked « * ». Returns (fig, ax).

    Labels never overlap since each event has its own row; pass a selection (e.g. one category, or
    the key events of a phase) to keep the figure short. `start`, `end`: x range in years. Without
    events, the axes say so in a sentence (a rerun for a territory the timeline does not cover).
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from alesbook.phases import PHASES

    from alesbook import figures

    if ax is None:
        figures.set_theme()
        fig, ax = plt.subplots(figsize=(5, 1.2 + 0.3 * max(len(events), 3)))
    else:
        fig = ax.figure
    if events.empty:  # e.g. a territory the timeline does not cover: say so rather than fail
        ax.text(0.5, 0.5, "Aucun événement daté pour ce territoire et cette période dans la chronologie du livre",
                ha="center", va="center", fontsize=10, color="#555555", transform=ax.transAxes)
        ax.set_axis_off()
        return fig, ax
    rows = range(len(events))
    ends = [_decimal_year(ts) + 1 / 365 for ts in events["end"]]
    for y, (_, event), stop in zip(rows, events.iterrows(), ends):
        colour = CATEGORIES[event["category"]][1]
        if event["end_date"]:
            ax.plot([event["year"], stop], [y, y], color=colour, lw=4, solid_capstyle="butt", zorder=3)
        ax.plot(event["year"], y, "o", ms=6, color=colour, zorder=4,
                markerfacecolor="white" if event["conflict"] else colour, markeredgewidth=1.5)
    labels = [f"{label} — {text}{' *' if conflict else ''}"
              for label, text, conflict in zip(events["label"], events["event"], events["conflict"])]
    ax.set_yticks(list(rows), labels, fontsize=9.5)
    ax.set_ylim(len(events) - 0.5, -0.5)
    ax.grid(axis="y", color="#e6e6e6", lw=0.6)
    ax.grid(axis="x", visible=False)
    lo = min(events["year"]) if start is None else start
    hi = max(ends) if end is None else end
    margin = max(1.0, (hi - lo) * 0.03)
    ax.set_xlim(lo - (margin if start is None else 0), hi + (margin if end is None else 0))
    ax.tick_params(axis="x", labelsize=9.5)
    ax.spines["left"].set_visible(False)
    handles = [Line2D([], [], marker="o", ls="", color=CATEGORIES[c][1], label=CATEGORIES[c][0])
               for c in CATEGORIES if c in set(events["category"])]
    if events["conflict"].astype(bool).any():
        handles.append(Line2D([], [], marker="o", ls="", color="#444444", markerfacecolor="white",
                              label="* date ou chiffre discuté (sources en désaccord)"))
    if phases:
        figures.shade_phases(ax, legend=False)
        left, right = ax.get_xlim()
        handles += [Patch(facecolor=p.colour, alpha=0.6, label=p.label) for p in PHASES
                    if max(p.start, left) < min(p.end, right)]
    ax.legend(handles=handles, loc="upper right", bbox_to_anchor=(1, -0.3 / (1 + 0.3 * len(events)) - 0.02),
              ncol=1, frameon=False, fontsize=9)
    return fig, ax
