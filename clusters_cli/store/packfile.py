"""A pack's file read: its bytes, within the size limit (CLUSTERS_MAX_BYTES), and its text as UTF-8, or
InvalidKnowledgeBase saying plainly why not. Apart from the YAML (store/yamlfile.py), so that a run whose packs'
parses are all kept (the pack cache, the wheel's compiled parse) reads and keys their bytes without importing
PyYAML.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import InvalidKnowledgeBase, Problem
from ..i18n import N_
from .limits import max_bytes


def fail(path: str, template: str, mark: Any = None, /, **values: object) -> InvalidKnowledgeBase:
    """One problem of the file `path`, at a parser's mark (0-based line and column) where one is given."""
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    return InvalidKnowledgeBase(path, [Problem(path, line, col, "", template, **values)])


def read_text(path: str) -> str:
    """The file's text, or InvalidKnowledgeBase saying plainly why not."""
    return decode(path, read_bytes(path))


def read_bytes(path: str) -> bytes:
    """The file's bytes (up to the limit), or InvalidKnowledgeBase saying plainly why not."""
    limit = max_bytes()
    try:
        size = os.stat(path).st_size
        if os.path.isdir(path):
            raise fail(path, N_("is a directory, not a knowledge-base file"))
        if size > limit:  # a limit of whole MiB is said in MiB; any other in bytes, as it was set
            whole = limit % 1048576 == 0
            raise fail(
                path,
                N_("file is {size} MiB; the limit is {limit} MiB (set CLUSTERS_MAX_BYTES to raise it)")
                if whole
                else N_("file is {size} bytes; the limit is {limit} bytes (set CLUSTERS_MAX_BYTES to raise it)"),
                size=f"{size / 1048576:.1f}" if whole else f"{size:,}",
                limit=f"{limit // 1048576}" if whole else f"{limit:,}",
            )
        with open(path, "rb") as f:
            raw = _read_within(f, limit + 1, size + 1)
        if len(raw) > limit:  # a pipe or a device, or a file grown since: its size known only as it is read
            raise fail(
                path,
                N_("larger than the limit of {limit} bytes (set CLUSTERS_MAX_BYTES to raise it)"),
                limit=f"{limit:,}",
            )
    except FileNotFoundError:
        raise fail(path, N_("no such file")) from None
    except IsADirectoryError:
        raise fail(path, N_("is a directory, not a knowledge-base file")) from None
    except OSError as e:
        raise fail(path, N_("cannot read: {reason}"), reason=e.strerror or str(e)) from None
    return raw


def _read_within(f: Any, want: int, first: int) -> bytes:
    """Up to `want` bytes of an open file: `first` (a file's size and a byte more) in one read, then, where
    more comes (a pipe, a device, a file grown since), a part at a time. Never one read of `want` bytes: a
    limit past what a read can ask (CLUSTERS_MAX_BYTES of 2**63 - 1) was a traceback."""
    data = f.read(min(want, first))
    if len(data) < min(want, first):
        return bytes(data)
    parts, got = [data], len(data)
    while got < want:
        part = f.read(min(want - got, 1 << 24))
        if not part:
            break
        parts.append(part)
        got += len(part)
    return b"".join(parts)


def decode(path: str, raw: bytes) -> str:
    """A file's bytes as text, or InvalidKnowledgeBase naming the first byte that is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        message = N_("not UTF-8 text (byte 0x{byte} at offset {offset})")
        problem = Problem(path, line, None, "", message, byte=f"{raw[e.start]:02x}", offset=e.start)
        raise InvalidKnowledgeBase(path, [problem]) from None
