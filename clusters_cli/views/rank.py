"""`rank`: which provinces, cities or regions make X, ordered by what the knowledge base holds of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import UsageProblem
from ..kinds import adapter
from ..model import KINDS, divisions
from ..resolve import match_info, resolve
from . import SCHEMA_VERSION
from .common import COUNTS_NOTE, counted_from, format_value, ref
from .listing import entity_sectors

if TYPE_CHECKING:
    from ..store.kb import KB
    from .analysis_types import RankRow, RankView

RANK_LEVELS = {KINDS[k].plural: k for k in divisions()}  # provinces, regions, cities

ORDER = (
    "Ordered by the number of the sector's clusters (its own and its sub-sectors') that lie in each place, "
    "then its companies, then its parks, then by name. A cluster counts for every place it lies in, and a "
    "city's count includes its counties' and districts'. Figures are those of the sector about the place; "
    "they are shown, not ranked, as they measure different things."
)


def _firms_by_place(kb: KB, kind: str, family: set[str]) -> dict[str, set[str]]:
    """place id -> the firms of these sectors headquartered, or with a base a page names, in that place (a
    city, its prefecture, its province, or a region containing it)."""
    firms = {co["id"]: co for sid in family for f in ("sector", "sectors") for co in kb.referring("company", f, sid)}
    out: dict[str, set[str]] = {}
    for co in firms.values():
        for city in kb.many("city", [co.get("headquarters") or "", *(b["city"] for b in co.get("bases", []))]):
            if kind == "province":
                places = [city["province"]]
            elif kind == "city":
                places = [city["id"], *([city["prefecture"]] if city.get("prefecture") else [])]
            else:
                places = [r["id"] for r in adapter("city").regions_containing(kb, city)]
            for place in places:
                out.setdefault(place, set()).add(co["id"])
    return out


def rank_view(kb: KB, level: str, sector: str) -> RankView:
    kind = RANK_LEVELS.get(level.strip().lower())
    if kind is None:
        raise UsageProblem(f"cannot rank '{level[:40]}'; choose from: {', '.join(RANK_LEVELS)}")
    match = resolve(kb, "sector", sector)
    family = set(kb.sector_descendants(match.entity["id"]))
    clusters = {c["id"]: c for sid in family for c in kb.clusters_in("sector", sid)}
    firms_at = _firms_by_place(kb, kind, family)
    rows: list[RankRow] = []
    for place in kb.all(kind):
        if place.get("level") == "county":  # once per level: a county's clusters count in its prefecture
            continue
        here = [c for c in kb.clusters_in(kind, place["id"]) if c["id"] in clusters]
        # the firms its clusters name, and the sector's firms headquartered or with a base there
        companies = {co for c in here for co in c.get("companies", [])} | firms_at.get(place["id"], set())
        parks = [p for p in adapter(kind).parks_in(kb, place) if set(p["sectors"]) & family]
        figures = [st for st in kb.statistics_in(kind, place["id"]) if entity_sectors(kb, "statistic", st) & family]
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
                "parks": len({p["id"] for p in parks}),
                "cluster_names": [c["name"] for c in sorted(here, key=lambda c: c["name"])],
                "cluster_ids": [c["id"] for c in sorted(here, key=lambda c: c["name"])],
                "figures": [f"{st['metric']}: {format_value(st)} ({st['year']})" for st in figures],
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
        "resolved": match_info(match, sector, "sector"),
        "count": len(rows),
        "rows": rows,
        "order": ORDER,
        "counted_from": counted_from(kb, [c for r in rows for c in r["cluster_ids"]]),
        "counts_note": COUNTS_NOTE,
    }
