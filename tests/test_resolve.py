"""Resolution through the real CLI, on the fixture packs: every kind forgives typos, case, Chinese,
abbreviations, spaced pinyin, aliases and synonyms, says which stage matched, and never guesses a tie."""

from __future__ import annotations

import pytest
from helpers import cli

RESOLVES = [
    # kind, query, expected id, matched_by
    ("province", "Anhui", "anhui", "name"),
    ("province", "ANHUI", "anhui", "name"),
    ("province", "Guangdnog", "guangdong", "fuzzy"),
    ("province", "Zhejaing", "zhejiang", "fuzzy"),  # a transposition is one edit
    ("province", "广东", "guangdong", "Chinese name"),
    ("province", "广东省", "guangdong", "Chinese name"),
    ("province", "广西", "guangxi", "Chinese name"),  # 广西壮族自治区 without its suffix
    ("province", "粤", "guangdong", "abbreviation"),
    ("province", "皖", "anhui", "abbreviation"),
    ("province", "guang dong", "guangdong", "name"),
    ("province", "Guǎngdōng", "guangdong", "pinyin with tones"),
    ("province", "js", "jiangsu", "ISO 3166-2 code"),
    ("province", "CN-AH", "anhui", "ISO 3166-2 code"),
    ("province", "34", "anhui", "code"),
    ("province", "340000", "anhui", "code"),
    ("province", "Kwangsi", "guangxi", "alias"),
    ("province", "Guangxi Zhuang Autonomous Region", "guangxi", "official name"),
    ("province", "ＡＮＨＵＩ", "anhui", "name"),  # full-width letters
    ("province", "  anhui  ", "anhui", "name"),
    ("province", "Guangd", "guangdong", "prefix"),
    ("city", "320583", "kunshan", "code"),
    ("city", "Sùzhōu", "suzhou-ah", "pinyin with tones"),  # 宿州: the tones tell the homonyms apart
    ("city", "Sūzhōu", "suzhou", "pinyin with tones"),  # 苏州
    ("city", "宿州", "suzhou-ah", "Chinese name"),
    ("city", "Kunshan", "kunshan", "name"),
    ("city", "Nantong", "nantong", "name"),
    ("city", "南通", "nantong", "Chinese name"),
    ("city", "南通市", "nantong", "Chinese name"),
    ("city", "肥西", "feixi", "Chinese name"),
    ("city", "Lu'an", "luan", "name"),
    ("city", "luan", "luan", "name"),
    ("city", "Lù'ān", "luan", "pinyin with tones"),
    ("city", "Nantnog", "nantong", "fuzzy"),
    ("city", "Canton", "guangzhou", "alias"),
    ("city", "Peking", "beijing", "alias"),
    ("city", "nan jing", "nanjing", "name"),
    ("region", "YRD", "yrd", "alias"),
    ("region", "prd", "prd", "alias"),
    ("region", "长三角", "yrd", "alias"),
    ("region", "长江三角洲", "yrd", "Chinese name"),
    ("region", "Pearl River Delta", "prd", "name"),
    ("region", "Yangtze Rivr Delta", "yrd", "fuzzy"),
    ("region", "East", "east", "alias"),
    ("sector", "Semiconductors", "semiconductors", "name"),
    ("sector", "chips", "semiconductors", "synonym"),
    ("sector", "IC", "semiconductors", "synonym"),
    ("sector", "NEV", "nev", "synonym"),
    ("sector", "EV", "nev", "synonym"),
    ("sector", "solar", "photovoltaics", "synonym"),
    ("sector", "PV", "photovoltaics", "synonym"),
    ("sector", "semiconducters", "semiconductors", "fuzzy"),
    ("sector", "光伏", "photovoltaics", "Chinese name"),
    ("sector", "芯片", "semiconductors", "synonym"),
    ("sector", "wind power", "wind", "synonym"),
    ("sector", "Fēngdiàn", "wind", "pinyin with tones"),
    ("sector", "guangfu", "photovoltaics", "pinyin"),
    ("sector", "hosiery", "socks", "synonym"),  # a sector of the pages pack
    ("company", "Pearl Motors", "pearl-motors", "name"),
    ("company", "YMC", "yangtze-microchips", "alias"),
    ("company", "长江微芯", "yangtze-microchips", "Chinese name"),
    ("company", "Yangtze Microchip", "yangtze-microchips", "prefix"),
    ("company", "Huaihe Solr", "huaihe-solar", "fuzzy"),
    ("park", "SIP", "suzhou-industrial-park", "alias"),
    ("park", "苏州工业园区", "suzhou-industrial-park", "Chinese name"),
    ("park", "Suzhou Industrial Park", "suzhou-industrial-park", "name"),
    ("cluster", "yrd-nev", "yrd-nev", "id"),
    ("cluster", "hefei-photovoltaics", "anhui-pv", "alias"),  # the id of an entry folded into anhui-pv
    ("designation", "先进示例集群", "fixture-advanced-clusters", "Chinese name"),
    ("designation", "Fixture town clusters", "fixture-town-clusters", "name"),
]


@pytest.mark.parametrize(("kind", "query", "expected", "how"), RESOLVES)
def test_resolves(kind: str, query: str, expected: str, how: str) -> None:
    r = cli(kind, query, "--json")
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    assert doc[kind]["id"] == expected
    assert (doc["resolved"]["id"], doc["resolved"]["matched_by"]) == (expected, how)
    assert doc["resolved"]["query"] == query.strip() or doc["resolved"]["query"] == query
    # a fuzzy answer is said on stderr too, where a script's log sees it; an exact one says nothing
    expected_stderr = ""
    if how == "fuzzy":
        assert doc["resolved"]["score"] < 100
        expected_stderr = (
            f"Showing {doc['resolved']['name']}: the closest name to '{query}' (score {doc['resolved']['score']:g})\n"
        )
    else:
        assert doc["resolved"]["score"] == 100
    if doc["resolved"]["also"]:
        expected_stderr = r.stderr  # a homonym's note (tested in test_divisions.py)
    assert r.stderr == expected_stderr


def test_fuzzy_scores_are_exact() -> None:
    assert cli("province", "Zhejaing", "--json").json()["resolved"]["score"] == 87.5
    assert cli("city", "Nantnog", "--json").json()["resolved"]["score"] == 85.7


AMBIGUOUS = [
    ("province", "guang", "the province Guangdong (广东省), Guangxi (广西壮族自治区)"),  # a prefix of two
    ("province", "广", "the province Guangdong (广东省), Guangxi (广西壮族自治区)"),
    ("province", "Hnan", "the province Henan (河南省), Hunan (湖南省)"),  # one letter short of both: a fuzzy tie
    ("city", "Taizhou", "the city Taizhou (泰州市, Jiangsu), Taizhou (台州市, Zhejiang)"),  # the policy cannot decide
    (
        "city",
        "nan",
        "the city Nanjing (南京市, Jiangsu), Nanning (南宁市, Guangxi), Nanshan (南山区, Guangdong), "
        "Nantong (南通市, Jiangsu)",
    ),
]


@pytest.mark.parametrize(("kind", "query", "candidates"), AMBIGUOUS)
def test_ambiguous_queries_exit_1_listing_candidates(kind: str, query: str, candidates: str) -> None:
    r = cli(kind, query)
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == f"clusters: error: '{query}' is ambiguous: it could be {candidates}. Be more specific.\n"


UNKNOWN = [
    ("province", "Atlantis", ""),
    ("province", "Taiwan", ""),
    ("province", "Anhuiiiii", " Did you mean: Anhui (安徽省)?"),
    ("sector", "quantum computing", ""),
    ("city", "Xyzzy", ""),
    # good pinyin may name a place the knowledge base does not hold: never swapped for a near one
    (
        "city",
        "Hangzou",
        " Did you mean: Hangzhou (杭州市, Zhejiang), Guangzhou (广州市, Guangdong), Zhengzhou (郑州市, Henan), "
        "Taizhou (泰州市, Jiangsu), Taizhou (台州市, Zhejiang)?",
    ),
]


@pytest.mark.parametrize(("kind", "query", "suggested"), UNKNOWN)
def test_unknown_queries_exit_1_with_suggestions(kind: str, query: str, suggested: str) -> None:
    r = cli(kind, query)
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == f"clusters: error: No {kind} matches '{query}'.{suggested} `clusters search` looks everywhere.\n"


@pytest.mark.parametrize(
    ("kind", "query", "pointer"),
    [
        ("province", "Shenzhen", "the city Shenzhen (clusters city shenzhen), Henan (河南省)"),
        ("city", "SIP", "the park Suzhou Industrial Park (clusters park suzhou-industrial-park)"),
    ],
)
def test_wrong_kind_points_to_the_right_command(kind: str, query: str, pointer: str) -> None:
    r = cli(kind, query)
    assert r.exit_code == 1
    said = f"No {kind} matches '{query}'. Did you mean: {pointer}?"
    assert r.stderr == f"clusters: error: {said} `clusters search` looks everywhere.\n"


def test_echoed_query_is_stripped_of_control_characters() -> None:
    r = cli("province", "\x1b[31mEvil\x07")
    assert r.exit_code == 1
    assert r.stderr == "clusters: error: No province matches 'Evil'. `clusters search` looks everywhere.\n"
