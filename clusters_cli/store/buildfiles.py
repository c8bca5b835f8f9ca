"""The files of a compiled build in the cache folder: where the cache lives; a database checked whole and opened
read-only, or read holding its file's lock (read_held); the file a large build's helper leaves beside its database
(its tables: store/build.py), named by the build, attached whenever the database is read, and removed with it; a
build written in a temporary file and renamed into place, parallel runs never seeing half of one, by steps a delta
changing a build where it stands shares (store/inplace.py); the temporary files of killed builds swept away; and a
large build copied for a delta (store/delta.py; the copy itself: store/copyfile.py). store/cache.py decides when to
build and what to open.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from types import ModuleType


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
    return f"{stem_of(path)}.{build}.beside.sqlite"


def stem_of(path: str) -> str:
    """A database's path without its `.sqlite`: what the files beside it are named after."""
    return path[: -len(".sqlite")] if path.endswith(".sqlite") else path


def beside_of(conn: sqlite3.Connection, path: str) -> str | None:
    """The file beside the database at `path` (open as `conn`) that its meta names, or None if it names none."""
    meta = dict(conn.execute("SELECT key, value FROM main.meta WHERE key IN ('beside', 'build')").fetchall())
    return beside_file(path, meta.get("build", "")) if "beside" in meta else None


def attach_beside(conn: sqlite3.Connection, path: str, *, immutable: bool = False) -> bool:
    """Attach, as `beside`, the file of the tables beside the database at `path` (open as `conn`, read-only),
    if its meta names one: then its tables answer as the database's own. Whether the database is whole: it names
    no such file, or the one it names is there, whole, and of the same build."""
    beside = beside_of(conn, path)
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
    folder, stem = os.path.split(stem_of(path))
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


def temporary(folder: str, suffix: str) -> tuple[int, str]:
    """A new empty file of `folder`, private (mkstemp's mode), named by this process's pid so that one a killed
    run leaves is removed by the next build (sweep_leftovers): (its open descriptor, its path)."""
    import tempfile

    return tempfile.mkstemp(dir=folder, prefix=f"{TMP_PREFIX}{os.getpid()}-", suffix=suffix)


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
    all of them at once where the caller holds the build of `target` (`alone`: cachefolder.building_alone), so
    that no other build of the same packs is at work; then the lists of packs the folder no longer keeps go
    (cachefolder.evict_unused)."""
    from . import copyfile  # a delta's start (its module: the copy in parts)

    errors: tuple[type[Exception], ...] = (OSError, sqlite3.Error, *fails)
    tmp = None
    try:
        os.makedirs(cache_dir(), exist_ok=True)
        sweep_leftovers(cache_dir())
        fd, tmp = temporary(cache_dir(), ".sqlite")
        os.close(fd)
        beside, old_beside = tmp + BESIDE_SUFFIX, None
        if start_from is not None:  # held by the caller, where it can be, so that none replaces it meanwhile
            with contextlib.suppress(OSError):
                os.utime(start_from)  # used now (evict_unused)
            copyfile.copy_file(start_from, tmp)
            with contextlib.closing(read_only(tmp)) as copied:  # the copy's, whatever is at start_from by now
                old_beside = beside_of(copied, start_from)
            if old_beside is not None:
                copyfile.copy_file(old_beside, beside)
        conn = writing(tmp, beside if old_beside is not None else None)
        try:
            # of the copy's build, or no build to start from (another build's, or one put in place since)
            if old_beside is not None and conn.execute(_SAME_BUILD).fetchone() is None:
                return False
            fill(conn, tmp)
            kept = written(conn, target, attached=old_beside is not None)
        finally:
            conn.close()
        put_in_place(target, tmp, beside, kept)
        tmp = None
        tidy(target, kept, at_once=alone)
        return True
    except errors:
        return False
    finally:
        if tmp is not None:
            for file in (tmp, tmp + BESIDE_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(file)


def writing(path: str, beside: str | None) -> sqlite3.Connection:
    """A connection writing the build at `path` without a journal, with the file `beside` it attached (as
    `beside`) where there is one: write_beside's and store/inplace.py's."""
    conn = sqlite3.connect(path)
    unjournalled(conn)
    if beside is not None:
        conn.execute("ATTACH DATABASE ? AS beside", (beside,))
        unjournalled(conn, "beside")
    return conn


def written(conn: sqlite3.Connection, target: str, *, attached: bool) -> str | None:
    """Commit a build written by `conn` (writing), its file beside, where `attached`, naming the build it is
    now; where that file is to stand beside `target` (beside_file), or None."""
    conn.commit()
    if attached:
        conn.execute(
            "UPDATE beside.meta SET value = (SELECT value FROM main.meta WHERE key = 'build') WHERE key = 'build'"
        )
        conn.commit()
    return beside_of(conn, target)


def put_in_place(target: str, tmp: str, beside: str, kept: str | None) -> None:
    """Rename a build written in `tmp` onto `target`, its file `beside` onto `kept` (where it has one) first."""
    if kept is not None:
        os.replace(beside, kept)
    os.replace(tmp, target)


def tidy(target: str, kept: str | None, *, at_once: bool) -> None:
    """Once a build stands at `target`: remove the files beside the builds it replaced (_remove_stale), then the
    lists of packs the folder no longer keeps (cachefolder.evict_unused), whatever those do."""
    _remove_stale(target, kept, at_once=at_once)
    from .cachefolder import evict_unused  # the folder's lists, beyond this build's own

    with contextlib.suppress(OSError):
        evict_unused(os.path.dirname(target), but=target)


def flock_module() -> ModuleType | None:
    """The module of file locks (fcntl), or None where the system has none (Windows)."""
    try:
        import fcntl
    except ImportError:
        return None
    return fcntl


def read_held(path: str, *, wait: bool = False) -> sqlite3.Connection | None:
    """A read-only connection to the build at `path` (SQLite's `immutable`: no locks of its own, no checks
    that the file changed) holding the file's lock shared until it is closed or collected: a delta changes a
    build where it stands only holding that lock alone (store/inplace.py), so it never changes one a run reads.
    None if there is no file there, if the file there is not the one held (replaced meanwhile), or if a delta
    holds it (changing it: the caller waits for that run's build as for any other, cachefolder.building_alone),
    unless `wait`: then the delta is waited for here (a run that cannot hold its packs' lock, say in a cache
    folder it may only read, would otherwise compile them itself)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl = flock_module()
        if fcntl is not None:  # none (Windows): no delta changes a build in place there
            try:
                fcntl.flock(fd, fcntl.LOCK_SH if wait else fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:  # a delta is changing it
                os.close(fd)
                return None
            except OSError:  # a file system that cannot lock: no delta changes it in place either
                pass
        conn = sqlite3.connect(_uri(path, immutable=True), uri=True, check_same_thread=False, factory=HeldConnection)
    except sqlite3.Error:  # gone meanwhile
        os.close(fd)
        return None
    except BaseException:
        os.close(fd)
        raise
    import weakref

    conn.lock = weakref.finalize(conn, os.close, fd)  # let go of once closed, or collected
    if not same_file(fd, path):  # replaced between the two openings: which did SQLite open?
        conn.close()
        return None
    return conn


class HeldConnection(sqlite3.Connection):
    """A connection to a build holding its file's lock (read_held), let go of when it is closed."""

    lock: Callable[[], object] | None = None

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self.lock is not None:
                self.lock()  # a weakref.finalize: closes the file once, whether called or collected


def same_file(fd: int, path: str) -> bool:
    """Whether the open file `fd` is the one at `path` now."""
    try:
        held, now = os.fstat(fd), os.stat(path)
    except OSError:
        return False
    return (held.st_ino, held.st_dev) == (now.st_ino, now.st_dev)


# whether the file attached beside a database is of its build
_SAME_BUILD = (
    "SELECT 1 FROM main.meta m JOIN beside.meta b ON b.key = m.key AND b.value = m.value WHERE m.key = 'build'"
)
# seconds: where builds are not held apart (cachefolder.building_alone), a file beside renamed into place (its
# change time) this recently may be that of a build another run is about to put in place, between its two renames
STALE_AFTER = 60


def _remove_stale(target: str, kept: str | None, *, at_once: bool) -> None:
    """Remove the files beside `target` other than `kept` (the build just put in place): those of the builds it
    replaced, and of any build killed between its two renames. `at_once` (the builds of these packs are held
    apart: cachefolder.building_alone), every one; otherwise one renamed into place within STALE_AFTER seconds
    stays, for the next build to remove: a build of the same packs by another run may be between renaming its
    file beside and its database (removed then, that build would stand without it, and be compiled again).
    Held apart, a burst of builds leaves no file behind; kept for a minute, 21 builds at 10 times the shipped
    data, 10 s in all (a script editing a pack of its own and asking after each edit), left 21 files, 1,163 MiB
    (each 590 MB at 100 times)."""
    import time

    for stale in _besides(target, but=kept):
        with contextlib.suppress(OSError):
            if at_once or time.time() - os.stat(stale).st_ctime > STALE_AFTER:
                os.unlink(stale)
