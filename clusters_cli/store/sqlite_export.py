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
        # derived: every province a cluster lies in, through its provinces, cities and parks
        conn.execute(
            'CREATE TABLE "cluster_locations" ("cluster_id" TEXT NOT NULL REFERENCES "clusters"(id), '
            '"province_id" TEXT NOT NULL REFERENCES "provinces"(id), PRIMARY KEY ("cluster_id", "province_id"))'
        )
        conn.executemany(
            'INSERT INTO "cluster_locations" VALUES (?, ?)',
            [(c["id"], p) for c in kb.all("cluster") for p in kb.cluster_provinces(c["id"])],
        )
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
