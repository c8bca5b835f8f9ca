"""Compiling the knowledge base again from its last build, when only packs at the end of the list changed.

A pack of one's own read beside a large knowledge base is the pack that changes: compiling everything again
costs a minute at 100 times the shipped data, where the change touches a few rows. When the last build's
database is there, built by this version from the same packs in the same order, and only packs at the end
of the list changed, only their rows are replaced: in that build where it stands, when it is these packs' own and
no run reads it (store/inplace.py), else in a copy. Packs added at the end of the list are changed packs that
held nothing before: the first run with a pack of one's own copies the build of the packs before it (the
shipped packs', say), which stays for the runs without it.

- The changed packs, before and after, may hold only sources, companies, clusters and statistics
  (`DELTA_SECTIONS`), none joining another by `same_as` (one that joined another is no longer among the
  compiled entities: the build's `folded` list names its pack), no cluster naming a designation (a list's member
  count spans every pack). Nothing else may name their old entries (a relation, an entry folded into
  another, a pack's primary source), and the counties their entries name must be named by the other packs
  too (a county gets a point of its own in `near` only where something names it). A firm of the other packs
  named by a changed cluster has points at its cities: those go and come with the cluster. Otherwise, and
  whenever anything here is unsure, the whole knowledge base is compiled as before: this path only saves
  time.
- The changed packs are validated against the others as a full validation would: store.validate runs on
  them with stand-ins for the rest (the entities they name, and what those name in turn, and the first figure
  of each series a changed figure joins, read from the database; an entity another joined is compiled with
  what joined it, so reading one is unsure). A problem of any kind sends the build down the full path, which
  reports it as always.
- Their rows are made by the same code as a full build (writers.write_entities, write_search_texts,
  write_specialty_words, write_relation_rows, write_points, rules.relations and rules.points) over a Lookup
  holding only the changed entities that reads any other entity from the database (`dblookup.py`), with the
  region index read from the compiled relations. A folded text is held once, numbered (store/textids.py): the
  texts only the old rows named go with them, and the new rows name those held already or new ones (so a
  text's number may differ from a full build's; its rows and what they find do not).
  Their entries come last in every section and every relation, as in a full build, and each entity's points
  keep their order (`near` orders entities by distance, kind, name and id, never by where their points
  stand); a test compares the two databases table by table.

The checks of the first two points are store/deltacheck.py's, run on the build read-only (`_checked`: a build
they refuse stays as it was); this module finds the build to start from and replaces the rows (`_write`).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import InvalidKnowledgeBase
from ..model import KINDS
from .buildfiles import looks_whole, read_only, write_beside
from .cache import cache_file, changed_packs
from .cachefolder import Waiting, reading_build
from .dblookup import db_lookup
from .deltacheck import (
    DELTA_SECTIONS,
    Entity,
    Unsure,
    check_counties,
    check_unnamed,
    entries_qualify,
    merged,
    qualifies,
    validate_against,
)
from .inplace import write_in_place
from .layout import CACHE_FORMAT
from .textids import TextIds
from .writers import (
    mark_multi,
    name_keys,
    new_build,
    write_entities,
    write_points,
    write_relation_rows,
    write_search_texts,
    write_specialty_words,
    write_spots,
)

if TYPE_CHECKING:
    from .merged import Pack
    from .packs import Origins

MAX_CHANGED_BYTES = 2 << 20  # the changed packs' size: beyond it, their parse alone costs more than a second
MAX_DELTAS = 50  # deltas in a row (each adds a trigram index segment); then from a shorter list's build, or in full


def rebuild(
    paths: list[str],
    key: str,
    parsed: dict[str, tuple[Pack, bool]],
    *,
    alone: bool = False,
    waiting: Waiting | None = None,
) -> bool:
    """Write the database of `paths` under `key` from the last build's, if only packs at the end of the list
    changed and what they hold allows it; False (nothing written) otherwise. The packs it parsed are left in
    `parsed` (path -> pack, whether from the pack cache), so that the full path does not parse them again.
    `alone`: no other run builds these packs meanwhile (cachefolder.building_alone). The build of the packs
    before those added at the end, where it starts from that, is read and copied holding its lock shared
    (cachefolder.reading_build), so that no run replaces it meanwhile; one building it is waited for, inside
    `waiting()`, and its build started from."""
    found = _last_build(paths, key)
    if found is None:
        return False
    if found[0] == cache_file(paths):  # these packs' own last build: held by this run, if it holds any
        return _rebuild_from(found, paths, key, parsed, alone=alone)
    start = found[0]
    with reading_build(start, waiting):
        found = _last_build(paths, key)  # as it stands now that none replaces it
        if found is None or found[0] != start:
            return False
        return _rebuild_from(found, paths, key, parsed, alone=alone)


def _rebuild_from(
    found: tuple[str, dict[str, str], list[int]],
    paths: list[str],
    key: str,
    parsed: dict[str, tuple[Pack, bool]],
    *,
    alone: bool,
) -> bool:
    """rebuild from the build `found` (_last_build)."""
    old_path, meta, changed = found
    try:
        if sum(os.stat(paths[i]).st_size for i in changed) > MAX_CHANGED_BYTES:
            return False  # a large pack is what a full build is for
    except OSError:
        return False
    from .packs import parse_packs
    from .parsecache import keep_parsed
    from .schema import schema_problems
    from .validate import unchecked

    try:
        packs, checked = parse_packs([paths[i] for i in changed], use_pack_cache=True)
    except InvalidKnowledgeBase:
        return False  # the full path reports it, with every other pack's problems
    parsed.update((p.path, (p, p.path in checked)) for p in packs)
    # what follows reads the packs' sections as the schema shapes them: a pack it refuses (a section that is no
    # list, an entry that is no mapping) goes to the full path, which reports it
    for pack in packs:
        if unchecked(pack, checked):
            if schema_problems(pack):
                return False
            pack.schema_passed = True  # checked once: the validation below and the full path skip it
    if not all(qualifies(p.data) for p in packs):
        return False

    fails = (Unsure, KeyError, ValueError, TypeError, AttributeError)
    target = cache_file(paths)
    written: bool | None = None
    if alone and old_path == target:  # its own last build, which no other run builds meanwhile: in place
        written = write_in_place(
            target,
            lambda conn: _checked(conn, meta, paths, changed, packs),
            lambda conn, plan: _write(conn, plan, meta, key, changed, packs),
            fails=fails,
        )
    if written is None:  # a run reads that build, or it is another list's: in a copy

        def fill(conn: sqlite3.Connection, _file: str) -> None:
            _write(conn, _checked(conn, meta, paths, changed, packs), meta, key, changed, packs)

        written = write_beside(target, fill, start_from=old_path, fails=fails, alone=alone)
    if not written:
        return False
    keep_parsed(packs, checked)
    return True


def _meta(path: str) -> dict[str, str]:
    with contextlib.closing(read_only(path)) as conn:
        return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def _last_build(paths: list[str], key: str) -> tuple[str, dict[str, str], list[int]] | None:
    """(file, meta, indexes of the changed packs) of the build to start from: the last build of these packs,
    else that of the packs before those added at the end, the longest such list first (the first run with a
    pack of one's own starts from the shipped packs' build, which stays as it was for runs without it); None
    if no build has only packs at the end to replace."""
    for n in range(len(paths), 0, -1):
        path = cache_file(paths[:n])
        if not looks_whole(path):
            continue
        try:
            meta = _meta(path)
            return path, meta, _changed_tail(meta, key, paths)
        except (sqlite3.Error, OSError, Unsure, ValueError, KeyError):
            continue  # say, a change before the end, or deltas enough in a row: a shorter list may serve
    return None


def _changed_tail(meta: dict[str, str], key: str, paths: list[str]) -> list[int]:
    """The indexes of the changed packs, if the last build is of the same packs by the same version and
    format and only packs at the end changed; Unsure otherwise."""
    if meta.get("format") != str(CACHE_FORMAT) or int(meta.get("deltas", MAX_DELTAS)) >= MAX_DELTAS:
        raise Unsure
    changed = changed_packs(meta["cache_key"], key)
    if not changed or changed != list(range(changed[0], len(paths))):
        raise Unsure
    return changed


class _Plan(NamedTuple):
    """What the checks of a delta read from the last build (_checked), for the writes (_write)."""

    old: dict[str, list[Entity]]  # the changed packs' entries as the build holds them
    old_origin: Origins  # their packs, as rules.primary_of reads them
    infos: list[Any]  # every pack's info (meta `packs`), those added at the end filled in by _write
    new: dict[str, list[Entity]]  # the changed packs' entries now


def _checked(
    conn: sqlite3.Connection, meta: dict[str, str], paths: list[str], changed: list[int], packs: list[Pack]
) -> _Plan:
    """Read what the delta replaces from the last build (open as `conn`, which this only reads) and check that
    the delta can answer as a full build would; Unsure where it cannot."""
    held = conn.execute("SELECT value FROM meta WHERE key = 'cache_key'").fetchone()
    if held is None or held[0] != meta["cache_key"]:  # replaced by another run since `meta` was read
        raise Unsure
    marks = ",".join("?" * len(changed))
    old: dict[str, list[Entity]] = {k.section: [] for k in KINDS.values()}
    # the packs' rows are found in the index of file order, which holds each one's pack (a scan of it, not of the
    # rows and their JSON: 215 MB at 100 times the shipped data), and read by their key, in file order
    old_origin: Origins = {k.section: {} for k in KINDS.values()}
    query = f"SELECT kind, id, pos, pack FROM entities INDEXED BY entities_order WHERE pack IN ({marks})"
    found = sorted(conn.execute(query, changed), key=lambda row: (row[0], row[2]))
    for kind, ident, _, pack in found:
        (data,) = conn.execute("SELECT data FROM entities WHERE kind = ? AND id = ?", (kind, ident)).fetchone()
        entry = json.loads(data)
        old[KINDS[kind].section].append(entry)
        old_origin[KINDS[kind].section][entry["id"]] = pack
    if any(old[s] for s in old if s not in DELTA_SECTIONS):
        raise Unsure
    if not entries_qualify([e for s in DELTA_SECTIONS for e in old[s]], old["clusters"]):
        raise Unsure
    infos = json.loads(meta["packs"])
    infos += [{}] * (len(paths) - len(infos))  # the packs added at the end: filled in by _write
    folded = json.loads(meta["folded"])
    if any(pack in changed for _, _, pack, _ in folded):  # what joined another is in it, not in `old`
        raise Unsure
    check_unnamed(conn, old, folded, infos, changed)
    new = merged(packs)
    validate_against(conn, new, packs, infos, folded, paths, changed)
    check_counties(conn, old, new, changed)
    return _Plan(old, old_origin, infos, new)


def _write(
    conn: sqlite3.Connection,
    plan: _Plan,
    meta: dict[str, str],
    key: str,
    changed: list[int],
    packs: list[Pack],
) -> None:
    """Replace the changed packs' rows in the last build, or in a copy of it (open as `conn`), as `plan` found
    them (_checked)."""
    from .rules import points, primary_of, relations, seat_city

    old, old_origin, infos, new = plan
    marks = ",".join("?" * len(changed))

    # the old rows go: made again from the old entries, by the same code, to know which they are
    lk_old = db_lookup(conn, old)
    gone = set(relations(lk_old, primary_of(list(infos), old_origin)))
    mine = {(k.name, e["id"]) for k in KINDS.values() for e in old[k.section]}
    touched: set[tuple[str, str]] = set()  # entities of the other packs whose points change (writers.mark_multi)
    for held, ident, city in points(lk_old):  # a firm of the other packs, at the cities of a cluster naming it
        if (held, ident) not in mine and seat_city(lk_old, city) is not None:  # its last such row is this one
            touched.add((held, ident))
            conn.execute(
                "DELETE FROM points WHERE rowid = "
                "(SELECT MAX(rowid) FROM points WHERE kind = ? AND id = ? AND city = ?)",
                (held, ident, city),
            )
    texts: set[int] = set()  # the texts of the rows that go: those no other row names go too (_drop_texts)
    for kind in KINDS.values():
        for e in old[kind.section]:
            # the entity's rows are a range, from the row of its first text, found by its kind and id
            # (search_first), to the last that row names
            rows = conn.execute(
                "SELECT rowid, last FROM search WHERE kind = ? AND id = ? AND entity = rowid", (kind.name, e["id"])
            ).fetchone()
            if rows is not None:
                texts.update(r[0] for r in conn.execute("SELECT tid FROM search WHERE rowid BETWEEN ? AND ?", rows))
                conn.execute(
                    "DELETE FROM words WHERE row IN "
                    "(SELECT rowid FROM search WHERE rowid BETWEEN ? AND ? AND field = 'specialty')",
                    rows,
                )
                conn.execute("DELETE FROM search WHERE rowid BETWEEN ? AND ?", rows)
            conn.execute("DELETE FROM points WHERE kind = ? AND id = ?", (kind.name, e["id"]))
            conn.executemany(
                "DELETE FROM keys WHERE kind = ? AND key = ? AND id = ?",
                [row[:3] for row in name_keys(kind.name, [e])],
            )
    _drop_texts(conn, texts)
    conn.executemany("DELETE FROM rel WHERE name = ? AND key = ? AND id = ?", sorted(gone))
    conn.execute(f"DELETE FROM entities WHERE pack IN ({marks})", changed)

    # the new rows, last in every section and relation as in a full build
    lk = db_lookup(conn, new)
    last = conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM search").fetchone()[0]
    tids = TextIds(conn, written=True)
    last_text = tids.last
    origin: Origins = {k.section: {} for k in KINDS.values()}
    for i, p in enumerate(packs):
        for s in DELTA_SECTIONS:
            origin[s].update((e["id"], changed[i]) for e in p.data.get(s) or [])
    for kind in sorted(KINDS.values(), key=lambda k: k.name):
        entities = new[kind.section]
        if not entities:
            continue
        first = conn.execute("SELECT COUNT(*) FROM entities WHERE kind = ?", (kind.name,)).fetchone()[0]
        write_entities(conn, kind.name, entities, first, [origin[kind.section][e["id"]] for e in entities])
        write_search_texts(conn, lk, kind.name, entities, tids)
    conn.execute("INSERT INTO search_tri (rowid, padded) SELECT tid, padded FROM texts WHERE tid > ?", (last_text,))
    write_specialty_words(conn, last)
    after = "SELECT COALESCE(MAX(pos) + 1, 0) FROM rel WHERE name = ? AND key = ?"  # last, as in a full build
    from .packs import pack_info

    for i, pack in zip(changed, packs, strict=True):
        infos[i] = pack_info(pack)
    found = relations(lk, primary_of(infos, origin))
    write_relation_rows(conn, found, lambda name, k: int(conn.execute(after, (name, k)).fetchone()[0]))
    added = list(points(lk))
    write_points(conn, lk, added)
    mark_multi(conn, touched | {(kind, ident) for kind, ident, _ in added})
    write_spots(conn)
    counts = dict.fromkeys((k.section for k in KINDS.values()), 0)
    for kind, n in conn.execute("SELECT kind, COUNT(*) FROM entities GROUP BY kind"):
        counts[KINDS[kind].section] = n
    conn.executemany(
        "UPDATE meta SET value = ? WHERE key = ?",
        [
            (key, "cache_key"),
            (json.dumps(infos, ensure_ascii=False), "packs"),
            (json.dumps(counts), "counts"),
            (str(int(meta["deltas"]) + 1), "deltas"),
            (new_build(), "build"),
        ],
    )


def _drop_texts(conn: sqlite3.Connection, tids: set[int]) -> None:
    """Of these texts, those no search row names any more leave the table and its index (a full build of the
    packs holds only the texts its rows name)."""
    unnamed = [
        (tid,) for tid in sorted(tids) if conn.execute("SELECT 1 FROM search WHERE tid = ?", (tid,)).fetchone() is None
    ]
    conn.executemany(
        "INSERT INTO search_tri (search_tri, rowid, padded) SELECT 'delete', tid, padded FROM texts WHERE tid = ?",
        unnamed,
    )
    conn.executemany("DELETE FROM texts WHERE tid = ?", unnamed)
