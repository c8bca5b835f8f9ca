"""The table of a list's rows (`list`, and search's, near's and rank's rows, compare's and --fields'): the
columns that fit the width, each cell worded for the run's language. render/parts.py holds what it shares with
the other terminal views."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from ..i18n import C_, N_, _, level_value, list_sep, local_line, name_of, one_line, paren, value_word, zh
from ..rows import counted_columns, header_of
from ..values import chinese_date
from .grid import Column, Grid
from .namesakes import told_apart
from .parts import DIM, _stats_footnote, bar_label, kinds_title, scope_of, shown_value

if TYPE_CHECKING:
    from ..views.types import ListView, NearRow

_MAX_CELL = 36
# the column headers a table shows (rows.header_of), marked for the catalog (shown through _() in Chinese)
_HEADER_WORDS = (
    N_("clusters"), N_("Chinese"), N_("macro-region"), N_("km"), N_("dir"), N_("why it matched"), N_("name"),
    N_("abbr"), N_("capital"), N_("city"), N_("code"), N_("display"), N_("headquarters"), N_("held"),
    N_("issuer"), N_("kind"), N_("members"), N_("parent"), N_("province"), N_("provinces"), N_("published"),
    N_("publisher"), N_("scope"), N_("sector"), N_("sectors"), N_("status"), N_("year"), N_("level"),
    N_("prefecture"), N_("companies"), N_("parks"), N_("figures"), N_("label"), N_("source"), N_("synonyms"),
    N_("aliases"), N_("score"), N_("metric"), N_("unit"), N_("value"), N_("where"), N_("English name"),
    N_("id"), N_("years"), N_("total"), N_("rank"), N_("cluster names"), N_("bearing"), N_("distance km"),
    N_("measured from"), N_("lat"), N_("lon"), N_("bases"), N_("designations"), N_("address"), N_("cited in"),
    N_("issuer zh"), N_("complete"), N_("where zh"), N_("measured from zh"), N_("bearing deg"), N_("scale"),
    N_("amount"), N_("usd value"), N_("usd scale"), N_("amount usd"), N_("qualifier"), N_("year basis"),
    N_("period"), N_("scope zh"), N_("note"), N_("provenance"), N_("scope label"),
)  # fmt: skip
# the headers of a column of counts, where the same field of another table lists what is counted (rank's
# companies, 企业数; a cluster's companies, 企业)
C_("count", "clusters")
C_("count", "companies")
C_("count", "parks")
C_("count", "cities")
# the titles of tables of rows that are not a kind's list (`list series`, compare's and --fields' rows)
_TITLE_WORDS = (
    N_("Series"), N_("Comparison"), N_("Divisions"), N_("Search results"), N_("Near results"), N_("Rank results")
)  # fmt: skip


def _cell(row: Mapping[str, Any], col: str, shown: Any) -> str:
    """A row's cell: a kind in words; in Chinese, the Chinese name first where the row has one (and the
    English name where the Chinese one would be), references by their Chinese names."""
    value = row.get(col)
    if col in ("kind", "status", "unit") and isinstance(value, str):
        return value_word(value)
    if col == "level" and isinstance(value, str):
        return level_value(value)
    if col == "year" and "year_basis" in row and value is not None:  # a figure's year, as every view writes it:
        year = f"{value}年" if zh() else str(value)  # 2012年 in Chinese
        return year + ("*" if row["year_basis"] == "publication" else "")  # the source's year starred
    if col == "where" and "measured_from" in row:  # a near row: the city it is counted at, and whose seat
        return _near_where(row)
    if col == "bearing" and isinstance(value, str):  # N, NE...: 北, 东北... in Chinese
        return _(value)
    if col == "scope" and "scope_label" in row:  # a figure's place (in Chinese, by its Chinese name)
        return scope_of(row)
    if zh():
        if col == "published" and isinstance(value, str):  # a source's date as Chinese writes it
            return chinese_date(value)
        if col == "why" and isinstance(value, str):
            return _why(value)
        if col == "display" and "value" in row and "unit" in row:  # a figure: in Chinese units
            return shown_value(row)
        if col == "label" and "scope_label" in row:  # a stats bar's label, its place in Chinese
            return bar_label(row)
        if col == "years" and isinstance(value, list) and value and all(isinstance(y, int) for y in value):
            return "、".join(f"{y}年" for y in value)  # a series' years: 2012年、2021年
        if col == "measured_from" and row.get("measured_from_zh"):
            return str(row["measured_from_zh"])
        if col == "scope" and "scope_zh" in row:  # a list of figures: the place's Chinese name, China 中国
            return str(row["scope_zh"] or (_("China") if row["scope"] == "China" else row["scope"]))
        if col == "issuer" and row.get("issuer_zh"):
            return str(row["issuer_zh"])
        if col == "name" and row.get("name_zh"):
            return str(row["name_zh"])
        if col == "name_zh" and row.get("name_zh"):
            return str(row.get("name") or "")
        if isinstance(value, dict) and "name" in value:
            return name_of(value)
        if isinstance(value, list) and value and all(isinstance(v, dict) and "name" in v for v in value):
            return "、".join(name_of(v) for v in value)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return str(shown([local_line(v) for v in value]))  # lines a view words in Chinese for the screen
    return str(shown(value))


def _near_where(row: Mapping[str, Any]) -> str:
    """Where a near row is counted: its city, and the city whose seat stands in where it has none on record
    ('Guangming (Shenzhen's seat)'); in Chinese, by their Chinese names."""
    city = (row.get("where_zh") if zh() else None) or row.get("where") or ""
    if not row.get("measured_from"):
        return str(city)
    seat = (row.get("measured_from_zh") if zh() else None) or row["measured_from"]
    return _("{city} ({seat}'s seat)").format(city=city, seat=seat)


def _why(text: str) -> str:
    """Why a search hit matched ("sector: Offshore wind; name"), its labels in Chinese."""
    from ..model import SEARCH_LABELS

    parts = []
    for part in text.split("; "):
        label, sep, rest = part.partition(": ")
        if label in SEARCH_LABELS:
            parts.append(_(label) + ("：" + rest if sep else ""))
        else:
            parts.append(part)
    return "；".join(parts)


def _longest_word(text: str) -> int:
    """The cells of the longest word of a cell's text (a line of it breaks there only where it must)."""
    return max((cell_len(word) for word in text.split()), default=0)


class ListTable:
    """A `list` table that fits the width it is given: the model's columns in their order of priority,
    each as wide as its widest cell (capped), the name first and always; later columns are left out
    when they do not fit rather than squeezing every column into a letter per line."""

    def __init__(self, view: ListView | Mapping[str, Any]) -> None:
        self.view = view  # a list view, or any rows with "fields" and a "title" (None: no title line)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from ..flatten import shown
        from ..model import by_section

        view = self.view
        rows = view["rows"]
        if "title" not in view:
            # the filters by name, as the list command words them; else as the document holds them
            filters = view.get("filters_shown") or ", ".join(f"{k}={v}" for k, v in view["filters"].items())
            total = view.get("total", len(rows))
            # counts as the note under the table writes them (3,185)
            count = (
                _("{count} of {total}").format(count=f"{len(rows):,}", total=f"{total:,}")
                if total != len(rows)
                else f"{total:,}"
            )
            entity = kinds_title(view["entity"])
            yield Text(entity + paren(count) + (f" · {filters}" if filters else ""), style="bold")
        elif view["title"]:
            yield Text(view["title"], style="bold")
        columns: Sequence[str] = view.get("fields") or by_section(view["entity"]).list_columns
        cells = {col: [_cell(r, col, shown) for r in rows] for col in columns}
        for col in ("name", "name_zh"):  # a name on one line: a line break a pack put in one read as a new row
            if col in cells:
                cells[col] = [one_line(c) for c in cells[col]]
        if "name" in cells:
            cells["name"] = told_apart(rows, cells["name"])
        chosen: list[tuple[str, str, int]] = []
        used = 0
        # columns a person named (--fields) are shown wrapped at their words where they fit so, not left out
        # for want of their whole width (what fits is judged by each column's longest word)
        asked = bool(view.get("fields_chosen"))
        counts = counted_columns(rows) if zh() else set()
        for col in columns:
            header = header_of(col, col in counts)
            width = min(_MAX_CELL, max([cell_len(header), *(cell_len(c) for c in cells[col])]))
            least = min(width, max(_longest_word(text) for text in [header, *cells[col]])) if asked else width
            if chosen and used + least + 2 > options.max_width:
                continue
            chosen.append((col, header, width))
            used += least + 2
        grid: list[Column] = []
        for i, (_field, header, width) in enumerate(chosen):
            room = options.max_width - (used - width - 2) if i == 0 else width
            grid.append(Column(header, max_width=max(8, min(width, room))))
        yield Grid(grid, ([cells[col][i] for col, _, _ in chosen] for i in range(len(rows))))
        note = _stats_footnote(rows) if any(col == "year" for col, _h, _w in chosen) else None
        if note is not None:
            yield note
        left_out = [header_of(c, c in counts) for c in columns if c not in {k for k, _w, _h in chosen}]
        if left_out and rows:
            said = (
                _("Not shown at this width: {columns} (--json or a wider terminal)")
                if view.get("fields_chosen")
                else _("Not shown at this width: {columns} (--fields, --json or a wider terminal)")
            )
            yield Text(said.format(columns=list_sep().join(left_out)), style=DIM)


def near_table(rows: list[NearRow]) -> ListTable:
    """Nearest first: the name, then distance and direction, kind and where, as the width allows."""

    shown = [{**r, "distance_km": f"{r['distance_km']:,.0f}"} for r in rows]
    return ListTable({"rows": shown, "fields": ["name", "distance_km", "bearing", "kind", "where"], "title": None})
