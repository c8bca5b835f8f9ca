"""Each pack's checked parse, kept in the cache folder for the next run, keyed by the pack's bytes, the
schema's bytes and the tool's version (and, for a shipped pack, compiled into the wheel under the same key:
packs.compile_shipped, hatch_build.py): a pack of one's own added beside the shipped ones costs only its own
parse. Its entries' locations are not kept: a problem to report has the pack parsed again (`Reparsed`). A
large parse is written on the second core while the packs are validated and compiled (`keep_parsed_aside`).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import InvalidKnowledgeBase, Problem
from .buildfiles import cache_dir, temporary
from .cache import PARSE_FORMAT

if TYPE_CHECKING:
    from .merged import Pack


def pack_cache(path: str) -> tuple[str, str] | None:
    """(file, key) of the cache of one pack's parsed, schema-checked content; None if it has none.

    It is keyed by the pack's bytes (and the schema's file), not by its name or time: a copy, a move or
    a touched file is not parsed again, and any change of content is a miss.
    """
    from .packfile import read_bytes

    try:
        return pack_key(read_bytes(path))
    except InvalidKnowledgeBase:  # unreadable or too large: parsing reports it
        return None


def pack_key(raw: bytes) -> tuple[str, str] | None:
    """pack_cache of a pack of these bytes."""
    import hashlib

    from ..paths import schema_path

    digest = hashlib.sha256(raw).hexdigest()
    try:
        with open(schema_path(), "rb") as f:
            schema = hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None
    key = repr([__version__, PARSE_FORMAT, sys.version_info[:2], digest, schema])
    return os.path.join(cache_dir(), f"pack-{digest[:32]}.json"), key


def _compiled_blob() -> dict[str, Any]:
    """The wheel's compiled parse of the shipped packs ({} without one), read once per process and file."""
    from ..paths import compiled_packs

    compiled = compiled_packs()
    if compiled is None:
        return {}
    try:
        return _read_compiled(str(compiled), os.stat(compiled).st_mtime_ns)
    except OSError:
        return {}


@functools.lru_cache(maxsize=2)
def _read_compiled(path: str, mtime: int) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            blob: dict[str, Any] = json.load(f)
        return blob
    except (OSError, ValueError):
        return {}


def _compiled(path: str, key: str) -> tuple[dict[str, Any], Any] | None:
    """A shipped pack's parse compiled into the wheel, if the wheel has one under this key."""
    from ..paths import shipped_packs

    if path not in shipped_packs():
        return None
    try:
        entry = _compiled_blob()[os.path.basename(path)]
        if entry["key"] != key:
            return None
        return entry["data"], {tuple(k): tuple(v) for k, v in entry["locs"]}
    except (KeyError, TypeError):
        return None


def read_parsed(path: str, where: tuple[str, str] | None) -> tuple[dict[str, Any], Any] | None:
    """A pack as parsed and schema-checked on an earlier run (or, for a shipped pack, when the wheel was
    built), found by its pack cache's (file, key) `where`: adding a pack of one's own then costs only that
    pack's parsing, not the shipped ones' again. Anything unreadable is a miss."""
    if where is None:
        return None
    compiled = _compiled(path, where[1])
    if compiled is not None:
        return compiled
    try:
        with open(where[0], encoding="utf-8") as f:
            blob = json.load(f)
        if blob.get("key") != where[1]:
            return None
        with contextlib.suppress(OSError):  # used now: the last a bound on kept parses removes (_prune)
            os.utime(where[0])
        return blob["data"], Reparsed(path, where)
    except (OSError, ValueError, KeyError, TypeError):
        return None


class Reparsed:
    """Where a checked pack's problems stand, found by reading the pack again only once a problem is asked
    where: a checked parse is read on every rebuild, and its locations (5 million at 100x, more than half its
    size) are not kept. The pack must still be the bytes that were checked; else a problem names no line.
    `where` is the pack cache's (file, key) of the bytes parsed: what keep_parsed keeps the parse under."""

    def __init__(self, path: str, where: tuple[str, str]) -> None:
        self._path = path
        self.where = where
        self._key = where[1]
        self._pending: list[tuple[Problem, tuple[Any, ...]]] = []

    def defer(self, problem: Problem, where: tuple[Any, ...]) -> None:
        """Place a problem of the pack (merged.Pack.problem) once it is asked where (errors.settle), with the
        pack's other problems: one reading of the pack for all of them, of their locations alone."""
        self._pending.append((problem, where))
        problem.pending = self._settle

    def _settle(self) -> None:
        from .merged import located

        pending, self._pending = self._pending, []
        wanted = {where[:n] for _, where in pending for n in range(1, min(len(where), 3) + 1)}
        found = self._locations(wanted)
        for problem, where in pending:
            problem.pending = None
            problem.line, problem.column = located(found, where)

    def _locations(self, wanted: set[tuple[Any, ...]]) -> Mapping[tuple[Any, ...], tuple[int, int]]:
        """The `wanted` locations of the pack's text, if it is still the bytes that were checked; else none
        (problems are still named by file and entry, without their line)."""
        from .packfile import decode, read_bytes
        from .yamlfile import locations_of

        try:
            raw = read_bytes(self._path)  # read once: the bytes compared are the bytes parsed
            key = pack_key(raw)
            if key is None or key[1] != self._key:
                return {}
            return locations_of(decode(self._path, raw), wanted)
        except InvalidKnowledgeBase:
            return {}


def _write_parsed(where: tuple[str, str], data: dict[str, Any]) -> None:
    """Keep a checked parse in the pack cache's file, under the key of the bytes that were parsed."""

    tmp = None
    try:
        os.makedirs(cache_dir(), exist_ok=True)
        fd, tmp = temporary(cache_dir(), ".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(_kept_text(where, data))
        os.replace(tmp, where[0])
        tmp = None
    except (OSError, ValueError, TypeError):
        pass  # a parse not kept is parsed again next time
    finally:  # interrupted too: no temporary file is left behind
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _kept_text(where: tuple[str, str], data: dict[str, Any]) -> str:
    """The file a checked parse is kept in: the parse under the key of the bytes parsed (read_parsed reads it).
    json.dumps, since json.dump never uses the C encoder."""
    return json.dumps({"key": where[1], "data": data}, ensure_ascii=False)


def keep_parsed(packs: Sequence[Pack], checked: set[str]) -> None:
    """Keep the checked parse of every pack that was parsed this run (not read from the pack cache), under
    the key of the bytes parsed (an edit since is another key: never kept as the parse of the new bytes)."""
    kept = _to_keep(packs, checked)
    if not kept:
        return
    _prune(cache_dir())  # before: on a full disk the room it makes is what the writes need
    for _, where, data in kept:
        _write_parsed(where, data)
    _prune(cache_dir())  # and after, to the bound


def _to_keep(packs: Sequence[Pack], checked: set[str]) -> list[tuple[str, tuple[str, str], dict[str, Any]]]:
    """(file, where its parse is kept, the parse) of every pack parsed this run."""
    return [(p.path, p.locs.where, p.data) for p in packs if p.path not in checked and isinstance(p.locs, Reparsed)]


# bytes of packs parsed this run from which their parse is kept on the second core (store/forked.py)
KEEP_ASIDE_FROM = 1024 * 1024  # below this, the fork costs about what it saves (a 1.6 MB pack: 0-50 ms sooner)
KEEPER_NICENESS = 10  # the child writing them: a tenth of the share of a process of the build


def keep_parsed_aside(packs: Sequence[Pack], checked: set[str]) -> tuple[Callable[[bool], None], bool]:
    """keep_parsed begun on the second core for packs of KEEP_ASIDE_FROM bytes or more: a forked child
    (store/forked.py) writes each parse, as it is at the fork, to a temporary file of the cache folder while this
    process goes on (it validates and merges the packs, and may compile them: store/packs.valid_packs). Returns
    (done, begun): done(True), once the packs are valid, waits for the child and moves its files into place;
    done(False) (invalid, or interrupted) stops the child and removes its files. Where nothing was begun (smaller
    packs, or nothing forks), done(True) keeps the parses here, as keep_parsed does, as their data is then."""
    from . import forked

    kept = _to_keep(packs, checked)
    temps = _temporaries(len(kept)) if kept and _bytes([k[0] for k in kept]) >= KEEP_ASIDE_FROM else []

    def work() -> None:  # the child: every file written, or its exit code says not
        # behind the build that may run beside it (cache.load_kb settles the parse after the build): the cores
        # go to the build first, this to whichever the build leaves idle (its copy of the helper's tables)
        with contextlib.suppress(OSError):
            os.nice(KEEPER_NICENESS)
        for (_, where, data), tmp in zip(kept, temps, strict=True):
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(_kept_text(where, data))

    pid = forked.start(work) if temps else None
    if pid is None:
        _remove(temps)

    def done(keep: bool) -> None:
        if pid is None:
            if keep:
                keep_parsed(packs, checked)
            return
        try:
            try:
                written = forked.finish(pid, kill=not keep)
            except BaseException:  # interrupted while waiting: the child is stopped and reaped, never left writing
                forked.finish(pid, kill=True)
                raise
            if written:
                for (_, where, _data), tmp in zip(kept, temps, strict=True):
                    with contextlib.suppress(OSError):
                        os.replace(tmp, where[0])
            if keep:  # to the bound, and on a disk too full for the child's files, room for the next run's
                _prune(cache_dir())
        finally:  # invalid, failed or interrupted: no temporary file is left behind
            _remove(temps)

    return done, pid is not None


# parses kept in all: each version of a pack is kept under the digest of its bytes, so a pack edited a hundred times
# left a hundred files (and every venv's copy of the shipped packs one each); beyond this many, those written or
# read longest ago go (never one of the last day: a set of more packs than this, read by one build, keeps every
# parse it read), and are parsed again if they are ever read again
KEEP_PARSES = 48
# and at most this many bytes of them, the last day's too, but for the newest and those written or read in the
# last hour (a run's own packs, whatever their size: each run would parse again what the last one dropped): the
# 48 parses of a pack 100 times the shipped one (167 MB each), all made within a day of edits, held 8 GB
KEEP_PARSE_BYTES = 2 << 30
_RECENT_NS = 24 * 3600 * 10**9
_IN_USE_NS = 3600 * 10**9
_PARSE_FILE = re.compile(r"pack-[0-9a-f]{32}\.json")  # the files pack_key names, and no other of the folder


def _prune(folder: str) -> None:
    """Remove the kept parses of the cache folder beyond the KEEP_PARSES last written or read (read_parsed
    touches one it reads), but for those of the last day, and beyond KEEP_PARSE_BYTES of them, but for the
    newest and those of the last hour, whatever their day."""
    import time

    try:
        with os.scandir(folder) as found:
            kept = []
            for entry in found:
                if _PARSE_FILE.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                    st = entry.stat()
                    kept.append((st.st_mtime_ns, entry.path, st.st_size))
    except OSError:
        return
    kept.sort(reverse=True)
    now = time.time_ns()
    old, in_use = now - _RECENT_NS, now - _IN_USE_NS
    held = 0
    gone = []
    for at, (mtime, path, size) in enumerate(kept):
        if (at >= KEEP_PARSES and mtime < old) or (at and held + size > KEEP_PARSE_BYTES and mtime < in_use):
            gone.append(path)
        else:
            held += size
    _remove(gone)


def _bytes(paths: list[str]) -> int:
    """The size of these files (a file gone since it was read counts none)."""
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):
            total += os.path.getsize(path)
    return total


def _temporaries(n: int) -> list[str]:
    """n new empty files of the cache folder, for what is written there then moved into place; none if the
    folder cannot be written."""

    made: list[str] = []
    try:
        os.makedirs(cache_dir(), exist_ok=True)
        for _ in range(n):
            fd, tmp = temporary(cache_dir(), ".json")
            os.close(fd)
            made.append(tmp)
    except OSError:
        _remove(made)
        return []
    return made


def _remove(files: list[str]) -> None:
    for name in files:
        with contextlib.suppress(OSError):
            os.unlink(name)
