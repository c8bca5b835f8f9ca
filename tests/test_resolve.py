"""Resolution through the real CLI, on the fixture packs: every kind forgives typing slips, case, Chinese
(traditional characters too), abbreviations, spaced pinyin, aliases and synonyms, says which stage matched,
announces every guess, and never guesses a tie or reads a word as another (README, "How queries are
matched"). The tables over real place names are audits: tests/audits/test_resolution_policy.py."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from helpers import PACKS, cli, data_args, own_pack, write

RESOLVES = [
    # kind, query, expected id, matched_by
    ("province", "Anhui", "anhui", "name"),
    ("province", "ANHUI", "anhui", "name"),
    ("province", "Guangdnog", "guangdong", "slip"),
    ("province", "Zhejaing", "zhejiang", "slip"),  # two letters swapped
    ("province", "Anuhi", "anhui", "slip"),  # two letters swapped
    ("province", "廣東", "guangdong", "Chinese name"),  # traditional characters folded to simplified
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
    ("city", "320583", "kunshan", "code"),
    ("city", "Sùzhōu", "suzhou-ah", "pinyin with tones"),  # 宿州: the tones tell the homonyms apart
    ("city", "Sūzhōu", "suzhou", "pinyin with tones"),  # 苏州
    ("city", "Sùzhou", "suzhou-ah", "name"),  # one tone typed, 宿州's: never 苏州 (Sūzhōu), whom the name prefers
    ("city", "Sūzhou", "suzhou", "name"),
    ("city", "宿州", "suzhou-ah", "Chinese name"),
    ("city", "Kunshan", "kunshan", "name"),
    ("city", "Hefei City", "hefei", "name"),  # a word for its kind, apart: the name
    ("city", "Hēfei", "hefei", "name"),  # a tone wrong on a name one place holds: still that place
    ("city", "kunshan shi", "kunshan", "name"),
    ("province", "Anhui Sheng", "anhui", "name"),
    ("city", "Nantong", "nantong", "name"),
    ("city", "南通", "nantong", "Chinese name"),
    ("city", "南通市", "nantong", "Chinese name"),
    ("city", "肥西", "feixi", "Chinese name"),
    ("city", "Lu'an", "luan", "name"),
    ("city", "luan", "luan", "name"),
    ("city", "Lù'ān", "luan", "pinyin with tones"),
    ("city", "Nantnog", "nantong", "slip"),
    ("city", "Guangzou", "guangzhou", "slip"),  # an h left out after z
    ("city", "蘇州", "suzhou", "Chinese name"),
    ("city", "Canton", "guangzhou", "alias"),
    ("city", "Peking", "beijing", "alias"),
    ("city", "nan jing", "nanjing", "name"),
    ("region", "YRD", "yrd", "alias"),
    ("region", "prd", "prd", "alias"),
    ("region", "长三角", "yrd", "alias"),
    ("region", "长江三角洲", "yrd", "Chinese name"),
    ("region", "Pearl River Delta", "prd", "name"),
    ("region", "Yangtze Rivr Delta", "yrd", "slip"),
    ("region", "East", "east", "alias"),
    ("sector", "Semiconductors", "semiconductors", "name"),
    ("sector", "chips", "semiconductors", "synonym"),
    ("sector", "IC", "semiconductors", "synonym"),
    ("sector", "NEV", "nev", "synonym"),
    ("sector", "EV", "nev", "synonym"),
    ("sector", "solar", "photovoltaics", "synonym"),
    ("sector", "PV", "photovoltaics", "synonym"),
    ("sector", "semiconducters", "semiconductors", "slip"),
    ("sector", "風電", "wind", "Chinese name"),  # traditional characters folded to simplified
    ("sector", "光伏", "photovoltaics", "Chinese name"),
    ("sector", "芯片", "semiconductors", "synonym"),
    ("sector", "wind power", "wind", "synonym"),
    ("sector", "Fēngdiàn", "wind", "pinyin with tones"),
    ("sector", "guangfu", "photovoltaics", "pinyin"),
    ("sector", "hosiery", "socks", "synonym"),  # a sector of the pages pack
    ("company", "Pearl Motors", "pearl-motors", "name"),
    ("company", "YMC", "yangtze-microchips", "alias"),
    ("company", "长江微芯", "yangtze-microchips", "Chinese name"),
    ("company", "Yangtze Microchip", "yangtze-microchips", "slip"),
    ("company", "Huaihe Solr", "huaihe-solar", "slip"),
    ("park", "SIP", "suzhou-industrial-park", "alias"),
    ("park", "苏州工业园区", "suzhou-industrial-park", "Chinese name"),
    ("park", "Suzhou Industrial Park", "suzhou-industrial-park", "name"),
    ("park", "Suzhou Industrial", "suzhou-industrial-park", "prefix"),  # ends at a word of the name
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
    # a guess is said on stderr too, where a script's log sees it; an exact name says nothing
    expected_stderr = ""
    name = doc["resolved"]["name"]
    if how == "slip":
        assert doc["resolved"]["score"] < 100 and doc["resolved"]["slip"]
        expected_stderr = f"Showing {name} for '{query}' (read as a typing slip: {doc['resolved']['slip']})\n"
    else:
        assert doc["resolved"]["score"] == 100 and doc["resolved"]["slip"] is None
    if how == "prefix":
        expected_stderr = f"Showing {name} for '{query}' (the start of one of its names)\n"
    if doc["resolved"]["also"]:
        expected_stderr = r.stderr  # a homonym's note (tested in test_divisions.py)
    assert r.stderr == expected_stderr


def test_a_slip_says_which_and_how_close() -> None:
    assert cli("province", "Zhejaing", "--json").json()["resolved"] | {"also": []} == {
        "query": "Zhejaing",
        "id": "zhejiang",
        "name": "Zhejiang",
        "matched_by": "slip",
        "score": 87.5,
        "slip": "two letters swapped",
        "also": [],
    }
    assert cli("city", "Nantnog", "--json").json()["resolved"]["score"] == 85.7


def test_exact_names_only_refuses_every_guess() -> None:
    for args in (["--exact", "city", "Nantnog"], ["city", "Nantnog", "--exact"]):
        r = cli(*args)
        assert (r.exit_code, r.stdout) == (1, "")
        assert r.stderr.startswith("clusters: error: No city matches 'Nantnog'. Did you mean: Nantong (南通市")
    assert cli("--exact", "city", "Nantong", "--json").json()["resolved"]["matched_by"] == "name"
    assert cli("city", "Nantnog", env={"CLUSTERS_EXACT": "1"}).exit_code == 1
    assert cli("city", "Nantnog", env={"CLUSTERS_EXACT": "0"}).exit_code == 0
    assert cli("--exact", "park", "Suzhou Industrial").exit_code == 1  # a prefix is a guess too


AMBIGUOUS = [
    # a Chinese prefix of two; each candidate with its id, which opens it (four districts named Gulou share their
    # Chinese name too)
    ("province", "广", "the province Guangdong (广东省) [guangdong], Guangxi (广西壮族自治区) [guangxi]"),
    (
        "city",
        "Taizhou",
        "the city Taizhou (泰州市, Jiangsu) [taizhou], Taizhou (台州市, Zhejiang) [taizhou-zj]",
    ),  # the policy cannot decide
    (  # a slip of that name: said of what was typed (it quoted 'taizhou', the name it was read as)
        "city",
        "Taizohu",
        "the city Taizhou (泰州市, Jiangsu) [taizhou], Taizhou (台州市, Zhejiang) [taizhou-zj]",
    ),
]


@pytest.mark.parametrize(("kind", "query", "candidates"), AMBIGUOUS)
def test_ambiguous_queries_exit_1_listing_candidates(kind: str, query: str, candidates: str) -> None:
    r = cli(kind, query)
    assert (r.exit_code, r.stdout) == (1, "")
    assert (
        r.stderr
        == f"clusters: error: '{query}' is ambiguous: it could be {candidates}. Name one by its id in brackets.\n"
    )
    for ident in re.findall(r"\[([a-z0-9-]+)\]", candidates):
        assert cli(kind, ident).exit_code == 0


UNKNOWN = [
    ("province", "Atlantis", ""),
    ("province", "Anhuiiiii", " Did you mean: Anhui (安徽省)?"),  # more than one slip
    # not a whole word of a name (and no slip): only suggested
    (
        "province",
        "guang",
        " Did you mean: Guangxi (广西壮族自治区), Guangdong (广东省), the sector Photovoltaics (光伏)?",
    ),
    ("province", "Hnan", " Did you mean: Henan (河南省), Hunan (湖南省)?"),  # a letter left out of both
    ("sector", "quantum computing", ""),
    ("city", "Xyzzy", ""),
]


@pytest.mark.parametrize(("kind", "query", "suggested"), UNKNOWN)
def test_unknown_queries_exit_1_with_suggestions(kind: str, query: str, suggested: str) -> None:
    r = cli(kind, query)
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == f"clusters: error: No {kind} matches '{query}'.{suggested} `clusters search` looks everywhere.\n"


@pytest.mark.parametrize(
    ("kind", "query", "pointer"),
    [
        ("province", "Shenzhen", "the city Shenzhen (clusters city shenzhen)"),  # only where it is, exactly
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


QUERIES = ["shenzen", "anhiu", "beijng", "guangdong", "hefeii", "nantogn", "suzohu", "zhejaing", "wnid", "solra",
           "guang", "jiangsuu", "kunshna", "nanshna", "xyzzy", "semiconductor", "hangzou", "guandong"]  # fmt: skip


def test_close_spellings_come_from_the_store_exactly_as_scoring_every_name_would(kb: Any) -> None:
    """The store's candidate filter (kb.close_keys: names keeping the query's first or last letter, as a range of the
    primary key and by an index) returns exactly the names the rule picks from every name; and the slips found from it
    are those found by checking every name of the kind."""
    from collections import Counter

    from clusters_cli.model import KINDS
    from clusters_cli.resolver import Resolver
    from clusters_cli.slips import slip

    narrowed = 0
    for kind in KINDS:
        everything = kb.all_keys(kind)
        chinese = [k for k, _ in everything if not k.isascii()][::7]
        # slips of every kind: a letter left out, one mistyped (one the name lacks, q), and Chinese names changed
        slipped = [k[:-1] for k, _ in everything[::9]] + [k[:2] + "q" + k[3:] for k, _ in everything[::9]]
        for q in QUERIES + slipped + chinese + [k[1:] + "市" for k in chinese]:
            for lo, hi in ((len(q) - 1, len(q) + 1), (2, 40)):
                rule = sorted(
                    (k, i) for k, i in everything if lo <= len(k) <= hi and (k[:1] == q[:1] or k[-1:] == q[-1:])
                )
                assert kb.close_keys(kind, q, lo, hi) == rule, (kind, q)
                # and those holding enough of the query's characters: each counted as often as the query holds it
                for a, b, c in ((1, len(q) - 1, 0), (400, 55 * len(q), 55), (1, 3, 0)):
                    shared = [
                        (k, i)
                        for k, i in rule
                        if a * sum(n for ch, n in Counter(q).items() if ch in k) >= b + c * len(k)
                    ]
                    assert kb.close_keys(kind, q, lo, hi, (a, b, c)) == shared, (kind, q, a, b, c)
                    narrowed += len(shared) < len(rule)
            brute = sorted({i for k, i in everything if slip(q, k) is not None})
            assert [s[0] for s in Resolver(kb, kind).slips(q)] == brute, (kind, q)
    assert narrowed > 400, narrowed


def test_a_lookup_of_several_kinds_asks_each_kind_s_close_names_once(
    shared_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`near` and `compare` try each kind of place in turn, and each try looks for typing slips among every
    kind's names: each kind's close names are asked of the store once a query, not once a kind tried (at 100
    times the shipped data, `near Atlantis` checked 11,478 city names three times), and the answers are those
    of asking each time."""
    from helpers import load_through

    from clusters_cli.errors import NotFound
    from clusters_cli.resolver import Resolver
    from clusters_cli.views.compare import resolve_place
    from clusters_cli.views.near import ORIGIN_KINDS

    def asking(kb: Any) -> tuple[list[tuple[str, int, int]], str]:
        asked: list[tuple[str, int, int]] = []
        close_keys = kb.close_keys

        def counted(kind: str, key: str, lo: int, hi: int, sharing: Any = None) -> list[tuple[str, str]]:
            asked.append((kind, lo, hi))
            return close_keys(kind, key, lo, hi, sharing)

        monkeypatch.setattr(kb, "close_keys", counted)
        with pytest.raises(NotFound) as raised:
            resolve_place(kb, "Atlantis", ORIGIN_KINDS, "origin")
        return asked, str(raised.value)

    asked, said = asking(load_through(shared_cache, PACKS))
    assert len(asked) == len(set(asked)) and {("city", 7, 9), ("park", 7, 9)} <= set(asked), asked
    monkeypatch.setattr(Resolver, "slips", Resolver._slips)  # asked each time, as before
    again, said_again = asking(load_through(shared_cache, PACKS))
    assert said_again == said and len(again) > len(set(again)) == len(set(asked))


@pytest.mark.parametrize("cutoff", [55.0, 75.0, 83.3])
def test_the_lengths_a_query_can_reach_are_those_the_scorer_lets_through_and_no_more(cutoff: float) -> None:
    """fuzz.ratio of two names is at most 200*min/(a+b) of their lengths, reached when one's letters all stand
    in order in the other: every such pair the scorer passes at the cutoff has its length within the bounds
    (in floating point, 11 and 29 at 55 were lost: 55.00000000000001), and every length within them can."""
    from rapidfuzz import fuzz

    from clusters_cli.resolver import reachable_lengths

    for n in range(1, 131):
        lo, hi = reachable_lengths(n, cutoff)
        passed = [m for m in range(1, 400) if fuzz.ratio("a" * n, "a" * m) >= cutoff]
        assert passed == list(range(lo, hi + 1)), (n, cutoff, lo, hi, passed[:1], passed[-1:])


def test_near_names_are_each_entitys_best_of_every_name_at_the_cutoff_ordered_by_score_then_id(kb: Any) -> None:
    """Resolver.fuzzy over the store's candidates is what scoring every name of the kind that keeps the query's
    first or last letter gives: each entity's best score at the cutoff or above, by score, then id (not a cut
    of the names first, which kept names of equal scores by their own order)."""
    from rapidfuzz import fuzz

    from clusters_cli.model import KINDS
    from clusters_cli.resolver import SUGGEST_CUTOFF, Resolver

    queries = [*QUERIES, "uygurregion", "omousregion", "industrialpark", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"]
    for kind in KINDS:
        everything = kb.all_keys(kind)
        chinese = [k for k, _ in everything if not k.isascii()][::5]  # 合肥市 and 合市, 肥市, 不合肥市 ...
        changed = [k[:n] + "市" for k in chinese for n in (1, 2)] + ["不" + k for k in chinese] + chinese
        slipped = [k[:-1] for k, _ in everything[:40]] + [k[1:] + "x" for k, _ in everything[:40]]
        for q in queries + changed + slipped:
            if len(q) < 3:
                continue
            best: dict[str, float] = {}
            for k, i in everything:
                score = fuzz.ratio(q, k)
                if (k[:1] == q[:1] or k[-1:] == q[-1:]) and score >= SUGGEST_CUTOFF and score > best.get(i, 0.0):
                    best[i] = score
            expected = sorted(best.items(), key=lambda item: (-item[1], item[0]))
            assert [(i, s) for i, s, _ in Resolver(kb, kind).fuzzy(q)] == expected, (kind, q)


def test_a_figure_is_suggested_by_its_id_which_tells_figures_of_one_metric_apart() -> None:
    r = cli("cite", "anhui-pv-revenue-202")
    assert r.exit_code == 1
    assert (
        "Did you mean: anhui-pv-revenue-2012 (photovoltaic revenue), anhui-pv-revenue-2021 (photovoltaic revenue)?"
        in r.stderr
    )


def test_the_command_for_another_place_of_a_name_uses_the_id_when_chinese_names_repeat() -> None:
    from clusters_cli.views.resolved import named_by

    names = {"西安区": ["xian-liaoyuan", "xian-mudanjiang"], "西安市": ["xian"], "纺织": ["textiles", "mine"]}

    class Keys:  # the store's name keys, as far as these names go: which ids each Chinese name opens
        def keys_equal(self, kind: str, key: str) -> list[tuple[str, int, str]]:
            return [(ident, 1, "Chinese name") for ident in names.get(key, [])]

    kb: Any = Keys()
    one, two = {"id": "xian-liaoyuan", "name_zh": "西安区"}, {"id": "xian-mudanjiang", "name_zh": "西安区"}
    assert named_by(kb, "city", one, ["西安市", "西安区", "西安区"]) == "xian-liaoyuan"
    assert named_by(kb, "city", two, ["西安市", "西安区", "西安区"]) == "xian-mudanjiang"
    assert named_by(kb, "city", {"id": "xian", "name_zh": "西安市"}, ["西安市", "西安区"]) == "西安市"
    assert named_by(kb, "city", {"id": "x"}, [None]) == "x"
    # listed once, but another entity of the kind holds the name too: the id
    assert named_by(kb, "sector", {"id": "mine", "name_zh": "纺织"}, ["风电", "纺织"]) == "mine"


def test_no_shipped_without_a_pack_of_ones_own_is_a_usage_error() -> None:
    r = cli("--no-shipped", "info", env={"CLUSTERS_DATA": ""})
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (
        "clusters: error: --no-shipped (or CLUSTERS_NO_SHIPPED) reads only your own packs, and none is given: "
        "add --data PATH (or set CLUSTERS_DATA)\n"
    )


# --- what a review of resolution found (2026-12-04)


def _resolved(*args: str) -> dict[str, Any]:
    r = cli(*args, "--json")
    assert r.exit_code == 0, r.stderr
    doc = r.json()
    return doc["resolved"] if "resolved" in doc else doc["origin"]["resolved"]


def test_an_id_typed_in_lower_case_opens_its_entity_and_still_names_the_homonyms() -> None:
    """`suzhou` is 苏州's id and 宿州's name: the id opens 苏州, and 宿州 is named, as for `Suzhou` (the others
    were dropped, silently, when the query was also an id)."""
    typed = _resolved("city", "suzhou")
    assert (typed["id"], typed["matched_by"]) == ("suzhou", "id")
    assert [a["id"] for a in typed["also"]] == ["suzhou-ah"]
    assert [a["id"] for a in _resolved("city", "Suzhou")["also"]] == ["suzhou-ah"]


def _extra_places(tmp_path: Any, lines: str) -> list[str]:
    from helpers import PLACES, changed_packs

    anchor = "  - {id: nantong, code: '320600'"
    return changed_packs(tmp_path, anchor, lines + anchor, PLACES)


def test_a_slip_is_read_by_the_likeliest_slip_of_each_name(tmp_path: Any) -> None:
    """Hanrbin is Harbin with a letter too many, and Hanbin with one too many: each place by its likeliest
    slip (Harbin's pinyin Haerbin, mistyped, is a weaker one and was the one compared, as first in order)."""
    from helpers import data_args

    paths = _extra_places(
        tmp_path,
        "  - {id: harbin, code: '230100', name: Harbin, name_zh: 哈尔滨市, short_zh: 哈尔滨, pinyin: Hā'ěrbīn,"
        " kind: prefecture_city, level: prefecture, province: jiangsu, lat: 45.8, lon: 126.5}\n"
        "  - {id: hanbin, code: '610902', name: Hanbin, name_zh: 汉滨区, short_zh: 汉滨, pinyin: Hànbīn,"
        " kind: district, level: county, province: jiangsu, lat: 32.7, lon: 109.0}\n",
    )
    r = cli(*data_args(paths), "city", "Hanrbin")
    assert r.exit_code == 1  # two places, equally likely, neither holding clusters: a question, not an answer
    assert "Harbin" in r.stderr and "Hanbin" in r.stderr


def test_a_name_several_places_of_another_kind_share_is_never_read_as_a_slip(tmp_path: Any) -> None:
    """`province Taizhou` (泰州 and 台州 are both Taizhou) is no province and no slip of one: it points to the
    cities (a name several cities hold was taken for no name at all)."""
    r = cli("province", "Taizhou")
    assert r.exit_code == 1
    assert "the city Taizhou (clusters city Taizhou)" in r.stderr


def test_near_reads_a_province_before_a_city_of_the_same_name_and_names_the_city(tmp_path: Any) -> None:
    """`near Hainan` measured from Qinghai's Hainan prefecture and never named the province: a name several
    kinds hold is read as compare reads it (the province, at its capital), and the others are named."""
    from helpers import data_args

    paths = _extra_places(
        tmp_path,
        "  - {id: henan-town, code: '632500', name: Henan, name_zh: 河南县, short_zh: 河南, pinyin: Hénán,"
        " kind: county, level: county, province: jiangsu, lat: 34.7, lon: 101.6}\n",
    )
    r = cli(*data_args(paths), "near", "Henan", "--json")
    assert r.exit_code == 0, r.stderr
    origin = r.json()["origin"]
    assert (origin["kind"], origin["id"]) == ("province", "henan")
    assert [(a["id"], a["command"]) for a in origin["resolved"]["also"]] == [("henan-town", "clusters city 河南县")]
    assert "'Henan' also names Henan (河南县, Jiangsu): clusters city 河南县" in r.stderr
    beijing = cli("near", "Beijing", "--json").json()["origin"]  # one place under two kinds: the city
    assert (beijing["kind"], beijing["resolved"]["also"]) == ("city", [])


def test_a_slip_names_the_places_of_other_kinds_it_is_as_close_to(tmp_path: Any) -> None:
    """`province Shangai` is read as Shanghai (it holds clusters), and names the city Shangcai, one slip away
    too, by its own command (only places of the kind asked were named)."""
    from helpers import data_args

    paths = _extra_places(
        tmp_path,
        "  - {id: shangcai, code: '411722', name: Shangcai, name_zh: 上蔡县, short_zh: 上蔡, pinyin: Shàngcài,"
        " kind: county, level: county, province: jiangsu, lat: 33.3, lon: 114.3}\n",
    )
    for kind in ("province", "city"):
        r = cli(*data_args(paths), kind, "Shangai", "--json")
        assert r.exit_code == 0, r.stderr
        resolved = r.json()["resolved"]
        assert (resolved["id"], resolved["matched_by"]) == ("shanghai", "slip")
        assert [(a["id"], a["command"]) for a in resolved["also"]] == [("shangcai", "clusters city 上蔡县")], kind


def test_every_guess_is_said_by_map_and_compare_whatever_the_output(tmp_path: Any) -> None:
    """map never said how it read its sector, and compare's rows (--format, --json) dropped how it read its
    places: the same line now goes to the table or to stderr, as every command's does."""
    slip = "Showing Semiconductors for 'semiconducters' (read as a typing slip: one letter mistyped)"
    table = cli("map", "semiconducters", "--no-color")
    assert table.exit_code == 0 and slip in " ".join(table.stdout.split())
    for args in (["--json"], ["--format", "csv"], ["--svg", str(tmp_path / "m.svg")]):
        r = cli("map", "semiconducters", *args)
        assert r.exit_code == 0 and r.stderr.splitlines()[0] == slip, args
    guessed = "Showing Guangdong for 'Guangdogn' (read as a typing slip: two letters swapped)"
    for args in (["--json"], ["--format", "csv"]):
        r = cli("compare", "Guangdogn", "Anhui", *args)
        assert r.exit_code == 0 and r.stderr.splitlines()[0] == guessed, args


def test_compare_reads_one_place_under_two_kinds_as_one_reading() -> None:
    """`compare Shangai Anhui`: the province and the city Shanghai are one place, one slip away; it was
    refused as ambiguous between them."""
    r = cli("compare", "Shangai", "Anhui", "--json")
    assert r.exit_code == 0, r.stderr
    assert [(i["kind"], i["id"]) for i in r.json()["items"]] == [("province", "shanghai"), ("province", "anhui")]


def test_a_long_query_is_cut_after_its_spaces_are_dropped() -> None:
    """Cut before, `Anhui` + 200 spaces + `Shanghai` was read as Anhui (exit 0), and 200 spaces + `Anhui` as a
    name with no letters."""
    assert cli("province", "Anhui" + " " * 200 + "Shanghai").exit_code == 1
    assert cli("province", " " * 200 + "Anhui", "--json").json()["province"]["id"] == "anhui"


def test_a_name_typed_is_its_entity_before_one_whose_id_folds_alike(tmp_path: Any) -> None:
    """A cluster named exactly what another's id reads as, spaces for hyphens: the name typed opens the
    cluster of that name (it was ambiguous), the id typed opens its own, and each names the other."""
    from helpers import ARTICLE, PACKS, changed_packs, data_args

    paths = changed_packs(tmp_path, "name: Yangtze River Delta integrated circuits", "name: East new energy")
    assert ARTICLE in PACKS  # (the article pack is the one changed)
    named = cli(*data_args(paths), "cluster", "East new energy", "--json")
    assert named.exit_code == 0, named.stderr
    assert named.json()["resolved"]["id"] == "yrd-ic"
    assert [a["id"] for a in named.json()["resolved"]["also"]] == ["east-new-energy"]
    by_id = cli(*data_args(paths), "cluster", "east-new-energy", "--json").json()["resolved"]
    assert (by_id["id"], [a["id"] for a in by_id["also"]]) == ("east-new-energy", ["yrd-ic"])


def test_candidates_that_read_alike_are_told_apart_by_their_ids(tmp_path: Any) -> None:
    """Two clusters of one name (one in a pack of one's own) were offered as 'Kunshan socks, Kunshan socks'."""
    from helpers import PACKS, data_args, write

    mine = write(
        tmp_path,
        "meta: {title: Mine}\nsources:\n  - {id: mine-page, short_name: M, name: My page, kind: report}\n"
        "clusters:\n  - {id: my-socks, name: Lujia socks, sector: socks, cities: [kunshan], status: established,"
        " summary: s, locator: {source: mine-page, where: top}}\n",
        "mine.yaml",
    )
    r = cli(*data_args([*PACKS, mine]), "cluster", "Lujia socks")
    assert r.exit_code == 1
    assert "Lujia socks [kunshan-socks]" in r.stderr and "Lujia socks [my-socks]" in r.stderr


MINE_ALSO = own_pack("""sectors:
  - {id: my-weaving, name: Weaving, name_zh: 纺织, synonyms: [wind], summary: A sector of mine.}
""")


def test_the_command_naming_another_place_of_a_name_opens_it_alone(tmp_path: Path) -> None:
    """'wind' also names a sector of one's own whose Chinese name 纺织 another sector holds too: the command the
    notice offered, `clusters sector 纺织`, was itself ambiguous; it names the sector by its id then."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE_ALSO, encoding="utf-8")
    args = [*data_args([*PACKS, str(mine)])]
    also = cli(*args, "sector", "wind", "--json").json()["resolved"]["also"]
    assert [a["command"] for a in also] == ["clusters sector my-weaving"]
    assert cli(*args, "sector", "my-weaving").exit_code == 0
    # a Chinese name no other entity holds is still the handle (the README's Suzhou example)
    assert "clusters city 宿州市" in [a["command"] for a in cli("city", "Suzhou", "--json").json()["resolved"]["also"]]


@pytest.mark.parametrize(
    ("asked", "held", "agree"),
    [
        ("shǎnxi", "shǎnxī", True),  # 陕西: the one tone typed is its
        ("shǎnxi", "shānxī", False),  # 山西
        ("shǎnxì", "shǎnxī", False),
        ("lü", "lǚ", True),  # ü's diaeresis is a letter's, not a tone
        ("lu", "lǚ", False),
        ("sùzhōu", "sùzhōu", True),
        ("sùzhōu", "sùzhōuu", False),
    ],
)
def test_tones_typed_must_be_the_tones_held(asked: str, held: str, agree: bool) -> None:
    from clusters_cli.textfold import tones_agree

    assert tones_agree(asked, held) is agree


MINE_BATTERIES = own_pack("""sectors:
  - {id: my-cells, name: Lithium batteries, synonyms: [batteries], summary: A sector of mine.}
  - {id: my-battery-materials, name: Battery materials, synonyms: [cathodes], summary: A sector of mine.}
  - {id: my-eyewear, name: Eyewear, synonyms: [glasses], summary: A sector of mine.}
""")


def test_a_singular_that_starts_one_name_and_is_another_s_plural_is_ambiguous(tmp_path: Path) -> None:
    """`battery` was read as Battery materials (the start of its name) while `batteries` is Lithium batteries:
    one word, two sectors. A word whose plural or singular names an entity is never read as the start of
    another's name; it is ambiguous. The plural alone reads nothing: glass is not glasses."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE_BATTERIES, encoding="utf-8")
    args = data_args([*PACKS, str(mine)])
    r = cli(*args, "sector", "battery")
    assert r.exit_code == 1 and r.stderr == (
        "clusters: error: 'battery' is ambiguous: it could be the sector Lithium batteries [my-cells], "
        "Battery materials [my-battery-materials]. Name one by its id in brackets.\n"
    )
    assert cli(*args, "sector", "batteries", "--json").json()["resolved"]["id"] == "my-cells"
    assert cli(*args, "sector", "Battery materials", "--json").json()["resolved"]["id"] == "my-battery-materials"
    r = cli(*args, "sector", "glass")
    assert r.exit_code == 1 and r.stderr.startswith("clusters: error: No sector matches 'glass'.")
    assert cli(*args, "--exact", "sector", "battery").exit_code == 1


MINE_TAIAN = own_pack("""cities:
  - {id: my-taian, code: '370900', name: Tai'an, name_zh: 泰安市, short_zh: 泰安, pinyin: Tài'ān, kind: prefecture_city,
     level: prefecture, province: anhui, lat: 36.2, lon: 117.1}
""")


@pytest.mark.parametrize(
    "args",
    [["city", "Taiwan"], ["province", "台湾"], ["province", "TW"], ["near", "Taiwan"], ["compare", "Taiwan", "Anhui"]],
)
def test_taiwan_is_said_to_be_left_out_never_read_as_a_slip_of_a_place(tmp_path: Path, args: list[str]) -> None:
    """`city Taiwan` opened Tai'an (泰安, one letter too many: "read as a typing slip"), and `province Taiwan`
    suggested Hainan: the knowledge base leaves Taiwan out, as its sources do, and says so."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE_TAIAN, encoding="utf-8")
    r = cli(*data_args([*PACKS, str(mine)]), *args)
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.endswith(
        "Taiwan is left out: the knowledge base and its sources cover mainland China, Hong Kong and Macao.\n"
    )
    assert "Tai'an" not in r.stderr


MINE_LUJIA = own_pack("""cities:
  - {id: my-lujia, code: '341399', name: Lujia, name_zh: 陆家县, short_zh: 陆家, pinyin: Lùjiā, kind: county,
     level: county, province: anhui, lat: 33.3, lon: 117.3}
""")


@pytest.mark.parametrize("args", [["city", "Lujia"], ["near", "Lujia"], ["compare", "Lujia", "Anhui"]])
def test_a_place_named_as_a_clusters_town_is_read_and_the_cluster_named_beside_it(
    tmp_path: Path, args: list[str]
) -> None:
    """`city Guzhen` opened 固镇县 (a county of Anhui) with no word of the lighting cluster of 古镇 (Zhongshan),
    which `cluster Guzhen` opens: a town is no division, so the place is read, and the cluster named."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE_LUJIA, encoding="utf-8")
    r = cli(*data_args([*PACKS, str(mine)]), *args, "--json")
    doc = r.json()
    resolved = doc["resolved"] if "resolved" in doc else (doc.get("origin") or doc["items"][0])["resolved"]
    assert resolved["id"] == "my-lujia"
    assert [(a["id"], a["command"]) for a in resolved["also"]] == [("kunshan-socks", "clusters cluster kunshan-socks")]
    assert "'Lujia' also names Lujia socks: clusters cluster kunshan-socks" in r.stderr


MINE_GANZHOU = own_pack("""cities:
  - {id: my-ganzhou, code: '360799', name: Ganzhou, name_zh: 赣州市, short_zh: 赣州, pinyin: Gànzhōu,
     kind: prefecture_city, level: prefecture, province: anhui, lat: 25.8, lon: 114.9}
clusters:
  - {id: my-ganzhou-wind, name: My Ganzhou wind, sector: wind, provinces: [anhui], cities: [my-ganzhou],
     status: emerging, summary: S, locator: {section: Only, paragraph: 1}}
""")


def test_a_slip_read_names_the_places_the_sources_name_a_less_likely_slip_away(tmp_path: Path) -> None:
    """`city Gangzhou` is Ganzhou with n and ng confused, the likeliest slip, and Guangzhou with a letter left
    out: it was read as Ganzhou without a word of Guangzhou, a city holding clusters."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE_GANZHOU, encoding="utf-8")
    r = cli(*data_args([*PACKS, str(mine)]), "city", "Gangzhou", "--json")
    resolved = r.json()["resolved"]
    assert (resolved["id"], resolved["slip"]) == ("my-ganzhou", "n and ng confused")
    assert [(a["id"], a["command"]) for a in resolved["also"]] == [("guangzhou", "clusters city 广州市")]
    assert "'Gangzhou' is one slip from Guangzhou (广州市, Guangdong) too: clusters city 广州市" in r.stderr


MINE_HENAN = own_pack("""cities:
  - {id: my-henan-county, code: '632324', name: Henan, name_zh: 河南蒙古族自治县, short_zh: 河南, pinyin: Hénán,
     kind: autonomous_county, level: county, province: anhui, lat: 34.7, lon: 101.6}
""")


def test_a_name_of_a_province_and_a_city_opens_the_kind_asked_and_names_the_other(tmp_path: Path) -> None:
    """`city Hebei` opened 河北区, a district of Tianjin with no clusters, without a word of the province. The
    province asked names a city of its name only where that city holds clusters (`list clusters --province
    Hebei` named 河北区 in every run), and a code names nothing else (`province HE` named 和县)."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE_HENAN, encoding="utf-8")
    args = data_args([*PACKS, str(mine)])
    r = cli(*args, "city", "Henan", "--json")
    resolved = r.json()["resolved"]
    assert resolved["id"] == "my-henan-county" and [a["id"] for a in resolved["also"]] == ["henan"]
    assert "'Henan' also names Henan (河南省): clusters province 河南省" in r.stderr
    r = cli(*args, "province", "Henan", "--json")
    assert (r.json()["resolved"]["id"], r.json()["resolved"]["also"], r.stderr) == ("henan", [], "")
    listed = cli(*args, "list", "clusters", "--province", "Henan", "--json")
    assert "also names" not in listed.stderr


def test_a_word_for_another_kind_of_division_is_not_dropped() -> None:
    """`Jilin City` is the city: `province Jilin City` is not read as the province Jilin, whose kind the word
    is not; it points to the city."""
    r = cli("province", "Hefei City")
    assert r.exit_code == 1 and "the city Hefei (clusters city hefei)" in r.stderr
    assert cli("city", "Anhui Province").exit_code == 1


MINE_URUMQI = own_pack("""cities:
  - {id: my-urumqi, code: '650100', name: Ürümqi, name_zh: 乌鲁木齐市, short_zh: 乌鲁木齐, pinyin: Wūlǔmùqí,
     kind: prefecture_city, level: prefecture, province: anhui, lat: 43.8, lon: 87.6}
  - {id: my-wuchang, code: '230184', name: Wuchang, name_zh: 五常市, short_zh: 五常, pinyin: Wǔcháng,
     kind: county_city, level: county, province: anhui, lat: 44.9, lon: 127.2}
  - {id: my-wuchang-district, code: '420106', name: Wuchang, name_zh: 武昌区, short_zh: 武昌, pinyin: Wǔchāng,
     kind: district, level: county, province: anhui, lat: 30.55, lon: 114.3}
""")


@pytest.mark.parametrize(
    ("args", "read"),
    [
        (["city", "Ürümqi"], "my-urumqi"),  # its name as written, accents and all: exact, not a guess
        (["near", "Ürümqi"], "my-urumqi"),
        (["city", "Wuchang City"], "my-wuchang"),  # a county-level city is a city
    ],
)
def test_a_name_written_with_its_own_accents_or_a_kind_word_is_read_exactly(
    tmp_path: Path, args: list[str], read: str
) -> None:
    """Tone marks were checked against the pinyin alone, so the city's own name Ürümqi (its umlauts taken for
    tones) was read as a prefix, and `near Ürümqi` was refused as ambiguous."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE_URUMQI, encoding="utf-8")
    doc = cli(*data_args([*PACKS, str(mine)]), *args, "--json").json()
    resolved = doc["resolved"] if "resolved" in doc else doc["origin"]["resolved"]
    assert (resolved["id"], resolved["matched_by"]) == (read, "name")


def test_a_kind_word_must_fit_the_place_and_a_hyphen_joins_a_name(tmp_path: Path) -> None:
    """`Dalian County` opened the prefecture city (the word dropped unchecked), `Anhui SAR` the province, and
    `Wu-Chang-Shi` lost its last syllable to the word `shi`; a tie found without the word is said of the words
    typed."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE_URUMQI, encoding="utf-8")
    args = data_args([*PACKS, str(mine)])
    # the word chooses among the places of the name: 武昌区 is the district, 五常市 the city
    assert cli(*args, "city", "Wuchang District", "--json").json()["resolved"]["id"] == "my-wuchang-district"
    assert cli(*args, "city", "Wuchang City", "--json").json()["resolved"]["id"] == "my-wuchang"
    r = cli(*args, "city", "Hefei County")  # a word the place does not fit: asked back, never a slip of another
    assert r.exit_code == 1 and "No city matches 'Hefei County'. Did you mean: Hefei (合肥市, Anhui)?" in r.stderr
    assert cli(*args, "province", "Anhui SAR").exit_code == 1
    assert cli(*args, "province", "Anhui Sheng", "--json").json()["resolved"]["id"] == "anhui"
    r = cli(*args, "city", "Wu-Chang-Shi")
    assert r.exit_code == 1 and "No city matches 'Wu-Chang-Shi'" in r.stderr
    r = cli(*args, "city", "Taizhou City")
    assert r.exit_code == 1 and r.stderr.startswith("clusters: error: 'Taizhou City' is ambiguous")


MINE_FIRM = own_pack("""companies:
  - {id: my-firm, name: Nantnong, sector: textiles, locator: {section: Only, paragraph: 1}}
clusters:
  - {id: my-firm-cluster, name: My firm cluster, sector: textiles, cities: [hefei], companies: [my-firm],
     specialties: [yarn], status: established, summary: S, locator: {section: Only, paragraph: 1}}
""")


def test_a_firm_read_from_a_slip_names_no_place_beside_it(tmp_path: Path) -> None:
    """`company Hutian` read the firm Huatian and said it was one slip from three cities too: a firm asked
    names only firms beside it (a place asked names the places: `province Shangai`, the city Shangcai)."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE_FIRM, encoding="utf-8")
    args = data_args([*PACKS, str(mine)])
    r = cli(*args, "company", "Nantonng", "--json")  # two letters swapped of Nantnong; the city Nantong, n doubled
    resolved = r.json()["resolved"]
    assert (resolved["id"], resolved["matched_by"], resolved["also"]) == ("my-firm", "slip", [])
    assert "Nantong" not in r.stderr


MINE_SHANXI = own_pack("""provinces:
  - {id: my-shanxi, code: '140000', name: Shanxi, official_name: Shanxi Province, name_zh: 山西省, short_zh: 山西,
     pinyin: Shānxī, abbr: 晋, iso_code: CN-SX, kind: province, capital: my-taiyuan, macro_region: east}
  - {id: my-shaanxi, code: '610000', name: Shaanxi, official_name: Shaanxi Province, name_zh: 陕西省,
     short_zh: 陕西, pinyin: Shǎnxī, abbr: 陕, iso_code: CN-SN, kind: province, capital: my-xian, macro_region: east}
cities:
  - {id: my-taiyuan, code: '140100', name: Taiyuan, name_zh: 太原市, short_zh: 太原, pinyin: Tàiyuán,
     kind: prefecture_city, level: prefecture, province: my-shanxi, lat: 37.87, lon: 112.55}
  - {id: my-xian, code: '610100', name: Xi'an, name_zh: 西安市, short_zh: 西安, pinyin: Xī'ān,
     kind: prefecture_city, level: prefecture, province: my-shaanxi, lat: 34.34, lon: 108.94}
""")


@pytest.mark.parametrize(
    ("query", "read", "how", "also"),
    [
        # the tones are 陕西's; the letters, read without them, 山西's official name
        ("Shǎnxī Province", "my-shaanxi", "pinyin with tones", ["my-shanxi"]),
        ("Shǎnxi Province", "my-shaanxi", "pinyin", ["my-shanxi"]),  # one tone typed tells them apart
        ("Shǎnxī Shěng", "my-shaanxi", "pinyin with tones", []),  # a kind word typed with its tone
        ("Shānxī Province", "my-shanxi", "official name", []),  # the tones agree with the official name's place
        ("Shanxi Province", "my-shanxi", "official name", []),  # no tones: the official name
        ("Shaanxi Province", "my-shaanxi", "official name", []),
        ("Sha\u030cnxi\u0304 She\u030cng", "my-shaanxi", "pinyin with tones", []),  # its marks decomposed (NFD)
    ],
)
def test_tones_typed_before_a_kind_word_name_their_place(
    tmp_path: Path, query: str, read: str, how: str, also: list[str]
) -> None:
    """`province "Shǎnxī Province"` opened 山西 (Shānxī): the letters, read without their tones, are 山西's
    official name, which no other place holds, so the tones typed were never asked. Tones that fit none of the
    places the letters name, and name a place of the kind the word says, name that place, and the other is
    named beside it."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE_SHANXI, encoding="utf-8")
    resolved = cli(*data_args([*PACKS, str(mine)]), "province", query, "--json").json()["resolved"]
    assert (resolved["id"], resolved["matched_by"], [a["id"] for a in resolved["also"]]) == (read, how, also)


def test_an_empty_answer_still_says_how_its_names_were_read() -> None:
    """`near Yencheng` found nothing within reach and said only that: no table opened with the slip it read
    (叶城县 for Yancheng), which --json said on stderr. An empty table's answer says it before the error."""
    near = cli("near", "Guangzou", "--km", "1", "--kind", "park", "--sector", "wind")
    assert (near.exit_code, near.stdout) == (1, "")
    assert near.stderr == (
        "Showing Guangzhou for 'Guangzou' (read as a typing slip: an h left out after z, c or s)\n"
        "Nothing of the kind or sector asked lies within 1 km; try a larger --km or fewer filters\n"
    )
    listed = cli("list", "clusters", "--province", "Anuhi", "--sector", "nev")
    assert listed.exit_code == 1 and listed.stderr.splitlines() == [
        "Showing Anhui for 'Anuhi' (read as a typing slip: two letters swapped)",
        "No clusters match province: Anhui; sector: Electric vehicles",
    ]


def test_a_slip_of_a_place_no_source_names_is_suggested_not_read(tmp_path: Path) -> None:
    """The audit of old and foreign names: 71 real names opened another place as a typing slip of it, most of
    them a county no source names (`city Kweiyang`, Guiyang, opened 未央区). A name one slip from such a place is
    as likely a real place the knowledge base does not hold: it is suggested first, by every command that reads
    a place (near and compare asked each kind without its suggestions, and lost it). A province is one of 33:
    its slip is read (`province Henna`)."""
    for args in (("city", "Hangzou"), ("near", "Hangzou"), ("compare", "Hangzou", "Anhui")):  # Hangzhou: nothing
        r = cli(*args)
        assert (r.exit_code, r.stdout) == (1, ""), args
        assert "matches 'Hangzou'. Did you mean: Hangzhou (杭州市, Zhejiang), " in r.stderr, (args, r.stderr)
    henan = cli("province", "Henna", "--json")
    assert (henan.exit_code, henan.json()["resolved"]["id"], henan.json()["resolved"]["slip"]) == (
        0,
        "henan",
        "two letters swapped",
    )
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE_GANZHOU, encoding="utf-8")
    r = cli(*data_args([*PACKS, str(mine)]), "city", "Ganzou", "--json")  # once the place holds a cluster: read
    assert (r.exit_code, r.json()["resolved"]["id"], r.json()["resolved"]["matched_by"]) == (0, "my-ganzhou", "slip")


MINE_TWO_TOWNS = own_pack("""cities:
  - {id: my-parkville, code: '340199', name: Parkville, name_zh: 园区镇, short_zh: 园区, pinyin: Yuánqū,
     kind: district, level: county,
     province: anhui, prefecture: hefei, lat: 31.8, lon: 117.2}
  - {id: my-emptyville, code: '340198', name: Emptyville, name_zh: 空镇, short_zh: 空镇, pinyin: Kōngzhèn,
     kind: district, level: county,
     province: anhui, prefecture: hefei, lat: 31.9, lon: 117.3}
parks:
  - {id: my-park, name: My park, kind: industrial_park, city: my-parkville, sectors: [wind], summary: S,
     locator: {section: Only, paragraph: 1}}
""")


def test_a_slip_reads_a_place_a_park_firm_or_figure_names_and_suggests_one_no_source_names(tmp_path: Path) -> None:
    """A place the sources name without a cluster (a park stands in it) is read by a slip; one they never name is
    suggested first, not read."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE_TWO_TOWNS, encoding="utf-8")
    args = data_args([*PACKS, str(mine)])
    r = cli(*args, "city", "Parkvile", "--json")
    assert (r.exit_code, r.json()["resolved"]["id"], r.json()["resolved"]["slip"]) == (
        0,
        "my-parkville",
        "a letter left out",
    )
    r = cli(*args, "city", "Emptyvile")
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr.startswith("clusters: error: No city matches 'Emptyvile'. Did you mean: Emptyville (空镇, Anhui)")


MINE_CHEMICALS = own_pack("""sectors:
  - {id: my-chem-materials, name: Advanced chemical materials, name_zh: 化工新材料, synonyms: [], summary: S}
  - {id: my-chemicals, name: Chemicals and petrochemicals, name_zh: 石化化工, synonyms: [], summary: S}
""")


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("wedding", "Home textiles"),  # bedding mistyped: a word of its own, 7 letters
        ("cards", "Automobiles"),  # cars with a letter too many
        ("textils", "Textiles"),  # a slip, but of 7 letters: asked, the sector first
    ],
)
def test_a_word_one_slip_from_a_sectors_name_is_asked_not_read(query: str, first: str) -> None:
    """A sector is named by everyday words, and a short word one slip from one is as likely a word of its own:
    the audit of 2,372 sector queries found `tires` read as Neckties (ties), `stocks` as Socks, `fighter` as
    Lighters. Such a slip in a query of fewer than 9 letters is suggested first, not read, by every command that
    reads a sector; a swap, and a slip of 9 letters or more, are read."""
    for args in (("sector", query), ("list", "clusters", "--sector", query), ("rank", "provinces", "--sector", query)):
        r = cli(*args)
        assert (r.exit_code, r.stdout) == (1, ""), args
        assert f"No sector matches '{query}'. Did you mean: {first} (" in r.stderr, (args, r.stderr)
    for query, slip in (("txetiles", "two letters swapped"), ("semiconducters", "one letter mistyped")):
        resolved = cli("sector", query, "--json").json()["resolved"]
        assert (resolved["matched_by"], resolved["slip"]) == ("slip", slip)
    # a place's slip of the same kind is read as before: places are proper names (Hangzhou, one letter left out)
    assert cli("province", "Zhejang", "--json").json()["resolved"]["id"] == "zhejiang"


def test_a_chinese_word_starting_one_sector_and_inside_another_is_asked_and_one_character_is_no_prefix(
    tmp_path: Path,
) -> None:
    """化工 starts 化工新材料 and stands inside 石化化工, the chemical industry's own name: a question with two answers,
    never read as the first. One character starts too many words to be one (车 read 车规级芯片, a vehicle read as
    automotive chips); a word standing only inside a name is suggested first (航天 in 航空航天)."""
    args = data_args([*PACKS, write(tmp_path, MINE_CHEMICALS, "mine.yaml")])
    r = cli(*args, "sector", "化工")
    assert r.exit_code == 1 and "'化工' is ambiguous" in r.stderr, r.stderr
    assert "[my-chem-materials]" in r.stderr and "[my-chemicals]" in r.stderr
    assert cli(*args, "--lang", "zh", "sector", "化工").stderr == (  # (said with no space after 行业, as Chinese is)
        "clusters：错误：“化工”有歧义：可能是行业化工新材料（Advanced chemical materials） [my-chem-materials]、"
        "石化化工（Chemicals and petrochemicals） [my-chemicals]。请用方括号中的 id 指明其一。\n"
    )
    assert cli(*args, "sector", "化工新", "--json").json()["resolved"]["id"] == "my-chem-materials"  # one start
    one = cli("sector", "汽")  # starts 汽车 only, and stands inside 新能源汽车
    assert one.exit_code == 1 and "No sector matches '汽'. Did you mean: " in one.stderr, one.stderr
    assert "Automobiles (汽车)" in one.stderr and "Electric vehicles (新能源汽车)" in one.stderr
    inside = cli("sector", "能源汽车")
    assert "No sector matches '能源汽车'. Did you mean: Electric vehicles (新能源汽车)" in inside.stderr, inside.stderr
    # a place is a proper name: its start is read, of one character too (安 for 安徽省, as before)
    start = cli("province", "安", "--json").json()["resolved"]
    assert (start["id"], start["matched_by"]) == ("anhui", "prefix")
    traditional = cli("sector", "車")  # 车 made simplified: suggested as 车 is
    assert "No sector matches '車'. Did you mean: " in traditional.stderr and "(新能源汽车)" in traditional.stderr


MINE_WIDGETS = own_pack("""sectors:
  - {id: my-widgets, name: Widgets, synonyms: [], summary: S}
companies:
  - {id: my-wodgts, name: Wodgts, sector: my-widgets, locator: {section: Only, paragraph: 1}}
""")


def test_a_sector_slip_declined_still_keeps_a_less_likely_slip_from_being_read(tmp_path: Path) -> None:
    """`widgts` is Widgets with a letter left out (a sector's slip of 6 letters: asked, not read) and the firm
    Wodgts with a letter mistyped, a less likely slip: declining the likelier reading must not leave the less
    likely one to be read; both are suggested, the likelier first."""
    args = data_args([*PACKS, write(tmp_path, MINE_WIDGETS, "mine.yaml")])
    r = cli(*args, "company", "widgts")
    assert (r.exit_code, r.stdout) == (1, ""), r.stdout
    assert "Did you mean: Wodgts" in r.stderr and "Widgets" in r.stderr, r.stderr
    assert cli(*args, "company", "wodgtz", "--json").json()["resolved"]["id"] == "my-wodgts"  # its own slip: read


def test_a_name_many_entries_share_is_said_with_ten_of_them_and_how_many_more() -> None:
    """`province CN-AH` on a knowledge base where a hundred provinces share the code named every one of them on
    one error line (9 KB): ten are named, then how many more, in either language; ten or fewer, all of them."""
    from clusters_cli.errors import AMBIGUOUS_SHOWN, Ambiguous
    from clusters_cli.i18n import use

    many = [f"Anhui {i} [anhui-{i}]" for i in range(1, 101)]
    try:
        use("en")
        assert str(Ambiguous("province", "CN-AH", many)) == (
            f"'CN-AH' is ambiguous: it could be the province {', '.join(many[:AMBIGUOUS_SHOWN])} and 90 more. "
            "Name one by its id in brackets."
        )
        assert str(Ambiguous("province", "CN-AH", many[:AMBIGUOUS_SHOWN])).endswith(
            f"{many[AMBIGUOUS_SHOWN - 1]}. Name one by its id in brackets."
        )
        use("zh")
        assert "Anhui 10 [anhui-10]及另外 90 个。" in str(Ambiguous("province", "CN-AH", many))
    finally:
        use("en")


def test_a_name_many_entries_start_is_said_with_ten_of_them_and_how_many_start_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`park 张江` on a knowledge base of a hundred parks starting so named ten and said nothing of the ninety
    others: the prefix's error counts them all, and says 'at least' where its read stopped at its limit."""
    from clusters_cli import resolver

    firms = "".join(
        f"  - {{id: widget-works-{i:02d}, name: Widget Works {i:02d}, sector: semiconductors,"
        " locator: {section: Only, paragraph: 1}}\n"
        for i in range(1, 15)
    )
    args = [*data_args([*PACKS, write(tmp_path, own_pack("companies:\n" + firms))])]
    r = cli(*args, "company", "widget works")
    named = ", ".join(f"Widget Works {i:02d} [widget-works-{i:02d}]" for i in range(1, 11))
    assert (r.exit_code, r.stderr) == (
        1,
        f"clusters: error: 'widget works' is ambiguous: it could be the company {named} and 4 more. "
        "Name one by its id in brackets.\n",
    )
    monkeypatch.setattr(resolver, "PREFIXED_READ", 12)
    r = cli(*args, "company", "widget works")
    assert r.exit_code == 1 and r.stderr.endswith(f"{named} and at least 2 more. Name one by its id in brackets.\n")
