"""`stats`: the figures as groups that compare (a series, or one unit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import NotFound
from ..resolve import resolve
from ..sanitize import clean_one_line
from . import SCHEMA_VERSION
from .common import statistic_row

if TYPE_CHECKING:
    from ..store.kb import KB
    from .analysis_types import Bar, StatsGroup, StatsView


def stats_view(kb: KB, sector: str | None = None, series: str | None = None) -> StatsView:
    """Statistics in groups that compare: each series, then the rest by unit."""
    stats = kb.all("statistic")
    filters: dict[str, str] = {}
    if sector is not None:
        m = resolve(kb, "sector", sector)
        family = set(kb.sector_descendants(m.entity["id"]))
        tagged = {c["id"] for sid in family for c in kb.clusters_in("sector", sid)}
        stats = [s for s in stats if s.get("sector") in family or s.get("cluster") in tagged]
        filters["sector"] = m.entity["id"]
    if series is not None:
        known = sorted({s["series"] for s in kb.all("statistic") if s.get("series")})
        if series not in known:
            raise NotFound("series", clean_one_line(series), known)
        stats = [s for s in stats if s.get("series") == series]
        filters["series"] = series
    groups: dict[str, StatsGroup] = {}
    for st in stats:
        if st.get("series"):
            key, title = f"series:{st['series']}", st["metric"]
        elif st["unit"] == "currency":
            key, title = "unit:currency", "Money (RMB)"
        else:
            key, title = (
                f"unit:{st['unit']}",
                {
                    "percent": "Shares (%)",
                    "enterprises": "Enterprises",
                    "clusters": "Clusters",
                    "cities": "Cities",
                    "rank": "Ranks",
                }.get(st["unit"], st["unit"]),
            )
        groups.setdefault(key, {"id": key, "title": title, "unit": st["unit"], "bars": [], "max_amount": 0.0})
        row = statistic_row(kb, st)
        label = row["scope_label"] if key.startswith("series:") else f"{row['scope_label']}: {row['metric']}"
        if key.startswith("series:") and len({s["year"] for s in stats if s.get("series") == st["series"]}) > 1:
            label = f"{row['scope_label']} {row['period'] or row['year']}"
        bar: Bar = {**row, "label": label}
        groups[key]["bars"].append(bar)
    ordered = sorted(groups.values(), key=lambda g: (not g["id"].startswith("series:"), g["id"]))
    for g in ordered:
        g["bars"].sort(key=lambda b: (b["year"], -b["amount"]) if g["id"].startswith("series:") else -b["amount"])
        g["max_amount"] = max((b["amount"] for b in g["bars"]), default=0)
    return {"schema_version": SCHEMA_VERSION, "kind": "stats", "filters": filters, "groups": ordered}
