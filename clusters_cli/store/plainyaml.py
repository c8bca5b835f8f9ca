"""The plain block YAML most packs are written in, read a line at a time without libyaml's events: the first read
of a large pack of one's own (a first run) spends most of its parse making an event, with two marks, for each
scalar. What it reads is a subset of YAML whose data is unambiguous line by line:

- block mappings of keys of letters, digits, `_` and `-` (starting with a letter or `_`) that YAML reads as texts,
  the top-level one at column 0, and block sequences (`- `), a sequence's item a scalar or a mapping starting on
  the dash's line, a sequence under a key at the key's column or deeper;
- values on their key's line or dash's: a plain scalar, on one line or going on over lines indented deeper (joined
  by spaces), a single-quoted one likewise, a double-quoted one on its line without a backslash, `[]` and `{}`; a
  plain scalar typed as the loader types it (its resolver and constructors);
- comment lines, and lines of spaces alone, between them.

So the pack PyYAML's dumper writes with `allow_unicode=True` and block style (yaml.dump's default), keys of those
characters, as benchmarks/scale.py writes. Anything else declines: `read` returns None, and the pack is parsed from
libyaml's events as ever (yamlfile.parse_text), which also says where a problem stands. So:

- a line that is not printable (a tab, a control character, a line break other than the newline, a byte-order
  mark), or a line other than a comment line holding ` #` after something other than spaces (a comment after a
  value, the likeliest line of a pack edited by hand that this does not read: found before anything is read);
- a block scalar, a flow collection that is not empty, a double-quoted scalar with an escape or on several lines,
  a tag, an anchor or an alias, a directive or a document marker;
- a key that is not such a text, is repeated, or is longer than 512 characters; a value on the line below its key,
  an item on the line below its dash, a sequence in a sequence's item (`- - x`);
- a plain scalar starting as YAML's indicators do (but `-` before a digit or `.`: a number), or holding `: `, or
  ending in `:`, on any of its lines; a blank line inside a scalar, a comment line inside a plain one; a single-quoted
  one's line at its block's column or less, or anything but spaces after its closing quote;
- anything deeper than MAX_DEPTH.

Each declines the whole text, which the events then parse: a decline at the last line of a large pack costs what
this has read, up to about half again the events' own time. What is read is what the events give, data and the
places of the top-level keys (tests/test_plainyaml.py compares the two on written, damaged and hand-made texts). It
reads without locating fields: a pack is read with them only to report a problem.

At 10 times the shipped data (14.7 MiB, 583,000 lines), each half of the pack (store/halves.py) in 0.6-0.7 s against
1.1-1.2 from the events; a first run on the pack's own, in CPU time, 10.4 s against 11.3 (six alternated each). The
lines are split a stretch at a time and let go once read (`_Lines`): the half of the 100x pack split whole held 3.6
million texts beside all it parsed to, and a first run's peak was 1,387,308 KB against 1,258,536 so (the 10x pack's
parse took as long either way).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

from yaml.nodes import ScalarNode

from .textlines import Locations
from .yamlfile import CONSTRUCTOR_ERRORS, STR_TAG, typed_plain

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")  # a key read here (one of letters, digits and _ alone is quicker told)
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")  # what a plain scalar may not start with (YAML 1.1)
_NUMBER_STARTS = frozenset("0123456789.")  # what may follow a plain scalar's leading '-' here
_LONGEST_KEY = 512  # characters of a key (libyaml refuses a simple key of 1,024 or more)
MAX_DEPTH = 50  # collections open at once within the top-level mapping (yamlfile refuses 100: deeper is left to it)


class _Decline(Exception):
    """Something outside the subset: the events read the text."""


def read(text: str, loader: Any) -> tuple[dict[str, Any], Locations] | None:
    """(data, where each top-level key stands) of a text in the subset, as yamlfile._from_events gives them
    without locations; None for any other. `loader` (a SafeLoader, C or not) types the plain scalars."""
    resolvers = loader.yaml_implicit_resolvers
    if None in resolvers or loader.yaml_path_resolvers:  # a scalar's type would hang on more than its text
        return None
    if not text.replace("\n", "").isprintable() or _commented(text):
        return None
    try:
        return _read(_Lines(text), loader)
    except _Decline:
        return None


# the characters of text split into lines at a time (_Lines): about 40,000 lines of the benchmark packs
STRETCH = 1 << 20


class _Lines:
    """The lines of a text, as text.split("\\n") gives them, split a stretch of about STRETCH characters at a time
    and let go once read: read in order by iterating, and ahead of that by index (a quoted scalar's lines), never
    behind the stretch being read (a line let go raises IndexError). Split whole, a large pack's half was held
    until its last line was read, beside all it parsed to (the module's doc)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._count = text.count("\n") + 1
        self._stretches: list[tuple[int, list[str]]] = []  # (its first line's index, its lines), in order
        self._split_lines = 0  # the lines split so far
        self._end = 0  # where the next stretch starts in the text (past its end: none is left)

    def __len__(self) -> int:
        return self._count

    def _split(self) -> None:
        start = self._end
        stop = self._text.find("\n", start + STRETCH)  # a stretch ends before a line break, which it drops
        lines = (self._text[start:] if stop < 0 else self._text[start:stop]).split("\n")
        self._end = len(self._text) + 1 if stop < 0 else stop + 1
        self._stretches.append((self._split_lines, lines))
        self._split_lines += len(lines)

    def __getitem__(self, at: int) -> str:
        if not 0 <= at < self._count:
            raise IndexError(at)
        while at >= self._split_lines:
            self._split()
        for first, lines in reversed(self._stretches):
            if first <= at:
                return lines[at - first]
        raise IndexError(at)  # behind the stretch being read: let go

    def __iter__(self) -> Iterator[str]:
        at = 0
        while at < len(self._stretches) or self._end <= len(self._text):
            if at == len(self._stretches):
                self._split()
            first, lines = self._stretches[at]
            yield from lines
            self._stretches[at] = (first, [])  # read: let go (what is read ahead is held until it is read)
            at += 1


def _commented(text: str) -> bool:
    """Whether a line other than a comment line holds ` #` after something other than spaces: a comment after a
    value (or the two inside a quoted text), which the events read; a comment line of its own is read here. The
    one place ` #` is refused: past it, no line `_read` reads holds one outside a comment line."""
    at = text.find(" #")
    while at >= 0:
        before = text[text.rfind("\n", 0, at) + 1 : at].lstrip(" ")
        if before and before[0] != "#":
            return True
        end = text.find("\n", at)  # a comment line of its own (which may hold ` #` too): the next line
        if end < 0:
            return False
        at = text.find(" #", end)
    return False


def _read(lines: _Lines, loader: Any) -> tuple[dict[str, Any], Locations]:
    """The loop of `read`, once a line (600,000 for a pack of 15 MB): the innermost open block lives in local
    variables (its column, its container, whether a mapping, its keys), pushed onto `stack` when a block opens
    inside it; a plain scalar is typed as it is read, and typed again, once, should the next lines go on with it."""
    resolvers = loader.yaml_implicit_resolvers
    typed: dict[str, Any] = {}  # plain scalars typed, by their text (as yamlfile._scalar keeps them)
    keys: dict[str, str] = {}  # keys read as texts, interned, by their text
    root: dict[str, Any] = {}
    locs: Locations = {}
    stack: list[tuple[int, Any, bool, set[str]]] = []  # the blocks around the innermost
    container: Any = root  # the innermost open block: its container, column, whether a mapping, its keys
    seen: set[str] = set()
    top_col, is_map = 0, True
    pending: Any = None  # a key whose value starts on a later line: (its mapping, the key, its column)
    going: Any = None  # the container of a plain scalar that may go on on the next lines (None: none may)
    going_key: Any = None  # its key in that container (None: the last item of a sequence)
    going_text = ""
    going_parts: list[str] | None = None  # its lines, once a second goes on with it: joined and typed at its end
    going_col = 0  # the column of its block: a line deeper goes on with it
    gap = False  # a comment or blank line since the last line of content
    consumed = -1  # the last line a quoted scalar took
    for at, line in enumerate(lines):
        if at <= consumed:
            continue
        s = line.lstrip(" ")
        if not s or s[0] == "#":
            gap = True  # a blank line or a comment
            continue
        col = len(line) - len(s)
        if going is not None:
            if col > going_col:  # the plain scalar goes on
                more = s.rstrip(" ")
                if gap or more[0] in _INDICATORS or ": " in more or more[-1] == ":":
                    raise _Decline
                if going_parts is None:
                    going_parts = [going_text]
                going_parts.append(more)
                continue
            if going_parts is not None:
                _put(going, going_key, _typed(" ".join(going_parts), loader, resolvers, typed))
                going_parts = None
            going = None
        gap = False
        # the line's dash (its width, with the spaces after it), key and value
        dash = 0
        body = s
        if s[0] == "-" and (len(s) == 1 or s[1] == " "):
            body = s[1:].lstrip(" ")
            dash = len(s) - len(body)
        key: str | None
        key, colon, rest = body.partition(": ")
        if colon:
            rest = rest.lstrip(" ")
        elif body.endswith(":"):
            key, rest = body[:-1], ""
        else:
            key, rest = None, body
        if key is not None and not (key.isascii() and key.isidentifier()) and not _KEY.fullmatch(key):
            raise _Decline  # a key YAML may read otherwise, or a plain scalar holding ": "
        if pending is not None:
            opened, opened_key, opened_col = pending
            pending = None
            if col > opened_col or (col == opened_col and dash):  # a block opens as the key's value
                if len(stack) >= MAX_DEPTH:
                    raise _Decline
                stack.append((top_col, container, is_map, seen))
                top_col, is_map, seen = col, not dash, set()
                container = opened[opened_key] = [] if dash else {}
            else:
                opened[opened_key] = _typed("", loader, resolvers, typed)
        while col < top_col:
            top_col, container, is_map, seen = stack.pop()
        if col != top_col:
            raise _Decline
        if dash:
            if is_map:
                raise _Decline
            if key is None:  # a scalar item
                if not rest:
                    raise _Decline  # the item on the lines below
                value, consumed, plain = _value(rest, col, lines, at, loader, resolvers, typed)
                container.append(value)
                if plain is not None:
                    going, going_key, going_text, going_col = container, None, plain, col
                continue
            # an item that is a mapping, its first key on the dash's line
            if len(stack) >= MAX_DEPTH:
                raise _Decline
            item: dict[str, Any] = {}
            container.append(item)
            stack.append((top_col, container, is_map, seen))
            top_col, container, is_map, seen = col + dash, item, True, set()
        elif key is None:
            raise _Decline  # a scalar where a key is expected
        elif not is_map:  # a key after a sequence under a key at its column: the sequence ends
            top_col, container, is_map, seen = stack.pop()
            if col != top_col or not is_map:
                raise _Decline
        if key in seen or len(key) > _LONGEST_KEY:
            raise _Decline  # a repeated key: the events say where
        seen.add(key)
        name = keys.get(key)
        if name is None:
            if loader.resolve(ScalarNode, key, (True, False)) != STR_TAG:
                raise _Decline  # null, true, on...: not a text
            name = keys[key] = sys.intern(key)
        if not stack:
            locs[(key,)] = (at + 1, 1)
        if not rest:
            pending = (container, name, top_col)
            continue
        if rest[-1] == " ":
            rest = rest.rstrip(" ")
        first = rest[0]
        if first in _INDICATORS or ": " in rest or rest[-1] == ":":
            value, consumed, plain = _value(rest, top_col, lines, at, loader, resolvers, typed)
            container[name] = value
            if plain is not None:
                going, going_key, going_text, going_col = container, name, plain, top_col
            continue
        # most values: a plain scalar on its line, most of them texts
        container[name] = rest if first not in resolvers else _typed(rest, loader, resolvers, typed)
        going, going_key, going_text, going_col = container, name, rest, top_col
    if going_parts is not None:
        _put(going, going_key, _typed(" ".join(going_parts), loader, resolvers, typed))
    if pending is not None:
        pending[0][pending[1]] = _typed("", loader, resolvers, typed)
    if not locs:
        raise _Decline  # no content: the events say the file is empty
    return root, locs


def _put(container: Any, key: Any, value: Any) -> None:
    """A plain scalar that went on over several lines, typed whole, in its place (key None: the last item)."""
    if key is None:
        container[-1] = value
    else:
        container[key] = value


def _value(
    rest: str, col: int, lines: _Lines, at: int, loader: Any, resolvers: Any, typed: dict[str, Any]
) -> tuple[Any, int, str | None]:
    """A scalar starting `rest` on line `at`, in the block at column `col`: (its value, the last line it takes
    beyond `at` or -1, its text where it is plain and may go on)."""
    first = rest[0]
    if first in _INDICATORS:
        if first == "'":
            return (*_quoted(rest, col, lines, at), None)
        if first == '"':  # double-quoted on its line, without an escape: its text as written
            end = rest.find('"', 1)
            if end < 0 or "\\" in rest[1:end] or rest[end + 1 :].strip(" "):
                raise _Decline
            return rest[1:end], -1, None
        if rest.rstrip(" ") == "[]":
            return [], -1, None
        if rest.rstrip(" ") == "{}":
            return {}, -1, None
        if first != "-" or rest[1:2] not in _NUMBER_STARTS:  # -5, -0.5: a number
            raise _Decline
    if rest[-1] == " ":
        rest = rest.rstrip(" ")
    if ": " in rest or rest[-1] == ":":
        raise _Decline
    if first not in resolvers:
        return rest, -1, rest
    return _typed(rest, loader, resolvers, typed), -1, rest


def _typed(text: str, loader: Any, resolvers: Any, typed: dict[str, Any]) -> Any:
    """A plain scalar's value, as the events' reading types it (yamlfile.typed_plain)."""
    if text and text[0] not in resolvers:
        return text
    return typed_plain(loader, text, _PLAIN, typed, _made, text)


_PLAIN = (True, False)  # a plain scalar's `implicit`, as libyaml gives it


def _made(loader: Any, text: str, tag: str) -> Any:
    """A plain scalar's text made by SafeConstructor's constructor of its tag; one it cannot make declines (the
    events say where)."""
    if tag == STR_TAG:
        return text
    make = loader.yaml_constructors.get(tag)
    if make is None:
        raise _Decline
    try:
        return make(loader, ScalarNode(tag, text, None, None, None))
    except CONSTRUCTOR_ERRORS:
        raise _Decline from None


def _quoted(v: str, col: int, lines: _Lines, at: int) -> tuple[str, int]:
    """A single-quoted scalar starting `v` on line `at` (its quote first), in the block at column `col`: (its
    text, its last line). Lines it goes on are joined by spaces, each trimmed; each must stand deeper than its
    block, printable and not blank, and nothing but spaces may follow its closing quote."""
    parts: list[str] = []
    body = v[1:]
    while True:
        end = _closing(body)
        if end >= 0:
            if body[end + 1 :].strip(" "):
                raise _Decline
            parts.append(body[:end] if not parts else body[:end].lstrip(" "))
            break
        parts.append(body.rstrip(" ") if not parts else body.strip(" "))
        at += 1
        if at >= len(lines):
            raise _Decline
        line = lines[at]
        body = line.lstrip(" ")
        if not body or not line.isprintable() or len(line) - len(body) <= col:
            raise _Decline
    return " ".join(parts).replace("''", "'"), at


def _closing(body: str) -> int:
    """Where a single-quoted scalar's closing quote stands in `body` (a quote not doubled), or -1."""
    start = 0
    while True:
        found = body.find("'", start)
        if found < 0 or found + 1 >= len(body) or body[found + 1] != "'":
            return found
        start = found + 2
