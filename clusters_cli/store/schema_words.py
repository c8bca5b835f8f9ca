"""The words of a schema problem: what the schema expected and what the pack gave, each worded by us for every
keyword the shipped schema uses (WORDED), with a hint where YAML read a value otherwise than meant (an unquoted
yes, 1e3); and an anyOf problem read as the branch the value was meant for. store/schema.py checks; this
module words what it finds."""

from __future__ import annotations

import datetime
import math
import re
from typing import Any

from ..errors import Either, Quoted, Word
from ..i18n import N_
from ..slips import closest

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
    """A value as a problem quotes it: repr (a date as written), cut at 60 characters; a text in Chinese
    quotes where the problem is shown in Chinese (errors.Quoted)."""
    written = value.isoformat() if isinstance(value, datetime.date) else value
    shown = repr(written)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    if isinstance(written, str):
        return Quoted(shown, (written if len(written) <= 57 else written[:54] + "...",))
    return shown


def _shown_all(values: Any) -> str:
    """Several values as a problem quotes them (an enum's choices): as _shown each, parted by commas (or 、)."""
    shown = [(_shown(v), v) for v in values]
    parts = tuple(p for s, v in shown for p in (s.parts if isinstance(s, Quoted) else (v,)))  # a number as it is
    return Quoted(", ".join(s for s, _v in shown), parts)


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
        if not math.isfinite(float(written)):  # 1e400: no float holds it, and the spelling advised is refused too
            template = N_("expected {expected}, got {value} ({type}): a number too large for a figure")
            return template, {"value": _shown(value), "type": kind}
        template = N_("expected {expected}, got {value} ({type}): YAML reads it as text; write {written}")
        return template, {"value": _shown(value), "type": kind, "written": written}
    return N_("expected {expected}, got {value} ({type})"), {"value": _shown(value), "type": kind}


# a number with an exponent, as JSON writes one (sign, whole part, fraction, the exponent's sign and digits)
_EXPONENT = re.compile(r"([-+]?)(?=\.?\d)(\d*)(?:\.(\d*))?[eE]([-+]?)(\d+)")


def _expected(types: Any) -> Either:
    names = types if isinstance(types, list) else [types]
    return Either(dict.fromkeys(Word(_TYPE_WORDS.get(t, t)) for t in names))  # each kind once


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


def meant(error: Any) -> list[tuple[tuple[Any, ...], Any]]:
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
FIELDS_NAMED = 10  # the unknown fields of an object a problem names; the rest it counts


def worded(error: Any) -> tuple[str, dict[str, Any]]:
    """A jsonschema error as a marked template and its values."""
    rule, value, instance = error.validator, error.validator_value, error.instance
    if rule == "additionalProperties" and isinstance(instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(str(k) for k in instance if k not in allowed)
        # ten named, each cut as a value is (a key of 200,000 characters, or 20,000 keys, made a line of 200 KB)
        named = [k if len(k) <= 57 else k[:54] + "..." for k in extra[:FIELDS_NAMED]]
        unknown = Quoted(", ".join(f"'{k}'" for k in named), tuple(named))
        more = {"more": f"{len(extra) - len(named):,}"} if len(extra) > len(named) else {}
        close = [m for k in extra[:FIELDS_NAMED] if (m := closest(k, allowed)) is not None]
        if close:  # a misspelt field: the one it is close to (sectro: sector)
            template = (
                N_("unknown field {fields} and {more} more; did you mean {close}?")
                if more
                else N_("unknown field {fields}; did you mean {close}?")
            )
            return template, {
                "fields": unknown,
                **more,
                "close": Quoted(", ".join(f"'{c}'" for c in dict.fromkeys(close)), tuple(dict.fromkeys(close))),
            }
        return (N_("unknown field {fields} and {more} more") if more else N_("unknown field {fields}")), {
            "fields": unknown,
            **more,
        }
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
        required = Quoted(", ".join(f"'{f}'" for f in missing), tuple(missing))
        if len(missing) == 1:
            return N_("the field {fields} is required"), {"fields": required}
        return N_("the fields {fields} are required"), {"fields": required}
    if rule == "enum":
        boolean = N_(
            "{value} is not one of: {allowed}; an unquoted yes, no, on or off is read as true or false; quote it"
        )
        words = {"value": _shown(instance), "allowed": _shown_all(value)}
        if isinstance(instance, bool):
            return boolean, words
        meant = closest(instance, [v for v in value if isinstance(v, str)]) if isinstance(instance, str) else None
        if meant is not None:  # a misspelt value: the one it is close to (establised: established)
            return N_("{value} is not one of: {allowed}; did you mean {close}?"), {**words, "close": _shown(meant)}
        return N_("{value} is not one of: {allowed}"), words
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
