"""The cache's trigram index finds exactly the texts that hold a word (kb.search_texts_containing), as reading
every text would: for every character of the fixture packs' searchable texts and substrings of two to six,
Latin and Chinese, and words that are in none."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import cli, own_pack

# what texts_holding gives: the numbers of the texts the trigram index finds, or of those read holding the word
INDEXED = "SELECT rowid FROM search_tri WHERE search_tri MATCH ?"
READ = "SELECT tid FROM texts WHERE instr(folded, ?) > 0"


def test_the_trigram_index_finds_what_reading_every_text_finds(kb: Any) -> None:
    texts = [r[0] for r in kb._query("SELECT folded FROM texts")]  # the store's own table, read whole
    words = {t[i : i + n] for t in texts for n in (3, 4, 6) for i in range(0, max(0, len(t) - n), 7)}
    words |= {t[i : i + 2] for t in texts for i in range(0, len(t) - 1, 3)} | {ch for t in texts for ch in t}
    words |= {"zzqxq", "wind", "集成电路", "光伏产", 'qq"x', "zq", "q", "乙丙", "乙", "Wi", "W", "жи", '"', '"w'}
    words |= {f"{t[-1]}\ufffd" for t in texts[::5]} | {f"{t[-2:]}\ufffd" for t in texts[::5]} | {"\ufffd"}
    assert len(words) > 1000
    for word in sorted(words):
        by_index = sorted(kb.search_texts_containing(word))  # in no particular order
        by_reading = sorted(
            tuple(r)
            for r in kb._query(
                "SELECT s.rowid, s.kind, s.entity, s.field, t.folded FROM search s JOIN texts t ON t.tid = s.tid "
                "WHERE (s.kind, s.id) IN (SELECT s.kind, s.id FROM search s JOIN texts t ON t.tid = s.tid "
                "WHERE instr(t.folded, ?) > 0) ORDER BY s.rowid",
                (word,),
            )
        )
        assert by_index == by_reading, word
        # with the words a query holds: the texts holding one of them (the word alone: those the index finds;
        # with others, every text of its entities read: asked of the shorter words alone, for time)
        for holding in ([word], [word, "wind"], [word, "合肥", word])[: 3 if len(word) < 3 else 1]:
            assert sorted(kb.search_texts_containing(word, holding)) == [
                r for r in by_index if any(h in r[4] for h in holding)
            ], (word, holding)
            # a word holding no space: held only where it starts a word of the text (at its start or after a
            # space or a line break), the entity too
            if not any(ch.isspace() for ch in word):
                starts = {h: re.compile(r"(?<![^ \n])" + re.escape(h)).search for h in holding}
                entities = {r[2] for r in by_index if starts[word](r[4])}
                assert sorted(kb.search_texts_containing(word, holding, starting=True)) == [
                    r for r in by_index if r[2] in entities and any(starts[h](r[4]) for h in holding)
                ], (word, holding)


def test_a_word_of_one_or_two_characters_is_found_by_the_trigrams_it_starts(kb: Any) -> None:
    """Not by reading every text (kb.search_texts_containing read each of 2.5 million texts at 100 times the
    data for 汽车, 0.25 s): by the index's trigrams that start with it, unless no letter of it is caseless or
    ASCII lower case, or it stands in a quarter of the texts or more."""
    from clusters_cli.store.searchtext import texts_holding

    texts = [r[0] for r in kb._query("SELECT folded FROM texts")]

    def holding(word: str) -> int:
        return sum(word in t for t in texts)

    where, match = texts_holding(kb._query, "电路")
    assert where == INDEXED and 0 < holding("电路") < len(texts) / 4
    trigrams = match.split(" OR ")
    assert trigrams == sorted(trigrams) and all(t.startswith('"电路') and len(t) == 5 for t in trigrams)
    assert '"电路\ufffd"' in trigrams  # 电路 ending a text
    assert texts_holding(kb._query, "乙丙") is None and holding("乙丙") == 0
    assert texts_holding(kb._query, "e") == (READ, "e") and holding("e") > len(texts) / 4
    for word in ("Wi", "жи", "x\ufffd", "\uffff", ""):  # a letter with case but ASCII lower; what pads the texts
        assert texts_holding(kb._query, word) == (READ, word)
    assert texts_holding(kb._query, "wind") == (where, '"wind"')  # three letters or more: its own trigrams
    # the texts after those starting with a word ending just before the surrogates, or with the last character
    for word in ("\ud7ff", "电\ud7ff", "\U0010ffff", "电\U0010ffff"):
        assert texts_holding(kb._query, word) is None


def test_a_short_word_after_many_characters_is_read_as_it_is_quicker() -> None:
    """A word of one character standing in fewer than a quarter of the texts, but before 300 different
    characters: merging 300 trigrams' lists at each of its 300 texts costs more than reading the 1,300 texts."""
    import sqlite3

    from clusters_cli.store.layout import INDEXES, SCHEMA
    from clusters_cli.store.searchtext import texts_holding

    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    others = [f"wind power {i}" for i in range(1000)]
    after = [f"x{chr(0x4E00 + i)}" for i in range(300)]  # x before 300 different characters
    texts = others + after
    conn.executemany(
        "INSERT INTO search VALUES ('cluster', ?, 'name', 'name', ?, ?, ?, ?, ?, 0, 0)",
        [(t, t, t, i + 1, i + 1, i + 1) for i, t in enumerate(texts)],
    )
    conn.executemany("INSERT INTO texts (tid, folded) VALUES (?, ?)", [(i + 1, t) for i, t in enumerate(texts)])
    conn.executescript(INDEXES)

    def query(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return conn.execute(sql, params).fetchall()

    assert texts_holding(query, "x") == (READ, "x")  # 300 x 300 steps against 1,300 texts
    assert texts_holding(query, "x\u4e00")[0] == INDEXED  # one trigram
    assert texts_holding(query, "w") == (READ, "w")  # in 1,000 of the 1,300 texts
    conn.execute("DELETE FROM texts WHERE tid > 1100")  # 100 x texts: 100 x 100 steps
    conn.execute("INSERT INTO search_tri (search_tri) VALUES ('rebuild')")
    assert texts_holding(query, "x")[0] == INDEXED


# a text whose Chinese words a query may join, beside one holding the query's longest word: a hit only by
# reading every text of the entity (views/search.py, _score_text); and texts held both ways, as written and made
# simplified, on lines of their own (searchtext.search_form): 零跑汽车 is the whole of one line of 零跑汽車's text
SPACED = own_pack("""clusters:
  - {id: mine-spaced, name: Mine spaced, sector: textiles, cities: [nantong], specialties: [集成 · 电路 · 合 · 肥],
     status: established, summary: "Wind and chips, 集成电路.", locator: {section: Only, paragraph: 1}}
  - {id: mine-traditional, name: Mine traditional, name_zh: 零跑汽車, sector: textiles, cities: [nantong],
     specialties: [電池 modules], status: established, summary: "Batteries, 電池.",
     locator: {section: Only, paragraph: 1}}
""")


def test_search_reads_only_the_texts_that_can_score_and_answers_as_reading_them_all(
    shared_cache: Path, tmp_path: Path
) -> None:
    """A query reads, of each entity holding the word the fewest texts hold, only the names and the texts holding
    one of its words (KB.search_texts_containing with `holding`): every answer, hits, order, scores and reasons, is the
    one reading every text of those entities gives, in Latin letters and in Chinese. A query of one word is
    scored in the store (KB.best_search_rows): its answers, of every kind and of some, are those of scoring
    each row."""
    from helpers import PACKS, load_through, write

    from clusters_cli.errors import UsageProblem
    from clusters_cli.views import search
    from clusters_cli.views.search import narrowing_word, search_view

    kb = load_through(shared_cache, [*PACKS, write(tmp_path, SPACED)])
    texts = [r[0] for r in kb._query("SELECT folded FROM texts")]
    assert {"零跑汽車\n零跑汽车", "電池 module\n电池 module"} <= set(texts)
    words = sorted({w for t in texts for w in t.split()})
    queries = words[::2] + [f"{a} {b}" for a, b in zip(words[::5], words[3::5], strict=False)]
    queries += [" ".join(t.split()[i : i + 3]) for t in texts[::3] for i in (0, 2)]
    queries += ["offshore wind", "wind power anhui", "chips hefei", "new energy vehicles", "集成电路", "集成电路 合肥"]
    chinese = [t.replace(" ", "") for t in texts if not t.isascii()]
    queries += [t[i : i + n] for t in chinese[::2] for n in (1, 2, 3) for i in range(0, len(t), 4)]
    queries += [f"{a[:2]} {b[-2:]}" for a, b in zip(chinese[::3], chinese[1::3], strict=False)]
    every = kb.search_texts_containing
    narrowed = 0

    def search_view_in_store(query: str) -> object:
        search.ONE_WORD_IN_STORE = True
        try:
            return search_view(kb, query, ["cluster", "sector"])
        finally:
            search.ONE_WORD_IN_STORE = False

    for query in sorted(set(queries)):
        try:
            fewer = search_view(kb, query)
        except UsageProblem:
            continue
        kb.search_texts_containing = lambda word, holding=None, starting=False: every(word)  # every text, as before
        search.ONE_WORD_IN_STORE = False  # a query of one word scored row by row here, as one of several is
        try:
            assert search_view(kb, query) == fewer, query
            assert search_view(kb, query, ["cluster", "sector"]) == search_view_in_store(query), query
        finally:
            del kb.search_texts_containing
            search.ONE_WORD_IN_STORE = True
        anchor = narrowing_word(kb, query.split())
        narrowed += len(list(every(anchor))) > len(list(every(anchor, query.split())))
    assert len(queries) > 300 and narrowed > 50
    # the summary holds 集成电路; the specialty's 集成 · 电路 · 合 · 肥 joins no query across its dots
    assert "mine-spaced" in [h["id"] for h in search_view(kb, "集成电路")["hits"]]
    assert "mine-spaced" not in [h["id"] for h in search_view(kb, "集成电路 合肥")["hits"]]


def test_a_search_of_several_words_narrows_by_the_word_fewest_texts_hold_and_answers_alike_by_any(
    shared_cache: Path, tmp_path: Path
) -> None:
    """Every hit of a query holds each of its words, so its entities may be narrowed by any of them: the search
    narrows by the word the trigram index says the fewest texts hold (KB.texts_reach: never fewer than do), not
    the longest (`search AI 芯片` read the entities of 52,661 texts holding ai at 100 times the shipped data, 800
    hold 芯片), and answers alike whichever word narrows it, hits, scores, order and reasons."""
    from helpers import PACKS, load_through, write

    from clusters_cli.errors import UsageProblem
    from clusters_cli.store.searchtext import stem
    from clusters_cli.views.search import narrowing_word, search_view

    kb = load_through(shared_cache, [*PACKS, write(tmp_path, SPACED)])
    folded = [r[0] for r in kb._query("SELECT folded FROM texts")]  # each different text once
    texts = [line for text in folded for line in text.split("\n")]
    words = sorted({w for t in texts for w in t.split()} | {t.replace(" ", "")[:n] for t in texts for n in (1, 2)})
    # each text's trigrams as the index holds them (the text and two U+FFFD after it), each once
    grams = [{(t + "\ufffd\ufffd")[at : at + 3] for at in range(len(t))} for t in folded]
    for word in [*words, "zzqx", "q", "\ufffd", "Ä", "ÄÖ"]:  # none fewer than hold it; every text where not asked
        reach = kb.texts_reach(word)
        assert reach >= sum(word in text for text in folded), word
        if "\ufffd" in word or (len(word) < 3 and not word.isascii() and word.lower() != word.upper()):
            assert reach == len(folded), word
        elif len(word) >= 3:  # the texts of its rarest trigram
            assert reach == min(sum(word[at : at + 3] in g for g in grams) for at in range(len(word) - 2)), word
        else:  # the texts of each trigram it starts
            assert reach == sum(1 for g in grams for gram in g if gram.startswith(word)), word
    total = kb._query("SELECT COUNT(*) FROM texts")[0][0]
    assert kb.texts_reach("Ä") == kb.texts_reach("\ufffd") == total and kb.texts_reach("zzqx") == 0
    queries = [
        "offshore wind",
        "ai 芯片",
        "a 市",
        "chips hefei",
        "semiconductor 合肥",
        "wind power anhui",
        "电池 module",
    ]
    queries += [f"{a} {b}" for a, b in zip(words[::7], words[3::7], strict=False)]
    narrowed = kb.search_texts_containing
    asked: list[str] = []
    unlike = 0
    for query in queries:
        try:
            answer = search_view(kb, query, limit=None)
        except UsageProblem:
            continue
        query_words = list(dict.fromkeys(stem(w) for w in query.split()))
        if len(query_words) < 2:
            continue
        kb.search_texts_containing = lambda word, *args, **kw: (asked.append(word), narrowed(word, *args, **kw))[1]
        try:
            asked.clear()
            assert search_view(kb, query, limit=None) == answer
            fewest = min(kb.texts_reach(w) for w in query_words)
            assert asked[0] == narrowing_word(kb, query_words) and kb.texts_reach(asked[0]) == fewest, query
            assert narrowing_word(kb, query_words[::-1]) == asked[0]  # whatever the words' order
            unlike += asked[0] != max(query_words, key=len)
            for word in query_words:  # each word narrowing it in turn
                kb.texts_reach = lambda w, word=word: 0 if w == word else 1
                asked.clear()
                assert search_view(kb, query, limit=None) == answer, (query, word)
                assert asked[0] == word
                del kb.texts_reach
        finally:
            del kb.search_texts_containing
    assert unlike >= 3


def test_the_texts_a_search_of_several_words_scores_are_read_as_the_store_gives_them(kb: Any) -> None:
    """The texts of every entity a search of several words narrows to are read a batch at a time, not held: at
    100 times the shipped data `search "a 市"` read 1.2 million rows (432 MiB held, 568 MiB at its peak, now
    187). What they are is the same (the tests above); a store that breaks while they are read says so as a
    broken cache, which the run recovers from (store/cache.with_recovery)."""
    import sqlite3

    from clusters_cli.store.kb import CacheCorrupt

    rows = kb.search_texts_containing("hefei", ["hefei", "chips"])
    assert iter(rows) is rows  # an iterator, read as it is asked
    assert len(list(rows)) > 1 and list(rows) == []  # read once

    class Broken:  # the store breaks as the texts are read, after the words' texts were found
        def execute(self, sql: str, *args: Any) -> Any:
            if "BETWEEN f.rowid AND f.last" in sql:
                raise sqlite3.DatabaseError("database disk image is malformed")
            return conn.execute(sql, *args)

    conn = kb.conn
    kb.conn = Broken()
    try:
        with pytest.raises(CacheCorrupt, match="malformed"):
            list(kb.search_texts_containing("hefei", ["hefei", "chips"]))
    finally:
        kb.conn = conn


BRACKETED = """
meta: {title: Grid, primary_source: grid-notes}
sources:
  - {id: grid-notes, short_name: Grid notes, name: Grid notes, kind: secondary,
     sections: [{heading: Only, paragraphs: 1}]}
clusters:
  - {id: mine-grid, name: Mine grid, name_zh: 南京新型电力(智能电网)装备, sector: textiles, cities: [hefei],
     status: established, summary: Grid equipment., locator: {section: Only, paragraph: 1}}
"""


def test_search_answers_as_reading_every_text_of_every_entity(shared_cache: Path, tmp_path: Path) -> None:
    """The store's index finds the texts that hold the query's longest word; nothing scores that the index
    would not find: a Chinese phrase across a bracket (电力智能 in 电力(智能电网)) is no hit, read every text or
    not, and the words inside it are."""
    from helpers import PACKS, load_through, write

    from clusters_cli.errors import UsageProblem
    from clusters_cli.views.search import search_view

    kb = load_through(shared_cache, [*PACKS, write(tmp_path, SPACED, "spaced.yaml"), write(tmp_path, BRACKETED)])
    every = kb._query(
        "SELECT s.rowid, s.kind, s.entity, s.field, t.folded FROM search s JOIN texts t ON t.tid = s.tid "
        "ORDER BY s.rowid"
    )
    texts = [r[4] for r in every if not r[4].isascii()]
    spans = {t.replace(" ", "")[i : i + n] for t in texts for n in (2, 3, 4) for i in range(0, len(t), 3)}
    queries = sorted(spans | {"电力智能", "智能电网", "集成电路", "集成电路 合肥", "hefei hefei", "wind wind power"})
    assert len(queries) > 100
    for query in queries:
        try:
            found = search_view(kb, query)
        except UsageProblem:
            continue
        kb.search_texts_containing = lambda word, holding=None, starting=False: every  # every text of every entity
        try:
            assert search_view(kb, query) == found, query
        finally:
            del kb.search_texts_containing
    assert search_view(kb, "电力智能")["hits"] == []
    assert [h["id"] for h in search_view(kb, "智能电网")["hits"]] == ["mine-grid"]
    assert search_view(kb, "hefei hefei")["hits"] == search_view(kb, "hefei")["hits"]
    # Chinese has no spaces between words: each word of a query anywhere in the text stands in it
    assert [h["id"] for h in search_view(kb, "智能 电力")["hits"]] == ["mine-grid"]


def test_more_words_than_search_takes_is_a_usage_error_never_a_word_left_out() -> None:
    from helpers import cli

    words = " ".join(["wind"] * 30 + [f"w{i}x" for i in range(20)])  # 21 different words
    r = cli("search", words)
    assert r.exit_code == 2 and r.stderr == "clusters: error: search takes at most 20 different words\n"
    assert cli("search", "wind " * 30).exit_code == 0  # one word, said thirty times


TRADITIONAL = """
meta: {title: Written, primary_source: written-notes}
sources:
  - {id: written-notes, short_name: Written notes, name: Written notes, kind: secondary,
     sections: [{heading: Only, paragraphs: 1}]}
clusters:
  - {id: leap, name: Leap cars, name_zh: 零跑汽車集群, sector: electronics, cities: [hefei], status: established,
     summary: Cars., locator: {section: Only, paragraph: 1}}
  - {id: qianxian, name: Qian county weaving, name_zh: 乾县纺织, sector: electronics, cities: [hefei],
     status: established, summary: Weaving., locator: {section: Only, paragraph: 1}}
  - {id: xingan, name: Ganxian weaving, name_zh: 新干县纺织, sector: electronics, cities: [hefei],
     status: established, summary: Weaving., locator: {section: Only, paragraph: 1}}
  - {id: looms, name: Loom makers, name_zh: 紡織機械, sector: electronics, cities: [hefei],
     status: established, summary: Looms., locator: {section: Only, paragraph: 1}}
"""


def test_a_text_written_in_traditional_characters_is_found_either_way_and_a_query_as_typed_first(
    shared_cache: Path, tmp_path: Path
) -> None:
    """零跑汽車 as written is found by its simplified form too; a traditional query finds what its simplified
    form finds as well as what it finds as typed (紡織: 紡織機械 and 纺织); 乾县, which t2s makes 干县, finds
    乾县 first (found as typed, it comes first among equal scores, though its name sorts after), then 新干县."""
    from helpers import PACKS, load_through, write

    from clusters_cli.views.search import search_view

    kb = load_through(shared_cache, [*PACKS, write(tmp_path, TRADITIONAL)])

    def found(query: str) -> list[str]:
        return [h["id"] for h in search_view(kb, query, ["cluster"])["hits"]]

    assert found("零跑汽车") == found("零跑汽車") == ["leap"]
    assert found("乾县") == ["qianxian", "xingan"]
    assert found("新干县") == ["xingan"]
    assert found("紡織")[0] == "looms" and set(found("紡織")) == set(found("纺织"))
    # the names, and the fixtures' textile clusters by their sector's Chinese name or its parent's (纺织, as
    # `sector textiles` counts them: home textiles and socks are textiles)
    assert set(found("纺织")) == {"looms", "qianxian", "xingan", "jiangsu-textiles", "nantong-home-textiles"} | {
        "kunshan-socks"
    }


def test_an_invisible_character_inside_a_word_parts_nothing(kb: Any) -> None:
    from clusters_cli.views.search import search_view

    wind = search_view(kb, "wind")
    assert wind["total"] > 0
    for query in ("wi\u00adnd", "wi\u200bnd", "\u200ewind\u200f", "\ufeffwind"):
        assert search_view(kb, query)["hits"] == wind["hits"], repr(query)


def test_a_place_or_sector_named_in_chinese_finds_what_its_english_name_finds(kb: Any) -> None:
    """A cluster, firm or park is found by the places and sectors it names in either script: 合肥 finds what
    Hefei finds (a search of 合肥 missed 14 of the 22 shipped hits of hefei), 集成电路 what semiconductors finds."""
    from clusters_cli.views.search import search_view

    def found(query: str) -> set[tuple[str, str]]:
        hits = search_view(kb, query, ["cluster", "company", "park"], limit=None)["hits"]
        return {(h["kind"], h["id"]) for h in hits}

    pairs = [("hefei", "合肥"), ("semiconductors", "集成电路"), ("shenzhen", "深圳"), ("PRD", "珠三角")]
    for english, chinese in pairs:
        assert found(english) and found(english) <= found(chinese), (english, chinese)
    assert ("park", "suzhou-industrial-park") in found("集成电路")  # by its sector's Chinese name
    why = {h["id"]: h["why"] for h in search_view(kb, "合肥", ["cluster"])["hits"]}
    assert why["yrd-ic"] == "place: 合肥市"  # the text that matched, as written


def test_each_entitys_first_search_text_is_its_name_and_numbers_it(shared_cache: Path, tmp_path: Path) -> None:
    """search numbers an entity by the row of its first text, and reads a hit's id and name there
    (KB.search_entities), not among all its texts: every entity's texts are written together, the first its
    name, each naming the first's row, after a pack is changed and rebuilt by the delta too (an entity's texts
    written again, after all others)."""
    from helpers import PACKS, deltas_of, load_through

    from clusters_cli.model import KINDS

    def names_read_whole(kb: Any) -> dict[tuple[str, str], str]:
        rows = kb._query("SELECT rowid, kind, id, field, label, text, entity FROM search ORDER BY rowid")
        first: dict[tuple[str, str], tuple[int, str, str, str]] = {}
        for row, kind, ident, field, label, text, entity in rows:
            first.setdefault((kind, ident), (row, field, label, text))
            assert entity == first[(kind, ident)][0], (row, kind, ident)
        assert all(field == label == "name" for _, field, label, _ in first.values())
        together = [(kind, ident) for _, kind, ident, *_ in rows]
        assert len(list(itertools.groupby(together))) == len(first)  # no entity's texts apart
        numbered = {row: (ident, text) for (_, ident), (row, _, _, text) in first.items()}
        assert kb.search_entities(list(numbered)[::-1]) == numbered
        # each different folded text held once, the one its rows name, and no other (a delta drops the texts
        # only the rows it replaced named)
        held = kb._query("SELECT folded FROM texts")
        assert sorted(held) == sorted(set(held)) == kb._query("SELECT DISTINCT folded FROM search ORDER BY 1")
        assert kb._query("SELECT COUNT(*) FROM search s JOIN texts t ON t.tid = s.tid WHERE t.folded != s.folded") == [
            (0,)
        ]
        return {key: text for key, (_, _, _, text) in first.items()}

    pack = tmp_path / "spaced.yaml"
    deltas: list[int] = []  # the first build may be a delta too, on the fixture packs' cache
    for name in ("Mine spaced", "Mine respaced", "Mine spaced again"):
        pack.write_text(SPACED.replace("Mine spaced", name), encoding="utf-8")
        kb = load_through(shared_cache, [*PACKS, str(pack)])
        deltas.append(int(deltas_of(kb.built()[0])))
        whole = names_read_whole(kb)
        assert whole[("cluster", "mine-spaced")] == name
        entities = {(k, e["id"]): str(e.get("name", e.get(KINDS[k].label))) for k in KINDS for e in kb.all(k)}
        assert whole == entities
    assert deltas[1:] == [deltas[0] + 1, deltas[0] + 2]  # the changed pack's rows replaced each time
    assert kb.search_entities([]) == {} and kb.search_entities([10**9]) == {}


def test_a_limit_shows_the_first_hits_of_all_reading_names_only_up_to_the_last_ones_score(kb: Any) -> None:
    """search_view with a limit shows the first hits of the whole ranking, its ties at the cut cut by name and
    id as the whole ranking cuts them; it reads the names of the hits up to the last shown and of those tied
    with it (score, as typed or not, kind), not every hit's."""
    from clusters_cli.views.search import search_view

    asked: list[int] = []
    every = kb.search_entities
    kb.search_entities = lambda keys: asked.append(len(keys := list(keys))) or every(keys)
    try:
        checked = fewer = 0
        queries = ("wind", "hefei", "semiconductor", "合肥", "集成电路", "province", "a", "市", "jiangsu", "anhui")
        queries += ("electric",)
        for query in queries:
            whole = search_view(kb, query, limit=None)
            assert asked.pop() == whole["total"]  # every hit's name, to sort them all
            for limit in (-2, -1, 0):  # not what the command sends (--limit is 1 or more): sliced as a list is
                assert search_view(kb, query, limit=limit)["hits"] == whole["hits"][:limit], (query, limit)
                asked.pop()
            for limit in range(1, whole["total"] + 2):
                cut = search_view(kb, query, limit=limit)
                assert cut["hits"] == whole["hits"][:limit] and cut["total"] == whole["total"], (query, limit)
                fewer += asked.pop() < whole["total"]
                checked += 1
    finally:
        del kb.search_entities
    assert checked == 122 and fewer > 80


def test_search_answers_alike_whatever_order_the_store_gives_its_rows(kb: Any) -> None:
    """The store gives a word's texts in no particular order (KB.search_texts_containing reads them by an index
    of each text's rows): of an entity's texts of one score, the first written (its least row) says why, as of
    the texts each word stands in; the rows reversed or shuffled give the same answers, reasons included."""
    import random

    from clusters_cli.views.search import search_view

    every = kb.search_texts_containing
    queries = ["wind", "hefei", "合肥", "集成电路", "anhui solar", "chips hefei", "province", "市", "semiconductor"]
    queries += ["a", "jiangsu textiles", "solar hefei", "offshore wind", "wind power", "anhui hefei"]
    shuffle = random.Random(5).shuffle
    for query in queries:
        answer = search_view(kb, query, limit=None)
        assert answer["total"] > 0, query
        for order in ("reversed", "shuffled", "shuffled"):

            def given(word: str, holding: Any = None, starting: bool = False, order: str = order) -> list[Any]:
                rows = list(every(word, holding, starting))
                if order == "reversed":
                    return rows[::-1]
                shuffle(rows)
                return rows

            kb.search_texts_containing = given
            try:
                assert search_view(kb, query, limit=None) == answer, (query, order)
            finally:
                del kb.search_texts_containing


def test_search_by_a_sectors_name_finds_every_cluster_the_sector_counts(kb: Any) -> None:
    """`search semiconductors` found 16 of the 18 clusters `sector semiconductors` counts: a cluster tagged
    with a sub-sector (IC design) held its own sector's names alone. Its texts hold the names of the sectors
    its sectors are part of too."""
    from clusters_cli.views.search import search_view

    for sector in kb.all("sector"):
        counted = {c["id"] for c in cli("sector", sector["id"], "--json").json()["clusters"]}
        for name in (sector["name"], sector.get("name_zh")):
            if name:
                found = {h["id"] for h in search_view(kb, name, ["cluster"], limit=None)["hits"]}
                assert counted <= found, (sector["id"], name, counted - found)


def test_each_different_search_text_is_numbered_once_in_the_order_first_met() -> None:
    """store/textids.TextIds: a text keeps the number it was first given, in this batch or an earlier one; new
    texts are numbered after the last, in the order they are first met, and written once. A delta build's
    (`written`) reads the numbers the database holds, and numbers only what it does not."""
    import sqlite3

    from clusters_cli.store.layout import SCHEMA
    from clusters_cli.store.textids import TextIds

    conn = sqlite3.connect(":memory:")
    conn.executescript(SCHEMA)
    build = TextIds(conn, written=False)
    assert build.of(["b", "a", "b", "c"]) == [1, 2, 1, 3]
    assert build.of(["c", "d", "a", "d", "d"]) == [3, 4, 2, 4, 4]
    assert build.of([]) == []
    held = [(1, "b"), (2, "a"), (3, "c"), (4, "d")]
    assert conn.execute("SELECT tid, folded FROM texts ORDER BY tid").fetchall() == held
    delta = TextIds(conn, written=True)  # a new reader of the same database: it knows no text but the table's
    assert delta.of(["e", "d", "b", "e", "f"]) == [5, 4, 1, 5, 6]
    assert conn.execute("SELECT tid, folded FROM texts ORDER BY tid").fetchall() == [*held, (5, "e"), (6, "f")]
