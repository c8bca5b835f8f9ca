"""Tables kept beside the cache: the cells of a whole list, made once per build and read back.

`list cities --format csv` with no filter or row option prints every city, the same rows until the packs
change. The first time it is asked of a build, its rows are made as always (views/listing.py, then
flatten.csv_table) and their cells kept in a file beside the cache's database; later runs print that file's
cells through the same writer (flatten.write_table), not reading and shaping every entity again.

A kept file is read only by what made it, and only whole:
- it names the build of the database it was made from (writers.new_build: each full or delta build names
  itself afresh, so a database rebuilt from the same packs, after a damaged one was dropped or the file
  deleted, does not read a list of the one before), the tool's code (every module's size and modification
  time: an edited or reinstalled module may make other rows), the run's language and this module's format;
- it holds its rows' count and CRC-32, and every row is read and checked to be a list of as many cells as the
  header before any is printed: a file of another build or code, cut short or changed, is not used (the rows
  are made again and the file replaced);
- it is written beside its name and renamed into place, as the database is; a cache in memory (an unwritable
  cache folder) keeps nothing.
It is as trusted as the database beside it, which the tool also wrote: the checks find damage, not forgery.

Layout: each row's cells as a JSON array, one a line (JSON writes a line break inside a text as \\n: one row is
one line), then a line of JSON saying what they are (format, build, header, rows, and the CRC-32 of the lines
before it): written last, so a file cut short says nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from collections.abc import Sequence
from typing import Any

from .kb import KB

# 1: the cells of a whole list, for CSV and TSV
KEPT_FORMAT = 1
_BATCH = 1000  # rows decoded as one JSON array: a quarter faster than a json.loads a row
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # clusters_cli/


def code_of(root: str) -> str:
    """A name of the code under `root`: every Python module's path, size and modification time (its compiled
    copies in __pycache__ aside)."""
    found = []
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                found.append((os.path.relpath(os.path.join(folder, name), root), st.st_size, st.st_mtime_ns))
    return f"{zlib.crc32(repr(found).encode('utf-8', 'surrogateescape')):08x}-{len(found)}"


def _where(kb: KB, name: str) -> tuple[str, str] | None:
    """(file, what made it) of a kept table of this knowledge base, or None where its database is in memory."""
    built = kb.built()
    if built is None:
        return None
    from ..i18n import zh

    database, build = built
    stem = database[: -len(".sqlite")] if database.endswith(".sqlite") else database
    return f"{stem}.{name}.rows", json.dumps([KEPT_FORMAT, build, code_of(_PACKAGE), "zh" if zh() else "en"])


def read_kept(kb: KB, name: str) -> tuple[list[str], list[list[Any]]] | None:
    """(header, rows) of the table `name` kept by what makes it now, or None: none kept, or one of another
    build, code or language, or one whose rows are not whole (cut short, changed). Every row is read and
    checked before any is given."""
    where = _where(kb, name)
    if where is None:
        return None
    path, made = where
    try:
        with open(path, "rb") as f:
            data = f.read()
        cut = data.rfind(b"\n")
        last = json.loads(data[cut + 1 :]) if cut > 0 else None
    except (OSError, ValueError, RecursionError):  # none kept, or not ours (a last line that is no JSON)
        return None
    if not isinstance(last, dict) or last.get("format") != KEPT_FORMAT or last.get("build") != made:
        return None
    header, count = last.get("header"), last.get("rows")
    if not (isinstance(header, list) and all(type(h) is str for h in header) and type(count) is int and count > 0):
        return None
    if last.get("crc") != zlib.crc32(memoryview(data)[:cut]) or data.count(b"\n", 0, cut) != count - 1:
        return None
    lines = data[:cut].split(b"\n")
    rows: list[list[Any]] = []
    try:
        for start in range(0, count, _BATCH):
            rows += json.loads(b"[" + b",".join(lines[start : start + _BATCH]) + b"]")
    except (ValueError, RecursionError):
        return None
    width = len(header)
    if len(rows) != count or not all(type(row) is list and len(row) == width for row in rows):
        return None
    return header, rows


def keep(kb: KB, name: str, header: list[str], rows: Sequence[Sequence[Any]]) -> None:
    """Keep a table of at least one row for later runs of what makes it now (read_kept); nothing is kept where
    the database is in memory or the file cannot be written (the next run makes the rows again). The rows are
    written a batch at a time, and the line saying what they are comes last."""
    where = _where(kb, name)
    if where is None or not rows:
        return
    path, made = where
    from .buildfiles import temporary

    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    try:  # private, as the database is (mkstemp's mode), and whole or absent under its name
        fd, tmp = temporary(os.path.dirname(path), ".rows")
    except OSError:
        return
    try:
        crc = 0
        with open(fd, "wb") as f:
            for start in range(0, len(rows), _BATCH):
                data = (("\n" if start else "") + "\n".join(map(encode, rows[start : start + _BATCH]))).encode()
                f.write(data)
                crc = zlib.crc32(data, crc)
            last = {"format": KEPT_FORMAT, "build": made, "header": header, "rows": len(rows), "crc": crc}
            f.write(b"\n" + json.dumps(last, ensure_ascii=False).encode("utf-8"))
        os.replace(tmp, path)
        tmp = ""
    except (OSError, ValueError, TypeError):  # ValueError, TypeError: a cell JSON cannot write as it reads
        pass
    finally:  # not kept (an interrupt too): the temporary goes
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
