"""Knowledge-base validation: JSON Schema, ids, references and consistency.

The schema (data/clusters.schema.json) is standard JSON Schema, usable by
editors; this module interprets the part of the vocabulary the schema uses,
so that validating needs no dependency beyond the standard library.
Every problem names its entry and, where known, its line.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from typing import Any

from .errors import Problem
from .loader import Locations
from .paths import schema_path
from .units import SCALES

SECTIONS = ("sources", "provinces", "regions", "cities", "parks", "sectors", "companies", "clusters", "statistics")

# field -> section its ids refer to; lists and single ids alike
REFERENCES: dict[str, dict[str, str]] = {
    "sources": {"cited_in": "sources"},
    "provinces": {"capital": "cities", "macro_region": "regions"},
    "regions": {"provinces": "provinces", "cities": "cities"},
    "cities": {"province": "provinces"},
    "parks": {"city": "cities", "sectors": "sectors"},
    "sectors": {"parent": "sectors"},
    "companies": {"sector": "sectors"},
    "clusters": {
        "sector": "sectors",
        "region": "regions",
        "provinces": "provinces",
        "cities": "cities",
        "parks": "parks",
        "companies": "companies",
    },
    "statistics": {
        "region": "regions",
        "province": "provinces",
        "city": "cities",
        "park": "parks",
        "sector": "sectors",
        "cluster": "clusters",
        "source": "sources",
    },
}


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    with open(schema_path(), encoding="utf-8") as f:
        schema: dict[str, Any] = json.load(f)
    return schema


_TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool) and abs(v) < 2**53,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def _describe(value: Any) -> str:
    kind = {bool: "boolean", int: "integer", float: "number", str: "string", list: "list", dict: "mapping"}
    name = kind.get(type(value), "null" if value is None else type(value).__name__)
    shown = repr(value) if not isinstance(value, (list, dict)) else name
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{shown} ({name})" if shown != name else name


SchemaError = tuple[tuple[Any, ...], str]


def schema_errors(
    value: Any, schema: dict[str, Any], root: dict[str, Any], path: tuple[Any, ...] = ()
) -> list[SchemaError]:
    """(path, message) for each way `value` breaks `schema`."""
    if "$ref" in schema:
        ref = schema["$ref"]
        target: Any = root
        for part in ref.lstrip("#/").split("/"):
            target = target[part]
        return schema_errors(value, target, root, path)
    if "anyOf" in schema:
        options = [schema_errors(value, s, root, path) for s in schema["anyOf"]]
        if all(options):
            return [(path, f"{_describe(value)} matches none of the allowed forms")]
        return []
    errors: list[SchemaError] = []
    if "type" in schema and not _TYPES[schema["type"]](value):
        want = {"object": "a mapping", "array": "a list"}.get(schema["type"], f"a {schema['type']}")
        return [(path, f"expected {want}, got {_describe(value)}")]
    if "enum" in schema and value not in schema["enum"]:
        allowed = ", ".join("null" if v is None else str(v) for v in schema["enum"])
        return [(path, f"{_describe(value)} is not one of: {allowed}")]
    if isinstance(value, str):
        if len(value) < schema.get("minLength", 0):
            errors.append((path, "must not be empty"))
        if len(value) > schema.get("maxLength", 1 << 30):
            errors.append((path, f"is longer than {schema['maxLength']} characters"))
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append((path, f"{_describe(value)} does not match the pattern {schema['pattern']}"))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append((path, f"{value} is below the minimum {schema['minimum']}"))
        if "maximum" in schema and value > schema["maximum"]:
            errors.append((path, f"{value} is above the maximum {schema['maximum']}"))
        if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
            errors.append((path, f"{value} must be greater than {schema['exclusiveMinimum']}"))
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append((path, f"missing required field '{key}'"))
        props = schema.get("properties", {})
        for key, sub in value.items():
            if key in props:
                errors.extend(schema_errors(sub, props[key], root, (*path, key)))
            elif schema.get("additionalProperties") is False:
                errors.append(((*path, key), f"unknown field '{key}'"))
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            errors.extend(schema_errors(item, schema["items"], root, (*path, i)))
    return errors


class _Report:
    def __init__(self, path: str, data: Any, locs: Locations) -> None:
        self.path = path
        self.data = data
        self.locs = locs
        self.problems: list[Problem] = []

    def entry_name(self, section: str, index: int) -> str:
        items = self.data.get(section) if isinstance(self.data, dict) else None
        entry = items[index] if isinstance(items, list) and index < len(items) else None
        ident = entry.get("id") if isinstance(entry, dict) else None
        return f"{section}[{index}]" + (f" (id: {ident})" if isinstance(ident, str) else "")

    def add(self, where: tuple[Any, ...], message: str) -> None:
        line = col = None
        for n in range(min(len(where), 3), 0, -1):
            if where[:n] in self.locs:
                line, col = self.locs[where[:n]]
                break
        if len(where) >= 2 and isinstance(where[1], int):
            entry = self.entry_name(where[0], where[1])
            rest = where[2:]
        else:
            entry, rest = (str(where[0]) if where else ""), where[1:]
        if rest:
            entry += "." + ".".join(str(p) for p in rest)
        self.problems.append(Problem(self.path, line, col, entry, message))


def validate_data(path: str, data: Any, locs: Locations) -> list[Problem]:
    """Every problem with the knowledge base; an empty list when it is valid."""
    report = _Report(path, data, locs)
    schema = load_schema()
    for where, message in schema_errors(data, schema, schema):
        report.add(where, message)
    if report.problems:  # references mean little in a structurally broken file
        return report.problems
    ids: dict[str, set[str]] = {}
    for section in SECTIONS:
        seen: dict[str, int] = {}
        for i, entry in enumerate(data[section]):
            if entry["id"] in seen:
                report.add((section, i, "id"), f"duplicate id '{entry['id']}' (also {section}[{seen[entry['id']]}])")
            else:
                seen[entry["id"]] = i
        ids[section] = set(seen)
    _check_references(report, data, ids)
    _check_sector_cycles(report, data)
    if not report.problems:  # consistency checks follow references, so need them whole
        _check_consistency(report, data)
    return report.problems


def _check_references(report: _Report, data: dict[str, Any], ids: dict[str, set[str]]) -> None:
    if data["meta"]["primary_source"] not in ids["sources"]:
        report.add(("meta", "primary_source"), f"unknown source '{data['meta']['primary_source']}'")
    for section, fields in REFERENCES.items():
        for i, entry in enumerate(data[section]):
            for field, target in fields.items():
                value = entry.get(field)
                for ref in value if isinstance(value, list) else [value]:
                    if ref is not None and ref not in ids[target]:
                        singular = target[:-1].replace("citie", "city")
                        report.add((section, i, field), f"unknown {singular} '{ref}'")


def _check_consistency(report: _Report, data: dict[str, Any]) -> None:
    city_province = {c["id"]: c["province"] for c in data["cities"]}
    regions = {r["id"]: r for r in data["regions"]}
    parks = {p["id"]: p for p in data["parks"]}
    for i, prov in enumerate(data["provinces"]):
        if city_province.get(prov["capital"], prov["id"]) != prov["id"]:
            report.add(("provinces", i, "capital"), f"capital '{prov['capital']}' lies in another province")
        macro = regions.get(prov["macro_region"] or "")
        if macro is not None and macro["kind"] != "macro_region":
            report.add(("provinces", i, "macro_region"), f"'{macro['id']}' is not a macro_region")
    for i, region in enumerate(data["regions"]):
        for city in region["cities"]:
            if city in city_province and city_province[city] not in region["provinces"]:
                report.add(("regions", i, "cities"), f"city '{city}' lies outside the region's provinces")
    for i, cl in enumerate(data["clusters"]):
        if not (cl.get("region") or cl.get("provinces") or cl.get("cities") or cl.get("parks")):
            report.add(("clusters", i), "a cluster needs a place: region, provinces, cities or parks")
        places = {city_province.get(c) for c in cl.get("cities", [])}
        places |= {city_province.get(parks[p]["city"]) for p in cl.get("parks", []) if p in parks}
        places.discard(None)
        if cl.get("provinces") and not places <= set(cl["provinces"]):
            report.add(("clusters", i, "cities"), "its cities and parks lie outside its provinces")
        region = regions.get(cl.get("region", ""))
        if region is not None and not (places | set(cl.get("provinces", []))) <= set(region["provinces"]):
            report.add(("clusters", i, "region"), f"its places lie outside the region '{region['id']}'")
    rate = data["meta"]["rmb_per_usd"]
    tolerance = data["meta"]["fx_tolerance"]
    for i, st in enumerate(data["statistics"]):
        _check_statistic(report, i, st, rate, tolerance)


def _check_sector_cycles(report: _Report, data: dict[str, Any]) -> None:
    parent = {s["id"]: s.get("parent") for s in data["sectors"]}
    for i, sector in enumerate(data["sectors"]):
        seen = {sector["id"]}
        node = parent.get(sector["id"])
        while node is not None and node in parent:
            if node in seen:
                report.add(("sectors", i, "parent"), f"the sector hierarchy has a cycle through '{sector['id']}'")
                break
            seen.add(node)
            node = parent[node]


def _check_statistic(report: _Report, i: int, st: dict[str, Any], rate: float, tolerance: float) -> None:
    money = st["unit"] == "currency"
    if money and not ("currency" in st and "scale" in st):
        report.add(("statistics", i, "unit"), "a currency figure needs 'currency' and 'scale'")
    if not money and ("currency" in st or "usd_value" in st):
        report.add(("statistics", i, "currency"), "only a currency figure may have 'currency' or 'usd_value'")
    if "usd_value" in st:
        if st.get("currency") != "CNY" or "usd_scale" not in st or "scale" not in st:
            report.add(("statistics", i, "usd_value"), "'usd_value' needs a CNY figure with 'scale' and 'usd_scale'")
            return
        rmb = st["value"] * SCALES[st["scale"]]
        usd = st["usd_value"] * SCALES[st["usd_scale"]]
        implied = rmb / usd
        if abs(implied - rate) / rate > tolerance:
            report.add(
                ("statistics", i, "usd_value"),
                f"RMB {st['value']} {st['scale']} and US${st['usd_value']} {st['usd_scale']} imply "
                f"{implied:.2f} yuan per dollar; the knowledge base's rate is {rate} (tolerance {tolerance:.0%})",
            )
    if "period" in st:
        start, end = (int(y) for y in st["period"].split("-"))
        if not start <= st["year"] <= end or start > end:
            report.add(("statistics", i, "period"), f"period {st['period']} does not contain year {st['year']}")
