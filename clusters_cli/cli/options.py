"""Options every command shares, defined once.

`--data`, `--no-shipped` and `--no-color` work before the command (on the
group) and after it (on each command): `with_globals` adds them to a command's
signature, so Typer parses them like any other option and nothing reads argv
by hand. `--json` and `--format` are the output options of every command that
prints a view.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any

import typer

from ..errors import UsageProblem
from .completion import complete_fields


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    ndjson = "ndjson"


class Settings:
    """The global options of one run: the group's, overridden by the command's."""

    __slots__ = ("data", "no_color", "shipped")

    def __init__(self, data: list[str] | None = None, no_color: bool = False, shipped: bool | None = None) -> None:
        self.data = list(data or [])
        self.no_color = no_color
        self.shipped = shipped  # None: the default (shipped packs unless CLUSTERS_NO_SHIPPED)


DataOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--data",
        metavar="PATH",
        help="A knowledge-base pack of your own, read with the shipped ones (repeatable; default: $CLUSTERS_DATA).",
        show_default=False,
    ),
]
NoShippedOpt = Annotated[
    bool, typer.Option("--no-shipped", help="Read only the --data packs, not the shipped ones.", show_default=False)
]
NoColorOpt = Annotated[bool, typer.Option("--no-color", help="No colour or styles, even on a terminal.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document (schema_version 2) instead of tables.")]
FormatOpt = Annotated[Format | None, typer.Option("--format", "-f", help="Output format.", show_default=False)]


FieldsOpt = Annotated[
    str | None,
    typer.Option(
        "--fields",
        metavar="A,B,C",
        autocompletion=complete_fields,
        help="Only these fields, in this order (names as in --json).",
        show_default=False,
    ),
]
SortOpt = Annotated[
    str | None,
    typer.Option(
        "--sort",
        metavar="FIELD",
        help="Sort rows by a field: numbers by value, references by name.",
        show_default=False,
    ),
]
ReverseOpt = Annotated[bool, typer.Option("--reverse", help="Reverse the order (with --sort: largest first).")]
LimitOpt = Annotated[
    int | None, typer.Option("--limit", "-n", min=1, metavar="N", help="At most N rows.", show_default=False)
]

_GLOBALS = (
    ("global_data", DataOpt, None),
    ("global_no_shipped", NoShippedOpt, False),
    ("global_no_color", NoColorOpt, False),
)


def with_globals(fn: Callable[..., None]) -> Callable[..., None]:
    """Give a command the global options too, so they work after the command word.

    The command receives `settings` (its own options over the group's) in place of them.
    """
    sig = inspect.signature(fn)
    params = [p for p in sig.parameters.values() if p.name != "settings"]
    params = [
        inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context),
        *params,
        *(
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=ann, default=d)
            for name, ann, d in _GLOBALS
        ),
    ]

    @functools.wraps(fn)
    def command(ctx: typer.Context, **kwargs: Any) -> None:
        group = ctx.find_object(Settings) or Settings()
        data = kwargs.pop("global_data") or []
        no_shipped = kwargs.pop("global_no_shipped")
        no_color = kwargs.pop("global_no_color")
        settings = Settings(
            data=[*group.data, *data],
            no_color=group.no_color or no_color,
            shipped=False if no_shipped else group.shipped,
        )
        fn(settings=settings, **kwargs)

    annotations = {p.name: p.annotation for p in params}
    command.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    command.__annotations__ = {**annotations, "return": None}
    del command.__wrapped__  # Typer must read the new signature, not the original's
    return command


def with_rows(fn: Callable[..., None]) -> Callable[..., None]:
    """Give a row-printing command --fields, --sort and --reverse (and --limit unless it has its own);
    it receives them as `rows`, a RowOptions. Apply before `with_globals`."""
    from ..rows import RowOptions

    sig = inspect.signature(fn)
    own_limit = "limit" in sig.parameters
    params = [p for p in sig.parameters.values() if p.name != "rows"]
    extra = [("fields", FieldsOpt, None), ("sort", SortOpt, None), ("reverse", ReverseOpt, False)]
    if not own_limit:
        extra.append(("limit", LimitOpt, None))
    params += [inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=a, default=d) for n, a, d in extra]

    @functools.wraps(fn)
    def command(**kwargs: Any) -> None:
        limit = kwargs["limit"] if own_limit else kwargs.pop("limit")
        opts = RowOptions(kwargs.pop("fields"), kwargs.pop("sort"), kwargs.pop("reverse"), None if own_limit else limit)
        fn(rows=opts, **kwargs)

    command.__signature__ = sig.replace(parameters=params)  # type: ignore[attr-defined]
    command.__annotations__ = {**{p.name: p.annotation for p in params}, "return": None}
    del command.__wrapped__
    return command


def choose_format(json_flag: bool, fmt: Format | None, allowed: tuple[Format, ...] = tuple(Format)) -> str:
    """The format asked for: --json is a shorthand for --format json."""
    if json_flag and fmt not in (None, Format.json):
        raise UsageProblem("--json and --format cannot both be given")
    chosen = Format.json if json_flag else (fmt or Format.table)
    if chosen not in allowed:
        names = ", ".join(f.value for f in allowed)
        raise UsageProblem(f"--format {chosen.value} is not available here; choose from: {names}")
    return chosen.value
