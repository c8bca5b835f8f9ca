"""The guard of tests/conftest.py: code tests run on the fixture packs, and one that reaches for the shipped
data fails, whether it opens a pack itself or asks the CLI for one."""

from __future__ import annotations

import os

import pytest
from helpers import PACKS, READS, ROOT, ShippedDataRead, cli, run


def test_code_tests_read_the_fixture_packs() -> None:
    assert os.environ["CLUSTERS_DATA"].split(os.pathsep) == PACKS and os.environ["CLUSTERS_NO_SHIPPED"] == "1"
    assert [p["title"] for p in cli("info", "--json").json()["packs"]] == [
        "Fixture divisions (reference pack)",
        "Fixture article pack",
        "Fixture pages pack",
    ]
    # a subprocess inherits the environment: the CLI started as a shell does reads them too
    assert [p["file"] for p in run("info", "--json").json()["packs"]] == PACKS


def test_opening_a_shipped_pack_is_refused_and_remembered() -> None:
    shipped = ROOT / "data" / "clusters.yaml"
    with pytest.raises(ShippedDataRead):
        shipped.read_bytes()
    with pytest.raises(ShippedDataRead):
        cli("--no-shipped", "--data", str(shipped), "info")  # the CLI's own read is refused too
    assert [str(shipped), str(shipped)] == READS
    READS.clear()  # (this test's own reads were the point: its teardown must not fail for them)


def test_the_schema_is_the_codes_side_and_may_be_read() -> None:
    assert (ROOT / "data" / "clusters.schema.json").read_text(encoding="utf-8").startswith("{")
    assert READS == []
