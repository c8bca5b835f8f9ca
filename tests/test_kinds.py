"""A kind is one definition: a toy kind added to the model (a Kind, an adapter, its section in the schema)
shows in `list`, `search`, `info`, the JSON contract and every export, with no other module touched.
These are exactly the steps of ARCHITECTURE.md, "Where to add things: a kind of entity"."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers import cli

from clusters_cli import kinds, model, paths
from clusters_cli.store.relations import Rel, clusters_at, ref_relation

TOY = str(Path(__file__).parent / "fixtures" / "toy.yaml")
GADGET_ITEMS = {
    "type": "object",
    "required": ["id", "name", "city", "sector", "summary", "locator"],
    "additionalProperties": False,
    "properties": {
        "id": {"$ref": "#/$defs/id"},
        "name": {"$ref": "#/$defs/text"},
        "name_zh": {"$ref": "#/$defs/zh"},
        "city": {"$ref": "#/$defs/id"},
        "sector": {"$ref": "#/$defs/id"},
        "summary": {"$ref": "#/$defs/text"},
        "locator": {"$ref": "#/$defs/locator"},
    },
}


class GadgetAdapter(kinds.Adapter):
    """The toy kind's behaviour: it lies in its city's province, stands for its sector, has a point."""

    placed = True
    located = True

    def province_of(self, kb: Any, e: dict[str, Any]) -> str | None:
        city = kb.get("city", e["city"])
        return str(city["province"]) if city else None

    def row(self, kb: Any, e: dict[str, Any], count: Any) -> dict[str, Any]:
        from clusters_cli.values import ref

        return {"city": ref(kb, "city", e["city"]), "sector": ref(kb, "sector", e["sector"])}

    def sectors(self, kb: Any, e: dict[str, Any]) -> set[str]:
        return {e["sector"]}

    def seat(self, kb: Any, e: dict[str, Any]) -> dict[str, Any] | None:
        return kb.get("city", e["city"])


@pytest.fixture
def toy_kind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated: Path) -> list[str]:
    # 1. the kind, in the model
    gadget = model.Kind(
        "gadget",
        "gadgets",
        (model.Ref("city", "city"), model.Ref("sector", "sector"), *model.CITED),
        filters=model.PLACE_FILTERS,
        list_columns=("name", "name_zh", "city", "sector"),
    )
    monkeypatch.setitem(model.KINDS, "gadget", gadget)
    # 2. its behaviour
    monkeypatch.setitem(kinds.ADAPTER_CLASSES, "gadget", GadgetAdapter)
    # 3. its section in the schema
    schema = json.loads(paths.schema_path().read_text(encoding="utf-8"))
    schema["properties"]["gadgets"] = {"type": "array", "items": GADGET_ITEMS}
    copy = tmp_path / "clusters.schema.json"
    copy.write_text(json.dumps(schema), encoding="utf-8")
    monkeypatch.setattr(paths, "schema_path", lambda: copy)
    # 4. its entries, in a pack
    return ["--no-shipped", "--data", TOY]


SPROCKET = {
    "id": "sprocket-press",
    "name": "Sprocket press",
    "name_zh": "链轮压机",
    "province": {"id": "anhui", "name": "Anhui"},
    "city": {"id": "hefei", "name": "Hefei"},
    "sector": {"id": "widgets", "name": "Widgets"},
}


def test_a_toy_kind_is_listed_filtered_and_searched(toy_kind: list[str]) -> None:
    listed = cli(*toy_kind, "list", "gadgets", "--json").json()
    assert listed["schema_version"] == 3 and listed["entity"] == "gadgets"
    assert listed["rows"][0] == SPROCKET
    assert [r["id"] for r in listed["rows"]] == ["sprocket-press", "gear-lathe"]
    assert [r["id"] for r in cli(*toy_kind, "list", "gadgets", "--sector", "widgets", "--json").json()["rows"]] == [
        "sprocket-press",
        "gear-lathe",
    ]
    assert cli(*toy_kind, "list", "gadgets", "--province", "Anhui", "--json").json()["count"] == 2
    table = cli(*toy_kind, "list", "gadgets").stdout
    assert "Sprocket press" in table and "链轮压机" in table
    hits = cli(*toy_kind, "search", "sprockets", "--json").json()["hits"]
    assert [(h["kind"], h["id"]) for h in hits] == [("gadget", "sprocket-press")]


def test_a_toy_kind_is_counted_by_info_and_in_every_export(toy_kind: list[str], tmp_path: Path) -> None:
    assert cli(*toy_kind, "info", "--json").json()["counts"]["gadgets"] == 2
    document = tmp_path / "kb.json"
    assert cli(*toy_kind, "export", "-o", str(document)).exit_code == 0
    assert [g["id"] for g in json.loads(document.read_text(encoding="utf-8"))["gadgets"]] == [
        "sprocket-press",
        "gear-lathe",
    ]
    folder = tmp_path / "csv"
    assert cli(*toy_kind, "export", "-f", "csv", "-o", str(folder)).exit_code == 0
    with open(folder / "gadgets.csv", encoding="utf-8-sig") as f:
        assert [row["id"] for row in csv.DictReader(f)] == ["sprocket-press", "gear-lathe"]
    database = tmp_path / "kb.sqlite"
    assert cli(*toy_kind, "export", "-o", str(database)).exit_code == 0
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT id, city FROM gadgets ORDER BY id").fetchall() == [
            ("gear-lathe", "hefei"),
            ("sprocket-press", "hefei"),
        ]
    geo = tmp_path / "kb.geojson"
    assert cli(*toy_kind, "export", "-o", str(geo)).exit_code == 0
    features = json.loads(geo.read_text(encoding="utf-8"))["features"]
    assert [f["id"] for f in features if f["properties"]["kind"] == "gadget"] == [
        "gadget/sprocket-press",
        "gadget/gear-lathe",
    ]


def test_a_toy_kind_is_validated_like_any_other(toy_kind: list[str], tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        Path(TOY).read_text(encoding="utf-8").replace("city: hefei\n    sector", "city: nowhere\n    sector", 1)
    )
    r = cli("--no-shipped", "validate", str(broken))
    assert r.exit_code == 3
    assert "gadgets[0] (id: sprocket-press).city: unknown city 'nowhere'" in r.stderr


def test_relations_are_named_by_constants_and_a_misspelt_one_fails() -> None:
    assert clusters_at("province") is Rel.CLUSTERS_AT_PROVINCE
    assert ref_relation("city", "province") == "city.province"
    with pytest.raises(ValueError):
        clusters_at("company")  # not compiled for companies
    with pytest.raises(KeyError):
        ref_relation("city", "provinces")  # a city has a province, not provinces


def test_every_kind_has_its_orders_from_the_model() -> None:
    assert model.divisions() == ["province", "region", "city"]
    assert model.near_kinds() == ["cluster", "park", "company", "city"]
    assert model.place_order() == ("park", "city", "province", "region")
    assert model.search_order()[:3] == ["sector", "cluster", "designation"]
    assert model.citing_sections() == ["designations", "regions", "parks", "companies", "clusters", "statistics"]
    assert {kinds.adapter(k).name for k in model.KINDS} == set(model.KINDS)
