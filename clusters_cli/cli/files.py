"""Writing files: the edge where views become files (exports, the map as SVG or HTML).

Views return data and never write; this module, called by the commands, decides where bytes go, refuses to
write over a knowledge-base pack, and turns an OSError into a one-line usage problem.
"""

from __future__ import annotations

import csv
import errno
import json
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..contract import SCHEMA_VERSION
from ..errors import UsageProblem
from ..flatten import flat
from ..i18n import N_, _
from ..paths import pack_paths, same_file
from ..render.json import ascii_only
from ..render.svg import render_html, render_svg
from ..store.sqlite_export import write_sqlite
from ..views.export import FORMATS, csv_tables, entities, export_data, geojson_data, rule_tables

if TYPE_CHECKING:
    from ..store.kb import KB
    from ..views.analysis_types import ExportReport, MapView
    from .options import Settings


def refuse_knowledge_base(kb: KB, target: Path) -> None:
    """Never write over the knowledge base being read."""
    for pack in kb.paths:
        if same_file(target, pack):
            raise UsageProblem(
                _("refusing to overwrite a knowledge-base pack ({pack}); choose another -o").format(pack=pack)
            )


def write_json(kb: KB, target: Path) -> list[str]:
    target.write_text(json.dumps(export_data(kb), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [str(target)]


def write_csv(kb: KB, target: Path) -> list[str]:
    """One CSV per table in the folder `target` (views/export.csv_tables: a table per kind and per list
    field, no JSON in any cell), UTF-8 with a byte-order mark so Excel and LibreOffice read Chinese right."""
    if target.exists() and not target.is_dir():
        raise UsageProblem(
            _("{target} exists and is not a folder; CSV export writes one file per kind into a folder").format(
                target=target
            )
        )
    target.mkdir(parents=True, exist_ok=True)
    written = []
    tables = flat_tables(kb)
    for table, (cols, rows) in tables.items():
        path = target / f"{table}.csv"
        with open(path, "w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, lineterminator="\r\n")
            writer.writerow(cols)  # the header even with no row
            writer.writerows([[flat(r.get(c)) for c in cols] for r in rows])
        written.append(str(path))
    return written


def flat_tables(kb: KB) -> dict[str, tuple[list[str], list[dict[str, Any]]]]:
    """Every table of the CSV and spreadsheet exports: a table per kind and per list field, and the counting
    rule's tables."""
    return {**csv_tables(kb), **rule_tables(kb)}


def _typed(value: Any) -> Any:
    """A spreadsheet cell: numbers and yes/no as themselves (so they sum and filter), the rest as text."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return flat(value)


def write_xlsx(kb: KB, target: Path) -> list[str]:
    """One workbook, a sheet per table of the CSV export (same columns), cells typed, the header frozen."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    for table, (cols, rows) in flat_tables(kb).items():
        sheet = book.create_sheet(table[:31])  # a sheet name holds at most 31 characters

        def text(value: str) -> WriteOnlyCell:
            """A text cell, always text: openpyxl makes one starting with '=' a formula, which Excel would run
            (a pack's `=WEBSERVICE(...)`); a control character would make the workbook unreadable."""
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"
            return cell

        sheet.freeze_panes = "A2"
        sheet.append([text(c) for c in cols])
        for r in rows:
            cells = [_typed(r.get(c)) for c in cols]
            sheet.append([text(v) if isinstance(v, str) else v for v in cells])
    tmp = target.with_name(target.name + ".tmp")
    book.save(tmp)
    tmp.replace(target)
    return [str(target)]


def write_geojson(kb: KB, target: Path, layers: list[str] | None = None) -> list[str]:
    document = geojson_data(kb, layers)
    target.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [str(target)]


def write_sqlite_file(kb: KB, target: Path) -> list[str]:
    return write_sqlite(kb, target, lambda kind: entities(kb, kind))


WRITERS = {
    "json": write_json,
    "csv": write_csv,
    "geojson": write_geojson,
    "sqlite": write_sqlite_file,
    "xlsx": write_xlsx,
}


def writable(target: Path, fmt: str, *, folder_ok: bool = False) -> None:
    """A file an export or a map may be written to: not a folder (unless the format is one), in a folder that
    exists; a usage error saying which otherwise."""
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


# why a file could not be written, in our words for the usual reasons (the system's words otherwise)
_OS_REASONS = {
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.ENOSPC: N_("no space left on the device"),
    errno.EROFS: N_("the file system is read-only"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENOENT: N_("no such file or folder"),
}


def _why_not(error: Exception) -> str:
    code = getattr(error, "errno", None)
    if code in _OS_REASONS:
        return _(_OS_REASONS[code])
    if isinstance(error, sqlite3.Error):  # a database another process holds, or one it cannot write
        return _("the database could not be written ({detail})").format(detail=error)
    return str(getattr(error, "strerror", None) or error)


def export(kb: KB, fmt: str, output: str, layers: list[str] | None = None) -> ExportReport:
    """Write the export (GeoJSON: only `layers`, if given); return a small report of what was written."""
    if fmt not in WRITERS:
        raise UsageProblem(
            _("unknown export format '{fmt}'; choose from: {value}").format(fmt=fmt, value=", ".join(FORMATS))
        )
    if layers and fmt != "geojson":
        raise UsageProblem(_("--layer picks GeoJSON layers; a {fmt} export has none").format(fmt=fmt))
    if output == "-":  # standard output, as line tools expect: the text formats only
        if fmt not in ("json", "geojson"):
            raise UsageProblem(
                _("-o - writes to standard output, which a {fmt} export cannot: give a path").format(fmt=fmt)
            )
        document = export_data(kb) if fmt == "json" else geojson_data(kb, layers)
        # escaped where the stream cannot carry UTF-8, as every JSON on standard output is: always valid JSON
        sys.stdout.write(json.dumps(document, ensure_ascii=ascii_only(), indent=2) + "\n")
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "export",
            "format": fmt,
            "files": ["-"],
            "counts": kb.counts(),
        }
    target = Path(output)
    refuse_knowledge_base(kb, target)
    writable(target, fmt, folder_ok=fmt == "csv")
    try:
        files = write_geojson(kb, target, layers) if fmt == "geojson" else WRITERS[fmt](kb, target)
    except (OSError, sqlite3.Error) as e:
        raise UsageProblem(_("cannot write {target}: {reason}").format(target=target, reason=_why_not(e))) from None
    return {"schema_version": SCHEMA_VERSION, "kind": "export", "format": fmt, "files": files, "counts": kb.counts()}


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
        writable(Path(target), "SVG" if render is render_svg else "HTML")
    for target, render in targets:
        if target == "-":  # standard output
            sys.stdout.write(render(view, dots=dots))
            continue
        try:
            Path(target).write_text(render(view, dots=dots), encoding="utf-8")
        except OSError as e:
            raise UsageProblem(_("cannot write {target}: {reason}").format(target=target, reason=_why_not(e))) from None
        written.append(target)
    return written
