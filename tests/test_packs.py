"""Packs of one's own and packs of web pages, on the fixture packs: designations and the lists they name,
a cluster two packs describe folded into one entry, and what validate refuses in a pack of one's own.
(The shipped source packs' citations and counts are audited in tests/audits/test_source_packs.py.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import PACKS, cli, data_args, env_of, own_pack, write

from clusters_cli.model import KINDS

CITING = ("designations", "regions", "clusters", "parks", "companies", "statistics")


def test_list_clusters_by_designation() -> None:
    doc = cli("list", "clusters", "--designation", "fixture-advanced-clusters", "--json").json()
    assert doc["filters"] == {"designation": "fixture-advanced-clusters"}
    # anhui-pv holds the designation through the entry of pages.yaml that joined it
    assert [r["id"] for r in doc["rows"]] == ["anhui-pv", "nanshan-chip-design"]
    assert all("fixture-advanced-clusters" in {d["id"] for d in r["designations"]} for r in doc["rows"])
    by_name = cli("list", "clusters", "--designation", "先进示例集群", "--json").json()
    assert by_name["rows"] == doc["rows"]
    r = cli("list", "cities", "--designation", "fixture-advanced-clusters")
    assert r.exit_code == 2 and "--designation does not apply to cities" in r.stderr


def test_a_town_cluster_in_a_county_level_city_and_its_designation() -> None:
    doc = cli("city", "Kunshan", "--json").json()
    assert (doc["city"]["kind"], doc["city"]["level"], doc["city"]["prefecture"]) == (
        "county_city",
        "county",
        {"id": "suzhou", "name": "Suzhou"},
    )
    assert [c["id"] for c in doc["clusters"]] == ["kunshan-socks"]
    socks = doc["clusters"][0]
    assert socks["towns"] == ["Lujia (陆家)"] and socks["cities"] == [{"id": "kunshan", "name": "Kunshan"}]
    assert socks["provenance"]["source"]["kind"] == "government" and socks["provenance"]["locator"] == {
        "source": "fixture-page-towns",
        "where": "lead sentence",
    }
    # a cluster of a county-level city is its prefecture's too
    assert "kunshan-socks" in {c["id"] for c in cli("city", "Suzhou", "--json").json()["clusters"]}
    cl = cli("cluster", "kunshan-socks", "--json").json()["cluster"]
    assert [(d["id"], d["batch"], d["year"]) for d in cl["designations"]] == [("fixture-town-clusters", "first", None)]
    assert cl["designations"][0]["cited"]["text"] == "Fixture town page (government) · the list"
    table = " ".join(cli("cluster", "kunshan-socks").stdout.split())
    assert "Designations Fixture town clusters (Fixture Provincial Office), first batch" in table


def test_a_cluster_two_packs_describe_is_one_entry_with_both_sources() -> None:
    cl = cli("cluster", "anhui-pv", "--json").json()["cluster"]
    assert cl["provenance"]["source"]["id"] == "fixture-article"
    assert cl["provenance"]["text"] == "Fixture article (2024) (article) · Energy ¶1"
    assert [a["text"] for a in cl["provenance"]["also"]] == [
        "Fixture news page 2022 (2022-11-30, news) · second name in the list"
    ]
    assert [d["id"] for d in cl["designations"]] == ["fixture-advanced-clusters"]
    assert cl["name_zh"] == "合肥市光伏集群"  # the article's entry had none
    folded = cli("cluster", "hefei-photovoltaics", "--json").json()  # its id finds the entry it joined
    assert (folded["cluster"]["id"], folded["resolved"]["matched_by"]) == ("anhui-pv", "alias")
    listed = [c["id"] for c in cli("list", "clusters", "--json").json()["rows"]]
    assert "hefei-photovoltaics" not in listed and len(listed) == 12


def test_designation_opens_a_list_with_its_members_and_how_much_is_held() -> None:
    doc = cli("designation", "先进示例集群", "--json").json()
    assert doc["designation"]["text"] == "2 of 5 named" and doc["designation"]["complete"] is False
    assert [c["id"] for c in doc["clusters"]] == ["nanshan-chip-design", "anhui-pv"]
    assert doc["provenance"]["text"] == "Fixture news page 2022 (news) · first paragraph"
    table = " ".join(cli("designation", "fixture-advanced-clusters").stdout.split())
    assert "Held 2 of 5 named (partial: the pages we found name no more members)" in table
    assert "By batch 2022: 2 of 3; 2024: 0 of 2" in table
    open_list = cli("designation", "Fixture town clusters", "--json").json()["designation"]
    assert (open_list["members"], open_list["text"]) == (None, "1 named; the sources state no total")


def test_a_list_whose_sources_size_each_batch_says_so_not_that_they_state_no_total(tmp_path: Path) -> None:
    """A list of no stated size whose every batch has one read '1 named; the sources state no total' above
    '2022: 1 of 10; 2023: 0 of 10'."""
    batched = """
meta: {title: Mine, primary_source: mine-notes}
sources:
  - {id: mine-notes, short_name: My notes, name: My notes, kind: secondary, lists: [mine-list],
     sections: [{heading: Only, paragraphs: 1}]}
designations:
  - {id: mine-list, name: Mine list, name_zh: 我的名单, issuer: Mine office, issuer_zh: 我的办公室, members: null,
     summary: Batches of ten., locator: {section: Only, paragraph: 1},
     batches: [{batch: "2022", year: 2022, members: 10}, {batch: "2023", year: 2023, members: 10}]}
clusters:
  - {id: mine-listed, name: Mine listed, sector: textiles, cities: [hefei], status: established, summary: L.,
     designations: [{list: mine-list, batch: "2022", locator: {section: Only, paragraph: 1}}],
     locator: {section: Only, paragraph: 1}}
"""
    args = data_args([*PACKS, write(tmp_path, batched)])
    doc = cli(*args, "designation", "mine-list", "--json").json()["designation"]
    assert (doc["members"], doc["text"]) == (None, "1 named; the sources state each batch's size, not the list's")
    shown = " ".join(cli(*args, "--lang", "zh", "designation", "mine-list", env={"COLUMNS": "120"}).stdout.split())
    assert "已收录 1 个；来源只说明各批次的数量，未说明名单总数" in shown and "2022年：1/10；2023年：0/10" in shown


ZONES = """
meta: {title: Zones of mine, primary_source: my-zones}
sources:
  - {id: my-zones, short_name: My zone page, name: My zone page, kind: government, lists: [my-zone-list]}
designations:
  - {id: my-zone-list, name: My zone list, name_zh: 我的园区名单, issuer: Me, issuer_zh: 我, members: 1,
     batches: [{batch: listed, year: null, members: 1}], summary: A list of zones.,
     locator: {source: my-zones, where: the list}}
parks:
  - {id: my-zone, name: My Zone, kind: high_tech_zone, city: hefei, sectors: [semiconductors], summary: A zone.,
     designations: [{list: my-zone-list, batch: listed, locator: {source: my-zones, where: the list}}],
     locator: {source: my-zones, where: the list}}
"""


def test_a_list_of_zones_shows_its_parks(tmp_path: Path) -> None:
    """A national list of zones (its members parks, not clusters) showed 'Clusters (0)' and no member."""
    mine = write(tmp_path, ZONES, "zones.yaml")
    args = data_args([*PACKS, mine])
    doc = cli(*args, "designation", "my-zone-list", "--json").json()
    assert ([p["id"] for p in doc["parks"]], doc["clusters"]) == (["my-zone"], [])
    table = cli(*args, "designation", "my-zone-list").stdout
    assert "Parks and zones (1)" in table and "My Zone" in table and "Clusters" not in table
    listed = cli(*args, "designation", "fixture-advanced-clusters", "--json").json()
    assert listed["parks"] == [] and len(listed["clusters"]) == 2


def test_every_kind_that_carries_facts_is_checked_for_its_citations() -> None:
    # the kinds whose entries validate checks for a source and locator are the model's citing kinds
    citing = {k.section for k in KINDS.values() if k.ref("locator") is not None}
    assert citing == set(CITING)


def test_every_figure_can_be_cited(kb: Any) -> None:
    from clusters_cli.views.cite import cite_view

    for st in kb.all("statistic"):
        doc = cite_view(kb, st["id"])
        assert doc["plain"] and doc["bibtex"].startswith("@misc{") and doc["csl_json"][0]["title"], st["id"]
    page = cli("cite", "nanshan-chip-exports-2023").stdout
    assert page == (
        'Fixture Weekly, "Fixture page on chip exports", chip exports, Nanshan: over US$12 billion (2023). '
        "Where: third paragraph. Read as a copy.\n"
    )
    zh = cli("--lang", "zh", "cite", "nanshan-chip-exports-2023").stdout  # one colon a sentence, as in English
    assert zh == (
        "Fixture Weekly，《Fixture page on chip exports》，chip exports，南山区：120亿美元以上（2023年）。"
        "位置：third paragraph。（转载）\n"
    )
    r = cli("cite", "chip exports Nanshan")  # no figure by that name: suggestions, never a traceback
    assert r.exit_code == 1 and "chip exports" in r.stderr and "Traceback" not in r.stderr


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
    sector: photovoltaics
    cities: [nantong]
    status: established
    summary: One.
    locator: {source: page-a, where: "second paragraph"}
    designations: [{list: test-list, batch: "2022", locator: {source: page-a, where: "the list"}}]
"""


def check(tmp_path: Path, mine: str) -> Any:
    return cli("validate", *PACKS, write(tmp_path, mine, "mine.yaml"))


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
            "needs one of: section + paragraph | source + where; it has: where",
        ),
        (
            'locator: {source: page-a, where: "the list"}',
            'locator: {source: page-b, where: "the list"}',
            "the source 'page-b' does not name members of 'test-list'",
        ),
        ('batch: "2022", locator', 'batch: "2023", locator', "'test-list' has no batch '2023' (it has: 2022)"),
        ("cities: [nantong]", "cities: [dehui-town]", "unknown city 'dehui-town'"),
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
    sector: photovoltaics
    cities: [nantong]
    status: established
    summary: Two.
    locator: {source: page-a, where: "third paragraph"}
    designations: [{list: test-list, batch: "2022", locator: {source: page-a, where: "the list"}}]
"""


def test_two_packs_describing_one_cluster_are_warned_of_and_same_as_folds_them(tmp_path: Path) -> None:
    # the same main sector in the same cities as the article pack's Nantong wind cluster
    twin = MINE.replace("sector: photovoltaics", "sector: wind")
    r = check(tmp_path, twin)
    assert r.exit_code == 0
    mine = str(tmp_path / "mine.yaml")
    assert (
        f"clusters: warning: {mine}:17:5: clusters[0] (id: mine-one): may describe the same cluster as "
        f"'nantong-wind' in {PACKS[1]} "
        "(the same sector and cities); give one entry several sources instead"
    ) in " ".join(r.stderr.split())
    folded = twin.replace("    status: established\n", "    status: established\n    same_as: nantong-wind\n", 1)
    assert "warning" not in check(tmp_path, folded).stderr
    doc = cli("cluster", "nantong-wind", "--json", env=env_of([*PACKS, write(tmp_path, folded, "mine.yaml")]))
    cl = doc.json()["cluster"]
    assert [d["id"] for d in cl["designations"]] == ["test-list"]
    assert [a["text"] for a in cl["provenance"]["also"]] == ["Page A (news) · second paragraph"]


def test_a_cluster_naming_no_city_is_warned_of_by_its_provinces_and_a_name_ending_cluster(tmp_path: Path) -> None:
    """MIIT's Beijing-Tianjin-Hebei IC cluster beside the article's went unwarned: it names no city (the check
    compared cities alone), and its name ends with "cluster" where the article's does not."""
    by_provinces = MINE.replace("    cities: [nantong]\n", "    provinces: [anhui]\n").replace(
        "sector: photovoltaics", "sector: electronics"
    )
    r = check(tmp_path, by_provinces)
    assert r.exit_code == 0 and (
        f"may describe the same cluster as 'anhui-electronics' in {PACKS[1]} (the same sector and provinces)"
    ) in " ".join(r.stderr.split())
    by_name = MINE.replace("name: Mine one", "name: Anhui electronics cluster").replace(
        "sector: photovoltaics", "sector: electronics"
    )
    r = check(tmp_path, by_name)
    assert f"as 'anhui-electronics' in {PACKS[1]} (the same name)" in " ".join(r.stderr.split())
    assert (
        "warning"
        not in check(
            tmp_path, by_name.replace("    status:", "    distinct_from: [anhui-electronics]\n    status:", 1)
        ).stderr
    )


def test_every_pack_that_does_not_parse_is_reported_with_the_others_schema_problems(tmp_path: Path) -> None:
    broken = write(tmp_path, "a: [\n", "broken.yaml")
    listed = write(tmp_path, "- a\n", "listed.yaml")
    wrong = write(tmp_path, "meta:\n  title: t\nsectors:\n  - id: s\n", "wrong.yaml")
    r = cli("--no-shipped", "validate", wrong, broken, listed)
    assert r.exit_code == 3
    assert r.stderr.splitlines() == [
        f"  {broken}:2:1: YAML error: while parsing a flow node: did not find expected node content",
        f"  {listed}:1:1: the top level must be a mapping of sections, not a list",
        f"  {wrong}:4:5: sectors[0] (id: s): the fields 'name', 'synonyms', 'summary' are required",
        "clusters: error: 3 packs: invalid knowledge base (3 problems)",
    ]


def test_a_value_of_a_branchs_shape_is_told_what_that_branch_asks(tmp_path: Path) -> None:
    # a locator with `source` and `where` is a page's locator: a `where` that is no text says so, not
    # "needs one of: section + paragraph | source + where" (it has both); a province id with a space breaks
    # the pattern, not "expected a string or null" (it is a string)
    r = check(
        tmp_path,
        MINE.replace('locator: {source: page-a, where: "second paragraph"}', "locator: {source: page-a, where: 5}"),
    )
    assert r.exit_code == 3
    assert ".locator.where: expected a string, got 5 (integer)" in r.stderr
    assert "needs one of" not in r.stderr


def test_the_summary_counts_the_packs_the_problems_are_in(tmp_path: Path) -> None:
    one = write(tmp_path, "a: [\n", "one.yaml")
    two = write(tmp_path, "- a\n", "two.yaml")
    r = cli("--no-shipped", "--data", one, "--data", two, "list", "clusters")
    assert r.exit_code == 3
    assert r.stderr.splitlines()[-1] == "clusters: error: 2 packs: invalid knowledge base (2 problems)"


JOINING = """
meta: {title: Mine, primary_source: my-book}
sources:
  - {id: my-book, short_name: Zhang 2023, name: My book on the delta, kind: report,
     sections: [{heading: Firms, paragraphs: 3}]}
regions:
  - {id: my-delta, same_as: yrd, name: My Delta, kind: economic_region, provinces: [jiangsu], cities: [],
     locator: {section: Firms, paragraph: 1}}
companies:
  - {id: my-ymc, same_as: yangtze-microchips, name: YMC Group, sector: semiconductors,
     locator: {section: Firms, paragraph: 2}}
clusters:
  - {id: my-delta-chips, name: Delta chips, sector: semiconductors, region: my-delta, companies: [my-ymc],
     status: emerging, summary: Chips across the delta., locator: {section: Firms, paragraph: 3}}
"""


def test_a_reference_to_an_entry_that_joined_another_names_the_one_it_joined(tmp_path: Path) -> None:
    """A cluster of one's own naming one's region and firm that join the shipped ones by same_as: the pack is
    valid, so every command must work (they crashed with KeyError: 'my-delta'), the cluster stands in the
    region and with the firm it joined, their ids still find them, and the joining pack's source, a section
    and paragraph of its primary source, is among theirs (it was dropped)."""
    mine = write(tmp_path, JOINING, "mine.yaml")
    args = data_args([*PACKS, mine])
    assert cli(*args, "validate").exit_code == 0
    for command in (["province", "Jiangsu"], ["region", "yrd"], ["export", "-o", str(tmp_path / "kb.json")]):
        r = cli(*args, *command)
        assert r.exit_code == 0 and "Traceback" not in r.stderr, command
    cluster = cli(*args, "cluster", "my-delta-chips", "--json").json()["cluster"]
    assert cluster["region"]["id"] == "yrd"
    assert [c["id"] for c in cluster["companies"]] == ["yangtze-microchips"]
    firm = cli(*args, "company", "my-ymc", "--json").json()
    assert firm["company"]["id"] == "yangtze-microchips"
    assert "my-delta-chips" in [c["id"] for c in firm["clusters"]]
    assert cli(*args, "region", "my-delta", "--json").json()["region"]["id"] == "yrd"
    also = [a["text"] for a in firm["provenance"]["also"]]
    assert any(text.startswith("Zhang 2023 (report) · Firms ¶2") for text in also), also
    region = cli(*args, "region", "yrd", env={"COLUMNS": "200"}).stdout  # the table says it too
    assert "Zhang 2023" in region and "Firms ¶1" in region
    assert "Version" in cli(*args, "info", env={"COLUMNS": "200"}).stdout
    # what joined keeps its names as the other's aliases; its id finds the other but is no name of it (a
    # panel read 'Also called: YMC Group, my-ymc'); the exports keep every alias, as the packs merged hold them
    assert firm["company"]["aliases"] == ["YMC", "YMC Group"]
    region_doc = cli(*args, "region", "yrd", "--json").json()["region"]
    assert "My Delta" in region_doc["aliases"] and "my-delta" not in region_doc["aliases"]
    panel = cli(*args, "company", "yangtze-microchips", env={"COLUMNS": "120"}).stdout
    assert "│ Also called  YMC, YMC Group  " in panel and "my-ymc" not in panel
    exported = json.loads((tmp_path / "kb.json").read_text(encoding="utf-8"))
    assert next(c for c in exported["companies"] if c["id"] == "yangtze-microchips")["aliases"][-1] == "my-ymc"


def test_an_entry_joins_one_of_its_own_never_one_that_joined_another(tmp_path: Path) -> None:
    """A firm `same_as` a firm that itself joins another vanished with its facts; validate refuses it, as it
    refused it for clusters."""
    second = "  - {id: my-ymc-2, same_as: my-ymc, name: YMC Two, sector: semiconductors,\n"
    second += "     locator: {section: Firms, paragraph: 2}}\n"
    mine = write(tmp_path, JOINING.replace("clusters:\n", second + "clusters:\n"), "mine.yaml")
    r = cli(*data_args([*PACKS, mine]), "validate")
    assert r.exit_code == 3
    said = "companies[1] (id: my-ymc-2).same_as: 'my-ymc' must be an entry of its own, not one folded into another"
    assert said in r.stderr


def test_an_edited_copy_of_a_shipped_pack_is_read_in_its_place(tmp_path: Path) -> None:
    """`clusters validate data/clusters.yaml` in a clone read the file beside the installed one: 185 duplicate
    ids. A pack of one's own of a shipped pack's file name is read where the shipped one stands, in its place,
    and every run says so on stderr (here "the shipped packs" are the fixture packs, as conftest.py makes them)."""
    copy = tmp_path / "article.yaml"
    copy.write_text(
        Path(PACKS[1])
        .read_text(encoding="utf-8")
        .replace("name: Yangtze River Delta integrated circuits", "name: Yangtze River Delta chips"),
        encoding="utf-8",
    )
    env = {"CLUSTERS_NO_SHIPPED": "0", "CLUSTERS_DATA": str(copy)}
    note = (
        f"clusters: note: {copy} is read in place of the shipped pack article.yaml, whose file name and title it has\n"
    )
    r = cli("cluster", "yrd-ic", "--json", env=env)
    assert r.exit_code == 0 and r.json()["cluster"]["name"] == "Yangtze River Delta chips"
    assert r.stderr == note
    r = cli("validate", str(copy), "--json", env={"CLUSTERS_NO_SHIPPED": "0", "CLUSTERS_DATA": ""})
    assert r.exit_code == 0 and r.stderr == note
    assert r.json()["files"] == [PACKS[0], str(copy), PACKS[2]]  # where the shipped one stands
    # the shipped file itself, named again, is no stand-in; under --no-shipped nothing is replaced
    assert cli("cluster", "yrd-ic", env={"CLUSTERS_NO_SHIPPED": "0", "CLUSTERS_DATA": PACKS[1]}).stderr == ""
    r = cli("--no-shipped", "--data", PACKS[0], "--data", str(copy), "--data", PACKS[2], "cluster", "yrd-ic")
    assert r.exit_code == 0 and r.stderr == ""
    twice = cli("--data", str(copy), "--data", f"{tmp_path}/./article.yaml", "cluster", "yrd-ic", env=env)
    assert twice.exit_code == 0  # one file named two ways is one pack, not each id twice
    from clusters_cli.paths import _title

    bomb = tmp_path / "bomb.yaml"  # an anchor in the head is never expanded to read a title (a pack refuses it)
    bomb.write_text("meta:\n  title: &t Fixture article pack\n  x: *t\n", encoding="utf-8")
    assert _title(str(bomb)) is None and _title(PACKS[1]) == "Fixture article pack"
    # a pack of that file name under a title of its own is no copy: read beside, hiding nothing of the shipped
    other = tmp_path / "other" / "article.yaml"
    other.parent.mkdir()
    other.write_text(own_pack(), encoding="utf-8")
    r = cli("cluster", "yrd-ic", "--json", env={"CLUSTERS_NO_SHIPPED": "0", "CLUSTERS_DATA": str(other)})
    assert (
        r.exit_code == 0 and r.stderr == "" and r.json()["cluster"]["name"] == "Yangtze River Delta integrated circuits"
    )


MINE_ZONES = own_pack("""designations:
  - {id: my-zones, name: My zones, name_zh: 我的开发区, issuer: My ministry, issuer_zh: 我的部, members: 1,
     summary: A list of mine.,
     batches: [{batch: listed, year: 2020, members: 1, locator: {section: Only, paragraph: 1}}],
     locator: {section: Only, paragraph: 1}}
parks:
  - {id: my-zone, name: Hefei Zone, name_zh: 合肥示例区, kind: economic_development_zone, city: hefei, sectors: [],
     summary: A zone of mine., translated: true, locator: {section: Only, paragraph: 1},
     designations: [{list: my-zones, batch: listed, locator: {section: Only, paragraph: 1}}]}
""")


def test_a_park_shows_its_source_and_the_national_lists_naming_it(tmp_path: Path) -> None:
    """A park's panel had no Source line, did not say its English name is ours, and never named the national
    list of zones that holds it: Suzhou Industrial Park's designation was in the pack and nowhere in a view."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE_ZONES, encoding="utf-8")
    args = data_args([*PACKS, str(mine)])
    park = cli(*args, "park", "my-zone", "--json").json()["park"]
    assert park["translated"] is True
    assert [(d["id"], d["batch"], d["year"]) for d in park["designations"]] == [("my-zones", "listed", 2020)]
    assert park["provenance"]["text"] == "My notes (secondary) · Only ¶1"
    shown = " ".join(cli(*args, "park", "my-zone").stdout.split())
    assert "English name ours, translated from the Chinese name" in shown
    assert "Designations My zones (My ministry), listed" in shown and "Source My notes (secondary) · Only ¶1" in shown


MINE_JOINING = own_pack("""clusters:
  - {id: my-hefei-pv, name: My Hefei PV cluster, sector: photovoltaics, sectors: [socks], cities: [hefei],
     specialties: [solar modules, PV cells], status: established, summary: S, locator: {section: Only, paragraph: 1},
     same_as: anhui-pv}
""")


def test_an_entry_joining_another_brings_its_sectors_and_specialties(tmp_path: Path) -> None:
    """An entry `same_as` another brought its sources, designations and Chinese name, and its sectors and
    specialties were lost: MIIT's intelligent connected NEV cluster joined to the article's NEV one would no
    longer count as intelligent connected. They join the entry too, each once."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE_JOINING, encoding="utf-8")
    args = data_args([*PACKS, str(mine)])
    cl = cli(*args, "cluster", "anhui-pv", "--json").json()["cluster"]
    assert [s["id"] for s in cl["sectors"]] == ["photovoltaics", "socks"]
    assert cl["specialties"] == ["solar modules", "PV cells"]
    assert "anhui-pv" in [c["id"] for c in cli(*args, "sector", "socks", "--json").json()["clusters"]]


def test_a_park_of_another_pack_joins_the_park_it_names_by_same_as(tmp_path: Path) -> None:
    """A zone a national list names, whose id is a park another pack holds (Kunming's high-tech zone, the
    article's), joins it by `same_as`: the park gains its sectors, names and sources, its id finds the park, and
    the park is counted once. It was left out of its list instead."""
    mine = write(
        tmp_path,
        "meta: {title: Zones}\n"
        "sources:\n  - {id: standard, short_name: S, name: A standard, publisher: A body, kind: report}\n"
        "parks:\n  - {id: sip-listed, same_as: suzhou-industrial-park, name: Suzhou Industrial Park (listed),"
        " kind: industrial_park, city: suzhou, sectors: [photovoltaics], summary: Listed.,"
        " locator: {source: standard, where: row 7}}\n",
    )
    args = data_args([*PACKS, mine])
    park = cli(*args, "park", "sip-listed", "--json").json()
    assert park["park"]["id"] == "suzhou-industrial-park"
    assert "photovoltaics" in [s["id"] for s in park["park"]["sectors"]]
    assert "Suzhou Industrial Park (listed)" in park["park"]["aliases"] and "sip-listed" not in park["park"]["aliases"]
    assert [a["source"]["id"] for a in park["park"]["provenance"]["also"]] == ["standard"]
    before = len(cli("list", "parks", "--json").json()["rows"])
    assert len(cli(*args, "list", "parks", "--json").json()["rows"]) == before
    report = cli(*args, "validate", "--json").json()
    assert report["folded"] == 2  # anhui-pv's twin in the pages pack, and this park


def test_a_checked_pack_s_problems_are_placed_from_its_locations_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pack read without its locations (a first read, a kept parse) is read again to say where its problems
    stand: its data was made again beside the first (3.8 GB at 100 times the shipped data, for one typo). Now
    its problems are placed together from the parser's events, the data never made again: each at the line and
    column the whole parse gives, the warnings too."""
    from clusters_cli.store import yamlfile

    broken = MINE.replace("sector: photovoltaics", "sector: photovoltaicz").replace("cities: [nantong]", "cities: [x]")
    made: list[str] = []
    parse_text = yamlfile.parse_text

    def counted(path: str, *args: Any, **kwargs: Any) -> Any:
        made.append(path)
        return parse_text(path, *args, **kwargs)

    monkeypatch.setattr(yamlfile, "parse_text", counted)
    r = check(tmp_path, broken)
    mine = str(tmp_path / "mine.yaml")
    assert r.exit_code == 3 and made.count(mine) == 1, made  # parsed once: placed without a second parse
    said = [line.strip() for line in r.stderr.splitlines()[:-1]]
    assert said == [
        f"{mine}:19:13: clusters[0] (id: mine-one).sector: unknown sector 'photovoltaicz'; did you mean "
        "'photovoltaics'?",
        f"{mine}:20:13: clusters[0] (id: mine-one).cities: unknown city 'x'",
    ], said
    for path in [*PACKS, mine]:
        text = Path(path).read_text(encoding="utf-8")
        whole = yamlfile.parse_text(path, text)[1]
        assert yamlfile.locations_of(text, set(whole) | {("nope",), ("clusters", 99)}) == whole
        some = set(list(whole)[::7])
        assert yamlfile.locations_of(text, some) == {k: whole[k] for k in some}
    # a text the parser refuses part way (not one that was checked, but never a traceback): what stood before
    cut = yamlfile.locations_of("a:\n  - x: 1\n  - y: [\n", {("a",), ("a", 0, "x"), ("a", 1, "y")})
    assert cut == {("a",): (1, 1), ("a", 0, "x"): (2, 8), ("a", 1, "y"): (3, 8)}
