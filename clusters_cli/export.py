"""Export the whole knowledge base: JSON, CSV (a folder), GeoJSON or SQLite.

Core code: no terminal. Every export carries every entity with every field,
so what the knowledge base holds comes out (the round-trip tests check it).
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cells import columns
from .cells import write_csv as write_csv_rows
from .errors import UsageProblem
from .kinds import KINDS
from .paths import same_file
from .views import SCHEMA_VERSION

if TYPE_CHECKING:
    from .kb import KB

FORMATS = ("json", "csv", "geojson", "sqlite")

# (column, kind referred to) for each kind's single-valued references: SQLite foreign keys
SINGLE_REFS: dict[str, list[tuple[str, str]]] = {
    "source": [("cited_in", "source")],
    "province": [("capital", "city"), ("macro_region", "region")],
    "city": [("province", "province")],
    "park": [("city", "city")],
    "sector": [("parent", "sector")],
    "company": [("sector", "sector")],
    "cluster": [("sector", "sector"), ("region", "region")],
    "statistic": [
        ("region", "region"),
        ("province", "province"),
        ("city", "city"),
        ("park", "park"),
        ("sector", "sector"),
        ("cluster", "cluster"),
        ("source", "source"),
    ],
    "region": [],
}
# (kind, list field, kind referred to): link tables, e.g. cluster_provinces(cluster_id, province_id)
LIST_REFS = [
    ("region", "provinces", "province"),
    ("region", "cities", "city"),
    ("park", "sectors", "sector"),
    ("cluster", "provinces", "province"),
    ("cluster", "cities", "city"),
    ("cluster", "parks", "park"),
    ("cluster", "companies", "company"),
]


def export_data(kb: KB) -> dict[str, Any]:
    """The whole knowledge base as one JSON-ready document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "export",
        "meta": kb.meta,
        "counts": kb.counts(),
        **{section: kb.all(kind) for kind, section in KINDS.items()},
    }


def refuse_knowledge_base(kb: KB, target: Path) -> None:
    """Never write over the knowledge base being read."""
    if same_file(target, kb.path):
        raise UsageProblem(f"refusing to overwrite the knowledge base itself ({kb.path}); choose another -o")


def write_json(kb: KB, target: Path) -> list[str]:
    target.write_text(json.dumps(export_data(kb), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [str(target)]


def write_csv(kb: KB, target: Path) -> list[str]:
    """One CSV per kind in the folder `target`; list fields joined with '; '."""
    if target.exists() and not target.is_dir():
        raise UsageProblem(f"{target} exists and is not a folder; CSV export writes one file per kind into a folder")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, section in KINDS.items():
        path = target / f"{section}.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            write_csv_rows(kb.all(kind), f)
        written.append(str(path))
    return written


def geojson_data(kb: KB) -> dict[str, Any]:
    """Cities and parks as Points ([longitude, latitude]); a park sits at its city's centre."""
    features = []
    for kind in ("city", "park"):
        for e in kb.all(kind):
            if kind == "city":
                city, relation = e, "cluster_by_city"
            else:
                city, relation = kb.get("city", e["city"]) or {}, "cluster_by_park"
            clusters = kb.related(relation, e["id"])
            features.append(
                {
                    "type": "Feature",
                    "id": f"{kind}/{e['id']}",
                    "geometry": {"type": "Point", "coordinates": [city["lon"], city["lat"]]},
                    "properties": {
                        "kind": kind,
                        "id": e["id"],
                        "name": e["name"],
                        "name_zh": e.get("name_zh"),
                        "province": city.get("province"),
                        "city": city.get("id"),
                        "sectors": sorted({c["sector"] for c in clusters} | set(e.get("sectors", []))),
                        "clusters": [c["id"] for c in clusters],
                        "cluster_names": [c["name"] for c in clusters],
                        "location": "city centre" if kind == "city" else "approximate: the centre of its city",
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


def write_geojson(kb: KB, target: Path) -> list[str]:
    target.write_text(json.dumps(geojson_data(kb), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [str(target)]


def _sql_value(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value


def write_sqlite(kb: KB, target: Path) -> list[str]:
    """One table per kind (id primary key, foreign keys), plus link tables for list references."""
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp)
    try:
        table_columns = {kind: columns(kb.all(kind)) for kind in KINDS}
        for kind, section in KINDS.items():
            refs = dict(SINGLE_REFS[kind])
            defs = []
            for col in table_columns[kind]:
                if col == "id":
                    defs.append('"id" TEXT PRIMARY KEY')
                elif col in refs:
                    defs.append(f'"{col}" TEXT REFERENCES "{KINDS[refs[col]]}"(id)')
                else:
                    defs.append(f'"{col}"')
            conn.execute(f'CREATE TABLE "{section}" ({", ".join(defs)})')
        for kind, section in KINDS.items():  # after every table exists, so foreign keys resolve
            cols = table_columns[kind]
            names = ", ".join(f'"{c}"' for c in cols)
            conn.executemany(
                f'INSERT INTO "{section}" ({names}) VALUES ({", ".join("?" * len(cols))})',
                [[_sql_value(r.get(c)) for c in cols] for r in kb.all(kind)],
            )
        for kind, field, target_kind in LIST_REFS:
            table = f"{kind}_{field}"
            a, b = f"{kind}_id", f"{target_kind}_id"
            conn.execute(
                f'CREATE TABLE "{table}" ("{a}" TEXT NOT NULL REFERENCES "{KINDS[kind]}"(id), '
                f'"{b}" TEXT NOT NULL REFERENCES "{KINDS[target_kind]}"(id), PRIMARY KEY ("{a}", "{b}"))'
            )
            conn.executemany(
                f'INSERT OR IGNORE INTO "{table}" VALUES (?, ?)',
                [(e["id"], ref) for e in kb.all(kind) for ref in e.get(field, [])],
            )
        # derived: every province a cluster lies in, through its provinces, cities and parks
        conn.execute(
            'CREATE TABLE "cluster_locations" ("cluster_id" TEXT NOT NULL REFERENCES "clusters"(id), '
            '"province_id" TEXT NOT NULL REFERENCES "provinces"(id), PRIMARY KEY ("cluster_id", "province_id"))'
        )
        conn.executemany(
            'INSERT INTO "cluster_locations" VALUES (?, ?)',
            [(c["id"], p) for c in kb.all("cluster") for p in sorted(kb.cluster_provinces(c))],
        )
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [(k, _sql_value(v)) for k, v in kb.meta.items()] + [("schema_version", SCHEMA_VERSION)],
        )
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:  # pragma: no cover - the validator guarantees references
            raise RuntimeError(f"export broke a foreign key: {problems[:3]}")
        conn.commit()
    finally:
        conn.close()
    os.replace(tmp, target)
    return [str(target)]


WRITERS = {"json": write_json, "csv": write_csv, "geojson": write_geojson, "sqlite": write_sqlite}


def export(kb: KB, fmt: str, output: str) -> dict[str, Any]:
    """Write the export; return a small report of what was written."""
    if fmt not in WRITERS:
        raise UsageProblem(f"unknown export format '{fmt}'; choose from: {', '.join(FORMATS)}")
    target = Path(output)
    refuse_knowledge_base(kb, target)
    if fmt != "csv" and target.is_dir():
        raise UsageProblem(f"{target} is a folder; give a file name for the {fmt} export")
    try:
        files = WRITERS[fmt](kb, target)
    except OSError as e:
        raise UsageProblem(f"cannot write {target}: {e.strerror or e}") from None
    return {"schema_version": SCHEMA_VERSION, "kind": "export", "format": fmt, "files": files, "counts": kb.counts()}
