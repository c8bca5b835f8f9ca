"""The adapters of what is not a place: sources, designation lists, sectors, companies, clusters and
statistics."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, ClassVar

from ..model import Ref, place_order
from ..store.relations import clusters_at, ref_relation
from ..values import amount, amount_usd, format_value, ref, refs, scope_label, scope_of

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
    cluster_provinces,
    cluster_sectors,
    located_clusters,
    sector_clusters,
    sector_texts,
)
from .places import cities_within, company_ids_in_cities, region_provinces


class SourceAdapter(Adapter):
    verbatim = ("kind", "publisher", "published", "address")
    referenced: ClassVar[dict[str, tuple[str, ...]]] = {"cited_in": ("cited_in",)}

    def row(self, kb: KB, e: Entity, count: Count) -> Row:
        return {
            "kind": e["kind"],
            "publisher": e.get("publisher"),
            "published": e.get("published"),
            "address": e.get("address"),
            "cited_in": ref(kb, "source", e.get("cited_in")),
        }


class DesignationAdapter(Adapter):
    verbatim = ("issuer", "issuer_zh")  # not `members`, an integer the schema does not bound

    def row(self, kb: KB, e: Entity, count: Count) -> Row:
        from ..views.info import designation_info

        info = designation_info(kb, e)
        return {
            "issuer": e["issuer"],
            "issuer_zh": e.get("issuer_zh"),
            "members": e["members"],
            "held": info["held"],
            "complete": info["complete"],
        }


class SectorAdapter(Adapter):
    worded = True
    referenced: ClassVar[dict[str, tuple[str, ...]]] = {"parent": ("parent",)}

    def clusters_in(self, kb: KB, ident: str) -> list[Entity]:
        return located_clusters(kb, "sector", ident)

    def preferred(self, kb: KB, idents: list[str]) -> str | None:
        """The most specific of a line of sectors (`shoes` is Footwear, not Textiles, clothing and
        footwear, whose sub-sector it is)."""
        inside = [i for i in idents if all(i in kb.sector_descendants(o) for o in idents)]
        return inside[0] if len(inside) == 1 else None

    def row(self, kb: KB, e: Entity, count: Count) -> Row:
        family = kb.sector_descendants(e["id"])
        return {
            "parent": ref(kb, "sector", e.get("parent")),
            "synonyms": list(e["synonyms"]),
            "cluster_count": count([c for s in family for c in kb.related(clusters_at("sector"), s)]),
        }

    def sectors(self, kb: KB, e: Entity) -> set[str]:
        return {e["id"]}

    def within(self, kb: KB, place_kind: str, place_id: str) -> set[str]:
        """The sectors of the clusters that may lie in the place (a sector lies where its clusters do: `places`):
        in a province, those counted in it; in a region, those counted in a city it holds or in a province it
        names (it holds a province whole only if it names it: membership.RegionIndex), and those attributed to it."""
        if place_kind == "province":
            clusters = set(kb.related(clusters_at("province"), place_id))
        else:  # the region's cities and provinces, as the city's and province's `within` name them
            cities = cities_within(kb, "region", place_id)
            kb.prefetch_keys(clusters_at("city"), cities)  # a cluster is counted in each of its cities
            clusters = {
                *(cl for c in cities for cl in kb.related(clusters_at("city"), c)),
                *(cl for p in region_provinces(kb, place_id) for cl in kb.related(clusters_at("province"), p)),
                *kb.referring_ids("cluster", "region", place_id),
            }
        return {s for cl in kb.many("cluster", sorted(clusters)) for s in cluster_sectors(cl)}


def tagged_firm_ids(kb: KB, family: Iterable[str]) -> list[str]:
    """The ids of the firms a page tags with one of these sectors (a sector and its descendants), as their main
    sector or another of theirs, sector by sector (a firm tagged with two is named twice), read from the
    relations alone."""
    return [i for sid in family for field in ("sector", "sectors") for i in kb.referring_ids("company", field, sid)]


def tagged_firms(kb: KB, family: Iterable[str]) -> list[Entity]:
    """The firms of tagged_firm_ids, in its order: those a sector's view, compare's column and rank list beside
    the firms the sector's clusters name."""
    return kb.many("company", tagged_firm_ids(kb, family))


class CompanyAdapter(Adapter):
    """A firm lies where its headquarters is (the city a page states); `near` counts it there and at the bases
    pages name. A firm no page places stands at the cities of the clusters naming it, the article's placing;
    one that a page places does not stand in every city of a cluster naming it too (GAC, headquartered in
    Guangzhou, read 0 km from Shenzhen, a city of the Pearl River Delta's car cluster)."""

    placed = True
    located = True
    referenced: ClassVar[dict[str, tuple[str, ...]]] = {
        "province": ("headquarters", "province"),
        "sector": ("sector",),
        "headquarters": ("headquarters",),
    }

    def search_texts(self, lk: Lookup, e: Entity) -> list[tuple[str, str, str]]:
        own = sector_texts(lk, [e["sector"], *e.get("sectors", [])]) if e.get("sector") else []
        names = [("name", "official name (Chinese)", e["official_name_zh"])] if e.get("official_name_zh") else []
        seat = lk["city"][e["headquarters"]] if e.get("headquarters") else None
        hq = [("place", "headquarters", t) for t in both_names(seat)] if seat is not None else []
        bases = [("place", "base", t) for b in e.get("bases", []) for t in both_names(lk["city"][b["city"]])]
        return [*names, *own, *hq, *bases]

    def name_forms(self, e: Entity) -> list[tuple[str, str]]:
        return [("Chinese name", e["official_name_zh"])] if e.get("official_name_zh") else []

    def points(self, lk: Lookup) -> Iterator[tuple[str, str]]:
        placed = set()
        for co in lk["company"].values():
            for city_id in [co.get("headquarters"), *(b["city"] for b in co.get("bases", []))]:
                if city_id:
                    placed.add(co["id"])
                    yield co["id"], city_id
        for cl in lk["cluster"].values():  # a firm no page places: at the cities of the clusters naming it
            cities = cluster_cities(lk, cl)
            for company in cl.get("companies", []):
                if company not in placed:
                    for city_id in cities:
                        yield company, city_id

    def row(self, kb: KB, e: Entity, count: Count) -> Row:
        return {
            "sector": ref(kb, "sector", e["sector"]),
            "sectors": refs(kb, "sector", e.get("sectors", [])),
            "headquarters": ref(kb, "city", e.get("headquarters")),
            "bases": refs(kb, "city", [b["city"] for b in e.get("bases", [])]),
            "clusters": refs(kb, "cluster", kb.referring_ids("cluster", "companies", e["id"])),
        }

    counted = True
    sectors_with_place = True

    def counted_at(self, kb: KB, place: tuple[str, str] | None, sectors: set[str] | None) -> set[str]:
        """The firms a view lists: a place's (those the clusters counted there name, and those headquartered or
        based in its cities: places.cities_within), a sector's (those its clusters name, and those tagged with
        it: `sectors` is the sector and its descendants), or a sector's at a place (rank's count: those the
        sector's clusters counted there name, and those tagged with it headquartered or based there). `list
        companies` keeps the same."""
        if sectors is not None:
            of_sector = {c["id"] for sid in sectors for c in kb.clusters_in("sector", sid)}
            tagged = set(tagged_firm_ids(kb, sectors))
        if place is None:
            assert sectors is not None
            named = {co for c in kb.many("cluster", sorted(of_sector)) for co in c.get("companies", [])}
            return named | tagged
        clusters = [c for c in kb.clusters_in(*place) if sectors is None or c["id"] in of_sector]
        located = set(company_ids_in_cities(kb, cities_within(kb, *place)))
        named = {co for c in clusters for co in c.get("companies", [])}
        return named | (located if sectors is None else located & tagged)

    def sectors(self, kb: KB, e: Entity) -> set[str]:
        """Those a page tags it with and those of the clusters naming it: the firms a sector's view lists
        (counted_at), which `list companies --sector` and `near --sector` keep too."""
        own = {e["sector"], *e.get("sectors", [])} if e.get("sector") else set()
        return own | super().sectors(kb, e)

    def having_sectors(self, kb: KB, sectors: set[str]) -> set[str] | None:
        return set(tagged_firm_ids(kb, sectors)) | self._listed_by_clusters(kb, sectors)

    def seat(self, kb: KB, e: Entity) -> Entity | None:
        return kb.get("city", e.get("headquarters"))


class ClusterAdapter(Adapter):
    verbatim = ("status",)
    referenced: ClassVar[dict[str, tuple[str, ...]]] = {"sector": ("sector",), "region": ("region",)}

    def name_forms(self, e: Entity) -> list[tuple[str, str]]:
        """The towns a cluster is named for ('Datang (大唐)'): a query naming a town is a real name, never a
        slip of another place's (Datang is not Datong)."""
        out = []
        for town in e.get("towns", []):
            latin, _, rest = town.partition(" (")
            out.append(("town", latin.strip()))
            zh = rest.rstrip(")").strip()
            if zh:
                out += [("Chinese name", zh)] + (
                    [("Chinese name", zh[:-1])] if zh.endswith("镇") and len(zh) > 2 else []
                )
        return out

    counted = True

    def clusters_in(self, kb: KB, ident: str) -> list[Entity]:
        return kb.many("cluster", [ident])

    def counted_at(self, kb: KB, place: tuple[str, str] | None, sectors: set[str] | None) -> set[str] | None:
        """The clusters counted at a place (kb.clusters_in: the one rule of every view)."""
        return None if place is None else {c["id"] for c in kb.clusters_in(*place)}

    export_refs = (Ref("named_provinces", "province", many=True), Ref("named_cities", "city", many=True))

    def exported(self, kb: KB, e: Entity) -> Entity:
        """Where it lies by the one rule of every output (README, "What the counts count"), as the cluster
        view and `list` give it: `provinces` every province it lies in, `cities` its own and its parks';
        what its source names is kept as `named_provinces` and `named_cities`."""
        out = {k: v for k, v in e.items() if k not in ("provinces", "cities")}
        out["provinces"] = kb.cluster_provinces(e["id"])
        out["cities"] = kb.cluster_cities(e["id"])
        out["named_provinces"] = list(e.get("provinces", []))
        out["named_cities"] = list(e.get("cities", []))
        return out

    def search_texts(self, lk: Lookup, e: Entity) -> list[tuple[str, str, str]]:
        places = [t for c in cluster_cities(lk, e) for t in both_names(lk["city"][c])]
        places += [t for p in cluster_provinces(lk, e) for t in both_names(lk["province"][p])]
        if e.get("region"):
            region = lk["region"][e["region"]]
            places += [*both_names(region), *region.get("aliases", [])]
        towns = [("place", "town", t) for t in e.get("towns", [])]  # 'Humen (虎门)': its names in both scripts
        return [*sector_texts(lk, cluster_sectors(e)), *(("place", "place", p) for p in places), *towns]

    def points(self, lk: Lookup) -> Iterator[tuple[str, str]]:
        for cl in lk["cluster"].values():
            for city_id in cluster_cities(lk, cl):
                yield cl["id"], city_id

    def row(self, kb: KB, e: Entity, count: Count) -> Row:
        return {
            "sector": ref(kb, "sector", e["sector"]),
            "region": ref(kb, "region", e.get("region")),
            "provinces": refs(kb, "province", kb.cluster_provinces(e["id"])),
            "cities": refs(kb, "city", kb.cluster_cities(e["id"])),
            "status": e["status"],
            "designations": refs(kb, "designation", [d["list"] for d in e.get("designations", [])]),
        }

    def sectors(self, kb: KB, e: Entity) -> set[str]:
        return set(cluster_sectors(e))

    def having_sectors(self, kb: KB, sectors: set[str]) -> set[str] | None:
        return sector_clusters(kb, sectors)


class StatisticAdapter(Adapter):
    # not `value` nor `usd_value`, numbers the schema does not bound
    verbatim = ("metric", "unit", "scale", "currency", "qualifier", "year", "year_basis", "period", "status", "series")
    referenced: ClassVar[dict[str, tuple[str, ...]]] = {"sector": ("sector",), "source": ("source",)}
    placed = True
    counted = True

    def counted_at(self, kb: KB, place: tuple[str, str] | None, sectors: set[str] | None) -> set[str] | None:
        """The figures of a place: its own and those of the places inside it (kb.statistics_in)."""
        return None if place is None else {st["id"] for st in kb.statistics_in(*place)}

    def clusters_in(self, kb: KB, ident: str) -> list[Entity]:
        st = kb.get("statistic", ident)
        return kb.many("cluster", [st["cluster"]] if st and st.get("cluster") else [])

    export_refs = (Ref("named_province", "province"),)

    def exported(self, kb: KB, e: Entity) -> Entity:
        """With `amount` in base units and `amount_usd` where the source gives US dollars, so that every
        export sorts money alike; `province` the province it lies in, as `list statistics` and its filter read
        it (a figure of Zhuji lies in Zhejiang: the exports left it blank, naming only the city), and what the
        pack names kept as `named_province`."""
        out = {k: v for k, v in e.items() if k != "province"}
        lies_in = self.province_of(kb, e)
        out |= {"province": lies_in} if lies_in else {}
        return {**out, "named_province": e.get("province"), "amount": amount(e), "amount_usd": amount_usd(e)}

    def search_texts(self, lk: Lookup, e: Entity) -> list[tuple[str, str, str]]:
        own = sector_texts(lk, [e["sector"]]) if e.get("sector") else []
        return [*own, ("metric", "metric", e["metric"])]

    def province_of(self, kb: KB, e: Entity) -> str | None:
        """The province a figure lies in, as `list statistics --province` files it (rules.statistic_scope and
        the places containing the scope): its own most specific place's province, else its cluster's single
        park's, city's or province; none for a region or China (a test holds the two together). A park's
        figure named no province here before, though its filter listed it under the park's."""
        for kind in place_order():
            if e.get(kind):
                return self._province_at(kb, kind, str(e[kind]))
        cluster = kb.get("cluster", e.get("cluster"))
        if cluster is None:
            return None
        for kind, ids in (
            ("park", cluster.get("parks", [])),
            ("city", kb.cluster_cities(cluster["id"])),
            ("province", kb.cluster_provinces(cluster["id"])),
        ):
            if len(ids) == 1:
                return self._province_at(kb, kind, str(ids[0]))
        return None

    @staticmethod
    def _province_at(kb: KB, kind: str, ident: str) -> str | None:
        """The province a place lies in, as its kind's adapter says (a park's is its city's; a region lies in no
        one province)."""
        from . import adapter

        place = kb.get(kind, ident)
        return adapter(kind).province_of(kb, place) if place is not None else None

    def row(self, kb: KB, e: Entity, count: Count) -> Row:
        return {
            "metric": e["metric"],  # as every view names it (the row's `name` is the same words)
            "value": e["value"],
            "unit": e["unit"],
            "scale": e.get("scale"),
            "currency": e.get("currency"),
            "amount": amount(e),
            "usd_value": e.get("usd_value"),
            "usd_scale": e.get("usd_scale"),
            "amount_usd": amount_usd(e),
            "qualifier": e["qualifier"],
            "display": format_value(e),
            "year": e["year"],
            "year_basis": e["year_basis"],
            "period": e.get("period"),
            "status": e["status"],
            "series": e.get("series"),
            "scope": scope_label(kb, e),
            "scope_zh": (scope_of(kb, e) or {}).get("name_zh"),
            "sector": ref(kb, "sector", e.get("sector")),
            "source": ref(kb, "source", e["source"]),
        }

    def places(self, kb: KB, e: Entity) -> tuple[set[str], set[str]]:
        provinces, regions = super().places(kb, e)
        return provinces, regions | ({e["region"]} if e.get("region") else set())

    def sectors(self, kb: KB, e: Entity) -> set[str]:
        return {e["sector"]} if e.get("sector") else super().sectors(kb, e)

    def having_sectors(self, kb: KB, sectors: set[str]) -> set[str] | None:
        """Those of these sectors, and those about their clusters (one of another sector among them)."""
        own = {i for s in sectors for i in kb.related(ref_relation("statistic", "sector"), s)}
        about = ref_relation("statistic", "cluster")
        return own | {i for c in sector_clusters(kb, sectors) for i in kb.related(about, c)}
