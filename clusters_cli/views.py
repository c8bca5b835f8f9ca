"""The JSON contract: entity -> plain dict, one builder per command.

Tables and JSON are both rendered from these dicts, so they cannot disagree.
Keys are snake_case and stable; lists are never null; numbers stay numbers.
Bump SCHEMA_VERSION on any breaking change to a view's keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .resolve import match_info, resolve
from .validate import SCALES

if TYPE_CHECKING:
    from .kb import KB, Entity

SCHEMA_VERSION = 1

View = dict[str, Any]

_SCALE_WORD = {"thousand": "thousand", "million": "million", "billion": "billion", "trillion": "trillion"}
_QUALIFIER = {"exact": "", "over": "over ", "approximately": "about "}
_CURRENCY = {"CNY": "RMB", "USD": "US$"}


def _envelope(kind: str, **body: Any) -> View:
    return {"schema_version": SCHEMA_VERSION, "kind": kind, **body}


def format_value(st: Entity) -> str:
    """A statistic as a person reads it: 'over RMB 700 billion (US$96.3 billion)'."""
    q = _QUALIFIER[st["qualifier"]]
    v = f"{st['value']:,}".rstrip("0").rstrip(".") if isinstance(st["value"], float) else f"{st['value']:,}"
    unit = st["unit"]
    if unit == "currency":
        text = f"{q}{_CURRENCY[st['currency']]} {v} {_SCALE_WORD[st['scale']]}"
        if "usd_value" in st:
            usd = f"{st['usd_value']:,}"
            text += f" (US${usd} {_SCALE_WORD[st['usd_scale']]})"
        return text
    if unit == "percent":
        return f"{q}{v}%"
    if unit == "rank":
        return f"No. {v}"
    return f"{q}{v} {unit}"


def statistic_row(kb: KB, st: Entity) -> View:
    amount = st["value"] * SCALES[st["scale"]] if "scale" in st else st["value"]
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
        "scope": {
            "region": kb.ref("region", st.get("region")),
            "province": kb.ref("province", st.get("province")),
            "city": kb.ref("city", st.get("city")),
            "park": kb.ref("park", st.get("park")),
            "sector": kb.ref("sector", st.get("sector")),
        },
        "scope_label": scope_label(kb, st),
        "cluster": kb.ref("cluster", st.get("cluster")),
        "source": {**kb.ref("source", st["source"]), "short_name": kb.by_id["source"][st["source"]]["short_name"]},  # type: ignore[dict-item]
    }


def scope_label(kb: KB, st: Entity) -> str:
    for kind in ("park", "city", "province", "region"):
        ref = kb.ref(kind, st.get(kind))
        if ref is not None:
            return str(ref["name"])
    return "China"


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
        "statistics": [s["id"] for s in stats_of_clusters(kb, [cl])],
    }


def _sorted_clusters(kb: KB, clusters: list[Entity]) -> list[View]:
    unique = {c["id"]: c for c in clusters}
    order = {s["id"]: i for i, s in enumerate(kb.all("sector"))}
    rows = sorted(unique.values(), key=lambda c: (order[c["sector"]], c["name"]))
    return [cluster_row(kb, c) for c in rows]


def stats_of_clusters(kb: KB, clusters: list[Entity]) -> list[Entity]:
    ids = {c["id"] for c in clusters}
    return [s for s in kb.all("statistic") if s.get("cluster") in ids]


def _stats(kb: KB, stats: list[Entity]) -> list[View]:
    unique = {s["id"]: s for s in stats}
    return [statistic_row(kb, s) for s in sorted(unique.values(), key=lambda s: (s["metric"], s["year"]))]


def _companies(kb: KB, clusters: list[Entity]) -> list[View]:
    seen: dict[str, View] = {}
    for cl in clusters:
        for cid in cl.get("companies", []):
            co = kb.by_id["company"][cid]
            seen.setdefault(
                cid,
                {
                    "id": cid,
                    "name": co["name"],
                    "name_zh": co.get("name_zh"),
                    "sector": kb.ref("sector", co["sector"]),
                    "clusters": [],
                },
            )
            seen[cid]["clusters"].append(kb.ref("cluster", cl["id"]))
    return sorted(seen.values(), key=lambda c: c["name"])


def _parks(kb: KB, parks: list[Entity]) -> list[View]:
    unique = {p["id"]: p for p in parks}
    return [
        {
            "id": p["id"],
            "name": p["name"],
            "name_zh": p.get("name_zh"),
            "kind": p["kind"],
            "city": kb.ref("city", p["city"]),
            "sectors": kb.refs("sector", p["sectors"]),
        }
        for p in sorted(unique.values(), key=lambda p: p["name"])
    ]


def _city_row(kb: KB, c: Entity) -> View:
    prov = kb.by_id["province"][c["province"]]
    return {
        "id": c["id"],
        "name": c["name"],
        "name_zh": c["name_zh"],
        "province": kb.ref("province", c["province"]),
        "lat": c["lat"],
        "lon": c["lon"],
        "is_capital": prov["capital"] == c["id"],
        "cluster_count": len(kb.clusters_by_city.get(c["id"], [])),
    }


def province_view(kb: KB, query: str) -> View:
    match = resolve(kb, "province", query)
    p = match.entity
    clusters = kb.clusters_by_province.get(p["id"], [])
    regions = kb.regions_by_province.get(p["id"], [])
    direct = {c["id"] for c in clusters}
    regional = [
        c
        for r in regions
        for c in kb.clusters_by_region.get(r["id"], [])
        if c["id"] not in direct and not kb.cluster_provinces(c)
    ]
    cities = sorted(kb.cities_by_province.get(p["id"], []), key=lambda c: (c["id"] != p["capital"], c["name"]))
    parks = [pk for c in cities for pk in kb.parks_by_city.get(c["id"], [])]
    stats = [
        s
        for s in kb.all("statistic")
        if s.get("province") == p["id"] or kb.city_province.get(s.get("city") or "") == p["id"]
    ]
    own = [c for c in clusters if kb.cluster_provinces(c) == {p["id"]}]  # wholly inside the division
    view = _envelope(
        "province",
        resolved=match_info(match, query),
        province={
            "id": p["id"],
            "name": p["name"],
            "official_name": p["official_name"],
            "name_zh": p["name_zh"],
            "pinyin": p["pinyin"],
            "abbr": p["abbr"],
            "abbr_alt": list(p.get("abbr_alt", [])),
            "kind": p["kind"],
            "capital": kb.ref("city", p["capital"]),
            "macro_region": kb.ref("region", p["macro_region"]),
            "aliases": list(p.get("aliases", [])),
        },
        regions=[{"id": r["id"], "name": r["name"], "kind": r["kind"]} for r in regions],
        clusters=_sorted_clusters(kb, clusters),
        regional_clusters=_sorted_clusters(kb, regional),
        cities=[_city_row(kb, c) for c in cities],
        parks=_parks(kb, parks),
        companies=_companies(kb, clusters),
        statistics=_stats(kb, stats + stats_of_clusters(kb, own)),
    )
    view["note"] = None if clusters else "The knowledge base records no clusters in this division yet."
    return view


def sector_view(kb: KB, query: str) -> View:
    match = resolve(kb, "sector", query)
    s = match.entity
    family = kb.sector_descendants(s["id"])
    clusters = [c for sid in family for c in kb.clusters_by_sector.get(sid, [])]
    parks = [p for p in kb.all("park") if set(p["sectors"]) & set(family)]
    companies = _companies(kb, clusters)
    named = {c["id"] for c in companies}
    companies += [
        {
            "id": co["id"],
            "name": co["name"],
            "name_zh": co.get("name_zh"),
            "sector": kb.ref("sector", co["sector"]),
            "clusters": [],
        }
        for co in kb.all("company")
        if co["sector"] in family and co["id"] not in named
    ]
    return _envelope(
        "sector",
        resolved=match_info(match, query),
        sector={
            "id": s["id"],
            "name": s["name"],
            "name_zh": s.get("name_zh"),
            "summary": s["summary"],
            "synonyms": list(s["synonyms"]),
            "parent": kb.ref("sector", s.get("parent")),
            "ancestors": kb.refs("sector", kb.sector_ancestors(s["id"])),
            "children": [kb.ref("sector", c["id"]) for c in kb.sector_children.get(s["id"], [])],
            "descendants": kb.refs("sector", family[1:]),
        },
        clusters=_sorted_clusters(kb, clusters),
        parks=_parks(kb, parks),
        companies=sorted(companies, key=lambda c: c["name"]),
        statistics=_stats(kb, [st for st in kb.all("statistic") if st.get("sector") in family]),
    )


def city_view(kb: KB, query: str) -> View:
    match = resolve(kb, "city", query)
    c = match.entity
    clusters = kb.clusters_by_city.get(c["id"], [])
    prov = kb.by_id["province"][c["province"]]
    return _envelope(
        "city",
        resolved=match_info(match, query),
        city={
            "id": c["id"],
            "name": c["name"],
            "name_zh": c["name_zh"],
            "pinyin": c["pinyin"],
            "province": kb.ref("province", c["province"]),
            "lat": c["lat"],
            "lon": c["lon"],
            "is_capital": prov["capital"] == c["id"],
            "aliases": list(c.get("aliases", [])),
        },
        regions=[{"id": r["id"], "name": r["name"], "kind": r["kind"]} for r in kb.regions_by_city.get(c["id"], [])],
        clusters=_sorted_clusters(kb, clusters),
        parks=_parks(kb, kb.parks_by_city.get(c["id"], [])),
        companies=_companies(kb, clusters),
        statistics=_stats(
            kb,
            [s for s in kb.all("statistic") if s.get("city") == c["id"]]
            + stats_of_clusters(kb, [cl for cl in clusters if cl.get("cities") == [c["id"]]]),
        ),
    )


def region_clusters(kb: KB, region: Entity) -> list[Entity]:
    """Clusters attributed to the region, or lying wholly inside its provinces."""
    members = set(region["provinces"])
    return [
        c
        for c in kb.all("cluster")
        if c.get("region") == region["id"] or (kb.cluster_provinces(c) and kb.cluster_provinces(c) <= members)
    ]


def region_view(kb: KB, query: str) -> View:
    match = resolve(kb, "region", query)
    r = match.entity
    clusters = region_clusters(kb, r)
    return _envelope(
        "region",
        resolved=match_info(match, query),
        region={
            "id": r["id"],
            "name": r["name"],
            "official_name": r.get("official_name"),
            "name_zh": r.get("name_zh"),
            "pinyin": r.get("pinyin"),
            "kind": r["kind"],
            "aliases": list(r.get("aliases", [])),
            "summary": r.get("summary"),
        },
        provinces=kb.refs("province", r["provinces"]),
        cities=kb.refs("city", r["cities"]),
        clusters=_sorted_clusters(kb, clusters),
        companies=_companies(kb, clusters),
        statistics=_stats(
            kb,
            [s for s in kb.all("statistic") if s.get("region") == r["id"]]
            + stats_of_clusters(kb, [c for c in clusters if c.get("region") == r["id"]]),
        ),
    )


def company_view(kb: KB, query: str) -> View:
    match = resolve(kb, "company", query)
    co = match.entity
    clusters = kb.clusters_by_company.get(co["id"], [])
    provinces = sorted({p for c in clusters for p in kb.cluster_provinces(c)})
    return _envelope(
        "company",
        resolved=match_info(match, query),
        company={
            "id": co["id"],
            "name": co["name"],
            "name_zh": co.get("name_zh"),
            "aliases": list(co.get("aliases", [])),
            "sector": kb.ref("sector", co["sector"]),
        },
        clusters=_sorted_clusters(kb, clusters),
        regions=kb.refs("region", sorted({c["region"] for c in clusters if c.get("region")})),
        provinces=kb.refs("province", provinces),
        cities=kb.refs("city", sorted({ci for c in clusters for ci in c.get("cities", [])})),
    )


def park_view(kb: KB, query: str) -> View:
    match = resolve(kb, "park", query)
    pk = match.entity
    city = kb.by_id["city"][pk["city"]]
    clusters = kb.clusters_by_park.get(pk["id"], [])
    return _envelope(
        "park",
        resolved=match_info(match, query),
        park={
            "id": pk["id"],
            "name": pk["name"],
            "name_zh": pk.get("name_zh"),
            "kind": pk["kind"],
            "district": pk.get("district"),
            "aliases": list(pk.get("aliases", [])),
            "summary": pk["summary"],
            "city": kb.ref("city", city["id"]),
            "province": kb.ref("province", city["province"]),
            "lat": city["lat"],
            "lon": city["lon"],
            "sectors": kb.refs("sector", pk["sectors"]),
        },
        clusters=_sorted_clusters(kb, clusters),
        companies=_companies(kb, clusters),
        statistics=_stats(kb, [s for s in kb.all("statistic") if s.get("park") == pk["id"]]),
    )


def cluster_view(kb: KB, query: str) -> View:
    match = resolve(kb, "cluster", query)
    cl = match.entity
    return _envelope(
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
