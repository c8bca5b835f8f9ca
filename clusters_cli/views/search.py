"""`search`: free text over every entity, ranked, each hit saying why it matched."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import UsageProblem
from ..i18n import _, paren, remember_line, zh
from ..model import search_order
from ..sanitize import clean_one_line
from ..store.searchtext import stem
from ..textfold import compact, simplified, words
from . import SCHEMA_VERSION
from .listing import province_of

if TYPE_CHECKING:
    from ..store.kb import KB
    from .types import SearchHit, SearchView

# every word of the query found, each in some field of one entity: above any single-field partial hit
CROSS_FIELD_SCORE = 90.0

_FIELD_WEIGHTS = {"name": 100, "specialty": 75, "sector": 70, "metric": 65, "place": 60, "summary": 55}

MAX_WORDS = 20  # different words in a query (each is matched against every text that may hold them)
SPELLING_CUTOFF = 75.0  # a close spelling search offers when it finds nothing (fuzz.ratio, 0-100)


def _score_text(
    query_words: list[str], phrase: str, folded: str, whole: re.Pattern[str], stands: list[Callable[[str], bool]]
) -> int:
    """In hundredths (whole numbers, so that a field's weight times it ties exactly where two scores are equal:
    75 * 0.8 was a hair above 60 * 1.0): 100 for the whole phrase, 95 for the phrase inside a longer text (as
    whole words; Chinese, anywhere in it), 80 for every word, else 0. `whole` finds the phrase as whole words
    (_phrase), `stands` each word (_stands_in). A text is compared as folded (store/searchtext.py: punctuation
    is a space), so a Chinese phrase never spans a bracket or comma: what the store's index finds is what
    scores."""
    if not folded:
        return 0
    if folded == phrase:
        return 100
    if phrase.isascii() and not all(q in folded for q in query_words):
        return 0  # every score below needs each word in the text (CJK: the phrase may span its words)
    if whole.search(folded) or (not phrase.isascii() and phrase in folded):
        return 95
    if all(stand(folded) for stand in stands):
        return 80
    return 0


def _one_word_tiers(word: str) -> list[tuple[str, int]]:
    """_score_text for a query of one word, as the store scores it (KB.best_search_rows: its TIER_TESTS), for the
    texts holding the word: 100 for a line of the text that is the word, 95 for the word as a whole word (Chinese:
    anywhere), 80 for the word starting one of its words (_stands_in), else 0. A test holds the two equal
    (tests/test_search_index.py)."""
    if not word.isascii():
        return [("equal", 100), ("inside", 95)]
    return [("equal", 100), ("whole word", 95), ("word start", 80)]


def _stands_in(word: str) -> Callable[[str], bool]:
    """Whether a word of the query stands in a folded text: starting one of its words, or for Chinese (written
    without spaces between words) anywhere in it. Made once a query: a word has no whitespace, so it starts a
    word of a text exactly where no character but whitespace comes before it (what str.split parts at)."""
    if not word.isascii():
        return lambda folded: word in folded
    found = re.compile(r"(?<!\S)" + re.escape(word)).search
    return lambda folded: found(folded) is not None


def _phrase(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?:^| )" + re.escape(phrase) + r"(?:$| )")


# why an entity is a hit, kept as the texts it quotes (their rows in the store, each with the width it is cut to)
# until a hit is shown (_why): one text a field scores (which says only its label where it is the entity's name),
# or each word's text where the words stand in several
Why = tuple[tuple[int, int], ...]
_ONE_TEXT, _EACH_WORD = 70, 40  # the width a text is quoted at


def _why(parts: Why, texts: dict[int, tuple[str, str, str]], name: str | None) -> str:
    """The reason a hit gives: each text's label, with the text (`texts`: row -> field, label, text) cleaned
    and shortened; each once. A field's one text that is the entity's name, its label alone."""
    said = []
    for row, width in parts:
        field, label, value = texts[row]
        named = width == _ONE_TEXT and field == "name" and value == name
        said.append(label if named else f"{label}: {clean_one_line(value, width)}")
    return "; ".join(dict.fromkeys(said))


def _hit(kb: KB, kind: str, ident: str, score: float, why: str) -> SearchHit:
    e = kb.get(kind, ident) or {}
    return {
        "kind": kind,
        "id": ident,
        "name": str(e.get("name", e.get("metric", ident))),
        "name_zh": e.get("name_zh"),
        "province": province_of(kb, kind, e),
        "score": round(score, 1),
        "why": why,
    }


def search_view(kb: KB, text: str, kinds: list[str] | None = None, limit: int | None = 30) -> SearchView:
    """Entities whose texts contain the query: its words (plurals folded), a Chinese substring, every word
    somewhere in one entity. The query is read as typed and, where it has traditional characters, with them
    made simplified too (texts are held both ways: store/searchtext.search_form); what it finds as typed keeps
    its score and comes first among equals, so 乾县 finds 乾县 first, then 新干县 (t2s makes 乾 into 干).
    Nothing else: a close spelling is a suggestion, never a hit."""
    asked = text
    best = _found(kb, _query_words(text), kinds)
    typed = set(best)
    plain = simplified(text)
    if plain != text:  # the entities the simplified query finds too, each as it finds it unless found as typed
        best = {**_found(kb, _query_words(plain), kinds), **best}
    shown, named = _ranked(kb, best, typed, limit)
    texts = kb.search_rows(row for key in shown for row, _width in best[key][1])
    hits = [
        _hit(
            kb, kind, named[entity][0], best[(kind, entity)][0], _why(best[(kind, entity)][1], texts, named[entity][1])
        )
        for kind, entity in shown
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "search",
        "query": clean_one_line(asked, 200),
        "count": len(hits),
        "total": len(best),
        "hits": hits,
        "suggestions": [] if best else _suggestions(kb, plain, kinds),
    }


def _ranked(
    kb: KB, best: Found, typed: set[tuple[str, int]], limit: int | None
) -> tuple[list[tuple[str, int]], dict[int, tuple[str, str]]]:
    """The first `limit` hits (all, for None), and the id and name of each entity read: by score; among equal
    scores, what the query found as typed first, then by kind (model.Kind.search_rank: what a reader most likely
    wants first), name, and id (two of one name, a figure of each region: by id, not by where their texts stand).
    Ids and names are read only for the hits up to the last one shown and those of its score, as typed or not,
    and kind (at 100 times the shipped data 汽车 finds 5,804 entities)."""
    order = {kind: at for at, kind in enumerate(search_order())}
    head = {key: (-round(score, 1), key not in typed, order[key[0]]) for key, (score, _why) in best.items()}
    keys = sorted(best, key=head.__getitem__)
    if limit is not None and 0 < limit < len(keys):  # (a limit of 0 or below: the whole ranking sliced by it)
        last = head[keys[limit - 1]]
        keys = [key for key in keys if head[key] <= last]
    named = kb.search_entities(entity for _kind, entity in keys)
    return sorted(keys, key=lambda key: (*head[key], named[key[1]][1], named[key[1]][0]))[:limit], named


def _query_words(text: str) -> list[str]:
    """The query's words, plural-folded, each once; a usage problem for none, or more than MAX_WORDS."""
    query_words = list(dict.fromkeys(stem(w) for w in words(text)))  # a word said twice is one word
    if not query_words:
        raise UsageProblem(_("search needs at least one word of letters or digits"))
    if len(query_words) > MAX_WORDS:  # never a word left out: each one narrows the answer
        raise UsageProblem(_("search takes at most {n} different words").format(n=MAX_WORDS))
    return query_words


Found = dict[tuple[str, int], tuple[float, Why]]  # (kind, entity: KB.search_texts_containing) -> (score, why)


def _found(kb: KB, query_words: list[str], kinds: list[str] | None) -> Found:
    """(kind, entity) -> (score, why) of every entity the words find."""
    phrase = " ".join(query_words)
    stands = [_stands_in(q) for q in query_words]
    whole = _phrase(phrase)

    def score_of(folded: str) -> int:  # a text held both ways (as written, made simplified): the better
        if "\n" not in folded:
            return _score_text(query_words, phrase, folded, whole, stands)
        return max(_score_text(query_words, phrase, f, whole, stands) for f in folded.split("\n"))

    if len(query_words) == 1 and ONE_WORD_IN_STORE:
        # one word: each text holding it scored, and each entity's best row found, in the store
        return {
            (kind, entity): (score / 100, ((row, _ONE_TEXT),))
            for kind, entity, score, row in kb.best_search_rows(
                query_words[0], _one_word_tiers(query_words[0]), _FIELD_WEIGHTS, kinds
            )
        }
    latin = phrase.isascii()
    # SQL narrows to entities whose texts contain one word of the query, and to their texts holding a word of it;
    # Python ranks them. Every hit holds every word (each score of _score_text needs each word, or the phrase,
    # which holds them, and `across` each word), so any word narrows alike: the one the fewest texts hold, as the
    # trigram index counts them (KB.texts_reach), whatever its place in the query (`search AI 芯片` read the
    # entities of 52,661 texts holding ai at 100 times the shipped data, and `search 芯片 AI` those of the 800
    # holding 芯片). A text scores only where it holds a word of the query, in Latin letters or Chinese: the
    # others are left in the store
    anchor = narrowing_word(kb, query_words)
    # a query in Latin letters scores a text only where each word it counts starts one of the text's words (80, 95
    # and 100 need each word of the phrase to, and `across` each word it counts): the others are left in the store
    rows = kb.search_texts_containing(anchor, query_words, starting=latin)
    if kinds:
        rows = (row for row in rows if row[1] in kinds)
    best: Found = {}
    # several words may each stand in a different field: sector in one, place in another
    across: dict[tuple[str, int], dict[str, tuple[int, int]]] = {}
    several = len(query_words) > 1
    stands_in = dict(zip(query_words, stands, strict=True))
    # a text's words of the query, and its score before its field's weight: once a text (at 100 times the shipped
    # data the 18,304 texts holding 汽车 are 2,511 different ones: sectors and places recur)
    read: dict[str, tuple[list[str], int]] = {}
    for row, kind, entity, field, folded in rows:
        key = (kind, entity)
        known = read.get(folded)
        if known is None:
            inside = [q for q in query_words if q in folded]
            # for a query in Latin letters, a text scores only with every word in it (_score_text)
            known = read[folded] = (inside, 0 if latin and len(inside) < len(query_words) else score_of(folded))
        inside, base = known
        score = _FIELD_WEIGHTS[field] * base / 100
        # the rows come in no order: of an entity's texts of one score, the first written (the least row) says why
        held = best.get(key)
        if score and (held is None or score > held[0] or (score == held[0] and row < held[1][0][0])):
            best[key] = (score, ((row, _ONE_TEXT),))
        if several and inside:
            found = across.get(key)
            for q in inside:
                if (found is None or q not in found or row < found[q][0]) and stands_in[q](folded):
                    if found is None:
                        found = across[key] = {}
                    found[q] = (row, _EACH_WORD)
    for key, found in across.items():
        if len(found) == len(query_words) and best.get(key, (0.0, ()))[0] < CROSS_FIELD_SCORE:
            best[key] = (CROSS_FIELD_SCORE, tuple(found[q] for q in query_words))
    return best


def narrowing_word(kb: KB, query_words: list[str]) -> str:
    """The word of a query the fewest texts hold, as the trigram index counts them (KB.texts_reach); of equal
    counts the first in code point order: the same word whatever their order."""
    return min(query_words, key=lambda word: (kb.texts_reach(word), word))


# A query of one word is scored in the store (KB.best_search_rows); a test turns this off to compare its answers
# with scoring each row here, as a query of several words is
ONE_WORD_IN_STORE = True


def _suggestions(kb: KB, text: str, kinds: list[str] | None) -> list[str]:
    """Names spelt close to a query that found nothing (said on stderr, never returned as hits): each kind's near
    names scoring 75 or more, read as `resolve` reads a near miss (Resolver.fuzzy: the names keeping the query's
    first or last letter that can reach the score); each entity once, by its name."""
    from ..resolver import Resolver

    key = compact(text)
    if len(key) < 4:
        return []
    best = {
        (kind, ident): score
        for kind in kinds or search_order()
        for ident, score, _form in Resolver(kb, kind).fuzzy(key, SPELLING_CUTOFF)
    }
    named = []
    for (kind, ident), score in best.items():
        entity = kb.get(kind, ident)
        if entity is not None:
            name = clean_one_line(str(entity.get("name") or entity.get("metric") or ident), 60)
            named.append((-score, name))
            if zh() and entity.get("name_zh"):  # said in Chinese with its Chinese name first (the JSON keeps English)
                remember_line(name, clean_one_line(str(entity["name_zh"]), 60) + paren(name))
    return list(dict.fromkeys(name for _, name in sorted(named)))[:5]
