"""Loading the packs through a cache, and recovering when the cache fails.

The packs are read and validated once (store/packs.py); the result is compiled (store/build.py) into a
SQLite database (entities, relations from store.rules, name keys for resolution, search text) under the
user's cache directory, keyed on every pack's path, size and mtime and on the tool's version. Later runs
open that database and fetch only the rows a query needs.

The cache is written to a temporary file and renamed into place (parallel first runs never see half a file),
checked before use (a truncated or foreign file is rebuilt): store/buildfiles.py, which keeps a build's files. It
is optional (an unwritable cache directory means an in-memory database), and recovered here: a cache that fails
in use is dropped and the question asked again of a fresh build (`with_recovery`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from .. import __version__
from ..collector import collector_paused
from ..paths import pack_paths
from .buildfiles import BESIDE_SUFFIX, attach_beside, cache_dir, looks_whole, read_held, remove_build, write_beside
from .kb import KB, CacheCorrupt
from .layout import CACHE_FORMAT

if TYPE_CHECKING:
    from .packs import Loaded

T = TypeVar("T")
# what a caller wraps a full build in, and a wait for another run's (a notice while the packs are compiled): given
# the packs' paths
Building = Callable[[Sequence[str]], contextlib.AbstractContextManager[None]]

# a pack's checked parse (store/packs.py): changes only when what parsing and the schema check keep changes,
# so a change of the rules does not make a large pack be parsed again
# 5: direction marks cleaned, line and paragraph separators made line breaks; 4: noncharacters and direction
# overrides cleaned from the text; 3: no locations kept (a problem parses the pack
# again); 2: locations in a file of their own
PARSE_FORMAT = 5


def _cache_key(paths: Sequence[str]) -> str:
    """Every pack's path and file (size, modification and change times, inode and device), the schema's, the
    tool's version and the cache format; '' if a pack is missing or over the size limit (the fresh path then
    says so, as on a first run). An edited pack or schema is a miss: nothing is served from a parse it did not
    check. The change time catches an edit whose modification time was set back (`touch -r`, `cp -p` over
    it), the inode a link turned to another file of the same size and time."""
    import zlib

    from ..paths import schema_path
    from .limits import max_bytes

    limit = max_bytes()  # a setting that is no number is a usage error on every run, warm or not

    try:  # the schema by its content (a source checkout and an installed copy share one cache)
        with open(schema_path(), "rb") as f:
            schema = zlib.crc32(f.read())
    except OSError:
        return ""
    built: list[Any] = [__version__, CACHE_FORMAT, sys.version_info[:2], schema]
    packs: list[tuple[str, int, int, int, int, int]] = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            return ""
        if os.path.isdir(path) or st.st_size > limit:
            return ""
        packs.append((os.path.abspath(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev))
    return repr([built, packs])


def changed_packs(old: str, new: str) -> list[int] | None:
    """The indexes of the packs of cache key `new` (_cache_key) that are not as key `old` has them: those whose
    file differs (size, times, inode), and those `new` lists after `old`'s last (added at the end). None
    unless `new` lists `old`'s packs first, in the same order, by the same version, format, Python and schema."""
    import ast

    try:
        (built, packs), (built_now, packs_now) = ast.literal_eval(old), ast.literal_eval(new)
        if built != built_now or [p[0] for p in packs] != [p[0] for p in packs_now[: len(packs)]]:
            return None
        return [i for i, now in enumerate(packs_now) if i >= len(packs) or packs[i] != now]
    except (ValueError, SyntaxError, TypeError, IndexError):  # not keys of this layout
        return None


def cache_file(paths: Sequence[str]) -> str:
    """One cache file per set of packs: a newer build replaces the stale one."""
    # A weak hash is enough: the full key inside the file decides whether it is used.
    # (zlib rather than hashlib, whose OpenSSL import costs ~4 ms on every run.)
    import zlib

    full = "\0".join(os.path.abspath(p) for p in paths).encode("utf-8", "surrogateescape")
    stem = "".join(ch if ch.isalnum() else "-" for ch in os.path.basename(paths[-1]))[:40] if paths else "empty"
    return os.path.join(cache_dir(), f"{stem}-{len(paths)}-{zlib.crc32(full):08x}{zlib.adler32(full):08x}.sqlite")


def _open_cached(paths: Sequence[str], key: str, *, wait: bool = False) -> sqlite3.Connection | None:
    """The build of these packs under `key`, if the cache holds it whole (`wait`: buildfiles.read_held)."""
    path = cache_file(paths)
    for _ in range(2):  # a build put in place between reading the database and the file beside it: once again
        if not looks_whole(path):
            return None
        _used(path)
        conn = None
        try:
            conn = read_held(path, wait=wait)  # held shared while open: no delta changes it in place meanwhile
            if conn is None:
                continue
            row = conn.execute("SELECT value FROM meta WHERE key = 'cache_key'").fetchone()
            if row is None or row[0] != key:
                conn.close()
                return None
            if attach_beside(conn, path, immutable=True):
                return conn
        except sqlite3.Error:
            pass
        if conn is not None:
            conn.close()
    return None


# seconds: a database used this recently is not marked used again (a warm run then writes nothing; marking it,
# with the disk settled before each run, cost a warm run 1.6 ms of its 80). Eviction keeps any used in the last day.
MARK_USED_AFTER = 3600


def _used(path: str) -> None:
    """Mark the database at `path` used now (its modification time), before it is read, so that an eviction
    meanwhile sees it used (cachefolder.evict_unused); not if it was marked within MARK_USED_AFTER seconds."""
    import time

    with contextlib.suppress(OSError):
        if time.time() - os.stat(path).st_mtime > MARK_USED_AFTER:
            os.utime(path)


def _write_cached(paths: Sequence[str], key: str, loaded: Loaded, *, alone: bool) -> bool:
    """Build the database beside its final name and rename it into place; False if that fails. `alone`: no
    other run builds these packs meanwhile (cachefolder.building_alone)."""
    from . import build  # the build's code: a warm run, answered from the database, never imports it

    return write_beside(
        cache_file(paths),
        lambda conn, tmp: build.build_database(conn, *loaded, key, helper_file=tmp + BESIDE_SUFFIX),
        alone=alone,
    )


# --- loading


def _in_memory(loaded: Loaded, key: str) -> sqlite3.Connection:
    from . import build

    conn = sqlite3.connect(":memory:", check_same_thread=False)
    build.build_database(conn, *loaded, key)
    return conn


def load_kb(
    data: Sequence[str] | str | None = None,
    *,
    use_cache: bool = True,
    shipped: bool | None = None,
    full_check: bool = False,
    building: Building | None = None,
) -> KB:
    """Load, validate and index the packs: the shipped ones plus `data` (or $CLUSTERS_DATA).

    `full_check` parses and schema-checks every pack again, ignoring the parse cache (`clusters validate`).
    A full build into the cache, and a wait for another run's build of the same packs, run inside
    `building(paths)`, where one is given.
    """
    extra = [data] if isinstance(data, str) else list(data or [])
    paths = pack_paths(extra, shipped=shipped)
    key = _cache_key(paths)
    kb = _cached_kb(paths, key) if use_cache and key else None
    if kb is not None:
        return kb
    from .packs import load_fresh  # only when the cache cannot answer: a warm run never imports it

    if not use_cache or not key:
        return KB(_in_memory(load_fresh(paths, full_check=full_check), key), paths)
    from .cachefolder import building_alone
    from .delta import rebuild

    def notice() -> contextlib.AbstractContextManager[Any]:
        return building(paths) if building else contextlib.nullcontext()

    # one run builds these packs at a time; one that waited for another reads its build (of the packs as they
    # are now: one edited during the wait is keyed anew)
    with building_alone(cache_file(paths), notice) as alone:
        key = _cache_key(paths) or key
        kb = _cached_kb(paths, key, wait=not alone)  # not held apart: a delta at work is waited for here
        if kb is not None:
            return kb
        parsed: dict[str, Any] = {}  # the packs the delta build parsed: not parsed again
        if rebuild(paths, key, parsed, alone=alone, waiting=notice):  # only packs at the end changed: in a copy
            kb = _cached_kb(paths, key)
            if kb is not None:
                return kb
        # bulk loading makes objects that live on: the collector's passes free nothing. A large pack's parse, kept
        # by a child on the second core, is written while the database is compiled, and settled after it (`later`)
        with collector_paused(), notice(), contextlib.ExitStack() as later:
            loaded = load_fresh(paths, use_pack_cache=True, parsed=parsed, later=later)
            written = _write_cached(paths, key, loaded, alone=alone)
        if written:
            kb = _cached_kb(paths, key)
            if kb is not None:
                return kb
    kb = KB(_in_memory(loaded, key), paths)
    kb.not_kept = os.path.dirname(cache_file(paths))  # said by the CLI: every run compiles the packs again
    return kb


def _cached_kb(paths: list[str], key: str, *, wait: bool = False) -> KB | None:
    conn = _open_cached(paths, key, wait=wait)
    return None if conn is None else KB(conn, paths)


def with_recovery(
    ask: Callable[[KB], T], data: Sequence[str] = (), *, shipped: bool | None = None, building: Building | None = None
) -> T:
    """Ask the knowledge base a question; if its cache fails in use, drop it and ask a fresh build. The answer
    is whole when `ask` returns (views are data): the knowledge base's connection is closed then, not left to
    the collector (a connection holds a cycle of its own), so a process asking many questions keeps no file
    open."""
    try:
        return _asked(ask, load_kb(data, shipped=shipped, building=building))
    except CacheCorrupt:
        paths = pack_paths(list(data), shipped=shipped)
        remove_build(cache_file(paths))
        return _asked(ask, load_kb(data, use_cache=False, shipped=shipped))


def _asked(ask: Callable[[KB], T], kb: KB) -> T:
    try:
        return ask(kb)
    finally:
        kb.conn.close()
