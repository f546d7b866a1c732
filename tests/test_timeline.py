"""The book-wide timeline: the committed CSV, its validation, selection by period and its figure."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from alesbook import timeline
from alesbook.errors import SourceError

HEADER = "id,date,end_date,event,category,territory,source,confidence,conflict\n"
GOOD = [
    "A1,1946-06-28,,Création des HBC,mine,EPCI:200066918,https://example.org/a,M,",
    "A2,1980-05-05,1981-06-12,Grève de Ladrecht,mine,EPCI:200066918,https://example.org/b,M,",
    "A3,1984,2007,FIBM,institution,FR:FR,https://example.org/c,H,",
    "A4,1999-07,,Karting,reconversion-phase2,EPCI:200066918,https://example.org/d,H,A5",
    "A5,1997,,Karting (autre date),reconversion-phase2,EPCI:200066918,https://example.org/d,L,A4",
    "A6,2019,,Autre territoire,firm,EPCI:200067064,https://example.org/e,M,",
]


def _write(tmp_path, rows):
    path = tmp_path / "timeline.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_committed_timeline_is_valid_and_sourced():
    events = timeline.load_timeline()
    assert len(events) >= 30 and events["source"].str.startswith("http").all()
    assert events["start"].is_monotonic_increasing
    conflicts = events[events["conflict"] != ""]
    assert set(conflicts["conflict"]) <= set(events["id"])
    # facts.md: peak workforce 1947 (mine-temoin) vs record output with 20 000 workers 1958 (techno-science)
    peak = events.set_index("id").loc[["T03", "T05"]]
    assert peak["conflict"].tolist() == ["T05", "T03"] and peak["date"].tolist() == ["1947", "1958"]


def test_dates_years_and_labels(tmp_path):
    events = timeline.load_timeline(path=_write(tmp_path, GOOD)).set_index("id")
    assert events.loc["A1", "start"] == pd.Timestamp(1946, 6, 28) == events.loc["A1", "end"]
    assert events.loc["A3", "end"] == pd.Timestamp(2007, 12, 31)
    assert events.loc["A4", "end"] == pd.Timestamp(1999, 7, 31)
    assert events.loc["A1", "year"] == pytest.approx(1946 + 178 / 365)  # 28 June is day 179
    assert events.loc["A1", "label"] == "28 juin 1946"
    assert events.loc["A4", "label"] == "juil. 1999"
    assert events.loc["A2", "label"] == "5 mai 1980 – 12 juin 1981"


def test_territory_keeps_its_events_and_the_national_ones(tmp_path):
    path = _write(tmp_path, GOOD)
    assert timeline.load_timeline("EPCI:200066918", path=path)["id"].tolist() == ["A1", "A2", "A3", "A5", "A4"]
    assert timeline.load_timeline("EPCI:200067064", path=path)["id"].tolist() == ["A3", "A6"]


def test_events_between_keeps_overlapping_events(tmp_path):
    events = timeline.load_timeline(path=_write(tmp_path, GOOD))
    assert timeline.events_between(1990, 2009, events=events)["id"].tolist() == ["A3", "A5", "A4"]
    assert timeline.events_between(1981, 1981, events=events)["id"].tolist() == ["A2"]
    assert timeline.events_between("1946-06-29", "1980-05-04", events=events).empty


@pytest.mark.parametrize("row, column, message", [
    ("B1,1968-13,,x,mine,EPCI:200066918,https://e.org,M,", "date", "month"),
    ("B1,vers 1968,,x,mine,EPCI:200066918,https://e.org,M,", "date", "bad date"),
    ("B1,1968,1960,x,mine,EPCI:200066918,https://e.org,M,", "end_date", "before"),
    ("B1,1968,,x,charbon,EPCI:200066918,https://e.org,M,", "category", "unknown category 'charbon'"),
    ("B1,1968,,x,mine,EPCI:200066918,,M,", "source", "empty source"),
    ("B1,1968,,x,mine,EPCI:200066918,mine-temoin.fr,M,", "source", "not a web address"),
    ("B1,1968,,x,mine,EPCI:200066918,https://e.org,L–M,", "confidence", "H, M or L"),
    ("B1,1968,,x,mine,Alès,https://e.org,M,", "territory", "malformed"),
    ("B1,1968,,x,mine,EPCI:200066918,https://e.org,M,Z9", "conflict", "unknown id"),
])
def test_bad_rows_name_file_row_and_column(tmp_path, row, column, message):
    path = _write(tmp_path, GOOD[:2] + [row])
    with pytest.raises(SourceError, match=message) as error:
        timeline.load_timeline(path=path)
    assert error.value.row == 4 and error.value.column == column and error.value.file == path
    assert "timeline.csv" in str(error.value) and "row 4" in str(error.value)


def test_missing_column_and_duplicate_id(tmp_path):
    path = tmp_path / "timeline.csv"
    path.write_text("id,date,event\nA,1968,x\n", encoding="utf-8")
    with pytest.raises(SourceError, match="missing columns"):
        timeline.load_timeline(path=path)
    with pytest.raises(SourceError, match="duplicate id 'A1'"):
        timeline.load_timeline(path=_write(tmp_path, GOOD + [GOOD[0]]))


def test_plot_timeline_one_row_per_event(tmp_path):
    events = timeline.load_timeline(path=_write(tmp_path, GOOD))
    fig, ax = timeline.plot_timeline(events)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == len(events) and labels[0] == "28 juin 1946 — Création des HBC"
    assert labels[-2].endswith("*")  # a row in conflict is marked
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "Mines de charbon" in legend and "Ère minière" in legend
    fig, ax = timeline.plot_timeline(events.iloc[0:0])
    assert "Aucun événement" in ax.texts[0].get_text()
