"""Tables kept beside the cache: the cells of a whole list, made once per build and read back.

`list cities --format csv` with no filter or row option prints every city, the same rows until the packs
change. The first time it is asked of a build, its rows are made as always (views/listing.py, then
flatten.csv_table) and their cells kept in a file beside the cache's database; later runs print that file's
cells through the same writer (flatten.write_table), not reading and shaping every entity again.

A kept file names the build it was made from (the database's cache key: every pack's file as it was built,
the tool's version and the cache's format; and this module's format, raised when what a kept file holds
changes, as the cache's is) and holds the size and CRC-32 of its rows: a file of another build, or cut short,
or changed, is not used (the rows are made again and the file replaced). It is written beside its name and
renamed into place, as the database is. A cache in memory (an unwritable cache folder) keeps nothing.

Layout: one line of JSON (format, build, header, rows, size, crc), then each row's cells as a JSON array, one
a line (JSON writes a line break inside a text as \\n: one row is one line).
"""

from __future__ import annotations

import contextlib
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
            head = json.loads(f.readline())
            body = f.read()
    except (OSError, ValueError):  # none kept, or not ours (a first line that is no JSON)
        return None
    if not isinstance(head, dict) or head.get("format") != KEPT_FORMAT or head.get("build") != build:
        return None
    header, count = head.get("header"), head.get("rows")
    if not (isinstance(header, list) and all(type(h) is str for h in header) and type(count) is int and count > 0):
        return None
    if head.get("size") != len(body) or head.get("crc") != zlib.crc32(body):
        return None
    lines = body.split(b"\n")
    if len(lines) != count:
        return None
    return header, _decoded(lines)


def _decoded(lines: list[bytes]) -> Iterator[list[Any]]:
    for start in range(0, len(lines), _BATCH):
        yield from json.loads(b"[" + b",".join(lines[start : start + _BATCH]) + b"]")


def keep(kb: KB, name: str, header: list[str], rows: Sequence[Sequence[Any]]) -> None:
    """Keep a table of at least one row for later runs of this build (read_kept); nothing is kept where the
    database is in memory or the file cannot be written (the next run makes the rows again)."""
    where = _where(kb, name)
    if where is None or not rows:
        return
    path, build = where
    encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode
    try:
        body = "\n".join(map(encode, rows)).encode("utf-8")
    except (ValueError, TypeError):  # a cell JSON cannot write as it reads: such a table is not kept
        return
    head = {"format": KEPT_FORMAT, "build": build, "header": header, "rows": len(rows)}
    head |= {"size": len(body), "crc": zlib.crc32(body)}
    import tempfile

    from .cache import TMP_PREFIX

    folder = os.path.dirname(path)
    try:  # private, as the database is (mkstemp's mode), and whole or absent under its name
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f"{TMP_PREFIX}{os.getpid()}-", suffix=".rows")
    except OSError:
        return
    try:
        with open(fd, "wb") as f:
            f.write(json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n" + body)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
