"""The base of every kind's adapter (`Adapter`: the behaviour of a kind with no rule of its own) and the
helpers adapters share: a cluster's sectors, cities and provinces, a city's seat, the clusters located at a place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from ..model import KINDS, Kind, Ref
from ..store.relations import Rel, clusters_at

if TYPE_CHECKING:
    from ..store.kb import KB

Entity = dict[str, Any]
Lookup = dict[str, dict[str, Entity]]
Row = dict[str, Any]
Count = Callable[[list[str]], int]  # how many of these clusters (ids) a row counts


def referred_kind(kind: Kind, field: str) -> str:
    """The kind a single reference of a kind (a model.Ref, not of many) names."""
    return next(r.target for r in kind.refs if r.field == field and not r.many)


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


def both_names(e: Entity) -> list[str]:
    """An entity's name and, where the data has one, its Chinese name: what a search of a place or sector an
    entity names reads, so that 合肥 finds what Hefei finds."""
    return [e["name"], e["name_zh"]] if e.get("name_zh") else [e["name"]]


def sector_texts(lk: Lookup, sector_ids: list[str]) -> list[tuple[str, str, str]]:
    """The names and synonyms of the sectors, and of the sectors they are part of: `search semiconductors`
    finds a cluster of IC design as `sector semiconductors` counts it (it found 16 of the 18)."""
    seen: dict[str, None] = {}
    for sid in sector_ids:
        step: str | None = sid
        while step is not None and step not in seen and step in lk["sector"]:
            seen[step] = None
            step = lk["sector"][step].get("parent")
    sectors = [lk["sector"][sid] for sid in seen]
    # a synonym labelled as one: `search coal` said a spice cluster matched by "sector: coal chemicals", a synonym
    # of its sector, Chemicals and petrochemicals, which read as a claim about the cluster's tag
    return [
        *(("sector", "sector", t) for sector in sectors for t in both_names(sector)),
        *(("sector", "sector synonym", t) for sector in sectors for t in sector["synonyms"]),
    ]


def located_clusters(kb: KB, kind: str, ident: str) -> list[Entity]:
    return kb.many("cluster", kb.related(clusters_at(kind), ident))


def located_having(kb: KB, kind: str, sectors: set[str]) -> set[str]:
    """The places of a kind the clusters of these sectors lie in (located_clusters inverted, picked in the
    store): the places whose clusters_in meet the sectors, no more."""
    return {key for key, _ in kb.related_pairs_among(clusters_at(kind), sector_clusters(kb, sectors))}


def sector_clusters(kb: KB, sectors: set[str]) -> set[str]:
    """The ids of the clusters tagged with one of these sectors (cluster@sector, of cluster_sectors)."""
    return {c for s in sectors for c in kb.related(clusters_at("sector"), s)}


class Adapter:
    """The behaviour of a kind with no rule of its own."""

    kind: Kind
    placed = False  # whether a row names the one province it lies in (province_of)
    located = False  # whether it has a point of its own (seat): the GeoJSON export has a feature for it
    # whether the sectors it is filed under include those of the clusters naming it (a firm's; a city, which has
    # none of its own), or are its own tags alone (a park's: `list parks --sector` reads no other)
    sectors_of_clusters = True
    # whether its names are words of everyday English and Chinese (a sector's), not proper names: a word one
    # slip from one is as likely a word of its own (`tires` is not `ties`, `stocks` not `socks`), and a Chinese
    # word may start one name and stand inside another (化工 starts 化工新材料 and ends 石化化工): resolve and
    # slipread read such a kind's names more strictly (README, "How queries are matched")
    worded = False
    # English and pinyin words for this kind's divisions, each with the kinds of division it names, which a
    # query may put after a name (`Hefei City`, `Guangdong Sheng`): resolve reads the name, where the word fits
    kind_words: ClassVar[dict[str, frozenset[str]]] = {}
    # what else a name of this kind may be, named beside it when it is read (resolve.with_namesakes): (the kind,
    # how it must be named there, or None for any way, whether it is named only where it holds clusters)
    namesakes: ClassVar[tuple[tuple[str, str | None, bool], ...]] = ()

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
        """The one province the entity lies in, where it has one: the one its references lead to, where the kind
        says how (`referenced`: a city's own `province`, a firm's headquarters')."""
        path = self.referenced.get("province")
        return None if path is None else self.followed(kb, e, path)

    def followed(self, kb: KB, e: Entity, path: tuple[str, ...]) -> str | None:
        """The id a path of `referenced` ends at, from the entity: each field read from the entry the field before
        it names; None where one of them names nothing."""
        kind, at = self.kind, e
        for field in path[:-1]:
            target = referred_kind(kind, field)
            found = kb.get(target, at.get(field))
            if found is None:
                return None
            kind, at = KINDS[target], found
        value = at.get(path[-1])
        return None if value is None else str(value)

    def clusters_in(self, kb: KB, ident: str) -> list[Entity]:
        """The clusters the entity stands in: by default those that list it (a park, a company, a list)."""
        listing = self._listing_ref()
        return kb.referring("cluster", listing.field, ident) if listing is not None else []

    def _listing_ref(self) -> Ref | None:
        """The field of a cluster that lists entities of this kind (`parks`, `companies`), if any."""
        return next((r for r in KINDS["cluster"].refs if r.target == self.name and r.many), None)

    # reference fields the exports hold beyond the model's (`exported` adds them): their link tables and
    # `x_id`/`x_name` cells are made as for the model's own
    export_refs: tuple[Ref, ...] = ()
    # the columns of a `list` row (row) that hold the entity's own field as it stands (`e.get(field)`), each a text
    # or a number SQLite's JSON reads as Python's does (bounded by the schema: not a figure's value, which may be
    # an integer past 64 bits): a page of a list sorted by one is ordered from the store's values
    # (views/listorder.py); a test holds every row of every kind to it
    verbatim: ClassVar[tuple[str, ...]] = ()
    # the columns of a `list` row that name one entry (values.ref: its id and name) through single references of
    # the model, each with the fields followed from the entity to that entry: a city's `prefecture`
    # ("prefecture",), a firm's `province` its headquarters' ("headquarters", "province"). A page of a list sorted
    # by one is ordered from the store's ids and the names they lead to (views/listorder.py); a test holds every
    # row of every kind to it. A `province` declared here is what province_of follows.
    referenced: ClassVar[dict[str, tuple[str, ...]]] = {}

    def exported(self, kb: KB, e: Entity) -> Entity:
        """The entity as the exports hold it: as the packs do, unless the kind adds derived fields."""
        return e

    def preferred(self, kb: KB, idents: list[str]) -> str | None:
        """Which of several entities of this kind one name means (the homonym policy); None: a tie."""
        return None

    def named_by_sources(self, kb: KB, ident: str) -> bool:
        """Whether a source names the entity, so that a typing slip may be read as it (resolve): every entity a
        source pack describes, every province-level division (a slip of one of 33 names is a slip; Macao holds
        no cluster, and `Macoa` is it) and every region. A city answers by what the sources put in it
        (kinds/places.py): a name one slip from a county the reference table alone holds is as likely a real
        place the knowledge base does not hold."""
        return True

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

    # whether the views count this kind's entities at a place by a rule of the kind's own (`counted_at`: a
    # cluster's, a figure's, a firm's), so that `list --province` keeps exactly those and checks no place again
    counted = False
    # whether that rule reads a sector with the place (a firm's: a sector's firms at a place are those the
    # sector's clusters there name and those tagged with it there), so that no sector is checked apart
    sectors_with_place = False

    def counted_at(self, kb: KB, place: tuple[str, str] | None, sectors: set[str] | None) -> set[str] | None:
        """The ids of the entities of this kind the views count at a place ((kind, id)), of these sectors too
        where the kind reads them with the place (`sectors_with_place`), and with no place, of the sectors
        alone; None where the kind has no such rule (`counted`)."""
        return None

    def within(self, kb: KB, place_kind: str, place_id: str) -> set[str] | None:
        """The ids of the entities of this kind that may lie in a province or region (`place_kind`), found in
        the relations: every one `places` puts there, perhaps more (`list` checks each it reads); None where
        only reading every entity tells. `list cities --province Anhui` reads Anhui's cities, not every city."""
        return None

    def sectors(self, kb: KB, e: Entity) -> set[str]:
        """The sectors the entity stands for: by default those of the clusters it stands in."""
        return {s for cl in kb.clusters_in(self.name, e["id"]) for s in cluster_sectors(cl)}

    def having_sectors(self, kb: KB, sectors: set[str]) -> set[str] | None:
        """The ids of the kind's entities whose `sectors` may meet these, found in the relations without
        reading each entity: at least every one that does (each is still checked by `sectors`); None where the
        kind has no such way, and every entity is read. A kind that says has its `sectors` inverted here."""
        return None

    def _listed_by_clusters(self, kb: KB, sectors: set[str]) -> set[str]:
        """The ids the clusters of these sectors list in their field of this kind (the default `clusters_in`,
        inverted)."""
        listing = self._listing_ref()
        if listing is None:
            return set()
        clusters = kb.many("cluster", sorted(sector_clusters(kb, sectors)))
        return {i for cl in clusters for i in listing.targets(cl.get(listing.field))}

    def regions_containing(self, kb: KB, e: Entity) -> list[Entity]:
        """The regions a place lies in; none for a non-place."""
        return []

    def seat(self, kb: KB, e: Entity) -> Entity | None:
        """The city whose seat is the entity's point (where `near` measures from); None if it has none."""
        return None

    def parks_in(self, kb: KB, e: Entity) -> list[Entity]:
        """The parks that lie in a place (for a non-place, none)."""
        return []
