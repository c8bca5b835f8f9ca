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

import datetime
import json
import math
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .. import paths
from ..errors import Either, Problem, Word
from ..i18n import N_

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
_TYPE_WORDS = {
    "object": N_("a mapping"),
    "array": N_("a list"),
    "integer": N_("an integer"),
    "string": N_("a string"),
    "number": N_("a number"),
    "boolean": N_("a boolean"),
    "null": N_("null"),
}
_VALUE_TYPES = {
    bool: N_("boolean"),
    int: N_("integer"),
    float: N_("number"),
    str: N_("string"),
    list: N_("list"),
    dict: N_("mapping"),
    datetime.date: N_("date"),
    datetime.datetime: N_("date"),
    bytes: N_("binary data"),
}


# what a value YAML gives but JSON has no type for is, with its article
_NOT_JSON = {datetime.date: N_("a date"), datetime.datetime: N_("a date"), bytes: N_("binary data")}


def a_value_of(value: Any) -> str:
    """What a value is, with its article, as a problem names it ('a list', 'an integer', 'a date'): the
    words of `_TYPE_WORDS`, by the schema type the value has."""
    if type(value) in _NOT_JSON:
        return _NOT_JSON[type(value)]
    for name, kind in _PY_TYPES.items():  # boolean before integer, integer before number
        if isinstance(value, kind):
            return _TYPE_WORDS[name]
    return type(value).__name__


def _shown(value: Any) -> str:
    """A value as a problem quotes it: repr (a date as written), cut at 60 characters."""
    shown = repr(value.isoformat() if isinstance(value, datetime.date) else value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _got(value: Any, expected: Any = ()) -> tuple[str, dict[str, Any]]:
    """How a problem of the wrong type says what was found: the value and its type ("'north' (string)"), or
    only the type for a list or a mapping; where a number is `expected`, a text YAML 1.1 read from a number
    with an exponent says how to write it (1e300 as 1.0e+300)."""
    kind = Word(_VALUE_TYPES.get(type(value), N_("null") if value is None else type(value).__name__))
    if isinstance(value, (list, dict)):
        return N_("expected {expected}, got {type}"), {"type": kind}
    if isinstance(value, bool):  # YAML 1.1 reads an unquoted yes, no, on or off as a boolean (NO for Norway)
        return (
            N_(
                "expected {expected}, got {value} ({type}): an unquoted yes, no, on or off is read as true or "
                "false; quote it"
            ),
            {"value": _shown(value), "type": kind},
        )
    exponent = _EXPONENT.fullmatch(value.strip()) if isinstance(value, str) else None
    if exponent is not None and "number" in (expected if isinstance(expected, list) else [expected]):
        sign, whole, fraction, power_sign, power = exponent.groups()
        written = f"{sign}{whole or '0'}.{fraction or '0'}e{power_sign or '+'}{power}"  # 1e3: 1.0e+3
        template = N_("expected {expected}, got {value} ({type}): YAML reads it as text; write {written}")
        return template, {"value": _shown(value), "type": kind, "written": written}
    return N_("expected {expected}, got {value} ({type})"), {"value": _shown(value), "type": kind}


# a number with an exponent, as JSON writes one (sign, whole part, fraction, the exponent's sign and digits)
_EXPONENT = re.compile(r"([-+]?)(?=\.?\d)(\d*)(?:\.(\d*))?[eE]([-+]?)(\d+)")


def _expected(types: Any) -> Either:
    names = types if isinstance(types, list) else [types]
    return Either(dict.fromkeys(Word(_TYPE_WORDS.get(t, t)) for t in names))  # each kind once


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
    refuses (a schema jsonschema still reads) has no fast check: jsonschema checks it all."""
    import fastjsonschema

    schema = _parsed(text)
    defs = {k: _as_draft7(v) for k, v in schema.get("$defs", {}).items()}
    whole = _as_draft7(_inline_refs(schema, schema.get("$defs", {})))
    parts = _parts(whole, defs, **{"$schema": "http://json-schema.org/draft-07/schema#"})
    checks: dict[str, Any] = {}  # None: no fast check for that part (jsonschema reads it whole)
    for name, part in parts.items():
        try:
            checks[name] = fastjsonschema.compile(part, use_default=False, use_formats=False)
        except fastjsonschema.JsonSchemaDefinitionException:
            checks[name] = None
    return checks


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
    if not isinstance(data, dict) or next(_non_finite(data, ()), None) is not None:
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
    return [(where + path, e) for where, error in errors for path, e in _meant(error)]


_PY_TYPES: dict[str, Any] = {
    "string": str,
    "object": dict,
    "array": list,
    "boolean": bool,
    "null": type(None),
    "integer": int,
    "number": (int, float),
}


def _fits(value: Any, sub: dict[str, Any]) -> bool:
    """Whether a value is of the shape one branch of an anyOf asks for: its type, and all its required fields."""
    if "type" in sub:
        types = sub["type"] if isinstance(sub["type"], list) else [sub["type"]]
        typed = any(
            isinstance(value, _PY_TYPES[t]) and not (isinstance(value, bool) and t in ("integer", "number"))
            for t in types
            if t in _PY_TYPES
        )
        if not typed:
            return False
    required = sub.get("required") or []
    return not required or (isinstance(value, dict) and all(f in value for f in required))


def _meant(error: Any) -> list[tuple[tuple[Any, ...], Any]]:
    """An anyOf error as the branch the value was meant for: where a value has a branch's shape (a string,
    or a locator's `source` and `where`) but breaks its rules (a pattern, a field's type), those errors,
    each at its own path; otherwise the anyOf error itself ("expected a string or null", "needs one of")."""
    if error.validator != "anyOf":
        return [((), error)]
    for i, sub in enumerate(error.validator_value):
        if isinstance(sub, dict) and _fits(error.instance, sub):
            inner = [e for e in error.context if e.relative_schema_path and e.relative_schema_path[0] == i]
            if inner:
                return [(tuple(e.relative_path), e) for e in inner]
    return [((), error)]


# the validator keywords worded here; any other keeps jsonschema's English (tests/test_schema_check.py checks
# that the shipped schema uses only these)
WORDED = frozenset(
    {
        "additionalProperties",
        "type",
        "anyOf",
        "minItems",
        "maxItems",
        "required",
        "enum",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "minLength",
        "maxLength",
        "pattern",
    }
)


ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"  # the schema's $defs/id


def _worded(error: Any) -> tuple[str, dict[str, Any]]:
    """A jsonschema error as a marked template and its values."""
    rule, value, instance = error.validator, error.validator_value, error.instance
    if rule == "additionalProperties" and isinstance(instance, dict):
        import difflib

        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in instance if k not in allowed)
        fields = ", ".join(f"'{k}'" for k in extra)
        close = [m for k in extra for m in difflib.get_close_matches(k, sorted(allowed), n=1, cutoff=0.75)]
        if close:  # a misspelt field: the one it is close to (sectro: sector)
            return N_("unknown field {fields}; did you mean {close}?"), {
                "fields": fields,
                "close": ", ".join(f"'{c}'" for c in dict.fromkeys(close)),
            }
        return N_("unknown field {fields}"), {"fields": fields}
    if rule == "type":
        template, values = _got(instance, value)
        return template, {"expected": _expected(value), **values}
    if rule == "anyOf" and isinstance(instance, dict) and "required" in value[0]:
        shapes = [" + ".join(sub["required"]) for sub in value if "required" in sub]
        fields = ", ".join(map(str, instance))
        if not fields:
            return N_("needs one of: {shapes}; it has no fields"), {"shapes": " | ".join(shapes)}
        return N_("needs one of: {shapes}; it has: {fields}"), {"shapes": " | ".join(shapes), "fields": fields}
    if rule == "anyOf" and all("type" in sub for sub in value):
        types = [sub["type"] for sub in value]
        if isinstance(instance, (int, float)) and not isinstance(instance, bool) and "number" in types:
            return N_("{value} is outside the allowed range"), {"value": _shown(instance)}
        template, values = _got(instance, types)
        return template, {"expected": _expected(types), **values}
    if rule in ("minItems", "maxItems") and isinstance(instance, list):
        template = (
            N_("has {n} items; the schema asks for at least {limit}")
            if rule == "minItems"
            else N_("has {n} items; the schema asks for at most {limit}")
        )
        return template, {"n": len(instance), "limit": value}
    if rule == "required":
        missing = [f for f in value if isinstance(instance, dict) and f not in instance]
        fields = ", ".join(f"'{f}'" for f in missing)
        if len(missing) == 1:
            return N_("the field {fields} is required"), {"fields": fields}
        return N_("the fields {fields} are required"), {"fields": fields}
    if rule == "enum":
        boolean = N_(
            "{value} is not one of: {allowed}; an unquoted yes, no, on or off is read as true or false; quote it"
        )
        return boolean if isinstance(instance, bool) else N_("{value} is not one of: {allowed}"), {
            "value": _shown(instance),
            "allowed": ", ".join(_shown(v) for v in value),
        }
    bounds = {
        "minimum": N_("{value} is less than the minimum of {limit}"),
        "maximum": N_("{value} is more than the maximum of {limit}"),
        "exclusiveMinimum": N_("{value} must be more than {limit}"),
        "minLength": N_("{value} is shorter than {limit} characters"),
        "maxLength": N_("{value} is longer than {limit} characters"),
        "pattern": N_("{value} does not match the pattern {limit}"),
    }
    if rule == "pattern" and value == ID_PATTERN and isinstance(instance, str):  # an id: say what one is
        example = re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", instance.lower())).strip("-")
        template = N_("{value} is no id: an id is lower-case letters and digits, joined by single hyphens ({example})")
        return template, {"value": _shown(instance), "example": example or "my-id"}
    if rule in bounds:
        return bounds[rule], {"value": _shown(instance), "limit": _shown(value) if rule == "pattern" else value}
    # jsonschema's own words (a keyword the shipped schema does not use), the value shown briefly
    detail = error.message.replace(repr(instance), _shown(instance))
    return N_("does not fit the schema: {detail}"), {"detail": detail if len(detail) <= 200 else detail[:197] + "..."}


def schema_problems(pack: Pack) -> list[Problem]:
    """Every way the pack breaks the JSON Schema, by the jsonschema library."""
    problems = []
    seen: set[tuple[tuple[Any, ...], str]] = set()
    for where, error in sorted(_schema_errors(pack.data), key=lambda we: [str(p) for p in we[0]]):
        template, values = _worded(error)
        if (where, template + repr(sorted(values.items()))) in seen:
            continue  # `required` names every missing field once, though jsonschema reports each
        seen.add((where, template + repr(sorted(values.items()))))
        problems.append(pack.problem(where, template, **values))
    message = N_("{value} is not a finite number")
    problems += [pack.problem(where, message, value=value) for where, value in _non_finite(pack.data, ())]
    return problems


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
