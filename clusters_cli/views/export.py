"""Export the whole knowledge base: JSON, CSV (a folder), GeoJSON or SQLite.

Core code: no terminal. Every export carries every entity with every field,
so what the knowledge base holds comes out (the round-trip tests check it).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..errors import UsageProblem
from ..flatten import columns
from ..i18n import _, list_sep
from ..kinds import adapter, export_refs, link_column
from ..model import KINDS
from ..store.rules import cluster_sectors
from . import SCHEMA_VERSION
from .info import main_meta
from .map import seats_licence

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


def entities(kb: KB, kind: str) -> list[dict[str, Any]]:
    """Every entity of a kind as exported: as the packs hold it, and a figure with its `amount` in base
    units and `amount_usd` where the source gives US dollars, so that every export sorts money alike."""
    behaviour = adapter(kind)
    flags = boolean_fields(KINDS[kind].section)
    # a yes/no field the pack leaves out is no: false in JSON and CSV, 0 in SQLite (never blank or NULL)
    return [{**behaviour.exported(kb, e), **{f: bool(e.get(f, False)) for f in flags}} for e in kb.all(kind)]


def table_names() -> set[str]:
    """Every table a CSV export can write, whatever the packs hold: a table per kind, one per field of a
    kind that may hold a list (every field the packs' schema gives the kind, and those the exports derive),
    and the counting rule's. A file so named in the folder is a table of an earlier export."""
    from ..store.schema import load_schema
    from ..store.sqlite_export import RULE_TABLES

    schema = load_schema().get("properties", {})
    names = set(RULE_TABLES)
    for kind in KINDS.values():
        fields = set(schema.get(kind.section, {}).get("items", {}).get("properties", {}))
        fields |= {ref.field for ref in export_refs(kind.name)}
        names |= {kind.section, *(f"{kind.name}_{field}" for field in fields)}
    return names


def boolean_fields(section: str) -> list[str]:
    """The fields the schema types as booleans in a section's entries (clusters' and lists' `translated`)."""
    from ..store.schema import load_schema

    items = load_schema().get("properties", {}).get(section, {}).get("items", {})
    return [name for name, rule in items.get("properties", {}).items() if rule.get("type") == "boolean"]


def export_data(kb: KB) -> dict[str, Any]:
    """The whole knowledge base as one JSON-ready document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "knowledge_base",  # its schema: `clusters schema knowledge_base` ("export" is the report's)
        "meta": main_meta(kb),
        # a pack by its file name: an absolute path would show the exporter's folders to whoever gets the file
        "packs": [{**p, "file": os.path.basename(str(p["file"]))} for p in kb.packs],
        "counts": kb.counts(),
        **{kind.section: entities(kb, kind.name) for kind in KINDS.values()},
        # where each cluster is counted and of which sectors, as the SQLite and CSV exports give it: a script
        # over this file counts what `list`, `rank` and `map` count without redoing the rule
        "counting_rule": {table: rows for table, (_, rows) in rule_tables(kb).items()},
    }


def rule_tables(kb: KB) -> dict[str, tuple[list[str], list[dict[str, Any]]]]:
    """The counting rule's tables (store.sqlite_export.counting_rule_rows), table -> (columns, rows as
    objects): for the JSON, CSV and spreadsheet exports."""
    from ..store.sqlite_export import counting_rule_rows

    return {
        table: (cols, [dict(zip(cols, row, strict=True)) for row in rows])
        for table, (cols, rows) in counting_rule_rows(kb).items()
    }


GEO_LAYERS = ("places", "parks", "companies", "clusters", "provinces")
_LAYER_KIND = {"places": "city", "parks": "park", "companies": "company"}


def geo_layers(asked: list[str] | None) -> list[str]:
    """The layers asked for (all by default), in the collection's order; an unknown one is a usage error."""
    if not asked:
        return list(GEO_LAYERS)
    chosen = []
    for name in asked:
        layer = name.strip().lower()
        if layer not in GEO_LAYERS:
            raise UsageProblem(
                _("unknown layer '{name}'; choose from: {value}").format(
                    name=name[:40], value=list_sep().join(GEO_LAYERS)
                )
            )
        chosen.append(layer)
    return [layer for layer in GEO_LAYERS if layer in chosen]


def _twins(props: dict[str, Any]) -> dict[str, Any]:
    """Each list property with a text twin `x_text`, its items joined with '; ': GDAL filters a string with
    LIKE and a Shapefile holds no list, while the list stays for tools that read one."""
    out = dict(props)
    for k, v in props.items():
        if isinstance(v, list):
            out[f"{k}_text"] = "; ".join(str(x) for x in v)
    return out


def _point(e: dict[str, Any] | None) -> dict[str, Any] | None:
    if not e or e.get("lat") is None or e.get("lon") is None:
        return None
    return {"type": "Point", "coordinates": [e["lon"], e["lat"]]}


def ring_area2(ring: list[list[float]]) -> float:
    """Twice the signed area of a closed ring in longitude and latitude: positive when it turns
    counterclockwise (the shoelace formula; an open ring is closed)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True))


def _polygon(poly: list[Any]) -> list[list[list[float]]]:
    """A polygon's rings as RFC 7946 (3.1.6) winds them: the exterior counterclockwise, holes clockwise
    (Natural Earth's outlines turn the other way)."""
    rings = [[[float(pt[0]), float(pt[1])] for pt in ring] for ring in poly]
    for i, ring in enumerate(rings):
        if (ring_area2(ring) > 0) != (i == 0):
            ring.reverse()
    return rings


def geojson_data(kb: KB, layers: list[str] | None = None) -> dict[str, Any]:
    """The knowledge base on a map, as layers a GIS user picks apart by `kind` (every feature has one):

    - places: every city at its seat (`level`, `prefecture`); `clusters` are those naming the place itself,
      so a cluster placed on a district is not also on its prefecture (no double counting), and
      `clusters_counted` is the count rank and list give (a prefecture's includes its districts');
    - parks and companies: at their city's seat (approximate; `location` says so);
    - clusters: one feature each, a MultiPoint of the seats of its places, or where it names no city with a
      seat, the outlines of its provinces, or of its region's (`placed` says which; null where none);
    - provinces: Natural Earth's outlines (Hong Kong and Macao as points at their seats) with their counts.

    Lists have text twins (`sectors_text`); the collection carries the coordinates' licence and attribution."""
    from ..shapes import outlines
    from ..shapes import source as shapes_source

    chosen = geo_layers(layers)
    direct: dict[str, list[str]] = {}
    for c in kb.all("cluster"):
        for city in dict.fromkeys(kb.cluster_cities(c["id"])):
            direct.setdefault(city, []).append(c["id"])
    features: list[dict[str, Any]] = []
    located = [k for k in KINDS if adapter(k).located]
    for layer in chosen:
        if layer in _LAYER_KIND:
            # places: cities, and any other located kind a pack defines that is neither a park nor a firm
            kinds = [_LAYER_KIND[layer]] if layer != "places" else [k for k in located if k not in ("park", "company")]
            for kind in kinds:
                features += _located_features(kb, kind, direct)
        elif layer == "clusters":
            features += _cluster_features(kb, outlines())
        else:
            features += _province_features(kb, outlines())
    # the coordinates' licence is that of the packs the places come from (the reference pack's, shipped)
    seats = seats_licence(kb)
    shapes = shapes_source()
    return {
        "type": "FeatureCollection",
        "name": "clusters",
        "layers": chosen,
        "licence": {"coordinates": seats, "outlines": f"{shapes['title']}: {shapes['licence']}"},
        "attribution": f"Seats: {seats} Province outlines: Made with Natural Earth (public domain); its de facto "
        "boundaries, not an official map of China.",
        "features": features,
    }


def _located_features(kb: KB, kind: str, direct: dict[str, list[str]]) -> list[dict[str, Any]]:
    out = []
    for e in kb.all(kind):
        seat = adapter(kind).seat(kb, e)  # a firm whose headquarters no page states has none: a null geometry
        city = seat or {}
        counted = kb.clusters_in(kind, e["id"])
        own = direct.get(e["id"], []) if kind == "city" else [c["id"] for c in counted]
        clusters = [kb.get("cluster", c) or {} for c in own]
        # its clusters' sectors, and its own (a firm's main sector too: it was left out)
        sectors = {s for c in clusters for s in cluster_sectors(c)} | set(e.get("sectors", []))
        sectors |= {e["sector"]} if e.get("sector") else set()
        props: dict[str, Any] = {
            "kind": kind,
            "id": e["id"],
            "name": e["name"],
            "name_zh": e.get("name_zh"),
            "code": city.get("code"),
            "level": city.get("level"),
            "province": city.get("province"),
            "prefecture": city.get("prefecture"),
            "city": city.get("id"),
            "sectors": sorted(sectors),
            "clusters": own,
            "cluster_names": [c.get("name") for c in clusters],
            "clusters_counted": len(counted),
            "location": (  # no point where no seat is recorded (a firm no page places, a city without one)
                "not recorded"
                if _point(city) is None
                else "city centre"
                if city is e
                else "approximate: the centre of its city"
            ),
        }
        out.append(
            {"type": "Feature", "id": f"{kind}/{e['id']}", "geometry": _point(city), "properties": _twins(props)}
        )
    return out


def _cluster_features(kb: KB, shapes: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for c in kb.all("cluster"):
        cities = list(dict.fromkeys(kb.cluster_cities(c["id"])))
        seats = [p["coordinates"] for p in (_point(kb.get("city", ci)) for ci in cities) if p is not None]
        provinces = list(kb.cluster_provinces(c["id"]))
        geometry: dict[str, Any] | None = None
        placed = "none"
        if seats:
            geometry, placed = {"type": "MultiPoint", "coordinates": seats}, "cities"
        else:  # its provinces' outlines; for a cluster placed only in a region, the region's provinces'
            region = kb.get("region", str(c.get("region") or "")) or {}
            outlined, placed = (
                (provinces, "provinces") if provinces else (list(region.get("provinces") or []), "region")
            )
            polygons = [
                _polygon(poly)
                for p in outlined
                for poly in shapes.get(str((kb.get("province", p) or {}).get("iso_code")), {}).get("polygons", [])
            ]
            if polygons:
                geometry = {"type": "MultiPolygon", "coordinates": polygons}
            else:
                placed = "none"
        props = {
            "kind": "cluster",
            "id": c["id"],
            "name": c["name"],
            "name_zh": c.get("name_zh"),
            "sector": c["sector"],
            "sectors": list(cluster_sectors(c)),
            "status": c.get("status"),
            "provinces": provinces,
            "cities": cities,
            "region": c.get("region"),
            "designations": [d["list"] for d in c.get("designations") or []],
            "placed": placed,
        }
        out.append({"type": "Feature", "id": f"cluster/{c['id']}", "geometry": geometry, "properties": _twins(props)})
    return out


def _province_features(kb: KB, shapes: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for p in kb.all("province"):
        shape = shapes.get(str(p.get("iso_code")))
        clusters = [c["id"] for c in kb.clusters_in("province", p["id"])]
        if shape is not None:
            geometry: dict[str, Any] | None = {
                "type": "MultiPolygon",
                "coordinates": [_polygon(poly) for poly in shape["polygons"]],
            }
        else:
            geometry = _point(adapter("province").seat(kb, p))
        props = {
            "kind": "province",
            "id": p["id"],
            "iso_code": p.get("iso_code"),
            "name": p["name"],
            "name_zh": p.get("name_zh"),
            "clusters": clusters,
            "cluster_count": len(clusters),
            "outline": "Natural Earth" if shape is not None else ("seat" if geometry else "none"),
        }
        out.append({"type": "Feature", "id": f"province/{p['id']}", "geometry": geometry, "properties": _twins(props)})
    return out


# --- CSV and spreadsheet tables: no JSON in any cell


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


Table = tuple[list[str], list[dict[str, Any]]]


def csv_tables(kb: KB) -> dict[str, Table]:
    """The knowledge base as flat tables, table -> (columns, rows), for CSV files and spreadsheet sheets:

    - one table per kind (`clusters`), scalar fields as they are, a reference as `x_id` and `x_name`, an
      object as dotted columns (`locator.source`, `locator.where`), and a list of references as `x_id`,
      the ids joined with '; ' (an id is [a-z0-9-], so the separator never occurs in one);
    - one child table per list field (`cluster_specialties`, `cluster_cities`, `cluster_designations`):
      the owner's id, the item's position from 1, and the item (a value; a reference as `x_id` and `x_name`;
      an object as dotted columns), so no cell holds a list of free text or any JSON.
    """
    tables: dict[str, Table] = {}
    for kind in KINDS.values():
        rows = entities(kb, kind.name)
        refs = {r.field: r for r in export_refs(kind.name)}
        main: list[dict[str, Any]] = []
        children: dict[str, list[dict[str, Any]]] = {}
        owner = f"{kind.name}_id"
        for e in rows:
            row: dict[str, Any] = {}
            for field, value in e.items():
                ref = refs.get(field)
                if isinstance(value, list):
                    child = children.setdefault(f"{kind.name}_{field}", [])
                    for i, item in enumerate(value, 1):
                        line: dict[str, Any] = {owner: e["id"], "position": i}
                        # the item's columns are named by its kind (`province_id`), or by the field where that
                        # is the owner's kind (`distinct_from_id`), as the SQLite export's link tables are
                        item_col = link_column(kind.name, ref) if ref is not None else ""
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
                        child.append(line)
                    if ref is not None:
                        row[f"{field}_id"] = "; ".join(ref.targets(value))
                elif ref is not None and ref.key is None and not ref.many:
                    row[f"{field}_id"] = value
                    row[f"{field}_name"] = "" if value is None else _name_of(kb, ref.target, str(value))
                elif isinstance(value, dict):
                    _dotted(field, value, row)
                else:
                    row[field] = value
            main.append(row)
        tables[kind.section] = (columns(main) or ["id"], main)
        for name, child_rows in children.items():
            tables[name] = (columns(child_rows), child_rows)
    return tables
