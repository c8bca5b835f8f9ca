"""The delta build (store/delta.py): a changed pack of one's own at the end of the list has its rows replaced
in a copy of the last build, and the database is the one a full build makes; anything it cannot be sure of
goes down the full path."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import PACKS, deltas_of, forks, open_build

from clusters_cli.collector import collector_paused
from clusters_cli.errors import InvalidKnowledgeBase
from clusters_cli.store import buildfiles, cache, cachefolder, copyfile

SOURCE = """
meta: {{title: Mine, version: '{v}', primary_source: mine-notes}}
sources:
  - {{id: mine-notes, short_name: My notes, name: My notes {v}, kind: secondary,
     sections: [{{heading: Only, paragraphs: 3}}]}}
"""
CLUSTER = """
clusters:
  - id: mine-hefei-chips
    name: My Hefei chip testing cluster {v}
    sector: semiconductors
    cities: [hefei]
    specialties: [chip testing, wafer probing]
    status: established
    summary: Testing firms I track.
    locator: {{section: Only, paragraph: 1}}
"""
FIRMS = """
companies:
  - id: mine-hefei-probes
    name: Hefei Probe Works {v}
    sector: semiconductors
    headquarters: hefei
    bases: [{{city: nanshan}}]
    locator: {{section: Only, paragraph: 1}}
"""
NAMING = """
  - id: mine-firms-cluster
    name: Firms I follow
    sector: semiconductors
    cities: [hefei, nanshan]
    companies: [mine-hefei-probes, yangtze-microchips]
    status: established
    summary: Their plants.
    locator: {section: Only, paragraph: 2}
"""
# a cluster naming a firm of the article pack, which has one point of its own (its cluster's city): a second
# point makes it a firm of several points, the base's point included (writers.mark_multi)
NAMING_THEIRS = """
clusters:
  - id: mine-solar-buyers
    name: Solar buyers I follow
    sector: semiconductors
    cities: [nanshan]
    companies: [huaihe-solar]
    status: emerging
    summary: Their buyers.
    locator: {section: Only, paragraph: 3}
"""
PARKED = """
  - id: mine-parked-chips
    name: Chip packaging in the park
    sector: semiconductors
    parks: [suzhou-industrial-park]
    status: emerging
    summary: Packaging lines in the park.
    locator: {section: Only, paragraph: 2}
  - id: mine-nanshan-design
    name: Nanshan design houses I track
    sector: semiconductors
    cities: [nanshan]
    status: established
    summary: Design houses.
    locator: {section: Only, paragraph: 2}
"""
FIGURES = """
statistics:
  - id: mine-hefei-testers
    metric: chip testing firms
    value: {n}
    unit: enterprises
    qualifier: approximately
    year: 2024
    year_basis: stated
    status: actual
    cluster: mine-hefei-chips
    source: mine-notes
    locator: {{section: Only, paragraph: 3}}
  - id: mine-yrd-ic-lines
    metric: packaging plants
    value: 12
    unit: enterprises
    qualifier: exact
    year: 2023
    year_basis: stated
    status: actual
    cluster: yrd-ic
    source: mine-notes
    locator: {{section: Only, paragraph: 3}}
"""


def _tables(path: str) -> dict[str, object]:
    """Every row of the database, in the order the queries read them (a search text by its entity; each
    entity's points in their order), and what the trigram index finds for every word of every text."""
    conn = open_build(path)
    try:
        found: dict[str, object] = {
            "meta": conn.execute(
                "SELECT * FROM meta WHERE key NOT IN ('cache_key', 'deltas', 'build', 'beside') ORDER BY key"
            ).fetchall(),
            "entities": conn.execute("SELECT * FROM entities ORDER BY kind, id").fetchall(),
            "keys": conn.execute("SELECT * FROM keys ORDER BY kind, key, id").fetchall(),
            "rel": conn.execute("SELECT * FROM rel ORDER BY name, key, pos").fetchall(),
            # each entity's points in their order (near orders entities by distance, kind, name and id)
            "points": sorted(
                (kind, ident, [r for r in rows if r[0] == kind and r[1] == ident])
                for rows in [conn.execute("SELECT * FROM points ORDER BY rowid").fetchall()]
                for kind, ident in {(r[0], r[1]) for r in rows}
            ),
            # the entities of one point counted by spot (near's count)
            "spots": conn.execute("SELECT * FROM spots ORDER BY kind, lat, lon").fetchall(),
            # each entity's texts, with what they fold to (a text's number may differ: a delta build numbers a new
            # text after the last), and the texts held: those the rows name, each once
            "search": conn.execute(
                "SELECT s.kind, s.id, s.field, s.label, s.text, t.folded FROM search s JOIN texts t ON t.tid = s.tid "
                "ORDER BY s.kind, s.id, s.rowid"
            ).fetchall(),
            "texts": sorted(conn.execute("SELECT folded FROM texts").fetchall()),
            # each entity's rows as the range from its first row to the last it names (a search of several words
            # and the next delta read them so): how many, by kind and id
            "ranges": conn.execute(
                "SELECT kind, id, last - rowid + 1 FROM search WHERE entity = rowid ORDER BY kind, id"
            ).fetchall(),
            # each specialty's words, by the entity and text they stand in (a word of a row gone: NULLs), with
            # their places in it and the entity each names (that of its row)
            "words": conn.execute(
                "SELECT w.word, s.kind, s.id, s.text, w.at, w.kind, w.id FROM words w "
                "LEFT JOIN search s ON s.rowid = w.row ORDER BY 1, 2, 3, 4, 5"
            ).fetchall(),
        }
        # and no row stands outside its entity's range, nor inside another's (every build compared, delta or full)
        strays = (
            "SELECT COUNT(*) FROM search s LEFT JOIN search f ON f.rowid = s.entity WHERE f.rowid IS NULL "
            "OR s.rowid NOT BETWEEN f.rowid AND f.last OR s.last != f.last OR f.entity != f.rowid OR f.kind != s.kind "
            "OR f.id != s.id"
        )
        assert conn.execute(strays).fetchone() == (0,)
        conn.execute("INSERT INTO search_tri (search_tri) VALUES ('integrity-check')")  # the index is its texts'
        words = sorted({w for (t,) in conn.execute("SELECT folded FROM texts") for w in t.split() if len(w) >= 3})
        found["trigrams"] = [
            sorted(
                conn.execute(
                    "SELECT kind, id, field, text FROM search WHERE tid IN "
                    "(SELECT rowid FROM search_tri WHERE search_tri MATCH ?)",
                    (f'"{w}"',),
                ).fetchall()
            )
            for w in words
        ]
        return found
    finally:
        conn.close()


def _edit(path: Path, text: str) -> None:
    """Write a pack and move its time on, as an editor would (the cache keys a pack by size and time)."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def _full(paths: list[str], folder: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The database a full build makes of these packs, in a cache folder of its own."""
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(folder))
    cache.load_kb(paths, shipped=False).conn.close()
    return cache.cache_file(paths)


def test_a_changed_pack_of_ones_own_is_compiled_as_a_full_build_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(copyfile, "COPY_PARTS_FROM", 0)  # the last build copied in parts, as a large one is
    mine = tmp_path / "mine.yaml"
    paths = [*PACKS, str(mine)]
    versions = [
        SOURCE.format(v=1),
        SOURCE.format(v=2) + CLUSTER.format(v=2) + FIGURES.format(n=40),
        SOURCE.format(v=3) + CLUSTER.format(v=3) + PARKED + FIGURES.format(n=41),
        SOURCE.format(v=4) + FIRMS.format(v=4) + CLUSTER.format(v=4) + NAMING + FIGURES.format(n=42),
        SOURCE.format(v=5) + FIRMS.format(v=5) + CLUSTER.format(v=5) + PARKED,
        SOURCE.format(v=6) + CLUSTER.format(v=6),
        SOURCE.format(v=7) + NAMING_THEIRS,
        SOURCE.format(v=8),
    ]
    for step, text in enumerate(versions):
        _edit(mine, text)
        monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "kept"))
        kb = cache.load_kb(paths, shipped=False)
        kb.conn.close()
        kept = cache.cache_file(paths)
        assert deltas_of(kept) == str(step)  # each rebuild after the first replaced the pack's rows
        full = _full(paths, tmp_path / f"full{step}", monkeypatch)
        assert deltas_of(full) == "0"
        assert _tables(kept) == _tables(full), f"version {step + 1}"
    assert not [p for p in (tmp_path / "kept").iterdir() if p.name.startswith(".tmp-")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's copy and /proc/self/fd are Linux's")
@pytest.mark.parametrize(
    "kernel", ["copies", "refuses", "copies a little at a time", "fails a part midway", "no thread to be had"]
)
@pytest.mark.parametrize("size", [0, 1, 3, 1_048_581])
def test_a_build_is_copied_whole_in_parts_or_in_one_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kernel: str, size: int
) -> None:
    """copy_file: a large file as COPY_PARTS parts at once, or, where the kernel will not copy it (another file
    system, an old kernel), a part stops or no thread can be started, the ordinary way; the same bytes either
    way, whatever the size, and every descriptor it opened closed."""
    monkeypatch.setattr(copyfile, "COPY_PARTS_FROM", 0)
    kernel_copy = os.copy_file_range

    def copied(src: int, dst: int, count: int, offset_src: int, offset_dst: int) -> int:
        if kernel == "refuses":
            raise OSError(18, "Invalid cross-device link")
        if kernel == "fails a part midway" and offset_src > 0 and offset_src == offset_dst and offset_src % 2:
            raise OSError(5, "Input/output error")
        if kernel == "copies a little at a time":
            count = min(count, 1000)
        return kernel_copy(src, dst, count, offset_src, offset_dst)

    monkeypatch.setattr(os, "copy_file_range", copied, raising=False)
    if kernel == "no thread to be had":

        def refused_thread(self: threading.Thread) -> None:
            raise RuntimeError("can't start new thread")

        monkeypatch.setattr(threading.Thread, "start", refused_thread)
    data = (bytes(range(256)) * (size // 256 + 1))[:size]
    source, target = tmp_path / "source.sqlite", tmp_path / "target.sqlite"
    source.write_bytes(data)
    target.write_bytes(b"older and longer than nothing" * 100000)
    # no collection between the two counts: what an earlier test left for the collector (a connection in a
    # cycle, freed by a collection the copy's allocations set off) closed a descriptor between them once under
    # xdist; a full collection first cost 90 ms a case in a worker holding the suite's objects
    with collector_paused():
        before = len(os.listdir("/proc/self/fd"))
        copyfile.copy_file(str(source), str(target))
        after = len(os.listdir("/proc/self/fd"))
    assert target.read_bytes() == data
    assert after == before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel's copy in parts is Linux's")
def test_a_build_renamed_over_the_one_being_copied_is_not_half_copied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both parts read the one opening of the source: another run's build renamed over it meanwhile (as
    write_beside puts a build in place) changes nothing of the copy."""
    monkeypatch.setattr(copyfile, "COPY_PARTS_FROM", 0)
    source, newer, target = tmp_path / "source.sqlite", tmp_path / "newer.sqlite", tmp_path / "target.sqlite"
    old = bytes(range(256)) * 4099
    source.write_bytes(old)
    newer.write_bytes(b"n" * len(old))
    kernel_copy, once = os.copy_file_range, threading.Lock()

    def renamed_first(*args: int) -> int:
        with once:  # the parts run at once: the first to copy renames
            if newer.exists():
                os.replace(newer, source)
        return kernel_copy(*args)

    monkeypatch.setattr(os, "copy_file_range", renamed_first, raising=False)
    copyfile.copy_file(str(source), str(target))
    assert target.read_bytes() == old and source.read_bytes() == b"n" * len(old)


@forks
@pytest.mark.parametrize("first", ["this process", "the helper"])
def test_a_large_build_keeps_its_helpers_tables_beside_it_and_a_delta_build_copies_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: str
) -> None:
    """A build on two cores leaves its helper's tables in a file beside the database, named by the build (the
    entities' table in the file of the process that took it: build._Token); a delta build copies both, and
    once it is in place the last build's file beside goes (one renamed into place lately stays, for the next
    build). Each answers as the full build of one process; a file beside that is missing, or of another build,
    is no build: compiled again, in full, whether the packs changed or not."""
    from clusters_cli.store import build

    parent, take = os.getpid(), build._Token.take
    monkeypatch.setattr(
        build._Token,
        "take",
        lambda self: take(self) if (os.getpid() == parent) == (first == "this process") else False,
    )
    monkeypatch.setattr(build, "PARALLEL_FROM", 0)  # the fixtures are small: fork the helper anyway
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    mine, kept = tmp_path / "mine.yaml", tmp_path / "kept"
    paths = [*PACKS, str(mine)]

    def files() -> list[str]:
        build = _build_of(cache.cache_file(paths))
        return sorted(p.name.replace(build, "BUILD") for p in kept.iterdir() if p.suffix == ".sqlite")

    def alone(step: int) -> str:  # the same packs built by one process
        with monkeypatch.context() as m:
            m.setattr(build, "PARALLEL_FROM", 10**9)
            return _full(paths, tmp_path / f"alone{step}", m)

    def beside() -> str:
        return buildfiles.beside_file(cache.cache_file(paths), _build_of(cache.cache_file(paths)))

    _edit(mine, SOURCE.format(v=1) + CLUSTER.format(v=1))
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(kept))
    cache.load_kb(paths, shipped=False).conn.close()
    stem = Path(cache.cache_file(paths)).stem
    assert files() == [f"{stem}.BUILD.beside.sqlite", f"{stem}.sqlite"]
    with contextlib.closing(sqlite3.connect(beside())) as conn:
        held = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'entities'").fetchone() is not None
    assert held == (first == "the helper")
    first_beside = beside()
    assert _tables(cache.cache_file(paths)) == _tables(alone(1))

    _edit(mine, SOURCE.format(v=2) + CLUSTER.format(v=2) + FIGURES.format(n=40))
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(kept))
    kb = cache.load_kb(paths, shipped=False)
    assert [c["id"] for c in kb.clusters_in("city", "hefei")][-1] == "mine-hefei-chips"  # read from both files
    kb.conn.close()
    assert deltas_of(cache.cache_file(paths)) == "1" and not os.path.exists(first_beside)
    assert files() == [f"{stem}.BUILD.beside.sqlite", f"{stem}.sqlite"]
    assert _tables(cache.cache_file(paths)) == _tables(alone(2))

    # the file beside of another build (here its meta says so): compiled again in full, the packs changed or not
    for step, text in [(2, None), (3, SOURCE.format(v=3) + CLUSTER.format(v=3) + FIGURES.format(n=41))]:
        foreign = beside()
        with contextlib.closing(sqlite3.connect(foreign)) as conn, conn:
            conn.execute("UPDATE meta SET value = 'another' WHERE key = 'build'")
        if text is not None:
            _edit(mine, text)
        cache.load_kb(paths, shipped=False).conn.close()
        assert deltas_of(cache.cache_file(paths)) == "0" and not os.path.exists(foreign)
        assert _tables(cache.cache_file(paths)) == _tables(alone(step + 10))
    # none: compiled again
    os.unlink(beside())
    build = _build_of(cache.cache_file(paths))
    kb = cache.load_kb(paths, shipped=False)
    assert kb.clusters_in("city", "hefei") and _build_of(cache.cache_file(paths)) != build
    kb.conn.close()
    assert files() == [f"{stem}.BUILD.beside.sqlite", f"{stem}.sqlite"]

    # where builds cannot be held apart (no lock: Windows), a file beside renamed into place lately stays, for
    # the next build: another run's may be about to stand
    @contextlib.contextmanager
    def unlocked(target: str, waiting: Any) -> Iterator[bool]:
        yield False

    with monkeypatch.context() as m:
        m.setattr(cachefolder, "building_alone", unlocked)
        recent = beside()
        _edit(mine, SOURCE.format(v=4) + CLUSTER.format(v=4))
        cache.load_kb(paths, shipped=False).conn.close()
        assert os.path.exists(recent) and recent != beside() and os.path.exists(beside())
    # held apart, the next build removes it, whatever its age
    _edit(mine, SOURCE.format(v=5) + CLUSTER.format(v=5))
    cache.load_kb(paths, shipped=False).conn.close()
    assert deltas_of(cache.cache_file(paths)) == "2" and files() == [f"{stem}.BUILD.beside.sqlite", f"{stem}.sqlite"]


# builds of the same packs are held apart by flock (cachefolder.building_alone), which Windows lacks
flocks = pytest.mark.skipif(sys.platform == "win32", reason="no flock")


def _lock_of(path: str) -> str:
    """The lock of the build a file is of (its database, or the file beside it): cachefolder.building_alone."""
    if path.endswith(".beside.sqlite"):
        return path[: -len(".beside.sqlite")].rsplit(".", 1)[0] + ".lock"
    return path[: -len(".sqlite")] + ".lock"


def _free(lock: str, how: int) -> bool:
    """Whether another run could take the lock so now."""
    import fcntl

    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, how | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


@forks
def test_a_run_builds_holding_its_packs_lock_and_copies_another_builds_files_holding_theirs_shared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lock of a file named after the database holds the builds of the same packs apart: a run builds (a delta
    or in full), puts its two files in place and removes those beside the builds it replaced holding it alone
    (no other build is then between its two renames); a delta changes its packs' own build where it stands,
    or copies it where a run reads it; it copies the two files of another packs' build it starts from holding
    that build's lock shared (another run may copy them too, none may replace them)."""
    import fcntl

    from clusters_cli.store import build

    monkeypatch.setattr(build, "PARALLEL_FROM", 0)  # the fixtures are small: fork the helper anyway
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "kept"))
    mine, added = tmp_path / "mine.yaml", tmp_path / "added.yaml"
    paths = [*PACKS, str(mine)]
    seen: list[tuple[str, ...]] = []
    remove, copy = buildfiles._remove_stale, copyfile.copy_file

    def removing(target: str, kept: str | None, *, at_once: bool) -> None:
        seen.append(("remove", str(_free(_lock_of(target), fcntl.LOCK_SH)), str(at_once)))
        remove(target, kept, at_once=at_once)

    def copying(source: str, target: str) -> None:
        which = "its file beside" if source.endswith(".beside.sqlite") else "its database"
        own = cache.cache_file([*paths, str(added)] if added.exists() else paths)
        held = (_free(_lock_of(source), how) for how in (fcntl.LOCK_SH, fcntl.LOCK_EX))
        seen.append((f"copy {which}", *map(str, held), str(_free(_lock_of(own), fcntl.LOCK_SH))))
        copy(source, target)

    monkeypatch.setattr(buildfiles, "_remove_stale", removing)
    monkeypatch.setattr(copyfile, "copy_file", copying)
    _edit(mine, SOURCE.format(v=1) + CLUSTER.format(v=1))
    cache.load_kb(paths, shipped=False).conn.close()
    assert seen == [("remove", "False", "True")]
    # a delta of the same packs: their build, its own, is held alone from start to end, and changed where it
    # stands (no run reads it)
    _edit(mine, SOURCE.format(v=2) + CLUSTER.format(v=2))
    cache.load_kb(paths, shipped=False).conn.close()
    assert deltas_of(cache.cache_file(paths)) == "1"
    assert seen[1:] == [("remove", "False", "True")]
    # read by a run meanwhile, it is copied, held alone too
    del seen[:]
    _edit(mine, SOURCE.format(v=3) + CLUSTER.format(v=3))
    with contextlib.closing(buildfiles.read_held(cache.cache_file(paths))) as held:
        assert held is not None
        cache.load_kb(paths, shipped=False).conn.close()
    assert deltas_of(cache.cache_file(paths)) == "2"
    assert seen == [
        ("copy its database", "False", "False", "False"),
        ("copy its file beside", "False", "False", "False"),
        ("remove", "False", "True"),
    ]
    # a pack added at the end: the build of the packs before it copied holding their lock shared, its own alone
    del seen[:]
    _edit(
        added,
        "meta: {title: Added, version: '1'}\nsources:\n  - {id: added, short_name: A, name: A, kind: secondary}\n",
    )
    cache.load_kb([*paths, str(added)], shipped=False).conn.close()
    assert deltas_of(cache.cache_file([*paths, str(added)])) == "3"  # the copy's two, and this one
    assert seen == [
        ("copy its database", "True", "False", "False"),
        ("copy its file beside", "True", "False", "False"),
        ("remove", "False", "True"),
    ]
    assert all(_free(_lock_of(cache.cache_file(p)), fcntl.LOCK_EX) for p in (paths, [*paths, str(added)]))


@flocks
def test_a_run_finding_another_building_the_same_packs_waits_for_it_and_reads_its_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run whose packs another run is building waits (inside the line a terminal shows while packs are
    compiled) and then reads that build, compiling nothing itself."""
    mine = tmp_path / "mine.yaml"
    _edit(mine, SOURCE.format(v=1) + CLUSTER.format(v=1))
    paths = [*PACKS, str(mine)]
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "other"))  # the other run's build, made beforehand
    cache.load_kb(paths, shipped=False).conn.close()
    made = sorted((tmp_path / "other").glob("*.sqlite"))
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "kept"))
    target = cache.cache_file(paths)
    (tmp_path / "kept").mkdir()
    answer, said = _load_while_another_builds(
        monkeypatch,
        paths,
        _lock_of(target),
        made,
        tmp_path / "kept",
        lambda kb: kb.clusters_in("city", "hefei")[-1]["id"],
    )
    assert answer == ["mine-hefei-chips"] and said == ["compiling", "done"]


@flocks
def test_a_run_adding_a_pack_waits_for_the_build_it_starts_from_and_starts_from_the_new_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run adding a pack at the end starts from the build of the packs before it; where another run is
    building those (its pack edited), it waits (inside the line a terminal shows while packs are compiled)
    and starts from that new build, a delta of the added pack alone, not from the build it first found."""
    mine, added = tmp_path / "mine.yaml", tmp_path / "added.yaml"
    before, paths = [*PACKS, str(mine)], [*PACKS, str(mine), str(added)]
    _edit(
        added,
        "meta: {title: Added, version: '1'}\nsources:\n  - {id: added, short_name: A, name: A, kind: secondary}\n",
    )
    _edit(mine, SOURCE.format(v=1) + CLUSTER.format(v=1))
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "kept"))
    cache.load_kb(before, shipped=False).conn.close()
    _edit(mine, SOURCE.format(v=2) + CLUSTER.format(v=2))
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "other"))  # the other run's build, made beforehand
    cache.load_kb(before, shipped=False).conn.close()
    made = sorted((tmp_path / "other").glob("*.sqlite"))
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "kept"))
    # the other run is building the packs before the added one
    answer, said = _load_while_another_builds(
        monkeypatch,
        paths,
        _lock_of(cache.cache_file(before)),
        made,
        tmp_path / "kept",
        lambda kb: kb.get("cluster", "mine-hefei-chips")["name"],
    )
    assert answer == ["My Hefei chip testing cluster 2"] and said == ["compiling", "done"]
    assert deltas_of(cache.cache_file(paths)) == "1"  # the new build's (a full one) and the added pack's


def _load_while_another_builds(
    monkeypatch: pytest.MonkeyPatch,
    paths: list[str],
    lock: str,
    made: list[Path],
    into: Path,
    ask: Any,
    changing: str | None = None,
) -> tuple[list[Any], list[str]]:
    """Load `paths` on a thread of its own while `lock` is held as another run's build holds it (and the file
    `changing` held alone, as a delta changing that build where it stands holds it); once the load waits
    (inside the line a terminal shows while packs are compiled), that run puts its build (`made`) in place in
    `into`, and lets go (of `changing` first). What `ask` read of the knowledge base loaded (or what the load
    raised), and what the line said; compiling every pack fails the load (the delta of a pack added at the end
    does not)."""
    import fcntl

    from clusters_cli.store import build

    def no_build(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("compiled every pack")

    monkeypatch.setattr(build, "build_database", no_build)
    waiting, said, answer = threading.Event(), [], []

    @contextlib.contextmanager
    def notice(_paths: Any) -> Iterator[None]:
        said.append("compiling")
        waiting.set()
        yield
        said.append("done")

    def run() -> None:
        try:
            kb = cache.load_kb(paths, shipped=False, building=notice)
            answer.append(ask(kb))
            kb.conn.close()
        except BaseException as failed:  # handed to the test's thread
            answer.append(failed)

    other = os.open(lock, os.O_RDWR | os.O_CREAT)
    fcntl.flock(other, fcntl.LOCK_EX)  # the other run is at work
    held = os.open(changing, os.O_RDONLY) if changing is not None else None
    try:
        if held is not None:
            fcntl.flock(held, fcntl.LOCK_EX)
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        assert waiting.wait(60) and answer == []
        for file in made:  # the other run puts its build in place, and lets go
            os.replace(file, into / file.name)
    finally:
        if held is not None:
            os.close(held)
        os.close(other)
    thread.join(60)
    return answer, said


def _build_of(path: str) -> str:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return str(conn.execute("SELECT value FROM meta WHERE key = 'build'").fetchone()[0])


def test_the_delta_build_answers_as_the_full_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the changed rows mean, asked of the knowledge base: the cluster is in Hefei and Anhui, the figure
    about yrd-ic (in three provinces) is the Yangtze River Delta's, and a search finds the new specialty."""
    mine = tmp_path / "mine.yaml"
    paths = [*PACKS, str(mine)]
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path))
    _edit(mine, SOURCE.format(v=1))
    cache.load_kb(paths, shipped=False).conn.close()
    _edit(mine, SOURCE.format(v=2) + CLUSTER.format(v=2) + FIGURES.format(n=40))
    kb = cache.load_kb(paths, shipped=False)
    assert deltas_of(cache.cache_file(paths)) == "1"
    assert [c["id"] for c in kb.clusters_in("city", "hefei")][-1] == "mine-hefei-chips"
    assert "mine-hefei-chips" in [c["id"] for c in kb.clusters_in("province", "anhui")]
    assert "mine-yrd-ic-lines" in [s["id"] for s in kb.statistics_in("region", "yrd")]
    found = kb.search_entities(r[2] for r in kb.search_texts_containing("wafer"))
    assert "mine-hefei-chips" in {ident for ident, _name in found.values()}


def _built_in(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str], str]:
    """(pack, packs, database) of the fixture packs and a pack of one's own (a source and a cluster) built in
    the cache folder `folder`, which stays the run's."""
    mine = folder.parent / "mine.yaml"
    paths = [*PACKS, str(mine)]
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(folder))
    _edit(mine, SOURCE.format(v=1) + CLUSTER.format(v=1))
    cache.load_kb(paths, shipped=False).conn.close()
    return mine, paths, cache.cache_file(paths)


def _file_of(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_ino, st.st_dev


@flocks
def test_a_delta_changes_its_packs_own_build_where_it_stands_unless_a_run_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build of the same packs is changed where it stands (the same file: no copy of a build that may be
    gigabytes), under a temporary name meanwhile; a run reading it holds it (its lock shared), and then the
    delta copies it instead, and the run reads the build it opened, whole, until it closes it. Either way the
    database is the one a full build makes."""
    import fcntl

    mine, paths, target = _built_in(tmp_path / "kept", monkeypatch)
    first = _file_of(target)
    copied: list[str] = []
    copy = copyfile.copy_file

    def copying(source: str, into: str) -> None:
        copied.append(os.path.basename(source))
        copy(source, into)

    monkeypatch.setattr(copyfile, "copy_file", copying)
    _edit(mine, SOURCE.format(v=2) + CLUSTER.format(v=2) + FIGURES.format(n=40))
    kb = cache.load_kb(paths, shipped=False)
    assert [c["id"] for c in kb.clusters_in("city", "hefei")][-1] == "mine-hefei-chips"
    assert deltas_of(target) == "1" and _file_of(target) == first and copied == []
    # the run reading it holds it: no delta may change it now, and the next copies it
    fd = os.open(target, os.O_RDONLY)
    try:
        with pytest.raises(BlockingIOError):
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        _edit(mine, SOURCE.format(v=3) + CLUSTER.format(v=3).replace("cities: [hefei]", "cities: [nanshan]"))
        again = cache.load_kb(paths, shipped=False)
        assert deltas_of(target) == "2" and _file_of(target) != first and copied == [os.path.basename(target)]
        assert [c["id"] for c in again.clusters_in("city", "nanshan")][-1] == "mine-hefei-chips"
        assert "mine-hefei-chips" not in [c["id"] for c in again.clusters_in("city", "hefei")]
        again.conn.close()
        # the first run's build is still the one it opened
        assert [c["id"] for c in kb.clusters_in("city", "hefei")][-1] == "mine-hefei-chips"
        kb.conn.close()
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # let go of, once closed
    finally:
        os.close(fd)
    assert _tables(target) == _tables(_full(paths, tmp_path / "full", monkeypatch))
    assert not [p for p in (tmp_path / "kept").iterdir() if p.name.startswith(".tmp-")]


@flocks
def test_a_build_is_read_holding_its_files_lock_shared_until_closed_or_collected(tmp_path: Path) -> None:
    """A run reads a build holding its file's lock shared (no delta may change it where it stands), let go of
    when the connection is closed, or collected; a build whose lock another holds alone (a delta changing it)
    is not read at all."""
    import fcntl
    import gc

    path = str(tmp_path / "build.sqlite")
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")

    def free() -> bool:
        return _free(path, fcntl.LOCK_EX)

    held = buildfiles.read_held(path)
    assert held is not None and not free()
    held.close()
    assert free()
    held = buildfiles.read_held(path)
    assert held is not None and not free()
    del held
    gc.collect()
    assert free()
    changing = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(changing, fcntl.LOCK_EX)
        assert buildfiles.read_held(path) is None
    finally:
        os.close(changing)
    assert buildfiles.read_held(str(tmp_path / "none.sqlite")) is None


@flocks
def test_a_run_finding_its_build_changed_where_it_stands_waits_for_that_run_and_reads_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run that finds its packs' build held alone (a delta changing it where it stands, which holds their
    lock too) reads nothing of it: it waits for that run, inside the line a terminal shows while packs are
    compiled, and then reads the build, compiling nothing itself."""
    _, paths, target = _built_in(tmp_path / "kept", monkeypatch)
    answer, said = _load_while_another_builds(
        monkeypatch,
        paths,
        _lock_of(target),
        [],
        tmp_path / "kept",
        lambda kb: kb.clusters_in("city", "hefei")[-1]["id"],
        changing=target,
    )
    assert answer == ["mine-hefei-chips"] and said == ["compiling", "done"]


@flocks
def test_a_run_that_cannot_hold_its_packs_lock_waits_for_a_delta_at_work_on_their_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where a run cannot hold its packs' lock (a cache folder it may only read), it cannot wait for a delta's
    build by that lock: it waits for the build's file instead, and reads the build, compiling nothing."""
    import fcntl

    from clusters_cli.store import build

    _, paths, target = _built_in(tmp_path / "kept", monkeypatch)

    @contextlib.contextmanager
    def unlocked(target: str, waiting: Any) -> Iterator[bool]:
        yield False

    def no_build(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("compiled every pack")

    monkeypatch.setattr(cachefolder, "building_alone", unlocked)
    monkeypatch.setattr(build, "build_database", no_build)
    flock, waiting, answer = fcntl.flock, threading.Event(), []

    def flocking(fd: int, how: int) -> None:
        if how == fcntl.LOCK_SH:  # a wait for the file
            waiting.set()
        flock(fd, how)

    monkeypatch.setattr(fcntl, "flock", flocking)

    def run() -> None:
        try:
            kb = cache.load_kb(paths, shipped=False)
            answer.append(kb.clusters_in("city", "hefei")[-1]["id"])
            kb.conn.close()
        except BaseException as failed:  # handed to the test's thread
            answer.append(failed)

    changing = os.open(target, os.O_RDONLY)  # the delta's hold of the file
    try:
        flock(changing, fcntl.LOCK_EX)
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        assert waiting.wait(60) and answer == []
    finally:
        os.close(changing)
    thread.join(60)
    assert answer == ["mine-hefei-chips"]


@flocks
def test_a_delta_checks_the_build_is_the_one_it_read_and_one_with_no_temporary_file_leaves_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The delta's checks refuse a build whose key is not the one read before (another run's, put in place
    meanwhile); and where no temporary file can be made (a full disk, a folder it may not write), the build
    stays as it was and the run answers from a build in memory."""
    import tempfile

    from clusters_cli.store import delta
    from clusters_cli.store.packs import parse_packs

    mine, paths, target = _built_in(tmp_path / "kept", monkeypatch)
    with contextlib.closing(open_build(target)) as conn:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        packs, _ = parse_packs([str(mine)])
        changed = [len(paths) - 1]
        assert delta._checked(conn, meta, paths, changed, packs).new["clusters"]
        with pytest.raises(delta.Unsure):
            delta._checked(conn, {**meta, "cache_key": "another"}, paths, changed, packs)

    before = Path(target).read_bytes()

    def no_file(*args: Any, **kwargs: Any) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", no_file)
    _edit(mine, SOURCE.format(v=2) + CLUSTER.format(v=2).replace("cities: [hefei]", "cities: [nanshan]"))
    kb = cache.load_kb(paths, shipped=False)
    assert [c["id"] for c in kb.clusters_in("city", "nanshan")][-1] == "mine-hefei-chips"
    kb.conn.close()
    assert Path(target).read_bytes() == before


@flocks
@pytest.mark.parametrize("files", ["one file", "with its file beside"])
def test_a_delta_refused_leaves_the_build_as_it_was_and_one_failing_leaves_no_half_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: str
) -> None:
    """A delta its checks refuse (Unsure: here a county only the changed pack names) has changed nothing of the
    build it would have changed in place; one that fails while it changes it (here a writer raising) leaves no
    file of it, under its name or a temporary one, and the full build answers."""
    from clusters_cli.store import build, delta

    if files == "with its file beside":
        monkeypatch.setattr(build, "PARALLEL_FROM", 0)  # the fixtures are small: fork the helper anyway
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    tried: list[bool | None] = []
    in_place = delta.write_in_place

    def writing(*args: Any, **kwargs: Any) -> bool | None:
        tried.append(in_place(*args, **kwargs))
        return tried[-1]

    monkeypatch.setattr(delta, "write_in_place", writing)
    mine, paths, target = _built_in(tmp_path / "kept", monkeypatch)
    held = {p.name: p.read_bytes() for p in (tmp_path / "kept").iterdir() if p.suffix == ".sqlite"}
    assert len(held) == (2 if files == "with its file beside" else 1)
    _edit(mine, SOURCE.format(v=2) + CLUSTER.format(v=2).replace("cities: [hefei]", "cities: [feixi]"))
    with cachefolder.building_alone(target, contextlib.nullcontext) as alone:
        assert alone and not delta.rebuild(paths, cache._cache_key(paths), {}, alone=True)
    assert tried == [False]  # refused by its checks, on the build where it stands
    assert {p.name: p.read_bytes() for p in (tmp_path / "kept").iterdir() if p.suffix == ".sqlite"} == held

    def failing(conn: sqlite3.Connection) -> None:
        raise ValueError("a writer failed")

    monkeypatch.setattr(delta, "write_spots", failing)
    _edit(mine, SOURCE.format(v=3) + CLUSTER.format(v=3) + FIGURES.format(n=41))
    with cachefolder.building_alone(target, contextlib.nullcontext) as alone:
        assert not delta.rebuild(paths, cache._cache_key(paths), {}, alone=True)
    assert tried == [False, False]
    assert sorted(p.name for p in (tmp_path / "kept").iterdir() if p.suffix == ".sqlite") == []
    kb = cache.load_kb(paths, shipped=False)
    assert [c["id"] for c in kb.clusters_in("city", "hefei")][-1] == "mine-hefei-chips"
    kb.conn.close()
    assert deltas_of(target) == "0"
    assert _tables(target) == _tables(_full(paths, tmp_path / "full", monkeypatch))
    assert not [p for p in (tmp_path / "kept").iterdir() if p.name.startswith(".tmp-")]


@pytest.mark.parametrize(
    ("later", "why"),
    [
        (SOURCE.format(v=2) + CLUSTER.format(v=2).replace("cities: [hefei]", "cities: [feixi]"), "a county"),
        (SOURCE.format(v=2) + CLUSTER.format(v=2) + "    same_as: anhui-electronics\n", "same_as"),
        (SOURCE.format(v=2) + "sectors:\n  - {id: mine-sector, name: Mine}\n", "a sector"),
    ],
)
def test_what_a_delta_cannot_replace_is_compiled_in_full(
    later: str, why: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A county only the pack names (it gains a point of its own), an entry joining another, a kind other
    than sources, clusters and figures: the full path, whose database (or problems) the build gives."""
    mine = tmp_path / "mine.yaml"
    paths = [*PACKS, str(mine)]
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "kept"))
    _edit(mine, SOURCE.format(v=1) + CLUSTER.format(v=1))
    cache.load_kb(paths, shipped=False).conn.close()
    _edit(mine, later)
    try:
        cache.load_kb(paths, shipped=False).conn.close()
    except InvalidKnowledgeBase:
        monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "full"))
        with pytest.raises(InvalidKnowledgeBase):
            cache.load_kb(paths, shipped=False)
        return
    assert deltas_of(cache.cache_file(paths)) == "0", why
    assert _tables(cache.cache_file(paths)) == _tables(_full(paths, tmp_path / "full", monkeypatch))


def test_a_pack_named_by_another_is_compiled_in_full(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A figure of an unchanged pack cites the changed pack's source: replacing that pack alone could drop what
    the other names, so the full build runs (and here reports the source gone)."""
    other, mine = tmp_path / "other.yaml", tmp_path / "mine.yaml"
    paths = [*PACKS, str(other), str(mine)]
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path))
    _edit(other, "meta: {title: Other}\n" + FIGURES.format(n=1).replace("mine-hefei-testers", "other-figure"))
    _edit(mine, SOURCE.format(v=1) + CLUSTER.format(v=1))
    cache.load_kb(paths, shipped=False).conn.close()
    _edit(mine, SOURCE.format(v=2).replace("mine-notes", "my-notes") + CLUSTER.format(v=2))
    with pytest.raises(InvalidKnowledgeBase) as raised:
        cache.load_kb(paths, shipped=False)
    assert "unknown source 'mine-notes'" in [p.message for p in raised.value.problems]


@pytest.mark.parametrize(
    ("broken", "said"),
    [
        ("cities: [atlantis]", "unknown city 'atlantis'"),  # names what no pack holds
        ("cities: [hefei]\n    provinces: [guangdong]", "its cities and parks lie outside its provinces"),
        ("cities: [hefei]\n    region: prd", "its places lie outside the region 'prd'"),
    ],
)
def test_a_broken_change_reports_what_a_full_build_reports(
    broken: str, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = tmp_path / "mine.yaml"
    paths = [*PACKS, str(mine)]
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "kept"))
    _edit(mine, SOURCE.format(v=1) + CLUSTER.format(v=1))
    cache.load_kb(paths, shipped=False).conn.close()
    _edit(mine, SOURCE.format(v=2) + CLUSTER.format(v=2).replace("cities: [hefei]", broken))
    assert [p.message for p in _refused_as_in_full(paths, tmp_path, monkeypatch)] == [said]


@pytest.mark.parametrize(
    ("unit", "series", "said"),
    [
        ("unit: percent", "key-nev-enterprises", "holds figures in enterprises: this one is in percent"),
        (
            "unit: currency\n    currency: USD\n    scale: billion",
            "anhui-pv-revenue",
            "in currency CNY: this one is in",
        ),
    ],
)
def test_a_changed_figure_joining_a_series_of_the_other_packs_is_checked_against_it(
    unit: str, series: str, said: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A series is a name, not a reference: a changed figure joining one the article pack holds, in another
    unit or currency, passed the delta's validation (no stand-in came with the name) and was served, where a
    full build refuses it. It is refused as the full build refuses it, and a figure in the series' own unit
    is still a delta."""
    mine = tmp_path / "mine.yaml"
    paths = [*PACKS, str(mine)]
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "kept"))
    figure = FIGURES.format(n=40).replace("cluster: mine-hefei-chips\n", f"region: yrd\n    series: {series}\n")
    _edit(mine, SOURCE.format(v=1) + CLUSTER.format(v=1))
    cache.load_kb(paths, shipped=False).conn.close()
    _edit(mine, SOURCE.format(v=2) + CLUSTER.format(v=2) + figure.replace("unit: enterprises", unit, 1))
    [problem] = _refused_as_in_full(paths, tmp_path, monkeypatch)
    assert f"series '{series}' " in problem.message and said in problem.message
    if series == "key-nev-enterprises":  # in the series' own unit: a delta, as any other figure
        monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "kept"))
        _edit(mine, SOURCE.format(v=3) + CLUSTER.format(v=3) + figure)
        cache.load_kb(paths, shipped=False).conn.close()
        assert deltas_of(cache.cache_file(paths)) == "1"


def _refused_as_in_full(paths: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The problems a build of these packs reports from the cache folder set (its builds kept), checked to be
    those a full build reports from a folder of its own."""
    with pytest.raises(InvalidKnowledgeBase) as kept:
        cache.load_kb(paths, shipped=False)
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "full"))
    with pytest.raises(InvalidKnowledgeBase) as full:
        cache.load_kb(paths, shipped=False)
    assert [str(p) for p in kept.value.problems] == [str(p) for p in full.value.problems]
    return list(kept.value.problems)


def _second(n: int) -> str:
    """A second pack of one's own, naming nothing of the first."""
    text = SOURCE.format(v=n) + FIGURES.format(n=n).replace("cluster: mine-hefei-chips", "cluster: yrd-ic")
    for mine, its in (("mine-notes", "second-notes"), ("mine-", "second-"), ("title: Mine", "title: Second")):
        text = text.replace(mine, its)
    return text


def test_only_a_change_at_the_end_of_the_list_is_a_delta(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two packs of one's own: a change of the first alone is not at the end (its entries come before the
    second's in every section), so the whole is compiled; a change of both is, and is replaced."""
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    paths = [*PACKS, str(first), str(second)]
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "kept"))
    _edit(first, SOURCE.format(v=1) + CLUSTER.format(v=1))
    _edit(second, _second(1))
    cache.load_kb(paths, shipped=False).conn.close()
    _edit(first, SOURCE.format(v=2) + CLUSTER.format(v=2))
    cache.load_kb(paths, shipped=False).conn.close()
    assert deltas_of(cache.cache_file(paths)) == "0"
    _edit(first, SOURCE.format(v=3) + CLUSTER.format(v=3) + PARKED)
    _edit(second, _second(2))
    cache.load_kb(paths, shipped=False).conn.close()
    assert deltas_of(cache.cache_file(paths)) == "1"
    assert _tables(cache.cache_file(paths)) == _tables(_full(paths, tmp_path / "full", monkeypatch))


def test_after_so_many_deltas_the_build_is_full_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each delta adds a segment to the trigram index: after MAX_DELTAS in a row, one full build."""
    from clusters_cli.store import delta

    monkeypatch.setattr(delta, "MAX_DELTAS", 2)
    mine = tmp_path / "mine.yaml"
    paths = [*PACKS, str(mine)]
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path))
    seen = []
    for v in range(1, 6):
        _edit(mine, SOURCE.format(v=v) + CLUSTER.format(v=v))
        cache.load_kb(paths, shipped=False).conn.close()
        seen.append(deltas_of(cache.cache_file(paths)))
    assert seen == ["0", "1", "2", "0", "1"]


@pytest.mark.parametrize(
    ("added", "deltas"),
    [
        ([SOURCE.format(v=4) + FIRMS.format(v=4) + CLUSTER.format(v=4) + NAMING + FIGURES.format(n=42)], "1"),
        ([SOURCE.format(v=3) + CLUSTER.format(v=3) + PARKED, _second(1)], "1"),  # two packs at once
        # a county only the pack names gains a point of its own: compiled in full
        ([SOURCE.format(v=2) + CLUSTER.format(v=2).replace("cities: [hefei]", "cities: [feixi]")], "0"),
    ],
)
def test_a_pack_added_at_the_end_starts_from_the_build_of_the_packs_before_it(
    added: list[str], deltas: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first run with packs of one's own beside packs already compiled (the shipped ones, for a user): that
    build is copied and the added packs' rows written, and the database is the one a full build makes; the
    build of the packs before them is left as it was, for the runs without them."""
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "kept"))
    cache.load_kb(PACKS, shipped=False).conn.close()
    before = _tables(cache.cache_file(PACKS))
    paths = list(PACKS)
    for i, text in enumerate(added):
        _edit(tmp_path / f"mine{i}.yaml", text)
        paths.append(str(tmp_path / f"mine{i}.yaml"))
    cache.load_kb(paths, shipped=False).conn.close()
    kept, theirs = cache.cache_file(paths), cache.cache_file(PACKS)
    assert deltas_of(kept) == deltas
    assert _tables(kept) == _tables(_full(paths, tmp_path / "full", monkeypatch))
    assert _tables(theirs) == before and deltas_of(theirs) == "0"


def test_a_change_before_the_end_starts_from_the_build_of_the_packs_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two packs of one's own whose first changed: the last build of all of them cannot serve (the change is not
    at the end), the build of the packs before both can, and both are written again there."""
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    paths = [*PACKS, str(first), str(second)]
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "kept"))
    cache.load_kb(PACKS, shipped=False).conn.close()
    _edit(first, SOURCE.format(v=1) + CLUSTER.format(v=1))
    _edit(second, _second(1))
    cache.load_kb(paths, shipped=False).conn.close()
    assert deltas_of(cache.cache_file(paths)) == "1"
    _edit(first, SOURCE.format(v=2) + CLUSTER.format(v=2) + PARKED)
    cache.load_kb(paths, shipped=False).conn.close()
    kept = cache.cache_file(paths)
    assert deltas_of(kept) == "1"  # from the packs' build again, not from the last one
    assert _tables(kept) == _tables(_full(paths, tmp_path / "full", monkeypatch))


def test_a_key_of_more_packs_counts_those_it_adds_as_changed(tmp_path: Path) -> None:
    a, b, c = (tmp_path / f"{n}.yaml" for n in "abc")
    for pack in (a, b, c):
        _edit(pack, SOURCE.format(v=1))
    ab, abc = cache._cache_key([str(a), str(b)]), cache._cache_key([str(a), str(b), str(c)])
    assert cache.changed_packs(ab, abc) == [2]
    assert cache.changed_packs(abc, abc) == []
    assert cache.changed_packs(abc, ab) is None  # fewer packs: not a build to start from
    assert cache.changed_packs(cache._cache_key([str(b), str(a)]), abc) is None  # another order
    assert cache.changed_packs(cache._cache_key([str(a), str(c)]), abc) is None  # another pack
    _edit(b, SOURCE.format(v=2))
    assert cache.changed_packs(ab, cache._cache_key([str(a), str(b), str(c)])) == [1, 2]


def test_after_so_many_deltas_the_build_of_the_packs_before_is_the_fresh_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from clusters_cli.store import delta

    monkeypatch.setattr(delta, "MAX_DELTAS", 2)
    mine = tmp_path / "mine.yaml"
    paths = [*PACKS, str(mine)]
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "kept"))
    cache.load_kb(PACKS, shipped=False).conn.close()
    seen = []
    for v in range(1, 5):
        _edit(mine, SOURCE.format(v=v) + CLUSTER.format(v=v))
        cache.load_kb(paths, shipped=False).conn.close()
        seen.append(deltas_of(cache.cache_file(paths)))
    assert seen == ["1", "2", "1", "2"]
    kept = cache.cache_file(paths)
    assert _tables(kept) == _tables(_full(paths, tmp_path / "full", monkeypatch))


@pytest.mark.parametrize(
    "broken",
    [
        "meta: {title: Mine}\nsources:\n  id: my-notes\n  name: My notes\n",  # a section that is no list
        "meta: {title: Mine}\nclusters: 5\n",
        "meta: {title: Mine}\nclusters: [oops]\n",  # an entry that is no mapping
        "meta: 5\n",
        "meta:\nsources:\n  - {id: my-notes, short_name: N, name: My notes, kind: secondary}\n",
    ],
)
@pytest.mark.parametrize("how", ["added", "edited"])
def test_a_pack_the_schema_refuses_is_reported_as_a_full_build_reports_it(
    broken: str, how: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The delta reads the changed packs' sections as the schema shapes them: a pack of another shape, added
    beside a compiled knowledge base or edited into that shape, goes to the full path and is reported."""
    mine = tmp_path / "mine.yaml"
    paths = [*PACKS, str(mine)]
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "kept"))
    if how == "added":
        cache.load_kb(PACKS, shipped=False).conn.close()
    else:
        _edit(mine, SOURCE.format(v=1) + CLUSTER.format(v=1))
        cache.load_kb(paths, shipped=False).conn.close()
    _edit(mine, broken)
    assert _refused_as_in_full(paths, tmp_path, monkeypatch)


def test_a_change_is_checked_against_the_entries_as_written_not_as_joined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A region of another pack joins prd (same_as) and brings Anhui: the compiled prd holds it, the prd the
    full validation reads does not. A cluster in Hefei placed in prd is refused by a full build, so by the
    delta too (it reads a joined entity as a stand-in: the full path runs)."""
    other, mine = tmp_path / "other.yaml", tmp_path / "mine.yaml"
    paths = [*PACKS, str(other), str(mine)]
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "kept"))
    _edit(
        other,
        "meta: {title: Other}\nregions:\n  - {id: prd-outline, same_as: prd, name: PRD outline,"
        " kind: economic_region, summary: Its members., provinces: [guangdong, anhui], cities: []}\n",
    )
    _edit(mine, SOURCE.format(v=1) + CLUSTER.format(v=1))
    cache.load_kb(paths, shipped=False).conn.close()
    _edit(mine, SOURCE.format(v=2) + CLUSTER.format(v=2).replace("cities: [hefei]", "cities: [hefei]\n    region: prd"))
    assert [p.message for p in _refused_as_in_full(paths, tmp_path, monkeypatch)] == [
        "its places lie outside the region 'prd'"
    ]


def test_an_entry_that_joined_another_is_taken_back_by_a_full_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pack's cluster joined anhui-pv (same_as), which holds its alias and Chinese name; the entry is gone
    from the compiled entities, so only a full build knows to take those back when the pack drops it."""
    mine = tmp_path / "mine.yaml"
    paths = [*PACKS, str(mine)]
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "kept"))
    _edit(mine, SOURCE.format(v=1) + CLUSTER.format(v=1) + "    same_as: anhui-pv\n    name_zh: 我的芯片\n")
    cache.load_kb(paths, shipped=False).conn.close()
    _edit(mine, SOURCE.format(v=2))
    cache.load_kb(paths, shipped=False).conn.close()
    kept = cache.cache_file(paths)
    assert deltas_of(kept) == "0"
    assert _tables(kept) == _tables(_full(paths, tmp_path / "full", monkeypatch))
