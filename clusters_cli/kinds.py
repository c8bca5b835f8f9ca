"""Each kind's behaviour, in one adapter per kind: how it is listed, searched, placed and located.

`model.py` says what a kind is (its section, references, list columns, filters, and where it stands in
the orders commands use); the adapter here says what it does. A command asks `adapter(kind)` and never
branches on a kind's name, except where a rule belongs to that command alone. A kind without a rule of
its own gets the base class's: listed by its id and names, searched by its names and summary, placed
where the clusters it stands in lie, located nowhere.

Adapters work at two levels, and import neither Typer nor Rich:
- over the merged packs (`Lookup`: kind -> id -> entity), when the cache is compiled: search texts,
  name forms, the places containing a place, the cities an entity is located at;
- over the knowledge base (`KB`), when a view is built: list rows, provinces and regions, sectors.
  Rows are built with the helpers of values.py (references, figures in words); a designation's row asks
  views/info for how much of its list is held, imported when such a row is built.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from .membership import region_index
from .model import KINDS, Kind
from .store.relations import Rel, clusters_at
from .values import amount, amount_usd, format_value, ref, refs, scope_label, scope_place

if TYPE_CHECKING:
    from .store.kb import KB

Entity = dict[str, Any]
Lookup = dict[str, dict[str, Entity]]
Row = dict[str, Any]
Count = Callable[[list[str]], int]  # how many of these clusters (ids) a row counts


def cluster_sectors(cl: Entity) -> list[str]:
    """Every sector a cluster is tagged with, its main sector first."""
    return list(dict.fromkeys([cl["sector"], *cl.get("sectors", [])]))


def cluster_cities(lk: Lookup, cl: Entity) -> list[str]:
    """The cities a cluster lies in: its own, then those of its parks."""
    return list(dict.fromkeys([*cl.get("cities", []), *(lk["park"][p]["city"] for p in cl.get("parks", []))]))


def cluster_provinces(lk: Lookup, cl: Entity) -> list[str]:
    """The provinces a cluster lies in: its own, and those of its cities and parks (not its region's)."""
    cities = cluster_cities(lk, cl)
    return sorted({*cl.get("provinces", []), *(lk["city"][c]["province"] for c in cities)})


def with_prefectures(lk: Lookup, cities: list[str]) -> list[str]:
    """The cities and the prefectures containing them: a cluster in Kunshan lies in Suzhou too."""
    out = dict.fromkeys(cities)
    for c in cities:
        parent = lk["city"][c].get("prefecture")
        while parent and parent not in out:
            out[parent] = None
            parent = lk["city"][parent].get("prefecture")
    return list(out)


def seat_of(city: Entity, city_named: Callable[[str], Entity | None]) -> Entity | None:
    """The city whose seat stands for a city in `near` and the points the cache compiles: its own, or, for a
    district the reference table gives none (one made since, such as Shenzhen's Guangming), its city's: a
    district is part of the city proper. A county or county-level city without a seat has none (its
    prefecture's seat may lie 100 km away). `city_named` reads a city by id (the Lookup's or the KB's)."""

    def located(c: Entity | None) -> bool:
        return c is not None and c.get("lat") is not None and c.get("lon") is not None

    if located(city):
        return city
    parent = city_named(city["prefecture"]) if city.get("prefecture") and city["kind"] == "district" else None
    return parent if located(parent) else None


def _sector_texts(lk: Lookup, sector_ids: list[str]) -> list[tuple[str, str, str]]:
    return [
        ("sector", "sector", t)
        for sid in sector_ids
        for t in [lk["sector"][sid]["name"], *lk["sector"][sid]["synonyms"]]
    ]


class Adapter:
    """The behaviour of a kind with no rule of its own."""

    kind: Kind
    placed = False  # whether a row names the one province it lies in (province_of)
    located = False  # whether it has a point of its own (seat): the GeoJSON export has a feature for it

    def __init__(self, kind: Kind) -> None:
        self.kind = kind

    @property
    def name(self) -> str:
        return self.kind.name

    # --- over the merged packs (the cache build)

    def search_texts(self, lk: Lookup, e: Entity) -> list[tuple[str, str, str]]:
        """(field, label, text) searched beyond the names, specialties and summary every kind has."""
        return []

    def name_forms(self, e: Entity) -> list[tuple[str, str]]:
        """(how, text) of names beyond those every kind has (name, aliases, Chinese name...)."""
        return []

    def containers(self, lk: Lookup, ident: str) -> Iterator[tuple[str, str]]:
        """(kind, id) of the places containing this one, smallest first (not itself); none for a non-place."""
        return iter(())

    def points(self, lk: Lookup) -> Iterator[tuple[str, str]]:
        """(id, city) for each city at which `near` counts an entity of this kind; none by default."""
        return iter(())

    # --- over the knowledge base (views)

    def province_of(self, kb: KB, e: Entity) -> str | None:
        """The one province the entity lies in, where it has one."""
        return None

    def clusters_in(self, kb: KB, ident: str) -> list[Entity]:
        """The clusters the entity stands in: by default those that list it (a park, a company, a list)."""
        field = next((r.field for r in KINDS["cluster"].refs if r.target == self.name and r.many), None)
        return kb.referring("cluster", field, ident) if field is not None else []

    def exported(self, kb: KB, e: Entity) -> Entity:
        """The entity as the exports hold it: as the packs do, unless the kind adds derived fields."""
        return e

    def preferred(self, kb: KB, idents: list[str]) -> str | None:
        """Which of several entities of this kind one name means (the homonym policy); None: a tie."""
        return None

    def row(self, kb: KB, e: Entity, count: Count) -> Row:
        """The kind's own columns of a `list` row (id, names and province come first, for every kind);
        `count` counts clusters as the row's filters do."""
        return {}

    def places(self, kb: KB, e: Entity) -> tuple[set[str], set[str]]:
        """(provinces, regions) the entity lies in or is attributed to, for the place filters of `list`: a
        located entity, the regions containing its city (membership.RegionIndex); else those holding its province
        whole."""
        own = self.province_of(kb, e)
        if own is not None:
            seat = self.seat(kb, e) if self.located else None
            regions = set(kb.related(Rel.CITY_REGIONS, seat["id"]) if seat else kb.related(Rel.PROVINCE_REGIONS, own))
            return {own}, regions | ({e["region"]} if e.get("region") else set())
        provinces: set[str] = set()
        regions = set()
        for cl in kb.clusters_in(self.name, e["id"]):  # where its clusters lie: their cities, else provinces
            cl_provinces = kb.cluster_provinces(cl["id"])
            provinces |= set(cl_provinces)
            cities = kb.cluster_cities(cl["id"])
            for rel, places in ((Rel.CITY_REGIONS, cities),) if cities else ((Rel.PROVINCE_REGIONS, cl_provinces),):
                for place in places:
                    regions |= set(kb.related(rel, place))
            if cl.get("region"):
                regions.add(cl["region"])
        return provinces, regions

    def sectors(self, kb: KB, e: Entity) -> set[str]:
        """The sectors the entity stands for: by default those of the clusters it stands in."""
        return {s for cl in kb.clusters_in(self.name, e["id"]) for s in cluster_sectors(cl)}

    def regions_containing(self, kb: KB, e: Entity) -> list[Entity]:
        """The regions a place lies in; none for a non-place."""
        return []

    def seat(self, kb: KB, e: Entity) -> Entity | None:
        """The city whose seat is the entity's point (where `near` measures from); None if it has none."""
        return None

    def parks_in(self, kb: KB, e: Entity) -> list[Entity]:
        """The parks that lie in a place (for a non-place, none)."""
        return []


class SourceAdapter(Adapter):
    def row(self, kb: KB, e: Entity, count: Count) -> Row:
        return {
            "kind": e["kind"],
            "publisher": e.get("publisher"),
            "published": e.get("published"),
            "address": e.get("address"),
            "cited_in": ref(kb, "source", e.get("cited_in")),
        }


class DesignationAdapter(Adapter):
    def row(self, kb: KB, e: Entity, count: Count) -> Row:
        from .views.info import designation_info

        info = designation_info(kb, e)
        return {
            "issuer": e["issuer"],
            "issuer_zh": e.get("issuer_zh"),
            "members": e["members"],
            "held": info["held"],
            "complete": info["complete"],
        }


def _located(kb: KB, kind: str, ident: str) -> list[Entity]:
    return kb.many("cluster", kb.related(clusters_at(kind), ident))


class ProvinceAdapter(Adapter):
    placed = True

    def clusters_in(self, kb: KB, ident: str) -> list[Entity]:
        return _located(kb, "province", ident)

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

    def seat(self, kb: KB, e: Entity) -> Entity | None:
        return kb.get("city", e["capital"])

    def parks_in(self, kb: KB, e: Entity) -> list[Entity]:
        return [p for c in kb.referring("city", "province", e["id"]) for p in kb.referring("park", "city", c["id"])]


class RegionAdapter(Adapter):
    def clusters_in(self, kb: KB, ident: str) -> list[Entity]:
        return _located(kb, "region", ident)

    def row(self, kb: KB, e: Entity, count: Count) -> Row:
        return {
            "kind": e["kind"],
            "aliases": list(e.get("aliases", [])),
            "provinces": refs(kb, "province", e["provinces"]),
            "cluster_count": count(kb.related(clusters_at("region"), e["id"])),
        }

    def places(self, kb: KB, e: Entity) -> tuple[set[str], set[str]]:
        return set(e["provinces"]), {e["id"]}

    def parks_in(self, kb: KB, e: Entity) -> list[Entity]:
        """The parks in the cities the region contains (membership.RegionIndex)."""
        cities = kb.related(Rel.REGION_CITIES, e["id"])
        return [p for c in cities for p in kb.referring("park", "city", c)]


class CityAdapter(Adapter):
    placed = True
    located = True
    LEVELS: ClassVar[dict[str, int]] = {"province": 0, "prefecture": 1, "county": 2}

    def clusters_in(self, kb: KB, ident: str) -> list[Entity]:
        return _located(kb, "city", ident)

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

    def province_of(self, kb: KB, e: Entity) -> str | None:
        return str(e["province"])

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

    def regions_containing(self, kb: KB, e: Entity) -> list[Entity]:
        """The regions the city lies in, by the one membership rule (membership.RegionIndex), as compiled."""
        return kb.many("region", kb.related(Rel.CITY_REGIONS, e["id"]))

    def seat(self, kb: KB, e: Entity) -> Entity | None:
        return e

    def parks_in(self, kb: KB, e: Entity) -> list[Entity]:
        """Its own parks and those of its counties and districts (a prefecture counts what lies in it)."""
        own = kb.referring("park", "city", e["id"])
        return own + [
            p for c in kb.referring("city", "prefecture", e["id"]) for p in kb.referring("park", "city", c["id"])
        ]


class ParkAdapter(Adapter):
    placed = True
    located = True

    def search_texts(self, lk: Lookup, e: Entity) -> list[tuple[str, str, str]]:
        return [*_sector_texts(lk, e["sectors"]), ("place", "place", lk["city"][e["city"]]["name"])]

    def containers(self, lk: Lookup, ident: str) -> Iterator[tuple[str, str]]:
        city = lk["park"][ident]["city"]
        yield "city", city
        yield from adapter("city").containers(lk, city)

    def points(self, lk: Lookup) -> Iterator[tuple[str, str]]:
        for park in lk["park"].values():
            yield park["id"], park["city"]

    def province_of(self, kb: KB, e: Entity) -> str | None:
        city = kb.get("city", e["city"])
        return str(city["province"]) if city else None

    def row(self, kb: KB, e: Entity, count: Count) -> Row:
        return {"kind": e["kind"], "city": ref(kb, "city", e["city"]), "sectors": refs(kb, "sector", e["sectors"])}

    def sectors(self, kb: KB, e: Entity) -> set[str]:
        return set(e["sectors"])

    def seat(self, kb: KB, e: Entity) -> Entity | None:
        return kb.get("city", e["city"])


class SectorAdapter(Adapter):
    def clusters_in(self, kb: KB, ident: str) -> list[Entity]:
        return _located(kb, "sector", ident)

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


class CompanyAdapter(Adapter):
    """A firm lies where its headquarters is (the city a page states); `near` counts it there, at the bases
    pages name, and at the cities of the clusters naming it."""

    placed = True
    located = True

    def search_texts(self, lk: Lookup, e: Entity) -> list[tuple[str, str, str]]:
        own = _sector_texts(lk, [e["sector"], *e.get("sectors", [])]) if e.get("sector") else []
        names = [("name", "official name (Chinese)", e["official_name_zh"])] if e.get("official_name_zh") else []
        hq = [("place", "headquarters", lk["city"][e["headquarters"]]["name"])] if e.get("headquarters") else []
        bases = [("place", "base", lk["city"][b["city"]]["name"]) for b in e.get("bases", [])]
        return [*names, *own, *hq, *bases]

    def name_forms(self, e: Entity) -> list[tuple[str, str]]:
        return [("Chinese name", e["official_name_zh"])] if e.get("official_name_zh") else []

    def points(self, lk: Lookup) -> Iterator[tuple[str, str]]:
        for co in lk["company"].values():
            for city_id in [co.get("headquarters"), *(b["city"] for b in co.get("bases", []))]:
                if city_id:
                    yield co["id"], city_id
        for cl in lk["cluster"].values():  # and at the cities of the clusters naming it
            cities = cluster_cities(lk, cl)
            for company in cl.get("companies", []):
                for city_id in cities:
                    yield company, city_id

    def province_of(self, kb: KB, e: Entity) -> str | None:
        city = kb.get("city", e.get("headquarters"))
        return str(city["province"]) if city else None

    def row(self, kb: KB, e: Entity, count: Count) -> Row:
        return {
            "sector": ref(kb, "sector", e["sector"]),
            "sectors": refs(kb, "sector", e.get("sectors", [])),
            "headquarters": ref(kb, "city", e.get("headquarters")),
            "bases": refs(kb, "city", [b["city"] for b in e.get("bases", [])]),
            "clusters": refs(kb, "cluster", kb.referring_ids("cluster", "companies", e["id"])),
        }

    def sectors(self, kb: KB, e: Entity) -> set[str]:
        own = {e["sector"], *e.get("sectors", [])} if e.get("sector") else set()
        return own or super().sectors(kb, e)

    def seat(self, kb: KB, e: Entity) -> Entity | None:
        return kb.get("city", e.get("headquarters"))


class ClusterAdapter(Adapter):
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

    def clusters_in(self, kb: KB, ident: str) -> list[Entity]:
        return kb.many("cluster", [ident])

    def search_texts(self, lk: Lookup, e: Entity) -> list[tuple[str, str, str]]:
        places = [lk["city"][c]["name"] for c in cluster_cities(lk, e)]
        places += [lk["province"][p]["name"] for p in cluster_provinces(lk, e)]
        if e.get("region"):
            region = lk["region"][e["region"]]
            places += [region["name"], *region.get("aliases", [])]
        towns = [("place", "town", t) for t in e.get("towns", [])]  # 'Humen (虎门)': its names in both scripts
        return [*_sector_texts(lk, cluster_sectors(e)), *(("place", "place", p) for p in places), *towns]

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


class StatisticAdapter(Adapter):
    placed = True

    def clusters_in(self, kb: KB, ident: str) -> list[Entity]:
        st = kb.get("statistic", ident)
        return kb.many("cluster", [st["cluster"]] if st and st.get("cluster") else [])

    def exported(self, kb: KB, e: Entity) -> Entity:
        """With `amount` in base units and `amount_usd` where the source gives US dollars, so that every
        export sorts money alike."""
        return {**e, "amount": amount(e), "amount_usd": amount_usd(e)}

    def search_texts(self, lk: Lookup, e: Entity) -> list[tuple[str, str, str]]:
        own = _sector_texts(lk, [e["sector"]]) if e.get("sector") else []
        return [*own, ("metric", "metric", e["metric"])]

    def province_of(self, kb: KB, e: Entity) -> str | None:
        if e.get("province"):
            return str(e["province"])
        city = kb.get("city", e.get("city"))
        return str(city["province"]) if city else None

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
            "scope_zh": (scope_place(kb, e) or {}).get("name_zh"),
            "sector": ref(kb, "sector", e.get("sector")),
            "source": ref(kb, "source", e["source"]),
        }

    def places(self, kb: KB, e: Entity) -> tuple[set[str], set[str]]:
        provinces, regions = super().places(kb, e)
        return provinces, regions | ({e["region"]} if e.get("region") else set())

    def sectors(self, kb: KB, e: Entity) -> set[str]:
        return {e["sector"]} if e.get("sector") else super().sectors(kb, e)


# One adapter per kind of the model (a kind with none gets the base class's behaviour).
ADAPTER_CLASSES: dict[str, type[Adapter]] = {
    "source": SourceAdapter,
    "designation": DesignationAdapter,
    "province": ProvinceAdapter,
    "region": RegionAdapter,
    "city": CityAdapter,
    "park": ParkAdapter,
    "sector": SectorAdapter,
    "company": CompanyAdapter,
    "cluster": ClusterAdapter,
    "statistic": StatisticAdapter,
}
KINDS_ADAPTED: dict[str, Adapter] = {}


def adapter(kind: str) -> Adapter:
    """The adapter of a kind of the model (built on first use; a kind registered later gets one too)."""
    found = KINDS_ADAPTED.get(kind)
    if found is None or found.kind is not KINDS[kind]:
        found = KINDS_ADAPTED[kind] = ADAPTER_CLASSES.get(kind, Adapter)(KINDS[kind])
    return found
