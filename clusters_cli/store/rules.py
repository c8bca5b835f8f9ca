"""One rule per question, in one place: where a cluster lies, where a figure belongs.

Pure functions over the merged, validated data (`Lookup`: kind -> id -> entity).
The cache compiles their answers into relations once; every view and the
exports read those relations, so no two commands can answer differently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ..kinds import (
    adapter,
    cluster_cities,
    cluster_provinces,
    cluster_sectors,
    seat_of,
    with_prefectures,
)
from ..membership import region_index
from ..model import KINDS, place_order
from .relations import Rel, clusters_at, statistics_at

if TYPE_CHECKING:
    from .packs import Origins

Entity = dict[str, Any]
Lookup = dict[str, dict[str, Entity]]

# how specific a place is: a statistic's scope is its most specific place (park, city, province, region)
PLACE_ORDER = place_order()

__all__ = ["cluster_cities", "cluster_provinces", "cluster_sectors", "with_prefectures"]


def lookup_of(sections: dict[str, list[Entity]]) -> Lookup:
    return {kind.name: {e["id"]: e for e in sections.get(kind.section, [])} for kind in KINDS.values()}


# the fields a fold gives the entry joined beyond those the schema gives its kind: a cluster's `aliases`, the ids
# of the entries that joined it (a region's and a firm's are the schema's). An export's tables hold them too
# (views/export.table_names: a CSV export checks every file it may write before it writes one), and the JSON
# export's published schema lists them (views/schemas.py)
FOLDED_FIELDS = {"cluster": ("aliases",)}


def fold_same_as(sections: dict[str, list[Entity]]) -> None:
    """One cluster, several packs: an entry `same_as` another joins it. Its locator and further sources
    become the other's further sources, its designations the other's, its sectors and specialties the other's
    too (MIIT names Jing-Jin-Ji's NEV cluster intelligent connected: the article's entry is tagged so once
    joined), its Chinese name the other's where that has none; figures about it move to the other; the entry
    itself goes. In place."""
    clusters = {c["id"]: c for c in sections.get("clusters", [])}
    folded = {}
    for cl in list(clusters.values()):
        target = clusters.get(cl.get("same_as") or "")
        if target is None:
            continue
        target.setdefault("also_in", []).extend(
            [*([cl["locator"]] if "source" in cl["locator"] else []), *cl.get("also_in", [])]
        )
        target.setdefault("designations", []).extend(cl.get("designations", []))
        tags = {target["sector"], *target.get("sectors", [])}
        joined = [t for t in dict.fromkeys([cl["sector"], *cl.get("sectors", [])]) if t not in tags]
        if joined:
            target["sectors"] = [*target.get("sectors", []), *joined]
        held = target.get("specialties", [])
        if any(sp not in held for sp in cl.get("specialties", [])):
            target["specialties"] = [*held, *(sp for sp in cl["specialties"] if sp not in held)]
        if cl.get("name_zh") and not target.get("name_zh"):
            target["name_zh"] = cl["name_zh"]
        target.setdefault("aliases", []).append(cl["id"])  # its id still finds the entry it joined
        folded[cl["id"]] = target["id"]
    if folded:
        sections["clusters"] = [c for c in sections["clusters"] if c["id"] not in folded]
        repoint(sections, "cluster", folded)
    repoint(sections, "company", _fold_companies(sections))
    repoint(sections, "region", _fold_regions(sections))
    repoint(sections, "park", _fold_parks(sections))


def _joins(target: Entity, entry: Entity, fields: tuple[str, ...]) -> None:
    """What a firm, a park or a region joining another by `same_as` brings it besides its own kind's: the `fields`
    it lacks, its names as aliases (its id still finds the entry it joined), and its sources as further sources
    (a region's where it has a locator)."""
    for field in fields:
        if entry.get(field) and not target.get(field):
            target[field] = entry[field]
    names = [entry["name"], *entry.get("aliases", []), entry["id"]]
    target["aliases"] = list(dict.fromkeys([*target.get("aliases", []), *(n for n in names if n != target["name"])]))
    if entry.get("locator"):
        target.setdefault("also_in", []).extend([entry["locator"], *entry.get("also_in", [])])


def _fold_parks(sections: dict[str, list[Entity]]) -> dict[str, str]:
    """One park, several packs: a park `same_as` another joins it (a national list names the zone the article
    names: Kunming's high-tech zone). The one it joins gains its Chinese name and district where it has none, its
    designations, sectors and names (as aliases), and its sources as further sources; the entry itself goes."""

    def join(target: Entity, pk: Entity) -> None:
        target.setdefault("designations", []).extend(pk.get("designations", []))
        target["sectors"] = list(dict.fromkeys([*target.get("sectors", []), *pk.get("sectors", [])]))
        _joins(target, pk, ("name_zh", "district"))

    return _fold(sections, "parks", join)


def _fold(sections: dict[str, list[Entity]], section: str, join: Callable[[Entity, Entity], None]) -> dict[str, str]:
    """Each entry of a section naming another by `same_as` joins it (`join(target, entry)`: what it brings) and
    goes; the ids that joined, each with the one it joined."""
    held = {e["id"]: e for e in sections.get(section, [])}
    folded: dict[str, str] = {}
    for e in list(held.values()):
        target = held.get(e.get("same_as") or "")
        if target is not None:
            join(target, e)
            folded[e["id"]] = target["id"]
    if folded:
        sections[section] = [e for e in sections[section] if e["id"] not in folded]
    return folded


def repoint(sections: dict[str, list[Entity]], kind: str, folded: dict[str, str]) -> None:
    """Every reference to an entry of `kind` that joined another (folded: its id -> the other's) now names the
    one it joined: a cluster's region, a cluster's companies, a figure's cluster (a reference to the joining id
    is valid in the packs, and went nowhere once the entry had gone). A list naming both keeps one."""
    if not folded:
        return
    from ..model import KINDS

    for other in KINDS.values():
        for ref in other.refs:
            if ref.target != kind or ref.field == "same_as":
                continue
            for e in sections.get(other.section, []):
                value = e.get(ref.field)
                if value is None:
                    continue
                if ref.key is not None:  # objects holding the id (a membership): each re-pointed in place
                    for item in value if isinstance(value, list) else [value]:
                        if isinstance(item, dict) and item.get(ref.key) in folded:
                            item[ref.key] = folded[item[ref.key]]
                elif isinstance(value, list):
                    e[ref.field] = list(dict.fromkeys(folded.get(v, v) for v in value))
                elif value in folded:
                    e[ref.field] = folded[value]


def _fold_regions(sections: dict[str, list[Entity]]) -> dict[str, str]:
    """A region another pack defines by its members joins the region the article names: it gains the
    members, central members, defining document and aliases, and its sources as further sources."""

    def join(target: Entity, r: Entity) -> None:
        target["provinces"] = list(dict.fromkeys([*target.get("provinces", []), *r.get("provinces", [])]))
        _joins(target, r, ("members", "central_members", "document", "name_zh"))

    return _fold(sections, "regions", join)


def _fold_companies(sections: dict[str, list[Entity]]) -> dict[str, str]:
    """One firm, several packs: a company `same_as` another joins it. The one it joins gains what it lacks
    (official names, headquarters) and what it adds (sectors, bases, names as aliases, its sources as
    further sources); the entry itself goes."""

    def join(target: Entity, co: Entity) -> None:
        extra = [s for s in [co["sector"], *co.get("sectors", [])] if s != target["sector"]]
        if extra:
            target["sectors"] = list(dict.fromkeys([*target.get("sectors", []), *extra]))
        if co.get("bases"):
            held = {b["city"] for b in target.get("bases", [])}
            target.setdefault("bases", []).extend(b for b in co["bases"] if b["city"] not in held)
        _joins(target, co, ("official_name", "official_name_zh", "headquarters", "name_zh"))

    return _fold(sections, "companies", join)


def cluster_regions(lk: Lookup, cl: Entity) -> list[str]:
    """Regions a cluster stands in: the one it is attributed to, and every region holding a place where it lies
    (membership.RegionIndex, the one membership rule), as a province counts every cluster that lies partly in
    it: a city it lies in, or a province it is placed in without a city of it, which the region must hold whole
    (where in the province it stands is not said: the PRD does not count a cluster placed in Guangdong). A region
    holding a province counts what the province counts; a cluster reaching beyond it is counted too."""
    index = region_index(lk)
    cities = cluster_cities(lk, cl)
    inside: set[str] = set()
    for c in cities:
        inside |= index.of_city(c)
    with_a_city = {lk["city"][c]["province"] for c in cities}
    for p in cluster_provinces(lk, cl):
        if p not in with_a_city:
            inside |= index.of_province(p)
    if cl.get("region"):
        inside.add(cl["region"])
    return sorted(inside)


def statistic_scope(lk: Lookup, st: Entity) -> tuple[str, str] | None:
    """(kind, id) of the place a figure describes, or None for China as a whole.

    Its own most specific place field; failing that, its cluster's single park,
    city or province, else the cluster's region.
    """
    for kind in PLACE_ORDER:
        if st.get(kind):
            return kind, st[kind]
    cl = lk["cluster"].get(st.get("cluster") or "")
    if cl is None:
        return None
    for kind, ids in (
        ("park", cl.get("parks", [])),
        ("city", cluster_cities(lk, cl)),
        ("province", cluster_provinces(lk, cl)),
    ):
        if len(ids) == 1:
            return kind, ids[0]
    return ("region", cl["region"]) if cl.get("region") else None


def same_place_city(lk: Lookup, province_id: str) -> bool:
    """Whether a province-level division is a city too, under the same id: the four municipalities and the
    two special administrative regions (the city Beijing is the province Beijing)."""
    city = lk["city"].get(province_id)
    return city is not None and city.get("level") == "province"


def cluster_city_ids(lk: Lookup, cl: Entity) -> list[str]:
    """The cities a cluster is counted in (the one rule of every command and export): the cities it names
    and its parks', the prefectures containing them, and a municipality it lies in (a cluster placed in
    Beijing without a district is in the city Beijing as in the province)."""
    cities = with_prefectures(lk, cluster_cities(lk, cl))
    return list(dict.fromkeys([*cities, *(p for p in cluster_provinces(lk, cl) if same_place_city(lk, p))]))


def places_containing(lk: Lookup, kind: str, ident: str) -> Iterator[tuple[str, str]]:
    """(kind, id) of the place itself and every place that contains it, smallest first.

    A city lies in its prefectures and its province; a province, and any city of it, in each region
    listing the province; a city also in each region listing the city (kinds.Adapter.containers).
    """
    yield kind, ident
    yield from adapter(kind).containers(lk, ident)


def seat_city(lk: Lookup, city: str) -> str | None:
    """The id of the city whose seat stands for a city (kinds.seat_of), over the merged packs."""
    found = seat_of(lk["city"][city], lk["city"].get)
    return None if found is None else str(found["id"])


def points(lk: Lookup) -> Iterator[tuple[str, str, str]]:
    """(kind, id, city) for each city an entity is counted at by `near` (kinds.Adapter.points): a city at
    itself, a park at its city, a cluster at its cities (its own, then its parks'), a company at its
    headquarters and bases, or, where no page places it, at the cities of the clusters naming it."""
    for kind in KINDS:
        for ident, city in adapter(kind).points(lk):
            yield kind, ident, city


def citing_kinds() -> list[str]:
    """The kinds whose entries cite a source (by a locator, a source field, or as a further source)."""
    return [k.name for k in KINDS.values() if k.name != "source" and any(r.target == "source" for r in k.refs)]


def cited_sources(e: Entity, primary: str | None) -> list[str]:
    """The sources an entry cites, sorted: the document it stands in (its locator's source, else `primary`,
    its pack's primary source), the source of a figure, its further sources, and those of its designations."""
    locator = e.get("locator")
    if locator is None and e.get("source"):
        cited = {e["source"]}  # a region its own source defines
    else:
        cited = {(locator or {}).get("source") or primary, e.get("source")}
    cited |= {loc.get("source") for loc in e.get("also_in", [])}
    cited |= {d["locator"].get("source") for d in e.get("designations", [])}
    return sorted(c for c in cited if c)


def primary_of(packs: list[dict[str, Any]], origins: Origins) -> Callable[[str, str], str | None]:
    """(kind, id) -> the primary source of the pack the entity came from (`origins`: section -> id -> the
    pack's index in `packs`, each pack's info): what `relations` takes."""

    def primary(kind: str, ident: str) -> str | None:
        found = packs[origins[KINDS[kind].section][ident]].get("primary_source")
        return str(found) if found else None

    return primary


def relations(lk: Lookup, primary: Callable[[str, str], str | None]) -> Iterator[tuple[str, str, str]]:
    """(relation, key, id) rows: what the cache stores so that views need not recompute. `primary(kind, id)`
    is the primary source of the pack an entity came from (what its locator stands in when it names none)."""
    # the model's references, inverted: "cluster.sector" keyed by sector id lists clusters
    for model_kind in KINDS.values():
        refs = [(ref, f"{model_kind.name}.{ref.field}") for ref in model_kind.refs]  # relations.ref_relation
        for entity in lk[model_kind.name].values():
            for ref, name in refs:
                for target in ref.targets(entity.get(ref.field)):
                    yield name, target, entity["id"]
    index = region_index(lk)
    for city in lk["city"]:
        for region_id in index.sorted(index.of_city(city)):
            yield Rel.CITY_REGIONS, city, region_id
            yield Rel.REGION_CITIES, region_id, city
    for province in lk["province"]:
        for region_id in index.sorted(index.of_province(province)):
            yield Rel.PROVINCE_REGIONS, province, region_id
    for cl in lk["cluster"].values():
        cid = cl["id"]
        for c in cluster_cities(lk, cl):
            yield Rel.CLUSTER_CITIES, cid, c
        for c in cluster_city_ids(lk, cl):
            yield clusters_at("city"), c, cid
            yield Rel.CLUSTER_COUNTED_IN, cid, c
        for p in cluster_provinces(lk, cl):
            yield clusters_at("province"), p, cid
            yield Rel.CLUSTER_PROVINCES, cid, p
        for region_id in cluster_regions(lk, cl):
            yield clusters_at("region"), region_id, cid
        for s in cluster_sectors(cl):
            yield clusters_at("sector"), s, cid
    for st in lk["statistic"].values():
        if st.get("series"):
            yield Rel.SERIES_FIGURES, st["series"], st["id"]
        scope = statistic_scope(lk, st)
        if scope is None:
            continue
        yield Rel.STATISTIC_SCOPE, f"{scope[0]}:{scope[1]}", st["id"]
        # a figure belongs to its own place and to every place containing it (a municipality's figures are
        # its city's too: one place)
        for place_kind, place_id in places_containing(lk, *scope):
            yield statistics_at(place_kind), place_id, st["id"]
            if place_kind == "province" and same_place_city(lk, place_id):
                yield statistics_at("city"), place_id, st["id"]
    for kind in citing_kinds():
        for e in lk[kind].values():
            for source in cited_sources(e, primary(kind, e["id"])):
                yield Rel.SOURCE_CITED_BY, source, f"{kind}:{e['id']}"
