"""A Chinese name typed with a character of the same sound (江酥 for 江苏) is answered with the places it sounds
like, never read as one of them (clusters_cli/homophones.py; README, "How queries are matched"), on the fixture
packs."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import cli, run_many

from clusters_cli.homophones import MAX_SOUNDS, sound_alike, sounds

HINT = " `clusters search` looks everywhere.\n"


def test_a_name_is_heard_every_way_its_characters_can_be_read_tones_set_aside() -> None:
    assert sounds("六安") == {"liuan", "luan"}  # 六 is liù and lù
    assert sounds("江酥") == {"jiangsu"}
    assert sounds("绿") == {"lu"}  # lǜ and lù: ü is compared as u, as names are
    assert sounds("Anhui") == set() and sounds("江s") == set() and sounds("") == set()
    many = "蚌" * 5  # four readings each: 1,024 ways, more than are tried
    assert MAX_SOUNDS < 4**5 and sounds(many) == set()


@pytest.mark.parametrize(
    ("kind", "query", "suggested"),
    [
        ("province", "江酥", "Jiangsu (江苏省)"),
        # the suffix set aside, as for a name; close spellings follow what sounds alike
        ("province", "江酥省", "Jiangsu (江苏省), Zhejiang (浙江省)"),
        ("province", "浙将", "Zhejiang (浙江省)"),
        ("city", "陆安", "Lu'an (六安市, Anhui)"),  # 六 read lù, as the data writes it
        ("city", "柳安", "Lu'an (六安市, Anhui)"),  # and read liù: found by the 安 it shares, then read both ways
        ("city", "深震", "Shenzhen (深圳市, Guangdong)"),
        # several places: those sharing more characters with the query first, then by id
        ("city", "苏洲", "Suzhou (苏州市, Jiangsu), Suzhou (宿州市, Anhui)"),
        ("city", "宿洲", "Suzhou (宿州市, Anhui), Suzhou (苏州市, Jiangsu)"),
        ("city", "台洲", "Taizhou (台州市, Zhejiang), Taizhou (泰州市, Jiangsu)"),
        # a place of another kind is suggested as such
        ("province", "苏洲市", "the city Suzhou (苏州市, Jiangsu), the city Suzhou (宿州市, Anhui)"),
    ],
)
def test_a_chinese_name_typed_with_a_homophone_is_suggested_never_read(kind: str, query: str, suggested: str) -> None:
    r = cli(kind, query)
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == f"clusters: error: No {kind} matches '{query}'. Did you mean: {suggested}?{HINT}"


def test_a_chinese_name_of_another_length_sounds_like_nothing(kb: Any) -> None:
    # one character more or fewer: no name of that many characters sounds so (close spellings aside)
    assert sound_alike(kb, "province", "江苏苏") == [] and sound_alike(kb, "city", "长沙沙") == []
    assert sound_alike(kb, "province", "姜") == []
    r = cli("city", "姜")
    assert r.stderr == f"clusters: error: No city matches '姜'.{HINT}"


@pytest.mark.parametrize(
    ("kind", "suggested"),
    [
        ("province", "Beijing (北京市)"),
        ("city", "Beijing (北京市)"),
        ("region", "the province Beijing (北京市)"),  # asked of a third kind: still once
    ],
)
def test_the_place_and_its_city_of_one_id_are_suggested_once(kind: str, suggested: str) -> None:
    r = cli(kind, "北经")  # Beijing: a province and a city of one id
    assert r.stderr == f"clusters: error: No {kind} matches '北经'. Did you mean: {suggested}?{HINT}"


def test_a_place_compare_reads_is_never_paid_for_with_suggestions() -> None:
    # 昆 is a prefix of a city only: the province and the region miss it first, and suggest nothing
    found, missed = run_many(["compare", "昆", "上海", "--json"], ["compare", "昆山市区", "上海"], modules=True)
    assert found.exit_code == 0 and "pypinyin" not in found.stderr.split("MODULES ")[1].split()
    assert missed.exit_code == 1 and "pypinyin" in missed.stderr.split("MODULES ")[1].split()
    meant = "Kunshan (昆山市, Jiangsu), Nanshan (南山区, Guangdong)"  # the city's own suggestions: no province is close
    said = f"No province, region or city matches '昆山市区'. Did you mean: {meant}?"
    assert missed.stderr.split("\nMODULES")[0] == f"clusters: error: {said}{HINT}"


def test_compare_and_map_suggest_the_place_a_homophone_sounds_like() -> None:
    r = cli("compare", "江酥", "Zhejiang")
    assert r.exit_code == 1
    said = "No province, region or city matches '江酥'. Did you mean: Jiangsu (江苏省)?"
    assert r.stderr == f"clusters: error: {said}{HINT}"


def test_in_chinese_the_places_are_named_chinese_first() -> None:
    r = cli("--lang", "zh", "city", "苏洲")
    assert r.exit_code == 1
    assert "您是否要找：苏州市（Suzhou，江苏省）、宿州市（Suzhou，安徽省）？" in r.stderr


def test_sound_alike_reads_the_store_by_the_sound_and_checks_each_name(kb: Any) -> None:
    assert sound_alike(kb, "city", "苏洲") == ["suzhou", "suzhou-ah"]
    assert sound_alike(kb, "city", "宿洲") == ["suzhou-ah", "suzhou"]
    assert sound_alike(kb, "province", "苏洲") == []  # no province is read suzhou
    assert sound_alike(kb, "city", "Suzhou") == []


def test_sound_alike_reads_the_candidates_chinese_names_alone(kb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The names a query may sound like are checked by their two Chinese names, read in the store: no candidate is
    read whole (at 100 times the shipped data, 30,000 cities of six characters end in 市: read whole, they took
    `city 不存在的城市` to 115 MB, against 92 MB)."""
    asked = {query: sound_alike(kb, "city", query) for query in ("苏洲", "宿洲", "合飞市", "台洲")}

    def whole(*_args: Any) -> Any:
        raise AssertionError("a candidate read whole")

    monkeypatch.setattr(kb, "many", whole)
    assert {query: sound_alike(kb, "city", query) for query in asked} == asked
    assert asked["苏洲"] == ["suzhou", "suzhou-ah"]
