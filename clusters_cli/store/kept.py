"""Tables kept beside the cache: the cells of a whole list, made once per build and read back.

`list cities --format csv` with no filter or row option prints every city, the same rows until the packs
change. The first time it is asked of a build, its rows are made as always (views/listing.py, then
flatten.csv_table) and their cells kept in a file beside the cache's database; later runs print that file's
cells through the same writer (flatten.write_table), not reading and shaping every entity again.

A kept file names the build it was made from (the database's cache key: every pack's file as it was built,
the tool's version and the cache's format; and this module's format, raised when what a kept file holds
changes, as the cache's is) and holds the CRC-32 of its rows: a file of another build, or cut short,
or changed, is not used (the rows are made again and the file replaced). It is written beside its name and
renamed into place, as the database is. A cache in memory (an unwritable cache folder) keeps nothing.

Layout: each row's cells as a JSON array, one a line (JSON writes a line break inside a text as \\n: one row is
one line), then a line of JSON saying what they are (format, build, header, rows, and the CRC-32 of the lines
before it): written last, so a file cut short says nothing.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

from .kb import KB, CacheCorrupt

# 1: the cells of a whole list, for CSV and TSV
KEPT_FORMAT = 1
_BATCH = 1000  # rows decoded as one JSON array: a quarter faster than a json.loads a row


def _where(kb: KB, name: str) -> tuple[str, str] | None:
    """(file, build) of a kept table of this knowledge base, or None where its database is in memory."""
    try:
        main = next((row[2] for row in kb.conn.execute("PRAGMA database_list") if row[1] == "main"), "")
        key = kb.conn.execute("SELECT value FROM meta WHERE key = 'cache_key'").fetchone()
    except sqlite3.DatabaseError as e:
        raise CacheCorrupt(str(e)) from e
    if not main or key is None:
        return None
    stem = main[: -len(".sqlite")] if main.endswith(".sqlite") else main
    return f"{stem}.{name}.rows", json.dumps([KEPT_FORMAT, key[0]])


def read_kept(kb: KB, name: str) -> tuple[list[str], Iterator[list[Any]]] | None:
    """(header, rows) of the table `name` kept from this build, or None: none kept, or one of another build, or
    one whose rows are not whole (cut short, changed). The rows are checked before any is given."""
    where = _where(kb, name)
    if where is None:
        return None
    path, build = where
    try:
        with open(path, "rb") as f:
            data = f.read()
        cut = data.rfind(b"\n")
        last = json.loads(data[cut + 1 :]) if cut > 0 else None
    except (OSError, ValueError):  # none kept, or not ours (a last line that is no JSON)
        return None
    if not isinstance(last, dict) or last.get("format") != KEPT_FORMAT or last.get("build") != build:
        return None
    header, count = last.get("header"), last.get("rows")
    if not (isinstance(header, list) and all(type(h) is str for h in header) and type(count) is int and count > 0):
        return None
    body = memoryview(data)[:cut]
    if last.get("crc") != zlib.crc32(body) or data.count(b"\n", 0, cut) != count - 1:
        return None
    return header, _decoded(io.BytesIO(data), count)


def _decoded(lines: io.BytesIO, count: int) -> Iterator[list[Any]]:
    """The first `count` lines, each a row's JSON array, decoded _BATCH at a time."""
    while count > 0:
        batch = list(itertools.islice(lines, min(count, _BATCH)))
        count -= len(batch)
        yield from json.loads(b"[" + b",".join(batch) + b"]")


def keep(kb: KB, name: str, header: list[str], rows: Sequence[Sequence[Any]]) -> None:
    """Keep a table of at least one row for later runs of this build (read_kept); nothing is kept where the
    database is in memory or the file cannot be written (the next run makes the rows again). The rows are
    written a batch at a time, and the line saying what they are comes last."""
    where = _where(kb, name)
    if where is None or not rows:
        return
    path, build = where
    import tempfile

    from .cache import TMP_PREFIX

    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    try:  # private, as the database is (mkstemp's mode), and whole or absent under its name
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=f"{TMP_PREFIX}{os.getpid()}-", suffix=".rows")
    except OSError:
        return
    try:
        crc = 0
        with open(fd, "wb") as f:
            for start in range(0, len(rows), _BATCH):
                chunk = ("\n" if start else "") + "\n".join(map(encode, rows[start : start + _BATCH]))
                data = chunk.encode("utf-8")
                f.write(data)
                crc = zlib.crc32(data, crc)
            last = {"format": KEPT_FORMAT, "build": build, "header": header, "rows": len(rows)}
            f.write(b"\n" + json.dumps({**last, "crc": crc}, ensure_ascii=False).encode("utf-8"))
        os.replace(tmp, path)
    except (OSError, ValueError, TypeError):  # ValueError, TypeError: a cell JSON cannot write as it reads
        with contextlib.suppress(OSError):
            os.unlink(tmp)
