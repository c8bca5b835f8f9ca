"""The published output contract: every command's --json validates against the schema `clusters schema KIND`
prints (read from the typed views), and the schemas themselves are valid JSON Schema."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import jsonschema
import pytest
from helpers import cli

# every command that prints a JSON document, on the fixture packs (the kind it prints is its `kind`)
COMMANDS = [
    ["province", "Anhui"],
    ["sector", "semiconductors"],
    ["city", "Nantong"],
    ["region", "YRD"],
    ["company", "YMC"],
    ["park", "suzhou-industrial-park"],
    ["cluster", "yrd-ic"],
    ["designation", "fixture-advanced-clusters"],
    ["list", "clusters"],
    ["list", "cities", "--province", "Jiangsu"],
    ["list", "statistics"],
    ["list", "provinces", "--fields", "id,iso_code"],
    ["search", "chips"],
    ["search", "chips", "--fields", "id,name"],
    ["near", "Suzhou"],
    ["info"],
    ["compare", "Anhui", "Jiangsu"],
    ["compare", "--sector", "wind", "--sector", "solar"],
    ["map"],
    ["map", "wind"],
    ["stats"],
    ["rank", "provinces", "--sector", "electronics"],
    ["rank", "cities", "--sector", "electronics", "--fields", "id,clusters", "--limit", "2"],
    ["near", "Suzhou", "--fields", "id,distance_km"],
    ["validate"],
    ["cite", "anhui-pv-revenue-2012"],
]


@functools.cache
def _validator(printed: str) -> jsonschema.Draft202012Validator:
    """The validator of a printed schema, which is first checked against JSON Schema's own (once per schema:
    several commands print the same kind)."""
    schema = json.loads(printed)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_every_json_document_validates_against_its_published_schema(args: list[str]) -> None:
    r = cli(*args, "--json")
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    printed = cli("schema", doc["kind"])
    assert printed.exit_code == 0
    errors = sorted(_validator(printed.stdout).iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert [f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors] == []


def test_the_export_report_validates_too(tmp_path: Path) -> None:
    r = cli("export", "-o", str(tmp_path / "kb.json"), "--json")
    assert r.exit_code == 0
    schema = json.loads(cli("schema", "export").stdout)
    jsonschema.validate(r.json(), schema, cls=jsonschema.Draft202012Validator)


def test_the_json_export_names_its_schema_and_meets_it(tmp_path: Path) -> None:
    """The file `export -f json` writes is a `knowledge_base` (the report is `export`), and meets the schema of
    that name: the packs' entries with what the exports derive. A damaged copy does not."""
    assert cli("export", "-o", str(tmp_path / "kb.json")).exit_code == 0
    doc = json.loads((tmp_path / "kb.json").read_text(encoding="utf-8"))
    assert doc["kind"] == "knowledge_base"
    schema = json.loads(cli("schema", "knowledge_base").stdout)
    check = jsonschema.Draft202012Validator(schema)
    assert [e.message for e in check.iter_errors(doc)] == []
    # the same schema with its references written out in place (what the audit of the shipped export checks it
    # by, in less than half the time) says the same of each document, whole or damaged
    from clusters_cli.store.schema import _inline_refs

    inlined = jsonschema.Draft202012Validator(_inline_refs(schema, schema["$defs"]))
    for damage in (
        lambda d: d["clusters"][0].pop("named_provinces"),
        lambda d: d["statistics"][0].update(amount="4.55e12"),
        lambda d: d["clusters"][0].update(translated=None),
        lambda d: d["counting_rule"].pop("cluster_places"),
        lambda d: d.update(kind="export"),
        lambda d: d["clusters"][1]["locator"].update(paragraph="2"),
        lambda d: d["companies"][0].update(sectors=[7]),
    ):
        broken = json.loads(json.dumps(doc))
        damage(broken)
        messages = sorted(f"{list(e.absolute_path)} {e.message}" for e in check.iter_errors(broken))
        assert messages, damage
        assert sorted(f"{list(e.absolute_path)} {e.message}" for e in inlined.iter_errors(broken)) == messages


def test_every_schema_has_an_id_under_the_project_name_and_the_pack_schema_too() -> None:
    kinds = cli("schema").stdout.split()
    assert kinds[-1] == "input" and "province" in kinds and "knowledge_base" in kinds and len(kinds) == 21
    for kind in kinds[:-1]:
        schema = json.loads(cli("schema", kind).stdout)
        assert schema["$id"] == f"urn:clusters-cli:output-schema:3:{kind}"
        assert schema["properties"]["kind"] == {"const": kind}
    pack_schema = json.loads(cli("schema", "input").stdout)
    assert pack_schema["$id"] == "urn:clusters-cli:input-schema:pack"
    r = cli("schema", "nope")
    assert r.exit_code == 2 and "no schema named 'nope'; choose from: province," in r.stderr


def test_a_schema_catches_a_document_that_breaks_it() -> None:
    doc = cli("map", "--json").json()
    schema = json.loads(cli("schema", "map").stdout)
    doc["tiles"][0]["clusters"] = "many"  # a count that is not a number
    doc["surprise"] = 1  # a member the contract does not name
    messages = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]
    assert any("'many' is not of type 'integer'" in m for m in messages)
    assert any("'surprise' was unexpected" in m for m in messages)
