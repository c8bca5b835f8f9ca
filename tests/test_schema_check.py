"""The fast schema check (fastjsonschema, compiled from the same schema) never passes an entry jsonschema
refuses: it stands in front of jsonschema, so a false pass would let a broken entry into the knowledge base.
Every entry of the fixture packs is damaged field by field, in the ways packs go wrong; jsonschema reads each
one the fast check passes."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from helpers import PACKS, ROOT

from clusters_cli.store import schema, schema_words
from clusters_cli.store.yamlfile import load_yaml

DAMAGE: list[Any] = [None, "", "x" * 5000, -1, 1.5, 10**12, True, [], {}, ["a"], {"a": 1}, "text", float("inf")]


def _checkers() -> tuple[dict[str, Any], dict[str, Any]]:
    text = schema._schema_text()
    return schema.fast_checks(text), schema._validator(text)[1]


def _variants(entry: dict[str, Any]) -> list[Any]:
    """The entry, then each of its fields damaged every way DAMAGE holds or left out, then a field unknown."""
    out = [copy.deepcopy(entry)]
    for key in entry:
        out += [{**copy.deepcopy(entry), key: bad} for bad in DAMAGE]
        out.append({k: v for k, v in entry.items() if k != key})
    return [*out, {**copy.deepcopy(entry), "unknown_field": 1}]


def test_every_damaged_entry_jsonschema_refuses_the_fast_check_refuses_too() -> None:
    fast, full = _checkers()
    compared = refused = 0
    for path in PACKS:
        data, _ = load_yaml(path)
        for section, entries in data.items():
            if section not in full or not isinstance(entries, list):
                continue
            for entry in entries:
                variants = _variants(entry)
                assert schema.entry_passes(fast[section], variants[0]), (section, entry)  # it passes entries
                for v in variants:
                    # a pass must be jsonschema's too (a refusal costs only jsonschema's reading of the entry)
                    passed = schema.entry_passes(fast[section], v)
                    compared += 1
                    refused += not passed
                    if passed:
                        assert not any(True for _ in full[section].iter_errors(v)), (section, v)
    assert compared > 5000 and refused > compared // 3  # the damage mostly breaks entries


def test_the_wheels_compiled_checks_decide_every_entry_as_checks_compiled_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wheel holds the checks compiled (hatch_build.py: compile_checks); a run reads them without compiling
    anything where they are of the schema it reads, and they pass and refuse what checks compiled in the run do.
    Of another schema text (an edited schema), damaged or unreadable, they are not used."""
    from clusters_cli import paths

    text = schema._schema_text()
    here = schema.fast_checks(text)
    built = tmp_path / "schema.checks"
    built.write_bytes(schema.compile_checks(text))
    monkeypatch.setattr(paths, "compiled_checks", lambda: built)
    compiled_here = schema._check_parts
    monkeypatch.setattr(schema, "_check_parts", lambda text: pytest.fail("compiled in the run"))
    schema.fast_checks.cache_clear()
    try:
        read = schema.fast_checks(text)
        assert read.keys() == here.keys() and read[""] is not here[""]
        for path in PACKS:
            data, _ = load_yaml(path)
            assert schema.entry_passes(read[""], data)
            for section, entries in data.items():  # the first entry of each section, damaged every way
                for v in (v for entry in (entries[:1] if section in read else []) for v in _variants(entry)):
                    assert schema.entry_passes(read[section], v) == schema.entry_passes(here[section], v), v
        monkeypatch.setattr(schema, "_check_parts", compiled_here)
        assert schema._built_checks(text + " ") is None  # another schema's text: compiled anew
        whole = built.read_bytes()
        for at in (len(whole) // 2, len(whole) - 100):  # a byte of the code changed since the build: not run
            built.write_bytes(whole[:at] + bytes([whole[at] ^ 1]) + whole[at + 1 :])
            assert schema._built_checks(text) is None
        built.write_bytes(b"not marshalled")
        assert schema._built_checks(text) is None
    finally:
        schema.fast_checks.cache_clear()


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


def test_every_way_the_damage_breaks_an_entry_is_worded_by_us_and_translated() -> None:
    # jsonschema's own English is only the fallback for a keyword the shipped schema does not use: every
    # error the damage above provokes is worded by schema._worded, with a template the catalog translates
    from clusters_cli.pofile import read_po

    catalog = read_po(ROOT / "clusters_cli" / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po")
    full = schema._validator(schema._schema_text())[1]
    rules: set[str] = set()
    for path in PACKS:
        data, _ = load_yaml(path)
        for section, entries in data.items():
            if section not in full or not isinstance(entries, list):
                continue
            for entry in entries[:3]:
                for variant in _variants(entry):
                    for error in full[section].iter_errors(variant):
                        template, _values = schema_words.worded(error)
                        rules.add(error.validator)
                        assert not template.startswith("does not fit the schema"), (section, variant)
                        assert catalog.get(template), template
    assert {"type", "additionalProperties", "required", "enum", "minimum", "maxLength", "pattern"} <= rules
    assert rules <= schema_words.WORDED


def test_the_walk_for_non_finite_numbers_answers_as_the_generator_that_names_them() -> None:
    # entries_pass asks the quick walk (schema._all_finite); schema_problems names each value by the generator
    from collections import OrderedDict

    class Floating(float):
        pass

    nan, inf = float("nan"), float("inf")
    values: list[Any] = [
        None,
        "x",
        1,
        True,
        1.5,
        1e308,
        nan,
        inf,
        -inf,
        Floating(inf),
        Floating(2.0),
        (inf,),
        [],
        {},
        [1, "a", [2.5, [None, {"k": -inf}]]],
        {"a": [1, {"b": nan}], "c": "x"},
        {"a": [1, {"b": 1e308}]},
        OrderedDict(a=[Floating(inf)]),
        OrderedDict(a=[1.0]),
        [[[[[inf]]]]],
        {"x": {"y": {"z": 0.0}}},
    ]
    for value in values:
        assert schema._all_finite(value) is (next(schema._non_finite(value, ()), None) is None), value
    assert [schema._all_finite(v) for v in values].count(False) == 8  # a tuple is no YAML value: neither reads it
