"""Building a view and printing it: the console, the cache asked with recovery, how names were read, and
`emit`, which prints a view as a table, JSON, CSV, TSV or NDJSON (runtime.py is the exit door and the
streams; this module prints what a command made).
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from ..collector import paused
from ..errors import InvalidKnowledgeBase
from ..i18n import _, local_line
from ..sanitize import clean_one_line
from .runtime import say, shipped_hint

if TYPE_CHECKING:
    from rich.console import Console

    from ..rows import RowOptions
    from ..store.kb import KB
    from .options import Settings

T = TypeVar("T")


# spaces at the end of a line, before any closing escape codes
_TRAILING = r"(?m) +((?:\x1b\[[0-9;]*m)*)$"


def unpadded(text: str) -> str:
    """A table's text with no line ending in padding (cells are padded). Without escape codes (no colour),
    each line is stripped of its end's spaces: the pattern, tried at every run of spaces between columns,
    took 3 ms for a page of 200 rows."""
    if "\x1b" in text:
        return re.sub(_TRAILING, r"\1", text)
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

    def asking(kb: KB) -> T:
        if kb.not_kept is not None:  # a run of a minute at 100 times the shipped data, every time, said nowhere
            note = _(
                "clusters: note: the cache folder {folder} cannot hold the compiled packs: every run compiles them"
                " (CLUSTERS_CACHE_DIR names another folder)"
            )
            say(clean_one_line(note.format(folder=kb.not_kept), 400))
        return ask_with_names(kb) if zh() else ask(kb)

    say_stand_ins(settings.data, settings.shipped)
    # a view of many rows makes objects that live until it is printed: no collector passes (the command's own
    # pause, ClustersGroup.invoke, goes on until it is printed)
    with _exact_names(settings.exact), collector_paused():
        try:
            return with_recovery(asking, settings.data, shipped=settings.shipped, building=compiling_notice)
        except InvalidKnowledgeBase as error:
            raise shipped_hint(error, settings.shipped) from None


def say_stand_ins(data: Sequence[str], shipped: bool | None) -> None:
    """Say on stderr, on every run, each pack of one's own read in place of a shipped pack (paths.stand_ins):
    a pack named clusters.yaml by chance would otherwise hide the shipped one unseen."""
    from ..paths import stand_ins

    for path, name in stand_ins(data, shipped=shipped):
        note = _("clusters: note: {path} is read in place of the shipped pack {name}, whose file name and title it has")
        say(clean_one_line(note.format(path=path, name=name), 400))


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
    """The ids of every reference a view holds ({"id": ..., "name": ...} anywhere in it), and a province a row
    gives as a bare id (a search hit's: a table tells namesakes apart by it, render.namesakes.told_apart)."""
    found: set[str] = set()
    stack = [view]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if isinstance(item.get("id"), str) and "name" in item:
                found.add(item["id"])
            if isinstance(item.get("province"), str):
                found.add(item["province"])
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
    nothing = empty is not None and rows_key is not None and not view[rows_key]
    # how names were read goes to stderr when stdout is for machines, or when no table is printed to say it
    # (an empty answer: `near Shenzen --km 1`); a table prints it above itself
    if fmt != "table" or nothing:
        announce(view)
        for line in map(local_line, view.get("notices", [])):
            say(clean_one_line(line, 400))
    if nothing and empty is not None and rows_key is not None:  # (the types said again for the checker)
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

        added = apply_rows(view, rows_key, rows, keep=TABLE_COMPANIONS if fmt == "table" else ())
        if added and fmt != "table":  # said above a table, with the others; on stderr beside rows for machines
            say(clean_one_line(local_line(added), 400))
        if rows.fields and fmt == "table" and view["kind"] != "list":  # the chosen columns, as `list` shows them
            from ..rows import rows_view

            said = {"resolved": view.get("resolved") or (view.get("origin") or {}).get("resolved")}  # how names
            # were read, said above the chosen columns as above the whole table
            view = {
                **rows_view(f"{view['kind']} results", view[rows_key], rows.fields, notices=view.get("notices")),
                "total": view.get("total"),
                **said,
            }
            # (its title, "Search results", is one of render.listtable's marked titles)
        if rows.fields and fmt == "table":  # columns a person named: each shown, narrower (render.listtable.ListTable)
            view = {**view, "fields_chosen": True}
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
