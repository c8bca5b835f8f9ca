"""Regions with their members, as the documents that define them state them (data/regions.yaml)."""

from __future__ import annotations

from helpers import cli


def test_jing_jin_ji_has_its_13_cities_and_its_document() -> None:
    doc = cli("region", "Jing-Jin-Ji", "--json").json()
    assert len(doc["members"]) == 13 and {"beijing", "tianjin", "shijiazhuang", "handan"} <= {
        c["id"] for c in doc["members"]
    }
    assert doc["document"].startswith("京津冀协同发展规划纲要") and doc["provenance"]["source"]["id"]


def test_the_yangtze_river_delta_has_41_members_and_27_central() -> None:
    doc = cli("region", "YRD", "--json").json()
    assert (len(doc["members"]), len(doc["central_members"])) == (41, 27)
    assert {c["id"] for c in doc["central_members"]} <= {c["id"] for c in doc["members"]}
    assert "ningbo" in {c["id"] for c in doc["members"]}
    assert "ningbo" not in {c["id"] for c in doc["cities"]}  # a member the article does not mention


def test_chengdu_chongqing_resolves_and_says_what_is_held() -> None:
    doc = cli("region", "成渝", "--json").json()
    assert doc["region"]["id"] == "chengyu" and {"chengdu", "deyang"} <= {c["id"] for c in doc["members"]}
    assert "part of them" in doc["region"]["summary"]  # the pages found name only part of the outline's list


def test_a_region_of_members_counts_only_what_lies_in_them() -> None:
    prd = {c["id"] for c in cli("region", "PRD", "--json").json()["clusters"]}
    assert "guangdong-textiles" not in prd  # placed in Guangdong, not in the PRD's 9 cities
    assert {"shenzhen-womenswear", "humen-clothing", "xintang-jeans"} <= prd  # in member cities and their districts
    assert cli("region", "PRD", "--json").json()["members"][0]["id"] in {"guangzhou", "shenzhen"}
