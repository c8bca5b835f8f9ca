"""The analyst's commands: near, cite, compare, map and rank (recorded in the same registry).

Split from commands.py by size only; the same rules hold: one small function per command, a view to
build, a format to print.
"""

import os
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageProblem
from ..i18n import _, kind_word, list_sep, name_of, zh
from ..paths import same_file
from ..rows import RowOptions, rows_view
from .completion import (
    complete,
    complete_places,
    complete_rank_level,
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
from .printing import announce, build, emit
from .registry import command
from .runtime import say

if TYPE_CHECKING:
    from .files import MapTarget


@command()
def near(
    ctx: typer.Context,
    place: Annotated[
        str | None,
        typer.Argument(
            metavar="[PLACE]",
            autocompletion=complete("city"),
            help=_("A city (any of China's), a province (its capital) or a park."),
            show_default=False,
        ),
    ] = None,
    km: Annotated[float, typer.Option("--km", metavar="KM", help=_("Radius in kilometres."))] = 200.0,
    at: Annotated[
        str | None, typer.Option("--at", metavar="LAT,LON", help=_("A point (WGS84 degrees) instead of a place."))
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option(
            "--kind", "-k", metavar="KIND", help=_("Only this kind (repeatable): cluster, park, company, city.")
        ),
    ] = None,
    sector: Annotated[
        str | None,
        named("sector", _("Only those of this sector.")),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=10000, metavar="N", help=_("At most this many rows."))
    ] = 30,
    json_out: JsonOpt = False,
    fmt: FormatOpt = None,
    fields: FieldsOpt = None,
    sort: SortOpt = None,
    reverse: ReverseOpt = False,
    data: DataOpt = None,
    no_shipped: NoShippedOpt = False,
    no_color: NoColorOpt = False,
    exact: ExactOpt = False,
) -> None:
    """What lies within reach: clusters, parks, companies and cities, nearest first, with distance and bearing.

    \b
    Example: clusters near Suzhou --km 100
             clusters near --at 31.3,120.6 --kind cluster --sector semiconductors
    """
    settings = Settings.of(ctx, data, no_shipped, no_color, exact)
    rows = RowOptions(fields, sort, reverse, None)
    from ..errors import UsageProblem
    from ..model import kind_named
    from ..values import km_text
    from ..views.near import NEAR_KINDS, near_view, page_end

    kinds = []
    for word in kind or []:
        found = kind_named(word)
        if found is None or found.name not in NEAR_KINDS:
            raise UsageProblem(
                _("unknown --kind '{value}'; choose from: {value2}").format(
                    value=word.strip()[:40], value2=list_sep().join(NEAR_KINDS)
                )
            )
        kinds.append(found.name)
    chosen = choose_format(json_out, fmt)
    # with --sort, everything within reach is sorted before --limit cuts; but by distance, nearest first, as it is,
    # the farthest first, by name, and reversed alone (its last rows), which near makes itself (at 100 times the
    # shipped data `near Hefei --km 2000 --sort distance_km --reverse --limit 3` read the 145,200 entities within
    # reach: 5.1 s and 620 MB)
    end = page_end(rows)
    gathered = rows.gather(limit, ("distance_km", False))
    page = gathered if end == "nearest" else limit
    view = build(settings, lambda kb: near_view(kb, place, at, km, kinds, sector, page, end))
    # an empty answer exits 1, as every other command's does
    emit(
        settings,
        view,
        chosen,
        rows_key="rows",
        rows=rows,
        empty=(
            _("Nothing of the kind or sector asked lies within {km} km; try a larger --km or fewer filters")
            if kinds or sector is not None
            else _("Nothing recorded within {km} km; try a larger --km")
        ).format(km=km_text(km)),
    )


@command()
def cite(
    ctx: typer.Context,
    statistic: Annotated[
        str,
        typer.Argument(
            metavar="STATISTIC_ID",
            autocompletion=complete("statistic"),
            help=_("A statistic's id (see `clusters list statistics`)."),
        ),
    ],
    style: Annotated[
        str | None,
        typer.Option(
            "--format", "-f", metavar="plain|bibtex|csl-json|gbt7714|json", help=_("Citation format (default: plain).")
        ),
    ] = None,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    no_shipped: NoShippedOpt = False,
    no_color: NoColorOpt = False,
    exact: ExactOpt = False,
) -> None:
    """A citation of one figure: its original source and the article that reports it, and where.

    \b
    Example: clusters cite guangdong-electronics-revenue-2022
             clusters cite anhui-pv-revenue-2021 --format bibtex
    """
    settings = Settings.of(ctx, data, no_shipped, no_color, exact)
    import json
    import sys

    from ..errors import UsageProblem
    from ..views.cite import CITE_FORMATS, cite_view

    chosen = "plain" if style is None else style.strip().lower()  # --format '' is no format, as every command says
    if json_out and style is not None and chosen != "json":  # as every command refuses both (a bibtex asked
        # for was JSON, silently)
        raise UsageProblem(_("--json and --format cannot both be given"))
    if chosen == "json":  # as every command takes it
        json_out, chosen = True, "plain"
    if chosen not in CITE_FORMATS:
        from ..slips import closest

        choices = [*CITE_FORMATS, "json"]
        said = _("--format '{style}' is not one of: {value}").format(
            style=(style or "")[:40], value=list_sep().join(choices)
        )
        close = closest(chosen, choices, cutoff=0.5)  # bibtx, and csl and gbt, shorter than what they start
        raise UsageProblem(said + (_("; did you mean {close}?").format(close=close) if close else ""))
    view = build(settings, lambda kb: cite_view(kb, statistic))
    if json_out:
        emit(settings, view, "json")
        return
    announce(view)  # a citation is text to paste: how the id was read goes to stderr, as with --format
    if chosen == "csl-json":
        sys.stdout.write(json.dumps(view["csl_json"], ensure_ascii=False, indent=2) + "\n")
    else:
        from ..i18n import zh

        plain = view["plain_zh"] if zh() else view["plain"]
        chosen_text = {"bibtex": view["bibtex"], "gbt7714": view["gbt7714"]}.get(chosen, plain)
        sys.stdout.write(chosen_text + "\n")


@command()
def compare(
    ctx: typer.Context,
    places: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[PLACE]...",
            autocompletion=complete_places,
            help=_("2 to 6 provinces, regions or cities."),
            show_default=False,
        ),
    ] = None,
    sector: Annotated[
        list[str] | None,
        named("sector", _("Compare sectors instead (give 2 to 6).")),
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
    """Places or sectors side by side: a presence matrix, clusters, companies, statistics.

    \b
    Example: clusters compare Anhui Jiangsu PRD
             clusters compare --sector wind --sector solar
    """
    settings = Settings.of(ctx, data, no_shipped, no_color, exact)
    rows = RowOptions(fields, sort, reverse, limit)
    from ..views.compare import compare_view

    chosen = choose_format(json_out, fmt)
    view = build(settings, lambda kb: compare_view(kb, places or [], sector or []))
    if chosen in ("table", "json") and not rows.given:
        emit(settings, view, chosen)  # the side-by-side view
        return
    # as rows: the presence matrix, one row per sector (or province), a column per item compared; how each
    # name was read is said first (the rows hold no `resolved`)
    announce(view)
    key = "sector" if view["mode"] == "places" else "province"
    plain = [item["name"] for item in view["items"]]
    # two places of one name (苏州 and 宿州 are both Suzhou) keep two columns: the id tells them apart
    names = [n if plain.count(n) == 1 else f"{n} ({item['id']})" for n, item in zip(plain, view["items"], strict=True)]
    matrix = [
        {key: row[key], **dict(zip(names, row["counts"], strict=True)), "total": sum(row["counts"])}  # type: ignore[literal-required]
        for row in view["matrix"]
    ]
    emit(settings, rows_view("comparison", matrix, [key, *names, "total"]), chosen, rows_key="rows", rows=rows)


def _check_map_outputs(svg: str | None, html: str | None, *, drawn: bool, printed: bool) -> None:
    """What `map` is asked to write makes sense, or a usage error says why: a file name for each picture, two
    pictures in two places, and a picture or the data, not both (each was quietly one or the other)."""
    if any(p is not None and not p.strip() for p in (svg, html)):
        raise UsageProblem(_("--svg and --html need a file name (or - for standard output)"))
    if svg is not None and html is not None:
        one = svg.strip() == html.strip() == "-" or (
            svg.strip() != "-" and os.path.abspath(svg) == os.path.abspath(html)
        )
        if one or same_file(svg, html):
            raise UsageProblem(_("--svg and --html name the same place; give each its own file"))
    if drawn and printed:
        raise UsageProblem(
            _(
                "--svg, --html and --open draw the map, and --json, --format and the row options print its data: "
                "ask for one at a time"
            )
        )


@command("map")
def map_(
    ctx: typer.Context,
    sector: Annotated[
        str | None,
        typer.Argument(
            metavar="[SECTOR]",
            autocompletion=complete("sector"),
            help=_("Mark the divisions holding this sector's clusters."),
            show_default=False,
        ),
    ] = None,
    svg: Annotated[str | None, typer.Option("--svg", metavar="FILE", help=_("Write the map as SVG."))] = None,
    html: Annotated[
        str | None,
        typer.Option("--html", metavar="FILE", help=_("Write the map as one self-contained HTML page.")),
    ] = None,
    open_page: Annotated[
        bool,
        typer.Option("--open", help=_("Write the HTML page to a temporary file and open it in the default browser.")),
    ] = False,
    dots: Annotated[
        bool,
        typer.Option("--dots", help=_("In the SVG and HTML map, a dot at each city holding clusters, with its count.")),
    ] = False,
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
    """The clusters of mainland China's 31 provincial-level divisions, Hong Kong and Macao: a tile map here, a
    choropleth on province outlines as SVG or HTML, or one row per division (--format csv) for Datawrapper,
    ECharts or QGIS, keyed by ISO 3166-2 code.

    \b
    Example: clusters map
             clusters map wind --svg wind.svg
             clusters map semiconductors --html chips.html --dots
             clusters map wind --format csv
             clusters map wind --open
    """
    settings = Settings.of(ctx, data, no_shipped, no_color, exact)
    rows = RowOptions(fields, sort, reverse, limit)
    from ..views.map import map_rows, map_view

    chosen = choose_format(json_out, fmt)
    pictured = bool(svg or html or open_page)
    _check_map_outputs(svg, html, drawn=pictured, printed=chosen != "table" or rows.given)
    if dots and not pictured:  # the tile map and the rows have no dots: it was dropped without a word
        raise UsageProblem(_("--dots marks cities on a drawn map: give it with --svg, --html or --open"))
    targets: list[MapTarget] = []  # the files to write, checked before the map is made
    if svg or html:
        from .files import check_map_targets

        targets = check_map_targets(settings, svg=svg, html=html)
    view = build(settings, lambda kb: map_view(kb, sector))
    # the divisions as rows: for line tools, and wherever a row option shapes them (a table of the rows shown, as
    # `stats` gives; the tile map has no rows to sort or cut, and took them silently)
    as_rows = not pictured and (rows.given or chosen in ("csv", "tsv", "ndjson"))
    if as_rows or pictured:  # how the sector was read: neither the rows nor a file says it
        announce(view)
    if as_rows:  # one row per division, choropleth-ready: ISO code, names, count, class, the clusters counted
        table, columns = map_rows(view)
        emit(settings, rows_view("divisions", table, columns), chosen, rows_key="rows", rows=rows)
        return
    if open_page:
        import tempfile
        import webbrowser
        from pathlib import Path

        from ..render.svg import render_html

        fd, page = tempfile.mkstemp(prefix="clusters-map-", suffix=".html")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(render_html(view, dots=dots))
        say(_("wrote {path}").format(path=page))
        if not webbrowser.open(Path(page).as_uri()):  # a folder's `#`, `?` or space escaped
            say(_("clusters: no browser could be started; open the file yourself"))
        if not (svg or html):
            return
    if targets:
        from .files import write_map_files

        for written in write_map_files(view, targets, dots=dots):
            say(_("wrote {path}").format(path=written))
        return
    emit(settings, view, "json" if chosen == "json" else "table")  # --format json as --json (it printed the tiles)


@command()
def rank(
    ctx: typer.Context,
    level: Annotated[
        str,
        typer.Argument(metavar="LEVEL", autocompletion=complete_rank_level, help=_("provinces, cities or regions.")),
    ],
    sector: Annotated[
        str,
        named("sector", _("The sector (and its sub-sectors).")),
    ],
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
    """Which provinces, cities or regions make X: places ranked by the sector's clusters, companies and parks.

    \b
    Example: clusters rank provinces --sector wind
             clusters rank cities --sector toys --limit 10
    """
    settings = Settings.of(ctx, data, no_shipped, no_color, exact)
    rows = RowOptions(fields, sort, reverse, limit)
    from ..views.rank import RANK_LEVELS, rank_view

    chosen = choose_format(json_out, fmt)
    view = build(settings, lambda kb: rank_view(kb, level, sector))
    level = kind_word(RANK_LEVELS[view["level"]]) if zh() else view["level"]
    where = _("No {level} hold clusters or parks of {sector}").format(level=level, sector=name_of(view["sector"]))
    emit(settings, view, chosen, rows_key="rows", rows=rows, empty=where)
