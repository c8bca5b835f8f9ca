"""Flattening values into one text cell, for CSV output and exports."""

from __future__ import annotations

from typing import Any


def flat(value: Any) -> str:
    """A flat cell: lists joined with '; ', {id, name} refs by their id, other mappings (a locator) and
    lists of them as compact JSON, None empty, booleans lower-case."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value["id"]) if "id" in value else _json(value)
    if isinstance(value, list):
        if any(isinstance(v, dict) and "id" not in v for v in value):
            return _json(value)
        return "; ".join(flat(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def columns(rows: list[dict[str, Any]]) -> list[str]:
    """Every key of the rows, in first-seen order."""
    found: dict[str, None] = {}
    for row in rows:
        found.update(dict.fromkeys(row))
    return list(found)


def write_csv(rows: list[dict[str, Any]], stream: Any) -> None:
    """A header of every key, then one flat row per dict."""
    import csv

    header = columns(rows)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([flat(row.get(c)) for c in header])
