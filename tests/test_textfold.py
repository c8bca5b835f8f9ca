"""Text folding's shortcut: text of ASCII and CJK ideographs alone is folded by its lower case, which is
what NFKC, case folding, accent stripping and the removal of format characters give such text."""

from __future__ import annotations

import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusters_cli import textfold
from clusters_cli.sanitize import clean
from clusters_cli.store.searchtext import fold, stem
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


# --- the fast paths of compact, words, toned, without_suffix and search's fold, against the whole way


def _compact_whole(text: str) -> str:
    return textfold._NON_WORD.sub("", textfold._folded(clean(text)))[: textfold.MAX_QUERY]


def _words_whole(text: str) -> list[str]:
    text = clean(text)
    if not text.isascii() and not textfold._plain().fullmatch(text):
        text = textfold._folded("".join(ch for ch in text if unicodedata.category(ch) != "Cf"))
    else:
        text = text.lower()
    return [w for w in textfold._NON_WORD.split(text) if w]


def _strip_accents_whole(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def _toned_whole(text: str) -> str:
    text = unicodedata.normalize("NFC", clean(text).casefold())
    return (
        ""
        if text == _strip_accents_whole(text)
        else textfold.TONED + textfold._NON_WORD.sub("", text)[: textfold.MAX_QUERY]
    )


def _without_suffix_whole(name: str) -> str | None:
    for suffix in textfold.ZH_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return None


TRICKY = [
    *(
        "",
        " ",
        "s",
        "ss",
        "ies",
        "boxes",
        "Batteries",
        "Batteries pack",
        "boxes of chip",
        "glass",
        "bus's",
        "s s s",
        "Xī'ān",
        "Sūzhōu",
        "SŪZHŌU",
    ),
    *(
        "Lǚshùnkǒu",
        "Jing-Jin-Ji",
        "ＡＮＨＵＩ",
        "Ｓｕｚｈｏｕ　Ｃｉｔｙ",
        "（合肥）",
        "廣東",
        "零跑汽車",
        "广西壮族自治区",
        "市",
    ),
    *("北京市", "锡林郭勒盟", "soft\u00adhyphen", "zero\u200bwidth", "合\u200b肥", "\ufeffbom", "a\u0301", "e\u0301s"),
    *("ﬁsh", "Straße", "İstanbul", "ΣΊΣΥΦΟΣ", "Ⅻ", "x²", "①②", "㎞", "ｶﾞ", "한국s", "١٢٣", "\x00nul", "tab\there"),
    *("\x1b[31mred\x1b[0m", "\x7fdel", "\ud800lone", "\ufffe", "a_b", "snake_cases", "“quoted”s", "《书名》", "\u3000"),
    *("\u00a0nbsp", "\u2028ls", "𠀀𠀁", "\U0001f600s", "x" * 300, "中" * 300, " " * 250 + "Shanghai", "A" * 199 + "ÉÉ"),
]


def _assert_folds_as_the_whole_way(text: str) -> None:
    assert compact(text) == _compact_whole(text), repr(text)
    assert words(text) == _words_whole(text), repr(text)
    assert textfold.toned(text) == _toned_whole(text), repr(text)
    assert textfold.without_suffix(text) == _without_suffix_whole(text), repr(text)
    assert textfold.strip_accents.__wrapped__(text) == _strip_accents_whole(text), repr(text)
    assert fold.__wrapped__(text) == " ".join(stem(w) for w in words(text)), repr(text)


MIXED = (
    "aSs _-'.,ÉāǚüÜ\u0301合廣东市区　ＡＢｓ１\u00ad\u200b\ufeff\x1b"  # letters, marks, Han, full-width, Cf, controls
)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet=st.sampled_from(MIXED))))
def test_each_fast_path_folds_as_the_whole_way(text: str) -> None:
    _assert_folds_as_the_whole_way(text)


def test_each_fast_path_folds_awkward_texts_as_the_whole_way() -> None:
    for text in TRICKY:
        _assert_folds_as_the_whole_way(text)


# words each of the stemming rules reads, at and around its lengths (ies after one letter and after two; a word
# of three letters ending in s and one of four), and ends that look like them
STEMMED = ("ies", "aies", "abies", "ties", "proxies", "ches", "aches", "shes", "sses", "classes", "xes", "boxes")
STEMMED += ("es", "s", "as", "gas", "gass", "bus", "buses", "ss", "glass", "汽车s", "汽车车s", "ÉÉs", "ǚes")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(),
            st.text(alphabet=st.sampled_from(MIXED)),
            st.lists(st.sampled_from([*STEMMED, " ", "-", "_", "\n", "合肥", "Běi"]), max_size=6).map("".join),
        ),
        max_size=12,
    )
)
def test_texts_folded_together_fold_as_each_alone(texts: list[str]) -> None:
    """The cache build folds its search texts together (searchtext.fold_all: joined, by passes over them all):
    each comes out as fold() makes it alone, its plurals too."""
    from clusters_cli.store.searchtext import fold_all

    assert fold_all(texts) == [fold.__wrapped__(t) for t in texts]


def test_awkward_texts_folded_together_fold_as_each_alone() -> None:
    from clusters_cli.store.searchtext import fold_all

    texts = [*TRICKY, *STEMMED, " ".join(STEMMED), "\n".join(STEMMED), *HAN]
    assert fold_all(texts) == [fold.__wrapped__(t) for t in texts]
    assert fold_all(["Batteries and boxes", "glass buses", "ties"]) == ["battery and box", "glass buse", "tie"]
    # made together, not each alone (which gives the same): the plain texts as bytes, the others normalised
    assert textfold._joined_words(["Jing-Jin-Ji", "合肥 city_s"], plain=True) == ["jing jin ji", "合肥 city s"]
    assert textfold._joined_words(["Xī'ān", "ＡＮＨＵＩ", "ﬁsh"], plain=False) == ["xi an", "anhui", "fish"]


def test_what_the_fast_paths_rest_on_holds_for_every_character() -> None:
    """compact leaves alone a text that is all letters and digits, and removes what its pattern matches from
    ASCII as bytes; words filters no format character from a printable text."""
    everything = list(map(chr, range(sys.maxunicode + 1)))
    assert [c for c in everything if (textfold._NON_WORD.fullmatch(c) is None) != c.isalnum()] == []
    assert [c for c in everything if c.isprintable() and unicodedata.category(c) == "Cf"] == []
    ascii_removed = {chr(b) for b in textfold._ASCII_NON_WORD}
    assert ascii_removed == {c for c in everything[:128] if textfold._NON_WORD.fullmatch(c)}


# traditional characters, phrases OpenCC converts as a whole (乾隆 keeps its 乾, which alone may become 干),
# simplified ones, ASCII, line breaks and what clean() removes
HAN = ("乾隆", "乾燥", "乾", "頭髮", "髮", "著作", "瞭解", "後", "後面", "廣東", "零跑汽車", "合肥", "風電", "中")
HAN += ("隆", "頭", "燥", "a", " ")  # a phrase's characters apart too: a text ending 乾, the next starting 隆
HAN_PARTS = (*HAN, "\n", "\t", "\x1b[31m", "\ud800", "\u200b", "Ｓ")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(HAN_PARTS), max_size=6).map("".join), max_size=12))
def test_texts_made_simplified_together_are_made_as_each_alone(texts: list[str]) -> None:
    """The cache build converts every text's traditional characters in one call of OpenCC (textfold.simplified_all,
    searchtext.search_forms): each comes out as it does converted alone, a phrase's characters kept together."""
    from clusters_cli.store.searchtext import search_form, search_forms

    assert textfold.simplified_all(texts) == [textfold.simplified(t) for t in texts]
    assert search_forms(texts) == [search_form(t) for t in texts]


def test_awkward_texts_made_simplified_together_are_made_as_each_alone() -> None:
    from clusters_cli.store.searchtext import search_form, search_forms

    texts = [*TRICKY, *HAN, "乾隆\n乾", "\n", "乾隆年間", "x乾"]
    assert textfold.simplified_all(texts) == [textfold.simplified(t) for t in texts]
    assert search_forms(texts) == [search_form(t) for t in texts]
    assert textfold.simplified_all(["乾隆", "乾燥", "頭髮"]) == ["乾隆", "干燥", "头发"]  # by phrase, not character
    assert textfold.simplified_all(["乾", "隆"]) == ["干", "隆"]  # a phrase's characters in two texts stay apart
