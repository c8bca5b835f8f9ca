"""Answers you can trust, on the shipped data: every cluster under every sector the article ties it to, the
names the data holds opening exactly what they name, and none swapped for a near one it does not hold."""

from __future__ import annotations

import functools
from typing import Any

import pytest
from helpers import cli
from shipped import SHIPPED, load

# cluster -> the sectors its paragraphs in the article name (main first); written from the article,
# paragraph by paragraph (notes/research/article_audit.yaml gives the paragraph of each)
ARTICLE_TAGS = {
    "prd-electronics": ["electronics", "smart-terminals", "communications", "ic-design"],
    "yrd-electronics": ["electronics", "smart-terminals", "semiconductors"],
    "bohai-electronics": ["electronics", "communications", "software", "home-appliances"],
    "inland-electronics": ["home-appliances", "military-electronics"],
    "anhui-electronics": ["electronics", "flat-panel-displays", "semiconductors", "photovoltaics"],
    "anhui-displays": ["flat-panel-displays"],
    "anhui-ic": ["semiconductors", "ic-design", "ic-testing"],
    "anhui-pv": ["photovoltaics"],
    "chongqing-electronics": ["electronics", "smart-terminals", "semiconductors", "instruments"],
    "chongqing-ic": ["semiconductors"],
    "chongqing-trillion-plan": ["electronics", "flat-panel-displays", "new-energy", "energy-storage", "semiconductors"],
    "smart-terminals-chongqing": ["smart-terminals"],
    "bohai-home-appliances": ["home-appliances"],
    "jjj-ic": ["semiconductors", "ic-design", "ic-manufacturing"],
    "yrd-ic": ["semiconductors", "ic-manufacturing", "ic-testing", "ic-design", "semiconductor-materials"],
    "prd-ic": ["ic-design", "semiconductors"],
    "central-west-ic": ["semiconductors", "wide-bandgap-semiconductors", "automotive-semiconductors", "memory-chips"],
    "guangdong-biopharma": ["biopharma", "biologics", "chemical-drugs", "medical-devices", "healthcare-services"],
    "shanghai-biopharma": ["biopharma"],
    "shanghai-medical-devices": ["medical-devices", "cell-gene"],
    "yunnan-biopharma": ["biopharma", "vaccines", "tcm", "functional-cosmetics"],
    "shenyang-biopharma": ["biopharma", "medical-devices"],
    "cangzhou-biopharma": ["biopharma"],
    "yrd-biopharma": ["biopharma"],
    "bohai-biopharma": ["biopharma"],
    "northeast-biopharma": ["biopharma"],
    "central-biopharma": ["biopharma"],
    "southwest-biopharma": ["biopharma"],
    "jiangsu-textiles": ["textiles", "chemical-fibres", "garments", "home-textiles", "industrial-textiles"],
    "jiangsu-chemical-fibres": ["chemical-fibres"],
    "nantong-home-textiles": ["home-textiles"],
    "keqiao-textiles": ["textiles", "garments"],
    "guangdong-textiles": ["textiles", "garments", "home-textiles"],
    "shenzhen-womenswear": ["garments"],
    "huizhou-menswear": ["garments"],
    "northeast-auto": ["automobiles"],
    "west-auto": ["automobiles"],
    "yrd-auto": ["automobiles", "nev"],
    "prd-auto": ["automobiles", "vehicle-components", "intelligent-connected-vehicles"],
    "jjj-auto": ["automobiles"],
    "central-auto": ["automobiles"],
    "jjj-nev": ["nev", "ev-drive-motors", "lithium-batteries", "vehicle-components"],
    "yrd-nev": ["nev", "vehicle-components"],
    "gba-nev": ["nev", "vehicle-components"],
    "west-triangle-nev": ["nev", "vehicle-components"],
    "east-new-energy": ["new-energy", "photovoltaics", "wind"],
    "jiangsu-zhejiang-pv": ["photovoltaics"],
    "northeast-wind": ["wind"],
    "xinjiang-renewables": ["new-energy", "photovoltaics", "wind"],
    "guangxi-offshore-wind": ["offshore-wind"],
    "qinzhou-wind-equipment": ["wind-equipment", "wind-turbine-blades"],
    "inner-mongolia-wind": ["wind", "wind-equipment"],
    "coastal-wind-equipment": ["wind-equipment"],
    "yancheng-wind": ["wind-equipment"],
    "nantong-wind": ["wind-equipment"],
    "dongying-offshore-wind": ["offshore-wind", "wind-equipment"],
    "yantai-weihai-wind": ["wind-equipment"],
    "yangjiang-shantou-wind": ["wind-equipment"],
}


@functools.lru_cache(maxsize=1)
def source_pack_tags() -> dict[str, list[str]]:
    """cluster -> sectors, for the clusters of the source packs beyond the article, read from their files
    (not through the knowledge base's rule); entries folded into another (`same_as`) excluded."""
    tags = {}
    for name in ("national_designations.yaml", "specialised_towns.yaml"):
        pack = load(SHIPPED.parent / name)
        for cl in pack["clusters"]:
            if not cl.get("same_as"):
                tags[cl["id"]] = [cl["sector"], *cl.get("sectors", [])]
    return tags


def joined_tags() -> dict[str, list[str]]:
    """cluster -> the sectors of the source packs' entries that join it by `same_as` (their tags join it too)."""
    tags: dict[str, list[str]] = {}
    for name in ("national_designations.yaml", "specialised_towns.yaml"):
        for cl in load(SHIPPED.parent / name)["clusters"]:
            if cl.get("same_as"):
                tags.setdefault(cl["same_as"], []).extend([cl["sector"], *cl.get("sectors", [])])
    return tags


def expected_clusters(kb: Any, sector: str) -> set[str]:
    family = set(kb.sector_descendants(sector))
    tags = {**ARTICLE_TAGS, **source_pack_tags()}
    for cluster, joined in joined_tags().items():
        tags[cluster] = [*tags[cluster], *joined]
    return {cluster for cluster, sectors in tags.items() if family & set(sectors)}


def test_the_table_covers_every_cluster(kb: Any) -> None:
    article = {c["id"] for c in kb.all("cluster") if kb.primary_source_of("cluster", c["id"]) == "china-briefing-2024"}
    assert set(ARTICLE_TAGS) == article
    assert {c["id"] for c in kb.all("cluster")} == article | set(source_pack_tags())


def test_every_sector_lists_every_cluster_the_article_ties_to_it(kb: Any) -> None:
    """...and, apart, the clusters whose specialties mention it: the store asks that in SQL; here it is
    read directly (one of the sector's names or synonyms, folded, stands in a specialty as whole words)."""
    from clusters_cli.store.searchtext import fold
    from clusters_cli.views.detail import sector_view  # the view `sector X --json` prints

    specialties = {c["id"]: [f" {fold(sp)} " for sp in c.get("specialties", [])] for c in kb.all("cluster")}
    mentioned = 0
    for sector in kb.all("sector"):
        doc = sector_view(kb, sector["id"])
        tagged = expected_clusters(kb, sector["id"])
        assert {c["id"] for c in doc["clusters"]} == tagged, sector["id"]
        family = kb.many("sector", kb.sector_descendants(sector["id"]))
        terms = {f" {fold(t)} " for e in family for t in [e["name"], *e.get("synonyms", [])]} - {"  "}
        plain = {c for c, sps in specialties.items() if c not in tagged and any(t in sp for sp in sps for t in terms)}
        shown = [c["id"] for c in doc["specialty_clusters"]]
        assert len(shown) == len(plain) and set(shown) == plain, sector["id"]
        mentioned += len(plain)
    assert mentioned > 20  # the question has answers in the shipped data, so the comparison means something
    assert {c["id"] for c in cli("sector", "wind", "--json").json()["clusters"]} == expected_clusters(kb, "wind")


@pytest.mark.parametrize("sector", ["home-appliances", "medical-devices", "nev", "wind", "semiconductors"])
def test_list_map_compare_and_stats_use_the_same_rule(kb: Any, sector: str) -> None:
    expected = expected_clusters(kb, sector)
    listed = {r["id"] for r in cli("list", "clusters", "--sector", sector, "--json").json()["rows"]}
    assert listed == expected
    tiles = cli("map", sector, "--json").json()["tiles"]
    on_map = {c for t in tiles for c in t["cluster_ids"]}
    placed = {c for c in expected if kb.cluster_provinces(c)}
    assert on_map == placed
    compared = cli("compare", "--sector", sector, "--sector", "textiles", "--json").json()["items"][0]
    assert {c["id"] for c in compared["clusters"]} == expected


def test_the_issue_examples() -> None:
    def ids(sector: str) -> set[str]:
        return {c["id"] for c in cli("sector", sector, "--json").json()["clusters"]}

    assert "inland-electronics" in ids("home appliances")  # Chengdu, Xi'an, Wuhan
    assert {"guangdong-biopharma", "shenyang-biopharma"} <= ids("medical devices")
    assert "yrd-auto" in ids("EV")


# queries that must never open a different entity: real places and sectors the data does not hold,
# and typos of ones it does that are closer to something else
NEAR_MISSES = [
    ("city", "Liangjiang"),  # a new area (a park), not the city Yangjiang
    ("city", "Datang"),  # a town
    ("city", "Zhili"),  # a town in Huzhou
    ("city", "Songxia"),  # a town
    ("city", "Baigou"),  # a town
    ("city", "Dongan"),  # a county
    ("city", "Taipei"),  # outside the knowledge base
    ("city", "Kaohsiung"),
    ("province", "Taiwan"),
    ("province", "Hunnan"),
    ("sector", "steel"),
    ("region", "Pearl Delta East"),
]


@pytest.mark.parametrize(("kind", "query"), NEAR_MISSES)
def test_near_misses_are_never_swapped_for_another_entity(kind: str, query: str) -> None:
    r = cli(kind, query, "--json")
    assert r.exit_code == 1, r.stdout[:200]
    assert r.stdout == "" and ("No " in r.stderr or "ambiguous" in r.stderr)


# the places and sectors the source packs added: once held, each opens exactly the one it names
NOW_HELD = [
    ("city", "Dehua", "dehua"),  # 德化, a county of Quanzhou; not Dehui
    ("city", "Shunde", "shunde"),
    ("city", "Chenghai", "chenghai"),
    ("city", "Qinghe", "qinghe"),
    ("city", "Anping", "anping"),
    ("city", "Cao County", "caoxian"),
    ("city", "Yunhe", "yunhe"),
    ("city", "云和县", "yunhe"),
    ("sector", "toys", "toys"),
    ("sector", "chemicals", "chemicals"),
    ("sector", "shipbuilding", "marine-equipment"),
    ("sector", "aviation", "aerospace"),
    ("sector", "robots", "intelligent-equipment"),
    ("sector", "socks", "socks"),
    ("sector", "furniture", "furniture"),
    ("sector", "ceramics", "ceramics"),
]


@pytest.mark.parametrize(("kind", "query", "expected"), NOW_HELD)
def test_places_and_sectors_the_source_packs_hold_open_exactly(kind: str, query: str, expected: str) -> None:
    doc = cli(kind, query, "--json").json()
    assert doc["resolved"]["id"] == expected and doc["resolved"]["matched_by"] != "fuzzy"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("华北", "north-china"),
        ("Northwest", "northwest-china"),
        ("xibei", "northwest-china"),
        ("华中", "central-china"),
    ],
)
def test_regions_people_name(query: str, expected: str) -> None:
    doc = cli("region", query, "--json").json()
    assert doc["region"]["id"] == expected and doc["region"]["kind"] == "geographic_region"
    assert cli("region", "East China", "--json").json()["region"]["id"] == "east-china"  # never the NBS East


def test_every_entry_has_a_locator_and_views_show_it(kb: Any) -> None:
    for kind in ("cluster", "company", "park", "statistic"):
        for entry in kb.all(kind):
            assert entry.get("locator"), (kind, entry["id"])
    doc = cli("cluster", "yrd-nev", "--json").json()
    assert doc["cluster"]["provenance"]["locator"] == {"section": "Electric vehicles", "paragraph": 2}
    assert "China Briefing (2024) (article) · Electric vehicles ¶2" in cli("cluster", "yrd-nev").stdout


def test_info_and_list_sources_show_the_article() -> None:
    info = cli("info", "--json").json()
    article = next(s for s in info["sources"] if s["id"] == "china-briefing-2024")
    assert article["publisher"].startswith("China Briefing") and article["published"] is None
