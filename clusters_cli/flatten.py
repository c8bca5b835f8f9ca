"""Flattening values into one text cell, for CSV output and exports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
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
    return isinstance(value, dict) and "id" in value and "name" in value


def _holds_refs(value: Any) -> bool:
    """A reference, or a non-empty list of references."""
    if isinstance(value, dict):
        return "id" in value and "name" in value
    return isinstance(value, list) and bool(value) and all(_is_ref(x) for x in value)


def _ref_columns(cells: dict[str, list[Any]], types: dict[str, set[type]], first: dict[str, Any]) -> set[str]:
    """The columns (each key's cells, a row at a time, and the types of those cells) of references ({id, name},
    or lists of them): a column holds references if any row's cell does, and a reference column of the model
    that the first row has stays one when no row happens to fill it (deterministic headers)."""
    found = {
        k
        for k, values in cells.items()
        if {dict, list} & types[k] and any(_holds_refs(v) for v in values if type(v) in (dict, list))
    }
    return found | {k for k in ref_columns() if k in first and all(v is None or v == [] for v in cells[k])}


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
    last: Any = None
    for row in rows:
        if row.keys() != last:  # rows of one view mostly share their keys: only another set of them can add one
            found.update(dict.fromkeys(row))
            last = row.keys()
    return list(found)


def write_csv(rows: list[dict[str, Any]], stream: Any, delimiter: str = ",") -> None:
    """Rows for CSV and TSV (TSV with delimiter='\\t'): a header of every key, then one flat row per dict
    (csv_table)."""
    write_table(*csv_table(rows), stream, delimiter)


def write_table(header: list[str], cells: Iterable[Sequence[Any]], stream: Any, delimiter: str = ",") -> None:
    """A header and rows of cells (csv_table's) as CSV or TSV: the writer of every view's (the csv module
    writes None empty and a number as str() does; `export`'s files for spreadsheets are written apart, in
    cli/sheets.py)."""
    import csv

    writer = csv.writer(stream, lineterminator="\n", delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(cells)


def csv_table(rows: list[dict[str, Any]]) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """The header and the rows of cells of rows printed as CSV or TSV: a header of every key, then one flat row
    per dict. A reference column `x` ({id, name}, or a list of them) becomes `x_id` and `x_name` beside each
    other, several joined with '; ', so a spreadsheet shows names and joins on ids. The cells are made a column
    at a time: a column of texts, numbers and nothing is kept as it is (what `flat` gives once written); a cell
    is a text, a number or None. The rows of cells are made as they are read (the columns are made here)."""
    keys = columns(rows)
    by_key = _by_key(rows, keys)
    types = {k: set(map(type, values)) for k, values in by_key.items()}
    refs = _ref_columns(by_key, types, rows[0] if rows else {})
    header = [c for k in keys for c in ((f"{k}_id", f"{k}_name") if k in refs else (k,))]
    cells: list[list[Any]] = []
    for k, values in by_key.items():
        if k in refs:
            cells.append([_ref_cell(v, "id") for v in values])
            cells.append([_ref_cell(v, "name") for v in values])
        elif types[k] <= _AS_THEY_ARE:
            cells.append(values)
        else:
            cells.append([v if type(v) is str else flat(v) for v in values])
    return header, zip(*cells, strict=True)


def _by_key(rows: list[dict[str, Any]], keys: list[str]) -> dict[str, list[Any]]:
    """Each key's cells, a row at a time (None where a row lacks the key). Where every row holds every key (as
    many keys as there are columns: a row's keys are among them), the rows are read by one itemgetter and
    turned into columns by zip, not a lookup a cell."""
    if len(keys) > 1 and all(len(row) == len(keys) for row in rows):
        if not rows:
            return {k: [] for k in keys}
        return dict(zip(keys, map(list, zip(*map(itemgetter(*keys), rows), strict=True)), strict=True))
    return {k: [row.get(k) for row in rows] for k in keys}


# the cells the csv module writes as `flat` would (not bool: flat writes it lower-case)
_AS_THEY_ARE = {str, int, float, type(None)}


def _ref_cell(value: Any, part: str) -> str:
    """One half of a reference cell: the id or the name of one reference, or of several joined with '; '."""
    if isinstance(value, dict):
        return str(value[part])
    return "; ".join(str(x[part]) for x in value or ())
