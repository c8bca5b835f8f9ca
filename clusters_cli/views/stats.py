"""`stats`: the figures as groups that compare (a series, or one unit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import NotFound, UsageProblem
from ..i18n import N_, _
from ..sanitize import clean_one_line
from ..store.relations import Rel, ref_relation, statistics_at
from ..values import amount
from . import SCHEMA_VERSION
from .common import allowed_value
from .notices import read_filter
from .shared_rows import read_for_statistic_rows, statistic_row

if TYPE_CHECKING:
    from ..store.kb import KB, Entity
    from .analysis_types import StatsGroup, StatsView


FIGURE_STATUSES = ("actual", "forecast", "target")


def year_range(text: str) -> tuple[int, int]:
    """'2021' -> (2021, 2021); '2015-2021' -> (2015, 2021); anything else is a usage error."""
    parts = text.strip().split("-")
    if not (1 <= len(parts) <= 2 and all(p.isdigit() and len(p) == 4 for p in parts)):
        raise UsageProblem(
            _("--year '{text}' is not a year or a range of years (2021, 2015-2021)").format(text=text[:40])
        )
    first, last = int(parts[0]), int(parts[-1])
    if first > last:
        raise UsageProblem(_("--year '{text}' ends before it starts").format(text=text[:40]))
    return first, last


def series_rows(kb: KB) -> list[dict[str, object]]:
    """`list series`: each series of figures, with its metric, unit, years and how many figures it has (its
    first figure's metric and unit). The figures of series alone are read, and only these fields."""
    found: dict[str, list[str]] = {}
    for series, ident in kb.related_pairs(Rel.SERIES_FIGURES):  # by series, each one's figures in file order
        found.setdefault(series, []).append(ident)
    read = kb.fields("statistic", [i for figures in found.values() for i in figures], ("metric", "unit", "year"))
    return [
        {
            "id": series,
            "name": read[figures[0]][0],
            "unit": read[figures[0]][1],
            "figures": len(figures),
            "years": sorted({int(str(read[i][2])) for i in figures}),
        }
        for series, figures in found.items()
    ]


# a group's title is in the document in English; a chart shows it in the run's language
UNIT_TITLES = {
    "percent": N_("Percentages"),
    "enterprises": N_("Enterprises"),
    "clusters": N_("Clusters"),
    "cities": N_("Cities"),
    "rank": N_("Ranks"),
    "zones": N_("Zones"),
    "people": N_("People"),
    "pairs": N_("Pairs"),
    "pieces": N_("Pieces"),
}
MONEY_TITLES = {"CNY": N_("Money in RMB"), "USD": N_("Money in US$")}


def _group_of(st: Entity) -> tuple[str, str]:
    """(key, title) of the group a figure compares in: its series, else its unit (money by currency)."""
    if st.get("series"):
        return f"series:{st['series']}", str(st["metric"])
    if st["unit"] == "currency":  # yuan and dollars never share a scale
        title = MONEY_TITLES.get(st["currency"], f"Money ({st['currency']})")
        return f"unit:currency:{st['currency']}", title
    return f"unit:{st['unit']}", UNIT_TITLES.get(st["unit"], str(st["unit"]))


def stats_view(
    kb: KB,
    sector: str | None = None,
    series: str | None = None,
    province: str | None = None,
    region: str | None = None,
    year: str | None = None,
    status: str | None = None,
    per_group: int | None = None,
) -> StatsView:
    """Statistics in groups that compare: each series, then the rest by unit (money by currency). With
    `per_group`, a group's bars are its first (a series' earliest years, a unit's largest figures), and
    `total` says how many it has: a chart for people stays a screen, however many figures there are."""
    filters: dict[str, str] = {}
    notices: list[str] = []
    kept: set[str] | None = None  # the figures the place, sector and series keep, from the relations (None: all)

    def keep(ids: list[str]) -> None:
        nonlocal kept
        kept = set(ids) if kept is None else kept & set(ids)

    for kind, query in (("province", province), ("region", region)):
        if query is not None:  # the place's figures, by the one rule (its own and those inside it)
            place = read_filter(kb, kind, query, notices)
            keep(kb.related(statistics_at(kind), place["id"]))
            filters[kind] = place["id"]
    years = None
    if year is not None:
        years = year_range(year)
        filters["year"] = year
    status = allowed_value(status, FIGURE_STATUSES, "--status")  # as the data writes it, or its word (预测)
    if status is not None:
        filters["status"] = status
    if sector is not None:  # a figure's own sector, as in list and sector
        sid = read_filter(kb, "sector", sector, notices)["id"]
        keep([i for s in kb.sector_descendants(sid) for i in kb.related(ref_relation("statistic", "sector"), s)])
        filters["sector"] = sid
    if series is not None:
        known = sorted(kb.related_counts(Rel.SERIES_FIGURES))
        if series not in known:
            raise NotFound("series", clean_one_line(series), known)
        keep(kb.related(Rel.SERIES_FIGURES, series))
        filters["series"] = series
    # those kept alone are read, in file order
    stats = kb.all("statistic") if kept is None else kb.in_file_order("statistic", kept)
    if years is not None:
        stats = [s for s in stats if years[0] <= s["year"] <= years[1]]
    if status is not None:
        stats = [s for s in stats if s["status"] == status]
    # one pass: each figure to its group, and the years of each series (a series over several years labels
    # its bars by year)
    grouped: dict[str, tuple[str, str, list[Entity]]] = {}
    series_years: dict[str, set[int]] = {}
    for st in stats:
        key, title = _group_of(st)
        grouped.setdefault(key, (title, st["unit"], []))[2].append(st)
        if st.get("series"):
            series_years.setdefault(st["series"], set()).add(st["year"])
    ordered: list[StatsGroup] = []
    for key, group_of in grouped.items():  # a series by year, the others largest first
        in_series = key.startswith("series:")
        group_of[2].sort(key=lambda st: (st["year"], -amount(st)) if in_series else -amount(st))
    # what the bars shown name (places, sources, packs): read for all of them at once, not a query a bar
    read_for_statistic_rows(kb, [st for group_of in grouped.values() for st in group_of[2][:per_group]])
    for key in sorted(grouped, key=lambda k: (not k.startswith("series:"), k)):
        title, unit, members = grouped[key]
        in_series = key.startswith("series:")
        group: StatsGroup = {
            "id": key,
            "title": title,
            "unit": unit,
            "bars": [],
            "max_amount": max((amount(st) for st in members), default=0),
        }
        shown = members if per_group is None else members[:per_group]
        if len(shown) < len(members):
            group["total"] = len(members)
        for st in shown:
            row = statistic_row(kb, st)
            label = row["scope_label"] if in_series else f"{row['scope_label']}: {row['metric']}"
            if in_series and len(series_years[st["series"]]) > 1:
                label = f"{row['scope_label']} {row['period'] or row['year']}"
            group["bars"].append({**row, "label": label})
        ordered.append(group)
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "stats",
        "filters": filters,
        "notices": notices,
        "groups": ordered,
    }
