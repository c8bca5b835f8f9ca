"""The one runtime at the edge: streams, the exit door, and printing a view.

Commands raise; `ClustersGroup.main` is the only place that turns an
exception into a message on stderr and a named exit code (errors.ExitCode),
for the console script and for CliRunner alike. Data goes to stdout; every
message (errors, "wrote ...", warnings) goes to stderr.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from typer import Abort, Exit
from typer.core import TyperGroup

from ..collector import paused
from ..errors import ClustersError, ExitCode, InvalidKnowledgeBase
from ..i18n import _, list_sep, local_line, zh
from ..sanitize import clean, clean_line, clean_one_line

if TYPE_CHECKING:
    from rich.console import Console

    from ..rows import RowOptions
    from ..store.kb import KB
    from .options import Settings

T = TypeVar("T")


def say(message: str) -> None:
    """A message for the person, never the data: stderr. It may quote a path or a pack's text, so it is
    cleaned of escape sequences and control characters (its line breaks and tabs kept), whoever wrote it."""
    sys.stderr.write(clean(message) + "\n")


def report(error: ClustersError) -> None:
    """An expected failure on stderr, most important line last."""
    if isinstance(error, InvalidKnowledgeBase):
        for problem in error.problems[:200]:  # a problem quotes the pack's text: never a control character
            say("  " + clean_line(problem.shown()))
        if len(error.problems) > 200:
            say("  " + _("... and {n} more").format(n=len(error.problems) - 200))
    from ..errors import NoMatches

    message = clean_line(str(error))  # it may quote a path or a query: never a control character
    say(message if isinstance(error, NoMatches) else _("clusters: error: {message}").format(message=message))
    if isinstance(error, InvalidKnowledgeBase) and error.hint:
        say(clean_line(error.hint))


def shipped_hint(error: InvalidKnowledgeBase, shipped: bool | None) -> InvalidKnowledgeBase:
    """The error, with a hint where a run reading only one's own packs (--no-shipped) refused a reference the
    shipped packs define ('unknown province 'anhui'' said nothing of the flag that left Anhui out)."""
    from ..paths import env_flag

    if shipped or (shipped is None and not env_flag("CLUSTERS_NO_SHIPPED")):
        return error
    unknown = [str(p.values.get("id")) for p in error.problems if p.template == "unknown {kind} '{id}'"]
    if not unknown:
        return error
    from ..model import KINDS
    from ..paths import shipped_packs
    from ..store.cache import load_kb

    try:
        kb = load_kb(shipped_packs(), shipped=False)
    except ClustersError:  # the shipped packs cannot be read either: nothing to say of them
        return error
    held = [ident for ident in dict.fromkeys(unknown) if any(kb.get(kind, ident) for kind in KINDS)]
    if held:
        error.hint = _("hint: the shipped packs define {ids}; leave out --no-shipped to read them with yours").format(
            ids=list_sep().join(f"'{ident}'" for ident in held[:5])
        )
    return error


def _usage(error: Any, args: Sequence[str] = ()) -> None:
    """Click's usage errors in our own voice, on one line with the help to read (Click gives two): the
    command's, also where Click's error carries no context (an option missing its value: `stats --series`)."""
    from .compat import command_word, usage_message
    from .registry import HOMES

    ctx = getattr(error, "ctx", None)
    word = command_word(args, list(HOMES)) if ctx is None else None
    command = ctx.command_path if ctx is not None else "clusters" + (f" {word}" if word else "")

    message = clean_one_line(usage_message(error.format_message()), 300)
    if zh() and '"' not in message:  # Click quotes what it names ('NAME', '--sector') as English does: Chinese
        # quotes as ours are (a value holding a quote Click writes in double quotes, and it is left as typed)
        import re

        message = re.sub(r"(?<![\w'])'([^'\s][^']*)'(?![\w'])", r"“\1”", message)
    say(_("clusters: error: {message} (try '{command} --help')").format(message=message, command=command))


def silence_stdout() -> None:
    """Point stdout at /dev/null, so the final flush cannot fail on a closed pipe."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class OutputFailed(OSError):
    """Standard output would not take what was written (a full disk, a device that refuses it): said on one
    line as a usage problem, as an `-o` file that cannot be written is. A reader that closed the pipe early
    (BrokenPipeError) is not this: the run ends quietly."""


class _Output(io.TextIOWrapper):
    """The process's standard output, its failures to write raised as OutputFailed: whoever writes (a view,
    Rich, the csv module, Click's help), the exit door tells them from any other OSError."""

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputFailed(error.errno, error.strerror) from None

    def flush(self) -> None:
        try:
            super().flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputFailed(error.errno, error.strerror) from None


def _output_failed(error: OutputFailed) -> ExitCode:
    """Say that standard output cannot be written, and let nothing more be written to it (the exit's flush of
    what it still holds would fail again)."""
    from ..errors import why_not

    silence_stdout()
    say(_("clusters: error: cannot write to standard output: {reason}").format(reason=why_not(error)))
    return ExitCode.USAGE


def configure_streams() -> None:
    """Never crash on encoding: unencodable characters degrade to escapes. The process's own standard output is
    written through _Output (once: not a stream a caller put in its place, such as a test runner's)."""
    out = sys.stdout
    if out is not None and out is sys.__stdout__ and type(out) is io.TextIOWrapper:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            out.flush()
            sys.stdout = _Output(
                out.buffer,
                encoding=out.encoding,
                errors="backslashreplace",
                newline=None,  # as Python opens it: "\n" written as the system ends a line (\r\n on Windows)
                line_buffering=out.line_buffering,
                write_through=out.write_through,
            )
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:  # the descriptor was closed (`clusters ... >&-`)
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


class ClustersGroup(TyperGroup):
    """The Typer group with the one exit door."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        # help fits the terminal however narrow (Click stops at 50 columns), and stays at most 78 wide as
        # Click keeps it; subcommands inherit it
        import shutil

        from .compat import narrow_help_context

        self.context_class = narrow_help_context()
        extra.setdefault("terminal_width", max(20, min(shutil.get_terminal_size().columns, 80) - 2))
        return super().make_context(info_name, args, parent, **extra)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        if zh():  # Click cuts a summary at a space, which Chinese has none of ("..." alone)
            from .compat import summarise_in_chinese

            summarise_in_chinese(self, ctx, formatter.width)
        super().format_commands(ctx, formatter)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        from .compat import narrow_help_context

        command = super().get_command(ctx, cmd_name)
        if command is not None:  # its help is laid out like the group's
            command.context_class = narrow_help_context()
        return command

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        from .compat import click_errors, lang_first

        usage_error, click_exception = click_errors()
        configure_streams()
        args = lang_first(sys.argv[1:] if args is None else list(args))
        try:
            result = super().main(args, prog_name or "clusters", complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else ExitCode.OK
            sys.stdout.flush()  # what it still holds: a failure to write it is said here, not at the exit
        except ClustersError as error:
            report(error)
            code = error.exit_code
        except usage_error as error:
            if args is not None and not list(args):  # `clusters` alone: the help, as Typer shows it
                error.show()  # type: ignore[attr-defined]
            else:
                _usage(error, args)
            code = ExitCode.USAGE
        except click_exception as error:
            say(_("clusters: error: {message}").format(message=clean_one_line(error.format_message(), 300)))  # type: ignore[attr-defined]
            code = error.exit_code  # type: ignore[attr-defined]
        except Exit as done:
            code = done.exit_code
        except (Abort, KeyboardInterrupt):
            say("")
            code = ExitCode.INTERRUPTED
        except BrokenPipeError:  # the reader went away (`| head -1`): stop quietly
            silence_stdout()
            code = ExitCode.OK
        except OutputFailed as error:
            code = _output_failed(error)
        if standalone_mode:
            sys.exit(int(code))
        return int(code)

    def invoke(self, ctx: Any) -> Any:
        from ..collector import collector_paused

        # a command runs with the collector paused, from building its view to printing it: the view's objects
        # live until then, and a pass between the two scanned every row for nothing (0.2 s at the end of a list
        # of 318,000 cities). Nothing is frozen: what the command leaves (its knowledge base, which holds its own
        # cycle) is collected after it, in a process that runs many commands too
        try:
            with collector_paused():
                return super().invoke(ctx)
        except BrokenPipeError:  # before Typer turns it into exit 1
            silence_stdout()
            raise Exit(ExitCode.OK) from None


# --- building and printing a view


# spaces at the end of a line, before any closing escape codes
_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.M)


def unpadded(text: str) -> str:
    """A table's text with no line ending in padding (cells are padded). Without escape codes (no colour),
    each line is stripped of its end's spaces: the pattern, tried at every run of spaces between columns,
    took 3 ms for a page of 200 rows."""
    if "\x1b" in text:
        return _TRAILING.sub(r"\1", text)
    return "\n".join([line.rstrip(" ") for line in text.split("\n")])


def make_console(settings: Settings) -> Console:
    """A console created per command (so tests may change NO_COLOR/COLUMNS).

    --no-color and NO_COLOR turn off every escape code, bold and dim included;
    Rich itself already stays plain when the stream is not a terminal.
    """
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # Rich would exit 1; the runtime ends quietly instead
            self.quiet = True
            raise BrokenPipeError

    plain = settings.no_color or bool(os.environ.get("NO_COLOR"))
    return _Console(
        width=_width(),
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        no_color=plain,
        color_system=None if plain else "auto",
    )


def _width() -> int | None:
    """The width to lay out in where COLUMNS says 0 (Rich would take it and print every table and panel as
    nothing): the terminal's, else 80, as where COLUMNS is not set. None otherwise: Rich reads COLUMNS."""
    columns = os.environ.get("COLUMNS", "").strip()
    if not columns.isdigit() or int(columns) > 0:
        return None
    import shutil

    return shutil.get_terminal_size().columns  # a COLUMNS of 0 is no width to it: the terminal's, else 80


def build(settings: Settings, ask: Callable[[KB], T]) -> T:
    """Ask the knowledge base the settings name (the cache recovers itself)."""
    from ..collector import collector_paused
    from ..i18n import zh
    from ..store.cache import with_recovery

    def ask_with_names(kb: KB) -> T:  # Chinese tables name what they reference in Chinese, where the data can
        view = ask(kb)
        from ..i18n import remember_names

        remember_names(kb.chinese_names(_ids_in(view)))
        return view

    # a view of many rows makes objects that live until it is printed: no collector passes (the command's own
    # pause, ClustersGroup.invoke, goes on until it is printed)
    with _exact_names(settings.exact), collector_paused():
        try:
            return with_recovery(
                ask_with_names if zh() else ask, settings.data, shipped=settings.shipped, building=compiling_notice
            )
        except InvalidKnowledgeBase as error:
            raise shipped_hint(error, settings.shipped) from None


def _exact_names(on: bool) -> contextlib.AbstractContextManager[None]:
    """--exact: resolution takes exact names only. Without it nothing is set (resolution's default), and a
    view that reads no name (a page of every city) loads no resolution code."""
    if not on:
        return contextlib.nullcontext()
    from ..resolve import exact_names

    return exact_names(True)


@contextlib.contextmanager
def compiling_notice(paths: Sequence[str], stream: TextIO | None = None) -> Iterator[None]:
    """While the packs are compiled into the cache (a first run, or after a pack changed): one line saying so
    on stderr when it is a terminal, erased when done by spaces (no escape codes); nothing otherwise."""
    import shutil  # only on a build: a warm run never imports it

    out = sys.stderr if stream is None else stream
    try:
        terminal = out.isatty() and os.environ.get("TERM") != "dumb"
    except (OSError, ValueError):  # a closed stream
        terminal = False
    if not terminal:
        yield
        return
    size = 0
    for path in paths:
        with contextlib.suppress(OSError):
            size += os.path.getsize(path)
    line = _("Compiling the knowledge base ({size} MiB of packs) into the cache...").format(
        size=f"{size / 1048576:.1f}"
    )
    line, cells = _fitted(line, shutil.get_terminal_size().columns - 1)
    out.write(line)
    out.flush()
    try:
        yield
    finally:
        out.write("\r" + " " * cells + "\r")
        out.flush()


def _fitted(text: str, width: int) -> tuple[str, int]:
    """The text cut to `width` terminal cells, and the cells it takes: a wide character takes two, and so does
    one of ambiguous width (two in a Chinese terminal: more spaces than needed erase it all the same)."""
    import unicodedata

    cells = 0
    for i, ch in enumerate(text):
        wide = 2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1
        if cells + wide > width:
            return text[:i], cells
        cells += wide
    return text, cells


def _ids_in(view: Any) -> set[str]:
    """The ids of every reference a view holds ({"id": ..., "name": ...} anywhere in it)."""
    found: set[str] = set()
    stack = [view]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("id"), str) and "name" in item:
                found.add(item["id"])
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def resolution_lines(view: Any) -> list[str]:
    """How every name a view was asked for was read, in the run's language: a command's one (`resolved`),
    near's origin, compare's columns, map's sector. Said on stderr wherever stdout is not a table for people."""
    from ..views.notices import notice_lines

    found = [view.get("resolved"), (view.get("origin") or {}).get("resolved")]
    found += [item.get("resolved") for item in view.get("items") or [] if isinstance(item, dict)]
    sector = view.get("sector") if view.get("kind") == "map" else None
    found.append(sector)
    return [line for resolved in found if resolved for line in notice_lines(resolved, _)]


def announce(view: Any) -> None:
    """Say on stderr how every name the view was asked for was read (resolution_lines): where what stdout
    gets (a document, rows, a file) does not say it."""
    for line in resolution_lines(view):
        say(clean_one_line(line, 400))


@paused  # rows and cells to print are many objects and no cycles: no collector passes
def emit(
    settings: Settings,
    view: Any,
    fmt: str,
    rows_key: str | None = None,
    rows: RowOptions | None = None,
    empty: str | None = None,
) -> None:
    """Print a view as `fmt`: table, json, csv, tsv or ndjson; rows_key names the list CSV/NDJSON print,
    shaped first as `rows` asks (--fields, --sort, --reverse, --limit). With `empty`, a view without rows
    prints nothing but its JSON document (whose list is empty) and raises NoMatches(empty): exit 1."""
    if fmt != "table":  # how names were read goes to stderr when stdout is for machines (tables print it)
        announce(view)
        for line in map(local_line, view.get("notices", [])):
            say(clean_one_line(line, 400))
    if empty is not None and rows_key is not None and not view[rows_key]:
        from ..errors import NoMatches

        if fmt == "json":  # the document, whose list is empty (the notices are said above, once)
            from ..render.json import render_json

            if rows is not None:  # shaped as a list of rows is: `total` 0 beside `count`, the fields asked for
                from ..rows import apply_rows

                apply_rows(view, rows_key, rows)
            render_json(view)
            sys.stdout.flush()
        raise NoMatches(empty)
    if rows is not None and rows_key is not None:
        from ..rows import TABLE_COMPANIONS, apply_rows

        apply_rows(view, rows_key, rows, keep=TABLE_COMPANIONS if fmt == "table" else ())
        if rows.fields and fmt == "table" and view["kind"] != "list":  # the chosen columns, as `list` shows them
            from ..rows import rows_view

            said = {"resolved": view.get("resolved") or (view.get("origin") or {}).get("resolved")}  # how names
            # were read, said above the chosen columns as above the whole table
            view = {
                **rows_view(f"{view['kind']} results", view[rows_key], rows.fields, notices=view.get("notices")),
                "total": view.get("total"),
                **said,
            }
            # (its title, "Search results", is one of render.parts' marked titles)
    if fmt == "json":
        from ..render.json import render_json

        render_json(view)
    elif fmt in ("csv", "tsv", "ndjson"):
        records = view[rows_key] if rows_key else [view]
        if fmt == "ndjson":
            from ..render.json import render_ndjson

            render_ndjson(records)
        else:
            from ..render.csv import render_csv

            utf8_stdout()
            render_csv(records, "\t" if fmt == "tsv" else ",")
    else:
        from ..render.table import render_table

        console = make_console(settings)
        with console.capture() as captured:
            render_table(view, console)
        sys.stdout.write(unpadded(captured.get()))
    sys.stdout.flush()


def emit_cells(header: list[str], cells: Iterable[Sequence[Any]], fmt: str) -> None:
    """Print a header and rows of cells (flatten.csv_table's, or those kept of them) as `fmt`, csv or tsv."""
    from ..flatten import write_table

    utf8_stdout()
    write_table(header, cells, sys.stdout, "\t" if fmt == "tsv" else ",")
    sys.stdout.flush()


def utf8_stdout() -> None:
    """CSV and TSV are written as UTF-8 whatever the locale: on a stream of another encoding a cell's 北京市
    became the text \\u5317\\u4eac\\u5e02, another value (JSON escapes it instead, as JSON reads it back)."""
    from ..render.json import ascii_only

    if ascii_only():
        with contextlib.suppress(AttributeError, ValueError, OSError):
            sys.stdout.flush()
            sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
