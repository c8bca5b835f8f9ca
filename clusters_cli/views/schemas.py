"""The published output contract: a JSON Schema for every document a command prints with --json.

The typed views (views/types.py, views/detail_types.py, views/analysis_types.py) are the contract the code is
checked against by mypy; each schema is read from them, so the schema a user is given and the type the code
is held to cannot drift apart. `clusters schema KIND` prints one; the tests validate every command's JSON
against its schema.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, NotRequired, get_args, get_origin, get_type_hints, is_typeddict

from ..contract import SCHEMA_VERSION
from . import analysis_types as at
from . import detail_types as dt
from . import types as vt

ID_BASE = "urn:clusters-cli:output-schema"  # the project's own name: no web address is implied


# each document kind (its `kind` member): the typed view it is, and what prints it
DOCUMENTS: dict[str, tuple[Any, str]] = {
    "province": (dt.ProvinceView, "clusters province NAME --json"),
    "sector": (dt.SectorView, "clusters sector NAME --json"),
    "city": (dt.CityView, "clusters city NAME --json"),
    "region": (dt.RegionView, "clusters region NAME --json"),
    "company": (dt.CompanyView, "clusters company NAME --json"),
    "park": (dt.ParkView, "clusters park NAME --json"),
    "cluster": (dt.ClusterView, "clusters cluster ID --json"),
    "designation": (dt.DesignationView, "clusters designation NAME --json"),
    "list": (vt.ListView, "clusters list KIND --json, and --json with --fields on row commands"),
    "search": (vt.SearchView, "clusters search TEXT --json"),
    "near": (vt.NearView, "clusters near PLACE --json"),
    "info": (vt.InfoView, "clusters info --json"),
    "compare": (at.CompareView, "clusters compare ... --json"),
    "map": (at.MapView, "clusters map [SECTOR] --json"),
    "stats": (at.StatsView, "clusters stats --json"),
    "rank": (at.RankView, "clusters rank LEVEL --sector S --json"),
    "export": (at.ExportReport, "clusters export ... --json"),
    "validation": (at.ValidationView, "clusters validate --json"),
    "cite": (vt.CiteView, "clusters cite ID --format json"),
    # the JSON export's file: its entities are the packs' entries, so its schema is read from the packs' schema
    "knowledge_base": (None, "clusters export -f json (the file written)"),
}


# the documents whose rows --fields, --sort and --limit shape, and the member holding the rows
ROW_KEYS = {"search": "hits", "near": "rows", "rank": "rows"}


def _schema_of(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    if tp is Any:
        return {}
    if tp is type(None):
        return {"type": "null"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if tp is str:
        return {"type": "string"}
    if is_typeddict(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # reserved first: a type that names itself
            # NotRequired read from the annotations themselves: under `from __future__ import annotations` a
            # TypedDict's __required_keys__ cannot see it
            hints = get_type_hints(tp, include_extras=True)
            optional = {k for k, v in hints.items() if get_origin(v) is NotRequired}
            optional |= set(tp.__optional_keys__)
            defs[name] = {
                "type": "object",
                "properties": {
                    k: _schema_of(get_args(v)[0] if k in optional and get_origin(v) is NotRequired else v, defs)
                    for k, v in hints.items()
                },
                "required": sorted(k for k in hints if k not in optional),
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}
    origin = get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_schema_of(a, defs) for a in get_args(tp)]}
    if origin is list:
        (item,) = get_args(tp) or (Any,)
        return {"type": "array", "items": _schema_of(item, defs)}
    if origin is dict:
        _, value = get_args(tp) or (str, Any)
        return {"type": "object", "additionalProperties": _schema_of(value, defs)}
    if origin is Literal:
        return {"enum": list(get_args(tp))}
    raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover - a new kind of annotation


def output_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the document of this kind."""
    cls, title = DOCUMENTS[kind]
    if cls is None:
        return _knowledge_base_schema(kind, title)
    defs: dict[str, Any] = {}
    _schema_of(cls, defs)
    root = defs.pop(cls.__name__)
    root["properties"]["kind"] = {"const": kind}
    root["properties"]["schema_version"] = {"const": SCHEMA_VERSION}
    rows_key = ROW_KEYS.get(kind)
    if rows_key is not None:  # --fields narrows each row to the fields chosen, which the document names
        full = root["properties"][rows_key]
        root["properties"][rows_key] = {"type": "array"}
        root["if"] = {"required": ["fields"]}
        root["then"] = {"properties": {rows_key: {"items": {"type": "object"}}}}
        root["else"] = {"properties": {rows_key: full}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{ID_BASE}:{SCHEMA_VERSION}:{kind}",
        "title": f"clusters output: {kind} (schema_version {SCHEMA_VERSION})",
        "description": f"The document printed by `{title}`.",
        **root,
        "$defs": defs,
    }


def _knowledge_base_schema(kind: str, title: str) -> dict[str, Any]:
    """The JSON export's document (views/export.export_data): a list per kind of the packs' entries, each as
    the packs' schema describes it (its `$defs` carried over) with the fields the exports derive (a figure's
    `amount` and `amount_usd`, and the province it names as `named_province`; a cluster's `named_provinces` and
    `named_cities`; a yes/no field always present), the packs read, the counts, and the counting rule's
    tables."""
    import copy

    from ..kinds import export_refs
    from ..model import KINDS
    from ..store.rule_tables import RULE_TABLES
    from ..store.rules import FOLDED_FIELDS
    from ..store.schema import load_schema

    packs = copy.deepcopy(load_schema())
    ids = {"type": "array", "items": {"$ref": "#/$defs/id"}}
    one = {"anyOf": [{"$ref": "#/$defs/id"}, {"type": "null"}]}  # a derived reference to one entity, or none
    derived: dict[str, dict[str, Any]] = {
        "statistics": {"amount": {"type": "number"}, "amount_usd": {"type": ["number", "null"]}},
    }
    properties: dict[str, Any] = {
        "schema_version": {"const": SCHEMA_VERSION},
        "kind": {"const": kind},
        "meta": {"type": "object", "description": "The main pack's meta (the article pack's, when shipped)."},
        "packs": {"type": "array", "items": {"type": "object", "required": ["file"]}},
        "counts": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
        "counting_rule": {
            "type": "object",
            "required": list(RULE_TABLES),
            "additionalProperties": {"type": "array", "items": {"type": "object"}},
        },
    }
    for k in KINDS.values():
        items = packs.get("properties", {}).get(k.section, {}).get("items", {"type": "object"})
        extra = dict(derived.get(k.section, {}))
        extra |= {
            ref.field: ids if ref.many else one
            for ref in export_refs(k.name)
            if ref.field not in items.get("properties", {})
        }
        if extra:
            items["properties"] = {**items.get("properties", {}), **extra}
            items["required"] = sorted({*items.get("required", []), *extra})
        # what a fold gives the entry joined beyond the schema (a cluster's `aliases`: the ids of the entries that
        # joined it by `same_as`, which still find it)
        folded = {f: ids for f in FOLDED_FIELDS.get(k.name, ()) if f not in items.get("properties", {})}
        if folded:
            items["properties"] = {**items.get("properties", {}), **folded}
        booleans = [f for f, rule in items.get("properties", {}).items() if rule.get("type") == "boolean"]
        if booleans:  # a yes/no field a pack leaves out is exported as no
            items["required"] = sorted({*items.get("required", []), *booleans})
        properties[k.section] = {"type": "array", "items": items}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{ID_BASE}:{SCHEMA_VERSION}:{kind}",
        "title": f"clusters output: {kind} (schema_version {SCHEMA_VERSION})",
        "description": f"The document written by `{title}`.",
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
        "$defs": packs.get("$defs", {}),
    }
