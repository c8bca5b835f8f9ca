"""The cache folder across runs: each list of packs' lock, which holds the runs building it apart (one builds,
the others wait for its build and read it; a delta starting from another list's build holds that one shared),
and the lists the folder keeps (the last used: evict_unused). A list's files are named after its database
(cache.cache_file): the database, its lock, its files beside and its kept lists (store/buildfiles.py, kept.py).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from typing import Any

from . import buildfiles
from .buildfiles import stem_of

Waiting = Callable[[], contextlib.AbstractContextManager[Any]]


def building_alone(target: str, waiting: Waiting) -> contextlib.AbstractContextManager[bool]:
    """Held while a run builds the database at `target` (its delta or full build, and putting it in place): a
    lock of a file named after it (`.lock`, left in the cache folder), so that runs of the same packs build one
    at a time. One that finds another at work waits for it, inside `waiting()` (the line a terminal shows while
    packs are compiled), and then reads its build (the caller looks again) instead of compiling the same packs
    on the same cores (three first runs started together at 10 times the shipped data: 3.7 s each, two of them
    in 24 MiB, where each compiled its own in 10.7 s with 171 MiB; two at 100 times, 35 s against 77). True if
    held; False where the system has no such lock (Windows) or the file cannot be locked: each run builds its
    own then."""
    return _locked(target, shared=False, waiting=waiting)


def reading_build(target: str, waiting: Waiting | None) -> contextlib.AbstractContextManager[bool]:
    """The lock of the database at `target` held shared (building_alone's, whose builds wait for it): by a
    delta reading and copying the build of other packs it starts from, so that none replaces it meanwhile (a
    run building them is waited for, inside `waiting()`, and its build read)."""
    return _locked(target, shared=True, waiting=waiting)


@contextlib.contextmanager
def _locked(target: str, *, shared: bool, waiting: Waiting | None = None) -> Iterator[bool]:
    """The lock of the database at `target` (building_alone), held alone or `shared` (reading_build); waited
    for inside `waiting()` if another holds it. False (not held) where it cannot be taken."""
    fcntl = buildfiles.flock_module()
    if fcntl is None:
        yield False
        return
    how = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    fd = _lock_fd(stem_of(target) + ".lock", how, waiting)
    try:
        yield fd is not None
    finally:
        if fd is not None:
            os.close(fd)  # which lets go of the lock


def _lock_fd(lock: str, how: int, waiting: Waiting | None) -> int | None:
    """A descriptor of the file `lock` holding its flock `how` (waited for inside `waiting()` if another holds
    it; with LOCK_NB in `how`, at once or not at all), or None where it cannot be taken. A lock file is removed
    only by a run holding it (_evict): one locked after it was removed is opened again, so that two runs never
    hold two files of one name (LOCK_TRIES times: a file system whose descriptors and names never agree on
    the file gives no lock, rather than a loop)."""
    import fcntl

    for _ in range(LOCK_TRIES):
        try:
            os.makedirs(os.path.dirname(lock) or ".", exist_ok=True)
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return None
        try:
            try:
                fcntl.flock(fd, how | fcntl.LOCK_NB)
            except BlockingIOError:  # another run holds it
                if how & fcntl.LOCK_NB:
                    raise
                with waiting() if waiting else contextlib.nullcontext():
                    fcntl.flock(fd, how)
        except BaseException as failed:
            os.close(fd)
            if isinstance(failed, OSError):  # refused, or held by another (LOCK_NB)
                return None
            raise
        if buildfiles.same_file(fd, lock):  # not removed while this run waited for it
            return fd
        os.close(fd)  # removed while this run waited for it: the file of that name now is the lock
    return None


LOCK_TRIES = 5


# databases kept in the cache folder: one is made for each list of packs a run reads (the shipped packs, and each
# list with packs of one's own), so a user trying packs, or versions of one under new names, left one each (13 MB
# beside the shipped packs, 140 MB beside a pack ten times theirs, 1.5 GB a hundred times); beyond this many, those
# used longest ago go (cache.py touches the one a run opens), but for those used in the last day (a run cycling
# through more lists than this would compile each again every time), each compiled again if it is ever asked for
KEEP_BUILDS = 12
_RECENT_NS = 24 * 3600 * 10**9
# the files of one list of packs, named after its database (cache.cache_file): the database, its lock, its files
# beside (named by a build) and its kept lists (store/kept.py)
_LIST_FILE = re.compile(r"([^.]+-\d+-[0-9a-f]{16})\.(sqlite|lock|[0-9a-f]+\.beside\.sqlite|[^.]+\.rows)")


def evict_unused(folder: str, *, but: str) -> None:
    """Remove the databases of the cache folder beyond the KEEP_BUILDS last used or built, but for those used in
    the last day and `but` (the one just put in place), each with the files named after it (_LIST_FILE), and
    those files of a list that has no database (a build killed, or that failed). A list's files go holding its
    lock, taken without waiting (_lock_fd): those of a list some run is building, or starting a delta from,
    stay; and its database only if it is still the one found (another run may have built it meanwhile)."""
    import time

    lists: dict[str, list[str]] = {}
    used: dict[str, int] = {}
    try:
        with os.scandir(folder) as found:
            for entry in found:
                named = _LIST_FILE.fullmatch(entry.name)
                if named is None or not entry.is_file(follow_symlinks=False):
                    continue
                lists.setdefault(named[1], []).append(entry.path)
                if named[2] == "sqlite":
                    with contextlib.suppress(OSError):  # removed meanwhile: a list with no database
                        used[named[1]] = entry.stat().st_mtime_ns
    except OSError:
        return
    recent = time.time_ns() - _RECENT_NS
    last = sorted(used, key=used.__getitem__, reverse=True)[:KEEP_BUILDS]
    kept = {*last, *(stem for stem, at in used.items() if at >= recent), os.path.basename(stem_of(but))}
    for stem, files in lists.items():
        if stem not in kept:
            _evict(os.path.join(folder, stem), files, used.get(stem))


def _evict(stem: str, files: list[str], used: int | None) -> None:
    """Remove a list's files (its database last touched at `used`, or none), holding its lock if the system
    has one. Where it has none (Windows, where a file in use is not removed), the files of a list with no
    database go only once buildfiles.STALE_AFTER old: a build may be between putting its file beside and its database in
    place."""
    import time

    fcntl = buildfiles.flock_module()
    fd = None
    if fcntl is not None:
        fd = _lock_fd(stem + ".lock", fcntl.LOCK_EX | fcntl.LOCK_NB, None)
        if fd is None:  # a run holds it (or it cannot be taken): the list stays
            return
    elif used is None:
        with contextlib.suppress(OSError):
            if any(time.time() - os.stat(f).st_ctime <= buildfiles.STALE_AFTER for f in files):
                return
    try:
        try:
            now: int | None = os.stat(stem + ".sqlite").st_mtime_ns
        except FileNotFoundError:
            now = None
        if now != used:  # built or touched since it was found
            return
        database, lock = stem + ".sqlite", stem + ".lock"
        every = {*files, *([lock] if fd is not None else [])}  # the lock as it is now: held here
        for file in sorted(every, key=lambda f: (f != database, f == lock)):  # the database first, the lock last
            with contextlib.suppress(OSError):
                os.unlink(file)
    except OSError:
        pass
    finally:
        if fd is not None:
            os.close(fd)
