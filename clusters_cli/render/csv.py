"""CSV output for line tools and spreadsheets: one header, one row per entity."""

from __future__ import annotations

import csv
import sys
from typing import Any


def cell(value: Any) -> str:
    """A flat cell: lists joined with '; ', {id, name} refs by id, None empty."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("id", ""))
    if isinstance(value, list):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_csv(rows: list[dict[str, Any]], stream: Any) -> None:
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])


def render_csv(rows: list[dict[str, Any]]) -> None:
    write_csv(rows, sys.stdout)
