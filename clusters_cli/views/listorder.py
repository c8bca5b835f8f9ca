"""A page of a list sorted by a field its rows hold as their entries do (`id`, `name`, `name_zh`, and each kind's
own, kinds.Adapter.verbatim: a city's latitude, a cluster's status), by a place's count of clusters, or
reversed: the store reads that field of every entry without decoding them (KB.values_in_file_order), or counts
each place's clusters (KB.related_counts), the entries are ordered as rows.shape_rows orders rows, and
listing.list_view makes only the page's rows (at 100 times the shipped data `list cities --sort name --limit 5`
made and sorted 318,500 rows: 4.9 s and 523 MiB; `list cities --sort cluster_count --reverse --limit 5`, 4.9 s
and 535 MiB; `list cities --sort lat --limit 5`, 5.3 s and 540 MiB)."""

from __future__ import annotations

from operator import itemgetter
from typing import TYPE_CHECKING, Any

from ..kinds import adapter
from ..model import KINDS, Kind
from ..store.relations import clusters_at

if TYPE_CHECKING:
    from ..store.kb import KB, Entity

# the fields of a list's row read as they stand in the entity (row_value), which the store can order a list by;
# and each kind's own (kinds.Adapter.verbatim: a city's latitude, a cluster's status)
STORED_ORDER = ("id", "name", "name_zh")
# a place's row's count of its clusters, which the store counts from the relation of the clusters at each place
# (a list filtered by fields alone counts every cluster of each: listing.kept_clusters keeps them all)
COUNTED = "cluster_count"

# (the field, or None for a list reversed alone; whether reversed; the page's size)
Ordered = tuple[str | None, bool, int]


def row_value(kind: Kind, e: Entity, field: str) -> Any:
    """A field of STORED_ORDER, or of the kind's verbatim ones, as a list's row holds it (listing.list_row): its
    name, or its label's value where it has no name (a figure's metric); another field as it stands."""
    return e.get("name", e.get(kind.label)) if field == "name" else e.get(field)


def stored_order(section: str, sort: str | None, reverse: bool, limit: int | None) -> Ordered | None:
    """What list_view's `ordered` takes for a page of a list sorted by a field of STORED_ORDER or reversed
    (--sort, --reverse, --limit), or None where every row is made and sorted (another field, a header's word,
    no page)."""
    kind = next(k for k in KINDS.values() if k.section == section)
    if limit is None or limit < 1 or not (sort or reverse):
        return None
    if sort == COUNTED and kind.division:
        return sort, reverse, limit
    stored = (*STORED_ORDER, *adapter(kind.name).verbatim)
    if sort is not None and (sort not in stored or (sort == "name_zh" and not kind.chinese)):
        return None
    return sort, reverse, limit


def ranked(
    kb: KB, kind: Kind, ordered: Ordered, equal: dict[str, str], years: tuple[int, int] | None
) -> tuple[list[str], list[str], list[Any]]:
    """(every entry's id in file order, the ids of the page, their values) of a list `ordered` as
    rows.shape_rows orders its rows: by the field's sort_key, those without a value last in file order, the
    sort stable either way; reversed alone, the last entries in file order (shape_rows reverses them)."""
    from ..rows import sorted_by_value

    field, reverse, n = ordered
    if field == COUNTED:  # each place's clusters counted in the store; a place with none counts 0
        counts = kb.related_counts(clusters_at(kind.name))
        ids = kb.values_in_file_order(kind.name, "id", None, equal, years)
        pairs: list[tuple[str, Any]] = [(ident, counts.get(ident, 0)) for ident, _ in ids]
    else:
        pairs = kb.values_in_file_order(kind.name, field or "id", kind.label if field == "name" else None, equal, years)
    if field is None:
        chosen: list[tuple[str, Any]] = [(ident, None) for ident, _ in pairs[-n:]]
    else:
        chosen = sorted_by_value(pairs, itemgetter(1), reverse)[:n]
    return [ident for ident, _ in pairs], [ident for ident, _ in chosen], [value for _, value in chosen]


def read_alike(ordered: Ordered, rows: list[dict[str, Any]], values: list[Any]) -> bool:
    """Whether the page's rows (listing.list_row's) hold the values the store ordered them by, so the page
    stands."""
    field = ordered[0]
    return field is None or [row.get(field) for row in rows] == values
