"""Where a character of a pack stands, as an editor and grep count lines: the parser's marks mapped to them.

PyYAML counts U+0085, U+2028 and U+2029 as line breaks, where an editor and grep count newlines (and a lone
carriage return) alone: a description holding one U+2028 put every later problem a line low. libyaml gives a
refused character's place as a count of UTF-8 bytes: after Chinese text it stood past the end of the file.
"""

from __future__ import annotations

import re
from typing import Any

# (section, index, field) -> (line, column), 1-based; index and field optional (store/yamlfile.py records them)
Locations = dict[tuple[Any, ...], tuple[int, int]]

_OTHER_BREAKS = re.compile("[\x85\u2028\u2029]")
_BREAKS = re.compile("\r\n|[\n\r\x85\u2028\u2029]")
_LINE_ENDS = re.compile("\r\n|[\n\r]")


class Mark:
    """A mark at a file's line as an editor counts it, from 0 as the parser's (the column as the parser counts
    it)."""

    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line, column


def newline_lines(text: str) -> list[int] | None:
    """For each line the parser counts (from 0), the line an editor gives it (from 1); None where the text holds
    no other line break, so the parser's lines are the file's."""
    if not _OTHER_BREAKS.search(text):
        return None
    lines, line = [1], 1
    for found in _BREAKS.finditer(text):
        line += found.group() in ("\n", "\r\n", "\r")  # a lone CR ends a line for editors too
        lines.append(line)
    return lines


def relined(locs: Locations, lines: list[int]) -> Locations:
    """Locations of the parser's lines at the file's (newline_lines)."""
    return {key: (lines[min(line - 1, len(lines) - 1)], column) for key, (line, column) in locs.items()}


def remarked(mark: Any, lines: list[int] | None) -> Any:
    """A parser's mark at the file's line (newline_lines); as it is where the two count alike."""
    if mark is None or lines is None:
        return mark
    return Mark(lines[min(mark.line, len(lines) - 1)] - 1, mark.column)


def at_offset(text: str, offset: int) -> Mark:
    """A mark at a character's offset in the text, its line counted as an editor counts (newlines and lone
    carriage returns), its column in characters from the line's start."""
    before = text[:offset]
    start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return Mark(len(_LINE_ENDS.findall(before)), offset - start)


def character_offset(text: str, position: int, bytes_counted: bool) -> int:
    """The character offset of a parser's `position`: libyaml reads the text as UTF-8 and counts bytes
    (`bytes_counted`), the pure-Python reader counts characters."""
    if not bytes_counted:
        return position
    return len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
