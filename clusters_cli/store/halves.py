"""A large pack parsed on two cores: its text is cut in two where each half parses alone to what the whole
parses to, and a forked child (store/forked.py) parses, cleans and schema-checks the second half while this
process does the first. Anything unusual, anywhere, and the pack is parsed whole as before (which also says
where a problem stands): this only ever gives the whole's own data, sooner.

Where a cut is sound. The pack's top level is a block mapping whose keys start at column 0 (its first line of
content is such a key), in one document (no line after it starts a document or ends one). The cut is at the
start of a line that either holds a section's key at column 0, or is an entry (`- ` at column c) of the
section whose key stands last before it, whose entries start at column c. At such a line, in the whole text:
- a quoted scalar or a flow collection open across the cut would leave the first half unterminated, and it
  fails to parse (then the whole is parsed);
- a plain scalar continues onto a line only if it is indented deeper than the block it is in, and a block
  scalar's lines are indented deeper than its parent: the innermost open block of the first half is at
  column c or deeper (its last key is that section, its key where the cut expects it), so neither continues;
- so the line starts a token at column c, which closes every block deeper than c: the parser stands where
  it stands after the section's key and its entries' column in the second half (given the section's key
  line, `section:`, when the cut continues it). From there both read the same characters.
Each half must parse, the first half's last key must be the section at the line found, the halves may share
no other key; a tab, a byte-order mark or a character YAML takes as a line break beside the newline refuses a cut.
A directive (`%TAG`, `%YAML`) before the content refuses it too: it would hold in the first half alone. And the
halves' top-level keys must be texts that cleaning leaves as they are: the whole compares its keys as written
(and cleans each as it reads it), the halves would compare them cleaned (`"cities\x01"` is cleaned to `cities`)
and typed (`null` is None, `"null"` a text), and join keys the whole keeps apart or refuses.
"""

from __future__ import annotations

import marshal
import os
import re
from typing import Any, NamedTuple

from . import forked

SPLIT_FROM = 1024 * 1024  # characters; below this, the fork and the schema check compiled in each process cost what
# half the parse saves (a 0.7 MB pack: no faster; 1.5 MB: 0.1-0.2 s faster)
CUT_AT = 62  # percent of the lines before the cut: where it is sought from (_middle_line)

_HEAD = re.compile(r"\n([A-Za-z_][A-Za-z0-9_-]*):[ ]*(?:#[^\n]*)?(?=\n)")  # a section's key, its entries below
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*:(?:[ ]|\n|$)")  # a key of the top-level block mapping
_DOCUMENT_START = re.compile(r"---[ ]*(?:#[^\n]*)?")
_CONTENT = re.compile(r"\n([ ]*)([^ \n#])")  # the next line that holds something other than a comment


class Cut(NamedTuple):
    at: int  # where the second half starts
    section: str  # the section the second half continues ('' when it starts with a section's key)
    line: int  # the 1-based line of that section's key (0 when none)


def find_cut(text: str, near: int | None = None) -> Cut | None:
    """Where `text` may be cut in two halves that parse alone to what it parses to, at or after `near` (by
    default the line CUT_AT percent of the way through its lines: _middle_line); None where no such place is
    sure (see the module's doc)."""
    if any(ch in text for ch in "\r\x85\u2028\u2029\ufeff\t"):
        return None
    first = _first_content(text)
    if first is None or not _KEY.match(text, first) or text.find("\n---", first) >= 0 or text.find("\n...", first) >= 0:
        return None
    middle = max(first + 1, _middle_line(text, first) if near is None else near)
    head = None
    for head in _HEAD.finditer(text, first - 1 if first else 0, middle):  # noqa: B007 (the last one)
        pass
    after = _HEAD.search(text, middle - 1)  # a section's key on the line `middle` starts is the next section's
    end = after.start() + 1 if after else len(text)
    if head is not None:
        entry = _CONTENT.search(text, head.end())
        if entry and entry[2] == "-" and text[entry.end() : entry.end() + 1] in (" ", "\n", ""):
            lead = "\n" + entry[1] + "-"
            at = _entry_at(text, lead, max(middle, entry.end()), end)
            if at is not None:
                return Cut(at, head[1], text.count("\n", 0, head.start() + 1) + 1)
    return Cut(after.start() + 1, "", 0) if after else None


def _middle_line(text: str, first: int) -> int:
    """Where the line CUT_AT percent of the way through the lines from `first` starts. The halves are parsed at
    once on two cores, so each should take as long: a line is about one or two of the parser's events, where a
    character is not (a summary on one long line parses faster for its characters than a city's short fields:
    cut at the middle character, this process's half of the 10x benchmark pack took 1.43-1.46 s against the
    child's 1.17; measured in turns, the 10x pack's parse took 1.44-1.46 s cut at 53% of the lines and 1.52-1.55 s
    cut at the middle character). The child's half is the smaller: it also marshals its half into the pipe, which
    this process reads after its own and loads, and the sections a pack ends with cost more a line (in the
    benchmark packs, parsed and schema-checked alone: a city's line 2.7 us, a firm's 5.7, a cluster's and a
    park's 3.2-3.6). Cut at 53% of the lines, the 10x pack's child still ended its half 0.1-0.4 s after this
    process, and the 100x pack's 1.8-3.1 s after; at 62%, first runs at 10x took 3.58 s against 3.67 (eight each,
    alternated; 4.13 against 4.31 in a second eight, where 58%, 60% and 66% fell between) and the 100x pack's
    parse ended 9.4-9.6 s into a first run against 10.7-11.7 (two each, alternated). This process parses the
    larger half: with every line of it held at once, a first run's peak at 100x rose to 1,388,688 KB from
    1,259,196; since the line reader splits its lines a stretch at a time (plainyaml._Lines), 1,258,536."""
    wanted = text.count("\n", first) * CUT_AT // 100  # the lines before the cut
    step = max(1, (len(text) - first) // 64)
    at, seen = first, 0
    while True:  # the stretch of text holding the line: its newlines counted a 64th at a time, in C
        n = text.count("\n", at, at + step)
        if seen + n >= wanted:
            break
        seen, at = seen + n, at + step
    while seen < wanted:  # then the line itself, within that stretch
        at = text.index("\n", at) + 1
        seen += 1
    return at


def _first_content(text: str) -> int | None:
    """Where the first line holding more than a comment or the document's start begins: a directive (`%TAG`)
    is such a line, and no key, so no cut is made after one (it would hold in the first half alone)."""
    pos = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        content = line.strip(" ") and not line.lstrip(" ").startswith("#")
        if content and not _DOCUMENT_START.fullmatch(line):
            return pos
        pos = end + 1
    return None


def _entry_at(text: str, lead: str, start: int, end: int) -> int | None:
    """Where the first line starting with `lead` ('\\n', the entries' indent, '-') then a space or the line's
    end begins, from `start` to `end`."""
    found = [at for at in (text.find(lead + " ", start - 1, end), text.find(lead + "\n", start - 1, end)) if at >= 0]
    return min(found) + 1 if found else None


def parse_halves(path: str, text: str) -> tuple[dict[str, Any], bool] | None:
    """(data, whether the schema check passes it) of a pack's text parsed in two halves on two cores, the
    data cleaned as parse_packs cleans it; None where the text is not cut, where this system has no second
    core to fork onto, or where anything is unusual (then the text is parsed whole)."""
    cut = find_cut(text)
    if cut is None:
        return None
    read, write = os.pipe()

    def work() -> None:  # the child: the second half, marshalled (plain data only: anything else, it fails)
        os.close(read)
        with os.fdopen(write, "wb") as out:
            out.write(marshal.dumps(_second_half(path, text, cut)))

    pid = forked.start(work)
    if pid is None:
        os.close(read)
        os.close(write)
        return None
    os.close(write)
    finished = reaped = False
    with os.fdopen(read, "rb") as pipe:
        try:
            first = _first_half(path, text, cut)
            blob = pipe.read()  # to its end: the child wrote all, or left
            finished, reaped = forked.finish(pid), True
        finally:
            if not reaped:  # interrupted: stop the child
                forked.finish(pid, kill=True)
    if not finished or first is None:
        return None
    try:
        second = marshal.loads(blob)
    except (EOFError, ValueError, TypeError):
        return None
    return _joined(first, second, cut)


def parse_halves_here(path: str, text: str, cut: Cut) -> tuple[dict[str, Any], bool] | None:
    """parse_halves' answer for a given cut, both halves parsed in this process (what the tests try every cut
    with)."""
    from ..errors import InvalidKnowledgeBase

    first = _first_half(path, text, cut)
    try:
        second = _second_half(path, text, cut)
    except InvalidKnowledgeBase:
        return None
    return None if first is None else _joined(first, second, cut)


def _first_half(path: str, text: str, cut: Cut) -> tuple[dict[str, Any], Any, bool] | None:
    """(data, where its sections' keys stand, whether its entries pass the schema check) of the text before
    the cut; None where it does not parse to a mapping."""
    from ..errors import InvalidKnowledgeBase
    from .schema import entries_pass
    from .yamlfile import parse_text

    try:
        data, locs = parse_text(path, text[: cut.at], locate=False, cleaned=True)
    except InvalidKnowledgeBase:
        return None
    if not isinstance(data, dict) or not _plain_keys(data, locs):
        return None
    return data, locs, entries_pass(data)


def _second_half(path: str, text: str, cut: Cut) -> tuple[Any, bool]:
    """(data, whether its entries pass the schema check) of the text from the cut, after the key of the
    section it continues; InvalidKnowledgeBase where it does not parse."""
    from .schema import entries_pass
    from .yamlfile import parse_text

    half = (f"{cut.section}:\n" if cut.section else "") + text[cut.at :]
    data, locs = parse_text(path, half, locate=False, cleaned=True)
    if isinstance(data, dict) and not _plain_keys(data, locs):
        return None, False  # no halves to join
    return data, isinstance(data, dict) and entries_pass(data)


def _plain_keys(data: dict[Any, Any], locs: Any) -> bool:
    """Whether every top-level key of a half's parse (its texts cleaned) is its key as written, which `locs` holds
    in order (the places of the sections' keys): a text that cleaning left as it is, not typed otherwise, nor
    joined with another by cleaning. What the halves may compare as the whole compares its keys: as written."""
    return list(data) == [where[0] for where in locs if len(where) == 1]


def _joined(first: tuple[dict[str, Any], Any, bool], second: Any, cut: Cut) -> tuple[dict[str, Any], bool] | None:
    """The halves as one pack and whether the schema check passes it; None where they do not meet as the cut
    expects."""
    from .schema import top_passes

    data, locs, passed = first
    if not isinstance(second, tuple) or len(second) != 2:
        return None
    merged = _merged(data, locs, second[0], cut)
    if merged is None:
        return None
    return merged, passed and second[1] is True and top_passes(merged)


def _merged(first: dict[str, Any], locs: Any, second: Any, cut: Cut) -> dict[str, Any] | None:
    """The halves as one, or None where they do not meet as the cut expects."""
    if not isinstance(second, dict):
        return None
    rest = dict(second)
    if cut.section:
        keys = list(first)
        if (
            not keys
            or keys[-1] != cut.section
            or locs.get((cut.section,)) != (cut.line, 1)
            or not isinstance(first[cut.section], list)
            or next(iter(second), None) != cut.section
            or not isinstance(second[cut.section], list)
        ):
            return None
        del rest[cut.section]
    if any(k in first for k in rest):
        return None  # a key in both halves: the whole says where it is repeated
    merged = dict(first)
    if cut.section:
        merged[cut.section] = first[cut.section] + second[cut.section]
    merged.update(rest)
    return merged
