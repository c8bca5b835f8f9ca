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


def test_province_anhui_shows_everything_the_kb_holds() -> None:
    doc = cli("province", "Anhui", "--json").json()
    assert doc["province"]["name_zh"] == "安徽省" and doc["province"]["abbr"] == "皖"
    assert doc["province"]["capital"] == {"id": "hefei", "name": "Hefei"}
    assert doc["province"]["macro_region"]["id"] == "central"
    assert [r["id"] for r in doc["regions"]] == ["yrd", "east-china", "central"]
    ids = {c["id"] for c in doc["clusters"]}
    expected = {"anhui-electronics", "anhui-displays", "anhui-ic", "anhui-pv", "yrd-ic", "yrd-nev", "yrd-electronics"}
    assert expected == ids & article_clusters()
    # and those the source packs add: Hefei's designated clusters, a shuttlecock town of Shucheng
    assert ids - article_clusters() == {
        "hefei-integrated-circuits",
        "hefei-artificial-intelligence",
        "hefei-intelligent-speech",
        "hefei-new-display-devices",
        "ganchahe-badminton-shuttlecocks",
    }
    stats = {s["id"]: s for s in doc["statistics"]}
    assert set(stats) == {
        "anhui-pv-revenue-2012",
        "anhui-pv-revenue-2021",
        "anhui-electronics-rank",
        "anhui-fpd-global-capacity-share",
    }
    pv = stats["anhui-pv-revenue-2021"]
    assert (pv["value"], pv["scale"], pv["currency"], pv["usd_value"], pv["year"]) == (
        882.8,
        "billion",
        "CNY",
        121.4,
        2021,
    )
    assert pv["source"]["id"] == "ndrc" and pv["amount"] == pytest.approx(882.8e9)
    assert doc["note"] is None


def test_sector_semiconductors_covers_its_clusters_companies_and_figures() -> None:
    doc = cli("sector", "semiconductors", "--json").json()
    assert doc["sector"]["parent"]["id"] == "electronics"
    assert "chips" in doc["sector"]["synonyms"]
    ids = {c["id"] for c in doc["clusters"]}
    # every cluster the article ties to chips, including electronics clusters it names chips for
    assert {
        "jjj-ic",
        "yrd-ic",
        "prd-ic",
        "central-west-ic",
        "anhui-ic",
        "chongqing-ic",
        "chongqing-trillion-plan",
        "anhui-electronics",
        "prd-electronics",
        "yrd-electronics",
        "chongqing-electronics",
    } == ids & article_clusters()
    assert {"shanghai-integrated-circuits", "wuhan-integrated-circuits", "xian-integrated-circuits"} <= ids
    assert {c["id"] for c in doc["companies"]} == {"china-resources", "cetc", "ifar-semiconductor", "sk-hynix"}
    assert {s["id"] for s in doc["statistics"]} == {
        "yrd-share-of-developed-ic-cities",
        "yrd-ic-manufacturing-testing-share",
        "shenzhen-ic-share-2020",
    }


def test_parent_sector_includes_sub_sectors() -> None:
    doc = cli("sector", "new energy", "--json").json()
    sectors = {c["sector"]["id"] for c in doc["clusters"]}
    assert {"new-energy", "wind", "offshore-wind", "photovoltaics"} <= sectors
    assert {d["id"] for d in doc["sector"]["descendants"]} == {
        "wind",
        "offshore-wind",
        "photovoltaics",
        "energy-storage",
        "wind-equipment",
        "wind-turbine-blades",
        "hydrogen",
    }


def test_silent_division_has_identity_and_a_plain_note() -> None:
    r = cli("province", "Qinghai")
    assert r.exit_code == 0
    assert "青海省" in r.stdout and "records no clusters" in r.stdout
    doc = cli("province", "Qinghai", "--json").json()
    assert doc["clusters"] == [] and doc["statistics"] == [] and "no clusters" in doc["note"]


def test_region_shows_members_clusters_and_statistics() -> None:
    doc = cli("region", "Jing-Jin-Ji", "--json").json()
    assert [p["id"] for p in doc["provinces"]] == ["beijing", "tianjin", "hebei"]
    assert {"jjj-ic", "jjj-nev", "jjj-auto", "cangzhou-biopharma"} <= {c["id"] for c in doc["clusters"]}
    assert "jjj-key-nev-enterprises" in {s["id"] for s in doc["statistics"]}


def test_city_links_to_province_and_clusters() -> None:
    doc = cli("city", "Chongqing", "--json").json()
    assert doc["city"]["province"]["id"] == "chongqing"
    assert {"chongqing-electronics", "chongqing-ic", "west-auto", "west-triangle-nev"} <= {
        c["id"] for c in doc["clusters"]
    }
    assert {p["id"] for p in doc["parks"]} == {"western-science-city", "liangjiang-new-area"}


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


def test_list_filters() -> None:
    cities = cli("list", "cities", "--province", "粤", "--json").json()
    assert cities["filters"] == {"province": "guangdong"}
    # Guangdong: 21 prefecture-level cities, 20 county-level cities, and the 13 districts the source packs cite
    assert {r["province"]["id"] for r in cities["rows"]} == {"guangdong"} and cities["count"] == 54
    kinds = [r["kind"] for r in cities["rows"]]
    assert (kinds.count("county_city"), kinds.count("district")) == (20, 13)
    prefectures = cli("list", "cities", "--province", "粤", "--level", "prefecture", "--json").json()
    assert prefectures["count"] == 21 and {r["level"] for r in prefectures["rows"]} == {"prefecture"}
    wind = cli("list", "clusters", "--sector", "wind", "--json").json()["rows"]
    # and Baoding's designated power-equipment cluster, which makes wind equipment among other things
    assert {r["sector"]["id"] for r in wind} == {
        "wind",
        "offshore-wind",
        "wind-equipment",
        "new-energy",
        "power-equipment",
    }
    both = cli("list", "clusters", "--sector", "wind", "--province", "Jiangsu", "--json").json()["rows"]
    assert {r["id"] for r in both} == {"yancheng-wind", "nantong-wind", "east-new-energy"}
    yrd = cli("list", "companies", "--region", "YRD", "--json").json()["rows"]
    assert {"saic", "geely", "hengli", "shenghong"} <= {r["id"] for r in yrd}


def test_search_offshore_wind_finds_the_offshore_wind_clusters() -> None:
    doc = cli("search", "offshore wind", "--json").json()
    assert {"schema_version", "kind", "query", "count", "total", "hits"} == set(doc)
    found = {(h["kind"], h["id"]) for h in doc["hits"]}
    assert {
        ("cluster", "guangxi-offshore-wind"),
        ("cluster", "dongying-offshore-wind"),
        ("sector", "offshore-wind"),
    } <= found
    for hit in doc["hits"]:
        assert set(hit) == {"kind", "id", "name", "name_zh", "province", "score", "why"}
        assert hit["why"]


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


def test_info_reports_version_counts_sources_and_file() -> None:
    doc = cli("info", "--json").json()
    assert doc["counts"]["provinces"] == 33
    assert doc["data_file"].endswith("clusters.yaml")  # the main pack: the article's
    assert [p["file"].rsplit("/", 1)[-1] for p in doc["packs"]] == [
        "divisions.yaml",
        "clusters.yaml",
        "national_designations.yaml",
        "specialised_towns.yaml",
    ]
    assert {s["id"] for s in doc["sources"]} >= {"china-briefing-2024", "ndrc", "nepcon"}
    assert doc["tool_version"] and doc["kb_version"] == "2024.1"
