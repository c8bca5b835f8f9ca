"""What free-text search looks at: the searchable texts of each entity.

Computed once, when the knowledge base is compiled, from plain dicts.
"""

from __future__ import annotations

import functools
from typing import Any

from ..kinds import adapter
from ..model import KINDS
from ..textfold import simplified, simplified_all, words
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
    return _form(text, text if text.isascii() else simplified(text))


def search_forms(texts: list[str]) -> list[str]:
    """search_form of each text, the traditional characters of all of them made simplified at once
    (textfold.simplified_all)."""
    plains = iter(simplified_all([text for text in texts if not text.isascii()]))
    return [_form(text, text if text.isascii() else next(plains)) for text in texts]


def _form(text: str, plain: str) -> str:
    """search_form of a text, given it with traditional characters made simplified."""
    folded = fold(text)
    if text.isascii():
        return folded
    simple = fold(plain)
    return folded if simple == folded else f"{folded}\n{simple}"


def search_fields(lookup: Lookup, kind: str, e: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field, label shown in 'why', text) for every searchable text of an entity: its names, specialties
    and summary, and what its kind adds (kinds.Adapter.search_texts: sectors, places, a figure's metric)."""
    out: list[tuple[str, str, str]] = [("name", "name", str(e.get("name", e.get(KINDS[kind].label, ""))))]
    for key, label in (("official_name", "official name"), ("name_zh", "Chinese name"), ("pinyin", "pinyin")):
        if e.get(key):
            out.append(("name", label, e[key]))
    out += [("name", "alias", a) for a in e.get("aliases", [])]
    out += [("name", "synonym", s) for s in e.get("synonyms", [])]
    out += [("specialty", "specialty", s) for s in e.get("specialties", [])]
    out += adapter(kind).search_texts(lookup, e)
    if e.get("summary"):
        out.append(("summary", "summary", e["summary"]))
    return out
