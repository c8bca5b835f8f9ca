"""Text folding's shortcut: text of ASCII and CJK ideographs alone is folded by its lower case, which is
what NFKC, case folding, accent stripping and the removal of format characters give such text."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from clusters_cli import textfold
from clusters_cli.textfold import compact, words


def test_every_character_the_shortcut_takes_folds_to_its_lower_case_alone() -> None:
    """Checked character by character over every code point the shortcut's pattern matches: no such
    character composes with a neighbour under NFKC (none is a combining mark), so what holds for each holds
    for any text of them."""
    taken = [chr(c) for c in range(sys.maxunicode + 1) if textfold._plain().fullmatch(chr(c))]
    assert len(taken) == 128 + 6592 + 20992  # ASCII, CJK Extension A, CJK Unified Ideographs
    for ch in taken:
        assert unicodedata.combining(ch) == 0 and unicodedata.category(ch) != "Cf"
        assert textfold.strip_accents(unicodedata.normalize("NFKC", ch).casefold()) == ch.lower(), repr(ch)


@pytest.mark.parametrize(
    ("text", "folded", "compacted"),
    [
        ("零跑汽车 LeapMotor", ["零跑汽车", "leapmotor"], "零跑汽车leapmotor"),  # the shortcut
        ("Běijīng 北京", ["beijing", "北京"], "beijing北京"),  # tone marks: the whole way
        ("ＡＮＨＵＩ 安徽", ["anhui", "安徽"], "anhui安徽"),  # full-width letters: NFKC
        ("Shen\u00adzhen 深圳", ["shenzhen", "深圳"], "shenzhen深圳"),  # a soft hyphen parts no word
        ("福州，抚州", ["福州", "抚州"], "福州抚州"),  # a full-width comma is punctuation after NFKC
        ("\uf900 Straße", ["豈", "strasse"], "豈strasse"),  # a compatibility ideograph, and ß case-folded
    ],
)
def test_words_and_compact_fold_mixed_texts(text: str, folded: list[str], compacted: str) -> None:
    assert words(text) == folded
    assert compact(text) == compacted
