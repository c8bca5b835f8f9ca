"""The GeoJSON export: the knowledge base as map layers (places, parks, companies, clusters, provinces), each
feature with its kind, its point or outline (none where no page states one), and its properties flat enough
for GIS programs (a list beside its `_text` twin).

Core code: no terminal. cli/files.py writes the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..dissolve import dissolve, ring_area2
from ..errors import UsageProblem
from ..i18n import _, list_sep
from ..kinds import adapter, seat_of
from ..model import KINDS
from ..store.rules import cluster_sectors
from .map import seats_licence

if TYPE_CHECKING:
    from ..store.kb import KB


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


def _seat_of(kb: KB, city: dict[str, Any]) -> dict[str, Any] | None:
    """Where a city stands (kinds.seat_of, over the KB): its seat, or a district's city's where the table gives
    the district none."""
    return seat_of(city, lambda ident: kb.get("city", ident))


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

    Lists have text twins (`sectors_text`); the collection carries the coordinates' licence and attribution.
    The features are an iterator, each made as it is written (render.json.write_document)."""
    from ..shapes import source as shapes_source

    chosen = geo_layers(layers)
    # the coordinates' licence is that of the packs the places come from (the reference pack's, shipped)
    seats = seats_licence(kb)
    shapes = shapes_source()
    return {
        "type": "FeatureCollection",
        "name": "clusters",
        "layers": chosen,
        "licence": {"coordinates": seats, "outlines": f"{shapes['title']}: {shapes['licence']}"},
        # two sentences: a pack's licence need not end in a full stop (the credit copied read "... cites Province
        # outlines: ...")
        "attribution": f"Seats: {seats}{'' if seats.rstrip().endswith(('.', '!', '?', '。')) else '.'} Province "
        "outlines: Made with Natural Earth (public domain); its de facto boundaries, not an official map of China.",
        "features": _features(kb, chosen),
    }


def _features(kb: KB, chosen: list[str]) -> Iterator[dict[str, Any]]:
    """The features of the chosen layers in order, each made as it is asked for (the export writes them one
    at a time: render.json.write_document)."""
    from ..shapes import outlines

    direct: dict[str, list[str]] = {}
    if any(layer in _LAYER_KIND for layer in chosen):
        for c in kb.each("cluster"):
            for city in dict.fromkeys(kb.cluster_cities(c["id"])):
                direct.setdefault(city, []).append(c["id"])
    located = [k for k in KINDS if adapter(k).located]
    for layer in chosen:
        if layer in _LAYER_KIND:
            # places: cities, and any other located kind a pack defines that is neither a park nor a firm
            kinds = [_LAYER_KIND[layer]] if layer != "places" else [k for k in located if k not in ("park", "company")]
            for kind in kinds:
                yield from _located_features(kb, kind, direct)
        elif layer == "clusters":
            yield from _cluster_features(kb, outlines())
        else:
            yield from _province_features(kb, outlines())


def _located_features(kb: KB, kind: str, direct: dict[str, list[str]]) -> Iterator[dict[str, Any]]:
    for e in kb.each(kind):
        seat = adapter(kind).seat(kb, e)  # a firm whose headquarters no page states has none: a null geometry
        city = seat or {}
        # where it is drawn: its city's seat, or a district's city's where the table gives the district none
        # (Shenzhen's Guangming), as near measures it
        drawn = _seat_of(kb, seat) if seat is not None else None
        counted = kb.clusters_in(kind, e["id"])
        own = direct.get(e["id"], []) if kind == "city" else [c["id"] for c in counted]
        clusters = [kb.get("cluster", c) or {} for c in own]
        # the sectors `list` files it under (Adapter.sectors_of_clusters): its own, and its clusters' but for a park
        sectors = set(e.get("sectors", [])) | ({e["sector"]} if e.get("sector") else set())
        if adapter(kind).sectors_of_clusters:
            sectors |= {s for c in clusters for s in cluster_sectors(c)}
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
                if _point(drawn) is None
                else "city centre"
                if drawn is e
                else "approximate: the centre of its city"
            ),
        }
        yield {"type": "Feature", "id": f"{kind}/{e['id']}", "geometry": _point(drawn), "properties": _twins(props)}


def _cluster_features(kb: KB, shapes: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for c in kb.each("cluster"):
        cities = list(dict.fromkeys(kb.cluster_cities(c["id"])))
        located = [_seat_of(kb, city) for city in kb.many("city", cities)]
        # each seat once: a district standing at its city's seat, beside the city, is one point
        seats = [list(xy) for xy in dict.fromkeys(tuple(p["coordinates"]) for p in map(_point, located) if p)]
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
            if polygons:  # neighbours' shared borders dissolved: side by side, GIS tools refuse it as invalid
                merged = dissolve(polygons) if len(outlined) > 1 else polygons
                geometry = {"type": "MultiPolygon", "coordinates": merged}
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
        yield {"type": "Feature", "id": f"cluster/{c['id']}", "geometry": geometry, "properties": _twins(props)}


def _province_features(kb: KB, shapes: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for p in kb.each("province"):
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
        yield {"type": "Feature", "id": f"province/{p['id']}", "geometry": geometry, "properties": _twins(props)}


# --- CSV and spreadsheet tables: no JSON in any cell
