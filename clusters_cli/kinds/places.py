"""The adapters of places: provinces, regions, cities (counties and districts too) and parks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar

from ..membership import region_index
from ..store.relations import Rel, clusters_at, ref_relation
from ..values import ref, refs

if TYPE_CHECKING:
    from ..store.kb import KB

from .base import (
    Adapter,
    Count,
    Entity,
    Lookup,
    Row,
    both_names,
    cluster_cities,
    located_clusters,
    located_having,
    sector_clusters,
    sector_texts,
    with_prefectures,
)

_CITIES = frozenset({"prefecture_city", "county_city", "municipality"})
_COUNTIES = frozenset({"county", "autonomous_county"})


class ProvinceAdapter(Adapter):
    verbatim = ("abbr", "iso_code", "kind")
    referenced: ClassVar[dict[str, tuple[str, ...]]] = {"capital": ("capital",), "macro_region": ("macro_region",)}
    placed = True
    kind_words: ClassVar[dict[str, frozenset[str]]] = {
        "province": frozenset({"province"}),
        "sheng": frozenset({"province"}),
        "municipality": frozenset({"municipality"}),
        "city": frozenset({"municipality"}),
        "shi": frozenset({"municipality"}),
        "region": frozenset({"autonomous_region"}),
        "zizhiqu": frozenset({"autonomous_region"}),
        "sar": frozenset({"special_administrative_region"}),
    }
    # a city of the province's name only where it holds clusters (`list --province Hebei` named 河北区 each run),
    # and the cluster named for a town of that name
    namesakes: ClassVar[tuple[tuple[str, str | None, bool], ...]] = (("city", None, True), ("cluster", "town", False))

    def clusters_in(self, kb: KB, ident: str) -> list[Entity]:
        return located_clusters(kb, "province", ident)

    def having_sectors(self, kb: KB, sectors: set[str]) -> set[str] | None:
        """The provinces the sectors' clusters lie in (`list provinces --sector wind` read every province's
        clusters: 0.6 s at 100 times the shipped data)."""
        return located_having(kb, "province", sectors)

    def name_forms(self, e: Entity) -> list[tuple[str, str]]:
        return [("code", e["code"][:2])] if e.get("code") else []  # 34 for Anhui

    def containers(self, lk: Lookup, ident: str) -> Iterator[tuple[str, str]]:
        index = region_index(lk)
        for region in index.sorted(index.of_province(ident)):
            yield "region", region

    def province_of(self, kb: KB, e: Entity) -> str | None:
        return str(e["id"])

    def row(self, kb: KB, e: Entity, count: Count) -> Row:
        return {
            "abbr": e["abbr"],
            "iso_code": e.get("iso_code"),  # ISO 3166-2, the key choropleth tools join on (as `map` rows)
            "kind": e["kind"],
            "capital": ref(kb, "city", e["capital"]),
            "macro_region": ref(kb, "region", e["macro_region"]),
            "cluster_count": count(kb.related(clusters_at("province"), e["id"])),
        }

    def regions_containing(self, kb: KB, e: Entity) -> list[Entity]:
        """The regions listing the province: those it lies in, and those it is partly in."""
        return kb.referring("region", "provinces", e["id"])

    def places(self, kb: KB, e: Entity) -> tuple[set[str], set[str]]:
        """A province is in the regions naming it (`list provinces --region PRD` lists Guangdong)."""
        return {e["id"]}, set(kb.referring_ids("region", "provinces", e["id"]))

    def within(self, kb: KB, place_kind: str, place_id: str) -> set[str]:
        """Itself; the provinces a region names (the relation `places` reads, from its other end)."""
        return {place_id} if place_kind == "province" else set(region_provinces(kb, place_id))

    def seat(self, kb: KB, e: Entity) -> Entity | None:
        return kb.get("city", e["capital"])

    def parks_in(self, kb: KB, e: Entity) -> list[Entity]:
        return [p for c in kb.referring("city", "province", e["id"]) for p in kb.referring("park", "city", c["id"])]


class RegionAdapter(Adapter):
    verbatim = ("kind",)

    def clusters_in(self, kb: KB, ident: str) -> list[Entity]:
        return located_clusters(kb, "region", ident)

    def having_sectors(self, kb: KB, sectors: set[str]) -> set[str] | None:
        """The regions the sectors' clusters lie in."""
        return located_having(kb, "region", sectors)

    def row(self, kb: KB, e: Entity, count: Count) -> Row:
        return {
            "kind": e["kind"],
            "aliases": list(e.get("aliases", [])),
            "provinces": refs(kb, "province", e["provinces"]),
            "cluster_count": count(kb.related(clusters_at("region"), e["id"])),
        }

    def places(self, kb: KB, e: Entity) -> tuple[set[str], set[str]]:
        return set(e["provinces"]), {e["id"]}

    def within(self, kb: KB, place_kind: str, place_id: str) -> set[str]:
        """The regions naming a province; itself."""
        return set(kb.referring_ids("region", "provinces", place_id)) if place_kind == "province" else {place_id}

    def parks_in(self, kb: KB, e: Entity) -> list[Entity]:
        """The parks in the cities the region contains (membership.RegionIndex)."""
        cities = kb.related(Rel.REGION_CITIES, e["id"])
        return [p for c in cities for p in kb.referring("park", "city", c)]


class CityAdapter(Adapter):
    verbatim = ("code", "kind", "level", "lat", "lon")
    referenced: ClassVar[dict[str, tuple[str, ...]]] = {"province": ("province",), "prefecture": ("prefecture",)}
    placed = True
    located = True
    kind_words: ClassVar[dict[str, frozenset[str]]] = {
        "city": _CITIES,
        "shi": _CITIES,
        "prefecture": frozenset({"prefecture", "autonomous_prefecture", "prefecture_city"}),
        "county": _COUNTIES,
        "xian": _COUNTIES,
        "district": frozenset({"district", "forestry_district", "special_district"}),
        "qu": frozenset({"district"}),
        "municipality": frozenset({"municipality"}),
        "league": frozenset({"league"}),
        "banner": frozenset({"banner", "autonomous_banner"}),
    }
    # the province of the city's name (`city Hebei`: 河北区, and the province), and the cluster of a town so named
    namesakes: ClassVar[tuple[tuple[str, str | None, bool], ...]] = (
        ("province", None, False),
        ("cluster", "town", False),
    )
    LEVELS: ClassVar[dict[str, int]] = {"province": 0, "prefecture": 1, "county": 2}

    def clusters_in(self, kb: KB, ident: str) -> list[Entity]:
        return located_clusters(kb, "city", ident)

    def having_sectors(self, kb: KB, sectors: set[str]) -> set[str] | None:
        """The cities the sectors' clusters are counted in (their clusters_in, inverted)."""
        return {c for cl in sector_clusters(kb, sectors) for c in kb.related(Rel.CLUSTER_COUNTED_IN, cl)}

    def preferred(self, kb: KB, idents: list[str]) -> str | None:
        """The place a source names (it holds clusters, parks or figures), then a provincial capital, then
        the higher level (a prefecture-level city before a county-level one)."""

        def rank(ident: str) -> tuple[bool, bool, int]:
            cited = bool(
                kb.clusters_in("city", ident)
                or kb.referring_ids("park", "city", ident)
                or kb.statistics_scoped("city", ident)
            )
            capital = bool(kb.referring_ids("province", "capital", ident))
            return (not cited, not capital, self.LEVELS.get((kb.get("city", ident) or {}).get("level", ""), 3))

        ranked = sorted(idents, key=rank)
        return ranked[0] if rank(ranked[0]) < rank(ranked[1]) else None

    def name_forms(self, e: Entity) -> list[tuple[str, str]]:
        zh = e.get("name_zh")
        return [("Chinese name", zh + "市")] if zh and not zh.endswith("市") else []  # 南通 and 南通市

    def containers(self, lk: Lookup, ident: str) -> Iterator[tuple[str, str]]:
        cities = set(with_prefectures(lk, [ident]))
        for parent in sorted(cities - {ident}):
            yield "city", parent
        yield "province", lk["city"][ident]["province"]
        index = region_index(lk)
        for region in index.sorted(index.of_city(ident)):
            yield "region", region

    def points(self, lk: Lookup) -> Iterator[tuple[str, str]]:
        """`near` lists the cities at prefecture level, the county-level cities, and a county or district a
        cluster, park or figure names: the other 2,000-odd counties and districts would crowd out what is near."""
        named = {c for cl in lk["cluster"].values() for c in cluster_cities(lk, cl)}
        named |= {p["city"] for p in lk["park"].values()} | {
            st["city"] for st in lk["statistic"].values() if st.get("city")
        }
        for city in lk["city"].values():
            if city["level"] != "county" or city["kind"] == "county_city" or city["id"] in named:
                yield city["id"], city["id"]

    def row(self, kb: KB, e: Entity, count: Count) -> Row:
        return {
            "code": e["code"],
            "kind": e["kind"],
            "level": e["level"],
            "prefecture": ref(kb, "city", e.get("prefecture")),
            "lat": e["lat"],
            "lon": e["lon"],
            "cluster_count": count(kb.related(clusters_at("city"), e["id"])),
        }

    def within(self, kb: KB, place_kind: str, place_id: str) -> set[str]:
        """The cities of a province (their `province`), of a region (the membership rule, as compiled)."""
        return set(cities_within(kb, place_kind, place_id))

    def regions_containing(self, kb: KB, e: Entity) -> list[Entity]:
        """The regions the city lies in, by the one membership rule (membership.RegionIndex), as compiled."""
        return kb.many("region", kb.related(Rel.CITY_REGIONS, e["id"]))

    def seat(self, kb: KB, e: Entity) -> Entity | None:
        return e

    def named_by_sources(self, kb: KB, ident: str) -> bool:
        """Its clusters, parks, firms (headquarters or a base) or figures (Nanchang holds no cluster but parks); a
        city that is a province-level division too (Macao), as the province is."""
        return bool(
            kb.get("province", ident) is not None
            or kb.clusters_in("city", ident)
            or kb.referring_ids("park", "city", ident)
            or kb.referring_ids("company", "headquarters", ident)
            or kb.referring_ids("company", "bases", ident)
            or kb.statistics_scoped("city", ident)
        )

    def parks_in(self, kb: KB, e: Entity) -> list[Entity]:
        """Its own parks and those of its counties and districts (a prefecture counts what lies in it)."""
        own = kb.referring("park", "city", e["id"])
        return own + [
            p for c in kb.referring("city", "prefecture", e["id"]) for p in kb.referring("park", "city", c["id"])
        ]


class ParkAdapter(Adapter):
    verbatim = ("kind",)
    referenced: ClassVar[dict[str, tuple[str, ...]]] = {"province": ("city", "province"), "city": ("city",)}
    placed = True
    located = True
    sectors_of_clusters = False

    def search_texts(self, lk: Lookup, e: Entity) -> list[tuple[str, str, str]]:
        return [*sector_texts(lk, e["sectors"]), *(("place", "place", t) for t in both_names(lk["city"][e["city"]]))]

    def containers(self, lk: Lookup, ident: str) -> Iterator[tuple[str, str]]:
        city = lk["park"][ident]["city"]
        yield "city", city
        from . import adapter  # the registry (kinds/__init__.py) imports this module

        yield from adapter("city").containers(lk, city)

    def points(self, lk: Lookup) -> Iterator[tuple[str, str]]:
        for park in lk["park"].values():
            yield park["id"], park["city"]

    def within(self, kb: KB, place_kind: str, place_id: str) -> set[str]:
        """The parks of the cities of a province or region (a park lies where its city does)."""
        cities = cities_within(kb, place_kind, place_id)
        kb.prefetch_keys(ref_relation("park", "city"), cities)
        return {p for c in cities for p in kb.referring_ids("park", "city", c)}

    def row(self, kb: KB, e: Entity, count: Count) -> Row:
        return {"kind": e["kind"], "city": ref(kb, "city", e["city"]), "sectors": refs(kb, "sector", e["sectors"])}

    def sectors(self, kb: KB, e: Entity) -> set[str]:
        return set(e["sectors"])

    def having_sectors(self, kb: KB, sectors: set[str]) -> set[str] | None:
        return {p for s in sectors for p in kb.related(ref_relation("park", "sectors"), s)}

    def seat(self, kb: KB, e: Entity) -> Entity | None:
        return kb.get("city", e["city"])


def region_provinces(kb: KB, region_id: str) -> list[str]:
    """The provinces a region names (those it holds whole are among them: membership.RegionIndex)."""
    region = kb.get("region", region_id)
    return list(region["provinces"]) if region is not None else []


# Which places hold which cities: one rule, read both ways (cities_within, places_of_city; a test holds each to
# the other). A province holds the cities whose `province` it is; a region, those the membership rule puts in it
# (membership.RegionIndex, compiled as Rel.REGION_CITIES and its inverse Rel.CITY_REGIONS); a city, itself and
# the counties and districts whose `prefecture` it is.


def cities_within(kb: KB, place_kind: str, place_id: str) -> list[str]:
    """The cities a province, a region or a city holds (the rule above): whose firms its view lists beside
    those of its clusters, whose parks a list of parks in it reads."""
    if place_kind == "province":
        return kb.referring_ids("city", "province", place_id)
    if place_kind == "region":
        return kb.related(Rel.REGION_CITIES, place_id)
    return [place_id, *kb.referring_ids("city", "prefecture", place_id)]


def places_of_city(kb: KB, place_kind: str, city: Entity) -> list[str]:
    """The places of a kind (province, region or city) that hold a city: cities_within read the other way
    (`rank` counts a firm or park in each place holding its city)."""
    if place_kind == "province":
        return [city["province"]]
    if place_kind == "region":
        return kb.related(Rel.CITY_REGIONS, city["id"])
    return [city["id"], *([city["prefecture"]] if city.get("prefecture") else [])]


def company_ids_in_cities(kb: KB, cities: Iterable[str]) -> list[str]:
    """The ids of the firms headquartered in these cities or with a production base a page names there, each
    once, in the order found (city by city, headquarters first), read from the relations alone."""
    found = (
        i for city in cities for field in ("headquarters", "bases") for i in kb.referring_ids("company", field, city)
    )
    return list(dict.fromkeys(found))


def companies_in_cities(kb: KB, cities: Iterable[str]) -> list[Entity]:
    """The firms of company_ids_in_cities, in its order."""
    return kb.many("company", company_ids_in_cities(kb, cities))
