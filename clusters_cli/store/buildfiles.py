"""The files of a compiled build in the cache folder: where the cache lives; a database checked whole and opened
read-only; the file a large build's helper leaves beside its database (its tables: store/build.py), named by the
build, attached whenever the database is read, and removed with it; a build written in a temporary file and renamed
into place, parallel runs never seeing half of one; the temporary files of killed builds swept away; and a large
build copied for a delta (store/delta.py). store/cache.py decides when to build and what to open.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any


def cache_dir() -> str:
    explicit = os.environ.get("CLUSTERS_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "clusters")


def looks_whole(path: str) -> bool:
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


def read_only(path: str, *, immutable: bool = False) -> sqlite3.Connection:
    """A read-only connection to the database file at `path`, whatever characters the path holds (a `?`, `#`
    or `%` in a cache folder's name would otherwise end or escape the URI's path, and open another file)."""
    return sqlite3.connect(_uri(path, immutable=immutable), uri=True, check_same_thread=False)


def _uri(path: str, *, immutable: bool) -> str:
    quoted = path.replace("%", "%25").replace("?", "%3f").replace("#", "%23")
    return f"file:{quoted}?mode=ro{'&immutable=1' if immutable else ''}"


def unjournalled(conn: sqlite3.Connection, schema: str = "main") -> None:
    """Write the database `schema` names without a journal and without waiting for the disk: a build is written
    in a temporary file, and one that fails or is interrupted is thrown away, never repaired."""
    conn.execute(f"PRAGMA {schema}.journal_mode = OFF")
    conn.execute(f"PRAGMA {schema}.synchronous = OFF")


# --- the file beside a large build's database: the tables its helper wrote (store/build.py)

BESIDE_SUFFIX = ".helper"  # a build's temporary file + this: its helper's, while it is built


def beside_file(path: str, build: str) -> str:
    """Where the tables of the database at `path` that its build's helper wrote stay (layout.BESIDE_SCHEMA):
    named by the build, so that a database opens no other build's."""
    return f"{_stem(path)}.{build}.beside.sqlite"


def _stem(path: str) -> str:
    """A database's path without its `.sqlite`: what the files beside it are named after."""
    return path[: -len(".sqlite")] if path.endswith(".sqlite") else path


def _beside_of(conn: sqlite3.Connection, path: str) -> str | None:
    """The file beside the database at `path` (open as `conn`) that its meta names, or None if it names none."""
    meta = dict(conn.execute("SELECT key, value FROM main.meta WHERE key IN ('beside', 'build')").fetchall())
    return beside_file(path, meta.get("build", "")) if "beside" in meta else None


def attach_beside(conn: sqlite3.Connection, path: str, *, immutable: bool = False) -> bool:
    """Attach, as `beside`, the file of the tables beside the database at `path` (open as `conn`, read-only),
    if its meta names one: then its tables answer as the database's own. Whether the database is whole: it names
    no such file, or the one it names is there, whole, and of the same build."""
    beside = _beside_of(conn, path)
    if beside is None:
        return True
    if not looks_whole(beside):
        return False
    conn.execute("ATTACH DATABASE ? AS beside", (_uri(beside, immutable=immutable),))
    return conn.execute(_SAME_BUILD).fetchone() is not None


def remove_build(path: str) -> None:
    """Remove the database at `path` and every file beside it."""
    for file in [path, *_besides(path)]:
        with contextlib.suppress(OSError):
            os.unlink(file)


def _besides(path: str, *, but: str | None = None) -> list[str]:
    """The files beside the database at `path`, of any build (all but `but`)."""
    folder, stem = os.path.split(_stem(path))
    try:
        names = os.listdir(folder or ".")
    except OSError:
        return []
    found = [os.path.join(folder, n) for n in names if n.startswith(f"{stem}.") and n.endswith(".beside.sqlite")]
    return [f for f in found if f != but]


# temporary files: .tmp-<pid>-<random>.sqlite (a build), + ".helper" (its helper: BESIDE_SUFFIX), .json (a parse
# kept), .rows (a list kept: store/kept.py)
TMP_PREFIX = ".tmp-"
LEFTOVER_AGE = 24 * 3600  # seconds: no build takes this long, whatever machine shares the folder


def sweep_leftovers(folder: str) -> None:
    """Remove the temporary files of builds that were killed (SIGKILL, SIGTERM, a power cut: nothing of theirs
    ran to remove them): those of a process no longer running here, and any a day old (a process of another
    machine sharing the folder, or a reused pid). A build that is running keeps its files."""
    import time

    try:
        names = [n for n in os.listdir(folder) if n.startswith(TMP_PREFIX)]
    except OSError:
        return
    for name in names:
        path = os.path.join(folder, name)
        pid = name[len(TMP_PREFIX) :].split("-", 1)[0]
        with contextlib.suppress(OSError):
            if (pid.isdigit() and not _running(int(pid))) or time.time() - os.stat(path).st_mtime > LEFTOVER_AGE:
                os.unlink(path)


def _running(pid: int) -> bool:
    """Whether a process of this pid runs on this machine (assumed so where that cannot be asked safely)."""
    if os.name != "posix":  # os.kill(pid, 0) would send Ctrl-C on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it runs, as another user
        return True
    return True


def write_beside(
    target: str,
    fill: Callable[[sqlite3.Connection, str], None],
    *,
    start_from: str | None = None,
    fails: tuple[type[Exception], ...] = (),
    alone: bool = False,
) -> bool:
    """Write a database in a temporary file of the cache folder (empty, or a copy of `start_from` and of the
    file beside it, attached as `beside`), filled by `fill(connection, file)` without a journal, and rename it
    onto `target`, the file a large build's helper left beside it (`file` + BESIDE_SUFFIX) first, under the
    build's name: parallel runs never see half a build. False if that raises OSError, an SQLite error or one of
    `fails`, or if the copy's file beside is not of the copy's build (nothing to start from, then); failed or
    interrupted, no temporary file is left behind (one a killed build left is removed by the next build:
    sweep_leftovers), and once a build is in place, the files beside those it replaced go (_remove_stale; a
    file beside a build killed between its two renames goes with them, at the next build of the same packs):
    all of them at once where the caller holds the build of `target` (`alone`: building_alone), so that no
    other build of the same packs is at work."""
    import tempfile

    errors: tuple[type[Exception], ...] = (OSError, sqlite3.Error, *fails)
    tmp = None
    try:
        os.makedirs(cache_dir(), exist_ok=True)
        sweep_leftovers(cache_dir())
        fd, tmp = tempfile.mkstemp(dir=cache_dir(), prefix=f"{TMP_PREFIX}{os.getpid()}-", suffix=".sqlite")
        os.close(fd)
        beside, old_beside = tmp + BESIDE_SUFFIX, None
        if start_from is not None:  # held by the caller, where it can be, so that none replaces it meanwhile
            with contextlib.suppress(OSError):
                os.utime(start_from)  # used now (evict_unused)
            copy_file(start_from, tmp)
            with contextlib.closing(read_only(tmp)) as copied:  # the copy's, whatever is at start_from by now
                old_beside = _beside_of(copied, start_from)
            if old_beside is not None:
                copy_file(old_beside, beside)
        conn = sqlite3.connect(tmp)
        try:
            unjournalled(conn)
            attached = old_beside is not None
            if attached:
                conn.execute("ATTACH DATABASE ? AS beside", (beside,))
                unjournalled(conn, "beside")
                # of the copy's build, or no build to start from (another build's, or one put in place since)
                if conn.execute(_SAME_BUILD).fetchone() is None:
                    return False
            fill(conn, tmp)
            conn.commit()
            if attached:  # the copy names the build it is now
                conn.execute(
                    "UPDATE beside.meta SET value = (SELECT value FROM main.meta WHERE key = 'build') "
                    "WHERE key = 'build'"
                )
                conn.commit()
            kept = _beside_of(conn, target)
        finally:
            conn.close()
        if kept is not None:
            os.replace(beside, kept)
        os.replace(tmp, target)
        tmp = None
        _remove_stale(target, kept, at_once=alone)
        evict_unused(os.path.dirname(target), but=target)
        return True
    except errors:
        return False
    finally:
        if tmp is not None:
            for file in (tmp, tmp + BESIDE_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(file)


# whether the file attached beside a database is of its build
_SAME_BUILD = (
    "SELECT 1 FROM main.meta m JOIN beside.meta b ON b.key = m.key AND b.value = m.value WHERE m.key = 'build'"
)
# seconds: where builds are not held apart (building_alone), a file beside renamed into place (its change time)
# this recently may be that of a build another run is about to put in place, between its two renames
STALE_AFTER = 60


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
    try:
        import fcntl
    except ImportError:
        yield False
        return
    how = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    fd = _lock_fd(_stem(target) + ".lock", how, waiting)
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
            held = os.fstat(fd)
            try:
                now: os.stat_result | None = os.stat(lock)
            except FileNotFoundError:  # removed while this run waited for it
                now = None
        except BaseException as failed:
            os.close(fd)
            if isinstance(failed, OSError):  # refused, or held by another (LOCK_NB)
                return None
            raise
        if now is not None and (held.st_ino, held.st_dev) == (now.st_ino, now.st_dev):
            return fd
        os.close(fd)  # removed while this run waited for it: the file of that name now is the lock
    return None


LOCK_TRIES = 5


def _remove_stale(target: str, kept: str | None, *, at_once: bool) -> None:
    """Remove the files beside `target` other than `kept` (the build just put in place): those of the builds it
    replaced, and of any build killed between its two renames. `at_once` (the builds of these packs are held
    apart: building_alone), every one; otherwise one renamed into place within STALE_AFTER seconds stays, for the
    next build to remove: a build of the same packs by another run may be between renaming its file beside and
    its database (removed then, that build would stand without it, and be compiled again). Held apart, a burst
    of builds leaves no file behind; kept for a minute, 21 builds at 10 times the shipped data, 10 s in all (a
    script editing a pack of its own and asking after each edit), left 21 files, 1,163 MiB (each 590 MB at
    100 times)."""
    import time

    for stale in _besides(target, but=kept):
        with contextlib.suppress(OSError):
            if at_once or time.time() - os.stat(stale).st_ctime > STALE_AFTER:
                os.unlink(stale)


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
    kept = {*last, *(stem for stem, at in used.items() if at >= recent), os.path.basename(_stem(but))}
    for stem, files in lists.items():
        if stem not in kept:
            _evict(os.path.join(folder, stem), files, used.get(stem))


def _evict(stem: str, files: list[str], used: int | None) -> None:
    """Remove a list's files (its database last touched at `used`, or none), holding its lock if the system
    has one. Where it has none (Windows, where a file in use is not removed), the files of a list with no
    database go only once STALE_AFTER old: a build may be between putting its file beside and its database in
    place."""
    import time

    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    fd = None
    if fcntl is not None:
        fd = _lock_fd(stem + ".lock", fcntl.LOCK_EX | fcntl.LOCK_NB, None)
        if fd is None:  # a run holds it (or it cannot be taken): the list stays
            return
    elif used is None:
        with contextlib.suppress(OSError):
            if any(time.time() - os.stat(f).st_ctime <= STALE_AFTER for f in files):
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


COPY_PARTS = 2  # a large file is copied as this many parts at once (see copy_file)
COPY_PARTS_FROM = 64 << 20  # bytes: a smaller file is copied in one go


def copy_file(source: str, target: str) -> None:
    """Copy `source` over `target`, a large file (the last build, which a delta starts from) as COPY_PARTS parts
    at once where the system copies within the kernel (os.copy_file_range, Linux): a build not read for a while
    is read from the disk again, and two reads at once take a third of the time of one (the 100x build's
    1.3 GB: 0.6-0.8 s against 2.1-3.3 s, measured); read from memory, it takes the same time either way."""
    import shutil
    import threading

    if not hasattr(os, "copy_file_range"):
        shutil.copyfile(source, target)
        return
    # the parts read one opening of the source (opened twice by name, a build renamed over it between the two
    # would give halves of two builds), each by descriptors of its own that it closes itself: nothing closes
    # them under it, even if the caller is interrupted
    with open(source, "rb") as src, open(target, "wb") as dst:
        size = os.fstat(src.fileno()).st_size
        parts = COPY_PARTS if size >= COPY_PARTS_FROM else 1
        part = -(-size // parts)
        shares: list[tuple[int, int, int]] = []
        try:
            for i in range(parts):
                shares.append((i * part, os.dup(src.fileno()), os.dup(dst.fileno())))
        except BaseException:
            for _, *fds in shares:
                for fd in fds:
                    os.close(fd)
            raise
    failed: list[BaseException] = []

    def copy(at: int, src_fd: int, dst_fd: int) -> None:
        end = min(size, at + part)
        try:
            while at < end:
                done = os.copy_file_range(src_fd, dst_fd, end - at, at, at)
                if done <= 0:
                    raise OSError(f"{source}: ended at {at} of {size} bytes")
                at += done
        except Exception as e:  # whatever stops a part, the copy is not whole (an interrupt goes on up)
            failed.append(e)
        finally:
            os.close(src_fd)
            os.close(dst_fd)

    # the first part here, the others on threads of their own; daemons: an interrupted run need not wait for
    # them (the caller removes the file they write)
    workers = [threading.Thread(target=copy, args=share, daemon=True) for share in shares[1:]]
    started, first_ran = 0, False
    try:
        for worker in workers:
            worker.start()
            started += 1
        first_ran = True  # it closes its own descriptors, whatever happens in it
        copy(*shares[0])
    except RuntimeError as e:  # no thread to be had: the copy goes the ordinary way
        failed.append(e)
    finally:  # a part that never ran closes nothing itself
        for _, *fds in shares[1 + started :] + ([] if first_ran else shares[:1]):
            for fd in fds:
                os.close(fd)
    for worker in workers[:started]:
        worker.join()
    if failed or os.path.getsize(target) != size:  # the kernel would not copy (another file system, an old
        shutil.copyfile(source, target)  # kernel), or a part stopped: the ordinary way
