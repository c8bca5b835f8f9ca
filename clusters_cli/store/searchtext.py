"""What free-text search looks at: the searchable texts of each entity.

Computed once, when the knowledge base is compiled, from plain dicts.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from typing import Any

from ..kinds import adapter
from ..model import KINDS
from ..textfold import simplified, simplified_all, words, words_all
from .rules import Lookup


def stem(word: str) -> str:
    """Crude English plural folding, so 'battery' finds 'batteries'."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


@functools.lru_cache(maxsize=16384)  # sector names and places recur in many entities' texts
def fold(text: str) -> str:
    """Lower-case, accent-free, plural-folded words joined by single spaces."""
    found = words(text)
    joined = " ".join(found)
    # stem changes only a word ending in s, and most texts have none (a word holds no space: one ending in s is
    # the last, or followed by "s ")
    if not joined.endswith("s") and "s " not in joined:
        return joined
    return " ".join([stem(w) for w in found])


def search_form(text: str) -> str:
    """What search compares a text by (the `folded` column): the folded text, and on a line of its own the
    folded text with traditional characters made simplified, where that differs (零跑汽車 is found by 零跑汽车
    too, and by 零跑汽車 as written)."""
    folded = fold(text)
    if text.isascii():
        return folded
    simple = fold(simplified(text))
    return folded if simple == folded else f"{folded}\n{simple}"


def search_forms(texts: list[str]) -> list[str]:
    """search_form of each text, the traditional characters of all of them made simplified at once
    (textfold.simplified_all), and each different text folded once, all at once (fold_all)."""
    others = [text for text in texts if not text.isascii()]
    plains = simplified_all(others)
    unique = list(dict.fromkeys(itertools.chain(texts, plains)))
    folds = dict(zip(unique, fold_all(unique), strict=True))
    simple = dict(zip(others, map(folds.__getitem__, plains), strict=True))
    return [
        form if text.isascii() or simple[text] == form else f"{form}\n{simple[text]}"
        for text, form in zip(texts, map(folds.__getitem__, texts), strict=True)
    ]


# English plurals folded as stem() folds each word, over many folded texts at once (words parted by single
# spaces, texts by line breaks): in stem's order, a word changed by one rule ending as no later rule reads. Each
# pattern starts with its letters, which the regex engine searches for fast, and looks behind them for the
# length of the word (led by a look behind, a pattern was tried at every character: 0.5 s at 10x, not 0.07)
_STEMS = (
    (re.compile(r"ies(?![^ \n])(?<=[^ \n]{2}ies)"), "y"),  # a word of five letters or more
    (re.compile(r"es(?![^ \n])(?:(?<=ches)|(?<=shes)|(?<=sses)|(?<=xes))"), ""),
    (re.compile(r"s(?![^ \n])(?<=[^ \n]{3}s)(?<!ss)"), ""),  # four letters or more, not ending in ss
)


def fold_all(texts: list[str]) -> list[str]:
    """fold() of each text: the words of the printable ones made all at once (textfold.words_all), their plurals
    folded all at once too; the others one by one. tests/test_textfold.py holds the two ways to each other."""
    made = words_all(texts)
    together = [at for at, text in enumerate(made) if text is not None]
    joined = "\n".join([made[at] or "" for at in together])
    for pattern, replacement in _STEMS:
        joined = pattern.sub(replacement, joined)
    out = [text if made[at] is not None else fold(text) for at, text in enumerate(texts)]
    for at, text in zip(together, joined.split("\n") if together else [], strict=True):
        out[at] = text
    return out


def search_fields(lookup: Lookup, kind: str, e: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field, label shown in 'why', text) for every searchable text of an entity: its names, specialties
    and summary, and what its kind adds (kinds.Adapter.search_texts: sectors, places, a figure's metric). The
    first is its name, field and label 'name': its row numbers the entity (writers.write_search_texts), and
    KB.search_entities reads a hit's name there."""
    out: list[tuple[str, str, str]] = [("name", "name", str(e.get("name", e.get(KINDS[kind].label, ""))))]
    for key, label in (("official_name", "official name"), ("name_zh", "Chinese name"), ("pinyin", "pinyin")):
        if e.get(key):
            out.append(("name", label, e[key]))
    # a division's short Chinese name as people write it (合肥 for 合肥市): `search 合肥` found the city only among
    # the clusters whose Chinese names start with 合肥市, where `search hefei` finds it first, by its whole name
    if e.get("short_zh") and e["short_zh"] != e.get("name_zh"):
        out.append(("name", "Chinese name", e["short_zh"]))
    out += [("name", "alias", a) for a in e.get("aliases", [])]
    out += [("name", "synonym", s) for s in e.get("synonyms", [])]
    out += [("specialty", "specialty", s) for s in e.get("specialties", [])]
    out += adapter(kind).search_texts(lookup, e)
    if e.get("summary"):
        out.append(("summary", "summary", e["summary"]))
    return out


Query = Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]

# the numbers of the texts (the table `texts`) the trigram index finds for a MATCH expression
_INDEXED = "SELECT rowid FROM search_tri WHERE search_tri MATCH ?"
_READ = "SELECT tid FROM texts WHERE instr(folded, ?) > 0"  # reading each text
_PAD = "\ufffd\ufffe\uffff"  # what the index reads as what follows each text (layout.SCHEMA: `padded`)
_MERGED_PER_READ = 50  # steps of a merge of trigrams' lists that cost what reading one text costs


def texts_holding(query: Query, word: str) -> tuple[str, str] | None:
    """(a query of the numbers of texts, its parameter) giving exactly the texts holding `word`, a query's word
    as folded (as instr finds it), found by the trigram index where it narrows them; None where no text holds
    it. A text is one of the table `texts`: each different folded text once, named by its search rows' `tid`
    (store/textids.py). `query` runs SQL on the compiled database.

    The index holds each text followed by two U+FFFD (layout.SCHEMA, `padded`; its tokenizer reads U+FFFE
    and U+FFFF as U+FFFD too, and a word holding one of them is read): a word of three characters or more is a
    phrase of its trigrams, found in no text but those holding it. A shorter one is found by the trigrams that
    start with it: every place it stands in a text starts one (two characters follow every character), and
    every trigram starting with it stands where it does. The index folds letters' case (as the query's words
    are folded already): the trigrams are looked up by a word of letters that have none (CJK, digits) or
    ASCII lower case alone; another, and a word standing in a quarter of the texts or more, or after so many
    characters that merging its trigrams' lists costs more than reading every text, is read."""
    if not word or any(ch in _PAD for ch in word):
        return _READ, word
    if len(word) >= 3:
        return _INDEXED, _phrase(word)
    if not _caseless(word):
        return _READ, word
    trigrams = query("SELECT term, doc FROM search_vocab WHERE term >= ? AND term < ?", (word, _after(word)))
    if not trigrams:
        return None
    texts = _texts(query)
    matched = sum(doc for _, doc in trigrams)  # the texts holding them (a text holding two, twice)
    # FTS5 steps every trigram's list at each text an OR finds: a word after which many characters stand, in
    # many texts, is quicker read (2,025 trigrams in 200,000 texts: 0.83 s merged, 0.04 s read; at 100 times the
    # shipped data 市 has 137, merged in 0.18 s, read in 0.31 s, when the index held every row's text)
    if 4 * matched >= texts or len(trigrams) * matched >= _MERGED_PER_READ * texts:
        return _READ, word
    return _INDEXED, " OR ".join(_phrase(term) for term, _ in trigrams)


def texts_reach(query: Query, word: str) -> int:
    """At least as many texts as hold `word` (those texts_holding finds), told from the trigram index's list of
    its trigrams alone (search_vocab), each looked up once: for a word of three characters or more, the texts of
    its rarest trigram; for a shorter one, those of the trigrams it starts (a text holding two counted twice); for
    a word the index is not asked about (texts_holding reads every text), every text. A search of several words
    narrows its entities by the word the fewest texts hold (views/search._found)."""
    if not word or any(ch in _PAD for ch in word) or (len(word) < 3 and not _caseless(word)):
        return _texts(query)
    if len(word) >= 3:
        grams = [
            query("SELECT doc FROM search_vocab WHERE term = ?", (word[at : at + 3],)) for at in range(len(word) - 2)
        ]
        return min(int(rows[0][0]) if rows else 0 for rows in grams)
    rows = query("SELECT COALESCE(SUM(doc), 0) FROM search_vocab WHERE term >= ? AND term < ?", (word, _after(word)))
    return int(rows[0][0])


def _texts(query: Query) -> int:
    """How many texts there are, at most: the highest number of one (a delta build leaves numbers unused)."""
    return int(query("SELECT COALESCE(MAX(tid), 0) FROM texts", ())[0][0])


def _caseless(word: str) -> bool:
    """Whether the trigram index, which folds letters' case, finds a short word by the trigrams it starts as
    written: letters of ASCII lower case, or without case (CJK, digits)."""
    return all((ch.isascii() and not ch.isupper()) or ch.lower() == ch == ch.upper() for ch in word)


def _after(word: str) -> str:
    """The first text after every text that starts with `word`, in code point order (SQLite's, of UTF-8): its
    last character one higher, past the surrogates, which no text holds; after U+10FFFF, the last, its
    character before it one higher."""
    last = ord(word[-1]) + 1
    if last > 0x10FFFF:
        return _after(word[:-1]) if len(word) > 1 else "\U0010ffff" * 4  # beyond every trigram
    return word[:-1] + chr(0xE000 if 0xD800 <= last <= 0xDFFF else last)


def _phrase(text: str) -> str:
    """`text` as one FTS5 string (quoted, a quote doubled)."""
    return '"' + text.replace('"', '""') + '"'
