"""`compare`: places or sectors side by side."""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING

from ..errors import Ambiguous, NotFound, UsageProblem
from ..i18n import _, kind_word, name_of
from ..kinds import cluster_sectors
from ..kinds.things import tagged_firms
from ..model import divisions
from ..resolve import LEFT_OUT_HINT, SEARCH_HINT, resolve, with_namesakes
from ..resolver import Match, Resolver
from ..sanitize import clean_one_line
from ..suggest import own_suggestions
from . import SCHEMA_VERSION
from .common import COUNTS_NOTE, counted_from, place_statistics
from .resolved import match_info
from .shared_rows import cluster_rows, company_rows, statistic_rows

if TYPE_CHECKING:
    from ..store.kb import KB, Entity
    from .analysis_types import CompareItem, CompareView, MatrixRow
    from .types import StatisticRow

PLACE_KINDS = tuple(divisions())  # province, region, city: an exact name is tried in this order
MIN_COMPARE, MAX_COMPARE = 2, 6


def resolve_place(
    kb: KB, query: str, kinds: tuple[str, ...] = PLACE_KINDS, word: str = "place", one_place_as: int = 0
) -> tuple[str, Match]:
    """(kind, match) for a province, economic region or city (or the `kinds` given, which `word` names in a
    message: `near` reads a province, a city or a park, its "origin").

    Exact names first, in that order (Chongqing the municipality before Chongqing the city), the places of
    the other kinds of that name named beside it (`compare Jilin`: the province, and the city Jilin too); then
    the best prefix or typing slip across them, where a slip of a name several kinds share (Xinjiagn) is read
    as that name is, not asked back. One place under two kinds (Beijing) is read as the kind at `one_place_as`
    of the two (0: the first in `kinds`)."""
    exact: list[tuple[str, Match]] = []
    for kind in kinds:
        try:
            found_here = Resolver(kb, kind).exact(query)
        except Ambiguous:
            if exact:  # the first kind answers; this kind's places of the name are not listed
                continue
            raise
        if found_here is not None:
            exact.append((kind, found_here))
    if exact:
        kind, found = _with_others(exact, one_place_as)
        return kind, with_namesakes(kb, kind, query, found)  # a cluster named for a town of the name (Guzhen)
    matches: list[tuple[float, str, Match]] = []
    named: list[str] = []  # a sector, a company...: what each kind's lookup says the query names instead
    slipped: list[tuple[str, str]] = []  # the places of these kinds one slip away that no lookup read
    for kind in kinds:
        try:
            m = resolve(kb, kind, query, suggest=False)
        except NotFound as missed:
            if missed.hint == LEFT_OUT_HINT:  # Taiwan: said so, whatever kind of place is asked
                raise NotFound(word, clean_one_line(query), [], LEFT_OUT_HINT) from None
            named = named or missed.suggestions
            # (each kind's readings are those of every kind, the likeliest first: the first kind's serve)
            slipped = slipped or [(k, i) for k, i in missed.readings if k in kinds]
            continue
        matches.append((m.score if m.matched_by == "slip" else 100.0, kind, m))
    if not matches:  # that, never read as a place; else the places one slip away (one place under two kinds
        # once), then what each kind of place suggests of its own, each once
        first: dict[str, str] = {}  # each place once, as its first kind
        for k, i in slipped:
            first.setdefault(i, k)
        slips = [label for i, k in first.items() for label in Resolver(kb, k).labels([i])]
        suggested = named or [*slips, *(s for kind in kinds for s in own_suggestions(kb, kind, query))]
        raise NotFound(word, clean_one_line(query), list(dict.fromkeys(suggested))[:5], SEARCH_HINT)
    matches.sort(key=lambda item: -item[0])
    # one place under two kinds (the province and the city Shanghai) is one reading, not a tie: kept as the kind
    # `one_place_as` of the two reads it, as an exact name is (near Bejing measured from the province, near
    # Beijing from the city)
    readings: dict[str, list[tuple[float, str, Match]]] = {}
    for item in matches:
        readings.setdefault(item[2].entity["id"], []).append(item)
    matches = [same[min(one_place_as, len(same) - 1)] for same in readings.values()]
    tied = [(kind, m) for score, kind, m in matches if score == matches[0][0]]
    if len(tied) > 1:
        if len({m.entity["name"].casefold() for _, m in tied}) == 1:  # one name the kinds share: as if exact
            return _with_others(tied, 0)
        labels = [f"{kind_word(k)} {name_of(m.entity)} [{m.entity['id']}]" for k, m in tied]
        raise Ambiguous(word, clean_one_line(query), labels)
    return matches[0][1], matches[0][2]


def _with_others(found: list[tuple[str, Match]], one_place_as: int) -> tuple[str, Match]:
    """The first kind's reading of a name, with the places of the other kinds that bear it named in `also`
    (and their kinds in `also_kinds`), as places of one kind sharing a name are."""
    if len(found) > 1 and found[0][1].entity["id"] == found[1][1].entity["id"]:
        found = [found[one_place_as], *found[2:]]  # Beijing: the city and the province are one place
    kind, first = found[0]
    return kind, first.naming(kind, [(k, e) for k, m in found[1:] for e in (m.entity, *m.also)])


def _item(
    kb: KB,
    kind: str,
    match: Match,
    query: str,
    clusters: list[Entity],
    extra_companies: list[Entity],
    stats: tuple[list[StatisticRow], list[StatisticRow]],
) -> CompareItem:
    """One column of a comparison: what was compared, and its clusters, companies and statistics."""
    return {
        "kind": kind,
        "id": match.entity["id"],
        "name": match.entity["name"],
        "name_zh": match.entity.get("name_zh"),
        "resolved": match_info(kb, match, query, kind),
        "cluster_count": len(clusters),
        "clusters": cluster_rows(kb, clusters),
        "companies": company_rows(kb, clusters, extra_companies),
        "statistics": stats[0],
        "regional_statistics": stats[1],
    }


def _shell_word(text: str) -> str:
    """`text` as a shell reads it as one word: as it is where it is letters and digits (半导体 too), else quoted."""
    return text if text and all(ch.isalnum() or ch in "-_.,/" for ch in text) else shlex.quote(text)


def compare_view(kb: KB, places: list[str], sectors: list[str]) -> CompareView:
    if places and sectors:
        raise UsageProblem(
            _(
                "compare either places or --sector options, not both; for places in one sector, "
                "`clusters rank provinces --sector {sector}` (or `rank cities`) counts each place's clusters in it"
            ).format(sector=_shell_word(clean_one_line(sectors[0], 80)))
        )
    queries = places or sectors
    if not MIN_COMPARE <= len(queries) <= MAX_COMPARE:
        raise UsageProblem(
            _("compare takes {least} to {most} {what}, not {given}").format(
                least=MIN_COMPARE, most=MAX_COMPARE, what=_("places") if places else _("sectors"), given=len(queries)
            )
        )
    items, matrix = _compare_places(kb, places) if places else _compare_sectors(kb, sectors)
    seen: dict[tuple[str, str], int] = {}
    for i, (item, query) in enumerate(zip(items, queries, strict=True)):
        first = seen.setdefault((item["kind"], item["id"]), i)
        if first != i:  # the same place twice, by one name or two, compares nothing
            if queries[first] == query:
                what = _("'{query}' twice").format(query=clean_one_line(query))
            else:
                what = _("'{first}' and '{second}'").format(
                    first=clean_one_line(queries[first]), second=clean_one_line(query)
                )
            message = (
                _("{what}: both are {item}; compare different places")
                if places
                else _("{what}: both are {item}; compare different sectors")
            )
            raise UsageProblem(message.format(what=what, item=name_of(item)))
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "compare",
        "mode": "places" if places else "sectors",
        "items": items,
        "matrix": matrix,
        "counted_from": counted_from(kb, [c["id"] for it in items for c in it["clusters"]]),
        "counts_note": COUNTS_NOTE,
    }


def _place_companies(kb: KB, kind: str, ident: str) -> list[Entity]:
    """A place's firms as its own view lists them (those its clusters name, and those headquartered or with a
    base in it): compare gave only its clusters' firms, none for most places."""
    from .detail import DETAIL_VIEWS

    listed = DETAIL_VIEWS[kind](kb, ident, None)["companies"]
    return kb.many("company", [c["id"] for c in listed])


def _compare_places(kb: KB, queries: list[str]) -> tuple[list[CompareItem], list[MatrixRow]]:
    items: list[CompareItem] = []
    columns: list[list[Entity]] = []
    for q in queries:
        kind, m = resolve_place(kb, q)
        clusters = kb.clusters_in(kind, m.entity["id"])
        columns.append(clusters)
        firms = _place_companies(kb, kind, m.entity["id"])
        items.append(_item(kb, kind, m, q, clusters, firms, place_statistics(kb, kind, m.entity)))
    # one rule in every command: a cluster is of a sector when any of its tags is the sector or below it,
    # so each row counts the clusters of the sector and its sub-sectors (a parent row includes its children)
    tagged = [t for clusters in columns for c in clusters for t in cluster_sectors(c)]
    sector_ids = list(dict.fromkeys(a for t in tagged for a in [t, *kb.sector_ancestors(t)]))
    order = kb.positions("sector", sector_ids)
    matrix: list[MatrixRow] = []
    for s in sorted(kb.many("sector", sector_ids), key=lambda s: order.get(s["id"], 0)):
        family = set(kb.sector_descendants(s["id"]))
        counts = [sum(1 for c in clusters if family & set(cluster_sectors(c))) for clusters in columns]
        matrix.append({"sector": {"id": s["id"], "name": s["name"]}, "counts": counts})
    return items, matrix


def _compare_sectors(kb: KB, queries: list[str]) -> tuple[list[CompareItem], list[MatrixRow]]:
    items: list[CompareItem] = []
    columns: list[list[Entity]] = []
    for q in queries:
        m = resolve(kb, "sector", q)
        family = kb.sector_descendants(m.entity["id"])
        clusters = list({c["id"]: c for sid in family for c in kb.clusters_in("sector", sid)}.values())
        columns.append(clusters)
        # the sector's firms by their main sector or another of theirs, as the sector view lists them
        companies = tagged_firms(kb, family)
        stats = statistic_rows(kb, [s for sid in family for s in kb.referring("statistic", "sector", sid)])
        items.append(_item(kb, "sector", m, q, clusters, companies, (stats, [])))
    province_ids = sorted({p for clusters in columns for c in clusters for p in kb.cluster_provinces(c["id"])})
    matrix: list[MatrixRow] = [
        {
            "province": {"id": p["id"], "name": p["name"]},
            "counts": [sum(1 for c in clusters if p["id"] in kb.cluster_provinces(c["id"])) for clusters in columns],
        }
        for p in kb.many("province", province_ids)
    ]
    matrix.sort(key=lambda row: (-sum(row["counts"]), row["province"]["name"]))
    return items, matrix
