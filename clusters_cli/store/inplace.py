"""A delta build changing its packs' own last build where it stands, instead of in a copy (store/delta.py): at
100 times the shipped data the copy was 1.4 GB, read from the disk again where the system had paged the build out
since it was last read, and most of a rebuild's time (2.3-2.6 s of it). The build's file is held by its lock
alone meanwhile, which a run reading a build holds shared while it reads (buildfiles.read_held): so no run reads
it half changed, and one that reads it is never waited for (the delta copies the build then, as before).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from typing import TypeVar

from . import buildfiles

T = TypeVar("T")


def write_in_place(
    target: str,
    check: Callable[[sqlite3.Connection], T],
    fill: Callable[[sqlite3.Connection, T], None],
    *,
    fails: tuple[type[Exception], ...] = (),
) -> bool | None:
    """Change the build at `target` (with the file beside it) where it stands, instead of in a copy: a delta
    build of the same packs (store/delta.py), whose caller holds their build alone (cachefolder.building_alone).
    `check(connection)` reads it as it is (read-only) and returns what `fill(connection, checked)` needs to
    change it. The file's lock (flock) is held alone until it stands changed: a run reading a build holds it
    shared (buildfiles.read_held), and one that finds it held waits for this run's build as for any other. It
    is changed under a temporary name (as write_beside's builds are written), with the file beside it, so that
    no run opens it half changed, written to the disk, and renamed back, the file beside under the new build's
    name; a killed run leaves the temporary files, which the next build sweeps away (sweep_leftovers).
    None (nothing done: the caller copies the build) where a run reads it, or the system has no such lock
    (Windows); False if `check` raises one of `fails`, OSError or an SQLite error (the build stays as it was),
    or if the change fails so (the build is gone then, and no temporary file stays); True once it stands
    changed."""
    fcntl = buildfiles.flock_module()
    if fcntl is None:
        return None
    try:
        fd = os.open(target, os.O_RDONLY)
    except OSError:
        return None
    tmp = None
    held = True
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a run reads it (or it cannot be locked)
            return None
        if not buildfiles.same_file(fd, target):  # replaced since it was opened
            return None
        errors: tuple[type[Exception], ...] = (OSError, sqlite3.Error, *fails)
        try:
            with contextlib.closing(buildfiles.read_only(target)) as conn:
                if not buildfiles.attach_beside(conn, target):  # not whole: compiled in full
                    return False
                old_beside = buildfiles.beside_of(conn, target)
                checked = check(conn)
        except errors:
            return False
        try:
            made, tmp = buildfiles.temporary(buildfiles.cache_dir(), ".sqlite")  # swept once this run has ended
            os.close(made)
            beside = tmp + buildfiles.BESIDE_SUFFIX
            for file in (target, *([old_beside] if old_beside is not None else [])):
                os.utime(file)  # new: a sweep removes a temporary file a day old, whatever its run
            os.replace(target, tmp)  # from here on no run finds it: one that looks waits for this run's build
            if not buildfiles.same_file(fd, tmp):  # another's build, put in place meanwhile (by a run not held
                moved, tmp = tmp, None  # apart from this one: cachefolder.building_alone): never removed here,
                os.replace(moved, target)  # and back where it stood
                return False
            if old_beside is not None:
                os.replace(old_beside, beside)
            # the renames on the disk before a page changes: a power cut must not leave a build half changed under
            # its name
            _fsync(os.path.dirname(tmp))
            conn = buildfiles.writing(tmp, beside if old_beside is not None else None)
            try:
                fill(conn, checked)
                kept = buildfiles.written(conn, target, attached=old_beside is not None)
            finally:
                conn.close()
            # on the disk before it stands under its name again: a power cut must not leave old pages and new
            # there (a build renamed over another has the file system write its data first; this one is not)
            for file in (tmp, *([beside] if kept is not None else [])):
                _fsync(file)
            buildfiles.put_in_place(target, tmp, beside, kept)
            tmp = None
        except errors:
            return False
        held = False
        os.close(fd)  # which lets go of the lock: the runs that found it changing read it now
        buildfiles.tidy(target, kept, at_once=True)
        return True
    finally:
        if held:
            os.close(fd)
        if tmp is not None:
            for file in (tmp, tmp + buildfiles.BESIDE_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(file)


def _fsync(path: str) -> None:
    """Write a file's data, or a folder's names, to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
