"""The building blocks every terminal view shares: styles, wrapped lines, cluster and figure lists.

Every string from the knowledge base or the user goes in as `Text` or as a segment's text, never as
markup, so "[bold]" prints literally. Lists are wrapped here, by terminal cells (grid.wrap), and tables and
panels laid out by grid.py: Rich then only prints lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.segment import Segment
from rich.text import Text

from ..i18n import (
    _,
    list_sep,
    name_of,
    one_line,
    paren,
    remembered_zh,
    value_word,
    zh,
)
from ..model import place_order
from ..values import format_value_zh, when_text_zh
from .grid import Column, Grid, Panel, wrap

if TYPE_CHECKING:
    from rich.style import Style

    from ..views.types import ClusterRow, Resolved, StatisticRow

HEAD = "bold cyan"
DIM = "dim"


def _names(refs: Sequence[Mapping[str, Any]] | None) -> str:
    return list_sep().join(name_of(r) for r in refs or [])


def _name_zh(entity: Mapping[str, Any]) -> str:
    """'Anhui (安徽省)'; in Chinese, '安徽省 (Anhui)': the Chinese name first where the data has one."""
    chinese = entity.get("name_zh") or (remembered_zh(entity) if zh() else None)
    name = one_line(str(entity["name"]))
    if not chinese:
        return name
    chinese = one_line(str(chinese))
    return f"{chinese}{paren(name)}" if zh() else f"{name}{paren(chinese)}"


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
        head = (_name_zh(cl) if zh() else one_line(cl["name"])) + (
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


def announcements(resolved: Resolved) -> list[Text]:
    """What a person must know about how a query was read: a fuzzy replacement, other places of that name."""
    from ..views.notices import notice_lines

    return [
        Text(line, style="" if i == 0 and resolved["matched_by"] in ("slip", "prefix") else DIM)
        for i, line in enumerate(notice_lines(resolved, _))
    ]
