"""Options every command shares, defined once.

`--data`, `--no-shipped` and `--no-color` work before the command (on the
group) and after it (on each command): every command declares them as
parameters (DataOpt, NoShippedOpt, NoColorOpt) and merges them with the
group's through `Settings.of`. A command that prints rows declares FieldsOpt,
SortOpt, ReverseOpt and (unless it has its own) LimitOpt. `--json` and
`--format` are the output options of every command that prints a view.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

import typer

from ..errors import UsageProblem
from ..i18n import _, list_sep
from .completion import complete_fields


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    ndjson = "ndjson"


class Settings:
    """The global options of one run: the group's, overridden by the command's."""

    __slots__ = ("data", "exact", "no_color", "shipped")

    def __init__(
        self, data: list[str] | None = None, no_color: bool = False, shipped: bool | None = None, exact: bool = False
    ) -> None:
        self.data = list(data or [])
        self.no_color = no_color
        self.shipped = shipped  # None: the default (shipped packs unless CLUSTERS_NO_SHIPPED)
        self.exact = exact  # exact names only (else CLUSTERS_EXACT decides)

    @classmethod
    def of(
        cls, ctx: typer.Context, data: list[str] | None, no_shipped: bool, no_color: bool, exact: bool = False
    ) -> Settings:
        """A command's settings: its own global options over those given before the command."""
        group = ctx.find_object(Settings) or Settings()
        return cls(
            data=[*group.data, *(data or [])],
            no_color=group.no_color or no_color,
            shipped=False if no_shipped else group.shipped,
            exact=group.exact or exact,
        )


DataOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--data",
        metavar="PATH",
        help=_(
            "A knowledge-base pack of your own, read with the shipped ones, or in place of the shipped pack of its "
            "file name and title (repeatable; default: $CLUSTERS_DATA)."
        ),
        show_default=False,
    ),
]
NoShippedOpt = Annotated[
    bool, typer.Option("--no-shipped", help=_("Read only the --data packs, not the shipped ones."), show_default=False)
]
NoColorOpt = Annotated[bool, typer.Option("--no-color", help=_("No colour or styles, even on a terminal."))]
ExactOpt = Annotated[
    bool,
    typer.Option(
        "--exact",
        help=_("Exact names only: no typing slip or prefix is read as a name (default: $CLUSTERS_EXACT)."),
        show_default=False,
    ),
]
JsonOpt = Annotated[
    bool,
    typer.Option(
        "--json", help=_("Print one JSON document (schema_version 3), for scripts, instead of the output for people.")
    ),
]
FormatOpt = Annotated[Format | None, typer.Option("--format", "-f", help=_("Output format."), show_default=False)]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="zh|en",
        help=_("Language of tables, messages and help: zh or en (default: $CLUSTERS_LANG, else the locale)."),
        show_default=False,
    ),
]


FieldsOpt = Annotated[
    str | None,
    typer.Option(
        "--fields",
        metavar="A,B,C",
        autocompletion=complete_fields,
        help=_("Only these fields, in this order (names as in --json)."),
        show_default=False,
    ),
]
SortOpt = Annotated[
    str | None,
    typer.Option(
        "--sort",
        metavar="FIELD",
        help=_("Sort rows by a field: numbers by value, references by name."),
        show_default=False,
    ),
]
ReverseOpt = Annotated[bool, typer.Option("--reverse", help=_("Reverse the order (with --sort: largest first)."))]
LimitOpt = Annotated[
    int | None,
    # at most a billion: SQLite's integers end at 2**63, and a larger number means "all" no better than none
    typer.Option("--limit", "-n", min=1, max=10**9, metavar="N", help=_("At most N rows."), show_default=False),
]


def choose_format(json_flag: bool, fmt: Format | None, allowed: tuple[Format, ...] = tuple(Format)) -> str:
    """The format asked for: --json is a shorthand for --format json."""
    if json_flag and fmt not in (None, Format.json):
        raise UsageProblem(_("--json and --format cannot both be given"))
    chosen = Format.json if json_flag else (fmt or Format.table)
    if chosen not in allowed:
        names = list_sep().join(f.value for f in allowed)
        raise UsageProblem(
            _("--format {value} is not available here; choose from: {names}").format(value=chosen.value, names=names)
        )
    return chosen.value


_FLAGS = {
    "sector": ("--sector", "-s"),
    "province": ("--province", "-p"),
    "region": ("--region", "-r"),
    "city": ("--city",),
}


def named(kind: str, help_text: str) -> Any:
    """The option that names an entity of a kind (`--sector SECTOR`, `--province PROVINCE`, `--region
    REGION`): its flags, metavar and completion from the kind, its help the command's own."""
    from .completion import complete

    return typer.Option(*_FLAGS[kind], metavar=kind.upper(), autocompletion=complete(kind), help=help_text)


def _version(value: bool) -> None:
    if value:
        import sys

        from .. import __version__

        sys.stdout.write(f"clusters {__version__}\n")
        raise typer.Exit()


def main_options(
    ctx: typer.Context,
    data: DataOpt = None,
    no_shipped: NoShippedOpt = False,
    no_color: NoColorOpt = False,
    exact: ExactOpt = False,
    lang: LangOpt = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=_("Print the version and exit."))
    ] = False,
) -> None:
    """China's industry clusters, offline: provinces, regions, cities, parks, sectors, companies and statistics.

    The group's callback (registry.make_app attaches it): the global options given before the command. Here,
    beside the options it reads, not in a command module: a run imports its command's module alone."""
    from ..i18n import LANGS, detect, use

    if lang is not None and lang not in LANGS:
        raise UsageProblem(_("--lang '{lang}' is not one of: zh, en").format(lang=lang[:20]))
    use(detect(lang))
    ctx.obj = Settings(data=data, no_color=no_color, shipped=False if no_shipped else None, exact=exact)
