"""The cache's trigram index finds exactly the texts that hold a word (kb.search_texts_containing), as reading
every text would: for every substring of three to six characters of the fixture packs' searchable texts,
Latin and Chinese, and words that are in none."""

from __future__ import annotations

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
