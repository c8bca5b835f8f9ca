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

import re
import unicodedata
from typing import TYPE_CHECKING

from .errors import Ambiguous, NotFound, UsageProblem
from .model import KINDS
from .sanitize import clean, clean_one_line

if TYPE_CHECKING:
    from .store.kb import KB, Entity
    from .views.types import Resolved

FUZZY_CUTOFF = 75.0
FUZZY_MARGIN = 3.0
SUGGEST_CUTOFF = 55.0
MAX_QUERY = 200  # characters compared; longer queries are cut, not rejected

_NON_WORD = re.compile(r"[\W_]+")
_ZH_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "地区", "省", "市", "盟")
TONED = "~"  # key prefix of tone-marked pinyin: Sūzhōu (苏州) and Sùzhōu (宿州) are different keys

# priority of each stage; lower wins
EXACT, CHINESE, PINYIN, PREFIX, FUZZY = 0, 1, 2, 3, 4


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def compact(text: str) -> str:
    """The comparison form of a name or query."""
    text = strip_accents(unicodedata.normalize("NFKC", clean(text[:MAX_QUERY])).casefold())
    return _NON_WORD.sub("", text)


def words(text: str) -> list[str]:
    """Lower-case, accent-free words of a text (CJK runs stay whole)."""
    text = strip_accents(unicodedata.normalize("NFKC", clean(text)).casefold())
    return [w for w in _NON_WORD.split(text) if w]


def toned(text: str) -> str:
    """The comparison form keeping tone marks: 'Sūzhōu' -> '~sūzhōu'; '' when the text has none."""
    text = unicodedata.normalize("NFC", clean(text[:MAX_QUERY]).casefold())
    return "" if text == strip_accents(text) else TONED + _NON_WORD.sub("", text)


def index_keys(kind: str, entity: Entity) -> list[tuple[int, str, str]]:
    """(stage, how, key) for every way a user may name the entity, as the cache stores them."""
    out = [(stage, how, compact(text)) for stage, how, text in index_forms(kind, entity)]
    if entity.get("pinyin") and toned(entity["pinyin"]):
        out.append((PINYIN, "pinyin with tones", toned(entity["pinyin"])))
    return [(stage, how, key) for stage, how, key in out if key]


def index_forms(kind: str, entity: Entity) -> list[tuple[int, str, str]]:
    """(stage, how, text) for every way a user may name the entity."""
    # the order reports the most telling reason: "YRD" matched as an alias, not as an id
    out: list[tuple[int, str, str]] = [(EXACT, "name", str(entity.get("name") or entity.get("metric", "")))]
    if "official_name" in entity:
        out.append((EXACT, "official name", entity["official_name"]))
    out += [(EXACT, "alias", a) for a in entity.get("aliases", [])]
    out += [(EXACT, "synonym", s) for s in entity.get("synonyms", [])]
    out.append((EXACT, "id", entity["id"]))
    if entity.get("code"):  # 340000 and 34 for Anhui; 350200 for Xiamen
        out.append((EXACT, "code", entity["code"]))
        if kind == "province":
            out.append((EXACT, "code", entity["code"][:2]))
    if entity.get("iso_code"):  # CN-AH, and AH
        out += [(EXACT, "ISO 3166-2 code", entity["iso_code"]), (EXACT, "ISO 3166-2 code", entity["iso_code"][3:])]
    zh = entity.get("name_zh")
    if zh:
        out.append((CHINESE, "Chinese name", zh))
        if entity.get("short_zh") and entity["short_zh"] != zh:
            out.append((CHINESE, "Chinese name", entity["short_zh"]))
        for suffix in _ZH_SUFFIXES:
            if zh.endswith(suffix) and len(zh) > len(suffix) + 1:
                out.append((CHINESE, "Chinese name", zh[: -len(suffix)]))
                break
        if kind == "city" and not zh.endswith("市"):  # a city: 南通 and 南通市
            out.append((CHINESE, "Chinese name", zh + "市"))
    if "abbr" in entity:
        out += [(CHINESE, "abbreviation", a) for a in [entity["abbr"], *entity.get("abbr_alt", [])]]
    if "pinyin" in entity:
        out.append((PINYIN, "pinyin", entity["pinyin"]))
    return out


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
        province = self.kb.get("province", e.get("province")) if self.kind == "city" else None
        where = f", {province['name']}" if province and province["id"] != e.get("id") else ""
        return f"{e['name']} ({e['name_zh']}{where})" if e.get("name_zh") else str(e["name"])

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
        chosen = winners[0] if len(winners) == 1 else self.preferred(winners)
        if chosen is None:
            raise Ambiguous(self.kind, clean_one_line(query), [self.label(i) for i in winners])
        how = next(h for i, stage, h in slot if i == chosen and stage == best)
        also = [self._entity(i) for i in winners if i != chosen]
        return Match(self._entity(chosen), how, also=also)

    def preferred(self, idents: list[str]) -> str | None:
        """The homonym policy (README, "How queries are matched"): the place a source names (it holds
        clusters, parks or figures), then a provincial capital, then the higher level (a prefecture-level
        city before a county-level one). None when that leaves a tie."""
        if self.kind != "city":
            return None
        level = {"province": 0, "prefecture": 1, "county": 2}

        def rank(ident: str) -> tuple[bool, bool, int]:
            kb = self.kb
            cited = bool(
                kb.clusters_in("city", ident)
                or kb.referring_ids("park", "city", ident)
                or kb.statistics_scoped("city", ident)
            )
            capital = bool(kb.referring_ids("province", "capital", ident))
            return (not cited, not capital, level.get(self._entity(ident).get("level", ""), 3))

        ranked = sorted(idents, key=rank)
        return ranked[0] if rank(ranked[0]) < rank(ranked[1]) else None

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
        scored = self._fuzzy(key)
        if scored and scored[0][1] >= FUZZY_CUTOFF:
            top = scored[0][1]
            close = [i for i, s in scored if s > top - FUZZY_MARGIN]
            if len(close) == 1:
                return Match(self._entity(close[0]), "fuzzy", round(top, 1))
            raise Ambiguous(self.kind, shown, [self.label(i) for i in close[:10]])
        suggestions = [self.label(i) for i, s in scored if s >= SUGGEST_CUTOFF][:5]
        raise NotFound(self.kind, shown, suggestions)

    def _fuzzy(self, key: str) -> list[tuple[str, float]]:
        """(entity id, best score) for the compact forms near `key`, best first."""
        if len(key) < 3:
            return []
        from rapidfuzz import fuzz, process  # paid only when exact lookup fails

        keys = self.kb.all_keys(self.kind)
        choices = [k for k, _ in keys]
        best: dict[str, float] = {}
        for _, score, index in process.extract(key, choices, scorer=fuzz.ratio, limit=25):
            ident = keys[index][1]
            best[ident] = max(best.get(ident, 0.0), float(score))
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))


def resolve(kb: KB, kind: str, query: str) -> Match:
    """The entity of `kind` the user meant by `query`.

    Raises Ambiguous, or NotFound with suggestions (and a pointer to another
    kind when the query names, say, a city rather than a province).
    """
    try:
        return Resolver(kb, kind).resolve(query)
    except NotFound as missing:
        hint = _other_kind(kb, kind, query)
        if hint is not None:
            missing.suggestions = [hint, *missing.suggestions]
        raise


def _other_kind(kb: KB, kind: str, query: str) -> str | None:
    for other in KINDS:
        if other in (kind, "statistic", "source"):
            continue
        try:
            found = Resolver(kb, other).exact(query)
        except Ambiguous:
            continue
        if found is not None:
            return f"the {other} {found.entity['name']} (clusters {other} {found.entity['id']})"
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
