"""The one place where views meet the terminal: format choice, errors, pipes.

Commands call `emit()`; it loads the knowledge base, builds the view, turns
domain errors into a message and an exit code, and renders the view in the
format asked for. Rich is imported only when a table is drawn.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Any, NoReturn

from .errors import ClustersError, InvalidKnowledgeBase

if TYPE_CHECKING:
    from rich.console import Console

    from .kb import KB


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    ndjson = "ndjson"


class Settings:
    """Global options, set once by the app callback."""

    def __init__(self, data: str | None = None, no_color: bool = False) -> None:
        self.data = data
        self.no_color = no_color


def make_console(settings: Settings) -> Console:
    """A console created per command (so tests may change NO_COLOR/COLUMNS).

    --no-color and NO_COLOR turn off every escape code, bold and dim included;
    Rich itself already stays plain when the stream is not a terminal.
    """
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # Rich would exit 1; emit() ends quietly instead
            self.quiet = True
            raise BrokenPipeError

    plain = settings.no_color or bool(os.environ.get("NO_COLOR"))
    return _Console(
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        no_color=plain,
        color_system=None if plain else "auto",
    )


def fail(error: ClustersError) -> NoReturn:
    """Report an expected failure on stderr (most important line last) and exit."""
    import typer

    if isinstance(error, InvalidKnowledgeBase):
        for problem in error.problems[:200]:
            sys.stderr.write(f"  {problem}\n")
        if len(error.problems) > 200:
            sys.stderr.write(f"  ... and {len(error.problems) - 200} more\n")
    sys.stderr.write(f"clusters: error: {error}\n")
    raise typer.Exit(int(error.exit_code))


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the final flush cannot fail on a closed pipe."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def quiet_broken_pipe() -> NoReturn:
    """The reader went away (`| head -1`): stop writing, exit quietly with 0."""
    import typer

    _silence_stdout()
    raise typer.Exit(0)


def build_view(settings: Settings, build: Callable[[KB], dict[str, Any]]) -> dict[str, Any]:
    """Load the knowledge base and build a view; a cache that fails in use is dropped and rebuilt once."""
    from .kb import CacheCorrupt, drop_cache, load_kb

    try:
        try:
            return build(load_kb(settings.data))
        except CacheCorrupt:
            drop_cache(settings.data)
            return build(load_kb(settings.data, use_cache=False))
    except ClustersError as error:
        fail(error)


def emit(settings: Settings, build: Callable[[KB], dict[str, Any]], fmt: Format, rows_key: str | None = None) -> None:
    """Build a view and print it as `fmt`; rows_key names the list CSV/NDJSON print."""
    view = build_view(settings, build)
    try:
        if fmt is Format.json:
            from .render.json import render_json

            render_json(view)
        elif fmt in (Format.csv, Format.ndjson):
            rows = view[rows_key] if rows_key else [view]
            if fmt is Format.csv:
                from .render.csv import render_csv

                render_csv(rows)
            else:
                from .render.json import render_ndjson

                render_ndjson(rows)
        else:
            from .render.table import render_table

            render_table(view, make_console(settings))
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_broken_pipe()


def write_files(settings: Settings, view: dict[str, Any], *, svg: str | None, html: str | None) -> None:
    """Write the map as SVG and/or HTML; say what was written on stderr."""
    from pathlib import Path

    from .errors import UsageProblem
    from .paths import data_path, same_file
    from .render.svg import render_html, render_svg

    for target, render in ((svg, render_svg), (html, render_html)):
        if not target:
            continue
        if same_file(target, data_path(settings.data)):
            fail(UsageProblem(f"refusing to overwrite the knowledge base itself ({target})"))
        try:
            Path(target).write_text(render(view), encoding="utf-8")
        except OSError as e:
            fail(UsageProblem(f"cannot write {target}: {e.strerror or e}"))
        sys.stderr.write(f"wrote {target}\n")


def report_export(settings: Settings, run: Callable[[KB], dict[str, Any]], json_out: bool) -> None:
    report = build_view(settings, run)
    if json_out:
        from .render.json import render_json

        render_json(report)
        return
    total = sum(report["counts"].values())
    files = report["files"]
    where = files[0] if len(files) == 1 else f"{len(files)} files in {os.path.dirname(files[0])}"
    sys.stdout.write(f"exported {total} entries as {report['format']} to {where}\n")


def choose_format(json_flag: bool, fmt: Format | None, allowed: tuple[Format, ...]) -> Format:
    from .errors import UsageProblem

    if json_flag and fmt not in (None, Format.json):
        fail(UsageProblem("--json and --format cannot both be given"))
    chosen = Format.json if json_flag else (fmt or Format.table)
    if chosen not in allowed:
        names = ", ".join(f.value for f in allowed)
        fail(UsageProblem(f"--format {chosen.value} is not available here; choose from: {names}"))
    return chosen


def validate_file(settings: Settings, path: str | None, json_out: bool) -> None:
    """`clusters validate`: always reads the file afresh (never the cache)."""
    import typer

    from .kb import load_kb
    from .paths import data_path
    from .views import SCHEMA_VERSION

    target = data_path(path or settings.data)
    problems = []
    counts: dict[str, int] = {}
    try:
        kb = load_kb(target, use_cache=False)
        counts = kb.counts()
    except InvalidKnowledgeBase as error:
        problems = error.problems
    if json_out:
        from .render.json import render_json

        render_json(
            {
                "schema_version": SCHEMA_VERSION,
                "kind": "validation",
                "file": target,
                "valid": not problems,
                "counts": counts,
                "problems": [
                    {"line": p.line, "column": p.column, "entry": p.entry, "message": p.message} for p in problems
                ],
            }
        )
        raise typer.Exit(3 if problems else 0)
    if problems:
        fail(InvalidKnowledgeBase(target, problems))
    total = sum(counts.values())
    sys.stdout.write(f"{target}: valid ({total} entries: " + ", ".join(f"{n} {k}" for k, n in counts.items()) + ")\n")


def _configure_streams() -> None:
    """Never crash on encoding: unencodable characters degrade to escapes."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:  # the descriptor was closed (`clusters ... >&-`)
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _command_named(argv: list[str]) -> str | None:
    """The command word of an argv, skipping the global options before it."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--data":
            i += 2
        elif arg.startswith("-"):
            i += 1
        else:
            return arg
    return None


def keep_only_invoked_command(app: Any, argv: list[str]) -> None:
    """Let Typer build only the command being run.

    Typer turns every registered command into a Click command (inspecting its
    signature) on each start; building one instead of all of them saves ~5 ms
    per call. The full set stays for top-level help, unknown commands and shell
    completion, which list them all.
    """
    if any(var.startswith("_CLUSTERS_COMPLETE") for var in os.environ):
        return
    name = _command_named(argv)
    chosen = [c for c in app.registered_commands if name in (c.name, getattr(c.callback, "__name__", None))]
    if len(chosen) == 1:
        app.registered_commands = chosen


def run_main(app: Any) -> None:
    """Run the Typer app as the `clusters` program, mapping the last failures to exit codes."""
    _configure_streams()
    keep_only_invoked_command(app, sys.argv[1:])
    try:
        app(prog_name="clusters")
    except KeyboardInterrupt:  # Ctrl-C outside a command (Typer maps it inside one)
        sys.stderr.write("\n")
        raise SystemExit(130) from None
    except BrokenPipeError:
        _silence_stdout()
        raise SystemExit(0) from None
