"""The compiled database's writers (its layout: store/layout.py): the rows of each table, made from validated,
merged packs. They are shared by the full build (store/build.py, which runs them on two cores for a large
knowledge base) and the delta (store/delta.py), which differ only in which entities they are given and where each
relation's rows start: `write_entities` (which is `write_entity_rows` and `write_name_keys`), `name_keys`,
`write_search_texts`, `write_specialty_words`, `write_relation_rows`, `write_points`, `write_spots`, `mark_multi`;
the full build's own are those of every entity at once (`write_all_entity_rows`, `write_all_search_texts`,
`write_all_relations`). Rows go in by statements of many rows each (`insert_rows`).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from ..model import KINDS

if TYPE_CHECKING:
    from .textids import TextIds

# Rows go in as statements of many rows each (INSERT ... VALUES (?, ?), (?, ?), ...), not one statement a row as
# executemany runs them: one run of a statement opens the table once for all its rows, and finds where each goes
# from where the last went (at the end, rows coming in key order) instead of from the root, and Python steps and
# resets a statement once for many rows. The same rows in the same order make the same pages. At 10x (SQLite
# 3.40): 0.23 s less for each of the keys and the relations, 0.1 s for the search texts, 0.05 s for the
# entities. A statement holds at most 999 parameters, SQLite's least limit (its default before 3.32); more rows a
# statement saved nothing more.
PARAMETERS = 999


def insert_rows(conn: sqlite3.Connection, insert: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """`insert` ("INSERT INTO t") of each row, in order, by statements of many rows each; rows of several widths
    are refused (sqlite3.ProgrammingError, as executemany refuses them), never run together. The rows may be
    made as they are written (a generator): a statement's worth is held at a time."""
    it = iter(rows)
    first = next(it, None)
    if first is None:
        return
    width = len(first)
    one = f"({', '.join('?' * width)})"
    size = PARAMETERS // width
    full = f"{insert} VALUES {', '.join([one] * size)}"  # one statement for all the full chunks: prepared once
    it = itertools.chain((first,), it)
    while chunk := list(itertools.islice(it, size)):
        if set(map(len, chunk)) != {width}:
            raise sqlite3.ProgrammingError(f"rows of several widths for {insert}")
        sql = full if len(chunk) == size else f"{insert} VALUES {', '.join([one] * len(chunk))}"
        conn.execute(sql, list(itertools.chain.from_iterable(chunk)))


def new_build() -> str:
    """A name of one build of a database, made afresh by each full or delta build (store/kept.py reads it): two
    builds of the same packs, one after another, are two builds."""
    return os.urandom(8).hex()


def kinds_by_name() -> list[Any]:
    """The kinds in the order of their names: each table's rows go in kind by kind in the order of its primary
    key (kind first), so each B-tree grows at its end instead of splitting pages."""
    return sorted(KINDS.values(), key=lambda k: k.name)


def write_all_entity_rows(conn: sqlite3.Connection, sections: dict[str, list[dict[str, Any]]], origins: Any) -> None:
    """Every entity as JSON (one kind's rows held at a time)."""
    for kind in kinds_by_name():
        entities, held = sections[kind.section], origins[kind.section]
        write_entity_rows(conn, kind.name, entities, 0, [held[e["id"]] for e in entities])


def write_entities(
    conn: sqlite3.Connection, kind: str, entities: list[dict[str, Any]], first: int, packs: list[int]
) -> None:
    """Entities of one kind as JSON at positions from `first`, each with its pack, and the names they answer
    to (textfold.index_keys, the best stage of each name)."""
    write_entity_rows(conn, kind, entities, first, packs)
    write_name_keys(conn, kind, entities)


def write_entity_rows(
    conn: sqlite3.Connection, kind: str, entities: list[dict[str, Any]], first: int, packs: list[int]
) -> None:
    """Entities of one kind as JSON at positions from `first`, each with its pack."""
    if len(packs) != len(entities):
        raise ValueError(f"{len(entities)} entities of {kind}, {len(packs)} packs")
    # made in the entities' order, then written in the order of the primary key, (kind, id) with one kind: by id
    # (a stable sort: entities of one id, which the insert refuses, stay in the order of their positions). Made
    # in the order of their ids, the entities were read all over the memory they take, where their own order is
    # the order they were parsed in and so, most of them, the order they stand in: the JSON of every entity,
    # made and sorted, took 3.0 s at 100 times the shipped data against 4.4, and 0.37 s at 10x against 0.41
    # (three and six runs each, alternated). A kind's JSON is held at once: at 100x the cities', 206 MiB of
    # text, made in memory the parse freed (the process's peak stayed at 1,215 MiB)
    made = enumerate(zip(entities, packs, strict=True), first)
    rows = [(kind, e["id"], at, _to_json(e), pack) for at, (e, pack) in made]
    rows.sort(key=itemgetter(1))
    insert_rows(conn, "INSERT INTO entities", rows)


def write_name_keys(conn: sqlite3.Connection, kind: str, entities: Iterable[dict[str, Any]]) -> None:
    """The names entities of one kind answer to (textfold.index_keys, the best stage of each name), the
    entities in any order (their ids unique: the entities' own insert refuses two of one id)."""
    # the entities read in the order of their ids, then a stable sort by the key alone keeps the rows of one key
    # in the order of their ids, the primary key's order (kind, key, id), as a sort of whole rows would (an entity
    # gives a key once; keys compare faster than rows). The sort holds each name's key, id, stage and how (2.5
    # million at 100x), and its row is made as it is written. Made from the entities in their own order instead
    # (as their JSON is: write_entity_rows), the rows then sorted whole: slower, at 100x 11.8 s against 8.1 (the
    # sort of rows made in that order), and at 10x 0.78 s against 0.69; each entity's rows put in the order of
    # their ids before the sort by key, 9.9 s at 100x
    keys = _best_keys(kind, sorted(entities, key=itemgetter("id")))
    keys.sort(key=itemgetter(0))
    insert_rows(conn, "INSERT OR IGNORE INTO keys", ((kind, *key) for key in keys))


# json.dumps(e, ensure_ascii=False), without making an encoder for each entity
_to_json = json.JSONEncoder(ensure_ascii=False).encode


def name_keys(kind: str, entities: Iterable[dict[str, Any]]) -> list[tuple[str, str, str, int, str]]:
    """The rows of the keys table of every name these entities answer to, each at its best stage for its entity:
    (kind, key, id, stage, how)."""
    return [(kind, *key) for key in _best_keys(kind, entities)]


def _best_keys(kind: str, entities: Iterable[dict[str, Any]]) -> list[tuple[str, str, int, str]]:
    """(key, id, stage, how) of every name these entities answer to, each at its best stage for its entity."""
    from ..textfold import index_keys

    rows = []
    for entity in entities:
        best: dict[str, tuple[int, str]] = {}
        for stage, how, k in index_keys(kind, entity):
            if k not in best or best[k][0] > stage:
                best[k] = (stage, how)
        ident = entity["id"]
        rows += [(k, ident, stage, how) for k, (stage, how) in best.items()]
    return rows


def write_all_search_texts(conn: sqlite3.Connection, lk: Any, sections: dict[str, list[dict[str, Any]]]) -> None:
    """Every searchable text of every entity, as it reads and folded (store/searchtext.py)."""
    from .textids import TextIds

    tids = TextIds(conn, written=False)
    for kind in kinds_by_name():
        write_search_texts(conn, lk, kind.name, sections[kind.section], tids)


# entities whose search texts are made and written at a time (write_search_texts): what a batch makes is let go
# before the next is made, so its memory serves the next, where a kind's texts made at once (2.5 million at 100x)
# took memory from the system and gave it back, to be faulted in again by the next kind (the other writers make
# each row as it is written)
BATCH = 5000


def write_search_texts(
    conn: sqlite3.Connection, lk: Any, kind: str, entities: list[dict[str, Any]], tids: TextIds
) -> None:
    """Each entity's searchable texts (searchtext.search_fields), after the last row: each row with its text's
    number (`tids`) and its entity's, the row of the entity's first text, its name (search numbers a hit by it,
    and reads only the shown hits' ids and names), and the row of its last (an entity's rows are one range of
    rows: read and deleted by it, with no index of their own)."""
    from .searchtext import search_fields, search_forms

    kinds, fields = (
        {name: at for at, name in enumerate(names)}
        for names in json.loads(conn.execute("SELECT value FROM meta WHERE key = 'search_codes'").fetchone()[0])
    )
    code = kinds[kind]
    last = int(conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM search").fetchone()[0])
    for start in range(0, len(entities), BATCH):
        rows: list[tuple[int, int, str, str, str, str, str]] = []
        for entity in entities[start : start + BATCH]:
            first = last + len(rows) + 1
            found = search_fields(lk, kind, entity)
            end = first + len(found) - 1  # the entity's rows follow one another: rows first to end
            rows += [(first, end, kind, entity["id"], field, label, text) for field, label, text in found]
        forms = search_forms([row[6] for row in rows])
        numbers = tids.of(forms)
        insert_rows(
            conn,
            "INSERT INTO search "
            "(rowid, kind, id, field, label, text, folded, tid, entity, last, kind_code, field_code)",
            [
                (last + at, *row[2:], form, tid, row[0], row[1], code, fields[row[4]])
                for at, (row, form, tid) in enumerate(zip(rows, forms, numbers, strict=True), 1)
            ],
        )
        last += len(rows)


def write_specialty_words(conn: sqlite3.Connection, after: int) -> None:
    """Each word of each specialty written after the search row `after` (the folded text split at each space,
    as kb.clusters_mentioning splits it), with the row it stands in, its place there (0 for the first word), and
    that row's entity (kind, id): `sector` finds the clusters whose specialties hold its terms, a run of words
    by their places, in the words of its terms alone, not in every specialty."""
    found = conn.execute("SELECT rowid, folded, kind, id FROM search WHERE field = 'specialty' AND rowid > ?", (after,))
    insert_rows(
        conn,
        "INSERT INTO words",
        sorted(
            (w, row, at, kind, ident) for row, folded, kind, ident in found for at, w in enumerate(folded.split(" "))
        ),
    )


def write_all_relations(conn: sqlite3.Connection, lk: Any, packs: Any, origins: Any) -> None:
    """The rules' answers (store.rules.relations), each key's ids in order."""
    from .rules import primary_of, relations

    write_relation_rows(conn, relations(lk, primary_of(packs, origins)), lambda name, key: 0)


def write_relation_rows(
    conn: sqlite3.Connection, found: Iterable[tuple[str, str, str]], start: Callable[[str, str], int]
) -> None:
    """(relation, key, id) rows, each key's ids at positions in their order from `start(relation, key)`, called
    once for each (relation, key) after every row is found and before any of that key's rows is written (the
    rows of other keys, written before, leave where a key's rows start as it was)."""
    ids: defaultdict[str, defaultdict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name, k, ident in found:
        ids[name][k].append(ident)
    # in the order of the primary key (name, key, pos), so that the B-tree grows at its end; made as they are
    # written (3 million rows at 100x, never held at once)
    insert_rows(
        conn,
        "INSERT INTO rel",
        (
            (name, k, pos, ident)
            for name in sorted(ids)
            for k in sorted(ids[name])
            for pos, ident in enumerate(ids[name][k], start(name, k))
        ),
    )


def write_points(conn: sqlite3.Connection, lk: Any, found: Iterable[tuple[str, str, str]]) -> None:
    """(kind, id, city) points at the seat standing for their city (rules.seat_city), with the entity's name
    (what orders entities at one distance), whether its entity has several points among these (a delta build
    then marks those of the whole table: mark_multi) and the degree of longitude it stands in (the floor of its
    longitude, near's box: store/points.py); a city without a seat has no point."""
    from ..geo import unit_vector
    from .rules import seat_city

    seats: dict[str, str | None] = {}
    rows = []
    for kind, ident, city in found:
        if city not in seats:
            seats[city] = seat_city(lk, city)
        seat = seats[city]
        if seat is not None:
            lat, lon = lk["city"][seat]["lat"], lk["city"][seat]["lon"]
            rows.append((kind, ident, city, lat, lon, seat, *unit_vector(lat, lon), lk[kind][ident]["name"]))
    several = Counter((r[0], r[1]) for r in rows)
    insert_rows(conn, "INSERT INTO points", [(*r, int(several[(r[0], r[1])] > 1), math.floor(r[4])) for r in rows])


def write_spots(conn: sqlite3.Connection) -> None:
    """The points of entities of one point, counted by kind and spot (the same latitude and longitude: the
    seat of a city), what `near` counts within reach instead of each entity: many entities stand at one seat.
    Made again whole from the points (the full build and the delta, after the points are marked)."""
    conn.execute("DELETE FROM spots")
    conn.execute(
        "INSERT INTO spots SELECT kind, lat, lon, MIN(x), MIN(y), MIN(z), COUNT(*) FROM points WHERE multi = 0 "
        "GROUP BY kind, lat, lon ORDER BY lat, lon, kind"
    )


def mark_multi(conn: sqlite3.Connection, entities: set[tuple[str, str]]) -> None:
    """Mark again which points of these (kind, id) belong to an entity of several points: a delta build adds
    and removes points of entities the other packs hold too (a firm at the cities of a cluster naming it). One
    read of those kinds' points, and an update of the rows whose mark changes only."""
    if not entities:
        return
    kinds = sorted({kind for kind, _ in entities})
    rows: dict[tuple[str, str], list[tuple[int, int]]] = {}
    query = f"SELECT rowid, kind, id, multi FROM points WHERE kind IN ({','.join('?' * len(kinds))})"
    for rowid, kind, ident, multi in conn.execute(query, kinds):
        if (kind, ident) in entities:
            rows.setdefault((kind, ident), []).append((rowid, multi))
    marked = [(int(len(points) > 1), rowid, multi) for points in rows.values() for rowid, multi in points]
    conn.executemany("UPDATE points SET multi = ? WHERE rowid = ?", [(m, r) for m, r, was in marked if m != was])
