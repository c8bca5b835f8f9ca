"""The rules every view shares: the regions whose views list a firm (which firms a place or a sector has is the
firms' own rule: kinds.things.CompanyAdapter.counted_at), a place's figures and the regions containing it, an
entity's names, and what a count of clusters is counted from."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..errors import UsageProblem
from ..i18n import N_, _, list_sep, zh
from ..kinds import adapter
from ..store.relations import Rel, clusters_at
from .shared_rows import statistic_rows

if TYPE_CHECKING:
    from ..store.kb import KB, Entity
    from .types import CountedFrom, StatisticRow


COUNTS_NOTE = N_(
    "Counts are of the clusters the knowledge base holds: they measure what its sources name, "
    "not the size of an industry."
)


def counted_from(kb: KB, cluster_ids: Iterable[str]) -> list[CountedFrom]:
    """Where the clusters counted come from, pack by pack, most first (packs of equal counts in the order they
    are read): a count that ranks places says what it measures (a province with many clusters on one national
    list outnumbers one with larger ones). The store counts the packs of those counted, not of every cluster."""
    counts = sorted(kb.pack_counts("cluster", list(cluster_ids)).items(), key=lambda item: (-item[1], item[0]))
    return [
        {
            "pack": str(kb.packs[i].get("title") or kb.packs[i]["file"]),
            "pack_zh": kb.packs[i].get("title_zh"),
            "clusters": n,
            "version": None if kb.packs[i].get("version") is None else str(kb.packs[i]["version"]),
            "source": _primary_publisher(kb, i),
        }
        for i, n in counts
    ]


def _primary_publisher(kb: KB, pack: int) -> str | None:
    """Who published the pack's primary source (the article's: China Briefing), else None."""
    primary = kb.get("source", str(kb.packs[pack].get("primary_source") or ""))
    publisher = (primary or {}).get("publisher")
    return str(publisher) if publisher else None


def names_of(kb: KB, kind: str, e: Entity) -> list[str]:
    """An entity's aliases as names: without the ids of the entries that joined it by `same_as` (they still
    find it, and the exports keep them among its aliases; `byd-firm` is no name of BYD)."""
    joined = kb.joined_ids(kind) if e.get("aliases") else set()
    return [a for a in e.get("aliases", []) if a not in joined]


def by_place(kb: KB, relation: str, wanted: set[str]) -> dict[str, list[str]]:
    """place id -> the ids of a place relation (clusters or figures at a place) among `wanted`, in one read."""
    out: dict[str, list[str]] = {}
    for place, ident in kb.related_pairs_among(relation, wanted):
        out.setdefault(place, []).append(ident)
    return out


def ranked_itself(place: Entity) -> bool:
    """Whether a place counts as itself where places of its level are ranked or drawn (`rank`, the map's dots):
    once per level, a county's clusters count in its prefecture; one with none above it (Ala'er, under
    Xinjiang) counts as itself, as does any other place."""
    return not (place.get("level") == "county" and place.get("prefecture"))


def pack_title(counted: CountedFrom) -> str:
    """A pack's title as the run's reader reads it: in Chinese where the pack's meta gives one (`title_zh`)."""
    return str(counted["pack_zh"]) if zh() and counted.get("pack_zh") else counted["pack"]


def counts_line(counted: list[CountedFrom]) -> str:
    """'Counted from: National cluster designations 120, China's industry clusters 40. Counts are ...'"""
    parts = list_sep().join(_("{pack} {n}").format(pack=pack_title(c), n=c["clusters"]) for c in counted)
    return (_("Counted from: {parts}. ").format(parts=parts) if parts else "") + _(COUNTS_NOTE)


def regions_of_firm(kb: KB, firm: Entity, clusters: list[Entity]) -> set[str]:
    """The regions whose views list a firm (kinds.things.CompanyAdapter.counted_at): those containing its
    headquarters or a base, and those counting a cluster naming it (a region counts a cluster it holds whole or
    that names it: one among the regions containing its cities or provinces, or its own region, each asked
    whether it counts it)."""
    where = [c for c in (firm.get("headquarters"), *(b["city"] for b in firm.get("bases", []))) if c]
    regions = {r for city in where for r in kb.related(Rel.CITY_REGIONS, city)}
    counted: dict[str, set[str]] = {}  # each candidate region's clusters, read once for all the firm's clusters
    for cl in clusters:
        near = {r for city in kb.cluster_cities(cl["id"]) for r in kb.related(Rel.CITY_REGIONS, city)}
        near |= {r for p in kb.cluster_provinces(cl["id"]) for r in kb.related(Rel.PROVINCE_REGIONS, p)}
        near |= {cl["region"]} if cl.get("region") else set()
        for r in near - regions:
            if r not in counted:
                counted[r] = set(kb.related(clusters_at("region"), r))
            if cl["id"] in counted[r]:
                regions.add(r)
    return regions


def regions_containing(kb: KB, kind: str, entity: Entity) -> list[Entity]:
    """The regions a province or city lies in (a city: those listing it or its province)."""
    return adapter(kind).regions_containing(kb, entity)


def place_statistics(kb: KB, kind: str, entity: Entity) -> tuple[list[StatisticRow], list[StatisticRow]]:
    """The one rule for a place's figures, used by every view and by compare.

    Its own: figures about the place or anything inside it (a province's, its
    cities' and its parks'; a region's, and those of its provinces and cities).
    Regional: figures about a region that contains it, shown apart and labelled.
    """
    own = kb.statistics_in(kind, entity["id"])
    regional = [st for r in regions_containing(kb, kind, entity) for st in kb.statistics_scoped("region", r["id"])]
    return statistic_rows(kb, own), statistic_rows(kb, regional)


def _name_shared(kb: KB, kind: str, entity: Entity) -> bool:
    """Whether another entity of the kind answers to this one's English name."""
    from ..textfold import compact

    return any(ident != entity["id"] for ident, _stage, _how in kb.keys_equal(kind, compact(str(entity["name"]))))


def filters_said(kb: KB, filters: dict[str, object]) -> str:
    """The filters a list or a chart was asked with, as a person reads them: each by the name of what it names,
    or its value's word ("province: Tibet; sector: Toys"), for the message of an empty answer and a table's
    title."""
    from ..i18n import kind_word, level_value, name_of, value_word, zh
    from ..model import KINDS

    said = []
    for key, value in filters.items():
        if value is None:
            continue
        entity = kb.get(key, str(value)) if key in KINDS else None
        shown = name_of(entity) if entity else level_value(str(value)) if key == "level" else value_word(str(value))
        if entity and entity.get("name_zh") and not zh() and _name_shared(kb, key, entity):
            shown += f" ({entity['name_zh']})"  # which Suzhou (苏州 or 宿州), by its Chinese name
        said.append((kind_word(key) if key in KINDS else _(key)) + _(": ") + shown)
    return _("; ").join(said)


def allowed_value(value: str | None, allowed: Sequence[str], option: str) -> str | None:
    """The value of `allowed` an option's value names: itself, or typed by its word as a table shows it in
    either language (value_typed); a usage error naming every value and its word otherwise."""
    from ..i18n import level_value, paren, value_typed, value_word, zh

    if value is None or value in allowed:
        return value
    typed = value_typed(value, allowed, levels=option == "--level")
    if typed is not None:
        return typed
    word = level_value if option == "--level" else value_word
    choices = list_sep().join(a if not zh() else f"{a}{paren(word(a))}" for a in allowed)
    raise UsageProblem(
        _("{option} '{value}' is not one of: {value2}").format(option=option, value=value[:40], value2=choices)
    )
