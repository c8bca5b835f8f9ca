"""One rule of region membership (membership.RegionIndex) behind every answer: a region its defining document gives
members for contains its member cities, their counties and districts, and a province all of whose
prefecture-level cities are members; it does not contain the rest of a province it only touches. A city's
regions, the figures a region holds and the clusters it counts all follow the rule."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import PACKS, cli, env_of, write

from clusters_cli.membership import RegionIndex

GULF = """
meta: {title: a region of members}
sources:
  - {id: outline, short_name: "Outline", name: "A gulf outline", publisher: "A council", kind: government}
regions:
  - id: gulf
    name: Gulf city cluster
    name_zh: 湾区示例城市群
    kind: economic_region
    summary: Its members as the outline defines them.
    provinces: [guangdong, guangxi]
    cities: []
    members: [shenzhen, nanning]
    locator: {source: outline, where: "chapter 1"}
statistics:
  - id: guangzhou-figure
    metric: firms in Guangzhou
    value: 10
    unit: enterprises
    qualifier: exact
    year: 2024
    year_basis: stated
    status: actual
    city: guangzhou
    source: outline
    locator: {source: outline, where: "table 1"}
  - id: guangxi-figure
    metric: firms in Guangxi
    value: 20
    unit: enterprises
    qualifier: exact
    year: 2024
    year_basis: stated
    status: actual
    province: guangxi
    source: outline
    locator: {source: outline, where: "table 2"}
"""


def env(tmp_path: Path) -> dict[str, str]:
    return env_of([*PACKS, write(tmp_path, GULF, "gulf.yaml")])


def ids(rows: list[dict[str, object]]) -> list[object]:
    return [r["id"] for r in rows]


def test_a_city_lies_in_a_region_of_members_only_as_a_member_or_inside_one(tmp_path: Path) -> None:
    e = env(tmp_path)
    assert ids(cli("city", "Guangzhou", "--json", env=e).json()["regions"]) == ["prd", "east"]
    assert ids(cli("city", "Shenzhen", "--json", env=e).json()["regions"]) == ["prd", "east", "gulf"]
    # a district of a member prefecture
    assert ids(cli("city", "Nanshan", "--json", env=e).json()["regions"]) == ["prd", "east", "gulf"]
    # Guangxi's one prefecture-level city is a member: the province is held whole
    assert ids(cli("city", "Nanning", "--json", env=e).json()["regions"]) == ["gulf"]


def test_a_region_holds_the_figures_and_clusters_of_what_it_contains(tmp_path: Path) -> None:
    e = env(tmp_path)
    doc = cli("region", "gulf", "--json", env=e).json()
    # Guangzhou's figure is not the gulf's; Guangxi's (a province held whole) and Nanshan's are
    assert ids(doc["statistics"]) == ["nanshan-chip-exports-2023", "guangxi-figure"]
    # the PRD's electronics lie in Shenzhen, a member, and in Guangzhou, not one: partly in the gulf, counted
    assert ids(doc["clusters"]) == ["prd-electronics", "nanshan-chip-design"]
    prd = cli("region", "PRD", "--json", env=e).json()
    assert "guangzhou-figure" in ids(prd["statistics"])


def test_a_region_counts_a_cluster_lying_partly_in_it_as_each_place_of_it_does(tmp_path: Path) -> None:
    """A cluster reaching beyond a region is counted in it, as a province counts a cluster that lies partly in
    it: a region holding a province never counts fewer of a sector's clusters than the province (the macro-region
    East counted none of the YRD's IC cluster, which Shanghai and Jiangsu each counted, because its Hefei lies
    outside). A cluster placed in a province without a city of it counts only where the province is held whole."""
    e = env(tmp_path)
    east = ids(cli("region", "East", "--json", env=e).json()["clusters"])
    assert "yrd-ic" in east  # Shanghai and the Suzhou park are in the East, Hefei is not
    assert "yrd-ic" in ids(cli("province", "Jiangsu", "--json", env=e).json()["clusters"])
    assert "anhui-electronics" not in east  # Anhui alone, outside it
    rows = {r["id"]: r for r in cli("rank", "regions", "--sector", "semiconductors", "--json", env=e).json()["rows"]}
    provinces = cli("rank", "provinces", "--sector", "semiconductors", "--json", env=e).json()["rows"]
    for province in provinces:  # the East holds these provinces whole
        if province["id"] in ("beijing", "shanghai", "jiangsu", "zhejiang", "guangdong"):
            assert set(province["cluster_ids"]) <= set(rows["east"]["cluster_ids"]), province["id"]
    # every region counts every cluster of every city it holds
    for region in cli("list", "regions", "--json", env=e).json()["rows"]:
        held = set(ids(cli("region", region["id"], "--json", env=e).json()["clusters"]))
        for city in cli("list", "cities", "--region", region["id"], "--json", "--limit", "1000", env=e).json()["rows"]:
            assert set(ids(cli("city", city["id"], "--json", env=e).json()["clusters"])) <= held, (region, city)


def test_a_cluster_is_in_each_region_holding_a_city_of_it_or_a_province_it_names_without_one() -> None:
    from clusters_cli.store.rules import cluster_regions

    lk: dict[str, dict[str, dict[str, object]]] = {
        "region": {
            "r": {"id": "r", "provinces": ["p", "q"], "cities": [], "members": ["a"]},  # a of p, not b of q
            "m": {"id": "m", "provinces": ["q"], "cities": []},  # q whole
        },
        "city": {
            "a": {"id": "a", "province": "p", "level": "prefecture"},
            "x": {"id": "x", "province": "p", "level": "prefecture"},
            "b": {"id": "b", "province": "q", "level": "prefecture"},
        },
        "park": {},
    }

    def regions(**cluster: object) -> list[str]:
        return cluster_regions(lk, {"id": "c", **cluster})  # type: ignore[arg-type]

    assert regions(cities=["a", "b"]) == ["m", "r"]  # each part where it lies
    assert regions(cities=["x", "b"]) == ["m"]  # x is no member of r
    assert regions(provinces=["p"]) == []  # where in p is not said: r holds only a of it
    assert regions(provinces=["q"]) == ["m"]
    assert regions(provinces=["p", "q"], cities=["x"]) == ["m"]  # q without a city of it, p with one
    assert regions(provinces=["q"], region="r") == ["m", "r"]  # the region it is attributed to


def test_region_index_directly() -> None:
    lk = {
        "region": {
            "r": {"id": "r", "provinces": ["p", "q"], "cities": ["x"], "members": ["a"]},
            "m": {"id": "m", "provinces": ["p"], "cities": ["x"]},
        },
        "city": {
            "a": {"id": "a", "province": "p", "level": "prefecture"},
            "a1": {"id": "a1", "province": "p", "level": "county", "prefecture": "a"},
            "x": {"id": "x", "province": "p", "level": "prefecture"},
            "b": {"id": "b", "province": "q", "level": "prefecture"},
        },
    }
    index = RegionIndex(lk)
    # a mentioned city (x) is not a member; q's only prefecture is not a member either
    assert (index.of_city("a"), index.of_city("a1"), index.of_city("x"), index.of_city("b")) == (
        {"r", "m"},
        {"r", "m"},
        {"m"},
        set(),
    )
    assert (index.of_province("p"), index.of_province("q"), index.touching["q"]) == ({"m"}, set(), {"r"})
    assert index.sorted({"m", "r"}) == ["r", "m"]


def test_list_filters_by_region_follow_the_same_rule(tmp_path: Path) -> None:
    e = env(tmp_path)
    cities = cli("list", "cities", "--region", "gulf", "--json", env=e).json()["rows"]
    assert ids(cities) == ["shenzhen", "nanshan", "nanning"]  # not Guangzhou, though the outline lists Guangdong
    provinces = cli("list", "provinces", "--region", "gulf", "--json", env=e).json()["rows"]
    assert ids(provinces) == ["guangdong", "guangxi"]  # a province is in the regions naming it, wholly or partly
    assert ids(cli("list", "parks", "--region", "gulf", "--json", env=e).json()["rows"]) == []
    # rank counts a region's parks by the same rule: the park in Suzhou counts for the YRD, none for the gulf
    rows = {r["id"]: r for r in cli("rank", "regions", "--sector", "semiconductors", "--json", env=e).json()["rows"]}
    assert (rows["yrd"]["parks"], rows.get("gulf", {}).get("parks", 0)) == (1, 0)


def test_which_places_hold_which_cities_is_one_rule_read_both_ways(kb: Any) -> None:
    """kinds.places: cities_within (a place's cities, whose firms its view lists) and places_of_city (the places
    holding a city, in each of which `rank` counts the firms and parks there) are one rule read two ways: for
    provinces, regions and cities, each gives the same pairs of place and city."""
    from clusters_cli.kinds.places import cities_within, places_of_city

    cities = kb.all("city")
    pairs = {}
    for kind in ("province", "region", "city"):
        pairs[kind] = {(p["id"], c) for p in kb.all(kind) for c in cities_within(kb, kind, p["id"])}
        assert pairs[kind] == {(p, c["id"]) for c in cities for p in places_of_city(kb, kind, c)}, kind
    # a county city in its province, in a region holding its prefecture, and in that prefecture as in itself
    assert ("jiangsu", "kunshan") in pairs["province"] and ("yrd", "kunshan") in pairs["region"]
    assert {("suzhou", "kunshan"), ("kunshan", "kunshan"), ("suzhou", "suzhou")} <= pairs["city"]
    assert ("kunshan", "suzhou") not in pairs["city"] and ("anhui", "kunshan") not in pairs["province"]
