"""The fast schema check (fastjsonschema, compiled from the same schema) never passes an entry jsonschema
refuses: it stands in front of jsonschema, so a false pass would let a broken entry into the knowledge base.
Every entry of the fixture packs is damaged field by field, in the ways packs go wrong, and both read it."""

from __future__ import annotations

import copy
from typing import Any

from helpers import PACKS

from clusters_cli.store import schema
from clusters_cli.store.yamlfile import load_yaml

DAMAGE: list[Any] = [None, "", "x" * 5000, -1, 1.5, 10**12, True, [], {}, ["a"], {"a": 1}, "text", float("inf")]


def _checkers() -> tuple[dict[str, Any], dict[str, Any]]:
    text = schema._schema_text()
    return schema.fast_checks(text), schema._validator(text)[1]


def test_every_damaged_entry_jsonschema_refuses_the_fast_check_refuses_too() -> None:
    fast, full = _checkers()
    compared = refused = 0
    for path in PACKS:
        data, _ = load_yaml(path)
        for section, entries in data.items():
            if section not in full or not isinstance(entries, list):
                continue
            for entry in entries:
                variants = [copy.deepcopy(entry)]
                for key in entry:
                    for bad in DAMAGE:
                        variants.append({**copy.deepcopy(entry), key: bad})
                    variants.append({k: v for k, v in entry.items() if k != key})
                variants.append({**copy.deepcopy(entry), "unknown_field": 1})
                for v in variants:
                    wrong = any(True for _ in full[section].iter_errors(v))
                    compared += 1
                    refused += wrong
                    if wrong:
                        assert not schema.entry_passes(fast[section], v), (section, v)
    assert compared > 5000 and refused > compared // 3  # the damage mostly breaks entries


def test_a_schema_the_compiler_refuses_is_checked_by_jsonschema_alone() -> None:
    # a required field the entry may not have (additionalProperties false): jsonschema reads it, the
    # compiler refuses it; the part then has no fast check, and every entry goes to jsonschema
    import json

    text = schema._schema_text()
    changed = json.loads(text)
    changed["properties"]["clusters"]["items"]["required"].append("founded")
    checks = schema.fast_checks(json.dumps(changed))
    assert checks["clusters"] is None and checks["sectors"] is not None
    assert not schema.entry_passes(checks["clusters"], {"id": "x"})
