"""The full build of the compiled database (its layout: store/layout.py; its rows made by store/writers.py, whose
writers the delta shares). A knowledge base of PARALLEL_FROM entities or more is built on two cores: a forked helper
(store/forked.py) writes the entities' name keys, the relations and the points near measures (layout.BESIDE_SCHEMA),
and the entities' own rows if it is free for them first, into a file of their own, which stays beside the database
(store/buildfiles.py attaches it whenever the database is opened). The writers are called as attributes of their
module (`writers.write_name_keys`), one name for each, which the tests replace to fail one in either process.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from typing import Any

from ..model import KINDS
from . import forked, writers
from .buildfiles import unjournalled
from .layout import (
    BESIDE_SCHEMA,
    CACHE_FORMAT,
    ENTITY_INDEXES,
    ENTITY_SCHEMA,
    HELPER_INDEXES,
    INDEXES,
    META,
    OWN_SCHEMA,
    SCHEMA,
)

# A knowledge base of PARALLEL_FROM entities or more is compiled on two cores: a forked helper writes the
# entities' name keys, the relations and the points near measures (half the work) into a file of their own while
# this process writes the search texts and their trigram index; the entities' rows go to whichever is free first
# (_Token). The helper's file stays beside the database, attached to it whenever it is opened (since the
# thirty-seventh session: until then SQLite copied its tables in once both sides were done, 0.4 s at 10x and 7 s
# at 100x after all the rest). The points came to this process then too: with the search texts folded together
# (searchtext.fold_all), the helper was the longer side at 10x, its points 0.2 s of 3.3 against this process's
# 3.0. They went back to the helper in the forty-second session, with the index of the keys' first characters
# left out (layout.HELPER_INDEXES): at 100x this process, the longer side, was at its own work until 32 s and at
# the entities' rows until 37 s while the helper ended at 35 s (first runs alternated, six each over two rounds
# on a noisy machine: at 100x, medians 37.7 s against 41.4; at 10x, 3.65-3.88 s against 3.86-3.92). The
# relations went to the helper in the thirty-fourth session: at 10x this process spent 2.8 s on the
# search texts, 1.35 on the relations and 0.7 on its indexes while the helper's 2.85 s left a core idle for 2 s
# (first runs at 10x, alternated, 11 each: median 8.26 s against 8.70). Below this many entities a fork saves
# nothing: measured, 100 entities build in 11 ms either way, the shipped knowledge base's 4,900 in 0.38-0.43 s
# instead of 0.61-0.65 s.
PARALLEL_FROM = 1000


def build_database(
    conn: sqlite3.Connection,
    sections: dict[str, list[dict[str, Any]]],
    packs: Any,
    origins: Any,
    folded: Any,
    key: str,
    *,
    helper_file: str | None = None,
) -> None:
    """Fill an empty database from validated, cleaned, merged packs. With `helper_file` (a path beside the database) and
    a large knowledge base, on a system that forks, the entities' name keys, the relations and the points near measures
    (layout.BESIDE_SCHEMA) are written by a helper process into that file, which stays, with a meta of its own naming
    the build, and the entities' table by whichever process asks for it first (_Token): the database's meta then says so
    (`beside`: the tables there), and the file is attached to the database (as `beside`) whenever that is read
    (store/buildfiles.py). Otherwise every table is in the database. Either way it answers every question alike."""
    from .rules import lookup_of
    from .textids import SEARCH_FIELDS

    lk = lookup_of(sections)
    build = writers.new_build()
    size = sum(len(entities) for entities in sections.values())
    share = _HelperShare(lk, sections, packs, origins)
    helper = None
    entities = _Token() if helper_file and size >= PARALLEL_FROM else None  # the entities' rows: either side's
    try:
        helper = _fork_helper(helper_file, share, build, entities) if helper_file and entities else None
        conn.executescript(SCHEMA if helper is None else OWN_SCHEMA)
        conn.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("cache_key", key),
                ("packs", json.dumps(packs, ensure_ascii=False)),
                ("format", str(CACHE_FORMAT)),
                ("counts", json.dumps({k.section: len(sections[k.section]) for k in KINDS.values()})),
                ("folded", json.dumps(folded, ensure_ascii=False)),
                ("deltas", "0"),
                ("build", build),
                ("search_codes", json.dumps([sorted(KINDS), list(SEARCH_FIELDS)])),
            ],
        )
        if helper is None:
            share.write(conn)
        writers.write_all_search_texts(conn, lk, sections)
        writers.write_specialty_words(conn, 0)
        conn.executescript(INDEXES)  # of this process's tables alone: made while the helper may still be at work
        here = entities is None or entities.take()
        if here:
            _write_entity_table(conn, sections, origins, created=helper is None)
        if helper is not None:
            pending, helper = helper, None  # reaped here, whatever happens: never signalled again
            _finish_helper(conn, share, *pending, entities_here=here)
        else:
            conn.executescript(HELPER_INDEXES)
        conn.commit()
    finally:
        if entities is not None:
            entities.close()
        if helper is not None:  # interrupted or failed before the helper was waited for: stop it, leave no file
            _stop_helper(*helper)


class _Token:
    """One job that either process of a large build may do, done by whichever asks for it first, once it is free
    of its own work: one byte in a pipe both processes hold after the fork, whose writing end is closed, so that
    the one that asks second reads the pipe's end. The entities' rows (0.7 s at 10 times the shipped data, 6.3 s
    at 100 times) are such a job: at 10x either side may be free first, run to run; at 100x this process's search
    texts and indexes grow faster than the data (timed one by one, its share 47.6 s against the helper's 30.5),
    and in a first run timed the helper took them at 58.8 s, this process at its indexes until 61.0."""

    def __init__(self) -> None:
        self._read, write = os.pipe()
        try:
            os.write(write, b"\0")
        finally:
            os.close(write)

    def take(self) -> bool:
        """Whether this process is the first to ask (and so does the job)."""
        return os.read(self._read, 1) == b"\0"

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._read)


def _write_entity_table(
    conn: sqlite3.Connection, sections: dict[str, list[dict[str, Any]]], origins: Any, *, created: bool
) -> None:
    """The entities' table (made first unless `created`), its rows and its indexes."""
    if not created:
        conn.executescript(ENTITY_SCHEMA)
    writers.write_all_entity_rows(conn, sections, origins)
    conn.executescript(ENTITY_INDEXES)


class _HelperShare:
    """What a large build's helper writes (layout.BESIDE_SCHEMA): the entities' name keys, the rules' answers and
    the points near measures. The process meanwhile writes the search texts, which take as long; the entities'
    rows are the first free side's (_Token)."""

    def __init__(self, lk: Any, sections: dict[str, list[dict[str, Any]]], packs: Any, origins: Any) -> None:
        self.lk, self.sections, self.packs, self.origins = lk, sections, packs, origins

    def write(self, conn: sqlite3.Connection) -> None:
        from .rules import points

        for kind in writers.kinds_by_name():
            writers.write_name_keys(conn, kind.name, self.sections[kind.section])
        writers.write_all_relations(conn, self.lk, self.packs, self.origins)
        writers.write_points(conn, self.lk, points(self.lk))
        writers.write_spots(conn)


# --- the helper process of a large build


def _fork_helper(path: str, share: _HelperShare, build: str, entities: _Token) -> tuple[int, str] | None:
    """(pid, file) of a forked helper writing its share of the tables into `path` (store/forked.py), with a meta
    naming the build, and the entities' table too if it asks for them first, or None."""

    def work() -> None:
        helper = sqlite3.connect(path)
        unjournalled(helper)
        helper.executescript(META + BESIDE_SCHEMA)
        helper.execute("INSERT INTO meta VALUES ('build', ?)", (build,))
        share.write(helper)
        helper.executescript(HELPER_INDEXES)
        if entities.take():
            _write_entity_table(helper, share.sections, share.origins, created=False)
        helper.commit()
        helper.close()

    pid = forked.start(work)
    return None if pid is None else (pid, path)


def _finish_helper(conn: sqlite3.Connection, share: _HelperShare, pid: int, path: str, *, entities_here: bool) -> None:
    """Wait for the helper: its file stays beside the database, which says so in its meta (`beside`: the tables
    there). If it failed, its tables (the entities' too, unless this process wrote them) are written here and its
    file removed; if the wait is interrupted, the helper is stopped first."""
    try:
        finished = forked.finish(pid)
    except BaseException:
        _stop_helper(pid, path)
        raise
    if finished:
        there = "keys rel points spots" + ("" if entities_here else " entities")
        conn.execute("INSERT INTO meta VALUES ('beside', ?)", (there,))
        return
    with contextlib.suppress(OSError):
        os.unlink(path)
    conn.executescript(BESIDE_SCHEMA)
    share.write(conn)
    conn.executescript(HELPER_INDEXES)
    if not entities_here:
        _write_entity_table(conn, share.sections, share.origins, created=False)


def _stop_helper(pid: int, path: str) -> None:
    """An interrupted or failed build: stop and reap the helper, remove its file."""
    forked.finish(pid, kill=True)
    with contextlib.suppress(OSError):
        os.unlink(path)
