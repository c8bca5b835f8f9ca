"""The command line: the Typer app and its lookup commands (commands.py), the analyst's commands
(analyst.py), options every command shares (options.py), and the runtime at the edge (runtime.py:
streams, the one exit door, printing)."""

from __future__ import annotations

from . import analyst  # noqa: F401  (registers the analyst's commands on the app)
from .commands import app


def main() -> None:
    """Console-script entry point."""
    import os
    import sys

    if not any(var.startswith("_CLUSTERS_COMPLETE") for var in os.environ):
        keep_only_invoked_command(sys.argv[1:])
    app(prog_name="clusters")


def keep_only_invoked_command(args: list[str]) -> None:
    """Let Typer build only the command being run (~7 ms of every call).

    Typer turns every registered command into a Click command on each start.
    Which one runs is asked of Click itself: the group's own options, parsed
    resiliently (no callbacks run), leave the command word first in line. Help,
    unknown commands and completion still see them all.
    """
    from typer.main import get_command

    everything = app.registered_commands
    app.registered_commands = []
    try:
        group = get_command(app)
        ctx = group.make_context("clusters", list(args), resilient_parsing=True)
        # the command word is held back as "protected" (the attribute's name differs across Click versions)
        protected = getattr(ctx, "_protected_args", None) or getattr(ctx, "protected_args", None) or []
        rest = [*protected, *ctx.args]
    except Exception:  # anything odd: build them all and let the real parse report it
        rest = []
    finally:
        app.registered_commands = everything
    chosen = [c for c in everything if rest and rest[0] in (c.name, getattr(c.callback, "__name__", None))]
    if len(chosen) == 1:
        app.registered_commands = chosen


__all__ = ["app", "main"]
