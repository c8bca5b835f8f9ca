"""Resolution through the real CLI: every kind forgives typos, case, Chinese,
abbreviations, spaced pinyin, aliases and synonyms, and never guesses a tie."""

from __future__ import annotations

import pytest
from helpers import cli

RESOLVES = [
    # kind, query, expected id, matched_by
    ("province", "Anhui", "anhui", "name"),
    ("province", "ANHUI", "anhui", "name"),
    ("province", "Guangdnog", "guangdong", "fuzzy"),
    ("province", "广东", "guangdong", "Chinese name"),
    ("province", "广东省", "guangdong", "Chinese name"),
    ("province", "粤", "guangdong", "abbreviation"),
    ("province", "皖", "anhui", "abbreviation"),
    ("province", "滇", "yunnan", "abbreviation"),
    ("province", "guang dong", "guangdong", "name"),
    ("province", "Guǎngdōng", "guangdong", "pinyin with tones"),
    ("province", "he", "hebei", "ISO 3166-2 code"),
    ("province", "CN-AH", "anhui", "ISO 3166-2 code"),
    ("province", "34", "anhui", "code"),
    ("province", "340000", "anhui", "code"),
    ("city", "350200", "xiamen", "code"),
    ("city", "Sùzhōu", "suzhou-ah", "pinyin with tones"),
    ("city", "宿州", "suzhou-ah", "Chinese name"),
    ("city", "Kunshan", "kunshan", "name"),
    ("province", "nei menggu", "inner-mongolia", "pinyin"),
    ("province", "内蒙古", "inner-mongolia", "Chinese name"),
    ("province", "Xizang", "tibet", "alias"),
    ("province", "Shaanxi", "shaanxi", "name"),
    ("province", "Shanxi", "shanxi", "name"),
    ("province", "Macau", "macao", "alias"),
    ("province", "ＡＮＨＵＩ", "anhui", "name"),  # full-width letters
    ("province", "  anhui  ", "anhui", "name"),
    ("province", "Sichaun", "sichuan", "fuzzy"),
    ("province", "Heilong", "heilongjiang", "prefix"),
    ("city", "Nantong", "nantong", "name"),
    ("city", "南通", "nantong", "Chinese name"),
    ("city", "南通市", "nantong", "Chinese name"),
    ("city", "Xi'an", "xian", "name"),
    ("city", "xian", "xian", "name"),
    ("city", "Xī'ān", "xian", "pinyin with tones"),
    ("city", "Yangjaing", "yangjiang", "fuzzy"),
    ("city", "Canton", "guangzhou", "alias"),
    ("city", "wu lu mu qi", "urumqi", "alias"),
    ("city", "Ürümqi", "urumqi", "name"),
    ("region", "YRD", "yrd", "alias"),
    ("region", "prd", "prd", "alias"),
    ("region", "GBA", "gba", "alias"),
    ("region", "Jing-Jin-Ji", "jjj", "alias"),
    ("region", "jingjinji", "jjj", "alias"),
    ("region", "京津冀", "jjj", "Chinese name"),
    ("region", "长三角", "yrd", "alias"),
    ("region", "Pearl River Delta", "prd", "name"),
    ("region", "Yangtze Rivr Delta", "yrd", "fuzzy"),
    ("region", "West Triangle", "west-triangle", "alias"),
    ("sector", "semiconductors", "semiconductors", "id"),
    ("sector", "chips", "semiconductors", "synonym"),
    ("sector", "IC", "semiconductors", "synonym"),
    ("sector", "NEV", "nev", "synonym"),
    ("sector", "EV", "nev", "synonym"),
    ("sector", "pharma", "biopharma", "synonym"),
    ("sector", "solar", "photovoltaics", "synonym"),
    ("sector", "PV", "photovoltaics", "synonym"),
    ("sector", "semiconducters", "semiconductors", "fuzzy"),
    ("sector", "光伏", "photovoltaics", "Chinese name"),
    ("sector", "offshore wind", "offshore-wind", "name"),
    ("company", "byd", "byd", "name"),
    ("company", "Hynix", "sk-hynix", "alias"),
    ("company", "比亚迪", "byd", "Chinese name"),
    ("company", "Gealy", "geely", "fuzzy"),
    ("park", "Zhangjiang", "zhangjiang-science-city", "alias"),
    ("park", "张江科学城", "zhangjiang-science-city", "Chinese name"),
    ("park", "Liangjiang", "liangjiang-new-area", "alias"),
    ("park", "Biotech Island", "guangzhou-biotech-island", "alias"),
    ("cluster", "yrd-nev", "yrd-nev", "id"),
]


@pytest.mark.parametrize(("kind", "query", "expected", "how"), RESOLVES)
def test_resolves(kind: str, query: str, expected: str, how: str) -> None:
    r = cli(kind, query, "--json")
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    assert doc[kind]["id"] == expected
    assert doc["resolved"]["id"] == expected
    assert doc["resolved"]["matched_by"] == how
    # a fuzzy answer is said on stderr too, where a script's log sees it; an exact one says nothing
    assert r.stderr == (
        ""
        if how != "fuzzy"
        else f"Showing {doc['resolved']['name']}: the closest name to '{query}' (score {doc['resolved']['score']:g})\n"
    )


AMBIGUOUS = [
    ("province", "guang", ["Guangdong", "Guangxi"]),
    ("province", "广", ["Guangdong", "Guangxi"]),
    ("province", "hu", ["Hubei", "Hunan"]),
    ("province", "shan", ["Shandong", "Shanghai", "Shanxi", "Shaanxi"]),
    ("city", "Zhong", ["Zhongshan", "Zhongwei", "Zhongxiang"]),
    ("sector", "home", ["Home appliances", "Home textiles"]),
]


@pytest.mark.parametrize(("kind", "query", "candidates"), AMBIGUOUS)
def test_ambiguous_queries_exit_1_listing_candidates(kind: str, query: str, candidates: list[str]) -> None:
    r = cli(kind, query)
    assert r.exit_code == 1
    assert r.stdout == ""
    assert "ambiguous" in r.stderr
    for name in candidates:
        assert name in r.stderr


def test_fuzzy_tie_is_ambiguous_not_a_guess() -> None:
    # "Hnan" is one letter short of both Hunan and Henan
    r = cli("province", "Hnan")
    assert r.exit_code == 1
    assert "Hunan" in r.stderr and "Henan" in r.stderr


UNKNOWN = [
    ("province", "Atlantis", []),
    ("province", "Anhuiiiii", ["Anhui"]),
    ("sector", "quantum computing", []),
    ("city", "Xyzzy", []),
]


@pytest.mark.parametrize(("kind", "query", "suggested"), UNKNOWN)
def test_unknown_queries_exit_1_with_suggestions(kind: str, query: str, suggested: list[str]) -> None:
    r = cli(kind, query)
    assert r.exit_code == 1
    assert r.stdout == ""
    assert f"No {kind} matches '{query}'" in r.stderr
    for name in suggested:
        assert "Did you mean" in r.stderr and name in r.stderr


def test_wrong_kind_points_to_the_right_command() -> None:
    r = cli("province", "Shenzhen")
    assert r.exit_code == 1
    assert "the city Shenzhen (clusters city shenzhen)" in r.stderr


def test_echoed_query_is_stripped_of_control_characters() -> None:
    r = cli("province", "\x1b[31mEvil\x07")
    assert r.exit_code == 1
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr
    assert "'Evil'" in r.stderr
