"""The commands that read the whole knowledge base: stats and export (recorded in the same registry, after
the analyst's commands).

Split from analyst.py by size only; the same rules hold: one small function per command, a view to build, a
format to print.
"""

import os
from collections.abc import Mapping
from typing import Annotated, Any

import typer

from ..errors import UsageProblem
from ..i18n import _
from ..rows import RowOptions, rows_view
from .completion import (
    complete_export_format,
    complete_geo_layer,
    complete_series,
)
from .options import (
    DataOpt,
    ExactOpt,
    FieldsOpt,
    FormatOpt,
    JsonOpt,
    LimitOpt,
    NoColorOpt,
    NoShippedOpt,
    ReverseOpt,
    Settings,
    SortOpt,
    choose_format,
    named,
)
from .printing import build, emit
from .registry import command
from .runtime import say

# bars a `stats` chart shows per group (a series' first years, a unit's largest figures)
STATS_PAGE = 12


@command()
def stats(
    ctx: typer.Context,
    sector: Annotated[
        str | None,
        named("sector", _("Only this sector and its sub-sectors.")),
    ] = None,
    series: Annotated[
        str | None,
        typer.Option(
            "--series", metavar="ID", autocompletion=complete_series, help=_("Only one series (see `list series`).")
        ),
    ] = None,
    province: Annotated[
        str | None,
        named("province", _("Figures of this province.")),
    ] = None,
    region: Annotated[
        str | None,
        named("region", _("Figures of this region.")),
    ] = None,
    year: Annotated[
        str | None, typer.Option("--year", metavar="YEAR", help=_("Figures of this year or range (2021, 2015-2021)."))
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", metavar="STATUS", help=_("actual, forecast or target."))
    ] = None,
    json_out: JsonOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    sort: SortOpt = None,
    reverse: ReverseOpt = False,
    limit: LimitOpt = None,
    data: DataOpt = None,
    no_shipped: NoShippedOpt = False,
    no_color: NoColorOpt = False,
    exact: ExactOpt = False,
) -> None:
    """Statistics as labelled bar charts, grouped so that they compare (as rows with --format csv and the row
    options).

    \b
    Example: clusters stats --sector nev
             clusters stats --province Zhejiang --year 2020-2025
    """
    settings = Settings.of(ctx, data, no_shipped, no_color, exact)
    rows = RowOptions(fields, sort, reverse, limit)
    from ..views.stats import stats_view

    chosen = choose_format(json_out, fmt)
    # a chart for people shows each group's first STATS_PAGE bars (and says how many more); rows and JSON all, but
    # a page of rows in the groups' own order (--limit, not sorted): no bar past a group's first N stands in it
    page = rows.limit if rows.given and not (rows.sort or rows.reverse) else None
    per_group = STATS_PAGE if chosen == "table" and not rows.given else page
    said: list[str] = []  # the filters as a person reads them, for the message of an empty chart

    def ask(kb: Any) -> Any:
        from ..views.common import filters_said

        found = stats_view(kb, sector, series, province, region, year, status, per_group)
        said.append(filters_said(kb, dict(found["filters"])))
        return found

    view = build(settings, ask)
    empty = _("No statistics match {filters}").format(filters=said[0]) if said[0] else _("No statistics at all")
    if chosen in ("table", "json") and not rows.given:
        emit(settings, view, chosen, rows_key="groups", empty=empty)  # bars
        return
    # as rows: one per figure, for line tools and the row options
    bars: list[Any] = [bar for group in view["groups"] for bar in group["bars"]]
    flat = rows_view("statistics", bars, ["label", "display", "year", "source"], view["filters"], view["notices"])
    if page is not None:  # every group's figures matched, though only its first bars were made
        flat["total"] = sum(group.get("total", len(group["bars"])) for group in view["groups"])
    if chosen in ("csv", "tsv"):  # a cell holds a value, never JSON: a figure's place and source as columns,
        # made of the rows the row options shaped (whose fields are named as in --json: --fields id,scope)
        from ..rows import apply_rows

        apply_rows(flat, "rows", rows)
        flat["rows"] = [_bar_cells(bar) for bar in flat["rows"]]
        rows = RowOptions(None, None, False, None)
    emit(settings, flat, chosen, rows_key="rows", rows=rows, empty=empty)


def _bar_cells(bar: Mapping[str, Any]) -> dict[str, Any]:
    """A figure's row as CSV and TSV print it: its `scope` (the places and sector it describes) as two columns
    for each part, whether the rows shown hold one or not (scope_province_id, scope_province_name...), and its
    `provenance` as the line a table shows; each was one cell of JSON text."""
    out: dict[str, Any] = {}
    for key, value in bar.items():
        if key == "scope" and isinstance(value, Mapping):  # every part's two cells, whichever the rows hold
            for part, ref in value.items():
                out[f"scope_{part}_id"] = ref.get("id") if isinstance(ref, Mapping) else None
                out[f"scope_{part}_name"] = ref.get("name") if isinstance(ref, Mapping) else None
        elif key == "provenance" and isinstance(value, Mapping):
            out[key] = value.get("text")
        else:
            out[key] = value
    return out


@command()
def export(
    ctx: typer.Context,
    output: Annotated[str, typer.Option("--output", "-o", metavar="PATH", help=_("File (folder for csv) to write."))],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="json|csv|geojson|sqlite|xlsx",
            autocompletion=complete_export_format,
            help=_("json, csv (a folder of files), geojson, sqlite or xlsx; by default from the extension of -o."),
            show_default=False,
        ),
    ] = None,
    layer: Annotated[
        list[str] | None,
        typer.Option(
            "--layer",
            metavar="LAYER",
            autocompletion=complete_geo_layer,
            help=_("GeoJSON only: places, parks, companies, clusters or provinces (repeatable; default: all)."),
        ),
    ] = None,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    no_shipped: NoShippedOpt = False,
    no_color: NoColorOpt = False,
    exact: ExactOpt = False,
) -> None:
    """The whole knowledge base for other tools: spreadsheets, pandas, GIS, sqlite3, datasette.

    \b
    Example: clusters export -o clusters.db
             clusters export --format geojson -o clusters.geojson
             clusters export -o clusters.geojson --layer clusters
             clusters export -o clusters.xlsx
    """
    settings = Settings.of(ctx, data, no_shipped, no_color, exact)
    from ..views.export import export_format
    from .files import export as run_export

    if not output.strip():  # Path("") is the current folder, where a CSV export would have gone
        raise UsageProblem(_("-o needs a path (a folder for csv, a file otherwise; - for standard output)"))
    chosen = export_format(fmt, output)
    if json_out and output.strip() == "-":  # standard output holds one document: the export itself
        raise UsageProblem(
            _("--json reports the files written, and -o - writes the export itself to standard output: drop --json")
        )
    report = build(settings, lambda kb: run_export(kb, chosen, output, layer))
    if json_out:
        emit(settings, report, "json")
        return
    total = sum(report["counts"].values())
    files = report["files"]
    if len(files) == 1:
        where = _("standard output") if files[0] == "-" else files[0]
    else:
        where = _("{n} files in {folder}").format(n=len(files), folder=os.path.dirname(files[0]) or os.curdir)
    said = (  # a GeoJSON export holds the features of its layers, not every entry
        _("exported {total} features as {format} to {where}")
        if report["format"] == "geojson"
        else _("exported {total} entries as {format} to {where}")
    )
    say(said.format(total=total, format=report["format"], where=where))
