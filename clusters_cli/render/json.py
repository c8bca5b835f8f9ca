"""JSON and NDJSON output, written straight to stdout (never through Rich)."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring, encode_basestring_ascii
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


def write_document(doc: Any, write: Callable[[str], object], *, indent: int, ensure_ascii: bool) -> None:
    """Write the text json.dumps(doc, ensure_ascii=ensure_ascii, indent=indent) gives, where an iterator (a
    generator) standing as a value of a dict, at any depth of dicts, is written as the list of its items, each
    item made as it is written: a whole knowledge base goes out holding one entity at a time, never the whole
    document nor its text (an export at 100x held 3-4 GiB)."""
    quote = encode_basestring_ascii if ensure_ascii else encode_basestring
    _write(doc, write, "\n", " " * indent, quote)


def _write(value: Any, write: Callable[[str], object], pad: str, step: str, quote: Callable[[str], str]) -> None:
    """`value` written where `pad` ("\n" and its indent) starts each line of its level."""
    inner = pad + step
    if isinstance(value, Iterator):
        opened = False
        for item in value:
            write(("," if opened else "[") + inner + _encoded(item, inner, step, quote))
            opened = True
        write(pad + "]" if opened else "[]")
    elif isinstance(value, dict) and value and all(type(k) is str for k in value) and _holds_iterator(value):
        opened = False
        for key, item in value.items():
            write(("," if opened else "{") + inner + quote(key) + ": ")
            _write(item, write, inner, step, quote)
            opened = True
        write(pad + "}")
    else:
        write(_encoded(value, pad, step, quote))


def _encoded(value: Any, pad: str, step: str, quote: Callable[[str], str]) -> str:
    """json.dumps' text of a value whose lines start with `pad` at its level: its encoder's rules (strings by
    the same functions, a bool before an int, NaN and Infinity, a tuple as a list, a key that is no string
    made one), in one recursive function. json.dumps with an indent runs the pure-Python encoder, which makes
    a cycle of closures at each call: one call an item, with the collector paused for the command, kept them
    all (227 MiB of a 10x export)."""
    if isinstance(value, str):
        return quote(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    inner = pad + step
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[" + inner + ("," + inner).join([_encoded(v, inner, step, quote) for v in value]) + pad + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        parts = [quote(_key(k)) + ": " + _encoded(v, inner, step, quote) for k, v in value.items()]
        return "{" + inner + ("," + inner).join(parts) + pad + "}"
    raise TypeError(f"Object of type {value.__class__.__name__} is not JSON serializable")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


def _key(key: Any) -> str:
    """A dict's key as json.dumps writes it: a string as it is, a number, true, false or null as its text."""
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _float(key)
    if key is True or key is False or key is None:
        return {True: "true", False: "false", None: "null"}[key]
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


def _holds_iterator(value: dict[str, Any]) -> bool:
    return any(isinstance(v, Iterator) or (isinstance(v, dict) and _holds_iterator(v)) for v in value.values())
