"""The exports a spreadsheet opens: a folder of CSV tables (`write_csv`) and a workbook (`write_xlsx`), the same
tables (views/export.flat_tables) with the same columns, each written whole (cli/whole.py).
"""

from __future__ import annotations

import csv
import functools
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageProblem
from ..flatten import flat
from ..i18n import _, list_sep
from ..spool import spooling
from ..views.export import flat_tables, table_names
from .runtime import say
from .whole import refuse_knowledge_base, write_all_whole, write_whole

if TYPE_CHECKING:
    from ..store.kb import KB


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


# What a sheet of Excel holds (Microsoft, "Excel specifications and limits": 1,048,576 rows; 32,767 characters a
# cell): a workbook past them opens with rows dropped or a cell "repaired", so it is not written (CSV and SQLite
# hold any table)
SHEET_ROWS = 1_048_576
CELL_CHARACTERS = 32_767


def _too_long(value: str) -> bool:
    """Whether a text is longer than a cell holds (counted as Excel counts, in UTF-16 units)."""
    return len(value) > CELL_CHARACTERS // 2 and len(value.encode("utf-16-le")) // 2 > CELL_CHARACTERS


def _past_a_sheet(table: str) -> UsageProblem:
    return UsageProblem(
        _("the table {table} has more rows than a spreadsheet's sheet holds ({n}); export csv or sqlite").format(
            table=table, n=f"{SHEET_ROWS - 1:,}"
        )
    )


def _past_a_cell(table: str, row: int, cols: list[str], cells: list[Any]) -> UsageProblem | None:
    """The problem of the first text of a row longer than a cell holds, or None."""
    for column, text in zip(cols, cells, strict=True):
        if isinstance(text, str) and _too_long(text):
            units = len(text.encode("utf-16-le")) // 2  # as Excel counts, and as the limit is said
            return UsageProblem(
                _(
                    "the table {table}, row {row}, column {column}: a text of {n} characters, more than a"
                    " spreadsheet's cell holds ({limit}); export csv or sqlite"
                ).format(table=table, row=f"{row:,}", column=column, n=f"{units:,}", limit=f"{CELL_CHARACTERS:,}")
            )
    return None


def write_xlsx(kb: KB, target: Path) -> list[str]:
    """One workbook, a sheet per table of the CSV export (same columns), cells typed, the header frozen; a table
    of more rows than a sheet holds, or a text longer than a cell holds, is a usage problem (nothing written)."""
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
            for at, r in enumerate(rows, 2):  # the row of the sheet it goes on, under the header
                cells = [_typed(r.get(c)) for c in cols]
                past = _past_a_sheet(table) if at > SHEET_ROWS else _past_a_cell(table, at - 1, cols, cells)
                if past is not None:  # the sheets' files closed as openpyxl closes them, then refused
                    for written in book.worksheets:
                        if not written.closed:
                            written.close()
                    raise past
                sheet.append([_text_cell(sheet, v) if isinstance(v, str) else v for v in cells])
    write_whole(target, book.save)
    return [str(target)]
