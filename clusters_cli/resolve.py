"""Query text -> entity, in stages that forgive the user.

1. exact id, name, official name, alias or synonym;
2. Chinese name (with or without 省/市/自治区...) or one-character abbreviation;
3. pinyin, with or without spaces or tone marks;
4. prefix of any of those forms;
5. fuzzy: rapidfuzz's `ratio` (normalised Levenshtein similarity) on the
   compact forms, cutoff 75, and a winner must lead the next entity by more
   than 3 points. `ratio` rather than `WRatio`, which scores a short query
   inside a long name as a near match ("york" in "New York Stock Exchange").

All comparison happens on a compact form: NFKC, case-folded, accents and tone
marks removed, spaces and punctuation dropped ("Jing-Jin-Ji" -> "jingjinji",
"Xī'ān" -> "xian", "ＡＮＨＵＩ" -> "anhui"). A tie at the first stage that
matches, or among prefixes, is ambiguous; the tool never guesses.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .errors import Ambiguous, NotFound, UsageProblem
from .kinds import adapter
from .model import KINDS
from .sanitize import clean_one_line
from .textfold import (
    compact,
    is_pinyin,
    toned,
)

if TYPE_CHECKING:
    from .store.kb import KB, Entity
    from .views.types import Resolved

FUZZY_CUTOFF = 75.0
FUZZY_MARGIN = 3.0
SUGGEST_CUTOFF = 55.0


class Match:
    __slots__ = ("also", "entity", "matched_by", "score")

    def __init__(self, entity: Entity, matched_by: str, score: float = 100.0, also: list[Entity] | None = None) -> None:
        self.entity = entity
        self.matched_by = matched_by  # name, alias, Chinese name, abbreviation, pinyin, prefix, fuzzy...
        self.score = score
        self.also = also or []  # other entities the same words name (homonyms), not chosen


class Resolver:
    """Resolves queries to entities of one kind, through the knowledge base's name keys."""

    def __init__(self, kb: KB, kind: str) -> None:
        self.kb = kb
        self.kind = kind

    def label(self, ident: str) -> str:
        e = self.kb.get(self.kind, ident) or {"name": ident}
        province = self.kb.get("province", adapter(self.kind).province_of(self.kb, e)) if "id" in e else None
        where = f", {province['name']}" if province and province["id"] != e.get("id") else ""
        name = e.get("name") or e.get("metric") or ident  # a figure has a metric, not a name
        return f"{name} ({e['name_zh']}{where})" if e.get("name_zh") else str(name)

    def _entity(self, ident: str) -> Entity:
        entity = self.kb.get(self.kind, ident)
        assert entity is not None, ident  # keys and entities come from one build
        return entity

    def exact(self, query: str) -> Match | None:
        """Stages 1-3 only; None when nothing matches exactly.

        Tone-marked pinyin is compared with its tones first (Sùzhōu is 宿州, never 苏州). A name shared by
        several places (Suzhou: 苏州 and 宿州) goes to the one the homonym policy prefers, with the others
        in `also`; where the policy cannot decide, Ambiguous.
        """
        slot: list[tuple[str, int, str]] = []
        tone_key = toned(query)
        if tone_key:
            slot = self.kb.keys_equal(self.kind, tone_key)
        if not slot:
            key = compact(query)
            slot = self.kb.keys_equal(self.kind, key) if key else []
        if not slot:
            return None
        best = min(stage for _, stage, _ in slot)
        winners = sorted({i for i, stage, _ in slot if stage == best})
        if len(winners) > 1 and query.strip() in winners:  # an id typed exactly is that entity, never a tie
            winners = [query.strip()]
        chosen = winners[0] if len(winners) == 1 else self.preferred(winners)
        if chosen is None:
            raise Ambiguous(self.kind, clean_one_line(query), [self.label(i) for i in winners])
        how = next(h for i, stage, h in slot if i == chosen and stage == best)
        also = [self._entity(i) for i in winners if i != chosen]
        return Match(self._entity(chosen), how, also=also)

    def preferred(self, idents: list[str]) -> str | None:
        """The homonym policy (README, "How queries are matched"): the place a source names (it holds
        clusters, parks or figures), then a provincial capital, then the higher level (a prefecture-level
        city before a county-level one). For sectors, the most specific of a line of sectors (`shoes` is
        Footwear, not Textiles, clothing and footwear, whose sub-sector it is). None when that leaves a tie."""
        if len(idents) < 2:
            return idents[0] if idents else None
        return adapter(self.kind).preferred(self.kb, idents)

    def resolve(self, query: str) -> Match:
        shown = clean_one_line(query)
        key = compact(query)
        if not key:
            what = "an empty" if not query.strip() else f"'{shown}', which has no letters or digits, is not a"
            raise UsageProblem(f"{what} {self.kind} name; try `clusters list {KINDS[self.kind].plural}`")
        found = self.exact(query)
        if found is not None:
            return found
        prefixed = self.kb.keys_with_prefix(self.kind, key, limit=11)
        if len(prefixed) == 1:
            return Match(self._entity(prefixed[0]), "prefix")
        if len(prefixed) > 1:
            raise Ambiguous(self.kind, shown, [self.label(i) for i in prefixed[:10]])
        scored = self.fuzzy(key)
        if scored and scored[0][1] >= FUZZY_CUTOFF:
            top = scored[0][1]
            close = [i for i, s, _ in scored if s > top - FUZZY_MARGIN]
            if len(close) > 1:
                raise Ambiguous(self.kind, shown, [self.label(i) for i in close[:10]])
            if self.fuzzy_allowed(key, scored[0][2]):
                return Match(self._entity(close[0]), "fuzzy", round(top, 1))
        suggestions = [self.label(i) for i, s, _ in scored if s >= SUGGEST_CUTOFF][:5]
        raise NotFound(self.kind, shown, suggestions)

    def fuzzy_allowed(self, key: str, nearest: str) -> bool:
        """Whether a near spelling may stand for the query: a typo, not another name.

        At most one edit (a transposition counts as one) for a query of up to 8 letters, two for a
        longer one; and never for a place when the query is itself good pinyin (it may name a real
        place the knowledge base does not hold).
        """
        from rapidfuzz.distance import OSA

        if KINDS[self.kind].division and is_pinyin(key):
            return False
        return OSA.distance(key, nearest) <= (1 if len(key) <= 8 else 2)

    def fuzzy(self, key: str, cutoff: float = SUGGEST_CUTOFF) -> list[tuple[str, float, str]]:
        """(entity id, best score, the compact form that scored it) near `key`, best first; only names that
        can reach `cutoff` are compared (fuzz.ratio is at most 2*min/(a+b) of the two lengths)."""
        if len(key) < 3:
            return []
        from rapidfuzz import fuzz, process  # paid only when exact lookup fails

        c = cutoff / 100
        shortest, longest = math.ceil(len(key) * c / (2 - c)), math.floor(len(key) * (2 - c) / c)
        keys = self.kb.all_keys(self.kind, shortest, longest)
        choices = [k for k, _ in keys]
        best: dict[str, tuple[float, str]] = {}
        for choice, score, index in process.extract(key, choices, scorer=fuzz.ratio, limit=25):
            ident = keys[index][1]
            if float(score) > best.get(ident, (0.0, ""))[0]:
                best[ident] = (float(score), choice)
        return sorted(((i, s, c) for i, (s, c) in best.items()), key=lambda item: (-item[1], item[0]))


def resolve(kb: KB, kind: str, query: str) -> Match:
    """The entity of `kind` the user meant by `query`.

    Raises Ambiguous, or NotFound with suggestions (and a pointer to another
    kind when the query names, say, a city rather than a province).
    """
    try:
        match = Resolver(kb, kind).resolve(query)
    except NotFound as missing:
        hint = _other_kind(kb, kind, query)
        elsewhere = _closest_elsewhere(kb, kind, query, skip=hint[0] if hint else "")
        if hint is not None:  # the kind that names it exactly is said once, exactly
            missing.suggestions = [hint[1], *missing.suggestions]
        missing.suggestions += _suggestions(elsewhere)
        missing.hint = "`clusters search` looks everywhere"
        raise
    if match.matched_by in ("fuzzy", "prefix"):
        # a near spelling of this kind never wins over what the query names exactly elsewhere
        # ("Liangjiang" is a park, not the city Yangjiang)
        hint = _other_kind(kb, kind, query)
        if hint is not None:
            raise NotFound(kind, clean_one_line(query), [hint[1]])
    if match.matched_by == "fuzzy":
        # another kind holding a name at least as close makes a fuzzy answer a guess
        elsewhere = _closest_elsewhere(kb, kind, query)
        if any(score >= match.score for score, _ in elsewhere):
            own = Resolver(kb, kind).label(match.entity["id"])
            raise NotFound(
                kind, clean_one_line(query), [own, *_suggestions(elsewhere)], "`clusters search` looks everywhere"
            )
    return match


def _other_kinds(kind: str) -> list[str]:
    """The kinds a query may name instead of `kind` (figures and sources are not looked up by name)."""
    return [other for other in KINDS if other not in (kind, "statistic", "source")]


def _closest_elsewhere(kb: KB, kind: str, query: str, skip: str = "") -> list[tuple[float, str]]:
    """(score, 'the city Anqiu (安丘市, Shandong)') of the closest name of each other kind, computed once
    for both questions asked of it: is the fuzzy answer beaten, and what to suggest."""
    key = compact(query)
    out = []
    for other in _other_kinds(kind):
        if other == skip:
            continue
        resolver = Resolver(kb, other)
        found = resolver.fuzzy(key, FUZZY_CUTOFF)  # only a score that could beat or be suggested matters
        if found:
            out.append((found[0][1], f"the {other} {resolver.label(found[0][0])}"))
    return out


def _suggestions(elsewhere: list[tuple[float, str]]) -> list[str]:
    return [label for score, label in elsewhere if score >= FUZZY_CUTOFF][:3]


def _other_kind(kb: KB, kind: str, query: str) -> tuple[str, str] | None:
    """(kind, 'the park Liangjiang New Area (clusters park ...)') of another kind the query names exactly."""
    for other in _other_kinds(kind):
        try:
            found = Resolver(kb, other).exact(query)
        except Ambiguous:
            continue
        if found is not None:
            return other, f"the {other} {found.entity['name']} (clusters {other} {found.entity['id']})"
    return None


def match_info(match: Match, query: str, kind: str = "") -> Resolved:
    """What the query resolved to, and the other places the same words name, for every output."""
    return {
        "query": clean_one_line(query, 200),
        "id": match.entity["id"],
        "name": match.entity["name"],
        "matched_by": match.matched_by,
        "score": match.score,
        "also": [
            {
                "id": e["id"],
                "name": e["name"],
                "name_zh": e.get("name_zh"),
                "province": e.get("province"),
                "command": f"clusters {kind} {e.get('name_zh') or e['id']}" if kind else "",
            }
            for e in match.also
        ],
    }
