"""Views for analysts: compare places or sectors, the map, and chartable statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import Ambiguous, NotFound, UsageProblem
from .resolve import Match, Resolver, match_info, resolve
from .text import clean_one_line
from .views import company_rows, envelope, sorted_clusters, statistic_row

if TYPE_CHECKING:
    from .kb import KB, Entity
    from .views import View

PLACE_KINDS = ("province", "region", "city")
MIN_COMPARE, MAX_COMPARE = 2, 6

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


def resolve_place(kb: KB, query: str) -> tuple[str, Match]:
    """(kind, match) for a province, economic region or city.

    Exact names first, in that order (Chongqing the municipality before
    Chongqing the city); then the best prefix or fuzzy match across the three.
    """
    for kind in PLACE_KINDS:
        found = Resolver(kb, kind).exact(query)
        if found is not None:
            return kind, found
    matches: list[tuple[float, str, Match]] = []
    for kind in PLACE_KINDS:
        try:
            m = resolve(kb, kind, query)
        except NotFound:
            continue
        matches.append((m.score if m.matched_by == "fuzzy" else 100.0, kind, m))
    if not matches:
        raise NotFound("province, region or city", clean_one_line(query), [])
    matches.sort(key=lambda item: -item[0])
    if len(matches) > 1 and matches[0][0] == matches[1][0]:
        raise Ambiguous("place", clean_one_line(query), [f"{k} {m.entity['name']}" for _, k, m in matches])
    return matches[0][1], matches[0][2]


def _place_stats(kb: KB, kind: str, entity: Entity, clusters: list[Entity]) -> list[Entity]:
    own = kb.related(f"statistic_by_{kind}", entity["id"])
    via = [s for c in clusters for s in kb.related("statistic_by_cluster", c["id"])]
    return list({s["id"]: s for s in [*own, *via]}.values())


def _compare_item(
    kb: KB,
    kind: str,
    match: Match,
    query: str,
    clusters: list[Entity],
    companies: list[View],
    stats: list[Entity],
) -> View:
    """One column of a comparison: what was compared, and its clusters, companies and statistics."""
    return {
        "kind": kind,
        "id": match.entity["id"],
        "name": match.entity["name"],
        "name_zh": match.entity.get("name_zh"),
        "resolved": match_info(match, query),
        "cluster_count": len(clusters),
        "clusters": sorted_clusters(kb, clusters),
        "companies": companies,
        "statistics": [statistic_row(kb, s) for s in stats],
    }


def compare_view(kb: KB, places: list[str], sectors: list[str]) -> View:
    if places and sectors:
        raise UsageProblem("compare either places or --sector options, not both")
    queries = places or sectors
    if not MIN_COMPARE <= len(queries) <= MAX_COMPARE:
        raise UsageProblem(
            f"compare takes {MIN_COMPARE} to {MAX_COMPARE} {'places' if places else 'sectors'}, not {len(queries)}"
        )
    return _compare_places(kb, places) if places else _compare_sectors(kb, sectors)


def _compare_places(kb: KB, queries: list[str]) -> View:
    items: list[dict[str, Any]] = []
    for q in queries:
        kind, m = resolve_place(kb, q)
        clusters = kb.clusters_of(kind, m.entity)
        items.append({"kind": kind, "entity": m.entity, "match": m, "query": q, "clusters": clusters})
    sector_ids = list(dict.fromkeys(c["sector"] for it in items for c in it["clusters"]))
    sectors = kb.many("sector", sector_ids)
    order = {s["id"]: i for i, s in enumerate(kb.all("sector"))}
    sectors.sort(key=lambda s: order.get(s["id"], 0))
    matrix = [
        {
            "sector": {"id": s["id"], "name": s["name"]},
            "counts": [sum(1 for c in it["clusters"] if c["sector"] == s["id"]) for it in items],
        }
        for s in sectors
    ]
    return envelope(
        "compare",
        mode="places",
        items=[
            _compare_item(
                kb,
                it["kind"],
                it["match"],
                it["query"],
                it["clusters"],
                company_rows(kb, it["clusters"]),
                _place_stats(kb, it["kind"], it["entity"], it["clusters"]),
            )
            for it in items
        ],
        matrix=matrix,
    )


def _compare_sectors(kb: KB, queries: list[str]) -> View:
    items: list[dict[str, Any]] = []
    for q in queries:
        m = resolve(kb, "sector", q)
        family = kb.sector_descendants(m.entity["id"])
        clusters = [c for sid in family for c in kb.related("cluster_by_sector", sid)]
        items.append({"entity": m.entity, "match": m, "query": q, "clusters": clusters, "family": family})
    province_ids = sorted({p for it in items for c in it["clusters"] for p in kb.cluster_provinces(c)})
    provinces = kb.many("province", province_ids)
    matrix: list[dict[str, Any]] = [
        {
            "province": {"id": p["id"], "name": p["name"]},
            "counts": [sum(1 for c in it["clusters"] if p["id"] in kb.cluster_provinces(c)) for it in items],
        }
        for p in provinces
    ]
    matrix.sort(key=lambda row: (-sum(row["counts"]), row["province"]["name"]))
    return envelope(
        "compare",
        mode="sectors",
        items=[
            _compare_item(
                kb,
                "sector",
                it["match"],
                it["query"],
                it["clusters"],
                company_rows(
                    kb, it["clusters"], [co for sid in it["family"] for co in kb.related("company_by_sector", sid)]
                ),
                [s for sid in it["family"] for s in kb.related("statistic_by_sector", sid)],
            )
            for it in items
        ],
        matrix=matrix,
    )


def shade_level(count: int, top: int) -> int:
    """0 for no clusters, else 1-4 by the share of the busiest division: the map's shading."""
    if count <= 0 or top <= 0:
        return 0
    return min(4, 1 + (count - 1) * 4 // top)


def map_view(kb: KB, sector: str | None = None) -> View:
    """One tile per division with its cluster count (of one sector and its sub-sectors, if given)."""
    sector_ref = None
    family: set[str] | None = None
    if sector is not None:
        m = resolve(kb, "sector", sector)
        sector_ref = match_info(m, sector)
        family = set(kb.sector_descendants(m.entity["id"]))
    tiles, unplaced = [], []
    for p in kb.all("province"):
        clusters = kb.related("cluster_by_province", p["id"])
        if family is not None:
            clusters = [c for c in clusters if c["sector"] in family]
        code = str(p.get("iso_code", "")).removeprefix("CN-") or p["id"][:2].upper()
        tile = {
            "id": p["id"],
            "name": p["name"],
            "name_zh": p["name_zh"],
            "abbr": p["abbr"],
            "code": code,
            "row": None,
            "col": None,
            "clusters": len(clusters),
            "cluster_ids": [c["id"] for c in clusters],
        }
        if p["id"] in TILES:
            tile["row"], tile["col"] = TILES[p["id"]]
            tiles.append(tile)
        else:
            unplaced.append(tile)
    counts = [t["clusters"] for t in tiles + unplaced]
    top = max(counts, default=0)
    for tile in tiles + unplaced:
        tile["level"] = shade_level(tile["clusters"], top)
    return envelope(
        "map",
        title=f"Clusters of {sector_ref['name']} by division" if sector_ref else "Clusters by division",
        sector=sector_ref,
        max_clusters=top,
        marked=sum(1 for n in counts if n),
        tiles=tiles,
        unplaced=unplaced,
        note="Clusters are counted in each division they lie in; those attributed only to a region "
        "(such as the whole Yangtze River Delta) are not counted.",
    )


def stats_view(kb: KB, sector: str | None = None, series: str | None = None) -> View:
    """Statistics in groups that compare: each series, then the rest by unit."""
    stats = kb.all("statistic")
    filters: dict[str, Any] = {}
    if sector is not None:
        m = resolve(kb, "sector", sector)
        family = set(kb.sector_descendants(m.entity["id"]))
        stats = [s for s in stats if s.get("sector") in family]
        filters["sector"] = m.entity["id"]
    if series is not None:
        known = sorted({s["series"] for s in kb.all("statistic") if s.get("series")})
        if series not in known:
            raise NotFound("series", clean_one_line(series), known)
        stats = [s for s in stats if s.get("series") == series]
        filters["series"] = series
    groups: dict[str, dict[str, Any]] = {}
    for st in stats:
        if st.get("series"):
            key, title = f"series:{st['series']}", st["metric"]
        elif st["unit"] == "currency":
            key, title = "unit:currency", "Money (RMB)"
        else:
            key, title = (
                f"unit:{st['unit']}",
                {
                    "percent": "Shares (%)",
                    "enterprises": "Enterprises",
                    "clusters": "Clusters",
                    "cities": "Cities",
                    "rank": "Ranks",
                }.get(st["unit"], st["unit"]),
            )
        groups.setdefault(key, {"id": key, "title": title, "unit": st["unit"], "bars": []})
        row = statistic_row(kb, st)
        label = row["scope_label"] if key.startswith("series:") else f"{row['scope_label']}: {row['metric']}"
        if key.startswith("series:") and len({s["year"] for s in stats if s.get("series") == st["series"]}) > 1:
            label = f"{row['scope_label']} {row['period'] or row['year']}"
        groups[key]["bars"].append({**row, "label": label})
    ordered = sorted(groups.values(), key=lambda g: (not g["id"].startswith("series:"), g["id"]))
    for g in ordered:
        g["bars"].sort(key=lambda b: (b["year"], -b["amount"]) if g["id"].startswith("series:") else -b["amount"])
        g["max_amount"] = max((b["amount"] for b in g["bars"]), default=0)
    return envelope("stats", filters=filters, groups=ordered)
