"""The cache's trigram index finds exactly the texts that hold a word (kb.search_texts_containing), as reading
every text would: for every substring of three to six characters of the fixture packs' searchable texts,
Latin and Chinese, and words that are in none."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_the_trigram_index_finds_what_reading_every_text_finds(kb: Any) -> None:
    texts = [r[0] for r in kb._query("SELECT folded FROM search")]  # the store's own table, read whole
    words = {t[i : i + n] for t in texts for n in (3, 4, 6) for i in range(0, max(0, len(t) - n), 7)}
    words |= {"zzqxq", "wind", "集成电路", "光伏产", 'qq"x'}
    assert len(words) > 200
    for word in sorted(words):
        by_index = sorted(kb.search_texts_containing(word))
        by_reading = sorted(
            tuple(r)
            for r in kb._query(
                "SELECT kind, id, field, label, text, folded FROM search WHERE (kind, id) IN "
                "(SELECT kind, id FROM search WHERE instr(folded, ?) > 0)",
                (word,),
            )
        )
        assert by_index == by_reading, word


# a text whose Chinese words a query may join, beside one holding the query's longest word: a hit only by
# reading every text of the entity (views/search.py, _score_text)
SPACED = """
meta: {title: Mine, primary_source: mine-notes}
sources:
  - {id: mine-notes, short_name: My notes, name: My notes, kind: secondary, sections: [{heading: Only, paragraphs: 1}]}
clusters:
  - {id: mine-spaced, name: Mine spaced, sector: textiles, cities: [hefei], specialties: [集成 · 电路 · 合 · 肥],
     status: established, summary: "Wind and chips, 集成电路.", locator: {section: Only, paragraph: 1}}
"""


def test_search_reads_only_the_texts_that_can_score_and_answers_as_reading_them_all(
    shared_cache: Path, tmp_path: Path
) -> None:
    """A query in Latin letters reads, of each entity holding its longest word, only the names and the texts
    holding one of its words (KB.search_texts_containing with `holding`): every answer, hits, order, scores
    and reasons, is the one reading every text of those entities gives. Chinese is read whole."""
    from helpers import PACKS, load_through, write

    from clusters_cli.errors import UsageProblem
    from clusters_cli.views.search import search_view

    kb = load_through(shared_cache, [*PACKS, write(tmp_path, SPACED)])
    texts = [r[0] for r in kb._query("SELECT folded FROM search")]
    words = sorted({w for t in texts for w in t.split()})
    queries = words[::2] + [f"{a} {b}" for a, b in zip(words[::5], words[3::5], strict=False)]
    queries += [" ".join(t.split()[i : i + 3]) for t in texts[::3] for i in (0, 2)]
    queries += ["offshore wind", "wind power anhui", "chips hefei", "new energy vehicles", "集成电路", "集成电路 合肥"]
    every = kb.search_texts_containing
    narrowed = 0
    for query in sorted(set(queries)):
        try:
            fewer = search_view(kb, query)
        except UsageProblem:
            continue
        kb.search_texts_containing = lambda word, holding=None: every(word)  # every text, as before
        try:
            assert search_view(kb, query) == fewer, query
        finally:
            del kb.search_texts_containing
        anchor = max(query.split(), key=len)
        narrowed += len(every(anchor)) > len(every(anchor, query.split()))
    assert len(queries) > 300 and narrowed > 50
    assert [h["id"] for h in search_view(kb, "集成电路 合肥")["hits"]] == ["mine-spaced"]
