"""Export the whole knowledge base: JSON, CSV (a folder), GeoJSON or SQLite.

Core code: no terminal. Every export carries every entity with every field,
so what the knowledge base holds comes out (the round-trip tests check it).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..errors import UsageProblem
from ..i18n import _, list_sep
from ..kinds import adapter, export_refs, link_column
from ..model import KINDS
from . import SCHEMA_VERSION
from .info import main_meta

if TYPE_CHECKING:
    from ..store.kb import KB

FORMATS = ("json", "csv", "geojson", "sqlite", "xlsx")


EXTENSIONS = {
    ".db": "sqlite",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
    ".csv": "csv",
    ".geojson": "geojson",
    ".json": "json",
    ".xlsx": "xlsx",
}


def export_format(fmt: str | None, output: str) -> str:
    """The export format: --format, else the extension of -o; a mismatch between the two is a usage error."""
    ext = os.path.splitext(output)[1].lower()
    implied = EXTENSIONS.get(ext)
    if fmt is None:
        if implied is None:
            names = list_sep().join(EXTENSIONS)
            raise UsageProblem(
                _("cannot tell the format from '{output}'; give --format or an extension ({names})").format(
                    output=output[:60], names=names
                )
            )
        return implied
    chosen = fmt.strip().lower()
    if implied is not None and implied != chosen:
        raise UsageProblem(
            _("the extension {ext} says {implied}, but --format says {chosen}").format(
                ext=ext, implied=implied, chosen=chosen
            )
        )
    return chosen


def each_exported(kb: KB, kind: str) -> Iterator[dict[str, Any]]:
    """Every entity of a kind as exported, in file order, each made as it is asked for (the JSON export holds
    one at a time): as the packs hold it, and a figure with its `amount` in base units and `amount_usd` where
    the source gives US dollars, so that every export sorts money alike."""
    behaviour = adapter(kind)
    flags = boolean_fields(KINDS[kind].section)
    # a yes/no field the pack leaves out is no: false in JSON and CSV, 0 in SQLite (never blank or NULL)
    for e in kb.each(kind):
        yield {**behaviour.exported(kb, e), **{f: bool(e.get(f, False)) for f in flags}}


def table_names() -> set[str]:
    """Every table a CSV export can write, whatever the packs hold: a table per kind, one per field of a
    kind that may hold a list (every field the packs' schema gives the kind, those a fold of `same_as` adds,
    and those the exports derive), and the counting rule's. A file so named in the folder is a table of an
    earlier export."""
    from ..store.rule_tables import RULE_TABLES
    from ..store.rules import FOLDED_FIELDS
    from ..store.schema import load_schema

    schema = load_schema().get("properties", {})
    names = set(RULE_TABLES) | {"packs"}
    for kind in KINDS.values():
        fields = set(schema.get(kind.section, {}).get("items", {}).get("properties", {}))
        fields |= {ref.field for ref in export_refs(kind.name)} | set(FOLDED_FIELDS.get(kind.name, ()))
        names |= {kind.section, *(f"{kind.name}_{field}" for field in fields)}
    return names


def boolean_fields(section: str) -> list[str]:
    """The fields the schema types as booleans in a section's entries (clusters' and lists' `translated`)."""
    from ..store.schema import load_schema

    items = load_schema().get("properties", {}).get(section, {}).get("items", {})
    return [name for name, rule in items.get("properties", {}).items() if rule.get("type") == "boolean"]


def export_data(kb: KB) -> dict[str, Any]:
    """The whole knowledge base as one JSON document, its lists of entities and of the counting rule's rows
    as iterators, each item made as it is written (render.json.write_document): the document is never held
    whole."""
    from ..store.rule_tables import counting_rule_rows

    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "knowledge_base",  # its schema: `clusters schema knowledge_base` ("export" is the report's)
        "meta": main_meta(kb),
        # a pack by its file name: an absolute path would show the exporter's folders to whoever gets the file
        "packs": [{**p, "file": os.path.basename(str(p["file"]))} for p in kb.packs],
        "counts": kb.counts(),
        **{kind.section: each_exported(kb, kind.name) for kind in KINDS.values()},
        # where each cluster is counted and of which sectors, as the SQLite and CSV exports give it: a script
        # over this file counts what `list`, `rank` and `map` count without redoing the rule
        "counting_rule": {table: _objects(cols, rows) for table, (cols, rows) in counting_rule_rows(kb).items()},
    }


def flat_tables(kb: KB) -> Iterator[tuple[str, list[str], Iterator[dict[str, Any]]]]:
    """Every table of the CSV and spreadsheet exports, (table, columns, rows) in order: a table per kind and
    per list field (csv_tables), then the counting rule's (store.rule_tables.counting_rule_rows) with its
    rows as objects."""
    from ..store.rule_tables import counting_rule_rows

    yield from csv_tables(kb)
    for table, (cols, rows) in counting_rule_rows(kb).items():
        yield table, cols, _objects(cols, rows)
    yield "packs", list(PACK_COLUMNS), iter(pack_rows(kb))


# what the `packs` table of the CSV and spreadsheet exports says of each pack read: what it is, what it rests
# on and under what licence (the JSON and SQLite exports hold each pack's meta whole), so that a table handed
# on alone still names the data's sources
PACK_COLUMNS = (
    "file",
    "title",
    "version",
    "primary_source",
    "source_title",
    "source_publisher",
    "source_vintage",
    "source_address",
    "licence",
)


def pack_rows(kb: KB) -> list[dict[str, Any]]:
    """A row per pack, in the order read: its file's name (never the folder it was read from), its meta's
    title, version and primary source, its source and its licence."""
    from pathlib import Path

    rows = []
    for p in kb.packs:
        stated = p.get("source")
        source: dict[str, Any] = stated if isinstance(stated, dict) else {}
        rows.append(
            {
                "file": Path(str(p.get("file", ""))).name,
                "title": p.get("title"),
                "version": p.get("version"),
                "primary_source": p.get("primary_source"),
                **{f"source_{k}": source.get(k) for k in ("title", "publisher", "vintage", "address")},
                "licence": p.get("licence"),
            }
        )
    return rows


def _objects(cols: list[str], rows: Iterator[tuple[Any, ...]]) -> Iterator[dict[str, Any]]:
    """Each row as an object of its columns, made as it is asked for."""
    for row in rows:
        yield dict(zip(cols, row, strict=True))


def _name_of(kb: KB, kind: str, ident: str) -> str:
    e = kb.get(kind, ident)
    return "" if e is None else str(e.get("name") or e.get("metric") or "")


def _dotted(prefix: str, value: dict[str, Any], out: dict[str, Any]) -> None:
    """An object as columns `prefix.key` (a locator: `locator.source`, `locator.where`), nested ones deeper;
    a list inside one joined with '; ' (ids or short words: the schema keeps objects' lists to those)."""
    for k, v in value.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            _dotted(key, v, out)
        elif isinstance(v, list):
            out[key] = "; ".join(str(x) for x in v)
        else:
            out[key] = v


def csv_tables(kb: KB) -> Iterator[tuple[str, list[str], Iterator[dict[str, Any]]]]:
    """The knowledge base as flat tables, (table, columns, rows) in order, for CSV files and spreadsheet sheets:

    - one table per kind (`clusters`), scalar fields as they are, a reference as `x_id` and `x_name`, an
      object as dotted columns (`locator.source`, `locator.where`), and a list of references as `x_id`,
      the ids joined with '; ' (an id is [a-z0-9-], so the separator never occurs in one);
    - one child table per list field (`cluster_specialties`, `cluster_cities`, `cluster_designations`):
      the owner's id, the item's position from 1, and the item (a value; a reference as `x_id` and `x_name`;
      an object as dotted columns), so no cell holds a list of free text or any JSON.

    A kind's tables are made in one pass over its entities, their rows put aside on disk (spool.Spool) until
    their columns are known, so no table is held in memory; each table's rows are read as they are asked for,
    and must be read before the next table is asked for."""
    from ..spool import Spool

    for kind in KINDS.values():
        refs = {r.field: r for r in export_refs(kind.name)}
        owner = f"{kind.name}_id"
        with contextlib.ExitStack() as spools:
            main = spools.enter_context(Spool())
            children: dict[str, Spool] = {}
            for e in each_exported(kb, kind.name):
                row: dict[str, Any] = {}
                for field, value in e.items():
                    ref = refs.get(field)
                    if isinstance(value, list):
                        name = f"{kind.name}_{field}"
                        child = children.get(name)
                        if child is None:  # a list field's table, even when each list of it is empty
                            child = children[name] = spools.enter_context(Spool())
                        for i, item in enumerate(value, 1):
                            child.add(_child_row(kb, kind.name, owner, e["id"], i, item, ref))
                        if ref is not None:
                            row[f"{field}_id"] = "; ".join(ref.targets(value))
                    elif ref is not None and ref.key is None and not ref.many:
                        row[f"{field}_id"] = value
                        row[f"{field}_name"] = "" if value is None else _name_of(kb, ref.target, str(value))
                    elif isinstance(value, dict):
                        _dotted(field, value, row)
                    else:
                        row[field] = value
                main.add(row)
            yield kind.section, main.columns or ["id"], main.rows()
            for name, spool in children.items():
                yield name, spool.columns, spool.rows()


def _child_row(kb: KB, kind: str, owner: str, ident: str, position: int, item: Any, ref: Any) -> dict[str, Any]:
    """A row of a list field's table: the owner's id, the item's position, and the item."""
    line: dict[str, Any] = {owner: ident, "position": position}
    # the item's columns are named by its kind (`province_id`), or by the field where that is the owner's kind
    # (`distinct_from_id`), as the SQLite export's link tables are
    item_col = link_column(kind, ref) if ref is not None else ""
    if ref is not None and ref.key is None:
        line[f"{item_col}_id"] = item
        line[f"{item_col}_name"] = _name_of(kb, ref.target, str(item))
    elif isinstance(item, dict):
        if ref is not None and ref.key is not None:  # a membership: its list first
            line[f"{item_col}_id"] = item.get(ref.key)
            line[f"{item_col}_name"] = _name_of(kb, ref.target, str(item.get(ref.key)))
            _dotted("", {k: v for k, v in item.items() if k != ref.key}, line)
        else:
            _dotted("", item, line)
    else:
        line["value"] = item
    return line
