"""The knowledge base holds what the article says: a checklist taken from the
article by hand, independent of the YAML, checked through the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import cli
from shipped import DIVISIONS as DIVISIONS_PACK
from shipped import SHIPPED

# (value, unit, words the metric must contain, year, source id, status) - one per figure in the article
ARTICLE_FIGURES = [
    (2000, "clusters", "industry clusters", 2024, "china-briefing-2024", "actual"),  # over 2,000 clusters
    (4.67, "currency", "electronics", 2022, "gd-diit", "actual"),  # RMB 4.67 trillion, Guangdong
    (26, "percent", "industrial revenue", 2022, "gd-diit", "actual"),  # 26% of Guangdong's industrial revenue
    (2, "rank", "anhui", 2024, "china-briefing-2024", "actual"),  # second-largest industrial sector
    (10, "percent", "flat panel", 2024, "china-briefing-2024", "actual"),  # ~10% of global FPD capacity
    (26.8, "currency", "photovoltaic", 2012, "ndrc", "actual"),  # Anhui PV 2012
    (882.8, "currency", "photovoltaic", 2021, "ndrc", "actual"),  # Anhui PV 2021
    (700, "currency", "electronics", 2022, "chongqing-gov", "actual"),  # Chongqing > RMB 700 billion
    # > 800 large enterprises: the paragraph credits the Chongqing government's 2022 figures
    # Chongqing's 800 large manufacturers: the article's own words, unattributed, undated, of every industry
    (800, "enterprises", "large-scale manufacturing", 2024, "china-briefing-2024", "actual"),
    (1, "currency", "cluster", 2024, "china-briefing-2024", "target"),  # trillion-yuan cluster
    (50, "percent", "developed ic cities", 2024, "nepcon", "actual"),  # YRD > half of developed IC cities
    # the YRD's > 50% of IC manufacturing and testing: the sentence after NEPCON's names no source
    (50, "percent", "manufacturing and testing", 2024, "china-briefing-2024", "actual"),
    (9, "cities", "pearl river delta", 2024, "china-briefing-2024", "actual"),  # PRD's nine cities
    (88, "percent", "shenzhen", 2020, "china-briefing-2024", "actual"),  # Shenzhen 88% of Guangdong IC revenue
    (345.7, "currency", "biopharma market", 2020, "china-briefing-2024", "actual"),
    (811.6, "currency", "biopharma market", 2025, "china-briefing-2024", "forecast"),
    (135, "percent", "growth", 2025, "china-briefing-2024", "forecast"),  # +135% in five years
    (939.2, "currency", "textile", 2021, "jiangsu-party-paper", "actual"),
    (18, "percent", "national textile", 2021, "jiangsu-party-paper", "actual"),
    # Jiangsu's textile paragraph credits the provincial Party paper's 2021 figures, in one sentence; the
    # chemical-fibre share and the home-textile shares after it are the article's own sentences, undated
    (25, "percent", "chemical fibre", 2024, "china-briefing-2024", "actual"),
    (50, "percent", "national home textiles", 2024, "china-briefing-2024", "actual"),
    (60, "percent", "global home textiles", 2024, "china-briefing-2024", "actual"),
    (6, "clusters", "automotive", 2024, "china-briefing-2024", "actual"),  # six major auto clusters
    (4, "clusters", "evs", 2024, "china-briefing-2024", "actual"),  # four major EV centres
    (91, "enterprises", "nev", 2022, "nev-insight-2022", "actual"),  # Jing-Jin-Ji
    (424, "enterprises", "nev", 2022, "nev-insight-2022", "actual"),  # YRD
    (119, "enterprises", "nev", 2022, "nev-insight-2022", "actual"),  # GBA
    (74, "enterprises", "nev", 2022, "nev-insight-2022", "actual"),  # West Triangle
    (200, "currency", "offshore wind", 2024, "china-briefing-2024", "forecast"),  # Fangchenggang
    (50, "percent", "wind resources", 2024, "china-briefing-2024", "actual"),  # Inner Mongolia
]

# The article's USD conversions, kept beside each RMB figure
ARTICLE_USD = {4.67: 642.25, 26.8: 3.7, 882.8: 121.4, 700: 96.3, 345.7: 47.60, 811.6: 111.76, 939.2: 129.2, 200: 27.5}


@pytest.fixture(scope="module")
def statistics(audit_cache: Path) -> list[dict]:
    """The figures of the article's pack (read with the reference pack only: the other packs cite other sources)."""
    data = ["--no-shipped", "--data", str(DIVISIONS_PACK), "--data", str(SHIPPED)]
    r = cli(*data, "list", "statistics", "--json", env={"CLUSTERS_CACHE_DIR": str(audit_cache)})
    assert r.exit_code == 0
    return r.json()["rows"]


@pytest.mark.parametrize(("value", "unit", "words", "year", "source", "status"), ARTICLE_FIGURES)
def test_every_article_figure_is_a_sourced_statistic(statistics, value, unit, words, year, source, status) -> None:
    matches = [s for s in statistics if s["value"] == value and s["unit"] == unit and words in s["name"].lower()]
    assert len(matches) == 1, f"{value} {unit} ({words}): {matches}"
    st = matches[0]
    assert st["year"] == year
    assert st["source"]["id"] == source
    assert st["status"] == status


def test_no_statistic_outside_the_checklist(statistics) -> None:
    assert len(statistics) == len(ARTICLE_FIGURES)


def test_rmb_figures_keep_the_articles_usd(statistics) -> None:
    money = [s for s in statistics if s["unit"] == "currency" and s["usd_value"] is not None]
    assert {s["value"]: s["usd_value"] for s in money} == ARTICLE_USD
    assert all(s["currency"] == "CNY" for s in money)


# All 33 provincial-level divisions: (id, Chinese name, abbreviation, kind, capital)
DIVISIONS = [
    ("beijing", "北京市", "京", "municipality", "beijing"),
    ("tianjin", "天津市", "津", "municipality", "tianjin"),
    ("hebei", "河北省", "冀", "province", "shijiazhuang"),
    ("shanxi", "山西省", "晋", "province", "taiyuan"),
    ("inner-mongolia", "内蒙古自治区", "蒙", "autonomous_region", "hohhot"),
    ("liaoning", "辽宁省", "辽", "province", "shenyang"),
    ("jilin", "吉林省", "吉", "province", "changchun"),
    ("heilongjiang", "黑龙江省", "黑", "province", "harbin"),
    ("shanghai", "上海市", "沪", "municipality", "shanghai"),
    ("jiangsu", "江苏省", "苏", "province", "nanjing"),
    ("zhejiang", "浙江省", "浙", "province", "hangzhou"),
    ("anhui", "安徽省", "皖", "province", "hefei"),
    ("fujian", "福建省", "闽", "province", "fuzhou"),
    ("jiangxi", "江西省", "赣", "province", "nanchang"),
    ("shandong", "山东省", "鲁", "province", "jinan"),
    ("henan", "河南省", "豫", "province", "zhengzhou"),
    ("hubei", "湖北省", "鄂", "province", "wuhan"),
    ("hunan", "湖南省", "湘", "province", "changsha"),
    ("guangdong", "广东省", "粤", "province", "guangzhou"),
    ("guangxi", "广西壮族自治区", "桂", "autonomous_region", "nanning"),
    ("hainan", "海南省", "琼", "province", "haikou"),
    ("chongqing", "重庆市", "渝", "municipality", "chongqing"),
    ("sichuan", "四川省", "川", "province", "chengdu"),
    ("guizhou", "贵州省", "贵", "province", "guiyang"),
    ("yunnan", "云南省", "云", "province", "kunming"),
    ("tibet", "西藏自治区", "藏", "autonomous_region", "lhasa"),
    ("shaanxi", "陕西省", "陕", "province", "xian"),
    ("gansu", "甘肃省", "甘", "province", "lanzhou"),
    ("qinghai", "青海省", "青", "province", "xining"),
    ("ningxia", "宁夏回族自治区", "宁", "autonomous_region", "yinchuan"),
    ("xinjiang", "新疆维吾尔自治区", "新", "autonomous_region", "urumqi"),
    ("hong-kong", "香港特别行政区", "港", "special_administrative_region", "hong-kong"),
    ("macao", "澳门特别行政区", "澳", "special_administrative_region", "macao"),
]


def test_all_33_divisions_with_chinese_names_and_abbreviations() -> None:
    rows = cli("list", "provinces", "--json").json()["rows"]
    assert len(rows) == 33
    got = {r["id"]: (r["id"], r["name_zh"], r["abbr"], r["kind"], r["capital"]["id"]) for r in rows}
    assert got == {d[0]: d for d in DIVISIONS}
    kinds = [d[3] for d in DIVISIONS]
    assert (kinds.count("province"), kinds.count("autonomous_region"), kinds.count("municipality")) == (22, 5, 4)


@pytest.mark.parametrize(("abbr", "division"), [(d[2], d[0]) for d in DIVISIONS])
def test_each_abbreviation_resolves_to_its_division(abbr: str, division: str) -> None:
    r = cli("province", abbr, "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["province"]["id"] == division


ARTICLE_COMPANIES = [
    "FAW",
    "Brilliance Auto",
    "Changan",
    "SAIC",
    "Geely",
    "GAC",
    "BYD",
    "China Resources",
    "CETC",
    "Ifar Semiconductor",
    "SK Hynix",
    "Hengli",
    "Shenghong",
]


@pytest.mark.parametrize("name", ARTICLE_COMPANIES)
def test_article_companies_sit_in_clusters(name: str) -> None:
    r = cli("company", name, "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["clusters"], f"{name} belongs to no cluster"


ARTICLE_PARKS = [
    "Zhangjiang Science City",
    "Liangjiang New Area",
    "Western (Chongqing) Science City",
    "Keqiao",
    "China Textile City",
    "Dafeng Wind Power Industrial Park",
    "Guangzhou International Biotech Island",
    "Qinzhou Port Area",
    "Shenzhen Pingshan National Biotech Industrial Base",
    "Cangzhou Bohai New Area Biopharmaceuticals Industrial Park",
]


@pytest.mark.parametrize("name", ARTICLE_PARKS)
def test_article_parks_are_known(name: str) -> None:
    r = cli("park", name, "--json")
    assert r.exit_code == 0, r.stderr
    assert r.json()["park"]["sectors"]


def test_every_cluster_is_sourced_and_every_statistic_has_year_and_source() -> None:
    info = cli("info", "--json").json()
    assert info["primary_source"]["id"] == "china-briefing-2024"
    for row in cli("list", "statistics", "--json").json()["rows"]:
        assert isinstance(row["year"], int) and row["source"]


def test_unattributed_figures_are_the_articles_own_and_dated_by_it() -> None:
    # the data audit's findings: the article gives these figures no source and no year
    from helpers import cli

    rows = {r["id"]: r for r in cli("list", "statistics", "--json", "--limit", "1000").json()["rows"]}
    for ident in (
        "chongqing-large-manufacturers",
        "nantong-home-textiles-national-share",
        "jiangsu-chemical-fibre-share",
        "yrd-ic-manufacturing-testing-share",
    ):
        row = rows[ident]
        assert (row["source"]["id"], row["year_basis"], row["year"]) == ("china-briefing-2024", "publication", 2024)
    # the key NEV enterprises: counts of a report the article names by its title's year, not dated further
    nev = [r for r in rows.values() if r["id"].endswith("-key-nev-enterprises")]
    assert len(nev) == 4
    assert {(r["source"]["id"], r["year_basis"], r["year"]) for r in nev} == {("nev-insight-2022", "publication", 2022)}
    chongqing = rows["chongqing-large-manufacturers"]
    assert chongqing["metric"] == "large-scale manufacturing enterprises" and chongqing["sector"] is None
    assert "Chongqing municipal" not in cli("cite", "chongqing-large-manufacturers").stdout
    # nor does the cluster's summary date them (it said "(2021)", the year of the sentence before)
    summary = cli("cluster", "nantong-home-textiles", "--json").json()["cluster"]["summary"]
    assert "60% of world supply" in summary and "2021" not in summary
