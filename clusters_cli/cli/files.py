"""Writing files: the edge where views become files (exports, the map as SVG or HTML).

Views return data and never write; this module, called by the commands, decides where bytes go, refuses to
write over a knowledge-base pack, and turns an OSError into a one-line usage problem. Each file is written whole
(cli/whole.py); the CSV folder and the workbook are cli/sheets.py's.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..contract import SCHEMA_VERSION
from ..errors import UsageProblem, why_not
from ..i18n import _, list_sep
from ..model import KINDS
from ..paths import pack_paths, same_file
from ..render.json import ascii_only, write_document
from ..render.svg import render_html, render_svg
from ..sanitize import clean_one_line
from ..spool import SpoolFailed, spooling
from ..store.sqlite_export import write_sqlite
from ..views.export import EXTENSIONS, FORMATS, each_exported, export_data
from ..views.geojson import geojson_data
from .sheets import write_csv, write_xlsx
from .whole import refuse_knowledge_base, write_text_whole, write_whole

if TYPE_CHECKING:
    from ..store.kb import KB
    from ..views.analysis_types import ExportReport, MapView
    from .options import Settings


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


# a file a map is written to ("-": standard output), with the renderer of its format (render.svg)
MapTarget = tuple[str, Callable[..., str]]


def write_map_files(view: MapView, targets: list[MapTarget], *, dots: bool = False) -> list[str]:
    """Write the map to the files check_map_targets checked (with `dots`, a dot at each city named); return
    what was written."""
    written = []
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


def check_map_targets(settings: Settings, *, svg: str | None, html: str | None) -> list[MapTarget]:
    """The files a map is to be written to, each with its renderer, every one checked (map checks them before
    the map is made: a folder that does not exist was said only after the whole map, 0.76 s at 100 times the
    shipped data): none a pack, each named by its format's extension, in a folder that exists."""
    packs = pack_paths(settings.data, shipped=settings.shipped)
    targets: list[MapTarget] = [(t, render) for t, render in ((svg, render_svg), (html, render_html)) if t]
    for target, render in targets:
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
    return targets
