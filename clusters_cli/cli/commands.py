"""The Typer app: one small function per command, nothing else.

Commands parse arguments, name the view to build and the format to print;
views/ says what, render/ says how, runtime.py is the one exit door.
"""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import NoMatches, UsageProblem
from ..i18n import N_, _, kind_word, list_sep, local_line, zh
from ..model import CITY_KINDS
from ..rows import RowOptions, refuse_unknown_fields, rows_view
from ..sanitize import clean_one_line
from .completion import complete, complete_choices, complete_list_kind
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
from .printing import build, emit, emit_cells
from .registry import COMMANDS, command

if TYPE_CHECKING:
    from ..store.kb import KB
    from ..views.types import ListView

# rows a `list` table shows when --limit is not given (the note under it says how many more matched)
TABLE_PAGE = 200


# The detail commands differ only in their words: one definition serves them all.
DETAIL_COMMANDS: dict[str, tuple[str, str, list[str]]] = {
    # kind: (argument help, summary, examples)
    "province": (
        N_("English, Chinese (广东), abbreviation (粤) or pinyin."),
        N_("A province-level division: identity, clusters by sector, cities, parks, companies, statistics."),
        ["clusters province Anhui", "clusters province 粤 --json"],
    ),
    "sector": (
        N_("Sector name or synonym (chips, NEV, pharma, solar...)."),
        N_("A sector: its place in the hierarchy, and every cluster of it and its sub-sectors."),
        ["clusters sector semiconductors", "clusters sector chips --json"],
    ),
    "city": (
        N_("City name, Chinese name or pinyin."),
        N_("A city: its province and regions, clusters, parks, companies and statistics."),
        ["clusters city Nantong"],
    ),
    "region": (
        N_("Region name or alias (PRD, GBA, YRD, Jing-Jin-Ji...)."),
        N_(
            "A region (economic, a city cluster, a macro-region or a geographic one): members, clusters, "
            "companies, parks and statistics."
        ),
        ["clusters region YRD"],
    ),
    "company": (
        N_("Company name or alias."),
        N_("A company the source names: its sector and the clusters it belongs to."),
        ["clusters company BYD"],
    ),
    "designation": (
        N_("A national list: its id or name (national-advanced-manufacturing, 国家先进制造业集群...)."),
        N_("A national list of clusters: issuer, batches, how much of it is held, and its members."),
        ["clusters designation national-advanced-manufacturing", "clusters designation 中小企业特色产业集群"],
    ),
    "park": (
        N_("Park, zone or district name."),
        N_("A park, zone, district or market: where it is, its sectors and clusters."),
        ["clusters park Zhangjiang"],
    ),
    "cluster": (
        N_("Cluster id or name."),
        N_("One cluster: place, sector, specialties, companies and statistics."),
        ["clusters cluster yrd-nev"],
    ),
}


def _register_detail(kind: str, argument_help: str, summary: str, examples: list[str]) -> None:
    def command(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(metavar="NAME", help=_(argument_help), autocompletion=complete(kind))],
        json_out: JsonOpt = False,
        data: DataOpt = None,
        no_shipped: NoShippedOpt = False,
        no_color: NoColorOpt = False,
        exact: ExactOpt = False,
    ) -> None:
        settings = Settings.of(ctx, data, no_shipped, no_color, exact)
        from ..views.detail import DETAIL_VIEWS

        page: int | None = None  # a document holds every row; a table for people makes only those it shows
        if not json_out:
            from ..render.sections import DETAIL_PAGE

            page = DETAIL_PAGE
        view = build(settings, lambda kb: DETAIL_VIEWS[kind](kb, name, page))
        emit(settings, view, "json" if json_out else "table")

    command.__name__ = kind
    command.__doc__ = f"{summary}\n\n\b\nExample: " + "\n         ".join(examples)  # translated whole: registry
    COMMANDS[kind] = (command, {})


for _kind, (_argument_help, _summary, _examples) in DETAIL_COMMANDS.items():
    _register_detail(_kind, _argument_help, _summary, _examples)


def series_list(kb: "KB") -> dict[str, Any]:
    """`list series`: the series of figures that `stats --series` shows."""
    from ..views.stats import series_rows

    return rows_view("series", series_rows(kb), ["name", "id", "unit", "figures", "years"])


@command("list")
def list_(
    ctx: typer.Context,
    entity: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            autocompletion=complete_list_kind,
            help=_(
                "provinces, regions, cities, parks, sectors, companies, clusters, statistics, sources, "
                "designations or series."
            ),
        ),
    ],
    province: Annotated[
        str | None,
        named("province", _("Only those in this province.")),
    ] = None,
    sector: Annotated[
        str | None,
        named("sector", _("Only those of this sector or its sub-sectors.")),
    ] = None,
    region: Annotated[
        str | None,
        named("region", _("Only those in this region.")),
    ] = None,
    city: Annotated[
        str | None,
        named("city", _("Clusters, parks, companies or statistics in this city (its districts and counties too).")),
    ] = None,
    city_kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            "-k",
            metavar="KIND",
            autocompletion=complete_choices(*CITY_KINDS),
            help=_("Cities of this kind: {kinds}.").format(kinds=list_sep().join(CITY_KINDS)),
        ),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option(
            "--level",
            metavar="LEVEL",
            autocompletion=complete_choices("prefecture", "county"),
            help=_("Cities of this level: prefecture or county."),
        ),
    ] = None,
    designation: Annotated[
        str | None,
        typer.Option(
            "--designation",
            "-d",
            metavar="LIST",
            autocompletion=complete("designation"),
            help=_("Clusters a national list names, e.g. national-advanced-manufacturing (see `list designations`)."),
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            autocompletion=complete_choices("established", "emerging", "planned", "actual", "forecast", "target"),
            help=_("Clusters: established, emerging or planned. Statistics: actual, forecast or target."),
        ),
    ] = None,
    year: Annotated[
        str | None,
        typer.Option("--year", metavar="YEAR", help=_("Statistics of this year or range of years (2021, 2015-2021).")),
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
    """One row per entry of a kind, with filters. CSV and NDJSON for line tools.

    \b
    Example: clusters list cities --province Guangdong
             clusters list cities --level county --province Jiangsu
             clusters list clusters --sector wind --format csv
             clusters list statistics --sort amount --reverse --limit 5
             clusters list clusters --designation national-advanced-manufacturing
             clusters list clusters --city Suzhou --sector semiconductors
    """
    settings = Settings.of(ctx, data, no_shipped, no_color, exact)
    rows = RowOptions(fields, sort, reverse, limit)
    from ..model import KINDS, kind_named
    from ..views.listing import list_view, sample_row
    from ..views.listorder import stored_order

    chosen = choose_format(json_out, fmt)
    if entity.strip().lower() == "series":
        given = (province, sector, region, city, city_kind, level, designation, status, year)
        if any(v is not None for v in given):
            raise UsageProblem(_("list series takes no filters; `clusters stats --series ID` shows one"))
        emit(settings, build(settings, series_list), chosen, rows_key="rows", rows=rows)
        return
    kind = kind_named(entity)
    if kind is None:
        choices = list_sep().join([*(k.plural for k in KINDS.values()), "series"])
        raise UsageProblem(
            _("cannot list '{entity}'; choose from: {choices}").format(entity=entity[:40], choices=choices)
        )
    kinds = kind_word(kind.name) if zh() else kind.plural
    filtered = any(v is not None for v in (province, sector, region, city, city_kind, level, designation, status, year))
    if chosen in ("csv", "tsv") and not filtered and not rows.given:  # every row as it stands: kept once a build
        from ..views.listing import whole_list

        whole = build(settings, lambda kb: whole_list(kb, kind.section))
        if whole is None:  # a kind without entries: as `emit` says it of an empty list (below)
            raise NoMatches(_("No {kinds} match at all").format(kinds=kinds))
        emit_cells(*whole, chosen)
        return
    # a table for people shows a page (every county makes `list cities` 3,185 rows); --limit, or a format for
    # machines, gives every row. Sorted rows are all built, then cut, but for a page sorted by id, name or Chinese
    # name, or reversed, whose entries the store orders (views/listorder.py).
    if chosen == "table" and rows.limit is None:
        rows.limit = TABLE_PAGE
    first = rows.limit if not (rows.sort or rows.reverse) else None
    # sorted by a field the store holds, or reversed, a page's rows alone are made (views/listorder.py)
    ordered = stored_order(kind.section, rows.sort, rows.reverse, rows.limit)
    said: list[str] = []  # the filters as a person reads them: the name of what each names, a value's word

    def ask(kb: "KB") -> "ListView":
        from ..views.common import filters_said

        if not filtered and ordered is None and first is None and (rows.sort or rows.fields):
            # a field no row has, said before every row is made
            sample = sample_row(kb, kind.section)
            if sample is not None:
                refuse_unknown_fields(rows, sample)
        found = list_view(
            kb,
            kind.section,
            *(province, sector, region, city_kind, level, designation, status, year),
            first,
            city=city,
            ordered=ordered,
        )
        said.append(filters_said(kb, dict(found["filters"])))
        return found

    view = build(settings, ask)
    filters = said[0]
    empty = _("No {kinds} match {filters}") if filters else _("No {kinds} match at all")
    # a table's title names the filters as the message does (its document keeps the ids)
    shown: Any = {**view, "filters_shown": filters} if chosen == "table" else view
    emit(settings, shown, chosen, rows_key="rows", rows=rows, empty=empty.format(kinds=kinds, filters=filters))


@command()
def search(
    ctx: typer.Context,
    text: Annotated[
        list[str],
        typer.Argument(
            metavar="TEXT...", help=_("Words to look for in names, specialties and summaries; quotes optional.")
        ),
    ],
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", "-k", metavar="KIND", help=_("Only this kind (repeatable): province, city, cluster...")),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=10000, metavar="N", help=_("At most this many results."))
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
    """Free text over every entity and summary, ranked, each hit saying why it matched.

    \b
    Example: clusters search "offshore wind"
    """
    settings = Settings.of(ctx, data, no_shipped, no_color, exact)
    rows = RowOptions(fields, sort, reverse, None)
    from ..model import KINDS, kind_named
    from ..views.search import search_view

    kinds = []
    for word in kind or []:
        found = kind_named(word)
        if found is None:
            raise UsageProblem(
                _("unknown --kind '{value}'; choose from: {value2}").format(
                    value=word.strip()[:40], value2=list_sep().join(KINDS)
                )
            )
        kinds.append(found.name)
    chosen = choose_format(json_out, fmt)
    # with --sort, every hit is sorted before --limit cuts; but by score, the best first, as it is
    gathered = rows.gather(limit, ("score", True))
    query = " ".join(text)
    view = build(settings, lambda kb: search_view(kb, query, kinds or None, gathered))
    close = view["suggestions"]
    empty = _("No matches for '{query}'").format(query=clean_one_line(query))
    if close:
        empty += _(". Did you mean: {names}?").format(names=list_sep().join(local_line(name) for name in close))
    emit(settings, view, chosen, rows_key="hits", rows=rows, empty=empty)
