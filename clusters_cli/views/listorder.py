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
from ..kinds.base import referred_kind
from ..model import KINDS, Kind, by_section
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
    kind = by_section(section)
    if limit is None or limit < 1 or not (sort or reverse):
        return None
    if sort == COUNTED and kind.division:
        return sort, reverse, limit
    behaviour = adapter(kind.name)
    stored = (*STORED_ORDER, *behaviour.verbatim, *behaviour.referenced)
    if sort is not None and (sort not in stored or (sort == "name_zh" and not kind.chinese)):
        return None
    return sort, reverse, limit


def ranked(
    kb: KB, kind: Kind, ordered: Ordered, equal: dict[str, str], years: tuple[int, int] | None
) -> tuple[list[str] | None, list[str], list[Any]]:
    """(every entry's id in file order, the ids of the page, their values) of a list `ordered` as
    rows.shape_rows orders its rows: by the field's sort_key, those without a value last in file order, the
    sort stable either way; reversed alone, the last entries in file order (shape_rows reverses them), and of
    every entry those alone, the others left unread (None: at 100 times the shipped data `list cities --reverse
    --limit 5` read the 318,500 ids)."""
    from ..rows import sorted_by_value

    field, reverse, n = ordered
    if field is None and not equal and years is None:
        last = kb.last_ids(kind.name, n)
        return None, last, [None] * len(last)
    path = adapter(kind.name).referenced.get(field or "")
    leads: dict[str, str | None] = {}  # the entry a referenced field names, by entry
    names: dict[str, Any] = {}  # and its name
    if field == COUNTED:  # each place's clusters counted in the store; a place with none counts 0
        counts = kb.related_counts(clusters_at(kind.name))
        ids = kb.values_in_file_order(kind.name, "id", None, equal, years)
        pairs: list[tuple[str, Any]] = [(ident, counts.get(ident, 0)) for ident, _ in ids]
    elif path is not None:  # by the name of the entry the references lead to, as rows.sort_key orders a reference
        leads, names = _referenced(kb, kind, path, equal, years)
        pairs = [(ident, None if to is None else names.get(to)) for ident, to in leads.items()]
    else:
        pairs = kb.values_in_file_order(kind.name, field or "id", kind.label if field == "name" else None, equal, years)
    if field is None:
        chosen: list[tuple[str, Any]] = [(ident, None) for ident, _ in pairs[-n:]]
    else:
        chosen = sorted_by_value(pairs, itemgetter(1), reverse)[:n]
    if path is not None:  # the page's values as its rows hold them (values.ref), None where it leads nowhere
        chosen = [(ident, None if name is None else {"id": leads[ident], "name": name}) for ident, name in chosen]
    return [ident for ident, _ in pairs], [ident for ident, _ in chosen], [value for _, value in chosen]


def _referenced(
    kb: KB, kind: Kind, path: tuple[str, ...], equal: dict[str, str], years: tuple[int, int] | None
) -> tuple[dict[str, str | None], dict[str, Any]]:
    """(every entry's id in file order -> the id of the entry a referenced field leads it to, or None; that
    entry's id -> its name) for a field of kinds.Adapter.referenced, followed along its path as
    Adapter.followed does: read in the store, each step's different ids once (at 100 times the shipped data,
    the cities' provinces are 3,400 entries, not a read a city)."""

    def named(steps: list[tuple[str, Any]]) -> list[str]:
        return sorted({str(v) for _, v in steps if v is not None})

    steps = kb.values_in_file_order(kind.name, path[0], None, equal, years)
    at = referred_kind(kind, path[0])
    for field in path[1:]:  # the next field of each different entry the step before names
        found = kb.fields(at, named(steps), (field,))
        steps = [(ident, None if v is None or str(v) not in found else found[str(v)][0]) for ident, v in steps]
        at = referred_kind(KINDS[at], field)
    names = {ident: values[0] for ident, values in kb.fields(at, named(steps), ("name",)).items()}
    return {ident: None if v is None else str(v) for ident, v in steps}, names


def read_alike(ordered: Ordered, rows: list[dict[str, Any]], values: list[Any]) -> bool:
    """Whether the page's rows (listing.list_row's) hold the values the store ordered them by, so the page
    stands."""
    field = ordered[0]
    return field is None or [row.get(field) for row in rows] == values
