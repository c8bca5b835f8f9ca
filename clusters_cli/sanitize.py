"""Making untrusted text safe to print: no terminal control sequences."""

from __future__ import annotations

import functools
import re
from typing import Any

# CSI and OSC sequences first (so "\x1b[31m" leaves no "[31m" behind),
# then any remaining C0/C1 control character except tab and newline, and Unicode's noncharacters
# (U+FDD0-U+FDEF and the last two of every plane, U+FFFE and U+FFFF...): no text may hold them, and XML 1.0
# refuses U+FFFE and U+FFFF, so one of them in a pack made the SVG map unreadable. Also Unicode's explicit
# direction embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): no Chinese or English text needs
# them, and one in a name reorders what follows it on a line (a count shown beside a name, a whole row); so do
# the direction marks (U+200E, U+200F, U+061C), removed with them. Unicode's line and paragraph separators
# (U+2028, U+2029) become the line break they stand for: a record of NDJSON or a row of a table read by lines
# was broken by one kept raw (Python's splitlines breaks at them), and a name on one line puts it as a space.
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(p + 0xFFFE)}{chr(p + 0xFFFF)}" for p in range(0, 0x110000, 0x10000))


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(escape sequences, control characters, lone surrogates): compiled where a text needs them (one that is
    not all printable), not on every run (0.6 ms)."""
    return (
        re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x9b[0-?]*[ -/]*[@-~]"),
        re.compile(
            f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u200e\\u200f\\u061c\\u202a-\\u202e\\u2066-\\u2069{_NONCHARACTERS}]"
        ),
        re.compile(r"[\ud800-\udfff]"),
    )


def clean(text: str) -> str:
    """Text with escape sequences, control characters and lone surrogates removed."""
    if text.isprintable():
        return text
    ansi, control, surrogate = _patterns()
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = ansi.sub("", text)
    text = control.sub("", text)
    return surrogate.sub("\ufffd", text)


def clean_line(text: str) -> str:
    """Untrusted text on one line, as it is written otherwise (spacing kept, nothing cut): a message quoting
    a pack's text or a path."""
    return clean(text).replace("\n", " ").replace("\t", " ")


def clean_one_line(text: str, limit: int = 80) -> str:
    """A query as echoed back in a message: clean, on one line, shortened."""
    text = " ".join(clean(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clean_tree(value: Any) -> Any:
    """The same structure with every string cleaned."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [clean_tree(v) for v in value]
    if isinstance(value, dict):
        return {clean_tree(k): clean_tree(v) for k, v in value.items()}
    return value
