"""Reading the JSON and GeoJSON files of the geography sources, with errors that name the file."""

from __future__ import annotations

import json
from pathlib import Path

from alesbook.errors import SourceError


def read_json(path: Path):
    """The parsed content of a JSON file; a truncated or non-JSON file raises SourceError."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SourceError(f"not a readable JSON file ({exc})", file=path) from exc


def read_features(path: Path, required=()) -> list[dict]:
    """The features of a GeoJSON FeatureCollection, each checked for the `required` properties."""
    content = read_json(path)
    if not isinstance(content, dict) or content.get("type") != "FeatureCollection":
        raise SourceError("not a GeoJSON FeatureCollection", file=path)
    features = content.get("features") or []
    if not features:
        raise SourceError("no features", file=path)
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {}
        missing = [name for name in required if properties.get(name) in (None, "")]
        if missing:
            raise SourceError(f"feature {number} lacks propert(y/ies) {missing}", file=path, column=missing[0])
    return features


def records(path: Path, required=()) -> list[dict]:
    """The objects of a JSON array (one object per territory), each checked for the `required` keys."""
    content = read_json(path)
    if not isinstance(content, list) or not content:
        raise SourceError("expected a non-empty JSON array of objects", file=path)
    for number, record in enumerate(content, start=1):
        missing = [name for name in required if not isinstance(record, dict) or record.get(name) in (None, "")]
        if missing:
            raise SourceError(f"object {number} lacks key(s) {missing}", file=path, column=missing[0], row=number)
    return content
