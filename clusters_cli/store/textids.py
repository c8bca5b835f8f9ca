"""The numbers of the search texts: each different folded text held once in the table `texts` (store/writers.py's
layout), numbered, and what a search row's small numbers for its kind and field stand for. Shared by the full
build and the delta (store/delta.py), which number a text alike: one met before keeps its number."""

from __future__ import annotations

import sqlite3

from .writers import insert_rows

# what a search row's field_code numbers (its place here; kind_code: the kind's place among the kinds in order of
# their names, when the database was built), kept in its meta (`search_codes`) and read from there: search reads a
# row's numbers from an index, not its texts (KB.search_texts_containing)
SEARCH_FIELDS = ("name", "specialty", "sector", "metric", "place", "summary")


class TextIds:
    """The number (tid) of each folded search text: the table `texts` holds each different one once, and each
    search row names its own. A text met before in this build keeps its number; with `written`, so does one
    the database holds already (a delta build: found by one read of the table, which has no index of its texts:
    built for every first run, it served the deltas alone); any other takes the next number after the last, and
    is written."""

    def __init__(self, conn: sqlite3.Connection, *, written: bool) -> None:
        self._conn = conn
        self._written = written
        self._tids: dict[str, int] = {}
        self.last = int(conn.execute("SELECT COALESCE(MAX(tid), 0) FROM texts").fetchone()[0])

    def of(self, forms: list[str]) -> list[int]:
        """The tid of each of these folded texts, in order; those new to the database written. Each different
        text of the batch is looked up once among the build's (1.4 million at 100 times the shipped data, a
        table far larger than a processor's caches: a lookup there cost 25-30 times what it did at 10x), and
        each row's number is read from the batch's own."""
        tids = self._tids
        if self._written:  # every text read once, each tested against those asked for
            missing = [form for form in dict.fromkeys(forms) if form not in tids]
            if missing:
                self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS asked (folded TEXT PRIMARY KEY) WITHOUT ROWID")
                self._conn.execute("DELETE FROM temp.asked")
                insert_rows(self._conn, "INSERT INTO temp.asked (folded)", [(form,) for form in missing])
                tids.update(
                    (r[1], r[0])
                    for r in self._conn.execute(
                        "SELECT tid, folded FROM main.texts WHERE folded IN (SELECT folded FROM temp.asked)"
                    )
                )
        numbered: dict[str, int] = {}
        new = []
        known = tids.get
        for form in forms:
            if form in numbered:
                continue
            tid = known(form)
            if tid is None:
                self.last += 1
                tid = tids[form] = self.last
                new.append((tid, form))
            numbered[form] = tid
        insert_rows(self._conn, "INSERT INTO texts (tid, folded)", new)
        return [numbered[form] for form in forms]
