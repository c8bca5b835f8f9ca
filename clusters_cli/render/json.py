"""JSON and NDJSON output, written straight to stdout (never through Rich)."""

from __future__ import annotations

import json
import sys
from typing import Any


def ascii_only() -> bool:
    """Whether standard output cannot carry UTF-8 (JSON written to it then escapes what is not ASCII)."""
    encoding = (getattr(sys.stdout, "encoding", None) or "ascii").lower().replace("-", "")
    return encoding not in ("utf8", "utf16", "utf32", "utf8sig")


def render_json(view: dict[str, Any]) -> None:
    """One JSON document: indented on a terminal, compact in a pipe.

    Non-ASCII stays readable on a UTF-8 stream and is escaped elsewhere, so
    the document is valid whatever the locale.
    """
    pretty = sys.stdout.isatty()
    text = json.dumps(
        view, ensure_ascii=ascii_only(), indent=2 if pretty else None, separators=None if pretty else (",", ":")
    )
    sys.stdout.write(text + "\n")


def render_ndjson(rows: list[dict[str, Any]]) -> None:
    escaped = ascii_only()
    write = sys.stdout.write
    for row in rows:
        write(json.dumps(row, ensure_ascii=escaped, separators=(",", ":")) + "\n")
