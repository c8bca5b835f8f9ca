"""Shaping the rows of a view the way `--fields`, `--sort`, `--reverse` and `--limit` ask.

Pure functions on plain rows, shared by every command that prints rows (list, search, near, rank, and
stats and compare as rows), so the options mean the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .errors import UsageProblem
from .flatten import columns
from .i18n import N_, _, list_sep, zh

T = TypeVar("T")


class RowOptions:
    """What the user asked of the rows: which fields, in which order, how many."""

    __slots__ = ("fields", "limit", "reverse", "sort")

    def __init__(
        self, fields: str | None = None, sort: str | None = None, reverse: bool = False, limit: int | None = None
    ) -> None:
        # each field once (a column twice serves nobody); `--fields ""` names none, and was read as every field
        self.fields = list(dict.fromkeys(f.strip() for f in (fields or "").split(",") if f.strip()))
        if fields is not None and not self.fields:
            from .i18n import _

            raise UsageProblem(_("--fields names no field; give names such as id,name (see --json)"))
        if sort is not None and not sort.strip():  # `--sort ""` names no field: it was ignored without a word
            from .i18n import _

            raise UsageProblem(_("--sort names no field; give one such as name (see --json)"))
        self.sort = sort.strip() if sort is not None else None
        self.reverse = reverse
        self.limit = limit

    @property
    def given(self) -> bool:
        """Whether any row option was given (stats and compare then print rows, not their charts)."""
        return bool(self.fields or self.sort or self.reverse or self.limit is not None)

    def gather(self, limit: int, natural: tuple[str, bool] | None = None) -> int | None:
        """How many rows a view should build for a command's own --limit: every one (None) when they are to be
        sorted first (that --limit then cuts the sorted rows); else the limit itself. `natural` is the field a
        view orders its rows by first, and whether from the largest (`near`: distance_km, nearest first):
        sorted by that field alone in that direction, the rows keep the view's own order (a sort keeps equals
        in their order), so the view's first rows are the page and only they are made (at 100 times the shipped
        data `near Hefei --km 2000 --sort distance_km --limit 3` read 145,200 entities: 4.0 s and 620 MB)."""
        if not (self.sort or self.reverse):
            return limit
        if natural is not None and self.sorts_by(*natural):
            return limit
        self.limit = limit
        return None

    def sorts_by(self, field: str, reverse: bool) -> bool:
        """Whether the rows are sorted by this field (named, or by the header a table shows for it) in this
        direction. Sorted so, rows of one value keep the view's order, so a view that can order its rows so
        (views/near.nearest's `end`: `near --sort distance_km --reverse`, the farthest first, or `--sort name`)
        makes the page alone."""
        return self.sort is not None and HEADERS.get(self.sort, self.sort) == field and self.reverse == reverse


# the header a table shows for a field whose header is not its name with spaces (render/listtable.py draws them)
LIST_HEADERS = {
    "cluster_count": "clusters",
    "name_zh": "Chinese",
    "macro_region": "macro-region",
    "distance_km": "km",
    "bearing": "dir",
    "why": "why it matched",
    "rank": "#",
}
# a header, as a person may type it, for its field
HEADERS = {header: field for field, header in LIST_HEADERS.items()} | {"chinese": "name_zh"}


def header_of(col: str, counted: bool = False) -> str:
    """A column's header, in the run's language ('clusters'; 集群). In Chinese the name column holds the
    Chinese name and the Chinese-name column the English one, and a column of counts (`counted`) is headed as
    one: 集群数, where 集群 heads the clusters themselves (a firm's list of them)."""
    from .i18n import C_, _, zh

    if zh() and col == "name_zh":
        return _("English name")
    word = LIST_HEADERS.get(col, col.replace("_", " "))
    return C_("count", word) if counted else _(word)


def counted_columns(rows: list[dict[str, Any]]) -> set[str]:
    """The columns whose values are whole numbers (`cluster_count`, rank's `companies`): counts, headed as such
    (header_of) where the same field of another view lists the things counted."""
    found: dict[str, bool] = {}
    for row in rows:
        for col, value in row.items():
            if value is not None:
                found[col] = found.get(col, True) and isinstance(value, int) and not isinstance(value, bool)
    return {col for col, whole in found.items() if whole}


def sort_key(value: Any) -> tuple[int, Any]:
    """Numbers by value, references by name, text without case; missing values last in either order."""
    if isinstance(value, dict) and "name" in value:
        value = value["name"]
    elif isinstance(value, list):
        value = ", ".join(str(v.get("name", v) if isinstance(v, dict) else v) for v in value)
    if value is None or value == "":
        return (1, 0)
    if isinstance(value, bool):
        return (0, int(value))
    if isinstance(value, (int, float)):
        return (0, value)
    return (0, str(value).casefold())


def sorted_by_value(items: list[T], value: Callable[[T], Any], reverse: bool) -> list[T]:
    """The items ordered by the sort_key of their value (`--sort`, and `--reverse` with it), the sort stable
    either way: those with a value by it, then those without, in their order, whichever the direction."""
    # where every value is a text (names) or every one a number (counts), its sort_key is the text without case
    # or the number itself, made alone once an item: ordering 318,500 cities by name took 0.8 s with sort_key
    # made three times an item, 0.4 s so
    values = list(map(value, items))
    if all(type(v) is str and v for v in values):
        return sorted(items, key=lambda item: value(item).casefold(), reverse=reverse)
    if all(type(v) is int or type(v) is float for v in values):
        return sorted(items, key=value, reverse=reverse)
    present = [item for item in items if sort_key(value(item))[0] == 0]
    present.sort(key=lambda item: sort_key(value(item))[1], reverse=reverse)
    return present + [item for item in items if sort_key(value(item))[0] == 1]


# what a table reads beside the fields a person chose (--fields), without showing it: the row's id and province
# (namesakes are told apart by them), the Chinese names of the row and of its places, a figure's parts, which a
# Chinese table words in Chinese units, and whether its year is the publication's (marked *)
TABLE_COMPANIONS = (
    *("id", "province"),  # what tells namesakes apart (render.namesakes.told_apart)
    *("name", "name_zh", "scope", "scope_label", "scope_zh", "issuer_zh"),
    *("where_zh", "measured_from", "measured_from_zh"),
    *("value", "unit", "scale", "currency", "qualifier", "usd_value", "usd_scale", "year_basis"),
)


def _field_named(name: str, known: list[str], counts: set[str] | frozenset[str] = frozenset()) -> str:
    """The field a name given to --fields or --sort stands for: a field, or a header as a table shows it (in
    Chinese too: 集群 is cluster_count); a header several fields here share (行业: sector and sectors) is a usage
    error naming them, never one picked."""
    if name in known:
        return name
    if name in HEADERS:
        return HEADERS[name]
    from .i18n import _, zh

    if not zh():
        return name
    shown: dict[str, set[str]] = {}  # each header as the table shows it, for the fields it heads
    for field in known:
        shown.setdefault(header_of(field, field in counts), set()).add(field)
    # a count's header without its 数 names it too (集群 for 集群数, 企业 for 企业数), where no header is that word
    counted = {h[:-1]: fields for h, fields in shown.items() if len(h) > 2 and h.endswith("数") and h[:-1] not in shown}
    fields = shown.get(name) or counted.get(name, set())
    if len(fields) > 1:
        raise UsageProblem(
            _("'{name}' heads several fields here: {value}; name one").format(
                name=name[:40], value=list_sep().join(sorted(fields))
            )
        )
    return next(iter(fields), name)


def _no_field(written: str, known: list[str]) -> UsageProblem:
    """The usage error for a field no row has, as the user wrote its name."""
    return UsageProblem(
        _("no field '{name}' here; fields: {value}").format(name=written[:40], value=list_sep().join(known))
    )


def refuse_unknown_fields(opts: RowOptions, sample: dict[str, Any]) -> None:
    """shape_rows' usage error for a field no row has, told from one row of rows that all hold the same fields (a
    list's: views/listing.list_row) before the others are made (`list cities --sort nope` made 318,500 rows at 100
    times the shipped data to say so). Only where it is certain: each name given is a field of the row, or no
    field's header in any form (shape_rows reads it as itself, whichever columns the rows make counts); a header
    is left to the rows."""
    known = list(sample)
    typed = [*opts.fields, *([opts.sort] if opts.sort else [])]
    headers = set(HEADERS)
    if zh():  # each header a field may have in Chinese, as a count or not, and without its 数
        headers |= {h[:cut] for f in known for h in (header_of(f), header_of(f, True)) for cut in (None, -1)}
    if any(name not in known and name in headers for name in typed):
        return
    for name in typed:
        if name not in known:
            raise _no_field(name, known)


def shape_rows(rows: list[dict[str, Any]], opts: RowOptions, keep: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """The rows sorted, reversed, cut and narrowed as asked (narrowed to the fields and `keep`, which a table
    reads without showing: the Chinese name it names a row by); a field no row has is a usage error."""
    known = columns(rows)
    # the headers a table shows stand for their fields ("clusters" is cluster_count, "Chinese" name_zh), in the
    # run's language too (集群, 省会/首府)
    typed = [*opts.fields, *([opts.sort] if opts.sort else [])]  # as the user wrote them, for the error
    counts = counted_columns(rows) if zh() else set()
    opts.fields = [_field_named(f, known, counts) for f in opts.fields]
    if opts.sort:
        opts.sort = _field_named(opts.sort, known, counts)
    for name, written in zip([*opts.fields, *([opts.sort] if opts.sort else [])], typed, strict=True):
        if rows and name not in known:
            raise _no_field(written, known)
    out = list(rows)
    field = opts.sort
    if field:
        out = sorted_by_value(out, lambda r: r.get(field), opts.reverse)
    elif opts.reverse:
        out.reverse()
    if opts.limit is not None:
        out = out[: opts.limit]
    if opts.fields:
        out = [{f: r.get(f) for f in (*opts.fields, *(k for k in keep if k in r))} for r in out]
    return out


def rows_view(
    entity: str,
    rows: list[Any],
    fields: list[str],
    filters: dict[str, str] | None = None,
    notices: list[str] | None = None,
) -> dict[str, Any]:
    """A view printed as `list` prints its rows (table, CSV, JSON...), for rows that are not a kind's: the
    series, stats' figures, compare's matrix, or a view narrowed by --fields."""
    from .views import SCHEMA_VERSION

    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "list",
        "entity": entity,
        "filters": filters or {},
        "notices": notices or [],
        "count": len(rows),
        "rows": rows,
        "fields": fields,
    }


def apply_rows(view: dict[str, Any], rows_key: str, opts: RowOptions, keep: tuple[str, ...] = ()) -> str | None:
    """Shape a view's rows in place; `count` says how many are shown, `total` how many matched. The notice added
    to the view's, if any (amounts of several units or currencies sorted together: mixed_units)."""
    rows = view[rows_key]
    view.setdefault("total", len(rows))
    view[rows_key] = shape_rows(rows, opts, keep)
    if "count" in view:
        view["count"] = len(view[rows_key])
    if opts.fields:
        view["fields"] = opts.fields
    said = mixed_units(rows, opts.sort)
    if said:
        view["notices"] = [*view.get("notices", []), said]
    return said


# a sort of figures' amounts (each in its figure's own unit: base units of a currency, a percentage, a count)
# across units or currencies, said wherever it is used
MIXED = N_(
    "amounts are in each figure's own unit or currency, not converted: this order mixes {units} "
    "(compare within one; --fields unit,currency shows them)"
)


def mixed_units(rows: list[dict[str, Any]], field: str | None) -> str | None:
    """The notice that rows sorted by `amount` hold amounts of more than one unit or currency (a figure in US
    dollars stood among yuan by its number: US$40.78 billion between RMB 65 and 40 billion; a share of 50 percent
    among counts of firms), in English for the document and remembered as the run's language reads it; None
    otherwise."""
    if field != "amount":
        return None
    units = sorted(
        {
            str(r["currency"]) if r.get("unit") == "currency" and r.get("currency") else str(r.get("unit"))
            for r in rows
            if r.get("amount") is not None
        },
        key=lambda unit: (not unit.isupper(), unit),  # currencies first
    )
    if len(units) < 2:
        return None
    from .i18n import remember_line, value_word

    english = MIXED.format(units=", ".join(units))
    shown = [unit if unit.isupper() else value_word(unit) for unit in units]
    remember_line(english, _(MIXED).format(units=list_sep().join(shown)))
    return english
