"""The rows the views share (clusters, figures, firms, parks, references to regions and sources), where their
facts come from (provenance, citations, the national lists naming a cluster), and what a set of rows names,
read at once for them (read_named): not a query a row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..kinds import cluster_sectors
from ..model import KINDS, place_order
from ..store.relations import Rel, ref_relation
from ..values import amount, amount_usd, format_value, must_ref, ref, refs, scope_label

if TYPE_CHECKING:
    from ..store.kb import KB, Entity
    from .types import (
        Citation,
        ClusterRow,
        CompanyRow,
        DesignationRef,
        Locator,
        ParkRow,
        Provenance,
        RegionRef,
        SourceRef,
        StatisticRow,
    )

# a figure's scope: its places from the widest, and its sector
SCOPE_FIELDS = (*reversed(place_order()), "sector")


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
    # each source with its kind, as every citation gives it (a copy on another host is `secondary`)
    text = f"{source['short_name']} ({source['kind']})"
    if reported_in is not None:
        text += f", as reported in {reported_in['short_name']} ({reported_in['kind']})"
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
