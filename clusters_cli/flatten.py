"""Flattening values into one text cell, for CSV output and exports."""

from __future__ import annotations

from typing import Any

from .model import ref_columns


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


def _is_ref(value: Any) -> bool:
    return isinstance(value, dict) and set(value) >= {"id", "name"}


def split_refs(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for CSV and TSV: a reference column `x` ({id, name}, or a list of them) becomes `x_id` and
    `x_name` beside each other, several joined with '; ', so a spreadsheet shows names and joins on ids."""
    ref_keys = {
        k
        for row in rows
        for k, v in row.items()
        if _is_ref(v) or (isinstance(v, list) and v and all(_is_ref(x) for x in v))
    }
    # a reference column stays two columns when no row happens to fill it (deterministic headers)
    ref_keys |= {
        k for k in ref_columns() if rows and k in rows[0] and all(r.get(k) is None or r.get(k) == [] for r in rows)
    }
    if not ref_keys:
        return rows
    out = []
    for row in rows:
        flat_row: dict[str, Any] = {}
        for k, v in row.items():
            if k not in ref_keys:
                flat_row[k] = v
                continue
            items = v if isinstance(v, list) else [] if v is None else [v]
            flat_row[f"{k}_id"] = "; ".join(str(x["id"]) for x in items)
            flat_row[f"{k}_name"] = "; ".join(str(x["name"]) for x in items)
        out.append(flat_row)
    return out


def shown(value: Any) -> str:
    """A cell a person reads: references by their names, the rest as `flat`."""
    if _is_ref(value):
        return str(value["name"])
    if isinstance(value, list) and value and all(_is_ref(x) for x in value):
        return ", ".join(str(x["name"]) for x in value)
    return flat(value)


def columns(rows: list[dict[str, Any]]) -> list[str]:
    """Every key of the rows, in first-seen order."""
    found: dict[str, None] = {}
    for row in rows:
        found.update(dict.fromkeys(row))
    return list(found)


def write_csv(rows: list[dict[str, Any]], stream: Any, delimiter: str = ",") -> None:
    """A header of every key, then one flat row per dict (TSV with delimiter='\\t')."""
    import csv

    header = columns(rows)
    writer = csv.writer(stream, lineterminator="\n", delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([flat(row.get(c)) for c in header])
