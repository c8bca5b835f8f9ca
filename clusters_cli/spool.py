"""Rows put aside in a temporary file as they are made, then read back in the same order.

A table of an export (a CSV file, a sheet, an SQLite table) starts with its columns, and its columns are known
only once its last row is made (every key of its rows, in first-seen order). The rows wait here, on disk,
instead of in memory: at 100x the tables of the cities alone held over a gigabyte. Rows are marshalled, so
what comes back is what went in, type for type (a row holds JSON's values: texts, numbers, yes/no, null,
lists and mappings of them); the file is the process's own and goes when the spool is closed.
"""

from __future__ import annotations

import contextlib
import marshal
import tempfile
from collections.abc import Iterator
from typing import Any


class SpoolFailed(OSError):
    """The temporary folder would not hold what was put aside there (full, say): the error of the system's
    that stopped a spool or another temporary file (`spooling`), raised as this, so that a caller can tell it
    from a failure to write its own file."""


@contextlib.contextmanager
def spooling() -> Iterator[None]:
    """Where a temporary file is written or read (a spool's, an export's document printed once whole,
    openpyxl's sheets): an OSError raised as SpoolFailed."""
    try:
        yield
    except OSError as error:
        raise SpoolFailed(error.errno, error.strerror) from error


class Spool:
    """Rows added one by one and read back in order (`rows`, as many times as asked), with every key they hold
    in first-seen order (`columns`, what flatten.columns gives for the same rows)."""

    BATCH = 1000  # rows marshalled at a time: one call each way for a thousand rows, not one (or more) a row

    def __init__(self) -> None:
        with spooling():
            self._file = tempfile.TemporaryFile()  # noqa: SIM115 (the spool holds it open; close() closes it)
        self._batch: list[dict[str, Any]] = []
        self._columns: dict[str, None] = {}
        self._last: Any = None
        self.count = 0

    def add(self, row: dict[str, Any]) -> None:
        self._batch.append(row)
        if len(self._batch) >= self.BATCH:
            self._put_aside()
        if row.keys() != self._last:  # rows of one table mostly share their keys: only another set can add one
            self._columns.update(dict.fromkeys(row))
            self._last = row.keys()
        self.count += 1

    def _put_aside(self) -> None:
        """The rows waiting in memory, written at the end of the file (its length, then the rows marshalled)."""
        data = marshal.dumps(self._batch)
        with spooling():
            self._file.seek(0, 2)
            self._file.write(len(data).to_bytes(8, "little") + data)
        self._batch = []

    @property
    def columns(self) -> list[str]:
        return list(self._columns)

    def rows(self) -> Iterator[dict[str, Any]]:
        """The rows in the order they were added, a batch read at a time as they are asked for (one reading at a
        time: a reading starts at the first row again)."""
        if self._batch:
            self._put_aside()
        with spooling():
            self._file.seek(0)
        while (batch := self._next_batch()) is not None:
            yield from batch

    def _next_batch(self) -> list[dict[str, Any]] | None:
        """The next batch of rows in the file, None after the last."""
        with spooling():
            head = self._file.read(8)
            return marshal.loads(self._file.read(int.from_bytes(head, "little"))) if head else None

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
