"""The KB's questions of its names and texts (the tables `keys`, `search` and `words`, store/writers.py), asked
through the KB's `_query` and `_in_chunks` and put in file order by its `positions`: the name keys a query is
resolved by, the texts search reads, and the specialties holding a sector's terms."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, cast

# a search row's number is below 2^40: a score times this, less the row, orders by score, then by the least row
_ROW_SPAN = 1 << 40

# The tests of a folded text a word of a query is put to (best_search_rows' `tiers`), in SQL: `{text}` the folded
# text, `{word}` the word. A folded text is words parted by single spaces, and where it is held both ways (as
# written, made simplified: searchtext.search_form) the two on lines of their own; a word holds neither.
TIER_TESTS = {
    "equal": "instr(char(10) || {text} || char(10), char(10) || {word} || char(10)) > 0",  # one of its lines, whole
    "whole word": "instr(' ' || replace({text}, char(10), ' ') || ' ', ' ' || {word} || ' ') > 0",
    # starting one of its words: at the text's start, or after a space or a line break (the cheapest test first:
    # most texts that hold a word of one or two letters do not start a word with it)
    "word start": "(instr({text}, {word}) > 0 AND "
    "(instr(' ' || {text}, ' ' || {word}) > 0 OR instr({text}, char(10) || {word}) > 0))",
    "inside": "instr({text}, {word}) > 0",  # anywhere in it
}


class TextQueries:
    """The KB's questions of names and texts (a base class of store.kb.KB)."""

    _query: Callable[..., list[tuple[Any, ...]]]
    _rows: Callable[..., Iterator[tuple[Any, ...]]]
    _in_chunks: Callable[..., Iterator[tuple[Any, ...]]]
    positions: Callable[[str, list[str]], dict[str, int]]  # KB.positions: some entities' file order

    # --- name keys, for resolution

    def keys_equal(self, kind: str, key: str) -> list[tuple[str, int, str]]:
        return [
            (r[0], r[1], r[2])
            for r in self._query("SELECT id, stage, how FROM keys WHERE kind = ? AND key = ?", (kind, key))
        ]

    def ids_named(self, kind: str, keys: list[str]) -> set[str]:
        """The ids of a kind's entities one of whose names is one of `keys` (the readings of a Chinese query:
        homophones.py), 500 keys a query."""
        return {r[0] for r in self._in_chunks("SELECT id FROM keys WHERE kind = ? AND key IN ({marks})", (kind,), keys)}

    def keys_with_prefix(self, kind: str, prefix: str, limit: int | None = 200) -> list[str]:
        """The ids of a kind's entities with a name key starting with `prefix` (the first `limit` in the keys'
        order, or all with None), sorted."""
        upper = prefix + "\U0010ffff"
        rows = self._query(
            "SELECT DISTINCT id FROM keys WHERE kind = ? AND key >= ? AND key < ? LIMIT ?",
            (kind, prefix, upper, -1 if limit is None else limit),
        )
        return sorted(r[0] for r in rows)

    def keys_inside(self, kind: str, part: str, limit: int = 10) -> list[str]:
        """The ids of a kind's entities with a name key holding `part` after its start (化工 inside 石化化工), the
        first `limit` found, sorted. Reads every key of the kind: asked only of a kind of few entities (a
        sector's words, resolver.Resolver.prefixed)."""
        rows = self._query(
            "SELECT DISTINCT id FROM keys WHERE kind = ? AND instr(key, ?) > 1 LIMIT ?", (kind, part, limit)
        )
        return sorted(r[0] for r in rows)

    def all_keys(self, kind: str, shortest: int = 0, longest: int = 1 << 30) -> list[tuple[str, str]]:
        """(key, id) of a kind's names between two lengths (what close_keys is checked against)."""
        rows = self._query(
            "SELECT key, id FROM keys WHERE kind = ? AND length(key) BETWEEN ? AND ?", (kind, shortest, longest)
        )
        return [(r[0], r[1]) for r in rows]

    def close_keys(
        self, kind: str, key: str, shortest: int, longest: int, sharing: tuple[int, int, int] | None = None
    ) -> list[tuple[str, str]]:
        """(key, id) of a kind's names between two lengths that begin or end with the letter `key` begins or
        ends with: the candidates of a close spelling (resolver.Resolver.fuzzy), found as a range of the primary
        key (those that begin with it) and by an index (those that end with it: layout.HELPER_INDEXES), so a near
        miss reads the names of one letter, not every name (at 100 times the data, hundreds of thousands).

        With `sharing` (a, b, c), only the names holding enough of `key`'s characters: h, the characters of
        `key` a name holds, each counted as often as `key` holds it, with a * h >= b + c * (the name's length).
        h is at least the characters the two share in order, which a close spelling's score counts
        (resolver.ratio_sharing): a name short of it is left in the store. At 100 times the shipped data 318,504
        city names end in 市, and few of them share more with a query ending in 市."""
        if not key:  # no letter to begin or end with (every caller asks with one)
            return []
        head = key[:1]  # no key holds U+10FFFF (textfold.compact keeps word characters), so the range is exact
        shares = ""
        held: tuple[str, ...] = ()
        if sharing is not None:
            a, b, c = (int(n) for n in sharing)
            counts = Counter(key)
            total = " + ".join(f"(instr(key, ?) > 0) * {n}" for n in counts.values())
            shares, held = f" AND {a} * ({total}) >= {b} + {c} * length(key)", tuple(counts)
        rows = self._query(
            f"SELECT key, id FROM keys WHERE kind = ? AND key >= ? AND key < ? AND length(key) BETWEEN ? AND ?{shares} "
            "UNION SELECT key, id FROM keys WHERE kind = ? AND substr(key, -1) = ? AND length(key) BETWEEN ? AND ?"
            f"{shares} ORDER BY 1, 2",
            # every key starting with `head` sorts from `head` up to `head` followed by the last code point
            (kind, head, head + "\U0010ffff", shortest, longest, *held, kind, key[-1:], shortest, longest, *held),
        )
        return [(r[0], r[1]) for r in rows]

    # --- search text

    def search_texts_containing(
        self, word: str, holding: Sequence[str] | None = None, starting: bool = False
    ) -> Iterable[tuple[int, str, int, str, str]]:
        """(row, kind, entity, field, folded) of the texts of every entity with a text containing `word`, in no
        particular order, to be read once; `entity` numbers the entity in this build (the row of its name:
        search_entities reads its id and name). Every text of each entity, or, with `holding`, those holding one
        of those words (what a search for them can score). `word` alone: the rows naming a text the trigram index
        finds (searchtext.texts_holding), read as numbers from the index of each text's rows, and each such text
        read once; with other words, every text of those entities read, a batch at a time as the store gives
        them (`search "a 市"` reads 1.2 million rows at 100 times the shipped data, which held 432 MiB). With
        `starting`, a text holds a word only where the word starts one of its words (TIER_TESTS' "word start"):
        at 100 times the shipped data, `a` stands in 700,108 different texts and starts a word in 79,287."""
        from .searchtext import texts_holding

        found = texts_holding(self._query, word)
        words = list(dict.fromkeys(holding or ()))
        if found is None or (holding is not None and not words):
            return []
        tids, param = found
        params: tuple[str, ...] = (param,)
        test = "word start" if starting else "inside"
        uses = TIER_TESTS[test].count("{word}")  # the times the test names its word: as many parameters
        if starting:  # the texts found that the word starts a word of
            tids = f"SELECT tid FROM texts WHERE tid IN ({tids}) AND {_test(test, 'folded', '?')}"
            params = (param, *[word] * uses)
        if words == [word]:
            kinds, fields = json.loads(self._query("SELECT value FROM meta WHERE key = 'search_codes'")[0][0])
            rows = self._query(
                f"SELECT rowid, entity, kind_code, field_code, tid FROM search WHERE tid IN ({tids})", params
            )
            # the texts they name, by their numbers: the index is asked, or every text read, once
            texts: dict[int, str] = dict(
                self._in_chunks(
                    "SELECT tid, folded FROM texts WHERE tid IN ({marks})", (), sorted({r[4] for r in rows})
                )
            )
            return [(r[0], kinds[r[2]], r[1], fields[r[3]], texts[r[4]]) for r in rows]
        which = " OR ".join([_test(test, "s.folded", "?")] * len(words))
        # every row of the entities holding a text the index finds: an entity's rows are those from its first,
        # which its rows name (`entity`), to the last its first names (`last`), read as a range of rows
        sql = (
            "SELECT s.rowid, s.kind, s.entity, s.field, s.folded FROM search f "
            "JOIN search s ON s.rowid BETWEEN f.rowid AND f.last "
            f"WHERE f.rowid IN (SELECT entity FROM search WHERE tid IN ({tids})){f' AND ({which})' if words else ''}"
        )
        held = [w for w in words for _use in range(uses)]
        return cast("Iterator[tuple[int, str, int, str, str]]", self._rows(sql, (*params, *held)))

    def texts_reach(self, word: str) -> int:
        """At least as many texts as hold `word`, from the trigram index's counts alone (searchtext.texts_reach):
        which of a query's words narrows its entities most."""
        from .searchtext import texts_reach

        return texts_reach(self._query, word)

    def best_search_rows(
        self, word: str, tiers: Sequence[tuple[str, int]], weights: dict[str, int], kinds: Sequence[str] | None = None
    ) -> list[tuple[str, int, int, int]]:
        """(kind, entity, score, row) of each entity one of whose search rows names a text holding `word` that
        scores, weighted by the row's field (`weights`), the best of the entity's rows and, of equal ones, the
        least row; of `kinds` alone where given. A text's score is that of the first of `tiers` it passes (0 for
        none): each a test of the folded text (TIER_TESTS) and its score. The texts are found
        (searchtext.texts_holding), scored and grouped by entity in the store: at 100 times the shipped data `a`
        stands in 700,108 different texts, of which 79,287 score; `search a` took 4.65 s and 285 MB scoring each
        in Python, and takes 1.39 s and 97 MB. The score is the weight times the text's (hundredths of it:
        integers, so that two rows of one score tie exactly), packed with the row as weight * score * 2^40 - row,
        whose largest is the best score's least row."""
        from .searchtext import texts_holding

        found = texts_holding(self._query, word)
        if found is None or not tiers:
            return []
        tids, param = found
        codes, fields = json.loads(self._query("SELECT value FROM meta WHERE key = 'search_codes'")[0][0])
        weight = " ".join(f"WHEN {at} THEN {int(weights.get(field, 0))}" for at, field in enumerate(fields))
        tested = (f"WHEN {_test(test, 'folded', '?2')} THEN {int(score)}" for test, score in tiers)
        of_text = f"CASE {' '.join(tested)} END"
        asked = ",".join(str(codes.index(k)) for k in kinds or () if k in codes) or "NULL"
        kinds_of = "" if kinds is None else f" AND s.kind_code IN ({asked})"
        rows = self._query(
            # the parameter of `tids`, written first, is the first (?1); the word the tests name, ?2
            f"WITH found (tid) AS ({tids}), "
            f"scored (tid, score) AS MATERIALIZED (SELECT tid, {of_text} FROM texts WHERE tid IN found) "
            f"SELECT s.kind_code, s.entity, MAX((CASE s.field_code {weight} ELSE 0 END) * t.score * {_ROW_SPAN}"
            f" - s.rowid) FROM scored t JOIN search s ON s.tid = t.tid WHERE t.score > 0{kinds_of}"
            " GROUP BY s.kind_code, s.entity",
            (param, word),
        )
        out = []
        for code, entity, packed in rows:
            best = -(-packed // _ROW_SPAN)  # the least whole number at or above packed / 2^40
            if best > 0:
                out.append((codes[code], entity, best, best * _ROW_SPAN - packed))
        return out

    def search_entities(self, entities: Iterable[int]) -> dict[int, tuple[str, str]]:
        """entity -> (id, name) of these entities (search_texts_containing's numbers): the id and text of the row
        each is numbered by, its first search text, its name (searchtext.search_fields)."""
        return {
            r[0]: (r[1], r[2])
            for r in self._in_chunks(
                "SELECT rowid, id, text FROM search WHERE rowid IN ({marks})", (), sorted(set(entities))
            )
        }

    def search_rows(self, rows: Iterable[int]) -> dict[int, tuple[str, str, str]]:
        """row -> (field, label, text) of these search texts (the rows search_texts_containing gives)."""
        return {
            r[0]: (r[1], r[2], r[3])
            for r in self._in_chunks(
                "SELECT rowid, field, label, text FROM search WHERE rowid IN ({marks})", (), sorted(set(rows))
            )
        }

    def clusters_mentioning(self, folded_terms: Iterable[str]) -> list[str]:
        """Ids of the clusters, in knowledge-base order, with a specialty that contains one of these folded
        terms as whole words (the search table holds every specialty folded). A term stands in a specialty as
        whole words exactly when its words, split at each space, are a run of the specialty's words: one word
        where the specialty holds it, several where each stands one place after the one before. The words table
        (writers.write_specialty_words) holds each word of each specialty with its place and its cluster: a term
        of one word is looked up there; one of several, by its first two words at places one after the other,
        and a longer one then compared in the few specialties holding those two."""
        terms = {t for t in folded_terms if t}
        if not terms:
            return []
        # at 100 times the shipped data, the specialties holding the first word of a name of the semiconductors
        # stood on 2,235 pages of the search table (1,900 clusters); the words' rows read here, on 257
        found = {
            r[0]
            for r in self._in_chunks(
                "SELECT id FROM words WHERE word IN ({marks}) AND kind = 'cluster'",
                (),
                sorted(t for t in terms if " " not in t),
            )
        }
        longer: dict[int, list[tuple[int, str, list[str]]]] = {}  # a specialty's row -> (place, cluster, run)
        for run in sorted(t.split(" ") for t in terms if " " in t):
            # CROSS JOIN: the first word's places, each then looked up in the second's (the key word, row, at)
            for row, at, ident in self._query(
                "SELECT w0.row, w0.at, w0.id FROM words w0 CROSS JOIN words w1 ON w1.word = ? AND w1.row = w0.row "
                "AND w1.at = w0.at + 1 WHERE w0.word = ? AND w0.kind = 'cluster'",
                (run[1], run[0]),
            ):
                if len(run) == 2:
                    found.add(ident)
                elif ident not in found:
                    longer.setdefault(row, []).append((at, ident, run))
        for row, folded in self._in_chunks(
            "SELECT rowid, folded FROM search WHERE rowid IN ({marks})", (), sorted(longer)
        ):
            words = folded.split(" ")
            found.update(ident for at, ident, run in longer[row] if words[at : at + len(run)] == run)
        at = self.positions("cluster", sorted(found))
        return sorted(at, key=at.__getitem__)


def _test(test: str, text: str, word: str) -> str:
    """One of TIER_TESTS in SQL, of the column `text` and the parameter `word`."""
    return TIER_TESTS[test].format(text=text, word=word)
