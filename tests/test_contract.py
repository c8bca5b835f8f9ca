"""The JSON contract: each command's keys are pinned, so scripts can rely on
them. An additive change extends these sets; a breaking one bumps schema_version."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from helpers import ARTICLE, PACKS, PAGES, PLACES, cli, own_pack, write

from clusters_cli import __version__
from clusters_cli.views import SCHEMA_VERSION

ENVELOPE = {"schema_version", "kind"}
DETAIL = ENVELOPE | {"resolved"}
RESOLVED = {"query", "id", "name", "matched_by", "score", "slip", "also"}
CLUSTER = {
    "id",
    "name",
    "sector",
    "status",
    "region",
    "provinces",
    "cities",
    "named_provinces",
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
    "note",
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
    ("region", "YRD"): DETAIL
    | {"region", "provinces", "cities", "members", "central_members", "document", "provenance"}
    | {"clusters", "companies", "parks", "statistics"},
    ("company", "Pearl Motors"): DETAIL | {"company", "clusters", "regions", "provinces", "cities", "provenance"},
    ("park", "SIP"): DETAIL | {"park", "clusters", "companies", "statistics"},
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
    "company": {
        "id",
        "name",
        "name_zh",
        "official_name",
        "official_name_zh",
        "aliases",
        "sector",
        "sectors",
        "headquarters",
        "headquarters_province",
        "bases",
    },
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
        "location",
        "sectors",
        "translated",
        "designations",
        "provenance",
    },
    "cluster": CLUSTER,
}


@pytest.mark.parametrize(("command", "query"), list(VIEWS))
def test_detail_view_keys_are_pinned(command: str, query: str) -> None:
    r = cli(command, query, "--json")
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    assert set(doc) == VIEWS[(command, query)]
    assert doc["schema_version"] == SCHEMA_VERSION == 3 and doc["kind"] == command
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
HAS_PROVINCE = {"provinces", "cities", "parks", "statistics", "companies"}


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


def ids(items: list[dict]) -> list[str]:
    return [i["id"] for i in items]


def test_province_shows_everything_the_kb_holds_of_it() -> None:
    doc = cli("province", "Anhui", "--json").json()
    assert doc["province"] == {
        "id": "anhui",
        "name": "Anhui",
        "official_name": "Anhui Province",
        "name_zh": "安徽省",
        "pinyin": "Ānhuī",
        "abbr": "皖",
        "abbr_alt": [],
        "kind": "province",
        "aliases": [],
        "capital": {"id": "hefei", "name": "Hefei"},
        "macro_region": None,
        "code": "340000",
        "iso_code": "CN-AH",
    }
    assert ids(doc["regions"]) == ["yrd"]
    # its own clusters by province, city or park; the region-only cluster apart, as regional
    assert ids(doc["clusters"]) == ["anhui-electronics", "yrd-ic", "anhui-pv"]
    assert ids(doc["regional_clusters"]) == ["yrd-nev"]
    assert ids(doc["cities"]) == ["hefei", "feixi", "luan", "suzhou-ah"]  # the capital first
    assert ids(doc["companies"]) == ["huaihe-solar", "yangtze-microchips"]
    assert ids(doc["statistics"]) == ["anhui-pv-revenue-2012", "anhui-pv-revenue-2021", "anhui-electronics-rank"]
    assert ids(doc["regional_statistics"]) == ["yrd-ic-output-target", "yrd-key-nev-enterprises"]
    assert doc["parks"] == [] and doc["note"] is None
    pv = doc["statistics"][1]
    assert (pv["value"], pv["scale"], pv["currency"], pv["usd_value"], pv["usd_scale"], pv["year"]) == (
        700,
        "billion",
        "CNY",
        100,
        "billion",
        2021,
    )
    assert (pv["amount"], pv["amount_usd"], pv["series"], pv["status"]) == (700e9, 100e9, "anhui-pv-revenue", "actual")
    assert pv["source"]["id"] == "fixture-ministry"
    assert pv["scope"]["province"] == {"id": "anhui", "name": "Anhui"}
    # a cluster's Chinese name and designation come from the entry of pages.yaml that joined it
    anhui_pv = doc["clusters"][2]
    assert anhui_pv["name_zh"] == "合肥市光伏集群" and ids(anhui_pv["designations"]) == ["fixture-advanced-clusters"]


def test_sector_covers_its_clusters_companies_and_figures() -> None:
    doc = cli("sector", "semiconductors", "--json").json()
    assert doc["sector"]["parent"] == {"id": "electronics", "name": "Electronics"}
    assert doc["sector"]["ancestors"] == [{"id": "electronics", "name": "Electronics"}]
    assert doc["sector"]["synonyms"] == ["chips", "IC", "integrated circuits", "芯片"]
    # tagged with the sector (main or further); a specialty naming it, apart
    assert ids(doc["clusters"]) == ["prd-electronics", "nanshan-chip-design", "yrd-ic"]
    assert ids(doc["specialty_clusters"]) == ["anhui-electronics"]  # "integrated circuits" among its specialties
    assert ids(doc["parks"]) == ["suzhou-industrial-park"]
    assert ids(doc["companies"]) == ["yangtze-microchips"]
    assert ids(doc["statistics"]) == ["nanshan-chip-exports-2023", "yrd-ic-output-target"]


def test_parent_sector_includes_sub_sectors() -> None:
    doc = cli("sector", "new energy", "--json").json()
    assert (
        doc["sector"]["children"]
        == doc["sector"]["descendants"]
        == [
            {"id": "wind", "name": "Wind energy"},
            {"id": "photovoltaics", "name": "Photovoltaics"},
        ]
    )
    assert ids(doc["clusters"]) == ["east-new-energy", "nantong-wind", "anhui-pv"]
    assert ids(doc["companies"]) == ["huaihe-solar"]
    assert ids(doc["statistics"]) == ["anhui-pv-revenue-2012", "anhui-pv-revenue-2021"]
    child = cli("sector", "wind", "--json").json()  # and a sub-sector, not its parent's other children
    assert ids(child["clusters"]) == ["east-new-energy", "nantong-wind"]


def test_silent_division_has_identity_and_a_plain_note() -> None:
    r = cli("province", "Guangxi")
    assert r.exit_code == 0
    assert "广西壮族自治区" in r.stdout and "The knowledge base records no clusters in this division yet." in r.stdout
    doc = cli("province", "Guangxi", "--json").json()
    assert doc["note"] == "The knowledge base records no clusters in this division yet."
    assert ids(doc["cities"]) == ["nanning"]
    for key in ("regions", "clusters", "regional_clusters", "parks", "companies", "statistics", "regional_statistics"):
        assert doc[key] == [], key


def test_region_shows_members_clusters_and_statistics() -> None:
    doc = cli("region", "YRD", "--json").json()
    assert ids(doc["provinces"]) == ["shanghai", "jiangsu", "zhejiang", "anhui"]
    assert ids(doc["cities"]) == ["shanghai", "suzhou", "nantong", "hefei"]
    assert ids(doc["clusters"]) == [
        "anhui-electronics",
        "yrd-ic",
        "jiangsu-textiles",
        "nantong-home-textiles",
        "east-new-energy",
        "nantong-wind",
        "anhui-pv",
        "yrd-nev",
        "kunshan-socks",
    ]
    assert ids(doc["companies"]) == ["huaihe-solar", "pearl-motors", "yangtze-microchips"]
    assert ids(doc["statistics"]) == [
        "yrd-ic-output-target",
        "yrd-key-nev-enterprises",
        "kunshan-socks-output-2017",
        "anhui-pv-revenue-2012",
        "anhui-pv-revenue-2021",
        "anhui-electronics-rank",
        "nantong-home-textiles-share",
        "jiangsu-textiles-revenue-2025",
    ]


def test_city_links_to_province_clusters_of_its_districts_and_regional_figures() -> None:
    doc = cli("city", "Shenzhen", "--json").json()
    assert doc["city"]["province"] == {"id": "guangdong", "name": "Guangdong"} and doc["city"]["is_capital"] is False
    assert ids(doc["regions"]) == ["prd", "east"]
    assert ids(doc["clusters"]) == ["prd-electronics", "nanshan-chip-design"]  # Nanshan is a district of Shenzhen
    assert ids(doc["statistics"]) == ["nanshan-chip-exports-2023"]
    assert ids(doc["regional_statistics"]) == ["prd-key-nev-enterprises"]
    assert doc["nearest_clusters"] == []  # only a city without clusters is shown the nearest ones
    park = cli("park", "SIP", "--json").json()
    assert park["park"]["city"] == {"id": "suzhou", "name": "Suzhou"} and park["park"]["province"]["id"] == "jiangsu"
    # a park's source, as every entity's (its panel had no Source line, and a zone's national list went unsaid)
    assert park["park"]["provenance"]["text"].startswith(park["park"]["provenance"]["source"]["short_name"])
    assert ids(park["clusters"]) == ["yrd-ic"] and ids(park["companies"]) == ["yangtze-microchips"]
    company = cli("company", "Pearl Motors", "--json").json()
    assert ids(company["clusters"]) == ["guangzhou-autos", "yrd-nev"]
    # the regions whose views list it: its clusters' (guangzhou-autos lies in the PRD and the East), not only
    # the region a cluster names (yrd-nev's)
    assert (ids(company["regions"]), ids(company["provinces"]), ids(company["cities"])) == (
        ["east", "prd", "yrd"],
        ["guangdong"],
        ["guangzhou"],
    )


def test_list_filters() -> None:
    cities = cli("list", "cities", "--province", "粤", "--json").json()
    assert cities["filters"] == {"province": "guangdong"} and cities["notices"] == []
    assert [(r["id"], r["kind"], r["level"], r["cluster_count"]) for r in cities["rows"]] == [
        ("guangzhou", "prefecture_city", "prefecture", 2),
        ("shenzhen", "prefecture_city", "prefecture", 2),  # its own cluster and its district's
        ("nanshan", "district", "county", 1),
    ]
    prefectures = cli("list", "cities", "--province", "粤", "--level", "prefecture", "--json").json()
    assert [r["id"] for r in prefectures["rows"]] == ["guangzhou", "shenzhen"]
    wind = cli("list", "clusters", "--sector", "wind", "--json").json()["rows"]
    assert [(r["id"], r["sector"]["id"]) for r in wind] == [("nantong-wind", "wind"), ("east-new-energy", "new-energy")]
    both = cli("list", "clusters", "--sector", "textiles", "--province", "Jiangsu", "--json").json()["rows"]
    assert [r["id"] for r in both] == ["jiangsu-textiles", "nantong-home-textiles", "kunshan-socks"]
    yrd = cli("list", "companies", "--region", "YRD", "--json").json()["rows"]
    assert [r["id"] for r in yrd] == ["yangtze-microchips", "pearl-motors", "huaihe-solar"]


def test_search_finds_names_synonyms_and_specialties_and_says_why() -> None:
    doc = cli("search", "wind", "--json").json()
    assert {"schema_version", "kind", "query", "count", "total", "hits", "suggestions"} == set(doc)
    assert (doc["count"], doc["total"]) == (3, 3)
    assert [(h["kind"], h["id"], h["score"], h["why"]) for h in doc["hits"]] == [
        ("sector", "wind", 95.0, "name"),
        ("cluster", "nantong-wind", 95.0, "name"),
        ("cluster", "east-new-energy", 71.2, "specialty: solar and wind"),
    ]
    for hit in doc["hits"]:
        assert set(hit) == {"kind", "id", "name", "name_zh", "province", "score", "why"}


def test_search_ranks_names_above_summaries_and_explains_why() -> None:
    hits = cli("search", "Nantong", "--json").json()["hits"]
    assert [(h["kind"], h["id"], h["why"]) for h in hits] == [
        ("city", "nantong", "name"),
        ("cluster", "nantong-home-textiles", "name"),
        ("cluster", "nantong-wind", "name"),
    ]
    assert [h["score"] for h in hits] == [100.0, 95.0, 95.0]
    words = cli("search", "wind turbines", "--json").json()["hits"]
    assert [(h["id"], h["why"]) for h in words] == [
        ("wind", "name: Wind energy; summary: Fixture sector: wind turbines and farms."),
        ("nantong-wind", "name: Nantong wind equipment; specialty: offshore turbines"),
    ]


def test_a_division_s_short_chinese_name_finds_it_first_as_its_english_name_does() -> None:
    """合肥 is how people write 合肥市: `search 合肥` put the city behind a cluster whose Chinese name starts with
    合肥市 (both read as a start of a name), where `search hefei` finds the city first, by its whole name."""
    hits = cli("search", "合肥", "--json").json()["hits"]
    assert (hits[0]["id"], hits[0]["score"], hits[0]["why"]) == ("hefei", 100.0, "Chinese name: 合肥")
    assert cli("search", "hefei", "--json").json()["hits"][0]["id"] == "hefei"


def test_search_synonyms_places_and_typos() -> None:
    chips = cli("search", "chips", "--json").json()["hits"]
    assert (chips[0]["id"], chips[0]["why"]) == ("semiconductors", "synonym: chips")
    assert len(chips) == 9
    place = cli("search", "EV Guangdong", "--json").json()["hits"]
    # a synonym of its sector said to be one (it read "sector: EV", as if the tag were EV)
    assert [(h["id"], h["why"]) for h in place] == [("guangzhou-autos", "sector synonym: EV; place: Guangdong")]
    folded = cli("search", "solar Hefei", "--json").json()["hits"]
    assert [(h["id"], h["why"]) for h in folded] == [
        ("anhui-pv", "specialty: solar modules; alias: hefei-photovoltaics")
    ]
    # a close spelling is a suggestion on stderr with exit 1, never a hit
    typo = cli("search", "semiconducters", "--json")
    assert (typo.exit_code, typo.json()["hits"], typo.json()["suggestions"]) == (1, [], ["Semiconductors"])
    assert typo.stderr == "No matches for 'semiconducters'. Did you mean: Semiconductors?\n"
    none = cli("search", "biotek", "--json")
    assert none.exit_code == 1 and none.json()["hits"] == [] and none.stderr == "No matches for 'biotek'\n"
    unquoted = cli("search", "semiconductors", "Hefei", "--json").json()  # several words, no quotes
    assert (unquoted["query"], [h["id"] for h in unquoted["hits"]]) == ("semiconductors Hefei", ["yrd-ic"])


def test_search_csv_and_ndjson_and_kind_filter() -> None:
    nd = [json.loads(x) for x in cli("search", "wind", "-k", "cluster", "--format", "ndjson").stdout.splitlines()]
    assert [(h["kind"], h["id"]) for h in nd] == [("cluster", "nantong-wind"), ("cluster", "east-new-energy")]
    out = cli("search", "wind", "--format", "csv").stdout
    assert out.splitlines() == [
        "kind,id,name,name_zh,province_id,province_name,score,why",
        "sector,wind,Wind energy,风电,,,95.0,name",
        "cluster,nantong-wind,Nantong wind equipment,,,,95.0,name",
        "cluster,east-new-energy,Eastern new energy,,,,71.2,specialty: solar and wind",
    ]


def test_info_says_when_no_exchange_rate_is_given(tmp_path: Path) -> None:
    """A pack without meta.rmb_per_usd read "0.0 RMB per US$ (checked within 0%)": a rate of nothing, and
    a tolerance the validator does not use (2% where none is given)."""
    mine = write(tmp_path, own_pack())
    doc = cli("--no-shipped", "--data", mine, "info", "--json").json()
    assert doc["exchange_rate"] == {"rmb_per_usd": None, "tolerance": 0.02}
    shown = cli("--no-shipped", "--data", mine, "info").stdout
    assert "Exchange rate   none given (a figure in US$ beside yuan needs one)" in shown
    assert "Counts          1 source, 0 designations," in shown  # one of a kind in the singular
    assert "未给出（美元数字与人民币并列时需要）" in cli("--lang", "zh", "--no-shipped", "--data", mine, "info").stdout


def test_info_reports_version_counts_packs_sources_and_designations() -> None:
    doc = cli("info", "--json").json()
    assert (doc["kb_version"], doc["title"], doc["tool_version"]) == ("fixture.1", "Fixture article pack", __version__)
    assert doc["data_file"] == ARTICLE  # the main pack: the one with a primary source
    assert doc["exchange_rate"] == {"rmb_per_usd": 7.0, "tolerance": 0.02}
    assert doc["counts"] == {
        "sources": 6,
        "designations": 2,
        "provinces": 9,
        "regions": 3,
        "cities": 19,
        "parks": 1,
        "sectors": 10,
        "companies": 3,
        "clusters": 12,  # 13 entries, one folded into another by same_as
        "statistics": 12,
    }
    assert [(p["file"], p["title"], p["counts"]) for p in doc["packs"]] == [
        (PLACES, "Fixture divisions (reference pack)", {"provinces": 9, "cities": 19}),
        (
            ARTICLE,
            "Fixture article pack",
            {"sources": 3, "regions": 3, "parks": 1, "sectors": 9, "companies": 3, "clusters": 10, "statistics": 10},
        ),
        (PAGES, "Fixture pages pack", {"sources": 3, "designations": 2, "sectors": 1, "clusters": 3, "statistics": 2}),
    ]
    assert doc["packs"][0]["licence"] == "Fixture licence (test data)" and doc["packs"][0]["datum"] == "WGS84 (fixture)"
    assert doc["primary_source"] == {"id": "fixture-article", "name": "Fixture article on industry clusters"}
    assert [(s["id"], s["entries"], s["statistics"], s["pack"]) for s in doc["sources"]] == [
        ("fixture-article", 27, 5, ARTICLE),
        ("fixture-ministry", 3, 3, ARTICLE),
        ("fixture-report", 2, 2, ARTICLE),
        ("fixture-page-list", 3, 0, PAGES),
        ("fixture-page-towns", 3, 1, PAGES),
        ("fixture-page-trade", 2, 1, PAGES),
    ]
    article = doc["sources"][0]
    assert (article["publisher"], article["published"], article["cited_in"]) == ("Fixture Press", None, None)
    assert doc["sources"][1]["cited_in"] == "fixture-article"
    assert [(s["pack"], s["sources"], s["kinds"], s["entries"]) for s in doc["source_summary"]] == [
        (ARTICLE, 3, {"article": 1, "government": 1, "report": 1}, 32),
        (PAGES, 3, {"news": 1, "government": 1, "secondary": 1}, 8),
    ]
    assert doc["designations"] == [
        {
            "id": "fixture-advanced-clusters",
            "name": "Fixture advanced clusters",
            "name_zh": "先进示例集群",
            "issuer": "Fixture Ministry of Industry",
            "issuer_zh": "示例工业部",
            "members": 5,
            "held": 2,
            "complete": False,
            "text": "2 of 5 named",
            "batches": [
                {"batch": "2022", "year": 2022, "members": 3, "held": 2},
                {"batch": "2024", "year": 2024, "members": 2, "held": 0},
            ],
        },
        {
            "id": "fixture-town-clusters",
            "name": "Fixture town clusters",
            "name_zh": "示例特色产业集群",
            "issuer": "Fixture Provincial Office",
            "issuer_zh": "示例省办公室",
            "members": None,
            "held": 1,
            "complete": False,
            "text": "1 named; the sources state no total",
            "batches": [{"batch": "first", "year": None, "members": None, "held": 1}],
        },
    ]
    assert PACKS == [PLACES, ARTICLE, PAGES]
