"""Strict, safe YAML loading.

Nothing in the file is executed: only YAML's plain data types are built
(SafeConstructor's constructors, on PyYAML's safe resolver). On top of PyYAML's
safe loading this refuses what PyYAML lets through silently: duplicate keys (it
keeps the last), and anchors and aliases (the mechanism of "billion laughs"
alias bombs). Every error carries the file, 1-based line and column.

The data is built straight from libyaml's events, without composing the whole
node tree first: a pack of 14 MB in about a third of the time and a tenth of the
memory (the tree held every scalar with its marks).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Collection
from typing import Any

import yaml
from yaml.nodes import ScalarNode

from ..errors import Word
from ..i18n import N_
from ..sanitize import clean
from .packfile import fail, read_text
from .textlines import Locations, at_offset, character_offset, newline_lines, relined, remarked

try:  # libyaml composes the node tree in C, ~5x faster; the pure-Python loader is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


class _KBError(Exception):
    def __init__(self, template: str, mark: Any = None, /, **values: object) -> None:
        super().__init__(template)
        self.template = template
        self.values = values
        self.mark = mark


# what libyaml says of a syntax error (its context, then its problem), marked so that the catalog carries them;
# a phrase not listed here is shown in libyaml's English
LIBYAML_WORDS = (
    N_("while parsing a block mapping"),
    N_("while parsing a block collection"),
    N_("while parsing a flow sequence"),
    N_("while parsing a flow mapping"),
    N_("while parsing a flow node"),
    N_("while parsing a block node"),
    N_("while parsing a node"),
    N_("while parsing a quoted scalar"),
    N_("while scanning a simple key"),
    N_("while scanning a quoted scalar"),
    N_("while scanning a plain scalar"),
    N_("while scanning a block scalar"),
    N_("while scanning for the next token"),
    N_("while scanning an anchor"),
    N_("while scanning an alias"),
    N_("while scanning a tag"),
    N_("while scanning a directive"),
    N_("did not find expected node content"),
    N_("did not find expected key"),
    N_("did not find expected '-' indicator"),
    N_("did not find expected ',' or ']'"),
    N_("did not find expected ',' or '}'"),
    N_("did not find expected alphabetic or numeric character"),
    N_("did not find expected comment or line break"),
    N_("did not find expected <document start>"),
    N_("could not find expected ':'"),
    N_("mapping values are not allowed in this context"),
    N_("block sequence entries are not allowed in this context"),
    N_("found character that cannot start any token"),
    N_("found unexpected end of stream"),
    N_("found unexpected document indicator"),
    N_("found unknown escape character"),
    N_("found undefined tag handle"),
    N_("found an indentation indicator equal to 0"),
    N_("found a tab character that violates indentation"),
    N_("found a tab character where an indentation space is expected"),
    N_("found duplicate %YAML directive"),
    N_("found incompatible YAML document"),
)


STR_TAG = "tag:yaml.org,2002:str"
MAX_DEPTH = 100  # a pack nests a few levels; a file nested deeper than this is refused, never recursed into


def _scalar(loader: Any, event: Any, typed: dict[str, Any]) -> Any:
    """A scalar event's value, typed as SafeLoader types it (its resolver, its constructors). `typed` holds the
    plain scalars of this parse already typed, by their text (see below)."""
    tag = event.tag
    if tag is None or tag == "!":
        value = event.value
        resolvers = loader.yaml_implicit_resolvers
        # as long as no resolver applies to every value or to a path, what loader.resolve answers depends on the
        # scalar's text alone: a quoted text, or a plain one whose first character no implicit type starts with,
        # is a text (most scalars); a plain one is typed once per parse (keys and true/false recur in every
        # entry), a plain decimal is a float (a coordinate: too many to keep)
        if None not in resolvers and not loader.yaml_path_resolvers:
            if not event.implicit[0] or (value and value[0] not in resolvers):
                return value
            return typed_plain(loader, value, event.implicit, typed, _typed, event)
        tag = loader.resolve(ScalarNode, value, event.implicit)
    return _typed(loader, event, tag)


def typed_plain(
    loader: Any, value: str, implicit: Any, typed: dict[str, Any], make: Callable[[Any, Any, str], Any], of: Any
) -> Any:
    """A plain scalar's value by its text alone (no resolver applies to every value or to a path): as this parse
    typed the same text before (`typed`), a decimal as float() reads it, else made by `make(loader, of, tag)` of
    the tag its resolver gives (a short one kept in `typed`). The events' reading (`of` its event, which a
    problem is marked at) and the line reader's (store/plainyaml.py: `of` its text) share it."""
    if value in typed:
        return typed[value]
    if DECIMAL.fullmatch(value):  # the resolver's float, which SafeConstructor makes as float() does
        return float(value)
    made = make(loader, of, loader.resolve(ScalarNode, value, implicit))
    if len(value) <= TYPED_UP_TO and type(made) in KEPT_TYPES:
        typed[value] = made
    return made


def _typed(loader: Any, event: Any, tag: str) -> Any:
    """A scalar event's value made by SafeConstructor's constructor of its tag."""
    if tag == STR_TAG:
        return event.value
    node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    make = loader.yaml_constructors.get(tag)
    if make is None:  # an unknown or unsafe tag (!!python/...): SafeConstructor's own error, nothing run
        return loader.construct_object(node)
    try:
        return make(loader, node)
    except CONSTRUCTOR_ERRORS:
        # a text its type's constructor cannot read: `! |` before a block of "yes" is typed a boolean (libyaml calls
        # it plain), whose constructor fails on "yes\n"; `!!int ""` and `!!float ""` index an empty text
        # (IndexError), `!!timestamp ""` reads a match that is not there (AttributeError)
        raise _KBError(_CANNOT_READ, event.start_mark, value=event.value.strip()[:40], tag=tag) from None


# what SafeConstructor's constructors raise of a text their type cannot read
CONSTRUCTOR_ERRORS = (KeyError, ValueError, TypeError, OverflowError, IndexError, AttributeError)
# a decimal number as YAML 1.1's float resolver reads it (a subset of its pattern, which tries float before int and
# timestamp): SafeConstructor's float of it drops no underscore, sign or colon, and is float() of the text
DECIMAL = re.compile(r"[-+]?[0-9]+\.[0-9]+")
# what a parse keeps typed by its text: short texts (keys, words such as true and null), as immutable values
TYPED_UP_TO = 24
KEPT_TYPES = frozenset({str, bool, int, type(None)})


def _from_events(loader: Any, locate: bool = True, cleaned: bool = False) -> tuple[Any, Locations, bool]:
    """(data, locations, found a document) from the loader's events: mappings, sequences and scalars as
    SafeLoader builds them; an alias, a key that is not a plain value, a duplicate key or too deep a nesting
    is refused with its mark (an alias at its anchor: it never expands); locations (1-based line and column)
    of each section's key, each entry of a section, and each field of an entry (without `locate`, of each
    section's key alone). With `cleaned`, every text, key or value, is as sanitize.clean leaves it, cleaned as
    it is made (a text that is all printable, nearly every one, is kept as it is): what clean_tree gives of the
    data, without a second walk over it.

    The loop runs once for each of the parser's events (700,000 for a pack of 7 MB), so the innermost open
    collection lives in local variables (container, whether a mapping, its pending key, the keys it has seen
    as written with their marks, the last key as written), pushed onto `stack` as a tuple when a collection
    opens inside it: a local is read faster than an item of a list. A plain key's typed value is kept by its
    text for the parse (`names`: every entry's `name`, interned once)."""
    from yaml import events as ev

    loader.get_event()  # stream start
    if loader.check_event(ev.StreamEndEvent):
        return None, {}, False
    start = loader.get_event()  # document start
    anchors: dict[str, Any] = {}  # anchor name -> where it is set
    locs: Locations = {}
    typed: dict[str, Any] = {}  # plain scalars typed in this parse, by their text (_scalar)
    names: dict[str, Any] = {}  # plain keys typed (and interned) in this parse, by their text
    resolvers = loader.yaml_implicit_resolvers
    # as long as no resolver applies to every value or to a path, a scalar's type depends on its text alone
    # (_scalar): an untagged quoted text, or a plain one whose first character no implicit type starts with, is
    # a text, taken here without a call (most values)
    texts_as_written = None not in resolvers and not loader.yaml_path_resolvers
    kinds = (ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent, ev.MappingEndEvent, ev.SequenceEndEvent)
    scalar, map_start, _, map_end, seq_end = kinds
    get_event = loader.get_event
    # the open collections around the innermost: (container, is a mapping, pending key, keys seen, key as written)
    stack: list[tuple[Any, bool, Any, Any, Any]] = []
    container: Any = None  # the innermost open collection, and what it is waiting for
    mapping = False
    pending: Any = _NO_KEY  # a mapping's key read, waiting for its value
    seen: dict[str, Any] = {}  # a mapping's keys as written, each with its mark (a duplicate is refused)
    written: Any = None  # a mapping's last key as written: what locations are keyed by
    depth = 0  # how many collections are open
    root: Any = None
    while True:
        event = get_event()
        cls = type(event)  # the parser makes these classes exactly; compared by identity, the loop's hot test
        if cls not in kinds:
            if isinstance(event, ev.DocumentEndEvent):
                break
            if isinstance(event, ev.AliasEvent):
                mark = anchors.get(str(event.anchor)) or event.start_mark
                raise _KBError(N_("an alias refers to this anchor: anchors and aliases are not allowed"), mark)
            # a subclass as its class; any other event, as the loop always took it, as a scalar
            cls = next((k for k in kinds if isinstance(event, k)), scalar)
        if cls is scalar:  # most events
            if event.anchor:
                anchors[event.anchor] = event.start_mark
            text = event.value
            if mapping and pending is _NO_KEY:  # a key
                if text in seen:
                    message = N_("duplicate key '{key}' (first defined on line {line})")
                    raise _KBError(message, event.start_mark, key=text, line=seen[text].line + 1)
                mark = seen[text] = event.start_mark
                plain_key = texts_as_written and event.implicit[0] and event.tag is None
                if plain_key and text in names:
                    pending = names[text]
                else:
                    key = _scalar(loader, event, typed)
                    if cleaned and type(key) is str and not key.isprintable():
                        key = clean(key)
                    # a text key interned: every entry's `name` the one string (a tenth of a large parse's memory),
                    # which the code's own 'name' finds by identity
                    pending = sys.intern(key) if type(key) is str else key
                    if plain_key and type(key) in KEPT_TYPES:
                        names[text] = pending
                written = text
                if depth == 1:  # a section
                    locs[(text,)] = (mark.line + 1, mark.column + 1)
                continue
            if locate and depth <= 3:
                _place(stack, depth, container, mapping, written, locs, event)
            if (
                texts_as_written
                and event.tag is None
                and (not event.implicit[0] or (text and text[0] not in resolvers))
            ):
                value = text if not cleaned or text.isprintable() else clean(text)
            else:
                value = _scalar(loader, event, typed)
                if cleaned and type(value) is str and not value.isprintable():
                    value = clean(value)
        elif cls is map_end or cls is seq_end:
            value = container
            depth -= 1
            if not depth:
                root = value
                continue
            container, mapping, pending, seen, written = stack.pop()
        else:  # a mapping or a sequence opens
            if event.anchor:
                anchors[event.anchor] = event.start_mark
            if mapping and pending is _NO_KEY:  # where a mapping expects its next key: refused where it starts
                raise _KBError(_KEY_NOT_PLAIN, event.start_mark)
            if depth >= MAX_DEPTH:
                raise _KBError(N_("YAML nesting is too deep"), event.start_mark)
            opens_mapping = cls is map_start
            if event.tag not in (None, "!", "tag:yaml.org,2002:map" if opens_mapping else "tag:yaml.org,2002:seq"):
                raise _KBError(_UNKNOWN_TAG, event.start_mark, tag=event.tag)
            if locate and depth <= 3:  # an entry or a field opens (deeper, nothing is located)
                _place(stack, depth, container, mapping, written, locs, event)
            if depth:
                stack.append((container, mapping, pending, seen, written))
            depth += 1
            container, mapping, pending, written = ({} if opens_mapping else []), opens_mapping, _NO_KEY, None
            if opens_mapping:
                seen = {}
            continue
        if not depth:
            root = value
        elif mapping:
            try:
                container[pending] = value
            except TypeError:  # an unhashable key cannot happen (keys are scalars): kept for safety
                raise _KBError(_KEY_NOT_PLAIN, seen[written]) from None
            pending = _NO_KEY
        else:
            container.append(value)
    if not loader.check_event(ev.StreamEndEvent):
        following = loader.get_event()
        raise yaml.composer.ComposerError(
            "expected a single document in the stream",
            start.start_mark,
            "but found another document",
            following.start_mark,
        )
    return root, locs, True


_NO_KEY = object()  # a mapping waiting for its next key
_KEY_NOT_PLAIN = N_("a mapping key must be a plain value")
_UNKNOWN_TAG = N_("could not determine a constructor for the tag '{tag}'")
_CANNOT_READ = N_("cannot read '{value}' as the type {tag}")


def _place(
    stack: list[tuple[Any, bool, Any, Any, Any]],
    depth: int,
    container: Any,
    mapping: bool,
    written: Any,
    locs: Locations,
    event: Any,
) -> None:
    """Record where an entry (a section's item) or a field (an entry's value) starts: `event` stands in
    `container`, the innermost open collection, `depth` collections deep (the top level's mapping 1)."""
    mark = (event.start_mark.line + 1, event.start_mark.column + 1)
    if depth == 2 and not mapping:  # an item of a section
        locs[(stack[0][4], len(container))] = mark
    elif depth == 3 and mapping and type(stack[1][0]) is list:  # a field of an entry
        locs[(stack[0][4], len(stack[1][0]), written)] = mark


def locations_of(text: str, wanted: Collection[tuple[Any, ...]]) -> Locations:
    """The locations `_from_events` gives a text (a section's key, an entry, an entry's field), of the `wanted`
    ones alone, read from the parser's events without making the data: a problem of a checked pack, whose
    parse was read without its locations, is placed by reading it again (store/parsecache.Reparsed), and the
    data made again beside the first (a parse and five million locations at 100 times the shipped data) took
    the memory of a valid run three times over. The text is one that parsed (nothing is refused here)."""
    from yaml import events as ev

    loader = _Loader(text)
    found: Locations = {}
    # each open collection: [is a mapping, waiting for a key, its last key as written, items so far]
    frames: list[list[Any]] = []
    try:
        while True:
            event: Any = loader.get_event()
            if isinstance(event, ev.StreamEndEvent):
                break
            top = frames[-1] if frames else None
            if isinstance(event, ev.ScalarEvent) and top is not None and top[0] and top[1]:  # a key
                top[1], top[2] = False, event.value
                if len(frames) == 1 and (event.value,) in wanted:
                    found[(event.value,)] = _start(event)
                continue
            if isinstance(event, (ev.ScalarEvent, ev.MappingStartEvent, ev.SequenceStartEvent)):
                depth = len(frames)  # where a value starts: an entry of a section, or a field of an entry
                key: tuple[Any, ...] | None = None
                if depth == 2 and top is not None and not top[0]:
                    key = (frames[0][2], top[3])
                elif depth == 3 and top is not None and top[0] and not frames[1][0]:
                    key = (frames[0][2], frames[1][3], top[2])
                if key is not None and key in wanted:
                    found[key] = _start(event)
                if not isinstance(event, ev.ScalarEvent):
                    frames.append([isinstance(event, ev.MappingStartEvent), True, None, 0])
                    continue
            elif isinstance(event, (ev.MappingEndEvent, ev.SequenceEndEvent)):
                frames.pop()
                top = frames[-1] if frames else None
            else:  # the stream's and the document's start and end
                continue
            if top is not None:  # a value ends: its mapping waits for a key, its sequence counts it
                if top[0]:
                    top[1] = True
                else:
                    top[3] += 1
    except yaml.YAMLError:  # the text parsed as it was checked; should the parser refuse it now, what was found
        pass  # before stands where it was found, and a problem past it is named by its entry alone
    finally:
        loader.dispose()
    lines = newline_lines(text)
    return relined(found, lines) if lines is not None else found


def _start(event: Any) -> tuple[int, int]:
    """Where an event starts: 1-based line and column, as locations give them."""
    return event.start_mark.line + 1, event.start_mark.column + 1


def load_yaml(path: str, locate: bool = True) -> tuple[Any, Locations]:
    """Parse a knowledge-base file safely; return its data and the location of each entry and field (without
    `locate`, of each section alone: what a first read needs, where a problem is rare and the pack can be read
    again to say where, store.packs)."""
    return parse_text(path, read_text(path), locate)


def parse_text(path: str, text: str, locate: bool = True, *, cleaned: bool = False) -> tuple[Any, Locations]:
    """load_yaml of a file's text already read (`path` names it in a problem); with `cleaned`, its texts as
    sanitize.clean_tree leaves them (data is data: no control character reaches a terminal)."""
    loader = _Loader(text)
    lines = newline_lines(text)
    if not locate and lines is None:  # a first read, of plain block YAML: read a line at a time (store/plainyaml.py)
        from .plainyaml import read

        plain = read(text, loader)  # (it reads no text cleaning would change: each line of it is printable)
        if plain is not None:
            loader.dispose()
            return plain
    try:
        data, locs, found = _from_events(loader, locate, cleaned)
        if not found:
            raise fail(path, N_("the file is empty; expected a mapping of sections (meta, provinces, ...)"))
        if lines is not None:
            locs = relined(locs, lines)
    except _KBError as e:
        raise fail(path, e.template, remarked(e.mark, lines), **e.values) from None
    except yaml.reader.ReaderError as e:  # a character YAML refuses (a NUL, an escape): said where it stands
        where = None
        if isinstance(e.position, int):  # libyaml's (a C loader's) counts UTF-8 bytes
            where = at_offset(text, character_offset(text, e.position, bytes_counted=_Loader.__name__.startswith("C")))
        code = ord(e.character) if isinstance(e.character, str) and len(e.character) == 1 else e.character
        character = f"U+{code:04X}" if isinstance(code, int) else str(code)
        message = N_(
            "the character {character} is not allowed in a pack: remove it, or write it escaped in double quotes"
        )
        raise fail(path, message, where, character=character) from None
    except yaml.MarkedYAMLError as e:
        mark = remarked(e.problem_mark or e.context_mark, lines)
        tag = re.fullmatch(r"could not determine a constructor for the tag '(.*)'", e.problem or "")
        if tag:  # an unknown or unsafe tag on a scalar: SafeConstructor's words, in ours
            raise fail(path, _UNKNOWN_TAG, mark, tag=tag[1]) from None
        if e.context:
            message = N_("YAML error: {context}: {problem}")
            raise fail(path, message, mark, context=Word(e.context), problem=Word(e.problem or "")) from None
        raise fail(path, N_("YAML error: {problem}"), mark, problem=Word(e.problem or "")) from None
    except yaml.YAMLError as e:
        raise fail(path, N_("YAML error: {problem}"), problem=str(e)) from None
    except RecursionError:
        raise fail(path, N_("YAML nesting is too deep")) from None
    finally:
        loader.dispose()
    return data, locs
