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
