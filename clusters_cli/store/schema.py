"""The JSON Schema check of a pack, by the `jsonschema` library, with `fastjsonschema` in front.

Structure is checked against data/clusters.schema.json, the same file editors use: one source of
truth, every keyword honoured. The checkers are imported only here, and only on a cache miss or under
`clusters validate`, so warm queries never pay for them. A pack's top level is checked whole and its
entries one by one: each entry first by fastjsonschema's compiled check of the same schema (about 20x
faster: a pack of 40,000 entries in 0.3 s), and only an entry it refuses by jsonschema, which names every
problem. The schema uses only keywords both read alike (tests/test_schema_check.py compares them on
damaged entries). Problems are worded for people and name their file, line and entry.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .. import paths
from ..errors import Problem
from ..i18n import N_
from .schema_words import meant, worded

if TYPE_CHECKING:
    from .merged import Pack


def load_schema() -> dict[str, Any]:
    """The schema as it is on disk now (a process never checks against a schema edited since)."""
    return _parsed(_schema_text())


def _schema_text() -> str:
    with open(paths.schema_path(), encoding="utf-8") as f:
        return f.read()


@lru_cache(maxsize=2)
def _parsed(text: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(text)
    return schema


# what a schema type is called in a problem ("expected a mapping"), and what a value's type is called
def _inline_refs(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with each local `$ref` replaced by what it names: the same rules, checked ~2.5x faster."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if len(node) == 1 and isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: v if k == "$defs" else _inline_refs(v, defs) for k, v in node.items()}
    if isinstance(node, list):
        return [_inline_refs(v, defs) for v in node]
    return node


@lru_cache(maxsize=2)
def _validator(text: str) -> tuple[Any, dict[str, Any]]:
    """The schema as jsonschema checks it, in two parts: the top level of a pack (every section's entries
    accepted as they are), and, per section, its entries (so a problem names its entry). Keyed by the
    schema's text: an edited schema gets a validator of its own."""
    from jsonschema import Draft202012Validator

    schema = _parsed(text)
    defs = schema.get("$defs", {})
    parts = _parts(_inline_refs(schema, defs), defs)
    top = Draft202012Validator(parts.pop(""))
    return top, {section: Draft202012Validator(part) for section, part in parts.items()}


def _parts(whole: dict[str, Any], defs: dict[str, Any], **extra: Any) -> dict[str, dict[str, Any]]:
    """The schema in the parts a pack is checked by: section -> the schema of one of its entries, and "" ->
    the pack's top level (each section's entries accepted as they are), each with `defs` and `extra`."""
    sections = dict(whole.get("properties", {}))
    parts: dict[str, dict[str, Any]] = {}
    for section, rule in whole.get("properties", {}).items():
        if isinstance(rule, dict) and isinstance(rule.get("items"), dict):
            parts[section] = {**extra, **rule["items"], "$defs": defs}
            sections[section] = {**rule, "items": True}
    parts[""] = {**whole, **extra, "$defs": defs, "properties": sections}
    return parts


def _as_draft7(node: Any) -> Any:
    """The schema as draft 7 reads it the way draft 2020-12 does: draft 7 ignores the keywords beside a
    `$ref`, so such a node becomes an allOf of the reference and the rest."""
    if isinstance(node, dict):
        out = {k: v if k == "$defs" else _as_draft7(v) for k, v in node.items()}
        if "$ref" in out and len(out) > 1:
            ref = out.pop("$ref")
            return {"allOf": [{"$ref": ref}, out]}
        return out
    if isinstance(node, list):
        return [_as_draft7(v) for v in node]
    return node


@lru_cache(maxsize=2)
def fast_checks(text: str) -> dict[str, Any]:
    """section -> fastjsonschema's compiled check of one entry (raises on the first problem), and "" -> the
    pack's top level, from the same schema text read as draft 7 reads it (`_as_draft7`). A part the compiler
    refuses (a schema jsonschema still reads) has no fast check: jsonschema checks it all. The wheel holds them
    compiled (compile_checks: a first run with a pack of one's own spent 0.1 s of its 0.23 s making them)."""
    import fastjsonschema

    built = _built_checks(text)
    if built is not None:
        return built
    checks: dict[str, Any] = {}
    for name, part in _check_parts(text).items():
        try:
            checks[name] = fastjsonschema.compile(part, use_default=False, use_formats=False)
        except fastjsonschema.JsonSchemaDefinitionException:
            checks[name] = None
    return checks


def _check_parts(text: str) -> dict[str, Any]:
    """section (or "" for the top level) -> the part of the schema its check is compiled from (draft 7)."""
    schema = _parsed(text)
    defs = {k: _as_draft7(v) for k, v in schema.get("$defs", {}).items()}
    whole = _as_draft7(_inline_refs(schema, schema.get("$defs", {})))
    return _parts(whole, defs, **{"$schema": "http://json-schema.org/draft-07/schema#"})


def _checks_key(text: str) -> str:
    """What compiled checks hold good for: the schema's text, fastjsonschema's version (the code it writes
    calls it), this tool's version and the Python that reads the code."""
    import hashlib
    import sys

    import fastjsonschema

    from .. import __version__

    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return repr([digest, fastjsonschema.VERSION, __version__, sys.implementation.cache_tag])


def compile_checks(text: str) -> bytes:
    """The checks of this schema text compiled for the wheel (hatch_build.py): the key they hold good for, the
    sha256 of their code, and their code, marshalled: section -> (the name of its check, the code object of
    fastjsonschema's code that defines it), or None where the compiler refuses the part. The key and the
    digest are read before the code is (a wheel built by another Python, or a damaged file, is never run)."""
    import hashlib
    import marshal

    import fastjsonschema

    code: dict[str, Any] = {}
    for name, part in _check_parts(text).items():
        try:
            source = fastjsonschema.compile_to_code(part, use_default=False, use_formats=False)
            root = fastjsonschema.compile(part, use_default=False, use_formats=False).__name__
        except fastjsonschema.JsonSchemaDefinitionException:
            code[name] = None
            continue
        code[name] = (root, compile(source, f"<fastjsonschema check of {name or 'the top level'}>", "exec"))
    blob = marshal.dumps(code)
    return marshal.dumps((_checks_key(text), hashlib.sha256(blob).hexdigest(), blob))


def _built_checks(text: str) -> dict[str, Any] | None:
    """The wheel's compiled checks, where they are of this schema text and whole (an edited schema, or a file
    damaged since the build, is compiled anew)."""
    import hashlib
    import marshal

    built = paths.compiled_checks()
    if built is None:
        return None
    try:
        key, digest, blob = marshal.loads(built.read_bytes())  # str, str, bytes: readable by any Python 3
        if key != _checks_key(text) or hashlib.sha256(blob).hexdigest() != digest:
            return None
        checks: dict[str, Any] = {}
        for name, compiled in marshal.loads(blob).items():
            if compiled is None:
                checks[name] = None
                continue
            root, code = compiled
            names: dict[str, Any] = {}
            exec(code, names)  # fastjsonschema's code of our own schema, run as fastjsonschema.compile runs it
            checks[name] = names[root]
        return checks
    except Exception:  # whatever is wrong with the file, the checks are compiled here instead
        return None


def entry_passes(check: Any, entry: Any) -> bool:
    """Whether fastjsonschema's compiled check accepts the entry (it raises on the first problem); without a
    compiled check, no."""
    import fastjsonschema

    if check is None:
        return False
    try:
        check(entry)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def entries_pass(data: Any) -> bool:
    """Whether schema_problems would find nothing in `data`'s entries: each passes its section's compiled
    check, and nothing in `data` (its entries or any other value) is a non-finite number. A section without a
    compiled check passes nothing (jsonschema reads it)."""
    if not isinstance(data, dict) or not _all_finite(data):
        return False
    return next(_refused(data), None) is None


def refused_entries(data: Any) -> set[tuple[str, int]] | None:
    """(section, index) of every entry its section's compiled check refuses (where there is none, every entry
    of the section); None where the pack's top level is refused, so that no entry can be read past it."""
    return set(_refused(data)) if top_passes(data) else None


def _refused(data: dict[str, Any]) -> Iterator[tuple[str, int]]:
    """(section, index) of each entry of a section (a list) that its compiled check refuses, in order."""
    for section, check in fast_checks(_schema_text()).items():
        items = data.get(section) if section else None
        if isinstance(items, list):
            yield from ((section, i) for i, entry in enumerate(items) if not entry_passes(check, entry))


def top_passes(data: Any) -> bool:
    """Whether the pack's top level passes its compiled check (each section's entries taken as they are)."""
    return entry_passes(fast_checks(_schema_text())[""], data)


def _schema_errors(data: Any) -> list[tuple[tuple[Any, ...], Any]]:
    """(where, error) of every way `data` breaks the schema."""
    text = _schema_text()
    fast = fast_checks(text)
    errors = []
    if not entry_passes(fast[""], data):
        top = _validator(text)[0]
        errors += [(tuple(e.absolute_path), e) for e in top.iter_errors(data)]
    for section, check in fast.items():
        items = data.get(section) if section and isinstance(data, dict) else None
        for i, entry in enumerate(items if isinstance(items, list) else []):
            if not entry_passes(check, entry):
                full = _validator(text)[1][section]  # jsonschema, imported only for an entry refused
                errors += [((section, i, *e.absolute_path), e) for e in full.iter_errors(entry)]
    return [(where + path, e) for where, error in errors for path, e in meant(error)]


def _first_unknown(where: tuple[Any, ...], error: Any) -> tuple[Any, ...] | None:
    """The place of the first section the schema does not know, in the order written (an unknown section named
    no line: `compnaies:` in a file of 583,000 lines), or None for any other problem. Only a section's key is
    located where it stands: an entry's field is located where its value starts, the next line for a list
    or a mapping, so an unknown field of an entry stays at the entry."""
    if where or error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return None
    allowed = error.schema.get("properties", {})
    return next(((*where, key) for key in error.instance if key not in allowed), None)


def schema_problems(pack: Pack) -> list[Problem]:
    """Every way the pack breaks the JSON Schema, by the jsonschema library."""
    problems = []
    seen: set[tuple[tuple[Any, ...], str]] = set()
    for where, error in sorted(_schema_errors(pack.data), key=lambda we: [str(p) for p in we[0]]):
        template, values = worded(error)
        if (where, template + repr(sorted(values.items()))) in seen:
            continue  # `required` names every missing field once, though jsonschema reports each
        seen.add((where, template + repr(sorted(values.items()))))
        problems.append(pack.problem(where, template, _first_unknown(where, error), **values))
    message = N_("{value} is not a finite number")
    problems += [pack.problem(where, message, value=value) for where, value in _non_finite(pack.data, ())]
    return problems


def _all_finite(data: Any) -> bool:
    """Whether no number in `data` is non-finite (what _non_finite finds), asked of every pack a run parses: a
    loop over each collection's values by their exact types, not a generator a value (0.08 s of a 10x pack,
    against 0.46); a subclass of a collection or of float (never parsed, but handed in) is read as its class."""
    todo = [data]
    while todo:
        values = todo.pop()
        if isinstance(values, dict):
            values = values.values()
        elif not isinstance(values, list):
            if isinstance(values, float) and not math.isfinite(values):
                return False
            continue
        for value in values:
            kind = type(value)
            if kind is str or kind is int or kind is bool or value is None:
                continue
            if kind is float:
                if not math.isfinite(value):
                    return False
            else:
                todo.append(value)  # a collection, or a value of another type, read above
    return True


def _non_finite(value: Any, where: tuple[Any, ...]) -> Iterator[tuple[tuple[Any, ...], float]]:
    """(where, value) of every non-finite number: JSON has none, but YAML's .nan and .inf parse as floats."""
    if isinstance(value, float) and not math.isfinite(value):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _non_finite(v, (*where, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _non_finite(v, (*where, i))
