"""Strict, safe YAML loading.

Nothing in the file is executed: only YAML's plain data types are built
(SafeConstructor). On top of PyYAML's safe loading this refuses what PyYAML
lets through silently: duplicate keys (it keeps the last), and anchors and
aliases (the mechanism of "billion laughs" alias bombs). Every error carries
the file, 1-based line and column.
"""

from __future__ import annotations

import os
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import InvalidKnowledgeBase, Problem

try:  # libyaml composes the node tree in C, ~5x faster; the pure-Python loader is the fallback
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


MAX_BYTES_DEFAULT = 32 * 1024 * 1024

# (section, index, field) -> (line, column), 1-based; index/field optional
Locations = dict[tuple[Any, ...], tuple[int, int]]


class _KBError(Exception):
    def __init__(self, message: str, mark: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def _check_tree(root: Node) -> None:
    """Refuse what safe loading lets through: aliases and duplicate keys.

    An alias makes the composed tree reuse the anchored node, so a node met twice is an alias; it is
    reported at its anchor, before anything is constructed (an alias bomb never expands). Iterative,
    so deep nesting cannot exhaust the stack.
    """
    seen: set[int] = set()
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise _KBError("an alias refers to this anchor: anchors and aliases are not allowed", node.start_mark)
        seen.add(id(node))
        if isinstance(node, MappingNode):
            first: dict[Any, int] = {}
            for key_node, value in node.value:
                key = key_node.value if isinstance(key_node, ScalarNode) else None
                if key is None:
                    raise _KBError("a mapping key must be a plain value", key_node.start_mark)
                if key in first:
                    raise _KBError(f"duplicate key '{key}' (first defined on line {first[key]})", key_node.start_mark)
                first[key] = key_node.start_mark.line + 1
                stack += [key_node, value]
        elif isinstance(node, SequenceNode):
            stack += node.value


def _locations(root: Node) -> Locations:
    """Line and column of each section, entry and field (three levels deep)."""
    locs: Locations = {}
    if not isinstance(root, MappingNode):
        return locs
    for key_node, section in root.value:
        name = key_node.value
        locs[(name,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if not isinstance(section, SequenceNode):
            continue
        for i, item in enumerate(section.value):
            locs[(name, i)] = (item.start_mark.line + 1, item.start_mark.column + 1)
            if isinstance(item, MappingNode):
                for fk, fv in item.value:
                    locs[(name, i, fk.value)] = (fv.start_mark.line + 1, fv.start_mark.column + 1)
    return locs


def _fail(path: str, message: str, mark: Any = None) -> InvalidKnowledgeBase:
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    return InvalidKnowledgeBase(path, [Problem(path, line, col, "", message)])


def read_text(path: str) -> str:
    """The file's text, or InvalidKnowledgeBase saying plainly why not."""
    limit = int(os.environ.get("CLUSTERS_MAX_BYTES", MAX_BYTES_DEFAULT))
    try:
        size = os.stat(path).st_size
        if os.path.isdir(path):
            raise _fail(path, "is a directory, not a knowledge-base file")
        if size > limit:
            raise _fail(
                path,
                f"file is {size / 1048576:.1f} MiB; the limit is {limit / 1048576:.0f} MiB "
                "(set CLUSTERS_MAX_BYTES to raise it)",
            )
        with open(path, "rb") as f:
            raw = f.read(limit + 1)
    except FileNotFoundError:
        raise _fail(path, "no such file") from None
    except IsADirectoryError:
        raise _fail(path, "is a directory, not a knowledge-base file") from None
    except OSError as e:
        raise _fail(path, f"cannot read: {e.strerror or e}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InvalidKnowledgeBase(
            path, [Problem(path, line, None, "", f"not UTF-8 text (byte 0x{raw[e.start]:02x} at offset {e.start})")]
        ) from None


def load_yaml(path: str) -> tuple[Any, Locations]:
    """Parse a knowledge-base file safely; return its data and the location of each entry."""
    text = read_text(path)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise _fail(path, "the file is empty; expected a mapping of sections (meta, provinces, ...)")
        _check_tree(node)
        data = SafeConstructor.construct_document(loader, node)
    except _KBError as e:
        raise _fail(path, e.message, e.mark) from None
    except yaml.MarkedYAMLError as e:
        msg = " ".join(filter(None, [e.context, e.problem]))
        raise _fail(path, f"YAML error: {msg}", e.problem_mark or e.context_mark) from None
    except yaml.YAMLError as e:
        raise _fail(path, f"YAML error: {e}") from None
    except RecursionError:
        raise _fail(path, "YAML nesting is too deep") from None
    finally:
        loader.dispose()
    return data, _locations(node)
