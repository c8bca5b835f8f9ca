"""The command line: the Typer app and its lookup commands (commands.py), the analyst's commands
(analyst.py), options every command shares (options.py), and the runtime at the edge (runtime.py:
streams, the one exit door, printing)."""

from __future__ import annotations

import gc
from typing import Any

# A command is a short process that first imports Typer, Click and its own commands: tens of thousands of
# objects that live until it exits. The cyclic collector's passes over them while they are imported find
# nothing to free and cost a tenth of a start (~10-20 ms here, measured with benchmarks/run.py). So
# collection pauses while the CLI is imported; what was imported is then frozen (never scanned again) and
# collection resumes, so a long command (export, a cache build) still reclaims its cycles.
_collecting = gc.isenabled()
gc.disable()

from . import analyst  # noqa: E402, F401  (registers the analyst's commands on the app)
from .commands import app  # noqa: E402

gc.freeze()
if _collecting:
    gc.enable()


def main() -> None:
    """Console-script entry point."""
    import os
    import sys

    group = None
    if not any(var.startswith("_CLUSTERS_COMPLETE") for var in os.environ):
        group = group_with_invoked_command(sys.argv[1:])
    if group is None:
        app(prog_name="clusters")
    else:
        group(prog_name="clusters")


def group_with_invoked_command(args: list[str]) -> Any:
    """The Click group with only the command being run (None: build them all).

    Typer turns every registered command into a Click command on each start
    (~7 ms). Which one runs is asked of Click itself: the group's own options,
    parsed resiliently (no callbacks run), leave the command word first in
    line; that command alone is then added to the same group. Help, unknown
    commands and completion still see them all.
    """
    from typer.main import get_command, get_command_from_info

    everything = app.registered_commands
    app.registered_commands = []
    try:
        group = get_command(app)
        ctx = group.make_context("clusters", list(args), resilient_parsing=True)
        # the command word is held back as "protected" (the attribute's name differs across Click versions)
        protected = getattr(ctx, "_protected_args", None) or getattr(ctx, "protected_args", None) or []
        rest = [*protected, *ctx.args]
    except Exception:  # anything odd: build them all and let the real parse report it
        return None
    finally:
        app.registered_commands = everything
    chosen = [c for c in everything if rest and rest[0] in (c.name, getattr(c.callback, "__name__", None))]
    if len(chosen) != 1:
        return None
    command = get_command_from_info(
        chosen[0], pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode
    )
    group.add_command(command)  # type: ignore[attr-defined]
    return group


__all__ = ["app", "main"]
