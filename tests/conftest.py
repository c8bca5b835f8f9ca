"""Code tests run on the fixture packs (tests/fixtures/), never on the shipped data.

Autouse fixtures point every code test at the fixture packs (CLUSTERS_DATA, CLUSTERS_NO_SHIPPED=1, which
subprocesses inherit; set for the whole session too, for module and session fixtures; in the test's own
process `paths.shipped_packs` names them too), and a guard fails a
code test that opens any file of data/ but the schema: a data edit can never break a code test. The
audits of the shipped data live in tests/audits/: the guard leaves
them alone, and their own conftest.py points them at data/.

The cache of the fixture packs is built once per session and shared; tests about the cache itself ask for
`isolated`, a cache folder of their own.
"""

from __future__ import annotations

import gc
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from helpers import PACKS, READS, ShippedDataRead, load_through
from hypothesis import settings

# The property tests try the same examples on every run, from a seed each test's name gives (a fresh clone found
# an example this machine's runs had not, and CI failed on a test that passed here): a run fails only on a
# change. HYPOTHESIS_PROFILE=explore searches afresh, for looking for new examples by hand.
settings.register_profile("pinned", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "pinned"))

# The tests' temporary folders (tmp_path, the caches they build, the exports' spools, subprocesses' too) go to
# /dev/shm, a folder in memory, where the machine has one with room to spare and TMPDIR names no other: the suite
# writes 280 MB of small files and databases and removes most of them, which on this machine's disk (ext4, mounted
# with `discard`) cost 2.7 s of a run (three runs each, alternated with the suite before: medians 26.9 s against
# 29.6). pyproject.toml's `tmp_path_retention_policy = "failed"` removes a passing test's tmp_path as it ends (the
# folders tmp_path_factory makes stay to the run's end), and a passing run's whole folder then, so a passing run
# leaves nothing there; a failing one keeps its failed tests' folders, as pytest keeps them anywhere.
SCRATCH_MIN_FREE = 2 << 30


def _scratch_in_memory(folder: str = "/dev/shm") -> None:
    if "TMPDIR" in os.environ:  # the user's choice (and a worker's, from the process that started it)
        return
    try:
        free = os.statvfs(folder)
    except OSError:  # no such folder: not Linux
        return
    runnable = not free.f_flag & getattr(os, "ST_NOEXEC", 0)  # as /tmp is for the programs tests start
    if runnable and os.access(folder, os.W_OK | os.X_OK) and free.f_bavail * free.f_frsize >= SCRATCH_MIN_FREE:
        os.environ["TMPDIR"] = folder
        tempfile.tempdir = None  # gettempdir() reads TMPDIR again


_scratch_in_memory()

# Subprocess tests start the CLI as a user's shell does, with bytecode cached: without this, an
# environment that sets PYTHONDONTWRITEBYTECODE (some sandboxes and CI runners do) recompiles every
# module of the tool in every subprocess.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).resolve().parent.parent
DATA = str(ROOT / "data")
# The schema is the code's side of the data contract: it holds no fact a test could come to depend on. The
# province outlines are the drawn map's geometry (built by scripts/build_shapes.py), not facts about clusters.
ALLOWED = {os.path.join(DATA, "clusters.schema.json"), os.path.join(DATA, "province_shapes.json")}


def _in_code_test() -> bool:
    """Whether a code test (its setup, call or teardown, module and session fixtures included) is running:
    pytest names it in PYTEST_CURRENT_TEST, and the audits are the tests under tests/audits/."""
    current = os.environ.get("PYTEST_CURRENT_TEST", "")
    return bool(current) and not current.replace(os.sep, "/").split("::")[0].startswith("tests/audits/")


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path = os.path.abspath(os.fsdecode(args[0]))
    if path.startswith(DATA + os.sep) and path not in ALLOWED and _in_code_test():
        READS.append(path)
        raise ShippedDataRead(f"a code test opened {path}: code tests read tests/fixtures/ (audits: tests/audits/)")


sys.addaudithook(_audit)  # a hook stays for the life of the process: it acts only while a code test runs


@pytest.hookimpl(trylast=True)
def pytest_collection_finish() -> None:
    """Every test module is imported (the tool, pytest, hypothesis and the tests: objects that live as long as the
    worker): collected once and frozen, so that the cyclic collector's full passes while the tests run scan
    only what the tests make (tests/README.md)."""
    gc.collect()
    gc.freeze()


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish() -> None:
    """Every test has run: one full collection, with pytest's hook for exceptions raised in finalizers still
    listening, then what is left is frozen (never scanned by the cyclic collector again). Each worker held
    300,000-500,000 objects, and the full passes pytest makes at the end for that hook and the interpreter's
    at exit took 0.7-1.1 s after the last test; this way the collection is made once (tests/README.md)."""
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The code tests' cache folder for the whole run: with xdist, the workers' temporary folders share a
    parent, so the first worker to build the fixture packs' cache spares the other the build (writes are
    atomic). The audits keep theirs apart, so a shipped pack's cache is never warm here: a code test that
    reaches for the shipped data has to open it, and the guard sees that."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-cache" / "code"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def code_env(setenv: Any, delenv: Any, cache: Path) -> None:
    """The fixture packs only, a known cache folder and width, no colour settings, English (the Chinese
    interface is tested by asking for it: tests/test_i18n.py)."""
    setenv("CLUSTERS_CACHE_DIR", str(cache))
    setenv("CLUSTERS_LANG", "en")
    for var in ("NO_COLOR", "CLUSTERS_MAX_BYTES", "FORCE_COLOR"):
        delenv(var)
    setenv("COLUMNS", "80")
    setenv("CLUSTERS_DATA", os.pathsep.join(PACKS))
    setenv("CLUSTERS_NO_SHIPPED", "1")


@pytest.fixture(scope="session", autouse=True)
def session_env(shared_cache: Path) -> Any:
    """The code tests' environment for the whole session, so that module and session fixtures (which run
    before a test's own fixtures) read the fixture packs too; each test gets it afresh from clean_env."""
    saved = dict(os.environ)
    code_env(os.environ.__setitem__, lambda var: os.environ.pop(var, None), shared_cache)
    yield
    os.environ.clear()
    os.environ.update(saved)


@pytest.fixture(autouse=True)
def clean_env(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every code test reads the fixture packs only, and fails if it opens the shipped data."""
    from clusters_cli import paths
    from clusters_cli.i18n import use

    code_env(monkeypatch.setenv, lambda var: monkeypatch.delenv(var, raising=False), shared_cache)
    # what the code asks of "the shipped packs" (a --no-shipped error's hint reads them) is the fixture packs
    monkeypatch.setattr(paths, "shipped_packs", lambda: list(PACKS))
    use("en")  # the language a test starts in, whatever one run in this worker before it chose
    READS.clear()
    yield shared_cache
    if READS:  # also when the code caught the guard's exception
        pytest.fail(f"a code test read the shipped data: {sorted(set(READS))}", pytrace=False)


@pytest.fixture
def isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(cache))
    return cache


@pytest.fixture(scope="session")
def kb(shared_cache: Path) -> Any:
    """The fixture knowledge base, loaded once, for tests of pure functions."""
    return load_through(shared_cache, PACKS)
