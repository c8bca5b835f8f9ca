"""Rows shared by the views: clusters, statistics, companies, parks; and the place-statistics rule."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ..i18n import N_, _, list_sep, name_of, paren, remember_line, remember_names, zh
from ..kinds import adapter, cluster_sectors
from ..model import KINDS, place_order
from ..store.relations import Rel, clusters_at, ref_relation
from ..values import amount, amount_usd, format_value, must_ref, number_text, ref, refs, scope_label

__all__ = ["amount", "amount_usd", "format_value", "must_ref", "number_text", "ref", "refs", "scope_label"]

# a figure's scope: its places from the widest, and its sector
SCOPE_FIELDS = (*reversed(place_order()), "sector")

if TYPE_CHECKING:
    from ..store.kb import KB, Entity
    from .types import (
        Citation,
        ClusterRow,
        CompanyRow,
        CountedFrom,
        DesignationRef,
        Locator,
        ParkRow,
        Provenance,
        RegionRef,
        Resolved,
        SourceRef,
        StatisticRow,
    )


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
            "clusters": n,
            "version": None if kb.packs[i].get("version") is None else str(kb.packs[i]["version"]),
        }
        for i, n in counts
    ]


def names_of(kb: KB, kind: str, e: Entity) -> list[str]:
    """An entity's aliases as names: without the ids of the entries that joined it by `same_as` (they still
    find it, and the exports keep them among its aliases; `byd-firm` is no name of BYD)."""
    joined = kb.joined_ids(kind) if e.get("aliases") else set()
    return [a for a in e.get("aliases", []) if a not in joined]


def counts_line(counted: list[CountedFrom]) -> str:
    """'Counted from: National cluster designations 120, China's industry clusters 40. Counts are ...'"""
    parts = list_sep().join(_("{pack} {n}").format(pack=c["pack"], n=c["clusters"]) for c in counted)
    return (_("Counted from: {parts}. ").format(parts=parts) if parts else "") + _(COUNTS_NOTE)


def notice_lines(resolved: Resolved, tr: Callable[[str], str] = str) -> list[str]:
    """How a query was read, in words: a guess first (a typing slip, the start of a name), then other places
    of that name. In English for the documents that carry them (a filter's `notices`); `tr=_` words them in
    the run's language where they are shown to a person."""
    from ..textfold import compact

    lines = []
    shown = tr is not str  # for a person: names in the run's language
    name, query = (name_of(resolved) if shown else resolved["name"]), resolved["query"]
    if resolved["matched_by"] == "slip":
        slip = tr(str(resolved["slip"]))
        lines.append(tr("Showing {name} for '{query}' (read as a typing slip: {slip})").format(**locals()))
    elif resolved["matched_by"] == "prefix":
        lines.append(tr("Showing {name} for '{query}' (the start of one of its names)").format(**locals()))
    for other in resolved.get("also", []):
        values = {"query": query, "other": other["name"], "command": other["command"]}
        values["zh"] = f" ({other['name_zh']})" if other["name_zh"] else ""
        if shown and zh() and other["name_zh"]:
            values["other"], values["zh"] = other["name_zh"], paren(other["name"])
        if resolved["matched_by"] == "slip" and compact(other["name"]) != compact(resolved["name"]):
            lines.append(tr("'{query}' is one slip from {other}{zh} too: {command}").format(**values))
        else:
            lines.append(tr("'{query}' also names {other}{zh}: {command}").format(**values))
    return lines


# the words of notice_lines, marked for the catalog (shown through _() by the renderers and on stderr)
_NOTICE_WORDS = (
    N_("Showing {name} for '{query}' (read as a typing slip: {slip})"),
    N_("Showing {name} for '{query}' (the start of one of its names)"),
    N_("'{query}' is one slip from {other}{zh} too: {command}"),
    N_("'{query}' also names {other}{zh}: {command}"),
)


def read_filter(kb: KB, kind: str, query: str, notices: list[str]) -> Entity:
    """The entity a filter (--province, --sector...) names. How its name was read (a close spelling, other
    places of that name) joins `notices`: a filter is never read silently."""
    from ..resolve import resolve  # a filter's name only: a page of every row reads no name
    from .resolved import match_info

    match = resolve(kb, kind, query)
    info = match_info(kb, match, query, kind)
    lines = notice_lines(info)  # in English, for the document's `notices`
    if match.entity.get("name_zh"):  # the names a person reads it by (the view's own are remembered later)
        remember_names({(match.entity["id"], match.entity["name"]): match.entity["name_zh"]})
    for english, local in zip(lines, notice_lines(info, _), strict=True):
        remember_line(english, local)  # and as a person reads it, where the notices are shown
    notices.extend(lines)
    return match.entity


def region_refs(regions: list[Entity]) -> list[RegionRef]:
    return [{"id": r["id"], "name": r["name"], "kind": r["kind"]} for r in regions]


def source_ref(kb: KB, ident: str) -> SourceRef:
    source = kb.get("source", ident) or {"id": ident, "name": ident, "short_name": ident, "kind": "unknown"}
    return {
        "id": source["id"],
        "name": source["name"],
        "short_name": source["short_name"],
        "kind": source["kind"],
        "publisher": source.get("publisher"),
        "published": source.get("published"),
        "address": source.get("address"),
    }


def _where(locator: Locator) -> str:
    if "where" in locator:
        return locator["where"]
    return f"{locator['section']} ¶{locator['paragraph']}" if "section" in locator else ""


def citation(kb: KB, locator: Locator, pack_source: str | None) -> Citation:
    """One source and where in it, for a locator that names its source or lies in the pack's primary one."""
    source = source_ref(kb, locator.get("source") or pack_source or "")
    when = f"{source['published']}, " if source["published"] else ""
    text = f"{source['short_name']} ({when}{source['kind']})"
    where = _where(locator)
    return {"source": source, "locator": locator, "text": f"{text} · {where}" if where else text}


def provenance(kb: KB, entity: Entity, pack_source: str | None) -> Provenance:
    """Where an entry's facts come from: its own source, else its pack's primary source; and where in
    the reporting document they stand. A figure the article attributes to another source names both;
    further sources that state the same facts follow in `also`."""
    locator = entity.get("locator")
    own = entity.get("source") or (locator or {}).get("source") or pack_source or ""
    source = source_ref(kb, own)
    reporter_id = (locator or {}).get("source") or pack_source
    reporter = kb.get("source", reporter_id) if reporter_id and reporter_id != own else None
    reported_in = source_ref(kb, reporter["id"]) if reporter else None
    text = source["short_name"]
    if reported_in is not None:
        text += f", as reported in {reported_in['short_name']}"
    if locator:
        text += f" · {_where(locator)}"
    also = [citation(kb, loc, pack_source) for loc in entity.get("also_in", [])]
    return {"source": source, "locator": locator, "reported_in": reported_in, "text": text, "also": also}


def designation_refs(kb: KB, cl: Entity, pack_source: str | None) -> list[DesignationRef]:
    """The national lists that name a cluster, each with its batch and the source that says so."""
    out: list[DesignationRef] = []
    for des in cl.get("designations", []):
        listed = kb.get("designation", des["list"]) or {}
        year = next((b["year"] for b in listed.get("batches", []) if b["batch"] == des["batch"]), None)
        out.append(
            {
                "id": des["list"],
                "name": listed.get("name", des["list"]),
                "name_zh": listed.get("name_zh", ""),
                "issuer": listed.get("issuer", ""),
                "issuer_zh": listed.get("issuer_zh"),
                "batch": des["batch"],
                "year": year,
                "cited": citation(kb, des["locator"], pack_source),
            }
        )
    return out


def statistic_row(kb: KB, st: Entity) -> StatisticRow:
    source = source_ref(kb, st["source"])
    return {
        "id": st["id"],
        "metric": st["metric"],
        "value": st["value"],
        "unit": st["unit"],
        "scale": st.get("scale"),
        "currency": st.get("currency"),
        "amount": amount(st),
        "usd_value": st.get("usd_value"),
        "usd_scale": st.get("usd_scale"),
        "amount_usd": amount_usd(st),
        "qualifier": st["qualifier"],
        "display": format_value(st),
        "year": st["year"],
        "year_basis": st["year_basis"],
        "period": st.get("period"),
        "status": st["status"],
        "series": st.get("series"),
        "note": st.get("note"),  # where sources disagree, or what the figure is not
        "scope": {kind: ref(kb, kind, st.get(kind)) for kind in SCOPE_FIELDS},
        "scope_label": scope_label(kb, st),
        "cluster": ref(kb, "cluster", st.get("cluster")),
        "source": source,
        "provenance": provenance(kb, st, kb.primary_source_of("statistic", st["id"])),
    }


def statistic_rows(kb: KB, stats: Iterable[Entity]) -> list[StatisticRow]:
    unique = {s["id"]: s for s in stats}.values()
    read_for_statistic_rows(kb, list(unique))
    return [statistic_row(kb, s) for s in sorted(unique, key=lambda s: (s["metric"], s["year"]))]


def read_named(kb: KB, kind: str, entries: list[Entity], single: bool = False) -> None:
    """Read what these entries of `kind` name by their references (a city's prefecture, a figure's source
    and place; with `single`, by those naming one entry alone), one query a kind of entry, for rows that name
    them: not a query a row."""
    wanted: dict[str, list[str]] = {}
    fields = [field for field in KINDS[kind].refs if not (single and field.many)]
    for e in entries:
        for field in fields:
            wanted.setdefault(field.target, []).extend(field.targets(e.get(field.field)))
    for target, idents in wanted.items():
        kb.many(target, idents)


def read_for_statistic_rows(kb: KB, stats: list[Entity]) -> None:
    """What statistic_row reads of each figure, read for all of them at once: what they name, their packs."""
    read_named(kb, "statistic", stats)
    kb.remember_packs("statistic", [st["id"] for st in stats])


def cluster_row(kb: KB, cl: Entity) -> ClusterRow:
    primary = kb.primary_source_of("cluster", cl["id"])
    return {
        "id": cl["id"],
        "name": cl["name"],
        "sector": must_ref(kb, "sector", cl["sector"]),
        "status": cl["status"],
        "region": ref(kb, "region", cl.get("region")),
        # where it lies, by the one rule of every output: its provinces are those it names and those of its
        # cities and parks; its cities, those it names and its parks'. What the source names apart:
        "provinces": refs(kb, "province", kb.cluster_provinces(cl["id"])),
        "cities": refs(kb, "city", kb.cluster_cities(cl["id"])),
        "named_provinces": refs(kb, "province", cl.get("provinces", [])),
        "parks": refs(kb, "park", cl.get("parks", [])),
        "companies": refs(kb, "company", cl.get("companies", [])),
        "specialties": list(cl.get("specialties", [])),
        "summary": cl["summary"],
        "statistics": kb.referring_ids("statistic", "cluster", cl["id"]),
        "sectors": refs(kb, "sector", cluster_sectors(cl)),
        "name_zh": cl.get("name_zh"),
        "translated": bool(cl.get("translated")),
        "towns": list(cl.get("towns", [])),
        "designations": designation_refs(kb, cl, primary),
        "provenance": provenance(kb, cl, primary),
    }


def cluster_order(kb: KB, keyed: list[tuple[str, str, str]]) -> list[str]:
    """(id, sector, name) of clusters, each once -> their ids in the order of cluster rows: by sector in the
    knowledge base's sector order, then by name."""
    order = kb.positions("sector", list(dict.fromkeys(sector for _, sector, _ in keyed)))
    return [i for i, _, _ in sorted(keyed, key=lambda k: (order.get(k[1], 0), k[2]))]


def cluster_rows(kb: KB, clusters: Iterable[Entity], first: int | None = None) -> list[ClusterRow]:
    """Cluster rows grouped by sector (in the knowledge base's sector order), then by name; with `first`, only
    the first rows of that order are made (a page of a table for people)."""
    unique = {c["id"]: c for c in clusters}
    rows = [unique[i] for i in cluster_order(kb, [(i, c["sector"], c["name"]) for i, c in unique.items()])[:first]]
    read_named(kb, "cluster", rows)
    # and what each row asks of the store: its places, figures and pack, a query per relation, not per row
    ids = [c["id"] for c in rows]
    for relation in (Rel.CLUSTER_CITIES, Rel.CLUSTER_PROVINCES, ref_relation("statistic", "cluster")):
        kb.prefetch_keys(relation, ids)
    kb.remember_packs("cluster", ids)
    kb.many("city", [city for i in ids for city in kb.cluster_cities(i)])
    kb.many("province", [p for i in ids for p in kb.cluster_provinces(i)])
    return [cluster_row(kb, c) for c in rows]


def companies_in_cities(kb: KB, cities: Iterable[str]) -> list[Entity]:
    """The firms headquartered in these cities or with a production base a page names there."""
    found: dict[str, Entity] = {}
    for city in cities:
        for field in ("headquarters", "bases"):
            for co in kb.referring("company", field, city):
                found.setdefault(co["id"], co)
    return list(found.values())


def firm_cities(kb: KB, kind: str, ident: str) -> list[str]:
    """The cities whose firms a place lists beside those of its clusters (firms): a province's cities, those a region
    contains by the membership rule (not every city of the provinces it touches), a city and its counties."""
    if kind == "province":
        return kb.referring_ids("city", "province", ident)
    if kind == "region":
        return kb.related(Rel.REGION_CITIES, ident)
    return [ident, *kb.referring_ids("city", "prefecture", ident)]


def regions_of_firm(kb: KB, firm: Entity, clusters: list[Entity]) -> set[str]:
    """The regions whose views list a firm (firms): those containing its headquarters or a base, and those
    counting a cluster naming it (a region counts a cluster it holds whole or that names it: one among the
    regions containing its cities or provinces, or its own region, each asked whether it counts it)."""
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


def firms(kb: KB, place: tuple[str, str] | None, family: set[str] | None = None) -> set[str]:
    """The firms a view lists: a place's (those the clusters counted there name, and those headquartered or
    based in its cities: firm_cities), a sector's (those its clusters name, and those tagged with it: `family`
    is the sector and its descendants), or a sector's at a place (rank's count: those the sector's clusters
    counted there name, and those tagged with it headquartered or based there). `list companies` keeps the
    same."""
    if family is not None:
        of_sector = {c["id"] for sid in family for c in kb.clusters_in("sector", sid)}
        tagged = {co["id"] for sid in family for f in ("sector", "sectors") for co in kb.referring("company", f, sid)}
    if place is None:
        assert family is not None
        named = {co for c in kb.many("cluster", sorted(of_sector)) for co in c.get("companies", [])}
        return named | tagged
    clusters = [c for c in kb.clusters_in(*place) if family is None or c["id"] in of_sector]
    located = {co["id"] for co in companies_in_cities(kb, firm_cities(kb, *place))}
    return {co for c in clusters for co in c.get("companies", [])} | (located if family is None else located & tagged)


def company_rows(kb: KB, clusters: Iterable[Entity], extra: Iterable[Entity] = ()) -> list[CompanyRow]:
    """Companies of these clusters, each with the clusters it appears in; `extra` adds companies by sector."""
    seen: dict[str, CompanyRow] = {}

    def row(co: Entity) -> CompanyRow:
        if co["id"] not in seen:
            seen[co["id"]] = {
                "id": co["id"],
                "name": co["name"],
                "name_zh": co.get("name_zh"),
                "sector": must_ref(kb, "sector", co["sector"]),
                "clusters": [],
                "headquarters": ref(kb, "city", co.get("headquarters")),
            }
        return seen[co["id"]]

    for cl in clusters:
        for co in kb.many("company", cl.get("companies", [])):
            clusters_of = row(co)["clusters"]
            if all(c["id"] != cl["id"] for c in clusters_of):
                clusters_of.append({"id": cl["id"], "name": cl["name"]})
    for co in extra:
        row(co)
    return sorted(seen.values(), key=lambda c: c["name"])


def park_rows(kb: KB, parks: Iterable[Entity]) -> list[ParkRow]:
    unique = {p["id"]: p for p in parks}.values()
    return [
        {
            "id": p["id"],
            "name": p["name"],
            "name_zh": p.get("name_zh"),
            "kind": p["kind"],
            "city": must_ref(kb, "city", p["city"]),
            "sectors": refs(kb, "sector", p["sectors"]),
        }
        for p in sorted(unique, key=lambda p: p["name"])
    ]


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
