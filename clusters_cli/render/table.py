"""Rich panels and tables for people: the renderer of each kind of view (the detail views' are in
render/detail.py), and `render_table`, which prints a view with its notices.

Every string from the knowledge base or the user goes in as `Text`, never as markup, so "[bold]" prints
literally. Styles come only from the render package.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group, RenderableType
from rich.text import Text

from ..i18n import _, list_sep, local_line, name_of, value_word, zh
from ..model import KINDS
from ..sanitize import clean_line
from ..values import km_text
from ..views.common import counts_line

if TYPE_CHECKING:
    from ..views.analysis_types import RankView
    from ..views.types import InfoView, ListView, NearView, SearchView

from .grid import Grid
from .listtable import ListTable, near_table
from .parts import (
    DIM,
    Lines,
    _identity,
    _section,
    _table,
    announcements,
    counts_text,
    held_text,
    kinds_title,
    point_text,
)

# the sections `list` lists (not the rows of search, near or rank narrowed by --fields)
LISTED_SECTIONS = frozenset(k.section for k in KINDS.values())


def _near(view: NearView) -> list[RenderableType]:
    o = view["origin"]
    km = km_text(view["km"])
    if o["kind"] == "point":
        place = point_text(o["lat"], o["lon"])
    else:
        place = name_of(o)
        if o.get("measured_from"):
            seat = (o.get("measured_from_zh") if zh() else None) or o["measured_from"]
            place += _(" (measured from {place})").format(place=seat)
    title = _("Within {km} km of {place}").format(km=km, place=place)
    if view["sector"]:
        title += f" · {name_of(view['sector'])}"
    out: list[RenderableType] = [Text(title, style="bold")]
    if view["rows"]:
        out.append(near_table(view["rows"]))
    else:
        out.append(Text(_("Nothing recorded within this radius; try a larger --km.")))
    if view["total"] > view["count"]:
        out.append(Text(more_rows(view["count"], view["total"]), style=DIM))
    out.append(Text(_(view["note"]), style=DIM))
    return out


def _rank(view: RankView) -> list[RenderableType]:
    out: list[RenderableType] = []
    level = kinds_title(view["level"])
    total = view.get("total", view["count"])
    shown = (
        _("{count} of {total}").format(count=f"{view['count']:,}", total=f"{total:,}")
        if total != view["count"]
        else f"{total:,}"
    )
    by = _("{level} by {sector} ({shown})").format(level=level, sector=name_of(view["sector"]), shown=shown)
    out.append(Text(by, style="bold"))
    if not view["rows"]:
        out.append(Text(_("No {level} hold clusters or parks of this sector.").format(level=_(view["level"]))))
    else:
        fields = view.get("fields") or ["rank", "name", "clusters", "companies", "parks", "figures"]
        out.append(ListTable({"rows": view["rows"], "fields": fields, "title": None}))
    out.append(Text(_(view["order"]), style=DIM))
    out.append(Text(counts_line(view["counted_from"]), style=DIM))
    return out


def _list(view: ListView) -> list[RenderableType]:
    out: list[RenderableType] = [ListTable(view)]
    if view.get("total", view["count"]) > view["count"] and view["entity"] in LISTED_SECTIONS:
        out.append(
            Text(
                _("showing {count} of {total}; use --limit to see more, or --format csv for every row").format(
                    count=f"{view['count']:,}", total=f"{view['total']:,}"
                ),
                style=DIM,
            )
        )
    if "counted_from" in view:  # places listed with their cluster counts: what the counts measure
        out.append(Text(counts_line(view["counted_from"]), style=DIM))
    return out


def _search(view: SearchView) -> list[RenderableType]:
    title = (_("1 result for '{query}'") if view["total"] == 1 else _("{total} results for '{query}'")).format(
        total=view["total"], query=view["query"]
    )
    out: list[RenderableType] = [
        ListTable({"rows": view["hits"], "fields": view.get("fields") or ["name", "kind", "why"], "title": title})
    ]
    if view["total"] > view["count"]:
        out.append(Text(more_rows(view["count"], view["total"]), style=DIM))
    return out


def more_rows(count: int, total: int) -> str:
    return _("showing {count} of {total}; use --limit to see more").format(count=count, total=total)


def _exchange_rate(fx: dict[str, float | None]) -> str:
    if fx["rmb_per_usd"] is None:
        return _("none given (a figure in US$ beside yuan needs one)")
    return _("{rate} RMB per US$ (checked within {tolerance})").format(
        rate=fx["rmb_per_usd"], tolerance=f"{fx['tolerance'] or 0:.0%}"
    )


def _title(item: Mapping[str, Any]) -> str:
    """A pack's title in the run's language: in Chinese where its meta gives one."""
    return str(item["title_zh"] if zh() and item.get("title_zh") else item["title"] or "")


def _info(view: InfoView) -> list[RenderableType]:
    rows = [
        (_("Tool version"), view["tool_version"]),
        (_("Knowledge base"), f"{_title(view)} v{view['kb_version']}"),
        (_("Data file"), clean_line(view["data_file"])),  # a path as the user named it: never a control character
        (_("Exchange rate"), _exchange_rate(view["exchange_rate"])),
        (_("Counts"), counts_text(view["counts"])),
    ]
    out: list[RenderableType] = [_identity("clusters", rows, view["description"])]
    out.append(_section(_("Packs"), len(view["packs"])))
    packs = _table(_("Pack"), _("Version"), _("Source"), _("Licence"), _("Entries"))
    for p in view["packs"]:
        source = p["source"] or {}
        where = ", ".join(x for x in (source.get("title"), source.get("vintage")) if x)
        version = "" if p.get("version") is None else str(p["version"])  # what a reader tells editions apart by
        packs.add_row(f"{_title(p)}\n{clean_line(p['file'])}", version, where, p["licence"], sum(p["counts"].values()))
    out.append(packs)
    if view["designations"]:
        from .designations import batches_text, issuer_of

        t = _table(_("Designation list"), _("Issuer"), _("Held"), _("By batch"))
        for d in view["designations"]:
            names = f"{d['name_zh']}\n{d['name']}" if zh() and d["name_zh"] else f"{d['name']}\n{d['name_zh']}"
            t.add_row(names, issuer_of(d), held_text(d), batches_text(d["batches"]))
        out += [_section(_("Designation lists"), len(view["designations"])), t]
    t = _table(_("Pack"), _("Sources"), _("Kinds"), _("Citing entries"))
    for row in view["source_summary"]:
        kinds = list_sep().join(_("{n} {kinds}").format(n=n, kinds=value_word(k)) for k, n in row["kinds"].items())
        t.add_row(_title(row), row["sources"], kinds, row["entries"])
    out += [_section(_("Sources"), len(view["sources"])), t]
    every = _(
        "Every source: clusters list sources (with --json or --format csv, each one's publisher, date and address)"
    )
    out.append(Text(every, style=DIM))
    return out


# One renderer per kind of view, all of one signature: (view, console) -> what to print. The console gives
# the width and whether colour and Unicode are there; no renderer prints.
Renderer = Callable[[Any, Console], list[RenderableType]]


def _plain(draw: Callable[[Any], list[RenderableType]]) -> Renderer:
    return lambda view, console: draw(view)


def _chart(name: str) -> Renderer:
    def draw(view: Any, console: Console) -> list[RenderableType]:
        from . import charts  # only the chart views load the chart code

        found: list[RenderableType] = getattr(charts, name)(view, console)
        return found

    return draw


RENDERERS: dict[str, Renderer] = {
    "list": _plain(_list),
    "search": _plain(_search),
    "info": _plain(_info),
    "near": _plain(_near),
    "rank": _plain(_rank),
    "map": _chart("render_map"),
    "stats": _chart("render_stats"),
    "compare": _chart("render_compare"),
}


def renderer(kind: str) -> Renderer:
    """The renderer of a view's kind: a detail view's from render/detail.py, read only by those views."""
    found = RENDERERS.get(kind)
    if found is None:
        from .detail import DETAIL_RENDERERS

        found = RENDERERS[kind] = _plain(DETAIL_RENDERERS[kind])
    return found


def render_table(view: Mapping[str, Any], console: Console) -> None:
    """Print a view for people: how its names were read, then what its renderer gives."""
    said = [Text(local_line(notice)) for notice in view.get("notices", [])]  # how its filters were read
    resolved = view.get("resolved") or view.get("origin", {}).get("resolved")
    said += announcements(resolved) if resolved else []
    for line in said:  # in Chinese, wrapped as its paragraphs are (a line ended with （ where Rich broke it)
        console.print(_wrapped_our_way(line) if zh() else line)
    for part in renderer(view["kind"])(view, console):
        # a table's lines are made to the width (grid.layout), and cut at it by the table where its columns
        # cannot narrow enough: Rich need not measure each one again to crop it (2 ms for 200 rows of Chinese names)
        console.print(_wrapped_our_way(part) if zh() else part, crop=not isinstance(part, (Grid, ListTable)))


def _wrapped_our_way(part: RenderableType) -> RenderableType:
    """A paragraph of one style, in Chinese, wrapped as the tables wrap (grid.wrap): a line never starts with
    ，。 nor ends with （, and a number keeps the unit after it (1 个), where Rich's own wrap breaks at any space."""
    if isinstance(part, Text) and not part.spans and not part.no_wrap and part.justify in (None, "default", "left"):
        return Lines([(part.plain, 0, str(part.style))])
    if isinstance(part, Group):  # compare's sections: each paragraph of it alike
        return Group(*map(_wrapped_our_way, part.renderables))
    return part
