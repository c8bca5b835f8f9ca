"""Chinese names typed with a character of the same sound: 江酥 for 江苏, 苏洲 for 苏州, 陆安 for 六安.

A pinyin input method offers every character of a syllable, so the commonest slip in a Chinese name is a
homophone picked from the list. When a Chinese query matches no name, the places whose names sound as the
query does (the same number of characters, each character read one of the ways it can be read, tones set
aside) are suggested. They are never read as the answer: every character is a real one, and the query may
name a real place the knowledge base does not hold (a town, a village), so reading it as another place would
change the question.

The readings of characters are pypinyin's (MIT), every reading of each character read alone (六 is liù and
lù), not as its phrase dictionary reads a word; loaded only for a Chinese query that no name matches.
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import TYPE_CHECKING

from .textfold import ZH_SUFFIXES, compact, simplified, strip_accents, without_suffix

if TYPE_CHECKING:
    from .store.kb import KB

MAX_SOUNDS = 256  # readings of a query tried at most (a name of six characters of two readings each is 64)
# the suffixes a name is known without (textfold.ZH_SUFFIXES), and those of a county or district a query may add
_SUFFIXES = (*ZH_SUFFIXES, "自治县", "县", "区", "旗")


@functools.lru_cache(maxsize=4096)
def _readings(ch: str) -> frozenset[str]:
    """Every toneless reading of a character (ü as u, as names are compared); none where it has none."""
    # (pypinyin's PYPINYIN_NO_PHRASES would spare its phrase dictionary, but an environment variable set here
    # would reach every later import of pypinyin in this process and its children: a cost paid on a miss only)
    from pypinyin import Style, pinyin

    found = pinyin(ch, style=Style.NORMAL, heteronym=True, v_to_u=True, errors="ignore")
    return frozenset(strip_accents(r) for r in found[0]) if found and found[0] else frozenset()


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"


def sounds(text: str) -> set[str]:
    """The ways a name of Chinese characters can be read, each a compact toneless pinyin ('luan', 'liuan' for
    六安); empty where a character is not Chinese or has no reading, or where there are more than MAX_SOUNDS."""
    if not text or not all(_is_han(ch) for ch in text):
        return set()
    each = [_readings(ch) for ch in text]
    if not all(each) or math.prod(len(r) for r in each) > MAX_SOUNDS:
        return set()
    return {"".join(parts) for parts in itertools.product(*(sorted(r) for r in each))}


def _read_alike(name: str, query: str) -> bool:
    """Whether two names of as many characters can be read alike, character for character."""
    return all(a == b or _readings(a) & _readings(b) for a, b in zip(name, query, strict=True))


def _bases(text: str) -> list[str]:
    """The name as typed (simplified, spaces and punctuation dropped) and without its administrative suffix."""
    key = compact(simplified(text))
    bare = without_suffix(key, _SUFFIXES)
    return [key] if bare is None else [key, bare]


def sound_alike(kb: KB, kind: str, query: str) -> list[str]:
    """The ids of the entities of `kind` a Chinese name of which sounds as the query does, character for
    character: those sharing more characters with the query first (台洲 is likelier 台州 than 伊州, though 台
    can be read yí), then by id; [] for a query that is not wholly Chinese characters.

    The names checked are those the store finds by the query's readings (a name's pinyin as the data gives
    it: 江酥 finds 江苏 by jiangsu) and those of as many characters sharing its first or last character (柳安
    finds 六安, read liù'ān as well as lù'ān, by 安); each is then read every way its characters can be read."""
    found: dict[str, int] = {}
    for base in _bases(query):
        heard = sounds(base)
        if not heard:
            continue
        candidates = kb.ids_named(kind, sorted(heard))
        candidates |= {ident for _key, ident in kb.close_keys(kind, base, len(base), len(base))}
        # each candidate's two Chinese names alone, read in the store: at 100 times the shipped data a name of six
        # characters ending in 市 has 30,000 candidates, and read whole they took the command to 115 MB (now 92)
        for ident, (name_zh, short_zh) in kb.fields(kind, sorted(candidates), ("name_zh", "short_zh")).items():
            names = {compact(n) for n in [*_bases(str(name_zh or "")), str(short_zh or "")]}
            alike = [n for n in names if len(n) == len(base) and _read_alike(n, base)]
            shared = [sum(a == b for a, b in zip(n, base, strict=True)) for n in alike]
            if shared:
                found[ident] = max(found.get(ident, 0), *shared)
    return sorted(found, key=lambda ident: (-found[ident], ident))
