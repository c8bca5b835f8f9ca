"""Terminal renderers for compare, map and stats (Rich, data as Text only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.console import Console, Group, RenderableType
from rich.text import Text

from ..i18n import C_, _, kind_word, list_sep, name_of, paren, zh
from ..values import number_text, when_text, when_text_zh
from ..views.common import counts_line
from .grid import Cell, Column, Grid
from .parts import DIM, _section, _stats_footnote, bar_label, clusters_table, scope_of, shown_value

if TYPE_CHECKING:
    from ..views.analysis_types import Bar, CompareView, MapView, StatsView, Tile

# the divisions off the map's grid that hold none, named on one line: this many, then how many more
OFF_GRID_NAMED = 10

# background shades for 0, then 1..4 levels of cluster density (every name must parse in Rich:
# an unknown one silently leaves the tile unshaded; tests parse them all)
SHADES = ["grey30", "turquoise4", "dark_cyan", "dark_turquoise", "turquoise2"]
SCALE_SHORT = {"thousand": "k", "million": "m", "billion": "bn", "trillion": "tn"}
QUALIFIER_SHORT = {"exact": "", "over": ">", "approximately": "~", "nearly": "<~", "up_to": "≤"}


def _short_value(bar: Bar) -> str:
    q = QUALIFIER_SHORT[bar["qualifier"]]
    value = number_text(bar["value"])
    if bar["unit"] == "currency":
        symbol = "US$" if bar["currency"] == "USD" else "RMB "
        return f"{q}{symbol}{value}{SCALE_SHORT.get(bar['scale'] or '', '')}"
    if bar["unit"] == "percent":
        return f"{q}{value}%"
    if bar["unit"] == "rank":
        return f"No. {value}"
    return f"{q}{value}{SCALE_SHORT.get(bar['scale'] or '', '')}"  # 1.2m people, as RMB 1.2bn


def _bar(fraction: float, width: int, ascii_only: bool) -> str:
    if ascii_only:
        return "#" * round(fraction * width)
    eighths = round(max(0.0, min(1.0, fraction)) * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[part]


def render_map(view: MapView, console: Console) -> list[RenderableType]:
    from .parts import announcements

    out: list[RenderableType] = [*(announcements(view["sector"]) if view["sector"] else [])]
    tiles = view["tiles"]
    rows = 1 + max((t["row"] for t in tiles), default=0)
    cols = 1 + max((t["col"] for t in tiles), default=0)
    grid: dict[tuple[int, int], Tile] = {(t["row"], t["col"]): t for t in tiles}
    from .svg import map_title  # the drawn map's module (its outlines, HTML escaping), read for a map alone

    out.append(Text(map_title(view), style="bold"))
    width = 7
    if cols * (width + 1) > console.width:  # too narrow for the grid: a compact list, most clusters first
        for t in sorted(tiles + view["unplaced"], key=lambda t: (-t["clusters"], t["name"])):
            n = t["clusters"]
            entry = Text(f"{t['code']} {t['abbr']} ", style=f"bold white on {SHADES[t['level']]}" if n else DIM)
            entry.append(f" {name_of(t)} ", style="" if n else DIM)
            entry.append(str(n) if n else "·", style="bold" if n else DIM)
            out.append(entry)
        out.append(Text(_(view["note"]), style=DIM))
        out.append(Text(counts_line(view["counted_from"]), style=DIM))
        return out
    for r in range(rows):
        for line in (0, 1):
            text = Text()
            for c in range(cols):
                tile = grid.get((r, c))
                if tile is None:
                    text.append(" " * (width + 1))
                    continue
                n = tile["clusters"]
                cell = f" {tile['code']} {n if n else '·':>2} " if line == 0 else " " + tile["abbr"]
                cell = set_cell_size(cell, width)
                style = f"bold white on {SHADES[tile['level']]}" if n else DIM
                text.append(cell, style=style)
                text.append(" ")
            out.append(text)
    marked = sorted((t for t in tiles + view["unplaced"] if t["clusters"]), key=lambda t: (-t["clusters"], t["name"]))
    legend = Text("\n" + _("Number: clusters in the division; · none. "), style=DIM)
    if console.color_system:
        legend.append(_("Darker tiles hold fewer, brighter more."), style=DIM)
    out.append(legend)
    if marked:
        out.append(
            Text("\n".join(_legend_lines([f"{t['code']} {name_of(t)} {t['clusters']}" for t in marked], console)))
        )
    if view["unplaced"]:  # one text of a line each: printed at once, however many divisions a pack adds
        off_grid = [
            _("(not on the grid: {name} {count})").format(name=name_of(t), count=t["clusters"])
            for t in view["unplaced"]
            if t["clusters"]
        ]
        # those holding none on one line, ten named: a pack of 3,000 divisions off the grid printed 3,000 lines
        # of zeros (the JSON lists every one)
        empty = [name_of(t) for t in view["unplaced"] if not t["clusters"]]
        if empty:
            names = list_sep().join(empty[:OFF_GRID_NAMED])
            if len(empty) > OFF_GRID_NAMED:
                names = _("{names} and {more} more").format(names=names, more=f"{len(empty) - OFF_GRID_NAMED:,}")
            off_grid.append(_("(not on the grid, holding none: {names})").format(names=names))
        out.append(Text("\n".join(off_grid), style=DIM))
    out.append(Text(_(view["note"]), style=DIM))
    out.append(Text(counts_line(view["counted_from"]), style=DIM))
    return out


# the titles of groups of figures whose word alone names the things (views/stats.UNIT_TITLES), in their context
C_("figures", "Clusters")
C_("figures", "Cities")


def _legend_lines(entries: list[str], console: Console) -> list[str]:
    """The entries parted by ` · `, a line broken only between two (`SN Shaanxi 7` never parts its code, name
    and count, nor 陕西省 from its count); an entry wider than the console alone on its line, for Rich to wrap."""
    lines: list[str] = []
    for entry in entries:
        if lines and cell_len(lines[-1]) + cell_len(" · " + entry) <= console.width:
            lines[-1] += " · " + entry
        else:
            lines.append(entry)
    return lines


def render_stats(view: StatsView, console: Console) -> list[RenderableType]:
    out: list[RenderableType] = []
    ascii_only = not (console.encoding or "").lower().startswith("utf")
    bar_width = 22 if console.width >= 80 else max(6, console.width // 5)
    if not view["groups"]:
        out.append(Text(_("No statistics match.")))
    for group in view["groups"]:
        # a group of figures counting clusters or cities is headed as a count, as 企业数 and 园区数 are: 集群数
        out.append(_section(C_("figures", group["title"]), group.get("total", len(group["bars"]))))
        columns = [
            Column(max_width=30),
            Column(no_wrap=True, min_width=bar_width + 1),
            Column(no_wrap=True, style="bold"),
            Column(style=DIM),
        ]
        top = group["max_amount"] or 1
        # a bar compares: not for ranks, and not for a group of one (it would always be full)
        drawn = group["unit"] != "rank" and len(group["bars"]) > 1
        rows: list[list[Cell]] = []
        for bar in group["bars"]:
            # 2012*, 2025 forecast; in Chinese 2012年, 2025年预测, as rank's and cite's lines write a year
            year = when_text_zh(dict(bar), "年", sep="") if zh() else when_text(dict(bar), sep=" ")
            rows.append(
                [
                    bar_label(bar),
                    (_bar(bar["amount"] / top, bar_width, ascii_only) if drawn else "", "cyan"),
                    # the yuan alone, as the English RMB 4.67tn: the dollars beside them took the label's room
                    shown_value({k: v for k, v in bar.items() if not k.startswith("usd_")})
                    if zh()
                    else _short_value(bar),
                    year + _(", ") + bar["source"]["short_name"],
                ]
            )
        table = Grid(columns, rows, header=False)
        out.append(table)
        if group.get("total", 0) > len(group["bars"]):
            more = group["total"] - len(group["bars"])
            out.append(
                Text(
                    _("and {more} more: --format csv or --json lists every figure").format(more=f"{more:,}"), style=DIM
                )
            )
    if any(b["year_basis"] == "publication" for g in view["groups"] for b in g["bars"]):
        out.append(Text("\n" + _("* the source gives no year; the year shown is that of its publication"), style=DIM))
    return out


def render_compare(view: CompareView, console: Console) -> list[RenderableType]:
    out: list[RenderableType] = []
    from .parts import announcements

    items = view["items"]
    for item in items:
        for line in announcements(item["resolved"]):
            out.append(line)
    label = _("Sector") if view["mode"] == "places" else _("Province")
    rows: list[list[Cell]] = []
    for row in view["matrix"]:
        head = row["sector"] if view["mode"] == "places" else row["province"]
        rows.append([name_of(head), *((f"● {n}", "bold") if n else ("·", DIM) for n in row["counts"])])
    rows.append([(_("all clusters"), "bold"), *((str(it["cluster_count"]), "bold") for it in items)])
    heads = [name_of(it) for it in items]
    matrix = Grid(
        [Column(label), *(Column(n, justify="center", max_width=14) for n in heads)],
        rows,
        title=_("Clusters side by side"),
    )
    parts: list[RenderableType] = [matrix]
    if not matrix.words_fit(console.width):
        # too narrow for the names over the columns without cutting a word in two (Guangdon/g): the columns are
        # numbered, and a line under the matrix names each number
        numbers = [str(at) for at in range(1, len(items) + 1)]
        matrix.columns = [Column(label), *(Column(n, justify="center") for n in numbers)]
        parts.append(Text(" · ".join(f"{n} {head}" for n, head in zip(numbers, heads, strict=True)), style=DIM))
    for it in items:
        parts.append(_section(name_of(it) + paren(kind_word(it["kind"]))))
        if it["clusters"]:
            parts.append(clusters_table(it["clusters"], group_by_sector=view["mode"] == "places"))
        else:
            parts.append(Text(_("No clusters recorded."), style=DIM))
        if it["companies"]:
            names = list_sep().join(name_of(c) for c in it["companies"])
            parts.append(Text(_("Companies: {names}").format(names=names)))
        for st in it["statistics"]:
            line = Text("• ")
            line.append(shown_value(st) if zh() else st["display"], style="bold")
            # its year as every line gives it: 2024* where it is the publication's, a forecast said so
            when = when_text_zh(dict(st), "年", sep="") if zh() else when_text(dict(st))
            line.append("  " + st["metric"] + _(", ") + f"{scope_of(st)} {when}", style="")
            line.append(paren(st["source"]["short_name"]), style=DIM)
            parts.append(line)
    note = _stats_footnote(st for it in items for st in it["statistics"])
    if note is not None:
        parts.append(note)
    parts.append(Text(counts_line(view["counted_from"]), style=DIM))
    return [*out, Group(*parts)]
