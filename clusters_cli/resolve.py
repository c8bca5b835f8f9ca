"""Query text -> entity, in stages that forgive the user but never change the question (README, "How
queries are matched").

Exact stages:
1. id, name, official name, alias or synonym, code;
2. Chinese name (with or without 省/市/自治区...), one-character abbreviation; traditional characters are
   folded to simplified first (廣東 is 广东);
3. pinyin, with or without spaces or tone marks.
Then, unless the run asks for exact names only (`--exact`, CLUSTERS_EXACT=1):
4. a prefix that ends at a word boundary of a name and names one entity only (not for acronyms);
5. a typing slip (slips.py, read in slipread.py): one mechanical slip away from one place only, across
   every kind (the city and the province Beijing are one place), a place the sources name. A query that
   is itself a name any kind holds is never read as another.
Every reading past stage 3 is announced. All comparison happens on a compact form: NFKC, case-folded,
accents and tone marks removed, spaces and punctuation dropped ("Jing-Jin-Ji" -> "jingjinji", "Xī'ān" ->
"xian", "ＡＮＨＵＩ" -> "anhui"). A tie the homonym policy cannot settle is ambiguous; the tool never guesses.

This module runs the stages in order and reads a query across kinds; resolver.py reads one kind's names
(the Resolver and its Match).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING

from .errors import Ambiguous, NotFound
from .i18n import N_, _, kind_word, name_of, paren
from .kinds import adapter
from .model import KINDS, divisions
from .resolver import Match, Resolver
from .sanitize import clean_one_line
from .textfold import compact, simplified

if TYPE_CHECKING:
    from .store.kb import KB, Entity

SEARCH_HINT = N_("`clusters search` looks everywhere")

# --exact for this run (None: CLUSTERS_EXACT decides)
_EXACT: ContextVar[bool | None] = ContextVar("exact", default=None)


def exact_only() -> bool:
    """Whether this run accepts exact names only (`--exact`, or CLUSTERS_EXACT=1)."""
    chosen = _EXACT.get()
    if chosen is not None:
        return chosen
    from .paths import env_flag

    return env_flag("CLUSTERS_EXACT")


@contextlib.contextmanager
def exact_names(on: bool) -> Iterator[None]:
    """Within the block, resolution accepts exact names only (when `on`)."""
    token = _EXACT.set(True if on else None)
    try:
        yield
    finally:
        _EXACT.reset(token)


def resolve(kb: KB, kind: str, query: str, *, suggest: bool = True) -> Match:
    """The entity of `kind` the user meant by `query` (the stages of this module's docstring).

    Raises Ambiguous, or NotFound with suggestions (and a pointer to another kind when the query names,
    say, a city rather than a province); without `suggest`, NotFound names no close spelling (a caller that
    tries several kinds suggests once, if none answers), only that pointer, the one thing it suggests then.
    """
    resolver = Resolver(kb, kind)
    key = resolver.check_query(query)
    found = resolver.exact(query)
    if found is not None:
        return with_namesakes(kb, kind, query, found)
    shown = clean_one_line(query)
    if kind in PLACE_KINDS and key in _LEFT_OUT:  # never read as a slip of another place (Taiwan as Tai'an)
        raise NotFound(kind, shown, [], LEFT_OUT_HINT)
    hint = _named_elsewhere(kb, kind, query)
    if hint is not None:  # the query is a name another kind holds: never read as one of this kind
        raise NotFound(kind, shown, [hint], SEARCH_HINT)
    misfit = resolver.misfit(query)
    if misfit is not None:  # a name with a word its place does not fit: asked back, never read as a slip
        raise NotFound(kind, shown, [misfit], SEARCH_HINT)
    if not exact_only():
        found = resolver.prefixed(query)
        if found is not None:
            # `battery` starts Battery materials and is the singular of Batteries (Lithium batteries): a question
            # with two answers, never read as the first (`batteries` and 电池 are Lithium batteries)
            inflected = resolver.inflected(query)
            if inflected is not None and inflected != found.entity["id"]:
                raise Ambiguous(kind, shown, resolver.labels([inflected, str(found.entity["id"])], ids=True))
            return found
        from .slipread import slipped_place  # a slip read across every kind

        slipped = slipped_place(kb, kind, query, key)
        if isinstance(slipped, Match):
            return slipped
        if not slipped:  # a Chinese word of a sector's name, not read by its start (Resolver.prefixed)
            from .suggest import words_inside

            slipped = words_inside(kb, kind, compact(simplified(query)))  # 電 as 电, as prefixed reads it
        readings = slipped
    else:
        readings = []
    if not suggest:
        missed = NotFound(kind, shown, [], SEARCH_HINT)
        missed.readings = readings
        raise missed
    from .suggest import suggestions  # what a query no name matches may have meant

    raise NotFound(kind, shown, suggestions(kb, kind, query, readings), SEARCH_HINT)


# the division the knowledge base leaves out, as the article and its sources do (README, "The knowledge
# base"): its names, codes and ISO code, compacted. A query naming it is told so, never read as a slip of a
# place held (`city Taiwan` opened Tai'an, 泰安, "read as a typing slip")
_LEFT_OUT = frozenset({"taiwan", "taiwanprovince", "台湾", "台湾省", "臺灣", "臺灣省", "710000", "71", "cntw", "tw"})
LEFT_OUT_HINT = N_("Taiwan is left out: the knowledge base and its sources cover mainland China, Hong Kong and Macao")
PLACE_KINDS = frozenset(divisions())  # province, region, city


# how a place is read by a code, not a name: no other place shares a name with it then
_CODES = frozenset({"id", "code", "ISO 3166-2 code", "abbreviation"})


def with_namesakes(kb: KB, kind: str, query: str, found: Match) -> Match:
    """A place read by its name, with what else the name is exactly named beside it (the kind's `namesakes`):
    the province or city of that name (`city Hebei` opens 河北区, a district of Tianjin, and says Hebei also
    names the province), and the cluster named for a town of that name (`city Guzhen` opens 固镇县, a county of
    Anhui, and names the lighting cluster of 古镇, a town of Zhongshan, as `cluster Guzhen` opens it): the place
    is read, never alone."""
    if found.matched_by in _CODES:  # `HE` is Hebei's code, no name of 和县
        return found
    others: list[tuple[str, Entity]] = []
    for other, wanted, holding in adapter(kind).namesakes:
        try:
            match = Resolver(kb, other).exact(query, as_id=False)
        except Ambiguous:
            continue
        if match is None or (wanted is not None and match.matched_by != wanted):
            continue
        if holding and not kb.clusters_in(other, str(match.entity["id"])):
            continue
        others.append((other, match.entity))
    return found.naming(kind, others)


def other_kinds(kind: str) -> list[str]:
    """The kinds a query may name instead of `kind` (figures and sources are not looked up by name)."""
    return [other for other in KINDS if other not in (kind, "statistic", "source")]


def _named_elsewhere(kb: KB, kind: str, query: str) -> str | None:
    """'the park Liangjiang New Area (clusters park ...)': an entity of another kind the query names exactly,
    which a lookup of `kind` names instead of suggesting close spellings of its own."""
    for other in other_kinds(kind):
        try:
            found = Resolver(kb, other).exact(query)
        except Ambiguous:  # a name several of that kind share (枝江 and 芷江 are both Zhijiang) is a name all the same
            shown = clean_one_line(query)
            return _("the {kind} {name}").format(kind=kind_word(other), name=shown + paren(f"clusters {other} {shown}"))
        if found is not None:
            name = name_of(found.entity) + paren(f"clusters {other} {found.entity['id']}")
            return _("the {kind} {name}").format(kind=kind_word(other), name=name)
    return None
