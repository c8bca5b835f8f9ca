"""The building blocks every terminal view shares: styles, wrapped lines, cluster and figure lists.

Every string from the knowledge base or the user goes in as `Text` or as a segment's text, never as
markup, so "[bold]" prints literally. Lists are wrapped here, by terminal cells (grid.wrap), and tables and
panels laid out by grid.py: Rich then only prints lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.text import Text

from ..i18n import (
    C_,
    N_,
    _,
    level_value,
    list_sep,
    local_line,
    name_of,
    paren,
    remembered_zh,
    value_word,
    zh,
)
from ..model import place_order
from ..rows import counted_columns, header_of
from ..values import chinese_date, format_value_zh, when_text_zh
from .grid import Column, Grid, Panel, wrap
from .namesakes import told_apart

if TYPE_CHECKING:
    from rich.style import Style

    from ..views.types import ClusterRow, ListView, NearRow, Resolved, StatisticRow

HEAD = "bold cyan"
DIM = "dim"


def _names(refs: Sequence[Mapping[str, Any]] | None) -> str:
    return list_sep().join(name_of(r) for r in refs or [])


def _name_zh(entity: Mapping[str, Any]) -> str:
    """'Anhui (安徽省)'; in Chinese, '安徽省 (Anhui)': the Chinese name first where the data has one."""
    chinese = entity.get("name_zh") or (remembered_zh(entity) if zh() else None)
    if not chinese:
        return str(entity["name"])
    return f"{chinese}{paren(entity['name'])}" if zh() else f"{entity['name']}{paren(chinese)}"


def _identity(title: str, rows: list[tuple[str, Any]], summary: str | None = None) -> Panel:
    """The framed panel at the head of a detail view: its rows without the empty ones."""
    return Panel(title, [(label, str(value)) for label, value in rows if value not in (None, "", [])], summary)


def _section(title: str, count: int | None = None) -> Text:
    suffix = paren(count) if count is not None else ""
    return Text(f"\n{title}{suffix}", style=HEAD)


def _table(*columns: str) -> Grid:
    """An empty table with these headers (rows are added with add_row)."""
    return Grid([Column(col) for col in columns], [])


def _where(cluster: ClusterRow) -> str:
    """Where a cluster lies, as its line shows it: its parks, else its cities, else its provinces, else its
    region; and a cluster the source places in several provinces by name names them all, since it is counted
    in each (Yangtze River Delta electronics, in Shanghai, is one of Anhui's clusters too)."""
    places = cluster["parks"] or cluster["cities"] or cluster["provinces"]
    if not places and cluster["region"]:
        places = [cluster["region"]]
    shown = _names(places)
    if places is not cluster["provinces"] and cluster["named_provinces"] and len(cluster["provinces"]) > 1:
        return _("{places}; provinces: {provinces}").format(places=shown, provinces=_names(cluster["provinces"]))
    return shown


class Lines:
    """Lines of (text, indent, style), wrapped by terminal cells and yielded as segments that Rich only
    prints: several times cheaper than Tables or Paddings of wrapped Text, and readable at any width."""

    def __init__(self, items: list[tuple[str, int, str]]) -> None:
        self.items = items

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, options.max_width)  # (a floor of 20 had Rich crop what a narrower terminal showed)
        newline = Segment.line()
        styles: dict[str, Style | None] = {"": None}
        for text, indent, style in self.items:
            if style not in styles:
                styles[style] = console.get_style(style)
            for line in wrap(text, width - indent):
                yield Segment(" " * indent + line, styles[style])
                yield newline


def clusters_table(clusters: list[ClusterRow], group_by_sector: bool = True) -> RenderableType:
    """Clusters under a heading per sector: name and place, then summary, specialties and source."""
    items: list[tuple[str, int, str]] = []
    last = None
    for cl in clusters:
        sector = name_of(cl["sector"])
        if group_by_sector and sector != last:
            items.append((f"▸ {sector}", 0, "bold"))
            last = sector
        head = (_name_zh(cl) if zh() else cl["name"]) + (
            paren(value_word(cl["status"])) if cl["status"] != "established" else ""
        )
        where = _where(cl)
        items.append((head + (f" · {where}" if where else ""), 2, "bold"))
        items.append((cl["summary"], 4, DIM))
        if cl["specialties"]:
            items.append((list_sep().join(cl["specialties"]), 4, ""))
        if cl["companies"]:
            items.append((_("Companies: ") + _names(cl["companies"]), 4, ""))
        items.append((_("Source: ") + cited(cl["provenance"]["text"]), 4, DIM))
    return Lines(items)


def stats_table(stats: list[StatisticRow]) -> RenderableType:
    """Each figure on a line of its own, value first, then what it measures, where, when and whose;
    `*` marks a year that is the article's, not the figure's."""
    items: list[tuple[str, int, str]] = []
    for st in stats:
        if zh():  # 2012年, 2025年预测: as stats, rank and cite write a figure's year in Chinese
            year = when_text_zh(dict(st), "年", sep="")
        else:
            year = str(st["period"] or st["year"]) + ("*" if st["year_basis"] == "publication" else "")
            if st["status"] != "actual":
                year += paren(value_word(st["status"]))
        items.append((shown_value(st), 0, "bold"))
        items.append((f"{st['metric']} · {scope_of(st)} · {year} · {st['source']['short_name']}", 2, ""))
        if st["note"]:  # where sources disagree, or what the figure is not
            items.append((_("Note: ") + st["note"], 2, DIM))
    return Lines(items)


# a source's date where a citation puts it, "(2024-10-17, article)": never a date the text of a title or of a
# `where` holds (data is shown as written)
_KINDS = "article|government|industry|press|report|news|secondary"
_ISO_DATE = rf"(?<=\()(\d{{4}})-(\d{{2}})-(\d{{2}})(?=, (?:{_KINDS})\))"
# a month a source gives without its day, where a citation puts a date: "(2025-10, news)" (never a span of
# years such as 2011-12 in a title)
_ISO_MONTH = rf"(?<=\()(\d{{4}})-(0[1-9]|1[0-2])(?=, (?:{_KINDS})\))"


def cited(text: str) -> str:
    """A source as a table cites it; in Chinese, its dates as Chinese writes them (2024-10-17: 2024年10月17日)
    and its kind in Chinese (news: 新闻)."""
    if not zh():
        return text
    # the patterns are compiled by re (and kept in its cache) on the first citation in Chinese: a table in
    # English never pays for them
    text = re.sub(_ISO_DATE, lambda m: f"{m[1]}年{int(m[2])}月{int(m[3])}日", text)
    text = re.sub(_ISO_MONTH, lambda m: f"{m[1]}年{int(m[2])}月", text)
    return re.sub(_SOURCE_KIND, lambda m: f"（{m[1] + '，' if m[1] else ''}{value_word(m[2])}）", text)


# a citation's date and source kind in its parentheses: "China Briefing (2024-10-17, article)", its date
# already in Chinese; in Chinese, full-width brackets after no space: China Briefing（2024年10月17日，文章）
_SOURCE_KIND = rf" ?\((?:([^()]*?), )?({_KINDS})\)"


def kinds_title(plural: str) -> str:
    """A table's title for entities of a kind ('Regions'); in Chinese the kind's word (区域), not the label of
    a field that lists them (所属区域)."""
    return _kinds_word(plural) or _(plural.capitalize())


def point_text(lat: float, lon: float) -> str:
    """A point as a person reads it, its hemispheres named: '31.2304°N 121.4737°E' (in Chinese, 北纬 and 东经
    before the degrees)."""
    north = (_("{v}°N") if lat >= 0 else _("{v}°S")).format(v=f"{abs(lat):.4f}")
    east = (_("{v}°E") if lon >= 0 else _("{v}°W")).format(v=f"{abs(lon):.4f}")
    return f"{north} {east}"


def counts_text(counts: Mapping[str, int]) -> str:
    """Counts by section ('597 sources, 6 designations, 1 company'), in Chinese with the kinds' words (597
    个来源)."""
    from ..model import kind_named

    def word(plural: str, n: int) -> str:
        one = kind_named(plural) if n == 1 else None  # '1 sources' read as a slip
        return _kinds_word(plural) or (one.name if one is not None else plural)

    return list_sep().join(_("{n} {kinds}").format(n=n, kinds=word(k, n)) for k, n in counts.items())


def _kinds_word(plural: str) -> str | None:
    """In Chinese, the word for a kind named by its plural ('regions': 区域); None in English or for a word
    that names no kind ('series')."""
    from ..i18n import kind_word
    from ..model import kind_named

    kind = kind_named(plural) if zh() else None
    return kind_word(kind.name) if kind is not None else None


def held_text(d: Mapping[str, Any]) -> str:
    """How much of a list is held: the view's words ('75 of 80 named'), or in Chinese 已收录 75 个（共 80 个）."""
    if not zh():
        return str(d["text"])
    from ..views.info import held_words

    template, values = held_words(d["held"], d["members"], d.get("batches") or [])
    return _(template).format(**values)


def bar_label(bar: Mapping[str, Any]) -> str:
    """A stats bar's label ('Anhui 2012', 'China: industry clusters in China'); in Chinese, its place by its
    Chinese name and a year as Chinese writes one (安徽省 2012年, 中国：industry clusters in China)."""
    label = str(bar["label"])
    if not zh() or not label.startswith(bar["scope_label"]):
        return label
    rest = label[len(bar["scope_label"]) :]
    year = re.fullmatch(r" (\d{4})(?:-(\d{4}))?", rest)  # a series' year, or its period: 2012年, 2020—2025年
    if year:
        return f"{scope_of(bar)} {year[1]}—{year[2]}年" if year[2] else f"{scope_of(bar)} {year[1]}年"
    return scope_of(bar) + ("：" + rest[2:] if rest.startswith(": ") else rest)


def scope_of(st: Mapping[str, Any]) -> str:
    """The place a figure describes, as the table names it: in Chinese, the most specific place's Chinese
    name (values.scope_label's order: park, city, province, region), or 中国 for China as a whole."""
    if not zh():
        return str(st["scope_label"])
    for kind in place_order():
        place = st["scope"].get(kind)
        if place:
            return name_of(place)
    if st.get("cluster"):  # a figure about a cluster that names no place: the cluster
        return name_of(st["cluster"])
    return _("China")


def shown_value(st: Mapping[str, Any]) -> str:
    """A figure's value as the table shows it: the view's English display, or in Chinese, in Chinese units
    (7000亿元以上, 4.67万亿元) from the same fields."""
    if not zh():
        return str(st["display"])
    return format_value_zh({k: v for k, v in st.items() if v is not None})


def _stats_footnote(stats: Iterable[Mapping[str, Any]]) -> Text | None:
    """The note on `*` under figures of which one's year is the publication's (views, lists, compare)."""
    if any(st.get("year_basis") == "publication" for st in stats):
        return Text(_("* the source gives no year; the year shown is that of its publication"), style=DIM)
    return None


def near_table(rows: list[NearRow]) -> ListTable:
    """Nearest first: the name, then distance and direction, kind and where, as the width allows."""

    shown = [{**r, "distance_km": f"{r['distance_km']:,.0f}"} for r in rows]
    return ListTable({"rows": shown, "fields": ["name", "distance_km", "bearing", "kind", "where"], "title": None})


def announcements(resolved: Resolved) -> list[Text]:
    """What a person must know about how a query was read: a fuzzy replacement, other places of that name."""
    from ..views.notices import notice_lines

    return [
        Text(line, style="" if i == 0 and resolved["matched_by"] in ("slip", "prefix") else DIM)
        for i, line in enumerate(notice_lines(resolved, _))
    ]


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
