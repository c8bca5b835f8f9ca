"""The commands, recorded once, and the Typer app made from them.

Commands register here with `@command()` (as they would with `@app.command()`); `make_app()` builds a
Typer app from them through Typer's public API: every command, or only the one a run invokes
(compat.command_word), so that Typer converts one command rather than all of them on each start.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer

F = Callable[..., Any]

# name -> (function, keyword arguments of Typer's `command()`), in the order commands were defined
COMMANDS: dict[str, tuple[F, dict[str, Any]]] = {}

# the module each command is defined in: a run that invokes one imports its module alone, not all four
# (tests/test_cli.py holds this to what the modules record)
HOMES = {
    **dict.fromkeys(
        ("province", "sector", "city", "region", "company", "designation", "park", "cluster", "list", "search"),
        "commands",
    ),
    **dict.fromkeys(("info", "validate", "schema"), "about"),
    **dict.fromkeys(("near", "cite", "compare", "map", "rank"), "analyst"),
    **dict.fromkeys(("stats", "export"), "bulk"),
}


def command(name: str | None = None, **kwargs: Any) -> Callable[[F], F]:
    """Record a command under `name` (default: the function's name)."""

    def record(fn: F) -> F:
        COMMANDS[name or fn.__name__] = (fn, kwargs)
        return fn

    return record


# the command modules, in the order of `clusters --help` (lookups first)
MODULES = ("commands", "about", "analyst", "bulk")


def names() -> list[str]:
    """Every command's name, in the order of `clusters --help`: by module (MODULES), then as each module
    defines them, whichever module a run imported first (make_app imports one alone)."""
    import importlib

    for module in MODULES:  # each module records its commands on import
        importlib.import_module(f"{__package__}.{module}")
    rank = {f"{__package__}.{module}": i for i, module in enumerate(MODULES)}
    ordered = sorted(COMMANDS.items(), key=lambda item: rank[item[1][0].__module__])  # stable: a module's order
    COMMANDS.clear()
    COMMANDS.update(ordered)
    return list(COMMANDS)


def make_app(only: str | None = None) -> typer.Typer:
    """The Typer app with every command, or with only `only` (a name of HOMES): then only its module is
    imported (the group's options are options.py's, which every command module imports)."""
    import importlib

    from ..i18n import _
    from . import options
    from .runtime import ClustersGroup

    if only in HOMES:
        importlib.import_module(f"{__package__}.{HOMES[only]}")
    else:
        names()
    app = typer.Typer(
        name="clusters",
        cls=ClustersGroup,
        help=_("An offline reference to China's industry clusters: where things are made, and how big it is."),
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,  # help text is plain: brackets stay brackets, and --help needs no Rich
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(options.main_options)
    for name, (fn, kwargs) in COMMANDS.items():
        if only is None or name == only:
            doc = _help(fn, kwargs)  # a command's help, in the run's language
            app.command(name, **{**kwargs, "help": _(doc) if doc else None})(fn)
    return app


def _help(fn: F, kwargs: dict[str, Any]) -> str | None:
    """A command's help as written: the `help` it was recorded with, else its docstring."""
    import inspect

    return kwargs.get("help") or inspect.getdoc(fn)


def help_texts() -> list[str]:
    """Every command's help as written (what the catalog translates: tests/test_i18n.py)."""
    names()
    return [doc for fn, kwargs in COMMANDS.values() if (doc := _help(fn, kwargs))]
