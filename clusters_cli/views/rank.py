"""`rank`: which provinces, cities or regions make X, ordered by what the knowledge base holds of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import UsageProblem
from ..i18n import N_, _, list_sep, name_of, remember_line, zh
from ..kinds.places import places_of_city
from ..kinds.things import tagged_firms
from ..model import KINDS, divisions
from ..resolve import resolve
from ..store.relations import clusters_at, statistics_at
from ..values import format_value, format_value_zh, ref, scope_of, when_text, when_text_zh
from . import SCHEMA_VERSION
from .common import COUNTS_NOTE, by_place, counted_from, ranked_itself
from .listing import entity_sectors
from .resolved import match_info

if TYPE_CHECKING:
    from ..store.kb import KB, Entity
    from .analysis_types import RankRow, RankView

RANK_LEVELS = {KINDS[k].plural: k for k in divisions()}  # provinces, regions, cities

ORDER = N_(
    "Ordered by the number of the sector's clusters (its own and its sub-sectors') that lie in each place, "
    "then its companies, then its parks, then by name. A cluster counts for every place it lies in, and a "
    "city's count includes its counties' and districts'. Figures are those of the sector about the place or "
    "a place or cluster in it, which each names; they are shown, not ranked, as they measure different things."
)


def _firms_by_place(kb: KB, kind: str, family: set[str]) -> dict[str, set[str]]:
    """place id -> the firms of these sectors headquartered, or with a base a page names, in that place (a
    city, its prefecture, its province, or a region containing it)."""
    firms = {co["id"]: co for co in tagged_firms(kb, family)}
    out: dict[str, set[str]] = {}
    for co in firms.values():
        for city in kb.many("city", [co.get("headquarters") or "", *(b["city"] for b in co.get("bases", []))]):
            for place in places_of_city(kb, kind, city):
                out.setdefault(place, set()).add(co["id"])
    return out


def _parks_by_place(kb: KB, kind: str, family: set[str]) -> dict[str, set[str]]:
    """place id -> the parks of these sectors in it: the sector's parks, each placed once by its city."""
    by_city: dict[str, set[str]] = {}
    for sid in family:
        for p in kb.referring("park", "sectors", sid):
            by_city.setdefault(p["city"], set()).add(p["id"])
    out: dict[str, set[str]] = {}
    for city in kb.many("city", list(by_city)):
        for place in places_of_city(kb, kind, city):
            out.setdefault(place, set()).update(by_city[city["id"]])
    return out


def _figure(kb: KB, st: Entity, place: Entity) -> str:
    """A figure as a rank row names it ('revenue: RMB 26.8 billion (2012)'), with the place it is about where
    that is not the row's (a province's row holds its cities' figures: 'Lianjiang: enterprises: over 1,140
    (2024)'), and a forecast or target said so; in Chinese on screen, in Chinese units (the document keeps the
    English)."""
    where = scope_of(kb, st)  # a cluster's figure: the cluster
    named = where is not None and where["id"] != place["id"]
    english = (
        f"{where['name']}: " if named and where else ""
    ) + f"{st['metric']}: {format_value(st)} ({when_text(st)})"
    if zh():
        prefix = f"{name_of(where)}：" if named and where else ""
        remember_line(english, f"{prefix}{st['metric']}：{format_value_zh(st)}（{when_text_zh(st, '年')}）")
    return english


def rank_view(kb: KB, level: str, sector: str) -> RankView:
    """Set-based: the sector's clusters, firms, parks and figures are read once and grouped by place, and only
    the places holding any of them are read (not one query per place of the level)."""
    kind = RANK_LEVELS.get(level.strip().lower())
    if kind is None:
        raise UsageProblem(
            _("cannot rank '{level}'; choose from: {value}").format(
                level=level[:40], value=list_sep().join(RANK_LEVELS)
            )
        )
    match = resolve(kb, "sector", sector)
    family = set(kb.sector_descendants(match.entity["id"]))
    clusters = {c["id"]: c for sid in family for c in kb.clusters_in("sector", sid)}
    firms_at = _firms_by_place(kb, kind, family)
    parks_at = _parks_by_place(kb, kind, family)
    clusters_at_place = by_place(kb, clusters_at(kind), set(clusters))
    # a figure of the sector: its own sector in the family, or, without one, its cluster's
    figures = {st["id"]: st for sid in family for st in kb.referring("statistic", "sector", sid)}
    figures |= {
        st["id"]: st
        for cid in clusters
        for st in kb.referring("statistic", "cluster", cid)
        if not st.get("sector") and entity_sectors(kb, "statistic", st) & family
    }
    figures_at = by_place(kb, statistics_at(kind), set(figures))
    candidates = list(dict.fromkeys([*clusters_at_place, *firms_at, *parks_at]))
    rows: list[RankRow] = []
    for place in kb.many(kind, candidates):
        if not ranked_itself(place):
            continue
        here = [clusters[c] for c in clusters_at_place.get(place["id"], [])]
        # the firms its clusters name, and the sector's firms headquartered or with a base there
        companies = {co for c in here for co in c.get("companies", [])} | firms_at.get(place["id"], set())
        parks = parks_at.get(place["id"], set())
        at_place = [figures[i] for i in figures_at.get(place["id"], [])]  # the sector's figures about the place
        if not (here or parks or companies):
            continue
        rows.append(
            {
                "rank": 0,
                "id": place["id"],
                "name": place["name"],
                "name_zh": place.get("name_zh"),
                "clusters": len(here),
                "companies": len(companies),
                "parks": len(parks),
                "cluster_names": [c["name"] for c in sorted(here, key=lambda c: c["name"])],
                "cluster_ids": [c["id"] for c in sorted(here, key=lambda c: c["name"])],
                "figures": [_figure(kb, st, place) for st in at_place],
            }
        )
    rows.sort(key=lambda r: (-r["clusters"], -r["companies"], -r["parks"], r["name"]))
    previous: tuple[int, int, int] | None = None
    for i, row in enumerate(rows, 1):
        key = (row["clusters"], row["companies"], row["parks"])
        row["rank"] = rows[i - 2]["rank"] if key == previous else i  # ties share a rank
        previous = key
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "rank",
        "level": level.strip().lower(),
        "sector": ref(kb, "sector", match.entity["id"]) or {"id": match.entity["id"], "name": match.entity["name"]},
        "resolved": match_info(kb, match, sector, "sector"),
        "count": len(rows),
        "rows": rows,
        "order": ORDER,
        "counted_from": counted_from(kb, [c for r in rows for c in r["cluster_ids"]]),
        "counts_note": COUNTS_NOTE,
    }
