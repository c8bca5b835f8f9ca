"""The JSON contract: each command's keys are pinned, so scripts can rely on
them. An additive change extends these sets; a breaking one bumps schema_version."""

from __future__ import annotations

import csv
import io
import json

import pytest
from helpers import article_clusters, cli

from clusters_cli.views import SCHEMA_VERSION

ENVELOPE = {"schema_version", "kind"}
DETAIL = ENVELOPE | {"resolved"}
RESOLVED = {"query", "id", "name", "matched_by", "score", "also"}
CLUSTER = {
    "id",
    "name",
    "sector",
    "status",
    "region",
    "provinces",
    "cities",
    "parks",
    "companies",
    "specialties",
    "summary",
    "statistics",
    "sectors",
    "name_zh",
    "translated",
    "towns",
    "designations",
    "provenance",
}
STATISTIC = {
    "id",
    "metric",
    "value",
    "unit",
    "scale",
    "currency",
    "amount",
    "usd_value",
    "usd_scale",
    "amount_usd",
    "qualifier",
    "display",
    "year",
    "year_basis",
    "period",
    "status",
    "series",
    "scope",
    "scope_label",
    "cluster",
    "source",
    "provenance",
}

VIEWS = {
    ("province", "Anhui"): DETAIL
    | {
        "province",
        "regions",
        "clusters",
        "regional_clusters",
        "cities",
        "parks",
        "companies",
        "statistics",
        "regional_statistics",
        "note",
    },
    ("sector", "semiconductors"): DETAIL
    | {"sector", "clusters", "specialty_clusters", "parks", "companies", "statistics"},
    ("city", "Nantong"): DETAIL
    | {"city", "regions", "clusters", "parks", "companies", "statistics", "regional_statistics", "nearest_clusters"},
    ("region", "YRD"): DETAIL | {"region", "provinces", "cities", "clusters", "companies", "statistics"},
    ("company", "BYD"): DETAIL | {"company", "clusters", "regions", "provinces", "cities"},
    ("park", "Zhangjiang"): DETAIL | {"park", "clusters", "companies", "statistics"},
    ("cluster", "yrd-nev"): DETAIL | {"cluster", "statistics"},
}

IDENTITY = {
    "province": {
        "id",
        "name",
        "official_name",
        "name_zh",
        "pinyin",
        "abbr",
        "abbr_alt",
        "kind",
        "capital",
        "macro_region",
        "aliases",
        "code",
        "iso_code",
    },
    "sector": {"id", "name", "name_zh", "summary", "synonyms", "parent", "ancestors", "children", "descendants"},
    "city": {
        "id",
        "name",
        "name_zh",
        "pinyin",
        "province",
        "lat",
        "lon",
        "is_capital",
        "aliases",
        "code",
        "kind",
        "level",
        "prefecture",
    },
    "region": {"id", "name", "official_name", "name_zh", "pinyin", "kind", "aliases", "summary"},
    "company": {"id", "name", "name_zh", "aliases", "sector"},
    "park": {
        "id",
        "name",
        "name_zh",
        "kind",
        "district",
        "aliases",
        "summary",
        "city",
        "province",
        "lat",
        "lon",
        "sectors",
    },
    "cluster": CLUSTER,
}


@pytest.mark.parametrize(("command", "query"), list(VIEWS))
def test_detail_view_keys_are_pinned(command: str, query: str) -> None:
    r = cli(command, query, "--json")
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    assert set(doc) == VIEWS[(command, query)]
    assert doc["schema_version"] == SCHEMA_VERSION == 2 and doc["kind"] == command
    assert set(doc["resolved"]) == RESOLVED
    assert set(doc[command]) == IDENTITY[command]
    for cl in doc.get("clusters", []):
        assert set(cl) == CLUSTER
    for st in doc.get("statistics", []):
        assert set(st) == STATISTIC
        assert isinstance(st["value"], (int, float)) and isinstance(st["year"], int)


@pytest.mark.parametrize(("command", "query"), list(VIEWS))
def test_lists_are_lists_never_null(command: str, query: str) -> None:
    doc = cli(command, query, "--json").json()

    def walk(value: object, path: str) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k in {
                    "clusters",
                    "cities",
                    "parks",
                    "companies",
                    "statistics",
                    "provinces",
                    "regions",
                    "specialties",
                    "aliases",
                    "synonyms",
                    "children",
                    "sectors",
                }:
                    assert isinstance(v, list), f"{path}.{k} is {v!r}"
                walk(v, f"{path}.{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")

    walk(doc, command)














LIST_KINDS = ["provinces", "regions", "cities", "parks", "sectors", "companies", "clusters", "statistics", "sources"]
HAS_ZH = {"provinces", "regions", "cities", "parks", "sectors", "companies", "clusters"}
HAS_PROVINCE = {"provinces", "cities", "parks", "statistics"}


@pytest.mark.parametrize("kind", LIST_KINDS)
def test_list_rows_carry_id_name_and_where_known_name_zh_and_province(kind: str) -> None:
    doc = cli("list", kind, "--json").json()
    assert doc["kind"] == "list" and doc["entity"] == kind and doc["count"] == len(doc["rows"]) > 0
    for row in doc["rows"]:
        assert row["id"] and row["name"]
        assert ("name_zh" in row) == (kind in HAS_ZH)
        assert ("province" in row) == (kind in HAS_PROVINCE)


@pytest.mark.parametrize("kind", LIST_KINDS)
def test_list_csv_and_ndjson_carry_the_same_rows(kind: str) -> None:
    rows = cli("list", kind, "--json").json()["rows"]
    as_csv = list(csv.DictReader(io.StringIO(cli("list", kind, "--format", "csv").stdout)))
    as_nd = [json.loads(line) for line in cli("list", kind, "--format", "ndjson").stdout.splitlines()]
    assert as_nd == rows
    assert [r["id"] for r in as_csv] == [r["id"] for r in rows]
    assert [r["name"] for r in as_csv] == [r["name"] for r in rows]






def test_search_ranks_names_above_summaries_and_explains_why() -> None:
    hits = cli("search", "Changchun", "--json").json()["hits"]
    assert hits[0]["kind"] == "city" and hits[0]["id"] == "changchun" and hits[0]["why"] == "name"
    assert any(h["id"] == "northeast-auto" and h["why"].startswith("place") for h in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


def test_search_synonyms_plurals_and_typos() -> None:
    chips = cli("search", "chips", "--json").json()["hits"]
    assert chips[0]["id"] == "semiconductors" and chips[0]["why"] == "synonym: chips"
    battery = cli("search", "lithium battery", "--json").json()["hits"]
    assert battery[0]["id"] == "lithium-batteries" and "jjj-nev" in [h["id"] for h in battery[:3]]
    typo = cli("search", "biotek", "--json").json()["hits"]
    assert typo and typo[0]["id"] == "biopharma"


def test_search_csv_and_ndjson_and_kind_filter() -> None:
    nd = [json.loads(x) for x in cli("search", "wind", "-k", "cluster", "--format", "ndjson").stdout.splitlines()]
    assert nd and {h["kind"] for h in nd} == {"cluster"}
    rows = list(csv.DictReader(io.StringIO(cli("search", "wind", "--format", "csv").stdout)))
    assert rows[0].keys() >= {"kind", "id", "name", "why"}


