"""The knowledge base as views see it: entities by id, and questions asked by name.

Every SQL statement of the tool is in this package; the cache's tables are
an implementation detail, not an API. Nothing here knows about the terminal.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from .points import PointQueries
from .relations import Rel, ref_relation, statistics_at
from .textqueries import TextQueries

Entity = dict[str, Any]


class CacheCorrupt(Exception):
    """The cache database failed while in use; the caller rebuilds it."""


class KB(PointQueries, TextQueries):
    """A validated knowledge base, read through its compiled cache."""

    def __init__(self, conn: sqlite3.Connection, paths: list[str]) -> None:
        self.conn = conn
        self.paths = paths
        # the cache folder its build could not be kept in (store/cache.load_kb): compiled again on every run
        self.not_kept: str | None = None
        self._entities: dict[tuple[str, str], Entity] = {}
        self._all: dict[str, list[Entity]] = {}
        self._related: dict[tuple[str, str], list[str]] = {}
        self._whole: set[str] = set()  # relations read whole (prefetch)
        self._packs: dict[tuple[str, str], int] = {}  # the pack of an entity, read for many at once (remember_packs)
        self.packs: list[Entity] = json.loads(self._one("SELECT value FROM meta WHERE key = 'packs'")[0])
        if len(self.packs) == len(paths):  # each pack's file as this run names it (the build may have named it
            for info, path in zip(self.packs, paths, strict=True):  # otherwise: ./a.yaml, /home/me/a.yaml)
                info["file"] = path

    @property
    def path(self) -> str:
        """The last pack read (the user's own, when one was given)."""
        return self.paths[-1]

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as e:
            raise CacheCorrupt(str(e)) from e

    def _batches(self, sql: str, params: tuple[Any, ...] = ()) -> Iterator[list[tuple[Any, ...]]]:
        """The rows of a query a thousand at a time, for a caller that reads each once and keeps few."""
        try:
            cursor = self.conn.execute(sql, params)
            while batch := cursor.fetchmany(1000):
                yield batch
        except sqlite3.DatabaseError as e:
            raise CacheCorrupt(str(e)) from e

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        """The rows of a query, read a batch at a time (a search of several words scoring a million rows at 100
        times the shipped data held them all: 432 MiB)."""
        for batch in self._batches(sql, params):
            yield from batch

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        rows = self._query(sql, params)
        if not rows:
            raise CacheCorrupt(f"no row for {sql}")
        return rows[0]

    def _in_chunks(self, sql: str, before: tuple[Any, ...], idents: Sequence[str | int]) -> Iterator[tuple[Any, ...]]:
        """The rows of a query over a list of ids (`{marks}` in `sql`, after the parameters `before`), 500 ids a
        query (SQLite caps the parameters of one)."""
        for start in range(0, len(idents), 500):
            chunk = idents[start : start + 500]
            yield from self._query(sql.format(marks=",".join("?" * len(chunk))), (*before, *chunk))

    def built(self) -> tuple[str, str] | None:
        """(database file, build) of the knowledge base's database: the file it is read from and the name its
        build gave it (writers.new_build); None for a database in memory."""
        main = next((r[2] for r in self._query("PRAGMA database_list") if r[1] == "main"), "")
        build = self._query("SELECT value FROM meta WHERE key = 'build'")
        return (main, build[0][0]) if main and build else None

    # --- entities

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = json.loads(self._one("SELECT value FROM meta WHERE key = 'counts'")[0])
        return counts

    # Every entry of a kind, in file order: read along the primary key, then sorted. `+pos` keeps the planner
    # off the index of file order (entities_order), whose lookup a row takes half as long again for a whole
    # kind; a page (`first`) reads that index and no more rows than it shows.
    def all(self, kind: str) -> list[Entity]:
        if kind not in self._all:
            rows = self._query("SELECT id, data FROM entities WHERE kind = ? ORDER BY +pos", (kind,))
            self._all[kind] = [self._remember(kind, ident, data) for ident, data in rows]
        return self._all[kind]

    def each(
        self, kind: str, equal: dict[str, str] | None = None, years: tuple[int, int] | None = None
    ) -> Iterator[Entity]:
        """Every entity of a kind in file order, read a thousand at a time and not kept (a caller that needs
        each once, such as a list of every row, holds no more than a batch of them); with `equal` or `years`,
        those holding these values (ids_where)."""
        if kind in self._all and not equal and years is None:
            yield from self._all[kind]
            return
        where, params = _holding(equal or {}, years)
        sql = f"SELECT id, data FROM entities WHERE kind = ?{where} ORDER BY +pos"
        for batch in self._batches(sql, (kind, *params)):
            # a batch decoded as one JSON array: a quarter faster than a json.loads a row
            decoded = json.loads("[" + ",".join([data for _, data in batch]) + "]")
            for (ident, _), entity in zip(batch, decoded, strict=True):
                yield self._entities.get((kind, ident)) or entity

    def first(
        self, kind: str, n: int, equal: dict[str, str] | None = None, years: tuple[int, int] | None = None
    ) -> list[Entity]:
        """The first `n` entities of a kind in file order (a page of a table), read alone; with `equal` or
        `years`, of those holding these values (ids_where), read along the index of file order until `n` are
        found, not every one found and sorted (each's `+pos`)."""
        if kind in self._all and not equal and years is None:
            return self._all[kind][:n]
        where, params = _holding(equal or {}, years)
        rows = self._query(
            f"SELECT id, data FROM entities WHERE kind = ?{where} ORDER BY pos LIMIT ?", (kind, *params, n)
        )
        return [self._remember(kind, ident, data) for ident, data in rows]

    def last_ids(self, kind: str, n: int) -> list[str]:
        """The ids of the last `n` entities of a kind, in file order (a page of every entry reversed), read from
        the end of the index of file order alone."""
        rows = self._query("SELECT id FROM entities WHERE kind = ? ORDER BY pos DESC LIMIT ?", (kind, n))
        return [str(r[0]) for r in reversed(rows)]

    def values_in_file_order(
        self,
        kind: str,
        field: str,
        fallback: str | None = None,
        equal: dict[str, str] | None = None,
        years: tuple[int, int] | None = None,
    ) -> list[tuple[str, Any]]:
        """(id, value of a top-level field) of every entity of a kind in file order, of those holding `equal` and
        `years` (ids_where), read in the store (json_extract) without reading each entity: what orders a list
        sorted by it before its page is read. With `fallback`, the value of that field where the entity has no
        `field` at all (as `e.get(field, e.get(fallback))` reads it); a JSON null reads as None."""
        where, holding = _holding(equal or {}, years)
        if field == "id" and not where:  # from the index of file order alone, which holds each id
            return [(str(r[0]), str(r[0])) for r in self._query(_IDS_IN_FILE_ORDER, (kind,))]
        value = "json_extract(data, ?)"
        params: list[Any] = [f"$.{field}"]
        if fallback is not None:
            value = "CASE WHEN json_type(data, ?) IS NULL THEN json_extract(data, ?) ELSE json_extract(data, ?) END"
            params = [f"$.{field}", f"$.{fallback}", f"$.{field}"]
        # read along the primary key and sorted (`+pos`, as `all`): by the index of file order, each row's JSON
        # was looked up on its own (1.9 s for the cities at 100 times the shipped data)
        rows = self._query(
            f"SELECT id, {value} FROM entities WHERE kind = ?{where} ORDER BY +pos", (*params, kind, *holding)
        )
        return [(str(r[0]), r[1]) for r in rows]

    def related_ids(self, relation: str) -> list[str]:
        """Every id a relation lists under any key, each once (the clusters at any city, say), in one query."""
        return [r[0] for r in self._query("SELECT DISTINCT id FROM rel WHERE name = ? ORDER BY id", (relation,))]

    def _remember(self, kind: str, ident: str, data: str) -> Entity:
        entity = self._entities.get((kind, ident))
        if entity is None:
            entity = json.loads(data)
            self._entities[(kind, ident)] = entity
        return entity

    def get(self, kind: str, ident: str | None) -> Entity | None:
        if ident is None:
            return None
        found = self._entities.get((kind, ident))
        if found is None:
            rows = self._query("SELECT data FROM entities WHERE kind = ? AND id = ?", (kind, ident))
            if not rows:
                return None
            found = self._remember(kind, ident, rows[0][0])
        return found

    def many(self, kind: str, idents: list[str]) -> list[Entity]:
        """Entities in the order of `idents` (missing ones skipped)."""
        missing = [i for i in dict.fromkeys(idents) if (kind, i) not in self._entities]
        for ident, data in self._in_chunks(
            "SELECT id, data FROM entities WHERE kind = ? AND id IN ({marks})", (kind,), missing
        ):
            self._remember(kind, ident, data)
        return [self._entities[(kind, i)] for i in idents if (kind, i) in self._entities]

    def joined_ids(self, kind: str) -> set[str]:
        """The ids of the entries of a kind that joined another by `same_as` (rules.fold_same_as): the one they
        joined answers to them, among its aliases, but they are no names of it."""
        from ..model import KINDS

        section = KINDS[kind].section
        folded = json.loads(self._one("SELECT value FROM meta WHERE key = 'folded'")[0])
        return {str(ident) for of, ident, _, _ in folded if of == section}

    def packs_of(self, kind: str) -> dict[str, int]:
        """id -> index in `packs` of the pack each entity of a kind came from."""
        return {str(i): int(p) for i, p in self._query("SELECT id, pack FROM entities WHERE kind = ?", (kind,))}

    def packs_holding(self, kind: str) -> list[int]:
        """The indexes in `packs` of the packs an entity of a kind came from, in order (one sort of the kind's
        pack column, not a row per entity in Python)."""
        return [int(r[0]) for r in self._query("SELECT DISTINCT pack FROM entities WHERE kind = ? ORDER BY 1", (kind,))]

    def pack_counts(self, kind: str, idents: list[str]) -> dict[int, int]:
        """pack index -> how many of these entities of a kind came from it (each id once; unknown ids left out)."""
        counts: dict[int, int] = {}
        sql = "SELECT pack, COUNT(*) FROM entities WHERE kind = ? AND id IN ({marks}) GROUP BY pack"
        for pack, n in self._in_chunks(sql, (kind,), list(dict.fromkeys(idents))):
            counts[int(pack)] = counts.get(int(pack), 0) + int(n)
        return counts

    def primary_source_of(self, kind: str, ident: str) -> str | None:
        """The primary source of the pack an entity came from (the document that reports it)."""
        pack = self._packs.get((kind, ident))
        if pack is None:
            rows = self._query("SELECT pack FROM entities WHERE kind = ? AND id = ?", (kind, ident))
            if not rows:
                return None
            pack = self._packs[(kind, ident)] = int(rows[0][0])
        if pack >= len(self.packs):
            return None
        source = self.packs[pack].get("primary_source")
        return str(source) if source else None

    def remember_packs(self, kind: str, idents: list[str]) -> None:
        """Read the packs of many entities at once, for a view that asks primary_source_of every row."""
        missing = [i for i in dict.fromkeys(idents) if (kind, i) not in self._packs]
        for ident, pack in self._in_chunks(
            "SELECT id, pack FROM entities WHERE kind = ? AND id IN ({marks})", (kind,), missing
        ):
            self._packs[(kind, ident)] = int(pack)

    def positions(self, kind: str, idents: list[str]) -> dict[str, int]:
        """The file order of some entities, for sorting them as the knowledge base lists them."""
        sql = "SELECT id, pos FROM entities WHERE kind = ? AND id IN ({marks})"
        return {str(ident): int(pos) for ident, pos in self._in_chunks(sql, (kind,), idents)}

    def in_file_order(self, kind: str, idents: set[str]) -> list[Entity]:
        """These entities of a kind, read, in file order (a filtered list or stats reads only the entries the
        relations keep, as the knowledge base lists them); an id of no entity is left out."""
        at = self.positions(kind, sorted(idents))
        return self.many(kind, sorted(at, key=at.__getitem__))

    def fields(self, kind: str, idents: list[str], names: tuple[str, ...]) -> dict[str, tuple[Any, ...]]:
        """id -> some top-level fields of some entities, read in the store (SQLite's json_extract) without
        reading each entity whole: what orders many rows of which a page is shown."""
        columns = ", ".join("json_extract(data, ?)" for _ in names)
        sql = f"SELECT id, {columns} FROM entities WHERE kind = ? AND id IN ({{marks}})"
        return {str(r[0]): tuple(r[1:]) for r in self._in_chunks(sql, (*(f"$.{n}" for n in names), kind), idents)}

    def ids_where(
        self, kind: str, equal: dict[str, str], years: tuple[int, int] | None = None, among: set[str] | None = None
    ) -> set[str]:
        """The ids of a kind's entities whose top-level fields equal these texts and whose `year` is within
        `years`, tested in the store (json_extract) without reading each entity (a list's field filters); with
        `among`, only the entities of these ids are tested (a province's cities, not every city)."""
        where, params = _holding(equal, years)
        sql = f"SELECT id FROM entities WHERE kind = ?{where}"
        if among is None:
            return {str(r[0]) for r in self._query(sql, (kind, *params))}
        return {str(r[0]) for r in self._in_chunks(sql + " AND id IN ({marks})", (kind, *params), sorted(among))}

    # --- relations (store.rules says what each one means; store.relations names them)

    def related(self, relation: str, key: str) -> list[str]:
        """Ids related to `key`, in file order; each relation is read once per run (views ask repeatedly)."""
        found = self._related.get((relation, key))
        if found is None and relation in self._whole:
            return []
        if found is None:
            rows = self._query("SELECT id FROM rel WHERE name = ? AND key = ? ORDER BY pos", (relation, key))
            found = self._related[(relation, key)] = [r[0] for r in rows]
        return list(found)

    def chinese_names(self, idents: set[str]) -> dict[tuple[str, str], str]:
        """(id, English name) -> Chinese name of the entities with these ids that have one, for tables in
        Chinese. Keyed by the name too: kinds share ids (the city and the region `zhongyuan` are 中原区 and
        中原城市群), and a reference holds its id and English name, not its kind. Where entities of two kinds
        share both and their Chinese names differ (the county and the firm Tongwei), or one has none, neither
        is given: a reference to either is named in English rather than perhaps by the other's name."""
        found: dict[tuple[str, str], set[str | None]] = {}
        sql = (  # by the index of ids (layout.ENTITY_INDEXES), whatever their kind
            "SELECT id, json_extract(data, '$.name'), json_extract(data, '$.name_zh') FROM entities "
            "WHERE id IN ({marks})"
        )
        for ident, name, zh in self._in_chunks(sql, (), sorted(idents)):
            if name is not None:  # an entity without a Chinese name counts: its twin's is not its own
                found.setdefault((ident, name), set()).add(zh or None)
        return {key: zh for key, names in found.items() if len(names) == 1 for zh in names if zh is not None}

    def prefetch(self, relation: str) -> None:
        """Read a whole relation in one query, for a view that asks it of every row (`list cities`): each
        key's ids as `related` would return them, and an empty list for a key it lacks is then no query."""
        if relation in self._whole:
            return
        found: dict[str, list[str]] = {}
        for key, ident in self._query("SELECT key, id FROM rel WHERE name = ? ORDER BY key, pos", (relation,)):
            found.setdefault(key, []).append(ident)
        for key, ids in found.items():
            self._related[(relation, key)] = ids
        self._whole.add(relation)

    def prefetch_keys(self, relation: str, keys: list[str]) -> None:
        """Read a relation under many keys at once (500 a query), for a view that asks it of every row it
        shows: each key's ids as `related` would return them."""
        if relation in self._whole:
            return
        found: dict[str, list[str]] = {k: [] for k in keys if (relation, k) not in self._related}
        sql = "SELECT key, id FROM rel WHERE name = ? AND key IN ({marks}) ORDER BY key, pos"
        for key, ident in self._in_chunks(sql, (relation,), list(found)):
            found[key].append(ident)
        for key, ids in found.items():
            self._related[(relation, key)] = ids

    def related_pairs(self, relation: str) -> list[tuple[str, str]]:
        """Every (key, id) pair of a relation, in one query (the exports' link tables)."""
        return [
            (r[0], r[1]) for r in self._query("SELECT key, id FROM rel WHERE name = ? ORDER BY key, pos", (relation,))
        ]

    def related_pairs_among(self, relation: str, idents: set[str]) -> list[tuple[str, str]]:
        """The (key, id) pairs of a relation whose id is one of `idents`, as related_pairs orders them, picked
        in the store (`rank`: the places of a sector's clusters, not every place's clusters read into Python)."""
        sql = "SELECT key, id FROM rel WHERE name = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY key, pos"
        return [(r[0], r[1]) for r in self._query(sql, (relation, json.dumps(sorted(idents))))]

    def related_counts(self, relation: str) -> dict[str, int]:
        """How many different ids each key of a relation lists, in one query (`info`: the entries citing each
        source; a list sorted by a place's count of clusters, which counts each cluster once)."""
        return dict(self._query("SELECT key, COUNT(DISTINCT id) FROM rel WHERE name = ? GROUP BY key", (relation,)))

    def referring(self, kind: str, field: str, target: str) -> list[Entity]:
        """Entities of `kind` whose reference `field` names `target` (e.g. cities whose province is Anhui)."""
        return self.many(kind, self.related(ref_relation(kind, field), target))

    def referring_ids(self, kind: str, field: str, target: str) -> list[str]:
        return self.related(ref_relation(kind, field), target)

    def clusters_in(self, kind: str, ident: str) -> list[Entity]:
        """The clusters an entity stands in: located in a place, tagged with a sector, naming a company or park."""
        from ..kinds import adapter

        return adapter(kind).clusters_in(self, ident)

    def cluster_cities(self, cluster_id: str) -> list[str]:
        """Cities a cluster lies in: its own and its parks' (store.rules.cluster_cities)."""
        return self.related(Rel.CLUSTER_CITIES, cluster_id)

    def cluster_provinces(self, cluster_id: str) -> list[str]:
        """Provinces a cluster lies in, from its provinces, cities and parks (not its region)."""
        return self.related(Rel.CLUSTER_PROVINCES, cluster_id)

    def statistics_in(self, kind: str, ident: str) -> list[Entity]:
        """Figures about a place or anything inside it (a province's own and its cities' and parks')."""
        return self.many("statistic", self.related(statistics_at(kind), ident))

    def statistics_scoped(self, kind: str, ident: str) -> list[Entity]:
        """Figures about exactly this place (a region's own figures, say)."""
        return self.many("statistic", self.related(Rel.STATISTIC_SCOPE, f"{kind}:{ident}"))

    def sector_descendants(self, sector_id: str) -> list[str]:
        """The sector and every sector below it, depth first."""
        out = [sector_id]
        for child in self.related(ref_relation("sector", "parent"), sector_id):
            if child not in out:
                out.extend(self.sector_descendants(child))
        return out

    def sector_ancestors(self, sector_id: str) -> list[str]:
        out: list[str] = []
        sector = self.get("sector", sector_id)
        parent = sector.get("parent") if sector else None
        while parent is not None and parent not in out:
            out.append(parent)
            entity = self.get("sector", parent)
            parent = entity.get("parent") if entity else None
        return out


_IDS_IN_FILE_ORDER = "SELECT id FROM entities WHERE kind = ? ORDER BY pos"


def _holding(equal: dict[str, str], years: tuple[int, int] | None) -> tuple[str, list[Any]]:
    """(" AND " and the tests, their parameters) of entities whose fields equal `equal` and whose year is within
    `years` (json_extract); nothing for no test."""
    tests = ["json_extract(data, ?) = ?"] * len(equal)
    params: list[Any] = [p for field, value in equal.items() for p in (f"$.{field}", value)]
    if years is not None:
        tests.append("json_extract(data, '$.year') BETWEEN ? AND ?")
        params += years
    return "".join(f" AND {t}" for t in tests), params
