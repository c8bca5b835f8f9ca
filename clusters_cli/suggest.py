"""What a query no name matches may have meant (README, "How queries are matched"): of the kind asked, a
Chinese name of the same sound (homophones.py) and then close spellings, five at most; then, of other kinds,
up to three: a province or city of the same sound, and the closest name of each kind scoring FUZZY_CUTOFF.
Suggestions are never read as the answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .i18n import _, kind_word
from .resolve import Resolver, other_kinds
from .textfold import compact

if TYPE_CHECKING:
    from .store.kb import KB

FUZZY_CUTOFF = 75.0  # a close name of another kind is worth naming among the suggestions
SOUND_KINDS = ("province", "city")  # the kinds whose entries carry pinyin, read from the reference table


def suggestions(kb: KB, kind: str, query: str) -> list[str]:
    """The labels a NotFound of `kind` names: its own, then up to three of other kinds."""
    elsewhere = [*_sound_alike_elsewhere(kb, kind, query), *_closest_elsewhere(kb, kind, query)]
    return own_suggestions(kb, kind, query) + list(dict.fromkeys(elsewhere))[:3]


def own_suggestions(kb: KB, kind: str, query: str) -> list[str]:
    """The entities of `kind` the query may have meant: a Chinese name of the same sound (江酥 for 江苏), then
    close spellings; five at most."""
    resolver = Resolver(kb, kind)
    found = [*resolver.labels(_sound_alike(kb, kind, query)), *resolver.suggestions(compact(query))]
    return list(dict.fromkeys(found))[:5]


def _sound_alike(kb: KB, kind: str, query: str) -> list[str]:
    """The ids of `kind` a Chinese query sounds like; none for a query with a letter or digit in it (pypinyin's
    readings are loaded only for a Chinese query no name matches)."""
    if query.isascii():
        return []
    from .homophones import sound_alike

    return sound_alike(kb, kind, query)


def _sound_alike_elsewhere(kb: KB, kind: str, query: str) -> list[str]:
    """'the city Suzhou (苏州市, Jiangsu)' for each province or city of another kind the query sounds like; a
    place under two kinds of one id (Chongqing, a city and a province) is named once, as the kind asked."""
    mine = set(_sound_alike(kb, kind, query)) if kind in SOUND_KINDS else set()
    out = []
    for other in other_kinds(kind):
        if other not in SOUND_KINDS:
            continue
        theirs = [i for i in _sound_alike(kb, other, query) if i not in mine]
        out += [
            _("the {kind} {name}").format(kind=kind_word(other), name=n) for n in Resolver(kb, other).labels(theirs)
        ]
    return out


def _closest_elsewhere(kb: KB, kind: str, query: str) -> list[str]:
    """'the city Anqiu (安丘市, Shandong)': the closest name of each other kind, where it scores FUZZY_CUTOFF."""
    key = compact(query)
    out = []
    for other in other_kinds(kind):
        resolver = Resolver(kb, other)
        found = resolver.fuzzy(key, FUZZY_CUTOFF)  # only a score that could be suggested matters
        if found:
            out.append(_("the {kind} {name}").format(kind=kind_word(other), name=resolver.label(found[0][0])))
    return out
