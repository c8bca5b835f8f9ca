"""`map`: a tile map of China's 33 provincial-level divisions and their clusters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..i18n import N_
from ..kinds import adapter
from ..resolve import resolve
from ..store.relations import Rel, clusters_at
from ..store.rules import cluster_sectors
from ..values import refs
from . import SCHEMA_VERSION
from .common import COUNTS_NOTE, by_place, counted_from, ranked_itself
from .resolved import match_info

if TYPE_CHECKING:
    from ..store.kb import KB, Entity
    from .analysis_types import Dot, MapView, ShadeClass, Tile
    from .types import Resolved

# Tile grid of the 33 divisions: (row, column), laid out so neighbours stay neighbours.
TILES: dict[str, tuple[int, int]] = {
    "heilongjiang": (0, 7),
    "inner-mongolia": (1, 4),
    "beijing": (1, 5),
    "tianjin": (1, 6),
    "jilin": (1, 7),
    "xinjiang": (2, 0),
    "qinghai": (2, 1),
    "gansu": (2, 2),
    "ningxia": (2, 3),
    "shanxi": (2, 4),
    "hebei": (2, 5),
    "shandong": (2, 6),
    "liaoning": (2, 7),
    "tibet": (3, 1),
    "sichuan": (3, 2),
    "shaanxi": (3, 3),
    "henan": (3, 4),
    "anhui": (3, 5),
    "jiangsu": (3, 6),
    "yunnan": (4, 2),
    "chongqing": (4, 3),
    "hubei": (4, 4),
    "jiangxi": (4, 5),
    "zhejiang": (4, 6),
    "shanghai": (4, 7),
    "guizhou": (5, 3),
    "hunan": (5, 4),
    "fujian": (5, 5),
    "guangxi": (6, 3),
    "guangdong": (6, 4),
    "hong-kong": (6, 5),
    "hainan": (7, 3),
    "macao": (7, 4),
}


def shade_level(count: int, top: int) -> int:
    """0 for no clusters, else 1-4: four equal classes of 1..top (the busiest division's count)."""
    if count <= 0 or top <= 0:
        return 0
    return min(4, 1 + (count - 1) * 4 // top)


def shade_classes(top: int) -> list[ShadeClass]:
    """The class breaks shade_level draws, stated: for a top of 45, 1-12, 13-23, 24-34 and 35-45. A level no
    count from 1 to top reaches (a top under 4) has no class."""
    classes: list[ShadeClass] = []
    for n in range(1, top + 1):
        level = shade_level(n, top)
        if classes and classes[-1]["level"] == level:
            classes[-1]["max"] = n
        else:
            classes.append({"level": level, "min": n, "max": n})
    return classes


def _seat(kb: KB, province: Entity) -> list[float] | None:
    """[lon, lat] of the province's seat (its adapter's: the capital), None where it has none."""
    capital = adapter("province").seat(kb, province) or {}
    lat, lon = capital.get("lat"), capital.get("lon")
    return None if lat is None or lon is None else [float(lon), float(lat)]


def map_view(kb: KB, sector: str | None = None) -> MapView:
    """One tile per division with its cluster count (of one sector and its sub-sectors, if given)."""
    sector_ref: Resolved | None = None
    family: set[str] | None = None
    if sector is not None:
        m = resolve(kb, "sector", sector)
        sector_ref = match_info(kb, m, sector, "sector")
        family = set(kb.sector_descendants(m.entity["id"]))
    tiles: list[Tile] = []
    unplaced: list[Tile] = []
    # every province's clusters and their cities are asked: each relation and those cities read at once, not
    # a query per province; a cluster is read whole only where its sectors filter it (a tile needs its id)
    kb.prefetch(clusters_at("province"))
    kb.prefetch(Rel.CLUSTER_CITIES)
    provinces = kb.all("province")
    counted = {p["id"]: kb.related(clusters_at("province"), p["id"]) for p in provinces}
    if family is not None:
        tagged = kb.many("cluster", list(dict.fromkeys(c for ids in counted.values() for c in ids)))
        kept = {c["id"] for c in tagged if family & set(cluster_sectors(c))}
        counted = {p: [c for c in ids if c in kept] for p, ids in counted.items()}
    kb.many("city", [ci for ids in counted.values() for c in ids for ci in kb.cluster_cities(c)])
    for p in provinces:
        clusters = counted[p["id"]]
        code = str(p.get("iso_code", "")).removeprefix("CN-") or p["id"][:2].upper()
        tile: Tile = {
            "id": p["id"],
            "name": p["name"],
            "name_zh": p["name_zh"],
            "short_zh": p.get("short_zh"),
            "abbr": p["abbr"],
            "code": code,
            "iso_code": p.get("iso_code"),
            "seat": _seat(kb, p),
            "row": -1,
            "col": -1,
            "clusters": len(clusters),
            "cluster_ids": list(clusters),
            "cities": [
                ref
                for ref in refs(kb, "city", dict.fromkeys(ci for c in clusters for ci in kb.cluster_cities(c)))
                if (kb.get("city", ref["id"]) or {}).get("province") == p["id"]
            ],
            "level": 0,
        }
        if p["id"] in TILES:
            tile["row"], tile["col"] = TILES[p["id"]]
            tiles.append(tile)
        else:
            unplaced.append(tile)
    # a dot per city `rank cities` ranks (a prefecture-level city, a municipality, a county-level city no prefecture
    # governs), holding the clusters counted in it by the one rule: a district's or a county's at its city's seat,
    # once, as `city` and `list cities` count them (a dot of what its clusters name alone read Shenzhen 13, beside
    # a dot for Nanshan, where every other answer reads 17); where it has a seat to draw
    at_city = by_place(kb, clusters_at("city"), {c for t in tiles + unplaced for c in t["cluster_ids"]})
    dots: list[Dot] = []
    for city in kb.many("city", list(at_city)):
        if ranked_itself(city) and city.get("lat") is not None and city.get("lon") is not None:
            dots.append(
                {
                    "id": city["id"],
                    "name": city["name"],
                    "name_zh": city.get("name_zh"),
                    "province": city["province"],
                    "lat": float(city["lat"]),
                    "lon": float(city["lon"]),
                    "clusters": len(at_city[city["id"]]),
                }
            )
    dots.sort(key=lambda d: (-d["clusters"], d["id"]))
    counts = [t["clusters"] for t in tiles + unplaced]
    top = max(counts, default=0)
    for tile in tiles + unplaced:
        tile["level"] = shade_level(tile["clusters"], top)
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "map",
        "title": f"Clusters of {sector_ref['name']} by division" if sector_ref else "Clusters by division",
        "sector": sector_ref,
        "max_clusters": top,
        "marked": sum(1 for n in counts if n),
        "classes": shade_classes(top),
        "tiles": tiles,
        "unplaced": unplaced,
        "dots": dots,
        "note": MAP_NOTE,
        "counted_from": counted_from(kb, [c for t in tiles + unplaced for c in t["cluster_ids"]]),
        "counts_note": COUNTS_NOTE,
        "seats_licence": seats_licence(kb),
    }


def seats_licence(kb: KB) -> str:
    """The licence of the seat coordinates (the packs holding the cities: the reference pack's, shipped),
    which a map drawing them (Hong Kong's and Macao's circles, the dots) must credit, as the GeoJSON does."""
    seat_packs = kb.packs_holding("city")
    return "; ".join(
        str(kb.packs[i].get("licence") or f"{kb.packs[i].get('title')} (its pack states no licence)")
        for i in seat_packs
    )


MAP_NOTE = N_(
    "Clusters are counted in each division they lie in; those attributed only to a region "
    "(such as the whole Yangtze River Delta) are not counted."
)


def class_label(c: ShadeClass, between: str) -> str:
    """A class's counts in words: '13 to 23' in rows (a spreadsheet reads '13-23' as a date), '13–23' drawn;
    one number where the class holds one."""
    return str(c["min"]) if c["min"] == c["max"] else f"{c['min']}{between}{c['max']}"


MAP_COLUMNS = ["iso_code", "id", "name", "name_zh", "clusters", "level", "class", "cluster_ids"]
# the headers a table of these rows shows for the fields no other table has (rows.header_of: the field's name
# with spaces), marked for the Chinese catalog
N_("iso code"), N_("class"), N_("cluster ids")


def map_rows(view: MapView) -> tuple[list[dict[str, object]], list[str]]:
    """The map as rows, one per division: what a choropleth tool joins on its own shapes by ISO code. A class
    reads "13 to 23", never "13-23", which a spreadsheet would take for a date."""
    words = {c["level"]: class_label(c, " to ") for c in view["classes"]}
    rows: list[dict[str, object]] = [
        {
            "iso_code": t["iso_code"],
            "id": t["id"],
            "name": t["name"],
            "name_zh": t["name_zh"],
            "clusters": t["clusters"],
            "level": t["level"],
            "class": words.get(t["level"], "none"),
            "cluster_ids": t["cluster_ids"],
        }
        for t in sorted(view["tiles"] + view["unplaced"], key=lambda t: t["iso_code"] or t["id"])
    ]
    return rows, MAP_COLUMNS
