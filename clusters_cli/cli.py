"""The Typer app: one small function per command, nothing else.

Commands are thin: they parse arguments, name the view to build and the
format to print. Everything else lives in views/listing (what to say) and
output/render (how to print it).
"""

import os
import sys
from collections.abc import Callable, Iterator
from typing import Annotated

import typer

from . import __version__
from .output import Format, Settings, choose_format, emit

app = typer.Typer(
    name="clusters",
    help="An offline reference to China's industry clusters: where things are made, and how big it is.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help text is plain: brackets stay brackets, and --help needs no Rich
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _settings(ctx: typer.Context) -> Settings:
    obj = ctx.find_object(Settings)
    return obj if obj is not None else Settings()


def complete(kind: str) -> Callable[[str], Iterator[tuple[str, str]]]:
    """Shell completion of knowledge-base names, aliases and synonyms for a command's argument.

    Forms with spaces are left out (the shell would split them); the id stands in.
    """

    def names(incomplete: str) -> Iterator[tuple[str, str]]:
        from .errors import ClustersError
        from .kb import CacheCorrupt, load_kb

        try:
            entities = load_kb(os.environ.get("CLUSTERS_DATA") or None).all(kind)
        except (ClustersError, CacheCorrupt):
            return
        prefix = incomplete.casefold()
        for entity in entities:
            forms = [entity.get("name", ""), *entity.get("aliases", []), *entity.get("synonyms", []), entity["id"]]
            for value in forms:
                if value.casefold().startswith(prefix) and " " not in value:
                    yield value, str(entity.get("name_zh") or entity.get("name", ""))
                    break

    return names


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"clusters {__version__}\n")
        raise typer.Exit()


JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document (schema_version 1) instead of tables.")]
FormatOpt = Annotated[Format | None, typer.Option("--format", "-f", help="Output format.")]


@app.callback()
def main_options(
    ctx: typer.Context,
    data: Annotated[
        str | None,
        typer.Option(
            "--data", metavar="PATH", help="Knowledge-base file to use (default: $CLUSTERS_DATA, else the shipped one)."
        ),
    ] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour or styles, even on a terminal.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """China's industry clusters, offline: provinces, regions, cities, parks, sectors, companies and statistics."""
    ctx.obj = Settings(data=data, no_color=no_color)


# The detail commands differ only in their words: one definition serves them all.
DETAIL_COMMANDS: dict[str, tuple[str, str, list[str]]] = {
    # kind: (argument help, summary, examples)
    "province": (
        "English, Chinese (广东), abbreviation (粤) or pinyin.",
        "A province-level division: identity, clusters by sector, cities, parks, companies, statistics.",
        ["clusters province Anhui", "clusters province 粤 --json"],
    ),
    "sector": (
        "Sector name or synonym (chips, NEV, pharma, solar...).",
        "A sector: its place in the hierarchy, and every cluster of it and its sub-sectors.",
        ["clusters sector semiconductors", "clusters sector chips --json"],
    ),
    "city": (
        "City name, Chinese name or pinyin.",
        "A city: its province and regions, clusters, parks, companies and statistics.",
        ["clusters city Nantong"],
    ),
    "region": (
        "Region name or alias (PRD, GBA, YRD, Jing-Jin-Ji...).",
        "An economic region or macro-region: members, clusters, companies and statistics.",
        ["clusters region YRD"],
    ),
    "company": (
        "Company name or alias.",
        "A company the source names: its sector and the clusters it belongs to.",
        ["clusters company BYD"],
    ),
    "park": (
        "Park, zone or district name.",
        "A park, zone, district or market: where it is, its sectors and clusters.",
        ["clusters park Zhangjiang"],
    ),
    "cluster": (
        "Cluster id or name.",
        "One cluster: place, sector, specialties, companies and statistics.",
        ["clusters cluster yrd-nev"],
    ),
}


def _register_detail(kind: str, argument_help: str, summary: str, examples: list[str]) -> None:
    def command(
        ctx: typer.Context,
        name: Annotated[str, typer.Argument(metavar="NAME", help=argument_help, autocompletion=complete(kind))],
        json_out: JsonOpt = False,
    ) -> None:
        from .views import DETAIL_VIEWS

        build = DETAIL_VIEWS[kind]
        emit(_settings(ctx), lambda kb: build(kb, name), Format.json if json_out else Format.table)

    command.__name__ = kind
    command.__doc__ = f"{summary}\n\n\b\nExample: " + "\n         ".join(examples)
    app.command(kind)(command)


for _kind, (_argument_help, _summary, _examples) in DETAIL_COMMANDS.items():
    _register_detail(_kind, _argument_help, _summary, _examples)


def _complete_list_kind(incomplete: str) -> Iterator[tuple[str, str]]:
    from .listing import LIST_KINDS

    for kind in LIST_KINDS:
        if kind.startswith(incomplete.lower()):
            yield kind, ""


@app.command("list")
def list_(
    ctx: typer.Context,
    entity: Annotated[
        str,
        typer.Argument(
            metavar="KIND",
            autocompletion=_complete_list_kind,
            help="provinces, regions, cities, parks, sectors, companies, clusters, statistics or sources.",
        ),
    ],
    province: Annotated[str | None, typer.Option("--province", "-p", help="Only those in this province.")] = None,
    sector: Annotated[
        str | None,
        typer.Option("--sector", "-s", help="Only those of this sector or its sub-sectors."),
    ] = None,
    region: Annotated[str | None, typer.Option("--region", "-r", help="Only those in this region.")] = None,
    json_out: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """One row per entry of a kind, with filters. CSV and NDJSON for line tools.

    \b
    Example: clusters list cities --province Guangdong
             clusters list clusters --sector wind --format csv
    """
    from .errors import UsageProblem
    from .listing import LIST_KINDS, list_view
    from .output import fail

    wanted = entity.strip().lower()
    section = next(
        (
            k
            for k in LIST_KINDS
            if k == wanted
            or k.rstrip("s") == wanted.rstrip("s")
            or (k == "cities" and wanted == "city")
            or (k == "companies" and wanted == "company")
        ),
        None,
    )
    if section is None:
        fail(UsageProblem(f"cannot list '{entity[:40]}'; choose from: {', '.join(LIST_KINDS)}"))
    chosen = choose_format(json_out, fmt, tuple(Format))
    emit(_settings(ctx), lambda kb: list_view(kb, section, province, sector, region), chosen, rows_key="rows")


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Words to look for in names, specialties and summaries.")],
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", "-k", help="Only this kind (repeatable): province, city, cluster..."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=10000, help="At most this many results.")] = 30,
    json_out: JsonOpt = False,
    fmt: FormatOpt = None,
) -> None:
    """Free text over every entity and summary, ranked, each hit saying why it matched.

    \b
    Example: clusters search "offshore wind"
    """
    from .errors import UsageProblem
    from .kinds import KINDS
    from .listing import search_view
    from .output import fail

    kinds = [k.strip().lower().rstrip("s").replace("citie", "city").replace("companie", "company") for k in kind or []]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        fail(UsageProblem(f"unknown --kind '{unknown[0][:40]}'; choose from: {', '.join(KINDS)}"))
    chosen = choose_format(json_out, fmt, tuple(Format))
    emit(_settings(ctx), lambda kb: search_view(kb, text, kinds or None, limit), chosen, rows_key="hits")


@app.command()
def info(ctx: typer.Context, json_out: JsonOpt = False) -> None:
    """The knowledge base in use: version, data file, counts and sources.

    \b
    Example: clusters info
    """
    from .listing import info_view

    emit(_settings(ctx), info_view, Format.json if json_out else Format.table)


@app.command()
def validate(
    ctx: typer.Context,
    path: Annotated[
        str | None,
        typer.Argument(metavar="[PATH]", help="File to check (default: the one in use).", show_default=False),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Check a knowledge-base file: YAML, schema, ids, references, RMB/USD figures.

    Exit 0 when valid, 3 when not, listing every problem with file and line.

    \b
    Example: clusters validate data/clusters.yaml
    """
    from .output import validate_file

    validate_file(_settings(ctx), path, json_out)


def _complete_places(incomplete: str) -> Iterator[tuple[str, str]]:
    for kind in ("province", "region", "city"):
        yield from complete(kind)(incomplete)


@app.command()
def compare(
    ctx: typer.Context,
    places: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[PLACE]...",
            autocompletion=_complete_places,
            help="2 to 6 provinces, regions or cities.",
            show_default=False,
        ),
    ] = None,
    sector: Annotated[
        list[str] | None,
        typer.Option(
            "--sector", "-s", autocompletion=complete("sector"), help="Compare sectors instead (give 2 to 6)."
        ),
    ] = None,
    json_out: JsonOpt = False,
) -> None:
    """Places or sectors side by side: a presence matrix, clusters, companies, statistics.

    \b
    Example: clusters compare Anhui Jiangsu PRD
             clusters compare --sector wind --sector solar
    """
    from .analysis import compare_view

    emit(
        _settings(ctx),
        lambda kb: compare_view(kb, places or [], sector or []),
        Format.json if json_out else Format.table,
    )


@app.command("map")
def map_(
    ctx: typer.Context,
    sector: Annotated[
        str | None,
        typer.Argument(
            metavar="[SECTOR]",
            autocompletion=complete("sector"),
            help="Mark the divisions holding this sector's clusters.",
            show_default=False,
        ),
    ] = None,
    svg: Annotated[str | None, typer.Option("--svg", metavar="FILE", help="Write the map as SVG.")] = None,
    html: Annotated[str | None, typer.Option("--html", metavar="FILE", help="Write the map as an HTML page.")] = None,
    json_out: JsonOpt = False,
) -> None:
    """A tile map of China's 33 divisions: clusters per division, or where one sector is.

    \b
    Example: clusters map
             clusters map wind --svg wind.svg
    """
    from .analysis import map_view
    from .output import build_view, write_files

    if svg or html:
        view = build_view(_settings(ctx), lambda kb: map_view(kb, sector))
        write_files(_settings(ctx), view, svg=svg, html=html)
        return
    emit(_settings(ctx), lambda kb: map_view(kb, sector), Format.json if json_out else Format.table)


@app.command()
def stats(
    ctx: typer.Context,
    sector: Annotated[
        str | None,
        typer.Option("--sector", "-s", autocompletion=complete("sector"), help="Only this sector and its sub-sectors."),
    ] = None,
    series: Annotated[str | None, typer.Option("--series", help="Only one series (e.g. key-nev-enterprises).")] = None,
    json_out: JsonOpt = False,
) -> None:
    """Statistics as labelled bar charts, grouped so that they compare.

    \b
    Example: clusters stats
             clusters stats --sector nev
    """
    from .analysis import stats_view

    emit(_settings(ctx), lambda kb: stats_view(kb, sector, series), Format.json if json_out else Format.table)


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            "-f",
            metavar="json|csv|geojson|sqlite",
            help="json, csv (a folder of files), geojson or sqlite.",
        ),
    ],
    output: Annotated[str, typer.Option("--output", "-o", metavar="PATH", help="File (folder for csv) to write.")],
    json_out: JsonOpt = False,
) -> None:
    """The whole knowledge base for other tools: spreadsheets, pandas, GIS, sqlite3, datasette.

    \b
    Example: clusters export --format sqlite -o clusters.db
             clusters export --format geojson -o clusters.geojson
    """
    from .export import export as run_export
    from .output import report_export

    report_export(_settings(ctx), lambda kb: run_export(kb, fmt.strip().lower(), output), json_out)


def main() -> None:
    """Console-script entry point."""
    from .output import run_main

    run_main(app)
