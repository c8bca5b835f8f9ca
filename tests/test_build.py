"""Nothing generated is kept in git: the shipped packs' checked parse is compiled into the wheel
(hatch_build.py) and used only while its key (pack bytes, schema bytes, tool version) holds; an edited pack
or schema is parsed and checked again, never served from a parse made before the edit."""

from __future__ import annotations

import builtins
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import copied_packs, env_of, run_many

from clusters_cli import paths
from clusters_cli.errors import InvalidKnowledgeBase
from clusters_cli.store import build as store_build
from clusters_cli.store import buildfiles, cache, packs, parsecache, yamlfile

FIXTURE = Path(__file__).parent / "fixtures" / "hostile.yaml"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated: Path) -> dict[str, Path]:
    """A fixture pack standing in for the shipped ones, the schema in a copy of its own, and a compiled
    parse of them as a wheel build would write it."""
    pack = tmp_path / "shipped.yaml"
    shutil.copy(FIXTURE, pack)
    schema = tmp_path / "clusters.schema.json"
    shutil.copy(paths.schema_path(), schema)
    compiled = tmp_path / "packs.parsed.json"
    monkeypatch.setattr(paths, "shipped_packs", lambda: [str(pack)])
    monkeypatch.setattr(paths, "schema_path", lambda: schema)
    compiled.write_text(packs.compile_shipped([str(pack)]), encoding="utf-8")
    monkeypatch.setattr(paths, "compiled_packs", lambda: compiled)
    monkeypatch.delenv("CLUSTERS_DATA")  # the stand-in is the whole knowledge base here
    return {"pack": pack, "schema": schema, "compiled": compiled}


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The packs parsed from YAML, in order."""
    seen: list[str] = []
    real = yamlfile.parse_text

    def counting(path: str, text: str, locate: bool = True, **how: Any):  # type: ignore[no-untyped-def]
        seen.append(path)
        return real(path, text, locate, **how)

    monkeypatch.setattr(yamlfile, "parse_text", counting)
    return seen


def test_a_first_run_reads_the_compiled_parse(shipped: dict[str, Path], parses: list[str]) -> None:
    kb = cache.load_kb(shipped=True)
    assert parses == []  # nothing parsed: the compiled parse was used
    assert [c["id"] for c in kb.all("cluster")] == ["hefei-wind"]


def test_an_edited_pack_is_parsed_again(shipped: dict[str, Path], parses: list[str]) -> None:
    cache.load_kb(shipped=True)
    text = shipped["pack"].read_text(encoding="utf-8").replace("id: hefei-wind", "id: hefei-wind-edited")
    shipped["pack"].write_text(text, encoding="utf-8")
    kb = cache.load_kb(shipped=True)
    assert parses == [str(shipped["pack"])]
    assert [c["id"] for c in kb.all("cluster")] == ["hefei-wind-edited"]


def test_an_edited_schema_is_never_served_from_an_unchecked_parse(shipped: dict[str, Path]) -> None:
    cache.load_kb(shipped=True)  # the SQLite cache and the compiled parse both exist now
    schema = json.loads(shipped["schema"].read_text(encoding="utf-8"))
    schema["properties"]["clusters"]["items"]["required"].append("founded")
    shipped["schema"].write_text(json.dumps(schema), encoding="utf-8")
    with pytest.raises(InvalidKnowledgeBase) as raised:
        cache.load_kb(shipped=True)
    assert [p.message for p in raised.value.problems] == ["the field 'founded' is required"]


def test_the_compiled_parse_is_ignored_under_another_key(shipped: dict[str, Path], parses: list[str]) -> None:
    blob = json.loads(shipped["compiled"].read_text(encoding="utf-8"))
    blob["shipped.yaml"]["key"] = "a key of another version"
    shipped["compiled"].write_text(json.dumps(blob), encoding="utf-8")
    cache.load_kb(shipped=True)
    assert parses == [str(shipped["pack"])]


def test_the_wheel_build_parses_each_shipped_pack_once_with_every_location(
    tmp_path: Path, isolated: Path, parses: list[str]
) -> None:
    pack = tmp_path / "shipped.yaml"
    shutil.copy(FIXTURE, pack)
    blob = json.loads(packs.compile_shipped([str(pack)]))
    assert parses == [str(pack)]
    locs = {tuple(k): tuple(v) for k, v in blob["shipped.yaml"]["locs"]}
    assert locs == yamlfile.load_yaml(str(pack))[1]  # an entry's fields, not only the sections
    assert any(len(k) == 3 for k in locs)


def test_the_wheel_build_hook_removes_its_products_once_the_wheel_holds_them(
    tmp_path: Path, shipped: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """hatch_build.py writes the compiled parse and the Chinese catalog to a temporary folder for the wheel
    to take in, and removes it after the build: a build used to leave 4 MiB behind each time."""
    import importlib.util
    import tempfile

    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    hook = module.CompileShippedPacks(str(ROOT), {}, None, None, str(tmp_path / "dist"), "wheel")
    build_data: dict[str, Any] = {"force_include": {}}
    hook.initialize("standard", build_data)
    included = build_data["force_include"]
    assert sorted(included.values()) == [
        "clusters_cli/data/packs.parsed.json",
        "clusters_cli/data/schema.checks",
        "clusters_cli/locale/zh_CN/LC_MESSAGES/messages.mo",
    ]
    assert all(Path(source).parent.parent == scratch and Path(source).stat().st_size for source in included)
    compiled = next(source for source, target in included.items() if target.endswith(".json"))
    assert json.loads(Path(compiled).read_text(encoding="utf-8")).keys() == {"shipped.yaml"}
    hook.finalize("standard", build_data, str(tmp_path / "dist" / "clusters.whl"))
    assert list(scratch.iterdir()) == []

    def broken(paths: Any) -> str:
        raise OSError("a pack could not be read")

    monkeypatch.setattr(packs, "compile_shipped", broken)  # a build that fails runs no finalize: nothing is left
    with pytest.raises(OSError):
        hook.initialize("standard", {"force_include": {}})
    assert list(scratch.iterdir()) == []


def test_a_pack_edited_after_its_parse_is_never_kept_as_the_parse_of_the_new_bytes(
    tmp_path: Path, isolated: Path
) -> None:
    pack = tmp_path / "mine.yaml"
    shutil.copy(FIXTURE, pack)
    parsed, checked = packs.read_packs([str(pack)], use_pack_cache=True)  # parsed and kept
    before = parsecache.pack_cache(str(pack))
    assert before is not None and Path(before[0]).exists()
    Path(before[0]).unlink()
    pack.write_text(pack.read_text(encoding="utf-8").replace("id: hefei-wind", "id: hefei-wind-edited"), "utf-8")
    parsecache.keep_parsed(parsed, checked)  # the parse of the old bytes, kept after the edit
    after = parsecache.pack_cache(str(pack))
    assert after is not None and after[0] != before[0]
    assert not Path(after[0]).exists()
    assert json.loads(Path(before[0]).read_text(encoding="utf-8"))["key"] == before[1]


@pytest.mark.parametrize("aside", [True, False], ids=["on the second core", "here"])
def test_the_parses_kept_are_bounded_and_the_last_used_are_the_ones_kept(
    tmp_path: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch, aside: bool
) -> None:
    """Each version of a pack is kept under its bytes' digest, and nothing removed them: a pack edited a hundred
    times left a hundred parses. Beyond KEEP_PARSES, those written or read longest ago go; one read is kept as
    if new, and another cache file (a database) is never touched."""
    monkeypatch.setattr(parsecache, "KEEP_PARSES", 3)
    monkeypatch.setattr(parsecache, "KEEP_ASIDE_FROM", 0 if aside else 10**12)
    database = isolated / "packs.sqlite"
    database.write_bytes(b"")
    os.utime(database, ns=(1, 1))  # older than every parse
    other = isolated / "pack-notes.json"  # a file of the folder that is no kept parse (a user's own folder)
    other.write_text("{}", encoding="utf-8")
    os.utime(other, ns=(1, 1))
    pack = tmp_path / "mine.yaml"
    wheres = []
    for n in range(4):  # four versions, each parsed and kept, a second apart
        shutil.copy(FIXTURE, pack)
        with pack.open("a", encoding="utf-8") as f:
            f.write(f"\n# version {n}\n")
        packs.read_packs([str(pack)], use_pack_cache=True)
        where = parsecache.pack_cache(str(pack))
        assert where is not None and Path(where[0]).exists()
        os.utime(where[0], ns=(10**18 + n * 10**9,) * 2)
        wheres.append(where)
    kept = sorted(p.name for p in isolated.glob("pack-*.json") if p != other)
    assert len(kept) == 3 and Path(wheres[0][0]).name not in kept and database.exists()
    assert parsecache.read_parsed(str(pack), wheres[1]) is not None  # the oldest left, read: kept as if new
    shutil.copy(FIXTURE, pack)  # a fifth version: the oldest unread goes (the second of the four)
    packs.read_packs([str(pack)], use_pack_cache=True)
    names = {p.name for p in isolated.glob("pack-*.json")}
    assert Path(wheres[1][0]).name in names and Path(wheres[2][0]).name not in names
    assert names == {Path(w[0]).name for w in (wheres[1], wheres[3])} | {
        Path(parsecache.pack_cache(str(pack))[0]).name,
        "pack-notes.json",
    }
    assert database.exists() and other.exists()
    # a parse of the last day is never removed: a build reading more packs than the bound keeps every one
    for where in wheres[1:]:
        if Path(where[0]).exists():
            os.utime(where[0])  # read now
    shutil.copy(FIXTURE, pack)
    with pack.open("a", encoding="utf-8") as f:
        f.write("\n# a sixth version\n")
    packs.read_packs([str(pack)], use_pack_cache=True)
    assert len(list(isolated.glob("pack-*.json"))) == 5  # four parses (one over the bound) and the other file


@pytest.mark.parametrize("aside", [True, False], ids=["on the second core", "here"])
def test_a_first_parse_is_kept_only_when_the_packs_are_valid_and_leaves_no_temporary_file(
    tmp_path: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch, aside: bool
) -> None:
    """A large pack's parse is written by a forked child while the packs are validated (KEEP_ASIDE_FROM at 0
    makes the fixture large), a small one's here after: either way it is kept under its bytes' key when the
    packs are valid, and never when they are not or when validation is interrupted, with no file left."""
    from clusters_cli.store import forked, validate

    forks: list[int | None] = []  # what each fork gave: a child's pid (None on a system of one core)

    def start(work: Any) -> int | None:
        forks.append(real_start(work))
        return forks[-1]

    real_start = forked.start
    monkeypatch.setattr(forked, "start", start)
    monkeypatch.setattr(parsecache, "KEEP_ASIDE_FROM", 0 if aside else 10**12)
    two_cores = len(os.sched_getaffinity(0)) > 1
    pack = tmp_path / "mine.yaml"
    shutil.copy(FIXTURE, pack)
    parsed, _ = packs.read_packs([str(pack)], use_pack_cache=True)
    where = parsecache.pack_cache(str(pack))
    assert where is not None and len(forks) == (1 if aside else 0)
    if aside:  # a child wrote it, where one can
        assert all(pid is not None for pid in forks) == two_cores
    assert json.loads(Path(where[0]).read_text(encoding="utf-8")) == {"key": where[1], "data": parsed[0].data}
    assert [p.name for p in isolated.iterdir()] == [Path(where[0]).name]

    broken = tmp_path / "broken.yaml"  # parses and meets the schema; names a city no pack holds
    broken.write_text(FIXTURE.read_text(encoding="utf-8").replace("cities: [hefei]", "cities: [nowhere]"), "utf-8")
    with pytest.raises(InvalidKnowledgeBase):
        packs.read_packs([str(broken)], use_pack_cache=True)
    stopped = tmp_path / "stopped.yaml"
    stopped.write_text(FIXTURE.read_text(encoding="utf-8") + "\n# another pack's bytes\n", "utf-8")

    def interrupted(*args: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(validate, "validated", interrupted)
    with pytest.raises(KeyboardInterrupt):
        packs.read_packs([str(stopped)], use_pack_cache=True)
    assert len(forks) == (3 if aside else 0)
    assert [p.name for p in isolated.iterdir()] == [Path(where[0]).name]  # neither kept, no temporary file


@pytest.mark.parametrize("aside", [True, False], ids=["on the second core", "here"])
def test_the_parse_kept_is_each_pack_as_parsed_though_the_merge_then_changes_its_entries(
    tmp_path: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch, aside: bool
) -> None:
    """The packs are merged while a large pack's parse is still being kept by a forked child; the merge folds
    an entry that joins another (same_as) into that entry, in place. The parse kept is each pack's as parsed,
    whether the child kept it (it waits for the child after the merge) or this process did, before the merge."""
    from helpers import PACKS, fixture_text

    from clusters_cli.sanitize import clean_tree
    from clusters_cli.store import forked, rules

    events: list[str] = []
    real_finish, real_fold = forked.finish, rules.fold_same_as

    def finish(pid: int, *, kill: bool = False) -> bool:
        events.append("waited")
        return real_finish(pid, kill=kill)

    def fold(sections: Any) -> None:
        events.append("merged")
        real_fold(sections)

    monkeypatch.setattr(forked, "finish", finish)
    monkeypatch.setattr(rules, "fold_same_as", fold)
    monkeypatch.setattr(parsecache, "KEEP_ASIDE_FROM", 0 if aside else 10**12)
    paths = []
    for name in PACKS:
        paths.append(str(tmp_path / Path(name).name))
        Path(paths[-1]).write_text(fixture_text(name), "utf-8")
    sections = packs.load_fresh(paths, use_pack_cache=True)[0]
    joined = next(c for c in sections["clusters"] if c["id"] == "anhui-pv")
    assert "hefei-photovoltaics" in joined["aliases"]  # the merge changed the article pack's entry
    for path in paths:
        where = parsecache.pack_cache(path)
        assert where is not None
        kept = json.loads(Path(where[0]).read_text(encoding="utf-8"))
        assert kept == {"key": where[1], "data": clean_tree(yamlfile.load_yaml(path)[0])}
    two_cores = len(os.sched_getaffinity(0)) > 1
    assert events == (["merged", "waited"] if aside and two_cores else ["merged"])


def test_a_large_parse_is_written_on_while_the_database_is_compiled_and_settled_after_it(
    tmp_path: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first run waits for the child keeping a large pack's parse only once the database is compiled (the
    child writes while it is: packs.valid_packs' `later`), and keeps the parse then; a build interrupted stops
    the child and keeps neither its parse nor a database, nor any temporary file; a build that fails otherwise
    keeps the parse of the valid packs, as a run where nothing forks does (kept before the build)."""
    from clusters_cli.store import forked

    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("nothing forks on one core")
    events: list[str] = []
    real_finish, real_build = forked.finish, store_build.build_database

    def finish(pid: int, *, kill: bool = False) -> bool:
        events.append("stopped" if kill else "waited")
        return real_finish(pid, kill=kill)

    def build(*args: Any, **kwargs: Any) -> None:
        real_build(*args, **kwargs)
        events.append("built")

    monkeypatch.setattr(forked, "finish", finish)
    monkeypatch.setattr(store_build, "build_database", build)
    monkeypatch.setattr(parsecache, "KEEP_ASIDE_FROM", 0)
    pack = tmp_path / "mine.yaml"
    shutil.copy(FIXTURE, pack)
    cache.load_kb([str(pack)], shipped=False).conn.close()
    assert events == ["built", "waited"]
    where = parsecache.pack_cache(str(pack))
    assert where is not None and json.loads(Path(where[0]).read_text(encoding="utf-8"))["key"] == where[1]
    first = sorted(p.name for p in isolated.iterdir())
    assert sorted(Path(name).suffix for name in first) == [".json", ".lock", ".sqlite"]  # .lock: building_alone

    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    events.clear()
    other = tmp_path / "other.yaml"
    other.write_text(FIXTURE.read_text(encoding="utf-8") + "\n# another pack's bytes\n", "utf-8")
    monkeypatch.setattr(store_build, "build_database", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.load_kb([str(other)], shipped=False)
    assert events == ["stopped"]
    lock = Path(cache.cache_file([str(other)])).stem + ".lock"  # its packs' lock stays: another run may wait on it
    assert sorted(p.name for p in isolated.iterdir()) == sorted([*first, lock])  # else the first run's files alone

    def failing(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a build that fails")

    events.clear()
    monkeypatch.setattr(store_build, "build_database", failing)
    with pytest.raises(RuntimeError):
        cache.load_kb([str(other)], shipped=False)
    assert events == ["waited"]
    where = parsecache.pack_cache(str(other))
    assert where is not None and json.loads(Path(where[0]).read_text(encoding="utf-8"))["key"] == where[1]
    assert sorted(p.name for p in isolated.iterdir()) == sorted([*first, lock, Path(where[0]).name])  # no database


def _running(pid: int) -> bool:
    """Whether a process runs (not gone, and not a zombie waiting to be reaped)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2, reason="nothing forks here"
)
def test_a_forked_child_ends_with_the_run_that_forked_it_however_that_run_ends() -> None:
    """A run killed (SIGKILL: nothing of its own runs) while a forked child works (a build's helper, a parse
    being kept): the kernel kills the child too (forked._ends_with), so no child writes on after the run."""
    script = (
        "import time\nfrom clusters_cli.store import forked\n"
        "print(forked.start(lambda: time.sleep(60)), flush=True)\ntime.sleep(60)\n"
    )
    run = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert run.stdout is not None
    child = int(run.stdout.readline())
    try:
        assert _running(child)
        run.kill()
        run.wait()
        for _ in range(200):  # killed at once by the kernel; reaped by whichever process adopts it
            if not _running(child):
                break
            time.sleep(0.05)
        assert not _running(child)
    finally:
        run.kill()
        run.wait()
        with contextlib.suppress(OSError):
            os.kill(child, signal.SIGKILL)


def test_a_wait_for_the_child_keeping_a_parse_that_is_interrupted_stops_and_reaps_it(
    tmp_path: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while this process waits for the child writing a parse: the child is stopped and reaped (never
    left to write the files again, nor a zombie), and no temporary file is left."""
    from clusters_cli.store import forked

    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("nothing forks on one core")
    calls: list[tuple[int, bool]] = []
    real_finish = forked.finish

    def finish(pid: int, *, kill: bool = False) -> bool:
        calls.append((pid, kill))
        if not kill:
            raise KeyboardInterrupt  # as Ctrl-C in waitpid
        return real_finish(pid, kill=kill)

    monkeypatch.setattr(forked, "finish", finish)
    monkeypatch.setattr(parsecache, "KEEP_ASIDE_FROM", 0)
    pack = tmp_path / "mine.yaml"
    shutil.copy(FIXTURE, pack)
    with pytest.raises(KeyboardInterrupt):
        packs.read_packs([str(pack)], use_pack_cache=True)
    assert len(calls) == 2 and calls[1] == (calls[0][0], True) and not calls[0][1]  # waited, then stopped it
    pid = calls[0][0]
    with pytest.raises(ChildProcessError):  # reaped: no such child any more
        os.waitpid(pid, os.WNOHANG)
    assert list(isolated.iterdir()) == []


def test_a_parse_s_temporary_files_are_named_by_the_process_so_the_next_build_sweeps_them(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run killed while its child writes a parse leaves files named by its pid: the next build's sweep
    removes those of a process no longer running."""
    made = parsecache._temporaries(2)
    assert len(made) == 2 and all(Path(t).name.startswith(f"{buildfiles.TMP_PREFIX}{os.getpid()}-") for t in made)
    buildfiles.sweep_leftovers(str(isolated))
    assert all(Path(t).exists() for t in made)  # this process runs
    monkeypatch.setattr(buildfiles, "_running", lambda pid: False)
    buildfiles.sweep_leftovers(str(isolated))
    assert list(isolated.iterdir()) == []


def test_a_first_parse_reads_the_pack_once_so_the_parse_kept_is_of_the_bytes_hashed(
    tmp_path: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # hashed from one read and parsed from another, an edit in between had the new bytes' parse kept under the
    # old bytes' key
    pack = tmp_path / "mine.yaml"
    shutil.copy(FIXTURE, pack)
    opened: list[str] = []
    real_open = builtins.open

    def counting(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        if str(file) == str(pack):
            opened.append(mode)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting)
    packs.read_packs([str(pack)], use_pack_cache=True)
    assert opened == ["rb"]
    where = parsecache.pack_cache(str(pack))
    assert where is not None and json.loads(Path(where[0]).read_text(encoding="utf-8"))["key"] == where[1]


def test_a_build_from_kept_parses_alone_never_imports_pyyaml(tmp_path: Path, isolated: Path) -> None:
    """A copied or touched pack, or the wheel's shipped packs on a first run, is compiled from the parse kept
    under its bytes: its file is read and keyed (store/packfile.py), and PyYAML (12 ms to import) is not
    imported. A pack never parsed before is the control: it imports it."""
    mine = copied_packs(tmp_path)
    env = {**env_of(mine), "CLUSTERS_CACHE_DIR": str(isolated)}
    first = run_many(["province", "Anhui", "--json"], env=env, modules=True)[0]
    assert first.exit_code == 0 and "yaml" in first.stderr.rsplit("MODULES ", 1)[1].split()  # the control
    for path in mine:  # touched: the cache key changes, the bytes and their kept parses do not
        os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    again = run_many(["province", "Anhui", "--json"], env=env, modules=True)[0]
    assert again.exit_code == 0 and again.stdout == first.stdout
    loaded = again.stderr.rsplit("MODULES ", 1)[1].split()
    assert "clusters_cli.store.build" in loaded  # compiled again, from the kept parses
    assert not {m for m in loaded if m.split(".")[0] == "yaml" or m == "clusters_cli.store.yamlfile"}


def test_no_generated_or_large_file_is_tracked() -> None:
    tracked = subprocess.run(["git", "ls-files"], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    files = [ROOT / name for name in tracked.split()]
    assert not [f for f in files if f.name in ("packs.parsed.json", "packs.sha256", "schema.checks")]
    assert not [f.name for f in files if f.exists() and f.stat().st_size > 1_000_000]


def test_the_parses_kept_are_bounded_in_bytes_the_last_day_s_too(
    tmp_path: Path, isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parses of the last day were all kept: 48 edits of a pack 100 times the shipped one, 8 GB. Beyond
    KEEP_PARSE_BYTES the oldest go whatever their day, but for the newest and those written or read in the
    last hour (a run's own packs: dropped, each run would parse again what the last one dropped)."""
    monkeypatch.setattr(parsecache, "KEEP_ASIDE_FROM", 10**12)  # kept here, before the run ends
    pack = tmp_path / "mine.yaml"
    wheres = []
    for n in range(4):  # four versions of today, each parsed and kept
        shutil.copy(FIXTURE, pack)
        with pack.open("a", encoding="utf-8") as f:
            f.write(f"\n# version {n}\n")
        if n == 3:  # room for the newest two: the budget is read as the last is kept
            monkeypatch.setattr(parsecache, "KEEP_PARSE_BYTES", 2 * os.path.getsize(wheres[0][0]) + 100)
        packs.read_packs([str(pack)], use_pack_cache=True)
        where = parsecache.pack_cache(str(pack))
        assert where is not None and Path(where[0]).exists()
        if n < 3:  # two hours ago and more, a second apart: today, past the last hour
            os.utime(where[0], ns=(time.time_ns() - 7200 * 10**9 - (3 - n) * 10**9,) * 2)
        wheres.append(where)
    assert sorted(p.name for p in isolated.glob("pack-*.json")) == sorted(Path(w[0]).name for w in wheres[2:])
    monkeypatch.setattr(parsecache, "KEEP_PARSE_BYTES", 1)
    os.utime(wheres[2][0])  # read or written in the last hour: a run's own, kept beyond the bytes
    shutil.copy(FIXTURE, pack)
    packs.read_packs([str(pack)], use_pack_cache=True)
    newest = Path(parsecache.pack_cache(str(pack))[0]).name
    assert sorted(p.name for p in isolated.glob("pack-*.json")) == sorted(
        {newest, Path(wheres[2][0]).name, Path(wheres[3][0]).name}
    )
    for path in [*(w[0] for w in wheres[2:]), str(isolated / newest)]:
        os.utime(path, ns=(time.time_ns() - 7200 * 10**9,) * 2)
    shutil.copy(FIXTURE, pack)
    with pack.open("a", encoding="utf-8") as f:
        f.write("\n# a fifth\n")
    packs.read_packs([str(pack)], use_pack_cache=True)  # past the hour, past the bytes: the newest alone
    assert [p.name for p in isolated.glob("pack-*.json")] == [Path(parsecache.pack_cache(str(pack))[0]).name]
