"""The JSON contract: entity -> plain dict, one builder per command.

Tables and JSON are both rendered from these dicts, so they cannot disagree.
Keys are snake_case and stable; lists are never null; numbers stay numbers.
Bump SCHEMA_VERSION on any breaking change to a view's keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .resolve import match_info, resolve
from .units import SCALES

if TYPE_CHECKING:
    from .kb import KB, Entity

SCHEMA_VERSION = 1

View = dict[str, Any]

_QUALIFIER = {"exact": "", "over": "over ", "approximately": "about "}
_CURRENCY = {"CNY": "RMB", "USD": "US$"}


def envelope(kind: str, **body: Any) -> View:
    return {"schema_version": SCHEMA_VERSION, "kind": kind, **body}


_LIST_FIELDS = {"aliases", "abbr_alt", "synonyms"}


def identity(entity: Entity, fields: str, **links: Any) -> View:
    """An entity's own fields, named in `fields` (absent ones as None, or [] for lists), then its links."""
    own = {f: list(entity.get(f, [])) if f in _LIST_FIELDS else entity.get(f) for f in fields.split()}
    return {**own, **links}


def number_text(value: float) -> str:
    """882.8 -> '882.8', 2000 -> '2,000', 47.60 -> '47.6'."""
    return f"{value:,}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"


def format_value(st: Entity) -> str:
    """A statistic as a person reads it: 'over RMB 700 billion (US$96.3 billion)'."""
    q = _QUALIFIER[st["qualifier"]]
    v = number_text(st["value"])
    unit = st["unit"]
    if unit == "currency":
        text = f"{q}{_CURRENCY[st['currency']]} {v} {st['scale']}"
        if "usd_value" in st:
            text += f" (US${number_text(st['usd_value'])} {st['usd_scale']})"
        return text
    if unit == "percent":
        return f"{q}{v}%"
    if unit == "rank":
        return f"No. {v}"
    return f"{q}{v} {unit}"


def scope_label(kb: KB, st: Entity) -> str:
    for kind in ("park", "city", "province", "region"):
        ref = kb.ref(kind, st.get(kind))
        if ref is not None:
            return str(ref["name"])
    return "China"


def statistic_row(kb: KB, st: Entity) -> View:
    amount = st["value"] * SCALES[st["scale"]] if "scale" in st else st["value"]
    source = kb.get("source", st["source"]) or {"id": st["source"], "name": st["source"], "short_name": st["source"]}
    return {
        "id": st["id"],
        "metric": st["metric"],
        "value": st["value"],
        "unit": st["unit"],
        "scale": st.get("scale"),
        "currency": st.get("currency"),
        "amount": amount,
        "usd_value": st.get("usd_value"),
        "usd_scale": st.get("usd_scale"),
        "qualifier": st["qualifier"],
        "display": format_value(st),
        "year": st["year"],
        "year_basis": st["year_basis"],
        "period": st.get("period"),
        "status": st["status"],
        "series": st.get("series"),
        "scope": {kind: kb.ref(kind, st.get(kind)) for kind in ("region", "province", "city", "park", "sector")},
        "scope_label": scope_label(kb, st),
        "cluster": kb.ref("cluster", st.get("cluster")),
        "source": {"id": source["id"], "name": source["name"], "short_name": source["short_name"]},
    }


def cluster_row(kb: KB, cl: Entity) -> View:
    return {
        "id": cl["id"],
        "name": cl["name"],
        "sector": kb.ref("sector", cl["sector"]),
        "status": cl["status"],
        "region": kb.ref("region", cl.get("region")),
        "provinces": kb.refs("province", cl.get("provinces", [])),
        "cities": kb.refs("city", cl.get("cities", [])),
        "parks": kb.refs("park", cl.get("parks", [])),
        "companies": kb.refs("company", cl.get("companies", [])),
        "specialties": list(cl.get("specialties", [])),
        "summary": cl["summary"],
        "statistics": kb.related_ids("statistic_by_cluster", cl["id"]),
    }


def _unique(entities: Iterable[Entity]) -> list[Entity]:
    return list({e["id"]: e for e in entities}.values())


def sorted_clusters(kb: KB, clusters: Iterable[Entity]) -> list[View]:
    """Cluster rows grouped by sector (in the knowledge base's sector order), then by name."""
    unique = _unique(clusters)
    sector_ids = list(dict.fromkeys(c["sector"] for c in unique))
    order = {
        r[0]: r[1]
        for r in kb.query(
            f"SELECT id, pos FROM entities WHERE kind = 'sector' AND id IN ({','.join('?' * len(sector_ids))})",
            tuple(sector_ids),
        )
    }
    rows = sorted(unique, key=lambda c: (order.get(c["sector"], 0), c["name"]))
    return [cluster_row(kb, c) for c in rows]


def stats_of_clusters(kb: KB, clusters: Iterable[Entity]) -> list[Entity]:
    return [s for c in clusters for s in kb.related("statistic_by_cluster", c["id"])]


def _stats(kb: KB, stats: Iterable[Entity]) -> list[View]:
    return [statistic_row(kb, s) for s in sorted(_unique(stats), key=lambda s: (s["metric"], s["year"]))]


def company_rows(kb: KB, clusters: Iterable[Entity], extra: Iterable[Entity] = ()) -> list[View]:
    """Companies of these clusters, each with the clusters it appears in; `extra` adds companies by sector."""
    seen: dict[str, View] = {}

    def row(co: Entity) -> View:
        return seen.setdefault(
            co["id"],
            {
                "id": co["id"],
                "name": co["name"],
                "name_zh": co.get("name_zh"),
                "sector": kb.ref("sector", co["sector"]),
                "clusters": [],
            },
        )

    for cl in clusters:
        for co in kb.many("company", cl.get("companies", [])):
            row(co)["clusters"].append({"id": cl["id"], "name": cl["name"]})
    for co in extra:
        row(co)
    return sorted(seen.values(), key=lambda c: c["name"])


def park_rows(kb: KB, parks: Iterable[Entity]) -> list[View]:
    return [
        {
            "id": p["id"],
            "name": p["name"],
            "name_zh": p.get("name_zh"),
            "kind": p["kind"],
            "city": kb.ref("city", p["city"]),
            "sectors": kb.refs("sector", p["sectors"]),
        }
        for p in sorted(_unique(parks), key=lambda p: p["name"])
    ]


def _city_row(kb: KB, c: Entity, capital: str | None) -> View:
    return {
        "id": c["id"],
        "name": c["name"],
        "name_zh": c["name_zh"],
        "province": kb.ref("province", c["province"]),
        "lat": c["lat"],
        "lon": c["lon"],
        "is_capital": capital == c["id"],
        "cluster_count": len(kb.related_ids("cluster_by_city", c["id"])),
    }


def _region_refs(regions: list[Entity]) -> list[View]:
    return [{"id": r["id"], "name": r["name"], "kind": r["kind"]} for r in regions]


def province_view(kb: KB, query: str) -> View:
    match = resolve(kb, "province", query)
    p = match.entity
    clusters = kb.related("cluster_by_province", p["id"])
    regions = kb.related("region_by_province", p["id"])
    direct = {c["id"] for c in clusters}
    regional = [
        c
        for r in regions
        for c in kb.related("cluster_by_region", r["id"])
        if c["id"] not in direct and not kb.cluster_provinces(c)
    ]
    cities = sorted(kb.related("city_by_province", p["id"]), key=lambda c: (c["id"] != p["capital"], c["name"]))
    parks = [pk for c in cities for pk in kb.related("park_by_city", c["id"])]
    own = [c for c in clusters if kb.cluster_provinces(c) == {p["id"]}]  # wholly inside the division
    view = envelope(
        "province",
        resolved=match_info(match, query),
        province=identity(
            p,
            "id name official_name name_zh pinyin abbr abbr_alt kind aliases",
            capital=kb.ref("city", p["capital"]),
            macro_region=kb.ref("region", p["macro_region"]),
        ),
        regions=_region_refs(regions),
        clusters=sorted_clusters(kb, clusters),
        regional_clusters=sorted_clusters(kb, regional),
        cities=[_city_row(kb, c, p["capital"]) for c in cities],
        parks=park_rows(kb, parks),
        companies=company_rows(kb, clusters),
        statistics=_stats(kb, [*kb.related("statistic_by_province", p["id"]), *stats_of_clusters(kb, own)]),
    )
    view["note"] = None if clusters else "The knowledge base records no clusters in this division yet."
    return view


def sector_view(kb: KB, query: str) -> View:
    match = resolve(kb, "sector", query)
    s = match.entity
    family = kb.sector_descendants(s["id"])
    clusters = [c for sid in family for c in kb.related("cluster_by_sector", sid)]
    return envelope(
        "sector",
        resolved=match_info(match, query),
        sector=identity(
            s,
            "id name name_zh summary synonyms",
            parent=kb.ref("sector", s.get("parent")),
            ancestors=kb.refs("sector", kb.sector_ancestors(s["id"])),
            children=kb.refs("sector", kb.related_ids("sector_by_parent", s["id"])),
            descendants=kb.refs("sector", family[1:]),
        ),
        clusters=sorted_clusters(kb, clusters),
        parks=park_rows(kb, [p for sid in family for p in kb.related("park_by_sector", sid)]),
        companies=company_rows(kb, clusters, [co for sid in family for co in kb.related("company_by_sector", sid)]),
        statistics=_stats(kb, [st for sid in family for st in kb.related("statistic_by_sector", sid)]),
    )


def city_view(kb: KB, query: str) -> View:
    match = resolve(kb, "city", query)
    c = match.entity
    clusters = kb.related("cluster_by_city", c["id"])
    prov = kb.get("province", c["province"]) or {}
    return envelope(
        "city",
        resolved=match_info(match, query),
        city=identity(
            c,
            "id name name_zh pinyin lat lon aliases",
            province=kb.ref("province", c["province"]),
            is_capital=prov.get("capital") == c["id"],
        ),
        regions=_region_refs(kb.related("region_by_city", c["id"])),
        clusters=sorted_clusters(kb, clusters),
        parks=park_rows(kb, kb.related("park_by_city", c["id"])),
        companies=company_rows(kb, clusters),
        statistics=_stats(
            kb,
            [
                *kb.related("statistic_by_city", c["id"]),
                *stats_of_clusters(kb, [cl for cl in clusters if cl.get("cities") == [c["id"]]]),
            ],
        ),
    )


def region_view(kb: KB, query: str) -> View:
    match = resolve(kb, "region", query)
    r = match.entity
    clusters = kb.related("cluster_in_region", r["id"])
    return envelope(
        "region",
        resolved=match_info(match, query),
        region=identity(r, "id name official_name name_zh pinyin kind aliases summary"),
        provinces=kb.refs("province", r["provinces"]),
        cities=kb.refs("city", r["cities"]),
        clusters=sorted_clusters(kb, clusters),
        companies=company_rows(kb, clusters),
        statistics=_stats(
            kb,
            [
                *kb.related("statistic_by_region", r["id"]),
                *stats_of_clusters(kb, [c for c in clusters if c.get("region") == r["id"]]),
            ],
        ),
    )


def company_view(kb: KB, query: str) -> View:
    match = resolve(kb, "company", query)
    co = match.entity
    clusters = kb.related("cluster_by_company", co["id"])
    return envelope(
        "company",
        resolved=match_info(match, query),
        company=identity(co, "id name name_zh aliases", sector=kb.ref("sector", co["sector"])),
        clusters=sorted_clusters(kb, clusters),
        regions=kb.refs("region", sorted({c["region"] for c in clusters if c.get("region")})),
        provinces=kb.refs("province", sorted({p for c in clusters for p in kb.cluster_provinces(c)})),
        cities=kb.refs("city", sorted({ci for c in clusters for ci in c.get("cities", [])})),
    )


def park_view(kb: KB, query: str) -> View:
    match = resolve(kb, "park", query)
    pk = match.entity
    city = kb.get("city", pk["city"]) or {}
    clusters = kb.related("cluster_by_park", pk["id"])
    return envelope(
        "park",
        resolved=match_info(match, query),
        park=identity(
            pk,
            "id name name_zh kind district aliases summary",
            city=kb.ref("city", pk["city"]),
            province=kb.ref("province", city.get("province")),
            lat=city.get("lat"),
            lon=city.get("lon"),
            sectors=kb.refs("sector", pk["sectors"]),
        ),
        clusters=sorted_clusters(kb, clusters),
        companies=company_rows(kb, clusters),
        statistics=_stats(kb, kb.related("statistic_by_park", pk["id"])),
    )


def cluster_view(kb: KB, query: str) -> View:
    match = resolve(kb, "cluster", query)
    cl = match.entity
    return envelope(
        "cluster",
        resolved=match_info(match, query),
        cluster=cluster_row(kb, cl),
        statistics=_stats(kb, stats_of_clusters(kb, [cl])),
    )


DETAIL_VIEWS = {
    "province": province_view,
    "sector": sector_view,
    "city": city_view,
    "region": region_view,
    "company": company_view,
    "park": park_view,
    "cluster": cluster_view,
}
