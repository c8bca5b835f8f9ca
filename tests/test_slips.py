"""The typing-slip rules (slips.py), as a pure function over compact forms: what is a slip, and which."""

from __future__ import annotations

import pytest

from clusters_cli.slips import ADDED, DOUBLED, DROPPED, H_DROPPED, NG, REPLACED, SWAP, is_acronym, slip
from clusters_cli.textfold import compact

CASES = [
    # query, name, the slip (None: another word)
    ("Anhiu", "Anhui", SWAP),
    ("Hefie", "Hefei", SWAP),
    ("Wuxi", "Wuix", SWAP),  # a swap counts in a short word
    ("abc", "bac", SWAP),
    ("Beijng", "Beijing", DROPPED),
    ("Shenzen", "Shenzhen", H_DROPPED),
    ("Hangzou", "Hangzhou", H_DROPPED),
    ("Chongqin", "Chongqing", NG),
    ("Guandong", "Guangdong", NG),
    ("Tianjing", "Tianjin", NG),  # ng for n
    ("Hefeii", "Hefei", DOUBLED),
    ("Chengdou", "Chengdu", ADDED),
    ("semiconducters", "semiconductors", REPLACED),
    ("Dongan", "Yongan", REPLACED),  # six letters: one replaced is a slip (the gazetteer holds Dong'an itself)
    ("wine", "wind", None),  # a short word replaced is another word
    ("Dehua", "Dehui", None),
    ("coal", "coals", None),  # a short word with a letter more
    ("glass", "glasses", None),  # two letters more
    ("Anhuiiii", "Anhui", None),
    ("Chongquing", "Chongqing", ADDED),
    ("Shangai", "Shanghai", DROPPED),
    ("Shanghai", "Shanghai", None),  # the same name is no slip
    ("shenzhen", "shenzhne", SWAP),
    ("guangzhu", "guangzhou", DROPPED),
    ("ab1cd", "abcd", None),  # a digit is no letter slip
    ("深圳", "深川", None),  # Chinese is matched exactly, never as a slip
]


@pytest.mark.parametrize(("query", "name", "expected"), CASES)
def test_slip(query: str, name: str, expected: str | None) -> None:
    assert slip(compact(query), compact(name)) == expected


@pytest.mark.parametrize(
    ("query", "acronym"),
    [("SMIC", True), ("MIIT", True), ("EV", True), ("CATL", True), ("Smic", False), ("SEMICON", False), ("X", False)],
)
def test_acronyms_are_capitals_of_two_to_five_letters(query: str, acronym: bool) -> None:
    assert is_acronym(query) is acronym
