"""The knowledge base: loading through a cache, and the lookups views need.

A YAML file is parsed and validated once; the result is compiled into a small
SQLite database (entities, relation indexes, name keys for resolution, search
text) kept under the user's cache directory, keyed on the file's path, size,
mtime and the tool's version. Later runs open that database and fetch only
the rows a query needs, so a lookup costs about the same at 100x the data.

The cache is written to a temporary file and renamed into place (parallel
first runs never see half a file), checked before use (a truncated or foreign
file is rebuilt), and optional (an unwritable cache directory means an
in-memory database). Nothing here knows about the terminal.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from typing import Any

from . import __version__
from .errors import InvalidKnowledgeBase, Problem
from .kinds import KINDS
from .paths import data_path

Entity = dict[str, Any]

_CACHE_FORMAT = 2
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE entities (kind TEXT NOT NULL, id TEXT NOT NULL, pos INTEGER NOT NULL, data TEXT NOT NULL,
                       PRIMARY KEY (kind, id)) WITHOUT ROWID;
CREATE TABLE rel (name TEXT NOT NULL, key TEXT NOT NULL, pos INTEGER NOT NULL, id TEXT NOT NULL,
                  PRIMARY KEY (name, key, pos)) WITHOUT ROWID;
CREATE TABLE keys (kind TEXT NOT NULL, key TEXT NOT NULL, id TEXT NOT NULL, stage INTEGER NOT NULL,
                   how TEXT NOT NULL, PRIMARY KEY (kind, key, id)) WITHOUT ROWID;
CREATE TABLE search (kind TEXT NOT NULL, id TEXT NOT NULL, field TEXT NOT NULL, label TEXT NOT NULL,
                     text TEXT NOT NULL, folded TEXT NOT NULL);
CREATE INDEX search_entity ON search (kind, id);
"""

# relation name -> kind of the entities it lists
RELATIONS = {
    "cluster_by_province": "cluster",
    "cluster_by_city": "cluster",
    "cluster_by_region": "cluster",
    "cluster_in_region": "cluster",
    "cluster_by_sector": "cluster",
    "cluster_by_park": "cluster",
    "cluster_by_company": "cluster",
    "province_of_cluster": "province",
    "region_by_province": "region",
    "region_by_city": "region",
    "park_by_city": "park",
    "park_by_sector": "park",
    "city_by_province": "city",
    "sector_by_parent": "sector",
    "company_by_sector": "company",
    "statistic_by_cluster": "statistic",
    "statistic_by_region": "statistic",
    "statistic_by_province": "statistic",
    "statistic_by_city": "statistic",
    "statistic_by_park": "statistic",
    "statistic_by_sector": "statistic",
    "statistic_by_source": "statistic",
}


# kind -> the relation listing that kind's clusters
_CLUSTERS_OF = {
    "province": "cluster_by_province",
    "city": "cluster_by_city",
    "park": "cluster_by_park",
    "company": "cluster_by_company",
    "sector": "cluster_by_sector",
    "region": "cluster_in_region",
}


class CacheCorrupt(Exception):
    """The cache database failed while in use; the caller rebuilds it."""


# --- compiling a validated knowledge base into the database


def _relations(data: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    city_province = {c["id"]: c["province"] for c in data["cities"]}
    park_city = {p["id"]: p["city"] for p in data["parks"]}
    regions_of_province: dict[str, set[str]] = {}
    for r in data["regions"]:
        for p in r["provinces"]:
            regions_of_province.setdefault(p, set()).add(r["id"])
            yield "region_by_province", p, r["id"]
        for c in r["cities"]:
            yield "region_by_city", c, r["id"]
    for cl in data["clusters"]:
        cid = cl["id"]
        cities = list(dict.fromkeys([*cl.get("cities", []), *(park_city[p] for p in cl.get("parks", []))]))
        provinces = sorted({*cl.get("provinces", []), *(city_province[c] for c in cities)})
        for p in provinces:
            yield "cluster_by_province", p, cid
            yield "province_of_cluster", cid, p
        for c in cities:
            yield "cluster_by_city", c, cid
        yield "cluster_by_sector", cl["sector"], cid
        for p in cl.get("parks", []):
            yield "cluster_by_park", p, cid
        for co in cl.get("companies", []):
            yield "cluster_by_company", co, cid
        # in a region: attributed to it, or lying wholly inside its provinces
        inside = set.intersection(*(regions_of_province.get(p, set()) for p in provinces)) if provinces else set()
        if cl.get("region"):
            yield "cluster_by_region", cl["region"], cid
            inside.add(cl["region"])
        for r in sorted(inside):
            yield "cluster_in_region", r, cid
    for pk in data["parks"]:
        yield "park_by_city", pk["city"], pk["id"]
        for s in pk["sectors"]:
            yield "park_by_sector", s, pk["id"]
    for c in data["cities"]:
        yield "city_by_province", c["province"], c["id"]
    for s in data["sectors"]:
        if s.get("parent"):
            yield "sector_by_parent", s["parent"], s["id"]
    for co in data["companies"]:
        yield "company_by_sector", co["sector"], co["id"]
    for st in data["statistics"]:
        for field in ("cluster", "region", "city", "park", "sector", "source"):
            if st.get(field):
                yield f"statistic_by_{field}", st[field], st["id"]
        province = st.get("province") or city_province.get(st.get("city") or "")
        if province:
            yield "statistic_by_province", province, st["id"]


def build_database(conn: sqlite3.Connection, data: dict[str, Any], key: str) -> None:
    """Fill an empty database from validated, cleaned knowledge-base data."""
    from .resolve import compact, index_forms
    from .search_index import fold, search_fields

    conn.executescript(_SCHEMA)
    conn.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [
            ("cache_key", key),
            ("meta", json.dumps(data["meta"])),
            ("format", str(_CACHE_FORMAT)),
            ("counts", json.dumps({section: len(data[section]) for section in KINDS.values()})),
        ],
    )
    by_id = {kind: {e["id"]: e for e in data[section]} for kind, section in KINDS.items()}
    rows, keys, texts = [], [], []
    for kind, section in KINDS.items():
        for pos, entity in enumerate(data[section]):
            rows.append((kind, entity["id"], pos, json.dumps(entity, ensure_ascii=False)))
            best: dict[tuple[str, str], tuple[int, str]] = {}
            for stage, how, text in index_forms(entity):
                k = compact(text)
                if k and ((k, entity["id"]) not in best or best[(k, entity["id"])][0] > stage):
                    best[(k, entity["id"])] = (stage, how)
            keys += [(kind, k, ident, stage, how) for (k, ident), (stage, how) in best.items()]
            for field, label, text in search_fields(by_id, kind, entity):
                texts.append((kind, entity["id"], field, label, text, fold(text)))
    conn.executemany("INSERT INTO entities VALUES (?, ?, ?, ?)", rows)
    conn.executemany("INSERT OR IGNORE INTO keys VALUES (?, ?, ?, ?, ?)", keys)
    conn.executemany("INSERT INTO search VALUES (?, ?, ?, ?, ?, ?)", texts)
    counters: dict[tuple[str, str], int] = {}
    rel_rows = []
    for name, k, ident in _relations(data):
        pos = counters.get((name, k), 0)
        counters[(name, k)] = pos + 1
        rel_rows.append((name, k, pos, ident))
    conn.executemany("INSERT INTO rel VALUES (?, ?, ?, ?)", rel_rows)
    conn.commit()


# --- the cache


def cache_dir() -> str:
    explicit = os.environ.get("CLUSTERS_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "clusters")


def _cache_key(path: str, st: os.stat_result) -> str:
    parts = (os.path.abspath(path), st.st_size, st.st_mtime_ns, __version__, _CACHE_FORMAT, sys.version_info[:2])
    return repr(parts)


def cache_file(path: str) -> str:
    """One cache file per knowledge-base path: a newer build replaces the stale one."""
    # A weak hash is enough: the full key inside the file decides whether it is used.
    # (zlib rather than hashlib, whose OpenSSL import costs ~4 ms on every run.)
    import zlib

    full = os.path.abspath(path).encode("utf-8", "surrogateescape")
    stem = "".join(ch if ch.isalnum() else "-" for ch in os.path.basename(path))[:40]
    return os.path.join(cache_dir(), f"{stem}-{zlib.crc32(full):08x}{zlib.adler32(full):08x}.sqlite")


def _looks_whole(path: str) -> bool:
    """A cheap check that the file is a complete SQLite database (not truncated or foreign)."""
    try:
        with open(path, "rb") as f:
            header = f.read(100)
        size = os.path.getsize(path)
    except OSError:
        return False
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        return False
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    return pages > 0 and size == page_size * pages


def _open_cached(source: str, key: str) -> sqlite3.Connection | None:
    path = cache_file(source)
    if not _looks_whole(path):
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        row = conn.execute("SELECT value FROM meta WHERE key = 'cache_key'").fetchone()
    except sqlite3.Error:
        return None
    if row is None or row[0] != key:
        conn.close()
        return None
    return conn


def _write_cached(source: str, key: str, data: dict[str, Any]) -> sqlite3.Connection | None:
    """Build the database beside its final name and rename it into place; None if that fails."""
    import tempfile

    folder = cache_dir()
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".sqlite")
        os.close(fd)
    except OSError:
        return None
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            build_database(conn, data, key)
        finally:
            conn.close()
        os.replace(tmp, cache_file(source))
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        return None
    except BaseException:  # Ctrl-C mid-build: leave no temporary file behind
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return _open_cached(source, key)


def _load_fresh(path: str) -> dict[str, Any]:
    from .loader import load_yaml
    from .text import clean_tree
    from .validate import validate_data

    data, locs = load_yaml(path)
    if not isinstance(data, dict):
        kind = "empty document" if data is None else type(data).__name__
        raise InvalidKnowledgeBase(
            path, [Problem(path, 1, 1, "", f"the top level must be a mapping of sections, not a {kind}")]
        )
    problems = validate_data(path, data, locs)
    if problems:
        raise InvalidKnowledgeBase(path, problems)
    cleaned: dict[str, Any] = clean_tree(data)
    return cleaned


def _in_memory(data: dict[str, Any], key: str) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    build_database(conn, data, key)
    return conn


def load_kb(path: str | None = None, *, use_cache: bool = True) -> KB:
    """Load, validate and index the knowledge base at `path` (default: --data/CLUSTERS_DATA/shipped)."""
    path = data_path(path)
    try:
        st = os.stat(path)
        key = _cache_key(path, st)
    except OSError:
        key = ""
    if not use_cache or not key or os.path.isdir(path):
        return KB(_in_memory(_load_fresh(path), key), path)
    conn = _open_cached(path, key)
    if conn is None:
        data = _load_fresh(path)
        conn = _write_cached(path, key, data) or _in_memory(data, key)
    return KB(conn, path)


def drop_cache(path: str | None = None) -> None:
    """Remove the cache of `path` (after it failed in use)."""
    with contextlib.suppress(OSError):
        os.unlink(cache_file(data_path(path)))


class KB:
    """A validated knowledge base: entities by id, relations, name keys and search text."""

    def __init__(self, conn: sqlite3.Connection, path: str) -> None:
        self.conn = conn
        self.path = path
        self._entities: dict[tuple[str, str], Entity] = {}
        self._all: dict[str, list[Entity]] = {}
        self._related: dict[tuple[str, str], list[str]] = {}
        self.meta: Entity = json.loads(self._one("SELECT value FROM meta WHERE key = 'meta'")[0])

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as e:
            raise CacheCorrupt(str(e)) from e

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...]:
        rows = self.query(sql, params)
        if not rows:
            raise CacheCorrupt(f"no row for {sql}")
        return rows[0]

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = json.loads(self._one("SELECT value FROM meta WHERE key = 'counts'")[0])
        return counts

    def all(self, kind: str) -> list[Entity]:
        if kind not in self._all:
            rows = self.query("SELECT id, data FROM entities WHERE kind = ? ORDER BY pos", (kind,))
            self._all[kind] = [self._remember(kind, ident, data) for ident, data in rows]
        return self._all[kind]

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
            rows = self.query("SELECT data FROM entities WHERE kind = ? AND id = ?", (kind, ident))
            if not rows:
                return None
            found = self._remember(kind, ident, rows[0][0])
        return found

    def many(self, kind: str, idents: list[str]) -> list[Entity]:
        """Entities in the order of `idents` (missing ones skipped)."""
        missing = [i for i in dict.fromkeys(idents) if (kind, i) not in self._entities]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for ident, data in self.query(
                f"SELECT id, data FROM entities WHERE kind = ? AND id IN ({marks})", (kind, *chunk)
            ):
                self._remember(kind, ident, data)
        return [self._entities[(kind, i)] for i in idents if (kind, i) in self._entities]

    def related_ids(self, relation: str, key: str) -> list[str]:
        """Ids related to `key`, in file order; each relation is read once per run (views ask repeatedly)."""
        found = self._related.get((relation, key))
        if found is None:
            rows = self.query("SELECT id FROM rel WHERE name = ? AND key = ? ORDER BY pos", (relation, key))
            found = self._related[(relation, key)] = [r[0] for r in rows]
        return list(found)

    def related(self, relation: str, key: str) -> list[Entity]:
        return self.many(RELATIONS[relation], self.related_ids(relation, key))

    def ref(self, kind: str, ident: str | None) -> dict[str, Any] | None:
        """{id, name} of an entity, the shape views use for links."""
        entity = self.get(kind, ident)
        return None if entity is None else {"id": entity["id"], "name": entity["name"]}

    def refs(self, kind: str, idents: list[str]) -> list[dict[str, Any]]:
        return [{"id": e["id"], "name": e["name"]} for e in self.many(kind, idents)]

    def city_province(self, city: str | None) -> str | None:
        entity = self.get("city", city)
        return None if entity is None else str(entity["province"])

    def clusters_of(self, kind: str, entity: Entity) -> list[Entity]:
        """The clusters an entity stands in: located in a place, of a sector, naming a company..."""
        if kind == "cluster":
            return [entity]
        if kind == "statistic":
            return self.many("cluster", [entity["cluster"]] if entity.get("cluster") else [])
        relation = _CLUSTERS_OF.get(kind)
        return self.related(relation, entity["id"]) if relation else []

    def cluster_provinces(self, cluster: Entity) -> set[str]:
        """Provinces a cluster lies in, from its provinces, cities and parks (not its region)."""
        return set(self.related_ids("province_of_cluster", cluster["id"]))

    def sector_descendants(self, sector_id: str) -> list[str]:
        """The sector and every sector below it, depth first."""
        out = [sector_id]
        for child in self.related_ids("sector_by_parent", sector_id):
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

    # --- name keys, for resolution

    def keys_equal(self, kind: str, key: str) -> list[tuple[str, int, str]]:
        return [
            (r[0], r[1], r[2])
            for r in self.query("SELECT id, stage, how FROM keys WHERE kind = ? AND key = ?", (kind, key))
        ]

    def keys_with_prefix(self, kind: str, prefix: str, limit: int = 200) -> list[str]:
        upper = prefix + "\U0010ffff"
        rows = self.query(
            "SELECT DISTINCT id FROM keys WHERE kind = ? AND key >= ? AND key < ? LIMIT ?", (kind, prefix, upper, limit)
        )
        return sorted(r[0] for r in rows)

    def all_keys(self, kind: str) -> list[tuple[str, str]]:
        return [(r[0], r[1]) for r in self.query("SELECT key, id FROM keys WHERE kind = ?", (kind,))]
