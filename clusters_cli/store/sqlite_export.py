"""The SQLite export: one table per kind, foreign keys and link tables from the model.

It lives with the store because it is SQL: no module outside store/ writes any.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..contract import SCHEMA_VERSION
from ..flatten import columns
from ..model import KINDS
from .kb import KB


def _sql_value(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def write_sqlite(kb: KB, target: Path, rows_of: Callable[[str], list[dict[str, Any]]] | None = None) -> list[str]:
    """One table per kind (id primary key, foreign keys from the model), link tables for list references.
    `rows_of(kind)` gives the rows of each table (default: the entities as the packs hold them)."""
    rows_of = rows_of or kb.all
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        rows = {kind.name: rows_of(kind.name) for kind in KINDS.values()}
        table_columns = {kind.name: columns(rows[kind.name]) or ["id"] for kind in KINDS.values()}
        for kind in KINDS.values():
            single = {r.field: KINDS[r.target].section for r in kind.refs if not r.many and r.key is None}
            defs = []
            for col in table_columns[kind.name]:
                if col == "id":
                    defs.append('"id" TEXT PRIMARY KEY')
                elif col in single:
                    defs.append(f'"{col}" TEXT REFERENCES "{single[col]}"(id)')
                else:
                    defs.append(f'"{col}"')
            conn.execute(f'CREATE TABLE "{kind.section}" ({", ".join(defs)})')
        for kind in KINDS.values():  # after every table exists, so foreign keys resolve
            cols = table_columns[kind.name]
            names = ", ".join(f'"{c}"' for c in cols)
            conn.executemany(
                f'INSERT INTO "{kind.section}" ({names}) VALUES ({", ".join("?" * len(cols))})',
                [[_sql_value(r.get(c)) for c in cols] for r in rows[kind.name]],
            )
        for kind in KINDS.values():
            for ref in kind.refs:
                if not ref.many and ref.key is None:
                    continue
                table = f"{kind.name}_{ref.field}"
                a, b = f"{kind.name}_id", f"{ref.target}_id" if ref.target != kind.name else f"{ref.field}_id"
                conn.execute(
                    f'CREATE TABLE "{table}" ("{a}" TEXT NOT NULL REFERENCES "{kind.section}"(id), '
                    f'"{b}" TEXT NOT NULL REFERENCES "{KINDS[ref.target].section}"(id), PRIMARY KEY ("{a}", "{b}"))'
                )
                conn.executemany(
                    f'INSERT OR IGNORE INTO "{table}" VALUES (?, ?)',
                    [(e["id"], target) for e in kb.all(kind.name) for target in ref.targets(e.get(ref.field))],
                )
        _write_counting_rule(conn, kb)
        conn.execute("CREATE TABLE packs (file TEXT, meta TEXT)")
        conn.executemany("INSERT INTO packs VALUES (?, ?)", [(p["file"], _sql_value(p)) for p in kb.packs])
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        main = next((p for p in kb.packs if p.get("primary_source")), kb.packs[0])
        meta = {k: v for k, v in main.items() if k not in ("file", "counts")}  # the article pack's, as before packs
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [(k, _sql_value(v)) for k, v in meta.items()] + [("schema_version", SCHEMA_VERSION)],
        )
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:  # pragma: no cover - the validator guarantees references
            raise RuntimeError(f"export broke a foreign key: {problems[:3]}")
        conn.commit()
    finally:
        conn.close()
    os.replace(tmp, target)
    return [str(target)]


# The one counting rule of every command (README, "What the counts count"), as tables and a view, so that the
# SQL anyone would write gives what `rank`, `map`, `list` and `compare` give.
_RULE = """
CREATE TABLE "cluster_locations" (
  "cluster_id" TEXT NOT NULL REFERENCES "clusters"(id),
  "province_id" TEXT NOT NULL REFERENCES "provinces"(id),
  PRIMARY KEY ("cluster_id", "province_id"));
CREATE TABLE "cluster_places" (
  "cluster_id" TEXT NOT NULL REFERENCES "clusters"(id),
  "kind" TEXT NOT NULL CHECK ("kind" IN ('province', 'city', 'region')),
  "place_id" TEXT NOT NULL,
  PRIMARY KEY ("cluster_id", "kind", "place_id"));
CREATE TABLE "cluster_tags" (
  "cluster_id" TEXT NOT NULL REFERENCES "clusters"(id),
  "sector_id" TEXT NOT NULL REFERENCES "sectors"(id),
  "main" INTEGER NOT NULL CHECK ("main" IN (0, 1)),
  PRIMARY KEY ("cluster_id", "sector_id"));
CREATE TABLE "sector_tree" (
  "sector_id" TEXT NOT NULL REFERENCES "sectors"(id),
  "ancestor_id" TEXT NOT NULL REFERENCES "sectors"(id),
  PRIMARY KEY ("sector_id", "ancestor_id"));
CREATE VIEW "clusters_by_place_and_sector" AS
  SELECT p."kind" AS "kind", p."place_id" AS "place_id", t."ancestor_id" AS "sector_id",
         COUNT(DISTINCT p."cluster_id") AS "clusters"
  FROM "cluster_places" p
  JOIN "cluster_tags" c ON c."cluster_id" = p."cluster_id"
  JOIN "sector_tree" t ON t."sector_id" = c."sector_id"
  GROUP BY p."kind", p."place_id", t."ancestor_id";
"""


def counting_rule_rows(kb: KB) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """The counting rule as link tables, table -> (columns, rows), for the SQLite and CSV exports alike:
    where each cluster is counted (its provinces; its cities with their prefectures and a municipality; its
    regions), every sector it is tagged with (the main one marked), and each sector with itself and every
    sector above it."""
    from .relations import clusters_at

    return {
        "cluster_locations": (
            ["cluster_id", "province_id"],
            [(c["id"], p) for c in kb.all("cluster") for p in kb.cluster_provinces(c["id"])],
        ),
        "cluster_places": (
            ["cluster_id", "kind", "place_id"],
            [
                (cluster, place_kind, place)
                for place_kind in ("province", "city", "region")
                for place, cluster in kb.related_pairs(clusters_at(place_kind))
            ],
        ),
        "cluster_tags": (
            ["cluster_id", "sector_id", "main"],
            [
                (c["id"], sector, int(i == 0))
                for c in kb.all("cluster")
                for i, sector in enumerate(dict.fromkeys([c["sector"], *c.get("sectors", [])]))
            ],
        ),
        "sector_tree": (
            ["sector_id", "ancestor_id"],
            [(s["id"], a) for s in kb.all("sector") for a in [s["id"], *kb.sector_ancestors(s["id"])]],
        ),
    }


def _write_counting_rule(conn: sqlite3.Connection, kb: KB) -> None:
    """The counting rule's tables, and the view that counts clusters per place and sector from them."""
    conn.executescript(_RULE)
    for table, (cols, rows) in counting_rule_rows(kb).items():
        conn.executemany(f'INSERT OR IGNORE INTO "{table}" VALUES ({", ".join("?" * len(cols))})', rows)
