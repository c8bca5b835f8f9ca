"""What free-text search looks at: the searchable texts of each entity.

Computed once, when the knowledge base is compiled, from plain dicts.
"""

from __future__ import annotations

import functools
from typing import Any

from ..textfold import words
from .rules import Lookup, cluster_cities, cluster_provinces, cluster_sectors


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
    return " ".join(stem(w) for w in words(text))


def _sector_texts(lookup: Lookup, sector_id: str) -> list[tuple[str, str, str]]:
    s = lookup["sector"][sector_id]
    return [("sector", "sector", t) for t in [s["name"], *s["synonyms"]]]


def search_fields(lookup: Lookup, kind: str, e: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(field, label shown in 'why', text) for every searchable text of an entity."""
    out: list[tuple[str, str, str]] = [("name", "name", str(e.get("name", e.get("metric", ""))))]
    for key, label in (("official_name", "official name"), ("name_zh", "Chinese name"), ("pinyin", "pinyin")):
        if e.get(key):
            out.append(("name", label, e[key]))
    out += [("name", "alias", a) for a in e.get("aliases", [])]
    out += [("name", "synonym", s) for s in e.get("synonyms", [])]
    out += [("specialty", "specialty", s) for s in e.get("specialties", [])]
    if kind == "cluster":
        for sid in cluster_sectors(e):
            out += _sector_texts(lookup, sid)
    elif kind in ("company", "statistic") and e.get("sector"):
        out += _sector_texts(lookup, e["sector"])
    if kind == "park":
        for sid in e["sectors"]:
            out += _sector_texts(lookup, sid)
        out.append(("place", "place", lookup["city"][e["city"]]["name"]))
    if kind == "statistic":
        out.append(("metric", "metric", e["metric"]))
    if kind == "cluster":
        places = [lookup["city"][c]["name"] for c in cluster_cities(lookup, e)]
        places += [lookup["province"][p]["name"] for p in cluster_provinces(lookup, e)]
        if e.get("region"):
            region = lookup["region"][e["region"]]
            places += [region["name"], *region.get("aliases", [])]
        out += [("place", "place", p) for p in places]
    if e.get("summary"):
        out.append(("summary", "summary", e["summary"]))
    return out
