"""Writing files: the edge where views become files (exports, the map as SVG or HTML).

Views return data and never write; this module, called by the commands, decides where bytes go, refuses to
write over a knowledge-base pack, and turns an OSError into a one-line usage problem.
"""

from __future__ import annotations

import csv
import functools
import itertools
import os
import shutil
import sqlite3
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..contract import SCHEMA_VERSION
from ..errors import UsageProblem, why_not
from ..flatten import flat
from ..i18n import _, list_sep
from ..model import KINDS
from ..paths import pack_paths, same_file
from ..render.json import ascii_only, write_document
from ..render.svg import render_html, render_svg
from ..sanitize import clean_one_line
from ..spool import SpoolFailed, spooling
from ..store.sqlite_export import write_sqlite
from ..views.export import EXTENSIONS, FORMATS, each_exported, export_data, flat_tables, table_names
from ..views.geojson import geojson_data
from .runtime import say

if TYPE_CHECKING:
    from ..store.kb import KB
    from ..views.analysis_types import ExportReport, MapView
    from .options import Settings


def _default_mode() -> int:
    """The permissions a new file gets here (0o666 less the umask), for a file made by renaming a temporary
    one (which is made readable by its owner only)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_whole(target: Path, write: Callable[[Path], object]) -> None:
    """Write the file `target` names whole or not at all: `write(path)` fills a temporary file beside it, which
    is then renamed onto it, so a failure (a full disk) or an interrupt leaves the file that was there as it
    was, and no temporary file. A symbolic link is followed: the file it points to is replaced, the link stays.
    A target that is no regular file (a named pipe, a device) cannot be renamed onto: the finished file is
    copied into it."""
    write_all_whole(iter([(target, write)]))


def write_all_whole(files: Iterator[tuple[Path, Callable[[Path], object]]]) -> None:
    """Several files written as write_whole writes one, and put in place together: each filled into its
    temporary file as `files` gives it, and only once every one is filled are they renamed onto their targets,
    so a failure or an interrupt on the way (the temporary folder full halfway through a CSV export) leaves every
    file as it was, not some tables new beside others of an earlier export."""
    parts: list[tuple[Path, Path, bool]] = []  # (temporary file, the real target, whether it is no regular file)
    try:
        for target, write in files:
            real = Path(os.path.realpath(target))
            special = real.exists() and not real.is_file()
            fd, name = tempfile.mkstemp(
                dir=tempfile.gettempdir() if special else real.parent, prefix=f".{real.name}.", suffix=".part"
            )
            os.close(fd)
            parts.append((Path(name), real, special))
            write(Path(name))
        for tmp, real, special in parts:
            if special:
                with open(tmp, "rb") as finished, open(real, "wb") as out:
                    shutil.copyfileobj(finished, out)
            else:
                os.chmod(tmp, stat.S_IMODE(real.stat().st_mode) if real.exists() else _default_mode())
                os.replace(tmp, real)
    finally:
        for tmp, _, _ in parts:
            tmp.unlink(missing_ok=True)


def write_text_whole(target: Path, text: str) -> None:
    write_whole(target, lambda path: path.write_text(text, encoding="utf-8"))


def refuse_knowledge_base(kb: KB, target: Path) -> None:
    """Never write over the knowledge base being read."""
    for pack in kb.paths:
        if same_file(target, pack):
            raise UsageProblem(
                _("refusing to overwrite a knowledge-base pack ({pack}); choose another -o").format(pack=pack)
            )


def write_json(kb: KB, target: Path) -> list[str]:
    write_document_whole(target, export_data(kb), indent=2)
    return [str(target)]


def write_document_whole(target: Path, document: dict[str, Any], indent: int) -> None:
    """A JSON document written whole (write_whole) as it is made, its iterators item by item
    (render.json.write_document): json.dumps' text, never held at once."""

    def fill(path: Path) -> None:
        with open(path, "w", encoding="utf-8") as f:
            write_document(document, f.write, indent=indent, ensure_ascii=False)
            f.write("\n")

    write_whole(target, fill)


def write_csv(kb: KB, target: Path) -> list[str]:
    """One CSV per table in the folder `target` (views/export.csv_tables: a table per kind and per list
    field, no JSON in any cell), UTF-8 with a byte-order mark so Excel and LibreOffice read Chinese right."""
    if target.exists() and not target.is_dir():
        raise UsageProblem(
            _("{target} exists and is not a folder; CSV export writes one file per kind into a folder").format(
                target=target
            )
        )
    # every file it may write checked before any is written (each table's name is known only once its kind's
    # entities are read): no pack stands under any table's name, so neither a table written nor one removed
    # below is a pack
    names = table_names()
    for table in sorted(names):
        refuse_knowledge_base(kb, target / f"{table}.csv")
    target.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    formulas = 0

    def fill(path: Path, cols: list[str], rows: Iterator[dict[str, Any]]) -> None:
        nonlocal formulas
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, lineterminator="\r\n")
            writer.writerow(cols)  # the header even with no row
            while batch := list(itertools.islice(rows, 1000)):  # a thousand rows made and written at a time
                cells = [[flat(r.get(c)) for c in cols] for r in batch]
                formulas += sum(1 for line in cells for cell in line if _formula_like(cell))
                writer.writerows(cells)

    def tables() -> Iterator[tuple[Path, Callable[[Path], object]]]:
        for table, cols, rows in flat_tables(kb):  # each table filled before the next is made (its rows spooled)
            written.append(str(target / f"{table}.csv"))
            yield target / f"{table}.csv", functools.partial(fill, cols=cols, rows=rows)

    write_all_whole(tables())  # the tables put in place together, once every one is made
    # a table an earlier export wrote and this one does not (no entry has the field any more) would be read with
    # the others by a script loading the folder: it goes; any other file is left as it is
    stale = [p for p in sorted(target.glob("*.csv")) if p.stem in names and str(p) not in written]
    for path in stale:
        path.unlink()
    if stale:
        names_removed = list_sep().join(p.name for p in stale)
        say(
            _("removed the tables of an earlier export that this one does not write: {names}").format(
                names=names_removed
            )
        )
    if formulas:
        say(
            _(
                "cells beginning with =, +, - or @: {n}; a spreadsheet opening the CSV may run them as formulas "
                "(export -f xlsx keeps them text)"
            ).format(n=formulas)
        )
    return written


def _formula_like(cell: str) -> bool:
    """Text a spreadsheet may take for a formula (OWASP's CSV injection): starting with =, +, -, @, a tab or a
    carriage return, and no number (-5 and +86 are numbers, as written)."""
    if len(cell) < 2 or cell[0] not in "=+-@\t\r":  # a lone "-" is text to any spreadsheet
        return False
    try:
        float(cell)
    except ValueError:
        return True
    return False


def _typed(value: Any) -> Any:
    """A spreadsheet cell: numbers and yes/no as themselves (so they sum and filter), the rest as text."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return flat(value)


def _text_cell(sheet: Any, value: str) -> Any:
    """A text cell, always text: openpyxl makes a string starting with '=' a formula, which Excel would run (a
    pack's `=WEBSERVICE(...)`); a control character would make the workbook unreadable."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    return cell


def write_xlsx(kb: KB, target: Path) -> list[str]:
    """One workbook, a sheet per table of the CSV export (same columns), cells typed, the header frozen."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    from .. import __version__

    title = next((str(p["title"]) for p in kb.packs if p.get("primary_source") and p.get("title")), "")
    book.properties.title = f"{title} (clusters export)" if title else "clusters export"
    book.properties.creator = book.properties.lastModifiedBy = f"clusters {__version__}"  # it read "openpyxl"
    with spooling():  # openpyxl keeps each sheet of a workbook written at once in a temporary file until it is saved
        for table, cols, rows in flat_tables(kb):
            sheet = book.create_sheet(table[:31])  # a sheet name holds at most 31 characters
            sheet.freeze_panes = "A2"
            sheet.append([_text_cell(sheet, c) for c in cols])
            for r in rows:
                cells = [_typed(r.get(c)) for c in cols]
                sheet.append([_text_cell(sheet, v) if isinstance(v, str) else v for v in cells])
    write_whole(target, book.save)
    return [str(target)]


def write_geojson(
    kb: KB, target: Path, layers: list[str] | None = None, counted: dict[str, int] | None = None
) -> list[str]:
    write_document_whole(target, _counting(geojson_data(kb, layers), counted), indent=1)
    return [str(target)]


def _counting(document: dict[str, Any], counted: dict[str, int] | None) -> dict[str, Any]:
    """The GeoJSON document with its features counted as they are written, by their kind's section (cities,
    clusters...) in `counted`: what the report of a GeoJSON export counts, not every entity of the knowledge
    base (33 provinces were reported as 4,878 entries)."""
    if counted is None:
        return document

    def features(made: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for feature in made:
            kind = feature["properties"]["kind"]
            section = KINDS[kind].section if kind in KINDS else kind
            counted[section] = counted.get(section, 0) + 1
            yield feature

    return {**document, "features": features(document["features"])}


def write_sqlite_file(kb: KB, target: Path) -> list[str]:
    write_whole(target, lambda path: write_sqlite(kb, path, lambda kind: each_exported(kb, kind)))
    return [str(target)]


WRITERS = {
    "json": write_json,
    "csv": write_csv,
    "geojson": write_geojson,
    "sqlite": write_sqlite_file,
    "xlsx": write_xlsx,
}


def writable(output: str, fmt: str, *, folder_ok: bool = False) -> None:
    """A file an export or a map may be written to, as the user wrote it (`output`): a name, not a folder
    (unless the format is one: a path ending in a slash names one), in a folder that exists; a usage error
    saying which otherwise, and one saying why where the system cannot even look (a name too long)."""
    target = Path(output)
    if not folder_ok and output.endswith(("/", os.sep)):  # Path() drops the slash: y.json/ would be y.json
        raise UsageProblem(
            _("{target} ends with a slash, which names a folder; give a file name for the {fmt} output").format(
                target=output, fmt=fmt
            )
        )
    try:
        if not folder_ok and target.is_dir():
            raise UsageProblem(
                _("{target} is a folder; give a file name for the {fmt} output").format(target=target, fmt=fmt)
            )
        if not target.absolute().parent.is_dir():  # every format alike: the folder it goes in must exist
            raise UsageProblem(
                _("cannot write {target}: the folder {absolute} does not exist").format(
                    target=target, absolute=target.absolute().parent
                )
            )
    except OSError as e:
        shown = clean_one_line(output, 120)
        raise UsageProblem(_("cannot write {target}: {reason}").format(target=shown, reason=why_not(e))) from None


def _why_not(error: Exception) -> str:
    if isinstance(error, sqlite3.Error):  # a database another process holds, or one it cannot write
        return _("the database could not be written ({detail})").format(detail=error)
    return why_not(error) if isinstance(error, OSError) else str(error)


def _temporary_problem(error: OSError) -> UsageProblem:
    """A temporary file an export needs could not be written (the folder full, say): the folder named, as the
    place to make room or to leave for another."""
    return UsageProblem(
        _("cannot write the export's temporary files in {folder}: {reason}; TMPDIR names another folder").format(
            folder=tempfile.gettempdir(), reason=why_not(error)
        )
    )


def _document_aside(document: dict[str, Any], indent: int = 2) -> IO[str]:
    """The JSON or GeoJSON document written as it is made into a temporary file, which is returned open at its
    start, to be printed once whole: a cache that fails halfway is dropped and the export made again from a
    fresh build (store/cache.with_recovery), and a document printed as it was made would stand twice, the first
    cut short. Escaped where the stream cannot carry UTF-8, as every JSON on standard output is: always valid
    JSON. A temporary file that cannot be written raises SpoolFailed (spool.spooling)."""
    with spooling():
        whole = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (returned open, closed by the caller)
    try:
        with spooling():
            write_document(document, whole.write, indent=indent, ensure_ascii=ascii_only())
            whole.write("\n")
            whole.flush()
            whole.seek(0)
    except BaseException:
        whole.close()
        raise
    return whole


def export(kb: KB, fmt: str, output: str, layers: list[str] | None = None) -> ExportReport:
    """Write the export (GeoJSON: only `layers`, if given); return a small report of what was written."""
    if fmt not in WRITERS:
        raise UsageProblem(
            _("unknown export format '{fmt}'; choose from: {value}").format(fmt=fmt, value=list_sep().join(FORMATS))
        )
    if layers and fmt != "geojson":
        raise UsageProblem(_("--layer picks GeoJSON layers; a {fmt} export has none").format(fmt=fmt))
    counted: dict[str, int] = {}  # a GeoJSON export's features, by section (the other formats hold every entity)
    if output == "-":  # standard output, as line tools expect: the text formats only
        if fmt not in ("json", "geojson"):
            raise UsageProblem(
                _("-o - writes to standard output, which a {fmt} export cannot: give a path").format(fmt=fmt)
            )
        try:
            # the same bytes as the file of that format (GeoJSON's indent is 1: write_geojson)
            made = export_data(kb) if fmt == "json" else _counting(geojson_data(kb, layers), counted)
            whole = _document_aside(made, indent=2 if fmt == "json" else 1)
        except SpoolFailed as e:
            raise _temporary_problem(e) from None
        with whole:
            shutil.copyfileobj(whole, sys.stdout)  # a failure to write here is standard output's (cli/runtime.py)
        files = ["-"]
    else:
        target = Path(output)
        refuse_knowledge_base(kb, target)
        writable(output, fmt, folder_ok=fmt == "csv")
        try:
            files = write_geojson(kb, target, layers, counted) if fmt == "geojson" else WRITERS[fmt](kb, target)
        except SpoolFailed as e:  # a temporary file's (the rows put aside, a workbook's sheets), not the target's
            raise _temporary_problem(e) from None
        except (OSError, sqlite3.Error) as e:
            reason = _why_not(e)
            raise UsageProblem(_("cannot write {target}: {reason}").format(target=target, reason=reason)) from None
    counts = counted if fmt == "geojson" else kb.counts()
    return {"schema_version": SCHEMA_VERSION, "kind": "export", "format": fmt, "files": files, "counts": counts}


# what a file's extension says it holds, where it says another picture or document than the one written: the
# pictures and pages, and the export's own formats by the names --format gives them (an extension not listed
# says nothing: map.out is written as asked)
_PICTURE_EXTENSIONS = {
    ".svg": "SVG",
    ".svgz": "SVGZ",
    ".html": "HTML",
    ".htm": "HTML",
    ".xhtml": "XHTML",
    ".png": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".gif": "GIF",
    ".webp": "WebP",
    ".pdf": "PDF",
    ".txt": "text",
    **EXTENSIONS,
}


def write_map_files(
    view: MapView, settings: Settings, *, svg: str | None, html: str | None, dots: bool = False
) -> list[str]:
    """Write the map as SVG and/or HTML (with `dots`, a dot at each city named); return what was written."""
    written = []
    packs = pack_paths(settings.data, shipped=settings.shipped)
    targets = [(target, render) for target, render in ((svg, render_svg), (html, render_html)) if target]
    for target, render in targets:  # every file checked before any is written
        if target == "-":
            continue
        if any(same_file(target, pack) for pack in packs):
            raise UsageProblem(_("refusing to overwrite a knowledge-base pack ({target})").format(target=target))
        kind = "SVG" if render is render_svg else "HTML"
        said = _PICTURE_EXTENSIONS.get(os.path.splitext(target)[1].lower(), kind)
        if said != kind:  # `--svg map.png` wrote SVG into a file every viewer takes for a PNG
            raise UsageProblem(
                _("the extension of {target} says {said}, but {option} writes {kind}: name the file {ext}").format(
                    target=target,
                    said=said,
                    option="--svg" if kind == "SVG" else "--html",
                    kind=kind,
                    ext=".svg" if kind == "SVG" else ".html",
                )
            )
        writable(target, kind)
    for target, render in targets:
        if target == "-":  # standard output
            sys.stdout.write(render(view, dots=dots))
            continue
        try:
            write_text_whole(Path(target), render(view, dots=dots))
        except OSError as e:
            raise UsageProblem(_("cannot write {target}: {reason}").format(target=target, reason=_why_not(e))) from None
        written.append(target)
    return written
