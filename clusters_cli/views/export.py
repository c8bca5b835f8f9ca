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

from ..errors import UsageProblem
from ..flatten import write_csv as write_csv_rows
from ..model import KINDS
from ..paths import same_file
from ..store.rules import cluster_sectors
from ..store.sqlite_export import write_sqlite
from . import SCHEMA_VERSION
from .common import amount, amount_usd
from .info import main_meta

if TYPE_CHECKING:
    from ..store.kb import KB
    from .analysis_types import ExportReport

FORMATS = ("json", "csv", "geojson", "sqlite")

EXTENSIONS = {
    ".db": "sqlite",
    ".sqlite": "sqlite",
    ".sqlite3": "sqlite",
    ".csv": "csv",
    ".geojson": "geojson",
    ".json": "json",
}


def export_format(fmt: str | None, output: str) -> str:
    """The export format: --format, else the extension of -o; a mismatch between the two is a usage error."""
    ext = os.path.splitext(output)[1].lower()
    implied = EXTENSIONS.get(ext)
    if fmt is None:
        if implied is None:
            names = ", ".join(EXTENSIONS)
            raise UsageProblem(f"cannot tell the format from '{output[:60]}'; give --format or an extension ({names})")
        return implied
    chosen = fmt.strip().lower()
    if implied is not None and implied != chosen:
        raise UsageProblem(f"the extension {ext} says {implied}, but --format says {chosen}")
    return chosen


def entities(kb: KB, kind: str) -> list[dict[str, Any]]:
    """Every entity of a kind as exported: as the packs hold it, and a figure with its `amount` in base
    units and `amount_usd` where the source gives US dollars, so that every export sorts money alike."""
    if kind != "statistic":
        return kb.all(kind)
    return [{**st, "amount": amount(st), "amount_usd": amount_usd(st)} for st in kb.all(kind)]


def export_data(kb: KB) -> dict[str, Any]:
    """The whole knowledge base as one JSON-ready document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "export",
        "meta": main_meta(kb),
        "packs": kb.packs,
        "counts": kb.counts(),
        **{kind.section: entities(kb, kind.name) for kind in KINDS.values()},
    }


def refuse_knowledge_base(kb: KB, target: Path) -> None:
    """Never write over the knowledge base being read."""
    for pack in kb.paths:
        if same_file(target, pack):
            raise UsageProblem(f"refusing to overwrite a knowledge-base pack ({pack}); choose another -o")


def write_json(kb: KB, target: Path) -> list[str]:
    target.write_text(json.dumps(export_data(kb), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [str(target)]


def write_csv(kb: KB, target: Path) -> list[str]:
    """One CSV per kind in the folder `target`; list fields joined with '; '."""
    if target.exists() and not target.is_dir():
        raise UsageProblem(f"{target} exists and is not a folder; CSV export writes one file per kind into a folder")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS.values():
        path = target / f"{kind.section}.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            write_csv_rows(entities(kb, kind.name), f)
        written.append(str(path))
    return written


def geojson_data(kb: KB) -> dict[str, Any]:
    """Cities and parks as Points ([longitude, latitude]); a park sits at its city's centre."""
    features = []
    for kind in ("city", "park"):
        for e in kb.all(kind):
            city = e if kind == "city" else kb.get("city", e["city"]) or {}
            clusters = kb.clusters_in(kind, e["id"])
            sectors = {s for c in clusters for s in cluster_sectors(c)} | set(e.get("sectors", []))
            features.append(
                {
                    "type": "Feature",
                    "id": f"{kind}/{e['id']}",
                    # RFC 7946 allows an unlocated feature: a city the source table gives no seat for
                    "geometry": None
                    if city.get("lat") is None
                    else {"type": "Point", "coordinates": [city["lon"], city["lat"]]},
                    "properties": {
                        "kind": kind,
                        "id": e["id"],
                        "name": e["name"],
                        "name_zh": e.get("name_zh"),
                        "code": city.get("code"),
                        "province": city.get("province"),
                        "city": city.get("id"),
                        "sectors": sorted(sectors),
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


def write_sqlite_file(kb: KB, target: Path) -> list[str]:
    return write_sqlite(kb, target, lambda kind: entities(kb, kind))


WRITERS = {"json": write_json, "csv": write_csv, "geojson": write_geojson, "sqlite": write_sqlite_file}


def export(kb: KB, fmt: str, output: str) -> ExportReport:
    """Write the export; return a small report of what was written."""
    if fmt not in WRITERS:
        raise UsageProblem(f"unknown export format '{fmt}'; choose from: {', '.join(FORMATS)}")
    if output == "-":  # standard output, as line tools expect: the text formats only
        if fmt not in ("json", "geojson"):
            raise UsageProblem(f"-o - writes to standard output, which a {fmt} export cannot: give a path")
        import sys

        document = export_data(kb) if fmt == "json" else geojson_data(kb)
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "export",
            "format": fmt,
            "files": ["-"],
            "counts": kb.counts(),
        }
    target = Path(output)
    refuse_knowledge_base(kb, target)
    if fmt != "csv" and target.is_dir():
        raise UsageProblem(f"{target} is a folder; give a file name for the {fmt} export")
    if not target.absolute().parent.is_dir():  # every format alike: the folder it goes in must exist
        raise UsageProblem(f"cannot write {target}: the folder {target.absolute().parent} does not exist")
    try:
        files = WRITERS[fmt](kb, target)
    except (OSError, sqlite3.Error) as e:
        raise UsageProblem(f"cannot write {target}: {getattr(e, 'strerror', None) or e}") from None
    return {"schema_version": SCHEMA_VERSION, "kind": "export", "format": fmt, "files": files, "counts": kb.counts()}
