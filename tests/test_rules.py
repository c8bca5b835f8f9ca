"""One rule per question (store/rules.py), and every command answering by it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import cli

from clusters_cli.model import KINDS, kind_named, references
from clusters_cli.store.rules import statistic_scope
from clusters_cli.views.common import place_statistics


def ids(rows: list[dict[str, Any]]) -> set[str]:
    return {r["id"] for r in rows}


def test_a_province_and_compare_agree_on_its_statistics() -> None:
    province = cli("province", "Anhui", "--json").json()
    compared = cli("compare", "Anhui", "Jiangsu", "--json").json()["items"][0]
    assert ids(province["statistics"]) == ids(compared["statistics"])
    assert ids(province["regional_statistics"]) == ids(compared["regional_statistics"])


@pytest.mark.parametrize(
    ("kind", "query"), [("province", "Anhui"), ("city", "Nantong"), ("city", "Shenzhen"), ("region", "YRD")]
)
def test_every_place_view_answers_by_the_one_rule(kb: Any, kind: str, query: str) -> None:
    doc = cli(kind, query, "--json").json()
    entity = kb.get(kind, doc[kind]["id"])
    own, regional = place_statistics(kb, kind, entity)
    assert ids(doc["statistics"]) == ids(own)  # type: ignore[arg-type]
    assert ids(doc.get("regional_statistics", [])) == ids(regional)  # type: ignore[arg-type]


def test_the_rule_own_figures_lie_inside_regional_ones_contain_it(kb: Any) -> None:
    anhui = kb.get("province", "anhui")
    own, regional = place_statistics(kb, "province", anhui)
    lookup = {k.name: {e["id"]: e for e in kb.all(k.name)} for k in KINDS.values()}
    for row in own:
        scope = statistic_scope(lookup, kb.get("statistic", row["id"]))
        assert scope is not None
        kind, ident = scope
        inside = ident == "anhui" if kind == "province" else lookup[kind][ident].get("province") == "anhui"
        assert inside or (kind == "park" and lookup["city"][lookup["park"][ident]["city"]]["province"] == "anhui")
    assert ids(own) == {"anhui-pv-revenue-2012", "anhui-pv-revenue-2021", "anhui-electronics-rank"}  # type: ignore[arg-type]
    assert ids(regional) == {"yrd-ic-output-target", "yrd-key-nev-enterprises"}  # type: ignore[arg-type]
    for row in regional:
        assert row["scope"]["region"] is not None
        region = lookup["region"][row["scope"]["region"]["id"]]
        assert "anhui" in region["provinces"]


def test_every_reference_of_the_model_names_a_kind() -> None:
    for kind, ref in references():
        assert ref.target in KINDS, (kind, ref)
    assert kind_named("Cities") is KINDS["city"] and kind_named("company") is KINDS["company"]
    assert kind_named("planets") is None


def test_messages_go_to_stderr_and_data_files_only_to_their_files(tmp_path: Path) -> None:
    svg = tmp_path / "m.svg"
    r = cli("map", "--svg", str(svg))
    assert r.exit_code == 0 and r.stdout == "" and f"wrote {svg}" in r.stderr
    assert svg.read_text(encoding="utf-8").startswith("<svg")
    out = tmp_path / "kb.db"
    r = cli("export", "-f", "sqlite", "-o", str(out))
    assert r.exit_code == 0 and r.stdout == "" and "exported" in r.stderr
