"""The sections the detail views share (render/detail.py): a place's or a list's clusters, the regional clusters
that include it, its parks, firms and figures, each a page for people (DETAIL_PAGE rows, and a line saying how
many more --json gives).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from rich.console import RenderableType
from rich.text import Text

from ..i18n import _, name_of, value_word
from .parts import DIM, Lines, _name_zh, _names, _section, _stats_footnote, clusters_table, stats_table

if TYPE_CHECKING:
    from ..views.types import ClusterRow, CompanyRow, ParkRow, StatisticRow


def _company_line(c: CompanyRow) -> str:
    """'CATL (宁德时代) · Lithium batteries · headquarters Ningde · in Ningde power battery cluster'."""
    parts = [_name_zh(c), name_of(c["sector"])]
    if c["headquarters"]:
        parts.append(_("headquarters {city}").format(city=name_of(c["headquarters"])))
    if c["clusters"]:
        parts.append(_("in {clusters}").format(clusters=_names(c["clusters"])))
    return " · ".join(parts)


# a detail view's table for people shows a section's first DETAIL_PAGE rows (and says how many more); --json
# gives every one. A see-also section is built with a shorter page (views.pages.SEE_ALSO)
DETAIL_PAGE = 200


T = TypeVar("T")


def paged(rows: list[T], table: Callable[[list[T]], RenderableType], total: int | None = None) -> list[RenderableType]:
    """A section's first DETAIL_PAGE rows, and a line saying how many more --json lists (of `total`, where the
    view holds only a page of the section, which may be shorter: its `totals`)."""
    shown = rows[:DETAIL_PAGE]
    out = [table(shown)]
    total = len(rows) if total is None else total
    if total > len(shown):
        more = f"{total - len(shown):,}"
        out.append(Text(_("and {more} more: --json lists every one").format(more=more), style=DIM))
    return out


def _park_line(p: ParkRow) -> str:
    return " · ".join(
        part for part in (_name_zh(p), value_word(p["kind"]), name_of(p["city"]), _names(p["sectors"])) if part
    )


def common_sections(
    out: list[RenderableType],
    *,
    clusters: list[ClusterRow],
    empty_clusters: str | None = None,
    regional_clusters: list[ClusterRow] | None = None,
    parks: list[ParkRow] | None = None,
    companies: list[CompanyRow] | None = None,
    statistics: list[StatisticRow] | None = None,
    regional_statistics: list[StatisticRow] | None = None,
    show_clusters: bool = True,
    totals: Mapping[str, int] | None = None,
) -> None:
    """The sections most views share; `totals`, the view's: how many clusters a section cut to a page holds."""
    total = dict(totals or {})
    if show_clusters:
        out.append(_section(_("Clusters"), total.get("clusters", len(clusters))))
    if clusters:
        out += paged(clusters, clusters_table, total.get("clusters"))
    elif empty_clusters:
        out.append(Text(empty_clusters))
    if regional_clusters:
        every = total.get("regional_clusters", len(regional_clusters))
        out.append(_section(_("Regional clusters that include it"), every))
        out += paged(regional_clusters, clusters_table, every)
    if parks:
        out.append(_section(_("Parks and zones"), len(parks)))
        out += paged(parks, lambda page: Lines([(_park_line(p), 0, "") for p in page]))
    if companies:
        out.append(_section(_("Companies"), len(companies)))
        out += paged(companies, lambda page: Lines([(_company_line(c), 0, "") for c in page]))
    shown = [*(statistics or [])[:DETAIL_PAGE], *(regional_statistics or [])[:DETAIL_PAGE]]
    if statistics:
        out.append(_section(_("Statistics"), len(statistics)))
        out += paged(statistics, stats_table)
    if regional_statistics:
        out.append(_section(_("Statistics of regions that include it"), len(regional_statistics)))
        out += paged(regional_statistics, stats_table)
    note = _stats_footnote(shown)
    if note is not None:
        out.append(note)


def sections_of(view: Mapping[str, Any]) -> dict[str, Any]:
    """The sections of a detail view that common_sections draws, as its keywords: those the view holds."""
    keys = ("clusters", "regional_clusters", "parks", "companies", "statistics", "regional_statistics", "totals")
    return {k: view[k] for k in keys if k in view}
