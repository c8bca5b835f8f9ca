"""Stage 5 of resolve: a query read as a typing slip (slips.py) across every kind, where no name matches it.
Which place it is read as (the likeliest slip; among equally likely ones, the place holding clusters; only a
place the sources name), which places are named beside it, and, where none is read, which are suggested
first (README, "How queries are matched")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import Ambiguous
from .kinds import adapter
from .resolve import PLACE_KINDS, other_kinds
from .resolver import Match, Resolver
from .sanitize import clean_one_line
from .slips import STRENGTH, SWAP, is_acronym

if TYPE_CHECKING:
    from .store.kb import KB


def slipped_place(kb: KB, kind: str, query: str, key: str) -> Match | list[tuple[str, str]]:
    """The place the query is a typing slip of, across every kind (one id under several kinds is one place:
    the province and the city Beijing), announced; where none is read, the (kind, id) of each place one slip
    away, the likeliest first, for the suggestions (none for an acronym or a query of no slip).

    Several places one slip away: the likelier slip wins (slips.STRENGTH: Shenzen is Shenzhen, an h left out,
    not Shenze with an n too many); among places equally likely, one holding clusters wins, and the others
    are named in `also` as homonyms are; a slip of a name several places share (Suzohu: 苏州 and 宿州 are
    both Suzhou) is read as that name, so the homonym policy answers. A place is read only if
    the sources name it (its adapter's `named_by_sources`). Otherwise the query is a question, not an answer:
    the places one slip away are returned, to be suggested first."""
    if is_acronym(query) or not key.isascii():
        return []
    found: list[tuple[str, str, str, float, str]] = []  # (kind, id, slip, similarity, the name's compact form)
    for other in [kind, *other_kinds(kind)]:
        found += [(other, ident, which, score, form) for ident, which, score, form in Resolver(kb, other).slips(key)]
    if not found:
        return []
    every = found
    # the places read, the likeliest slip first: suggested first where none is read
    readings = list(dict.fromkeys((f[0], f[1]) for f in sorted(found, key=lambda f: (STRENGTH[f[2]], -f[3]))))
    best = min(STRENGTH[f[2]] for f in found)
    # the likeliest slips, less those of a sector's words that may be words of their own (suggested, not read):
    # a likelier slip declined still keeps a less likely one from being read
    found = [f for f in found if STRENGTH[f[2]] == best and _may_read(f[0], f[2], key)]
    if not found:
        return readings
    mine = [f for f in found if f[0] == kind]
    if not mine:
        return readings  # a slip of another kind's name: suggested, with its command
    places = list(dict.fromkeys(f[1] for f in found))
    _, ident, which, score, form = mine[0]
    if len(places) == 1:
        if not adapter(kind).named_by_sources(kb, ident):
            # a place no source names (a county of the reference table alone) is suggested, not read: a name one
            # slip from one of 2,800 counties is as likely a real place the knowledge base does not hold
            # (Kweiyang, an old spelling of Guiyang, is not 未央区; Changhua, 彰化, not 成华区), as a homophone is
            return readings
        entity = kb.get(kind, ident)
        assert entity is not None
        return _less_likely_too(kb, Match(entity, "slip", round(score, 1), slip=which), kind, every)
    if len({f[4] for f in found}) == 1:
        try:  # one name, several places: the homonym policy
            named = Resolver(kb, kind).exact(form, as_id=False)
        except Ambiguous as tie:  # said of what was typed (`Taizou`), not of the name it was read as
            raise Ambiguous(tie.kind, clean_one_line(query), tie.candidates) from None
        if named is None or not adapter(kind).named_by_sources(kb, str(named.entity["id"])):
            return readings  # as for one place: a place no source names is suggested, not read
        read = Match(named.entity, "slip", round(score, 1), also=named.also, slip=which)
        return _less_likely_too(kb, read, kind, every)
    cited = [f for f in found if kb.clusters_in(f[0], f[1])]
    if len({f[1] for f in cited}) != 1 or cited[0][0] != kind:
        return readings
    _, ident, which, score, _ = cited[0]
    entity = kb.get(kind, ident)
    assert entity is not None
    # every other place as close, of whatever kind of place (`province Shangai` names the city Shangcai too); a
    # firm, a cluster or a sector asked names only its own kind (`company Hutian` named three cities)
    others = [
        (other_kind, place)
        for other_kind, other_id in dict.fromkeys((f[0], f[1]) for f in found if f[1] != ident)
        if other_kind == kind or (kind in PLACE_KINDS and other_kind in PLACE_KINDS)
        if (place := kb.get(other_kind, other_id)) is not None
    ]
    read = Match(entity, "slip", round(score, 1), slip=which).naming(kind, others)
    return _less_likely_too(kb, read, kind, every)


# A word of everyday English one slip from another is common among short words and rare among long ones (tires
# and ties, stocks and socks, fighters and lighters, wedding and bedding: the audit of 2,372 sector queries found
# 28 such words read as a sector they do not mean, of 5 to 8 letters, one of them a swap, diary for dairy): a
# slip of a name of words (kinds.Adapter.worded, a sector's) is read as one only in a query of this many letters
# or more, or where it is two letters swapped (textlies), which turns few words into others; otherwise it is
# suggested first.
WORD_SLIPS_FROM = 9


def _may_read(kind: str, which: str, key: str) -> bool:
    """Whether a slip of a name of this kind may be read as one (or only suggested)."""
    return not adapter(kind).worded or which == SWAP or len(key) >= WORD_SLIPS_FROM


def _less_likely_too(kb: KB, read: Match, kind: str, every: list[tuple[str, str, str, float, str]]) -> Match:
    """The slip read, with the places the sources name (they hold clusters) one less likely slip away named in
    `also` too: `city Gangzhou` is read as Ganzhou (n and ng confused) and says it is one slip from Guangzhou
    (a letter left out) too, which it never named; a county no source names is left to the suggestions, and a
    firm or a cluster asked names no place beside it."""
    if kind not in PLACE_KINDS:
        return read
    places = [
        (other_kind, place)
        for other_kind, other_id in dict.fromkeys((f[0], f[1]) for f in every)
        if other_kind in PLACE_KINDS and kb.clusters_in(other_kind, other_id)
        if (place := kb.get(other_kind, other_id)) is not None
    ]
    return read.naming(kind, places)
