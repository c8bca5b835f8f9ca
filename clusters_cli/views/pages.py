"""The pages of a detail view's cluster sections: each whole for a document, or its first rows for a table
for people, a see-also section's shorter (SEE_ALSO), with what the sections cut hold in all (`totals`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from .shared_rows import cluster_order, cluster_rows

if TYPE_CHECKING:
    from ..store.kb import KB, Entity
    from .detail_types import _Detail
    from .types import ClusterRow

V = TypeVar("V", bound="_Detail")

# a table's page of a section that points elsewhere (the clusters whose specialties only mention a sector, a
# region's clusters beside a province's own): a see-also list, shorter than the page of a view's own rows
SEE_ALSO = 20


class Pages:
    """The cluster sections of a detail view, each made whole for a document, or only its first `page` rows
    for a table for people (DETAIL_PAGE of render/sections.py, which says how many more there are): what the
    sections cut hold in all goes to the view's `totals`."""

    def __init__(self, kb: KB, page: int | None) -> None:
        self.kb, self.page = kb, page
        self.totals: dict[str, int] = {}

    def _page(self, see_also: bool) -> int | None:
        return min(self.page, SEE_ALSO) if see_also and self.page is not None else self.page

    def clusters(self, section: str, clusters: list[Entity], see_also: bool = False) -> list[ClusterRow]:
        rows = cluster_rows(self.kb, clusters, self._page(see_also))
        total = len({c["id"] for c in clusters})
        if total > len(rows):
            self.totals[section] = total
        return rows

    def listed(self, section: str, idents: list[str], see_also: bool = False) -> list[ClusterRow]:
        """As `clusters`, from ids (each once): for a page, the rows are put in order by the fields that order
        them (shared_rows.cluster_order) and only the clusters shown are read whole."""
        page = self._page(see_also)
        if page is None:
            return self.clusters(section, self.kb.many("cluster", idents))
        fields = self.kb.fields("cluster", idents, ("sector", "name"))
        shown = cluster_order(self.kb, [(i, *fields[i]) for i in idents if i in fields])[:page]
        if len(idents) > len(shown):
            self.totals[section] = len(idents)
        return cluster_rows(self.kb, self.kb.many("cluster", shown))

    def add(self, view: V) -> V:
        """The view, with the totals of the sections cut (none: the view as it was)."""
        if self.totals:
            view["totals"] = self.totals
        return view
