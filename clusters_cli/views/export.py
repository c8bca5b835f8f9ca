"""Export the whole knowledge base: JSON, CSV (a folder), GeoJSON or SQLite.

Core code: no terminal. Every export carries every entity with every field,
so what the knowledge base holds comes out (the round-trip tests check it).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..errors import UsageProblem
from ..kinds import adapter
from ..model import KINDS
from ..store.rules import cluster_sectors
from . import SCHEMA_VERSION
from .info import main_meta

if TYPE_CHECKING:
    from ..store.kb import KB

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
    behaviour = adapter(kind)
    flags = boolean_fields(KINDS[kind].section)
    # a yes/no field the pack leaves out is no: false in JSON and CSV, 0 in SQLite (never blank or NULL)
    return [{**behaviour.exported(kb, e), **{f: bool(e.get(f, False)) for f in flags}} for e in kb.all(kind)]


def boolean_fields(section: str) -> list[str]:
    """The fields the schema types as booleans in a section's entries (clusters' and lists' `translated`)."""
    from ..store.schema import load_schema

    items = load_schema().get("properties", {}).get(section, {}).get("items", {})
    return [name for name, rule in items.get("properties", {}).items() if rule.get("type") == "boolean"]


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


def geojson_data(kb: KB) -> dict[str, Any]:
    """Cities and parks as Points ([longitude, latitude]); a park sits at its city's centre."""
    features = []
    for kind in [k for k in KINDS if adapter(k).located]:  # a city at its seat, a park at its city's
        for e in kb.all(kind):
            seat = adapter(kind).seat(kb, e)
            if seat is None and kind != "city":  # a firm no page places has no feature
                continue
            city = seat or {}
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
                        "location": "city centre" if city is e else "approximate: the centre of its city",
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}
