"""What a query no name matches may have meant (README, "How queries are matched"): of the kind asked, a
Chinese name of the same sound (homophones.py) and then close spellings, five at most; then, of other kinds,
up to three: a province or city of the same sound, and the closest name of each kind scoring FUZZY_CUTOFF.
Suggestions are never read as the answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .i18n import _, kind_word
from .kinds import adapter
from .resolve import other_kinds
from .resolver import Resolver
from .textfold import compact

if TYPE_CHECKING:
    from .store.kb import KB

FUZZY_CUTOFF = 75.0  # a close name of another kind is worth naming among the suggestions
SOUND_KINDS = ("province", "city")  # the kinds whose entries carry pinyin, read from the reference table


def suggestions(kb: KB, kind: str, query: str, slips: Sequence[tuple[str, str]] = ()) -> list[str]:
    """The labels a NotFound of `kind` names: its own, then up to three of other kinds; first of each, the
    places the query is one slip from that resolve declined to read (`slips`: (kind, id), likeliest first)."""
    heard = _sound_alike(kb, [kind, *(k for k in SOUND_KINDS if k != kind)], query)
    mine = list(dict.fromkeys(ident for k, ident in slips if k == kind))
    others = [(k, [ident]) for k, ident in slips if k != kind and ident not in mine]  # one place, two kinds: once
    elsewhere = [*_labelled(kb, others), *_labelled(kb, heard[1:]), *_closest_elsewhere(kb, kind, query)]
    return _own(kb, kind, query, [*mine, *heard[0][1]]) + list(dict.fromkeys(elsewhere))[:3]


def words_inside(kb: KB, kind: str, key: str) -> list[tuple[str, str]]:
    """(kind, id) of the names of a kind of words (kinds.Adapter.worded) a Chinese query starts, where it is one
    character (汽: 汽车), then of those it stands inside (航天 in 航空航天, 环保 in 节能环保): suggested first, as a
    declined slip is (`slips` above); neither is read (resolver.Resolver.prefixed), but either is likely meant."""
    if key.isascii() or not adapter(kind).worded:
        return []
    starting = kb.keys_with_prefix(kind, key, limit=10)
    return [(kind, ident) for ident in dict.fromkeys([*starting, *kb.keys_inside(kind, key)])]


def own_suggestions(kb: KB, kind: str, query: str) -> list[str]:
    """The entities of `kind` the query may have meant: a Chinese name of the same sound (江酥 for 江苏), then
    close spellings; five at most."""
    return _own(kb, kind, query, _sound_alike(kb, [kind], query)[0][1])


def _own(kb: KB, kind: str, query: str, heard: list[str]) -> list[str]:
    resolver = Resolver(kb, kind)
    return list(dict.fromkeys([*resolver.labels(heard), *resolver.suggestions(compact(query))]))[:5]


def _sound_alike(kb: KB, kinds: list[str], query: str) -> list[tuple[str, list[str]]]:
    """(kind, ids) of each of `kinds` (the first the kind asked) a Chinese query sounds like, each place once:
    one id under two kinds (Chongqing, a province and a city) goes to the first. Nothing for a query with a
    letter or digit in it: pypinyin's readings are loaded only for a Chinese query no name matches."""
    if query.isascii():
        return [(k, []) for k in kinds]
    from .homophones import sound_alike

    seen: set[str] = set()
    out = []
    for k in kinds:
        ids = [] if k not in SOUND_KINDS and k != kinds[0] else sound_alike(kb, k, query)
        out.append((k, [i for i in ids if i not in seen]))
        seen.update(ids)
    return out


def _labelled(kb: KB, found: list[tuple[str, list[str]]]) -> list[str]:
    """'the city Suzhou (苏州市, Jiangsu)' for each (kind, ids)."""
    return [
        _("the {kind} {name}").format(kind=kind_word(k), name=label)
        for k, ids in found
        for label in Resolver(kb, k).labels(ids)
    ]


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
