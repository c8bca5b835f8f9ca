"""The detail views: one entity of each kind, with everything the knowledge base links to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..i18n import N_
from ..kinds import adapter, seat_of
from ..kinds.places import cities_within, companies_in_cities
from ..kinds.things import tagged_firms
from ..resolve import resolve
from ..store.searchtext import fold
from ..values import must_ref, ref, refs
from . import SCHEMA_VERSION
from .common import names_of, place_statistics, regions_containing, regions_of_firm
from .pages import Pages
from .resolved import match_info
from .shared_rows import (
    cluster_rows,
    company_rows,
    designation_refs,
    park_rows,
    provenance,
    region_refs,
    statistic_rows,
)

if TYPE_CHECKING:
    from ..store.kb import KB, Entity
    from .detail_types import (
        CityView,
        ClusterView,
        CompanyView,
        DesignationView,
        ParkView,
        ProvinceView,
        RegionView,
        SectorView,
    )
    from .types import CityRow, NearRow, Provenance


def _city_row(kb: KB, c: Entity, capital: str | None) -> CityRow:
    return {
        "id": c["id"],
        "name": c["name"],
        "name_zh": c["name_zh"],
        "province": must_ref(kb, "province", c["province"]),
        "lat": c["lat"],
        "lon": c["lon"],
        "is_capital": capital == c["id"],
        "cluster_count": len(kb.clusters_in("city", c["id"])),
        "level": c["level"],
        "kind": c["kind"],
    }


def province_view(kb: KB, query: str, page: int | None = None) -> ProvinceView:
    match = resolve(kb, "province", query)
    pages = Pages(kb, page)
    p = match.entity
    clusters = kb.clusters_in("province", p["id"])
    regions = regions_containing(kb, "province", p)
    direct = {c["id"] for c in clusters}
    # clusters attributed to a region of the province but placed in none of its provinces
    regional = [
        c
        for r in regions
        for c in kb.referring("cluster", "region", r["id"])
        if c["id"] not in direct and not kb.cluster_provinces(c["id"])
    ]
    cities = sorted(kb.referring("city", "province", p["id"]), key=lambda c: (c["id"] != p["capital"], c["name"]))
    parks = [pk for c in cities for pk in kb.referring("park", "city", c["id"])]
    own, regional_stats = place_statistics(kb, "province", p)
    view: ProvinceView = {
        "schema_version": SCHEMA_VERSION,
        "kind": "province",
        "resolved": match_info(kb, match, query, "province"),
        "province": {
            "id": p["id"],
            "name": p["name"],
            "official_name": p.get("official_name"),
            "name_zh": p["name_zh"],
            "pinyin": p["pinyin"],
            "abbr": p["abbr"],
            "abbr_alt": list(p.get("abbr_alt", [])),
            "kind": p["kind"],
            "aliases": list(p.get("aliases", [])),
            "capital": ref(kb, "city", p["capital"]),
            "macro_region": ref(kb, "region", p["macro_region"]),
            "code": p["code"],
            "iso_code": p["iso_code"],
        },
        "regions": region_refs(regions),
        "clusters": pages.clusters("clusters", clusters),
        "regional_clusters": pages.clusters("regional_clusters", regional, see_also=True),
        "cities": [_city_row(kb, c, p["capital"]) for c in cities],
        "parks": park_rows(kb, parks),
        "companies": company_rows(kb, clusters, companies_in_cities(kb, cities_within(kb, "province", p["id"]))),
        "statistics": own,
        "regional_statistics": regional_stats,
        "note": None if clusters else N_("The knowledge base records no clusters in this division yet."),
    }
    return pages.add(view)


def sector_view(kb: KB, query: str, page: int | None = None) -> SectorView:
    match = resolve(kb, "sector", query)
    pages = Pages(kb, page)
    s = match.entity
    family = kb.sector_descendants(s["id"])
    clusters = [c for sid in family for c in kb.clusters_in("sector", sid)]
    tagged = {c["id"] for c in clusters}
    terms = {fold(t) for sid in family for e in kb.many("sector", [sid]) for t in [e["name"], *e.get("synonyms", [])]}
    mentions = [i for i in kb.clusters_mentioning(terms) if i not in tagged]
    view: SectorView = {
        "schema_version": SCHEMA_VERSION,
        "kind": "sector",
        "resolved": match_info(kb, match, query, "sector"),
        "sector": {
            "id": s["id"],
            "name": s["name"],
            "name_zh": s.get("name_zh"),
            "summary": s["summary"],
            "synonyms": list(s.get("synonyms", [])),
            "parent": ref(kb, "sector", s.get("parent")),
            "ancestors": refs(kb, "sector", kb.sector_ancestors(s["id"])),
            "children": refs(kb, "sector", kb.referring_ids("sector", "parent", s["id"])),
            "descendants": refs(kb, "sector", family[1:]),
        },
        "clusters": pages.clusters("clusters", clusters),
        "specialty_clusters": pages.listed("specialty_clusters", mentions, see_also=True),
        "parks": park_rows(kb, [p for sid in family for p in kb.referring("park", "sectors", sid)]),
        "companies": company_rows(kb, clusters, tagged_firms(kb, family)),
        "statistics": statistic_rows(kb, [st for sid in family for st in kb.referring("statistic", "sector", sid)]),
    }
    return pages.add(view)


def city_view(kb: KB, query: str, page: int | None = None) -> CityView:
    match = resolve(kb, "city", query)
    pages = Pages(kb, page)
    c = match.entity
    clusters = kb.clusters_in("city", c["id"])
    prov = kb.get("province", c["province"]) or {}
    own, regional_stats = place_statistics(kb, "city", c)
    view: CityView = {
        "schema_version": SCHEMA_VERSION,
        "kind": "city",
        "resolved": match_info(kb, match, query, "city"),
        "city": {
            "id": c["id"],
            "name": c["name"],
            "name_zh": c["name_zh"],
            "pinyin": c["pinyin"],
            "lat": c["lat"],
            "lon": c["lon"],
            "aliases": list(c.get("aliases", [])),
            "province": must_ref(kb, "province", c["province"]),
            "is_capital": prov.get("capital") == c["id"],
            "code": c["code"],
            "kind": c["kind"],
            "level": c["level"],
            "prefecture": ref(kb, "city", c.get("prefecture")),
        },
        "regions": region_refs(regions_containing(kb, "city", c)),
        "clusters": pages.clusters("clusters", clusters),
        "parks": park_rows(kb, adapter("city").parks_in(kb, c)),  # its districts' and counties' too, as list --city
        # the firms its clusters name, and those headquartered here or with a base here (or in its counties)
        "companies": company_rows(kb, clusters, companies_in_cities(kb, cities_within(kb, "city", c["id"]))),
        "statistics": own,
        "regional_statistics": regional_stats,
        "nearest_clusters": [] if clusters or c["lat"] is None else _nearest_clusters(kb, c["lat"], c["lon"]),
    }
    return pages.add(view)


def _nearest_clusters(kb: KB, lat: float, lon: float) -> list[NearRow]:
    """A city without clusters lists the five nearest (near's module is loaded only for those)."""
    from .near import nearest

    return nearest(kb, lat, lon, ["cluster"], limit=5)[0]


def _membership_provenance(kb: KB, r: Entity) -> Provenance | None:
    """The pages stating a region's membership: the defining document's first, then the rest."""
    cited = [loc for loc in ([r["locator"]] if r.get("locator") else []) + r.get("also_in", []) if loc.get("source")]
    if not cited:
        return None
    return provenance(kb, {"locator": cited[0], "also_in": cited[1:]}, None)


def region_view(kb: KB, query: str, page: int | None = None) -> RegionView:
    match = resolve(kb, "region", query)
    pages = Pages(kb, page)
    r = match.entity
    clusters = kb.clusters_in("region", r["id"])
    own, _ = place_statistics(kb, "region", r)
    view: RegionView = {
        "schema_version": SCHEMA_VERSION,
        "kind": "region",
        "resolved": match_info(kb, match, query, "region"),
        "region": {
            "id": r["id"],
            "name": r["name"],
            "official_name": r.get("official_name"),
            "name_zh": r.get("name_zh"),
            "pinyin": r.get("pinyin"),
            "kind": r["kind"],
            "aliases": names_of(kb, "region", r),
            "summary": r.get("summary"),  # a region of one's own may have none (the schema asks for none)
        },
        "provinces": refs(kb, "province", r["provinces"]),
        "cities": refs(kb, "city", r["cities"]),
        "members": refs(kb, "city", r.get("members", [])),
        "central_members": refs(kb, "city", r.get("central_members", [])),
        "document": r.get("document"),
        "provenance": _membership_provenance(kb, r),
        "clusters": pages.clusters("clusters", clusters),
        # the firms of its clusters and of the cities it contains (the Beibu Gulf took in Shenzhen's through
        # Guangdong when every city of the provinces it touches counted)
        "companies": company_rows(kb, clusters, companies_in_cities(kb, cities_within(kb, "region", r["id"]))),
        # the parks of the cities it contains, by the membership rule (`list parks --region` keeps the same)
        "parks": park_rows(kb, adapter("region").parks_in(kb, r)),
        "statistics": own,
    }
    return pages.add(view)


def company_view(kb: KB, query: str, page: int | None = None) -> CompanyView:
    match = resolve(kb, "company", query)
    pages = Pages(kb, page)
    co = match.entity
    clusters = kb.clusters_in("company", co["id"])
    hq = kb.get("city", co.get("headquarters"))
    bases = [(b, kb.get("city", b["city"])) for b in co.get("bases", [])]
    # where it is: its headquarters, its bases and the clusters naming it
    cities = list(dict.fromkeys([*([hq["id"]] if hq else []), *(c["id"] for _, c in bases if c)]))
    cities += [ci for c in clusters for ci in kb.cluster_cities(c["id"]) if ci not in cities]
    provinces = {p for c in clusters for p in kb.cluster_provinces(c["id"])}
    provinces |= {c["province"] for c in kb.many("city", cities)}
    view: CompanyView = {
        "schema_version": SCHEMA_VERSION,
        "kind": "company",
        "resolved": match_info(kb, match, query, "company"),
        "company": {
            "id": co["id"],
            "name": co["name"],
            "name_zh": co.get("name_zh"),
            "official_name": co.get("official_name"),
            "official_name_zh": co.get("official_name_zh"),
            "aliases": names_of(kb, "company", co),
            "sector": must_ref(kb, "sector", co["sector"]),
            "sectors": refs(kb, "sector", co.get("sectors", [])),
            "headquarters": ref(kb, "city", co.get("headquarters")),
            "headquarters_province": ref(kb, "province", hq["province"]) if hq else None,
            "bases": [
                {
                    "city": must_ref(kb, "city", c["id"]),
                    "province": must_ref(kb, "province", c["province"]),
                    "what": b.get("what"),
                }
                for b, c in bases
                if c
            ],
        },
        "clusters": pages.clusters("clusters", clusters),
        # the regions and provinces whose views list it (CompanyAdapter.counted_at): not only its clusters' own regions
        "regions": refs(kb, "region", sorted(regions_of_firm(kb, co, clusters))),
        "provinces": refs(kb, "province", sorted(provinces)),
        "cities": refs(kb, "city", cities),
        "provenance": provenance(kb, co, kb.primary_source_of("company", co["id"])),
    }
    return pages.add(view)


def park_view(kb: KB, query: str, page: int | None = None) -> ParkView:
    match = resolve(kb, "park", query)
    pages = Pages(kb, page)
    pk = match.entity
    city = kb.get("city", pk["city"]) or {}
    located = seat_of(city, lambda ident: kb.get("city", ident)) if city else None
    seat = located if located and located.get("lat") is not None and located.get("lon") is not None else None
    clusters = kb.clusters_in("park", pk["id"])
    own, _ = place_statistics(kb, "park", pk)
    primary = kb.primary_source_of("park", pk["id"])
    view: ParkView = {
        "schema_version": SCHEMA_VERSION,
        "kind": "park",
        "resolved": match_info(kb, match, query, "park"),
        "park": {
            "id": pk["id"],
            "name": pk["name"],
            "name_zh": pk.get("name_zh"),
            "kind": pk["kind"],
            "district": pk.get("district"),
            "aliases": names_of(kb, "park", pk),
            "summary": pk["summary"],
            "city": must_ref(kb, "city", pk["city"]),
            "province": ref(kb, "province", city.get("province")),
            "lat": seat["lat"] if seat else None,
            "lon": seat["lon"] if seat else None,
            # a park stands at its city's seat, as the GeoJSON and near place it (the Tianjin zones at one point)
            "location": "approximate: the centre of its city" if seat else "not recorded",
            "sectors": refs(kb, "sector", pk["sectors"]),
            "translated": bool(pk.get("translated")),
            "designations": designation_refs(kb, pk, primary),
            "provenance": provenance(kb, pk, primary),
        },
        "clusters": pages.clusters("clusters", clusters),
        "companies": company_rows(kb, clusters),
        "statistics": own,
    }
    return pages.add(view)


def cluster_view(kb: KB, query: str, page: int | None = None) -> ClusterView:
    """One cluster and its figures (`page` is every detail view's: a cluster has no section of clusters to cut)."""
    match = resolve(kb, "cluster", query)
    cl = match.entity
    rows = cluster_rows(kb, [cl])
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "cluster",
        "resolved": match_info(kb, match, query, "cluster"),
        "cluster": rows[0],
        "statistics": statistic_rows(kb, kb.referring("statistic", "cluster", cl["id"])),
    }


def designation_view(kb: KB, query: str, page: int | None = None) -> DesignationView:
    """A national list: who issues it, its batches, how much of it the knowledge base holds, its members."""
    from .info import designation_info

    match = resolve(kb, "designation", query)
    pages = Pages(kb, page)
    d = match.entity
    view: DesignationView = {
        "schema_version": SCHEMA_VERSION,
        "kind": "designation",
        "resolved": match_info(kb, match, query, "designation"),
        "designation": {**designation_info(kb, d), "summary": d["summary"]},
        "provenance": provenance(kb, d, kb.primary_source_of("designation", d["id"])),
        "clusters": pages.clusters("clusters", kb.referring("cluster", "designations", d["id"])),
        "parks": park_rows(kb, kb.referring("park", "designations", d["id"])),  # the members of a list of zones
    }
    return pages.add(view)


DETAIL_VIEWS: dict[str, Callable[[KB, str, int | None], Any]] = {
    "province": province_view,
    "sector": sector_view,
    "city": city_view,
    "region": region_view,
    "company": company_view,
    "park": park_view,
    "cluster": cluster_view,
    "designation": designation_view,
}
