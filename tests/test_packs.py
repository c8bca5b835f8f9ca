"""Source packs beyond the article: every entry cited, designations that agree with their lists, no cluster
described twice under two ids, and the new entries answering like the article's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import ROOT, cli, shipped_text, write

from clusters_cli.model import KINDS

SOURCE_PACKS = [ROOT / "data" / "national_designations.yaml", ROOT / "data" / "specialised_towns.yaml"]
CITING = ("designations", "clusters", "parks", "companies", "statistics")


def load(path: Path) -> dict[str, Any]:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    # and validate warns of none (tests/test_validate.py: test_shipped_file_is_valid)


# --- the new entries answer like the article's


def test_list_clusters_by_designation() -> None:
    doc = cli("list", "clusters", "--designation", "national-advanced-manufacturing", "--json").json()
    held = next(
        d["held"] for d in cli("info", "--json").json()["designations"] if d["id"] == doc["filters"]["designation"]
    )
    assert doc["count"] == held and "shanghai-biopharma" in {r["id"] for r in doc["rows"]}  # the article's, folded
    assert all("national-advanced-manufacturing" in {d["id"] for d in r["designations"]} for r in doc["rows"])
    by_name = cli("list", "clusters", "--designation", "国家先进制造业集群", "--json").json()
    assert by_name["count"] == doc["count"]
    r = cli("list", "cities", "--designation", "national-advanced-manufacturing")
    assert r.exit_code == 2 and "--designation does not apply to cities" in r.stderr


def test_city_of_a_specialised_town_and_a_cluster_with_its_designations() -> None:
    doc = cli("city", "Yiwu", "--json").json()
    assert doc["city"]["kind"] == "county_city" and "yiwu-small-commodities" in {c["id"] for c in doc["clusters"]}
    zhuji = cli("city", "Zhuji", "--json").json()
    datang = next(c for c in zhuji["clusters"] if c["id"] == "datang-socks")
    assert datang["towns"] == ["Datang (大唐)"]
    assert {"datang-socks", "yiwu-small-commodities"} <= {
        c["id"] for c in cli("province", "浙江", "--json").json()["clusters"]
    }
    cl = cli("cluster", "qinghe-cashmere", "--json").json()["cluster"]  # a town that a national list names too
    assert [d["id"] for d in cl["designations"]] == ["miit-sme-characteristic"]
    assert cl["designations"][0]["cited"]["source"]["kind"] in ("news", "government", "secondary", "industry")
    table = " ".join(cli("cluster", "qinghe-cashmere").stdout.split())
    assert "Designations SME characteristic industrial clusters" in table and "Also in" in table


def test_a_cluster_two_packs_describe_is_one_entry_with_both_sources() -> None:
    cl = cli("cluster", "shanghai-biopharma", "--json").json()["cluster"]
    assert cl["provenance"]["source"]["id"] == "china-briefing-2024"
    assert [d["id"] for d in cl["designations"]] == ["national-advanced-manufacturing"]
    assert cl["name_zh"] == "上海市张江生物医药集群" and cl["provenance"]["also"]
    folded = cli("cluster", "shanghai-zhangjiang-biomedicine", "--json").json()  # its id finds the entry it joined
    assert folded["cluster"]["id"] == "shanghai-biopharma"
    assert "shanghai-zhangjiang-biomedicine" not in {c["id"] for c in cli("list", "clusters", "--json").json()["rows"]}


# --- what validate refuses in a pack of one's own

MINE = """
meta: {title: mine}
sources:
  - {id: page-a, short_name: "Page A", name: "A page", publisher: "A daily", kind: news, lists: [test-list]}
  - {id: page-b, short_name: "Page B", name: "B page", publisher: "A weekly", kind: news}
designations:
  - id: test-list
    name: Test list
    name_zh: 测试名单
    issuer: A ministry
    issuer_zh: 某部
    members: 2
    batches: [{batch: "2022", year: 2022, members: 2}]
    summary: A list of two.
    locator: {source: page-a, where: "first paragraph"}
clusters:
  - id: mine-one
    name: Mine one
    sector: wind
    cities: [yancheng]
    status: established
    summary: One.
    locator: {source: page-a, where: "second paragraph"}
    designations: [{list: test-list, batch: "2022", locator: {source: page-a, where: "the list"}}]
"""


def check(tmp_path: Path, mine: str) -> Any:
    article = write(tmp_path, shipped_text(), "article.yaml")
    return cli("--no-shipped", "validate", article, write(tmp_path, mine, "mine.yaml"))


def test_a_valid_pack_of_ones_own(tmp_path: Path) -> None:
    r = check(tmp_path, MINE)
    assert r.exit_code == 0 and "warning" not in r.stderr, r.stderr


@pytest.mark.parametrize(
    ("change", "replacement", "message"),
    [
        (
            'locator: {source: page-a, where: "second paragraph"}',
            "locator: {section: Introduction, paragraph: 1}",
            "the locator names no source, and its pack has no primary source",
        ),
        (
            'locator: {source: page-a, where: "second paragraph"}',
            'locator: {where: "second paragraph"}',
            "needs section and paragraph, or source and where; it has where",
        ),
        (
            'locator: {source: page-a, where: "the list"}',
            'locator: {source: page-b, where: "the list"}',
            "the source 'page-b' does not name members of 'test-list'",
        ),
        ('batch: "2022", locator', 'batch: "2023", locator', "'test-list' has no batch '2023' (it has: 2022)"),
        ("cities: [yancheng]", "cities: [dehui-town]", "unknown city 'dehui-town'"),
    ],
)
def test_a_broken_pack_fails_with_file_line_and_entry(
    tmp_path: Path, change: str, replacement: str, message: str
) -> None:
    r = check(tmp_path, MINE.replace(change, replacement, 1))
    assert r.exit_code == 3, r.stderr
    assert message in r.stderr and "mine.yaml:" in r.stderr and "clusters[0] (id: mine-one)" in r.stderr


def test_a_list_never_holds_more_members_than_its_sources_say(tmp_path: Path) -> None:
    one = MINE.replace("members: 2\n", "members: 1\n").replace("year: 2022, members: 2}", "year: 2022, members: 1}")
    assert check(tmp_path, one).exit_code == 0
    two = one + TWIN
    r = check(tmp_path, two)
    assert r.exit_code == 3
    assert "2 clusters name the list, which has only 1" in " ".join(r.stderr.split())
    assert (
        "2 clusters name batch '2022', which has only 1" in r.stderr and "designations[0] (id: test-list)" in r.stderr
    )
    inconsistent = MINE.replace("members: 2\n", "members: 3\n")
    assert "its batches have 2 members, not 3" in check(tmp_path, inconsistent).stderr


TWIN = """  - id: mine-two
    name: Mine two
    sector: wind
    cities: [yancheng]
    status: established
    summary: Two.
    locator: {source: page-a, where: "third paragraph"}
    designations: [{list: test-list, batch: "2022", locator: {source: page-a, where: "the list"}}]
"""


def test_two_packs_describing_one_cluster_are_warned_of_and_same_as_folds_them(tmp_path: Path) -> None:
    # the same main sector in the same cities as the article's Yancheng Dafeng wind power cluster
    twin = MINE.replace("sector: wind", "sector: wind-equipment")
    r = check(tmp_path, twin)
    assert r.exit_code == 0
    assert "warning:" in r.stderr and "mine-one" in r.stderr and "'yancheng-wind'" in r.stderr
    assert "article.yaml" in r.stderr and "mine.yaml" in r.stderr
    folded = twin.replace("    status: established\n", "    status: established\n    same_as: yancheng-wind\n", 1)
    assert "warning" not in check(tmp_path, folded).stderr
    article = write(tmp_path, shipped_text(), "article.yaml")
    doc = cli(
        "--no-shipped",
        "--data",
        article,
        "--data",
        write(tmp_path, folded, "mine.yaml"),
        "cluster",
        "yancheng-wind",
        "--json",
    )
    cl = doc.json()["cluster"]
    assert [d["id"] for d in cl["designations"]] == ["test-list"] and cl["provenance"]["also"]


def test_every_kind_that_carries_facts_is_checked_for_its_citations() -> None:
    # the kinds whose entries validate checks for a source and locator are the model's citing kinds
    citing = {k.section for k in KINDS.values() if k.ref("locator") is not None}
    assert citing == set(CITING)


def test_designation_opens_a_list_with_its_members_and_how_much_is_held() -> None:
    doc = cli("designation", "国家先进制造业集群", "--json").json()
    d = doc["designation"]
    assert d["id"] == "national-advanced-manufacturing" and d["members"] == 80 and not d["complete"]
    assert len(doc["clusters"]) == d["held"] and doc["provenance"]["source"]["kind"]
    table = " ".join(cli("designation", "national-advanced-manufacturing").stdout.split())
    assert f"Held {d['held']} of 80 named (partial" in table and "By batch 2022: 43 of 45; 2024: 25 of 35" in table
