"""The parse cache only ever saves time: damaged, unwritable, stale or raced,
every run still gives the right answer."""

from __future__ import annotations

import contextlib
import io
import os
import re
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from helpers import ARTICLE, PLACES, ROOT, cli, copied_packs, data_args, env_of, fixture_text, forks, write

from clusters_cli.store.cache import cache_file


def answer(*args: str, data: list[str] | None = None) -> dict:
    extra = data_args(data) if data else []
    r = cli(*extra, *args, "--json")
    assert r.exit_code == 0, r.stderr
    return r.json()


def test_first_run_writes_the_cache_and_second_run_reads_it(isolated: Path, tmp_path: Path) -> None:
    path = copied_packs(tmp_path)
    first = answer("province", "Anhui", data=path)
    cached = Path(cache_file(path))
    assert cached.exists() and cached.parent == isolated
    stamp = (cached.stat().st_ino, cached.read_bytes())
    assert answer("province", "Anhui", data=path) == first
    assert (cached.stat().st_ino, cached.read_bytes()) == stamp  # read, not rewritten (a build is a new file)


def test_a_cache_folder_named_with_uri_characters_is_read_and_nothing_is_written_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache is opened read-only through a `file:` URI: a `?`, `#` or `%` in the folder's name is escaped,
    so the file opened is the one written (not `.../odd`, with the rest read as a query or fragment), the
    second run reads it, and a delta build reads the last build's there too."""
    from clusters_cli.store.cache import load_kb

    folder = tmp_path / "odd?mode=rwc#x %41"
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(folder))
    path = copied_packs(tmp_path)
    first = answer("province", "Anhui", data=path)
    cached = Path(cache_file(path))
    assert cached.parent == folder and cached.exists()
    stamp = (cached.stat().st_ino, cached.read_bytes())
    assert answer("province", "Anhui", data=path) == first
    assert (cached.stat().st_ino, cached.read_bytes()) == stamp  # read, not rewritten (a build is a new file)
    mine = tmp_path / "mine.yaml"
    mine.write_text("meta: {title: Mine}\nsources:\n  - {id: mine, short_name: M, name: M, kind: secondary}\n")
    load_kb([*path, str(mine)], shipped=False).conn.close()  # from the build above: its meta read there
    with contextlib.closing(sqlite3.connect(cache_file([*path, str(mine)]))) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'deltas'").fetchone() == ("1",)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["odd?mode=rwc#x %41", "mine.yaml", *(Path(p).name for p in path)]
    )


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "foreign-sqlite"])
def test_corrupted_cache_is_ignored_and_rebuilt(tmp_path: Path, damage: str) -> None:
    path = copied_packs(tmp_path)
    expected = answer("province", "Anhui", data=path)
    cached = Path(cache_file(path))
    blob = cached.read_bytes()
    if damage == "garbage":
        cached.write_bytes(os.urandom(len(blob)))
    elif damage == "truncated":
        cached.write_bytes(blob[: len(blob) // 2])
    elif damage == "empty":
        cached.write_bytes(b"")
    else:
        import sqlite3

        cached.unlink()
        conn = sqlite3.connect(cached)
        conn.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        conn.commit()
        conn.close()
    assert answer("province", "Anhui", data=path) == expected
    assert answer("sector", "chips", data=path)["sector"]["id"] == "semiconductors"


def test_cache_that_breaks_in_use_is_dropped_and_rebuilt(tmp_path: Path) -> None:
    # Damage past the header: the file still looks whole, a query fails, the run recovers.
    path = copied_packs(tmp_path)
    expected = answer("city", "Nantong", data=path)
    cached = Path(cache_file(path))
    blob = bytearray(cached.read_bytes())
    page = int.from_bytes(blob[16:18], "big")
    for i in range(page, len(blob)):
        blob[i] = 0xA5
    cached.write_bytes(bytes(blob))
    assert answer("city", "Nantong", data=path) == expected


def test_unwritable_cache_directory_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = copied_packs(tmp_path)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(blocker / "cache"))
    assert answer("province", "Anhui", data=path)["province"]["id"] == "anhui"
    # /proc refuses new folders even to root, which ignores permission bits (CI runs as root)
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", "/proc/clusters-cache-test")
    assert answer("province", "Anhui", data=path)["province"]["id"] == "anhui"
    assert not Path("/proc/clusters-cache-test").exists()


def test_changed_file_is_reloaded_not_served_from_cache(tmp_path: Path) -> None:
    path = copied_packs(tmp_path)
    assert answer("province", "Anhui", data=path)["province"]["name"] == "Anhui"
    places, article = path[0], path[1]
    Path(places).write_text(
        fixture_text(PLACES).replace("name: Anhui, official_name:", "name: Anhwei, official_name:"), encoding="utf-8"
    )
    os.utime(places, ns=(os.stat(places).st_atime_ns, os.stat(places).st_mtime_ns + 1_000_000_000))
    assert answer("province", "Anhui", data=path)["province"]["name"] == "Anhwei"
    # and a file changed into an invalid one is reported, not served stale
    Path(article).write_text(fixture_text(ARTICLE).replace("usd_value: 650", "usd_value: 750"), encoding="utf-8")
    os.utime(article, ns=(os.stat(article).st_atime_ns, os.stat(article).st_mtime_ns + 2_000_000_000))
    r = cli(*data_args(path), "province", "Anhui")
    assert r.exit_code == 3 and "(id: guangdong-electronics-revenue-2022)" in r.stderr


def test_an_edit_whose_time_was_set_back_and_a_link_turned_are_both_seen(tmp_path: Path) -> None:
    """Same size, same modification time: `touch -r` after an edit, or a link turned to another file copied
    with its time (cp -p, tar). The change time and the inode tell them apart."""
    path = copied_packs(tmp_path)
    places = Path(path[0])
    assert answer("province", "Anhui", data=path)["province"]["name"] == "Anhui"
    stamp = places.stat()
    places.write_text(fixture_text(PLACES).replace("name: Anhui,", "name: Anhwi,"), encoding="utf-8")
    os.utime(places, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))  # `touch -r` from a copy of the old one
    assert places.stat().st_size == stamp.st_size and places.stat().st_mtime_ns == stamp.st_mtime_ns
    assert answer("province", "Anhui", data=path)["province"]["name"] == "Anhwi"

    linked = [str(tmp_path / "linked.yaml"), *path[1:]]
    one, other = tmp_path / "one.yaml", tmp_path / "other.yaml"
    one.write_text(fixture_text(PLACES).replace("name: Anhui,", "name: Anhwa,"), encoding="utf-8")
    other.write_text(fixture_text(PLACES).replace("name: Anhui,", "name: Anhwe,"), encoding="utf-8")
    os.utime(other, ns=(one.stat().st_atime_ns, one.stat().st_mtime_ns))
    os.symlink(one, linked[0])
    assert answer("province", "Anhui", data=linked)["province"]["name"] == "Anhwa"
    os.remove(linked[0])
    os.symlink(other, linked[0])
    assert answer("province", "Anhui", data=linked)["province"]["name"] == "Anhwe"


def test_parallel_first_runs_all_answer_right(tmp_path: Path, isolated: Path) -> None:
    path = copied_packs(tmp_path)
    env = {
        **os.environ,
        "CLUSTERS_CACHE_DIR": str(isolated / "race"),
        **env_of(path),
    }

    def one(_: int) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "clusters_cli", "province", "Anhui", "--json"],
            capture_output=True,
            env=env,
            cwd=str(ROOT),
            timeout=120,
        )

    with ThreadPoolExecutor(max_workers=2) as pool:  # two first runs race, one on each core
        results = list(pool.map(one, range(2)))
    outputs = {r.stdout for r in results}
    assert all(r.returncode == 0 for r in results), [r.stderr for r in results if r.returncode]
    assert len(outputs) == 1 and b'"id":"anhui"' in outputs.pop()
    leftovers = [p.name for p in (isolated / "race").iterdir() if p.name.startswith(".tmp-")]
    assert leftovers == []
    assert answer("province", "Anhui", data=path)["province"]["id"] == "anhui"


def test_each_load_opens_the_cache_as_it_is_now(isolated: Path, tmp_path: Path) -> None:
    # no in-process memo of the last KB (a cache layer no user's command benefits from): a second load
    # reads the cache file again, and answers alike
    from clusters_cli import load_kb

    path = copied_packs(tmp_path)
    first = load_kb(path, shipped=False)
    second = load_kb(path, shipped=False)
    assert second is not first
    assert second.get("province", "anhui") == first.get("province", "anhui") != None  # noqa: E711


# Views share the entities the knowledge base decoded: asking again, in any order, must not see changes.
AGAIN = [
    ("province", "Anhui"),
    ("sector", "semiconductors", "--json"),
    ("city", "Shenzhen"),
    ("list", "clusters", "--sort", "name", "--reverse", "--format", "csv"),
    ("near", "Suzhou", "--km", "60", "--json"),
    ("rank", "provinces", "--sector", "wind", "--json"),
    ("compare", "Anhui", "Jiangsu", "--json"),
    ("stats", "--province", "Anhui"),
    ("search", "wind", "--json"),
    ("cluster", "yrd-nev", "--json"),
]


def test_an_answer_is_the_same_when_asked_again_in_one_process() -> None:
    first = {args: cli(*args) for args in AGAIN}
    for args in reversed(AGAIN):
        again = cli(*args)
        assert (again.exit_code, again.stdout, again.stderr) == (
            first[args].exit_code,
            first[args].stdout,
            first[args].stderr,
        ), args


def test_relations_and_packs_read_for_many_are_what_one_at_a_time_reads(shared_cache: Path) -> None:
    """KB.prefetch_keys and KB.remember_packs (a view's rows read a query per relation) answer as related()
    and primary_source_of() do alone, keys the relation lacks included."""
    from helpers import PACKS, load_through

    from clusters_cli.store.relations import Rel, ref_relation

    alone, batched = load_through(shared_cache, PACKS), load_through(shared_cache, PACKS)
    ids = [c["id"] for c in alone.all("cluster")] + ["no-such-cluster"]
    for relation in (Rel.CLUSTER_CITIES, Rel.CLUSTER_PROVINCES, ref_relation("statistic", "cluster")):
        batched.prefetch_keys(relation, ids)
        assert [batched.related(relation, i) for i in ids] == [alone.related(relation, i) for i in ids]
    assert any(alone.related(Rel.CLUSTER_CITIES, i) for i in ids) and not alone.related(Rel.CLUSTER_CITIES, ids[-1])
    batched.remember_packs("cluster", ids)
    assert [batched.primary_source_of("cluster", i) for i in ids] == [
        alone.primary_source_of("cluster", i) for i in ids
    ]
    assert {alone.primary_source_of("cluster", i) for i in ids} > {None}


def test_each_reads_what_all_reads_in_its_order(shared_cache: Path) -> None:
    """KB.each (a list of every row reads the entities a batch at a time and lets them go) yields what all()
    returns, in file order, for every kind, whether or not all() has been read first."""
    from helpers import PACKS, load_through

    from clusters_cli.model import KINDS

    streamed, whole = load_through(shared_cache, PACKS), load_through(shared_cache, PACKS)
    for kind in KINDS:
        expected = whole.all(kind)
        assert list(streamed.each(kind)) == expected == list(whole.each(kind)), kind
    assert len(whole.all("city")) > 10
    # an entity already read is yielded as read (one object a run), the others decoded a batch at a time
    fresh = load_through(shared_cache, PACKS)
    hefei = fresh.get("city", "hefei")
    assert next(e for e in fresh.each("city") if e["id"] == "hefei") is hefei


def test_each_reads_every_batch_in_order(tmp_path: Path) -> None:
    """KB.each decodes a thousand rows at a time: 2,345 sources, three batches, come whole and in file order."""
    from helpers import PACKS, load_through, own_pack, write

    many = "".join(f"  - {{id: s{i:04d}, short_name: S{i}, name: Source {i}, kind: secondary}}\n" for i in range(2345))
    kb = load_through(
        tmp_path / "cache", [*PACKS, write(tmp_path, own_pack().replace("sources:\n", "sources:\n" + many))]
    )
    read = [e["id"] for e in kb.each("source")]
    mine = [i for i in read if i.startswith("s") and i[1:].isdigit()]
    assert mine == [f"s{i:04d}" for i in range(2345)] and len(read) == len(set(read)) == kb.counts()["sources"]


def test_clusters_mentioning_a_term_as_whole_words_are_those_a_plain_reading_finds(kb: Any) -> None:
    """KB.clusters_mentioning looks each specialty's runs of words up in the set of terms; it must find what
    reading every specialty for " term " finds: whole words and runs of them, not parts of words, not runs
    across two specialties, in knowledge-base order."""
    from clusters_cli.store.searchtext import fold

    clusters = kb.all("cluster")
    specialties = {c["id"]: [f" {fold(sp)} " for sp in c.get("specialties", [])] for c in clusters}
    words = sorted({w for sps in specialties.values() for sp in sps for w in sp.split()})
    runs = sorted(
        {
            " ".join(sp.split()[i:j])
            for sps in specialties.values()
            for sp in sps
            for i in range(4)
            for j in range(i + 2, 5)
        }
    )
    askings = [[w] for w in words] + [[r] for r in runs] + [[w[1:], w[:-1]] for w in words if len(w) > 2]
    askings += [words[::3], runs[::2], ["displays integrated", "garments home", "chip design packaging"], ["", "ic"]]
    found = 0
    for terms in askings:
        expected = [c["id"] for c in clusters if any(f" {t} " in sp for sp in specialties[c["id"]] for t in terms if t)]
        assert kb.clusters_mentioning(terms) == expected, terms
        found += len(expected)
    assert found > 40 and kb.clusters_mentioning(["garments home"]) == []


def test_clusters_mentioning_reads_the_words_of_its_terms_and_only_a_long_runs_specialties(kb: Any) -> None:
    """The clusters whose specialties hold a term are found in the words table (each word of each specialty
    with its place and its cluster): a word's rows; a run's first word's places, each looked up in the second's
    by the key; only a run of three words or more then reads the specialties holding its first two, by row (at
    100 times the shipped data, the specialties holding the first word of a name of the semiconductors stood on
    2,235 pages of the search table). Then the clusters are put in knowledge-base order."""

    def tables(terms: list[str]) -> list[list[str]]:
        asked = _statements(kb, lambda kb: kb.clusters_mentioning(terms))
        for sql in asked:
            if "CROSS JOIN" in sql:
                plan = _plan(kb, sql)
                assert plan == (
                    "SEARCH w0 USING PRIMARY KEY (word=?) / SEARCH w1 USING PRIMARY KEY (word=? AND row=? AND at=?)"
                ), plan
            if "FROM search" in sql:
                assert _plan(kb, sql) == "SEARCH search USING INTEGER PRIMARY KEY (rowid=?)", sql
        return [re.findall(r"\b(?:FROM|JOIN) (\w+)", sql) for sql in asked]

    assert tables(["ic", "displays"]) == [["words"], ["entities"]]
    assert tables(["ic", "chip design"]) == [["words"], ["words", "words"], ["entities"]]
    assert tables(["packaging and testing", "flat panel display"]) == [
        ["words", "words"],
        ["words", "words"],
        ["search"],
        ["entities"],
    ]
    # a cluster found already is not compared again: the same cluster's specialties hold both
    assert tables(["packaging and testing", "chip design"]) == [["words", "words"], ["words", "words"], ["entities"]]
    either = set(kb.clusters_mentioning(["ic"])) | set(kb.clusters_mentioning(["chip design"]))
    assert kb.clusters_mentioning(["ic", "chip design"]) == [c["id"] for c in kb.all("cluster") if c["id"] in either]
    assert len(either) > len(kb.clusters_mentioning(["ic"])) > 0
    assert kb.clusters_mentioning(["packaging and testing"]) and not kb.clusters_mentioning(["packaging and design"])


def test_a_copy_of_a_pack_is_not_parsed_again_and_a_changed_one_is(
    isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import clusters_cli.store.yamlfile as yamlfile

    parsed: list[str] = []
    real = yamlfile.parse_text
    monkeypatch.setattr(
        yamlfile,
        "parse_text",
        lambda path, text, locate=True, **how: parsed.append(path) or real(path, text, locate, **how),
    )
    _, article, pages = copied_packs(tmp_path)
    a, b = write(tmp_path, fixture_text(PLACES), "a.yaml"), write(tmp_path, fixture_text(PLACES), "b.yaml")
    assert answer("province", "Anhui", data=[a, article, pages])["province"]["name"] == "Anhui"
    assert parsed == [a, article, pages]
    assert answer("province", "Anhui", data=[b, article, pages])["province"]["name"] == "Anhui"
    assert parsed == [a, article, pages]  # b holds a's bytes: its parse is a's; the others are unchanged
    changed = fixture_text(PLACES).replace("name: Anhui, official_name:", "name: Anhwei, official_name:")
    c = write(tmp_path, changed, "c.yaml")
    assert answer("province", "Anhui", data=[c, article, pages])["province"]["name"] == "Anhwei"
    assert parsed == [a, article, pages, c]


def test_a_problem_in_a_pack_read_from_its_checked_parse_still_names_its_line(tmp_path: Path) -> None:
    # the checked parse keeps no locations: a problem to report has its pack parsed again to say where
    sect = write(
        tmp_path,
        "meta: {title: sect, version: '1'}\n"
        "sectors:\n  - {id: mine-sector, name: Mine sector, synonyms: [], summary: A test sector.}\n",
        "sect.yaml",
    )
    mine = write(
        tmp_path,
        "meta: {title: mine, version: '1'}\n"
        "sources:\n  - {id: mine-src, short_name: Mine, name: Mine, kind: secondary}\n"
        "clusters:\n  - id: mine-one\n    name: Mine one\n    sector: mine-sector\n    status: established\n"
        "    summary: A test.\n    provinces: [anhui]\n    locator: {source: mine-src, where: here}\n",
        "mine.yaml",
    )
    env = {"CLUSTERS_CACHE_DIR": str(tmp_path / "cache")}
    assert cli(*data_args([PLACES, ARTICLE, sect, mine]), "info", env=env).exit_code == 0  # mine's parse kept
    assert sorted(p.name.count(".") for p in (tmp_path / "cache").glob("pack-*")) == [1, 1, 1, 1]  # no locations
    r = cli(*data_args([PLACES, ARTICLE, mine]), "info", env=env)  # its sector's pack left out
    assert r.exit_code == 3
    assert f"{mine}:7:13: clusters[0] (id: mine-one).sector: unknown sector 'mine-sector'" in r.stderr


def _tables(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table of a compiled database, the file its helper left beside it too (attached as the
    tool attaches it: its meta names it), and what its trigram index finds."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        beside = conn.execute("SELECT value FROM meta WHERE key = 'beside'").fetchone() is not None
        if (
            beside
        ):  # a build's own file beside it (store/writers.py): the tool names it afresh, by the build, once built
            conn.execute("ATTACH DATABASE ? AS beside", (f"{path}.helper",))
            assert (
                conn.execute("SELECT * FROM beside.meta").fetchall()
                == conn.execute("SELECT * FROM main.meta WHERE key = 'build'").fetchall()
            )
        schemas = ["main", "beside"] if beside else ["main"]
        # each table's rows with their rowids where it has them (near reads its points in rowid order)
        tables = sorted(
            (t, sql, schema)
            for schema in schemas
            for t, sql in conn.execute(f"SELECT name, sql FROM {schema}.sqlite_master WHERE type = 'table'")
            if (schema, t) != ("beside", "meta")
        )
        rows = {
            t: conn.execute(f'SELECT {"" if "WITHOUT ROWID" in sql else "rowid, "}* FROM {schema}."{t}"').fetchall()
            for t, sql, schema in tables
            if not t.startswith("search_tri")
        }
        # each build names itself afresh (writers.new_build), and says whether a file stands beside it: the rest
        # of meta is compared
        rows["meta"] = [row for row in rows["meta"] if row[1] not in ("build", "beside")]
        rows["trigrams"] = conn.execute("SELECT rowid FROM search_tri WHERE search_tri MATCH 'nhu'").fetchall()
        rows["indexes"] = sorted(
            row
            for schema in schemas
            for row in conn.execute(f"SELECT name, sql FROM {schema}.sqlite_master WHERE type = 'index'")
            if (schema, row[1]) != ("beside", None)  # its meta's key
        )
        return rows
    finally:
        conn.close()


def _build(path: Path, helper: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from clusters_cli.paths import pack_paths
    from clusters_cli.store import build
    from clusters_cli.store.packs import load_fresh

    monkeypatch.setattr(build, "PARALLEL_FROM", 0)  # the fixtures are small: fork the helper anyway
    conn = sqlite3.connect(path)
    try:
        build.build_database(conn, *load_fresh(pack_paths([])), "k", helper_file=f"{path}.helper" if helper else None)
    finally:
        conn.close()


@forks
@pytest.mark.parametrize("first", ["this process", "the helper", "either"])
def test_a_build_with_the_helper_process_is_the_build_without_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, first: str
) -> None:
    """Whichever process asks first for the entities' rows writes them, in its own file; the build is the same."""
    import sqlite3

    from clusters_cli.store import build

    parent, take = os.getpid(), build._Token.take
    if first != "either":  # the other asks only once the one asking first has its answer
        monkeypatch.setattr(build._Token, "take", lambda self: take(self) if _first(parent, first) else False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})  # two cores, whatever runs the test
    _build(tmp_path / "alone.db", False, monkeypatch)
    _build(tmp_path / "helped.db", True, monkeypatch)
    alone, helped = _tables(tmp_path / "alone.db"), _tables(tmp_path / "helped.db")
    assert len(alone["entities"]) == 77 and alone["trigrams"] and alone == helped
    # the helper's file stays, beside the database that names it, the entities in one of the two
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alone.db", "helped.db", "helped.db.helper"]
    held = [
        f.name
        for f in (tmp_path / "helped.db", tmp_path / "helped.db.helper")
        if sqlite3.connect(f).execute("SELECT 1 FROM sqlite_master WHERE name = 'entities'").fetchone()
    ]
    assert (
        held == {"this process": ["helped.db"], "the helper": ["helped.db.helper"]}.get(first, held) and len(held) == 1
    )


def _first(parent: int, first: str) -> bool:
    return (os.getpid() == parent) == (first == "this process")


def test_a_job_either_process_may_do_is_taken_once() -> None:
    from clusters_cli.store.build import _Token

    token = _Token()
    try:
        assert [token.take(), token.take(), token.take()] == [True, False, False]
    finally:
        token.close()


@forks
@pytest.mark.parametrize(
    "failing", ["write_name_keys", "write_relation_rows", "write_points", "write_spots", "write_entity_rows"]
)
def test_a_helper_that_fails_is_replaced_by_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    """Whichever of its tables the helper fails at, this process writes them all, once: the entities' too,
    which the helper asked for first (here always), whether it failed before writing them or while it did."""
    from clusters_cli.store import build, writers

    parent, write, take = os.getpid(), getattr(writers, failing), build._Token.take
    monkeypatch.setattr(build._Token, "take", lambda self: take(self) if _first(parent, "the helper") else False)

    def fails_in_the_helper(*args: object) -> None:
        if os.getpid() != parent:
            raise MemoryError
        write(*args)

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    _build(tmp_path / "alone.db", False, monkeypatch)
    monkeypatch.setattr(writers, failing, fails_in_the_helper)
    _build(tmp_path / "helped.db", True, monkeypatch)
    assert _tables(tmp_path / "alone.db") == _tables(tmp_path / "helped.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alone.db", "helped.db"]


@forks
def test_an_interrupted_build_stops_its_helper_and_leaves_no_file(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import signal
    import time

    from clusters_cli.store import build, cache, writers

    forked: list[int] = []
    ended: list[int] = []
    fork, waitpid = os.fork, os.waitpid

    def recorded() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    def reaped(pid: int, options: int) -> tuple[int, int]:
        ended.append((found := waitpid(pid, options))[1])
        return found

    def slow(*args: object) -> None:  # the helper is still at work when this process is interrupted
        time.sleep(5)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "PARALLEL_FROM", 0)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(os, "fork", recorded)
    monkeypatch.setattr(os, "waitpid", reaped)
    monkeypatch.setattr(writers, "write_name_keys", slow)
    monkeypatch.setattr(writers, "write_all_search_texts", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.load_kb()
    assert len(forked) == 1 and not list(isolated.glob(".tmp-*"))
    assert len(ended) == 1 and os.WIFSIGNALED(ended[0]) and os.WTERMSIG(ended[0]) == signal.SIGKILL  # stopped
    with pytest.raises(ChildProcessError):  # and reaped: no helper left running or unreaped
        waitpid(forked[0], os.WNOHANG)


def test_a_full_build_and_only_a_full_build_runs_inside_the_callers_notice(isolated: Path, tmp_path: Path) -> None:
    from contextlib import contextmanager

    from clusters_cli.store.cache import load_kb

    seen: list[list[str]] = []

    @contextmanager
    def building(paths: Any) -> Any:
        seen.append(list(paths))
        yield

    path = copied_packs(tmp_path)
    mine = tmp_path / "mine.yaml"
    source = (
        "meta: {{title: Mine, version: '{v}', primary_source: mine-notes}}\nsources:\n"
        "  - {{id: mine-notes, short_name: My notes, name: My notes {v}, kind: secondary,\n"
        "     sections: [{{heading: Only, paragraphs: 3}}]}}\n"
    )
    mine.write_text(source.format(v=1), encoding="utf-8")
    packs = [*path, str(mine)]
    load_kb(packs, shipped=False, building=building)  # a first run: compiled
    load_kb(packs, shipped=False, building=building)  # then read from the cache
    mine.write_text(source.format(v=2), encoding="utf-8")
    load_kb(packs, shipped=False, building=building)  # its rows replaced in a copy of the last build
    with contextlib.closing(sqlite3.connect(cache_file(packs))) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'deltas'").fetchone() == ("1",)
    assert seen == [packs]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_build_says_so_on_a_terminal_and_erases_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clusters_cli.cli.printing import compiling_notice
    from clusters_cli.i18n import use

    pack = tmp_path / "mine.yaml"
    with open(pack, "wb") as f:
        f.truncate(1536 * 1024)
    packs = [str(pack), str(tmp_path / "gone.yaml")]  # a pack that cannot be read counts nothing
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("TERM", raising=False)
    line = "Compiling the knowledge base (1.5 MiB of packs) into the cache..."
    out = _Terminal()
    with compiling_notice(packs, out):
        assert out.getvalue() == line
    assert out.getvalue() == line + "\r" + " " * len(line) + "\r"  # spaces, not escape codes
    monkeypatch.setenv("COLUMNS", "21")  # never wider than the terminal, less a cell (no wrapped line)
    out = _Terminal()
    with compiling_notice(packs, out):
        pass
    assert out.getvalue() == line[:20] + "\r" + " " * 20 + "\r"
    monkeypatch.setenv("COLUMNS", "200")
    use("zh")
    try:
        out = _Terminal()
        with compiling_notice(packs, out):
            pass
    finally:
        use("en")
    zh = "正在将知识库（1.5 MiB 的数据包）编译进缓存……"
    assert out.getvalue() == zh + "\r" + " " * 46 + "\r"  # 17 wide characters and 2 of ambiguous width: 2 cells each
    for stream, term in ((io.StringIO(), "xterm"), (_Terminal(), "dumb")):  # a pipe or a file; a dumb terminal
        monkeypatch.setenv("TERM", term)
        with compiling_notice(packs, stream):
            pass
        assert stream.getvalue() == ""


def test_a_build_removes_what_killed_builds_left_and_nothing_a_running_one_holds(
    isolated: Path, tmp_path: Path
) -> None:
    """SIGKILL or SIGTERM in a build leaves its temporary database (and its helper's file); the next build
    removes those of a process that no longer runs, and any a day old, but never a running build's."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True)
    dead = int(done.stdout)
    isolated.mkdir(exist_ok=True)
    left = [f".tmp-{dead}-abc.sqlite", f".tmp-{dead}-abc.sqlite.helper"]
    running = [f".tmp-{os.getpid()}-def.sqlite", ".tmp-unnamed.sqlite"]
    old = f".tmp-{os.getpid()}-old.sqlite"
    for name in [*left, *running, old]:
        (isolated / name).write_bytes(b"half a database")
    os.utime(isolated / old, (0, 0))
    answer("province", "Anhui", data=copied_packs(tmp_path))
    assert sorted(p.name for p in isolated.glob(".tmp-*")) == sorted(running)


def test_info_names_each_pack_as_this_run_names_it(
    isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build is keyed by each pack's absolute path, so a run naming the packs another way is answered from
    the same build; `info` shows the files as that run names them."""
    paths = copied_packs(tmp_path)
    monkeypatch.chdir(tmp_path)
    relative = [f"./{Path(p).name}" for p in paths]
    for named in (relative, paths, relative):
        doc = answer("info", data=named)
        assert [p["file"] for p in doc["packs"]] == named and doc["data_file"] == named[1]  # the article's
    assert len(list(isolated.glob("*.sqlite"))) == 1


def test_the_packs_of_a_kind_and_of_some_entities_are_what_reading_each_entitys_pack_gives(kb: Any) -> None:
    """KB.packs_holding and KB.pack_counts (the map's licence of its seats, a count's packs) answer in SQL
    what reading every entity's pack (KB.packs_of) answers in Python."""
    from collections import Counter

    from clusters_cli.model import KINDS

    for kind in KINDS:
        pack_of = kb.packs_of(kind)
        assert kb.packs_holding(kind) == sorted(set(pack_of.values())), kind
        ids = list(pack_of)
        for chosen in (ids, ids[::2], ids[:1], [], [*ids[:3], *ids[:3], "no-such-id"]):
            expected = Counter(pack_of[i] for i in dict.fromkeys(chosen) if i in pack_of)
            assert kb.pack_counts(kind, chosen) == dict(expected), (kind, chosen)
    assert len(set(kb.packs_of("cluster").values())) > 1  # the fixture's clusters come from more than one pack


def test_a_count_names_its_packs_most_first_and_equal_ones_in_the_order_they_are_read(kb: Any) -> None:
    from clusters_cli.views.common import counted_from

    pack_of = kb.packs_of("cluster")
    first, second = sorted(set(pack_of.values()))[:2]
    one_each = [next(c for c, p in pack_of.items() if p == second), next(c for c, p in pack_of.items() if p == first)]
    titles = [str(kb.packs[i].get("title") or kb.packs[i]["file"]) for i in (first, second)]
    assert [c["pack"] for c in counted_from(kb, one_each)] == titles  # a tie: in the order the packs are read
    two_of_second = [c for c, p in pack_of.items() if p == second][:2]
    assert [(c["pack"], c["clusters"]) for c in counted_from(kb, [*one_each, *two_of_second])] == [
        (titles[1], 2),
        (titles[0], 1),
    ]


def _statements(kb: Any, ask: Any) -> list[str]:
    """The SQL statements `ask(kb)` runs."""
    run: list[str] = []
    kb.conn.set_trace_callback(run.append)
    try:
        ask(kb)
    finally:
        kb.conn.set_trace_callback(None)
    return run


def _plan(kb: Any, sql: str) -> str:
    """The query plan of a statement, its steps joined."""
    return " / ".join(step[-1] for step in kb.conn.execute(f"EXPLAIN QUERY PLAN {sql}"))


def _plans(kb: Any, ask: Any) -> list[str]:
    """The query plans of the statements `ask(kb)` runs, each plan's steps joined."""
    return [_plan(kb, sql) for sql in _statements(kb, ask)]


def test_a_page_reads_its_rows_by_the_order_index_and_a_whole_kind_is_read_and_sorted(shared_cache: Path) -> None:
    """KB.first (a page of `list`) reads the index of file order and no more rows than it shows; each and all
    read the kind along its primary key and sort it (a lookup a row through the index takes longer), and
    both give the page's rows in the same order."""
    from helpers import PACKS, load_through

    from clusters_cli.model import KINDS

    for kind in KINDS:
        kb = load_through(shared_cache, PACKS)
        (page,) = _plans(kb, lambda kb, kind=kind: kb.first(kind, 3))
        assert "USING INDEX entities_order" in page and "TEMP B-TREE" not in page, (kind, page)
        assert kb.first(kind, 3) == load_through(shared_cache, PACKS).all(kind)[:3], kind
    for read in (lambda kb: kb.all("city"), lambda kb: list(kb.each("city"))):
        (whole,) = _plans(load_through(shared_cache, PACKS), read)
        assert "entities_order" not in whole and "PRIMARY KEY (kind=?)" in whole and "TEMP B-TREE" in whole, whole


def test_the_packs_a_kind_came_from_are_read_from_the_index_of_file_order_alone(shared_cache: Path) -> None:
    """KB.packs_holding (a map credits the licence of the packs holding the cities' seats) reads the index of file
    order, which holds each entity's pack, not the rows and their JSON (at 100 times the shipped data, 318,500
    cities: 0.24 s of a 1 s map), and names the packs that reading every entity names."""
    from helpers import PACKS, load_through

    from clusters_cli.model import KINDS

    kb = load_through(shared_cache, PACKS)
    for kind in KINDS:
        (plan,) = _plans(kb, lambda kb, kind=kind: kb.packs_holding(kind))
        assert plan.startswith("SEARCH entities USING COVERING INDEX entities_order (kind=?)"), (kind, plan)
        assert kb.packs_holding(kind) == sorted(set(kb.packs_of(kind).values())), kind
    assert len(kb.packs_holding("cluster")) > 1  # the fixtures' clusters come from more than one pack


def test_chinese_names_are_read_by_the_index_of_ids_and_name_each_id_and_name_once(shared_cache: Path) -> None:
    """KB.chinese_names (a view in Chinese names what it shows) finds each id by the index of ids, not by
    reading every entity for each 500 ids (0.17 s of `province Anhui` in Chinese at 100 times the shipped
    data; kind by kind by the primary key, ten seeks an id, 0.55 s of a map's 21,400), and gives what
    reading every entity gives: an (id, name) its entities name alike."""
    from helpers import PACKS, load_through

    from clusters_cli.model import KINDS

    kb = load_through(shared_cache, PACKS)
    everything = [(e["id"], e.get("name"), e.get("name_zh")) for kind in KINDS for e in kb.all(kind)]
    ids = {ident for ident, _, _ in everything}
    plans = _plans(kb, lambda kb: kb.chinese_names(ids))
    assert plans and all(p == "SEARCH entities USING INDEX entities_id (id=?)" for p in plans), plans
    said: dict[tuple[str, str], set[str | None]] = {}
    for ident, name, zh in everything:
        if name is not None:
            said.setdefault((ident, name), set()).add(zh or None)
    expected = {key: zh for key, names in said.items() if len(names) == 1 for zh in names if zh is not None}
    assert len(expected) > 20 and kb.chinese_names(ids) == expected
    assert kb.chinese_names({"anhui", "no-such-id"}) == {("anhui", "Anhui"): "安徽省"}


def test_a_relation_s_pairs_among_some_ids_are_those_of_the_whole_relation_in_its_order(shared_cache: Path) -> None:
    """KB.related_pairs_among (`rank`: the places of a sector's clusters and figures) picks in the store the
    pairs that reading the whole relation and keeping those ids gives, in the same order."""
    import random

    from helpers import PACKS, load_through

    from clusters_cli.store.relations import Rel, clusters_at, statistics_at

    kb = load_through(shared_cache, PACKS)
    rng = random.Random(7)
    for relation in (clusters_at("province"), clusters_at("region"), statistics_at("city"), Rel.CLUSTER_CITIES):
        pairs = kb.related_pairs(relation)
        ids = sorted({i for _, i in pairs})
        assert len(pairs) > 3 and len(ids) > 2, relation
        for wanted in (set(), set(ids), set(rng.sample(ids, len(ids) // 2)), {ids[0], "no-such-id", "a'\"b"}):
            expected = [(k, i) for k, i in pairs if i in wanted]
            assert kb.related_pairs_among(relation, wanted) == expected, (relation, wanted)


def test_a_page_of_a_list_reads_as_many_statements_whatever_its_length(shared_cache: Path) -> None:
    """A page of places (`list cities`, `list provinces`) reads what its rows name (a city's prefecture, the
    clusters counted at it) a query a field, not a query a row: five rows and every row run the same
    statements, and give the same rows. (A page of clusters or firms still reads their places a row at a
    time: 200 index lookups, whatever the size of the knowledge base.)"""
    from helpers import PACKS, load_through

    from clusters_cli.model import KINDS
    from clusters_cli.views.listing import list_view

    for section in ("provinces", "cities"):
        whole = load_through(shared_cache, PACKS).counts()[section]
        assert whole > 5, section
        runs = [
            _plans(load_through(shared_cache, PACKS), lambda kb, n=n, s=section: list_view(kb, s, first=n))
            for n in (5, whole)
        ]
        assert len(runs[0]) < 10, runs[0]
        assert len(runs[0]) == len(runs[1]), section
        short, full = (list_view(load_through(shared_cache, PACKS), section, first=n) for n in (5, whole))
        assert short["rows"] == full["rows"][:5] and short["total"] == full["total"] == whole, section
        assert list_view(load_through(shared_cache, PACKS), section)["rows"] == full["rows"], section
    for kind in KINDS.values():  # every kind's page is the first rows of all of them, read or not
        whole = list_view(load_through(shared_cache, PACKS), kind.section)
        assert list_view(load_through(shared_cache, PACKS), kind.section, first=5)["rows"] == whole["rows"][:5]


def test_the_bars_of_stats_read_what_they_name_a_query_a_kind_whatever_their_number(shared_cache: Path) -> None:
    """`stats` reads the places, sources and packs its bars name for all of them at once: one bar a group
    and every bar run the same statements, and the first bars are the same."""
    from helpers import PACKS, load_through

    from clusters_cli.views.stats import stats_view

    runs = [_plans(load_through(shared_cache, PACKS), lambda kb, n=n: stats_view(kb, per_group=n)) for n in (1, None)]
    assert len(runs[0]) == len(runs[1]) < 15, runs
    one, every = (stats_view(load_through(shared_cache, PACKS), per_group=n) for n in (1, None))
    assert [g["bars"] for g in one["groups"]] == [g["bars"][:1] for g in every["groups"]]
    assert sum(len(g["bars"]) for g in every["groups"]) > len(every["groups"])  # not vacuous: a group of several


@pytest.mark.parametrize("width", [1, 4, 8])
def test_rows_inserted_many_a_statement_are_the_rows_executemany_inserts(width: int) -> None:
    """writers.insert_rows sends rows in statements of many rows (999 parameters at most): every row arrives, in
    order, in full statements and a last short one, given as a list or made as they are written (a generator);
    INSERT OR IGNORE drops the same repeated keys."""
    from clusters_cli.store.writers import insert_rows

    size = 999 // width
    for count in (0, 1, size - 1, size, size + 1, 2 * size + 3):
        rows = [(f"k{i % (size + 7)}", *range(i, i + width - 1)) for i in range(count)]
        conn = sqlite3.connect(":memory:")
        columns = ", ".join(f"c{n}" for n in range(width))
        for table in ("a", "b", "c", "ua", "ub", "uc"):
            unique = " UNIQUE" if table.startswith("u") else ""
            conn.execute(f"CREATE TABLE {table} (c0 TEXT{unique}{', ' if width > 1 else ''}{columns[4:]})")
        marks = ", ".join("?" * width)
        conn.executemany(f"INSERT INTO a VALUES ({marks})", rows)
        insert_rows(conn, "INSERT INTO b", rows)
        conn.executemany(f"INSERT OR IGNORE INTO ua VALUES ({marks})", rows)
        insert_rows(conn, "INSERT OR IGNORE INTO ub", rows)
        insert_rows(conn, "INSERT INTO c", (row for row in rows))
        insert_rows(conn, "INSERT OR IGNORE INTO uc", (row for row in rows))
        tables = ("a", "b", "c", "ua", "ub", "uc")
        read = {t: conn.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall() for t in tables}
        assert read["c"] == read["b"] == read["a"] == [(n + 1, *row) for n, row in enumerate(rows)], (width, count)
        assert read["uc"] == read["ub"] == read["ua"] and len(read["ua"]) == min(count, size + 7), (width, count)


def test_rows_of_several_widths_are_refused_as_executemany_refuses_them() -> None:
    """Nine cells as rows of 3, 2 and 4 were inserted as three rows of 3, shifted: insert_rows refuses them, as
    executemany does."""
    from clusters_cli.store.writers import insert_rows

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a, b, c)")
    for rows in ([(1, 2, 3), (4, 5), (6, 7, 8, 9)], [(1, 2, 3), (4, 5, 6, 7)]):
        with pytest.raises(sqlite3.ProgrammingError):
            conn.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
        with pytest.raises(sqlite3.ProgrammingError):
            insert_rows(conn, "INSERT INTO t", rows)
        with pytest.raises(sqlite3.ProgrammingError):
            insert_rows(conn, "INSERT INTO t", iter(rows))


class _Rows:
    """A connection that keeps the rows of each insert (writers.insert_rows: an INSERT of many rows, few enough
    here for one statement a table), in the order of the statements."""

    def __init__(self) -> None:
        self.given: list[list[tuple[Any, ...]]] = []

    def execute(self, sql: str, params: list[Any]) -> None:
        width = sql.partition(" VALUES (")[2].partition(")")[0].count("?")
        self.given.append([tuple(params[i : i + width]) for i in range(0, len(params), width)])


def test_relation_rows_number_each_keys_ids_from_its_start_in_the_order_found_and_come_in_key_order() -> None:
    """writers.write_relation_rows: positions count each (relation, key)'s ids in the order they are found,
    from where `start` says (0 in a full build, after the rows already there in a delta), and the rows come in
    the order of the table's primary key (relation, key, position), so its B-tree grows at its end."""
    from clusters_cli.store.writers import write_relation_rows

    found = [("r.b", "k2", "x"), ("r.a", "k9", "y"), ("r.b", "k1", "z"), ("r.b", "k2", "a"), ("r.a", "k9", "b")]
    conn = _Rows()
    write_relation_rows(conn, iter(found), lambda name, key: {"k9": 5}.get(key, 0))  # type: ignore[arg-type]
    assert conn.given == [
        [
            ("r.a", "k9", 5, "y"),
            ("r.a", "k9", 6, "b"),
            ("r.b", "k1", 0, "z"),
            ("r.b", "k2", 0, "x"),
            ("r.b", "k2", 1, "a"),
        ]
    ]


def test_entities_and_their_name_keys_are_written_in_key_order_each_key_once_at_its_first_best_stage() -> None:
    """writers.write_entities: the entities by id with their positions in the pack, and the keys table's rows in
    the order of its primary key (kind, key, id), each key of an entity once, as its first name of the best
    stage gives it (Beta's name and alias both read `beta`: the name's stays)."""
    from clusters_cli.store import writers

    conn = _Rows()
    entities = [{"id": "b", "name": "Beta", "aliases": ["beta", "Alpha"]}, {"id": "a", "name": "Alpha"}]
    writers.write_entities(conn, "region", entities, 0, [3, 4])  # type: ignore[arg-type]
    entity_rows, key_rows = conn.given
    assert entity_rows == [
        ("region", "a", 1, '{"id": "a", "name": "Alpha"}', 4),
        ("region", "b", 0, '{"id": "b", "name": "Beta", "aliases": ["beta", "Alpha"]}', 3),
    ]
    assert key_rows == [
        ("region", "a", "a", 0, "id"),
        ("region", "alpha", "a", 0, "name"),
        ("region", "alpha", "b", 0, "alias"),
        ("region", "b", "b", 0, "id"),
        ("region", "beta", "b", 0, "name"),
    ]


def test_a_close_spelling_reads_the_names_of_its_first_letter_and_by_the_index_of_their_last(kb: Any) -> None:
    """KB.close_keys reads the keys starting with the query's first letter as one range of the primary key, and
    asks by the very expressions keys_tail indexes (a key's last character and its length; the rows carry
    neither): not every key of the kind. And the range is every key of that letter: the same candidates as
    asking each key's first character."""
    asked = _statements(kb, lambda kb: kb.close_keys("city", "hefie", 4, 6))
    assert len(asked) == 1
    plan = _plan(kb, asked[0])
    assert "SEARCH keys USING PRIMARY KEY (kind=? AND key>? AND key<?)" in plan, plan
    assert "SEARCH keys USING COVERING INDEX keys_tail (kind=? AND <expr>=? AND <expr>>? AND <expr><?)" in plan, plan
    every = kb.conn.execute("SELECT kind, key, id FROM keys").fetchall()
    for kind, key, _ in every:
        for shortest, longest in ((1, 99), (len(key) - 1, len(key) + 1)):
            expected = sorted(
                (k, i)
                for kd, k, i in every
                if kd == kind and (k[:1] == key[:1] or k[-1:] == key[-1:]) and shortest <= len(k) <= longest
            )
            assert kb.close_keys(kind, key, shortest, longest) == expected, (kind, key)
    assert kb.close_keys("city", "", 0, 99) == []  # no letter to begin or end with: no key, not every key


def test_an_entitys_search_rows_are_the_range_from_its_first_row_to_the_last_it_names(kb: Any) -> None:
    """Each entity's first search row is indexed by kind and id (search_first: only those rows, where a delta
    build finds an entity), and names the entity's last row: its rows follow one another, so a search of several
    words reads every row of the entities holding its longest as ranges of rows, by no index of their own."""
    first = "SELECT rowid, last FROM search WHERE kind = 'city' AND id = 'hefei' AND entity = rowid"
    assert _plan(kb, first) == "SEARCH search USING INDEX search_first (kind=? AND id=?)"
    row, last = kb.conn.execute(first).fetchone()
    rows = kb.conn.execute("SELECT rowid, kind, id, entity, last FROM search WHERE rowid BETWEEN ? AND ?", (row, last))
    rows = rows.fetchall()
    assert {r[1:] for r in rows} == {("city", "hefei", row, last)} and len(rows) > 3
    assert [r[:3] for r in rows] == kb.conn.execute(
        "SELECT rowid, kind, id FROM search WHERE kind = 'city' AND id = 'hefei'"
    ).fetchall()
    # so for every entity: no row outside its range names it, and none inside names another
    strays = (
        "SELECT COUNT(*) FROM search s JOIN search f ON f.rowid = s.entity "
        "WHERE s.rowid NOT BETWEEN f.rowid AND f.last OR s.last != f.last OR f.entity != f.rowid"
    )
    assert kb.conn.execute(strays).fetchone() == (0,)
    assert kb.conn.execute("SELECT COUNT(DISTINCT entity) FROM search").fetchone()[0] == 77  # every entity
    asked = _statements(kb, lambda kb: list(kb.search_texts_containing("hefei", ["hefei", "chips"])))
    several = [sql for sql in asked if "BETWEEN f.rowid AND f.last" in sql]
    assert len(several) == 1, asked
    plan = _plan(kb, several[0])
    assert "SEARCH f USING INTEGER PRIMARY KEY (rowid=?)" in plan and "SEARCH s USING INTEGER PRIMARY KEY" in plan, plan
    assert "entity" not in plan, plan


@forks
def test_the_cache_keeps_the_databases_last_used_and_none_a_run_holds(
    isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond KEEP_BUILDS databases, a new build removes those used longest ago (a run touches the one it opens,
    and a delta the one it starts from), but for those used in the last day, each with its files beside, its
    kept lists and its lock, and the files of a list with no database; one whose lock a run holds (it is
    building it, or starting a delta from it) stays."""
    import fcntl

    from clusters_cli.store import build as store_build
    from clusters_cli.store import cache, cachefolder

    monkeypatch.setattr(cachefolder, "KEEP_BUILDS", 2)
    monkeypatch.setattr(store_build, "PARALLEL_FROM", 0)  # the fixtures are small: a file beside each all the same
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    lists = {name: [PLACES, ARTICLE, write(tmp_path, f"meta: {{title: {name}}}\n", f"{name}.yaml")] for name in "abcdx"}

    def build(name: str, *, days_later: int = 2) -> None:  # a run, days after the last
        for p in isolated.glob("*.sqlite"):
            os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns - days_later * 86400 * 10**9))
        cache.load_kb(lists[name], shipped=False).conn.close()

    def files() -> dict[str, list[str]]:  # each list's files, by kind
        found: dict[str, list[str]] = {}
        for p in isolated.iterdir():
            if not p.name.startswith("pack-"):
                kind = "beside" if p.name.endswith(".beside.sqlite") else p.name.rsplit(".", 1)[1]
                found.setdefault(p.name.split("-", 1)[0], []).append(kind)
        return {stem: sorted(kinds) for stem, kinds in sorted(found.items())}

    whole = ["beside", "lock", "sqlite"]
    build("a")
    cli(*data_args(lists["a"]), "list", "cities", "--format", "csv")  # a kept list beside it
    assert files() == {"a": ["beside", "lock", "rows", "sqlite"]}
    (isolated / Path(cache_file(lists["x"])).name.replace(".sqlite", ".lock")).write_text("")  # a failed build's
    build("b")  # x's lock, of a list with no database, goes
    assert files() == {"a": ["beside", "lock", "rows", "sqlite"], "b": whole}
    build("a")  # opened: used after b
    build("c")  # three: b, used longest ago, goes, with every file of its own
    assert files() == {"a": ["beside", "lock", "rows", "sqlite"], "c": whole}
    held = os.open(cache_file(lists["a"])[: -len(".sqlite")] + ".lock", os.O_RDWR)
    fcntl.flock(held, fcntl.LOCK_SH)  # a run starts a delta from a's build
    try:
        build("d")  # a is the one used longest ago, but held
    finally:
        os.close(held)
    assert files() == {"a": ["beside", "lock", "rows", "sqlite"], "c": whole, "d": whole}
    build("b")  # built again: c and a, used longest ago, go now
    assert files() == {"b": whole, "d": whole}
    build("a", days_later=0)  # d, used longest ago, goes
    build("c", days_later=0)  # b too, but it was used today: it stays
    assert files() == {"a": whole, "b": whole, "c": whole}


def test_a_delta_build_counts_as_a_use_of_the_build_it_starts_from(isolated: Path, tmp_path: Path) -> None:
    """The build a delta starts from (the packs before one added at the end) is touched: it is used, and the
    cache keeps the last used (cachefolder.evict_unused)."""
    from helpers import deltas_of

    from clusters_cli.store import cache

    before = [PLACES, ARTICLE]
    added = [*before, write(tmp_path, "meta: {title: added}\n", "added.yaml")]
    cache.load_kb(before, shipped=False).conn.close()
    start = Path(cache_file(before))
    aged = start.stat().st_mtime_ns - 10**9  # a second ago
    os.utime(start, ns=(start.stat().st_atime_ns, aged))
    cache.load_kb(added, shipped=False).conn.close()
    assert deltas_of(cache_file(added)) == "1" and start.stat().st_mtime_ns > aged


@forks
def test_a_lock_removed_while_a_run_waits_for_it_is_taken_again_by_its_name(isolated: Path) -> None:
    """A list's lock file is removed only by a run holding it (cachefolder._evict): a run that waited on it
    and then holds the removed file takes the lock of the file of that name instead, so that two runs never
    hold two files of one name alone."""
    import fcntl
    import threading

    from clusters_cli.store import cachefolder

    target = str(isolated / "x-yaml-3-0123456789abcdef.sqlite")
    lock = target[: -len(".sqlite")] + ".lock"
    evicting = os.open(lock, os.O_RDWR | os.O_CREAT)
    fcntl.flock(evicting, fcntl.LOCK_EX)
    waiting, holding, done = threading.Event(), threading.Event(), threading.Event()

    @contextlib.contextmanager
    def notice() -> Any:
        waiting.set()
        yield

    def run() -> None:
        with cachefolder.building_alone(target, notice) as alone:
            if alone:
                holding.set()
            done.wait(60)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        assert waiting.wait(60)
        os.unlink(lock)  # removed by the run holding it, which lets go
    finally:
        os.close(evicting)
    assert holding.wait(60)
    try:
        other = os.open(lock, os.O_RDWR)  # the file of that name now: the waiting run holds it
        with pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.close(other)
    finally:
        done.set()
        thread.join(60)


def test_a_list_built_or_used_since_it_was_found_old_is_not_removed(isolated: Path) -> None:
    """Eviction removes a database only if it is still the one it found (cachefolder._evict): one another run
    built or opened since stays."""
    from clusters_cli.store import cache, cachefolder

    cache.load_kb([PLACES, ARTICLE], shipped=False).conn.close()
    database = Path(cache_file([PLACES, ARTICLE]))
    found = database.stat().st_mtime_ns - 10**9
    files = [str(p) for p in isolated.iterdir() if p.name.startswith(database.stem + ".")]
    cachefolder._evict(str(database)[: -len(".sqlite")], files, found)  # found a second ago; touched since
    assert database.exists()
    cachefolder._evict(str(database)[: -len(".sqlite")], files, None)  # found with no database; built since
    assert database.exists()
    cachefolder._evict(str(database)[: -len(".sqlite")], files, database.stat().st_mtime_ns)
    assert not any(p.name.startswith(database.stem + ".") for p in isolated.iterdir())


def test_a_lock_whose_file_never_agrees_with_its_name_is_not_held(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file system whose descriptors and names never agree on the file (cachefolder._lock_fd compares them)
    gives no lock after LOCK_TRIES tries, rather than a loop: the run builds as where there is no lock."""
    import fcntl

    from clusters_cli.store import cachefolder

    stat = os.fstat
    tries: list[int] = []

    def elsewhere(fd: int) -> Any:
        tries.append(fd)
        found = stat(fd)
        return os.stat_result((found.st_mode, found.st_ino + 1, *tuple(found)[2:]))

    monkeypatch.setattr(cachefolder.os, "fstat", elsewhere)
    assert cachefolder._lock_fd(str(isolated / "x.lock"), fcntl.LOCK_EX, None) is None
    assert len(tries) == cachefolder.LOCK_TRIES


def test_without_a_lock_the_files_of_a_list_with_no_database_go_only_once_old(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the system has no lock (Windows), a list's files with no database beside them may be a build
    between putting its file beside and its database in place: they go once STALE_AFTER old, not before."""
    from clusters_cli.store import buildfiles, cachefolder

    stem = str(isolated / "x-yaml-3-0123456789abcdef")
    beside = Path(stem + ".0011223344556677.beside.sqlite")
    beside.write_bytes(b"")
    monkeypatch.setitem(sys.modules, "fcntl", None)  # import fcntl fails, as on Windows
    cachefolder._evict(stem, [str(beside)], None)
    assert beside.exists()
    monkeypatch.setattr(buildfiles, "STALE_AFTER", -1)
    cachefolder._evict(stem, [str(beside)], None)
    assert not beside.exists()


def test_a_warm_run_marks_its_database_used_at_most_once_an_hour(isolated: Path) -> None:
    """A warm run marks the database it opens as used (its modification time: cachefolder.evict_unused keeps
    the last used), unless it was marked within MARK_USED_AFTER seconds: most warm runs write nothing."""
    from clusters_cli.store import cache

    cache.load_kb([PLACES, ARTICLE], shipped=False).conn.close()
    database = Path(cache_file([PLACES, ARTICLE]))
    built = database.stat().st_mtime_ns
    cache.load_kb([PLACES, ARTICLE], shipped=False).conn.close()
    assert database.stat().st_mtime_ns == built  # marked when built, a moment ago
    old = built - (cache.MARK_USED_AFTER + 1) * 10**9
    os.utime(database, ns=(database.stat().st_atime_ns, old))
    cache.load_kb([PLACES, ARTICLE], shipped=False).conn.close()
    assert database.stat().st_mtime_ns >= built  # marked now


def test_where_the_system_has_no_lock_a_run_builds_its_own(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without flock (Windows), building_alone holds nothing and takes no file, and a run builds as before."""
    from clusters_cli.store import cache, cachefolder

    monkeypatch.setitem(sys.modules, "fcntl", None)  # import fcntl fails, as on Windows
    target = cache_file([PLACES, ARTICLE])
    with cachefolder.building_alone(target, contextlib.nullcontext) as held:
        assert held is False
    assert not any(p.suffix == ".lock" for p in isolated.iterdir())
    kb = cache.load_kb([PLACES, ARTICLE], shipped=False)
    assert kb.get("province", "anhui") is not None and Path(target).exists()
    kb.conn.close()
    assert sorted(p.suffix for p in isolated.iterdir() if not p.name.startswith("pack-")) == [".sqlite"]


def test_a_filtered_page_of_places_reads_their_counts_at_once_however_many_the_filter_keeps(shared_cache: Path) -> None:
    """A filtered page (`list cities --level county --limit 3`) says where its counts come from for every place
    the filter keeps, not only those shown: their clusters are read with one read of the relation, not a query a
    place (284,000 at 100 times the shipped data, most of the command's 3 s). Filters keeping one place and many
    run as many statements, and give the counts of reading each place's clusters."""
    from helpers import PACKS, load_through

    from clusters_cli.store.relations import clusters_at
    from clusters_cli.views.common import counted_from
    from clusters_cli.views.listing import list_view

    kb = load_through(shared_cache, PACKS)
    kept = {level: list_view(kb, "cities", level=level)["rows"] for level in ("prefecture", "county")}
    assert len(kept["county"]) > 1 and len(kept["county"]) != len(kept["prefecture"]), kept
    runs = {
        level: _plans(load_through(shared_cache, PACKS), lambda kb, v=level: list_view(kb, "cities", level=v, first=1))
        for level in kept
    }
    assert len(runs["prefecture"]) == len(runs["county"]), runs
    for level, rows in kept.items():
        page = list_view(load_through(shared_cache, PACKS), "cities", level=level, first=1)
        each = [c for r in rows for c in kb.related(clusters_at("city"), r["id"])]
        assert page["counted_from"] == counted_from(kb, each) and page["total"] == len(rows), level


def test_a_list_of_places_filtered_by_a_sector_says_where_that_sectors_clusters_there_come_from(
    shared_cache: Path,
) -> None:
    """`list cities --sector wind` counts each city's wind clusters, and says where those come from, not where
    every cluster of those cities comes from: the whole list and a page of it alike, for cities, provinces and
    regions (their clusters read from the relation's pairs, listing.list_view)."""
    from helpers import PACKS, load_through

    from clusters_cli.kinds import cluster_sectors
    from clusters_cli.store.relations import clusters_at
    from clusters_cli.views.common import counted_from
    from clusters_cli.views.listing import list_view

    kb = load_through(shared_cache, PACKS)
    for kind, section in (("city", "cities"), ("province", "provinces"), ("region", "regions")):
        for sector in ("wind", "electronics"):
            family = set(kb.sector_descendants(sector))
            whole = list_view(kb, section, sector=sector)
            there = [c for r in whole["rows"] for c in kb.related(clusters_at(kind), r["id"])]
            of_sector = [c for c in there if set(cluster_sectors(kb.get("cluster", c) or {})) & family]
            assert whole["rows"] and counted_from(kb, of_sector) != counted_from(kb, there), (section, sector)
            page = list_view(kb, section, sector=sector, first=1)
            assert whole["counted_from"] == page["counted_from"] == counted_from(kb, of_sector), (section, sector)


def test_a_cache_folder_that_cannot_hold_the_build_is_said_on_every_run(tmp_path: Path) -> None:
    """A cache folder that cannot be written means each run compiles the packs again (6.4 s a run at 10 times
    the shipped data, against 0.1), which the run said nowhere: a note says so on stderr, each run, in the run's
    language; the answer is the same."""
    blocked = tmp_path / "a-file"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    folder = blocked / "cache"
    env = {"CLUSTERS_CACHE_DIR": str(folder)}
    note = (
        f"clusters: note: the cache folder {folder} cannot hold the compiled packs: every run compiles them"
        " (CLUSTERS_CACHE_DIR names another folder)\n"
    )
    for _ in range(2):
        r = cli("province", "Anhui", "--json", env=env)
        assert (r.exit_code, r.stderr) == (0, note)
    kept = cli("province", "Anhui", "--json", env={"CLUSTERS_CACHE_DIR": str(tmp_path / "cache")})
    assert (kept.stdout, kept.stderr) == (r.stdout, "")
    zh = cli("--lang", "zh", "province", "Anhui", env=env)
    assert zh.stderr.startswith(f"clusters：注意：缓存目录 {folder} 无法保存编译后的数据包")
