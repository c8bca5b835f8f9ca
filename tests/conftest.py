"""Code tests run on the fixture packs (tests/fixtures/), never on the shipped data.

An autouse fixture points every test at the fixture packs (CLUSTERS_DATA, CLUSTERS_NO_SHIPPED=1, which
subprocesses inherit) and arms a guard: a test that opens any file of data/ but the schema fails, so a
data edit can never break a code test. The audits of the shipped data live in tests/audits/, whose own
conftest.py turns the guard off and points them at data/.

The cache of the fixture packs is built once per session and shared; tests about the cache itself ask for
`isolated`, a cache folder of their own.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import PACKS, base_env, load_through

# Subprocess tests start the CLI as a user's shell does, with bytecode cached: without this, an
# environment that sets PYTHONDONTWRITEBYTECODE (some sandboxes and CI runners do) recompiles every
# module of the tool in every subprocess.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

ROOT = Path(__file__).resolve().parent.parent
DATA = str(ROOT / "data")
# The schema is the code's side of the data contract; data/packs.sha256 is the list of the shipped packs'
# digests, which the loader consults (to recognise a shipped pack) before it knows none is in use: neither
# holds a fact a test could come to depend on.
ALLOWED = {os.path.join(DATA, "clusters.schema.json"), os.path.join(DATA, "packs.sha256")}


class ShippedDataRead(AssertionError):
    """A code test opened a file of the shipped data."""


class _Guard:
    armed = False
    reads: list[str] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _Guard.armed or event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
        return
    path = os.path.abspath(os.fsdecode(args[0]))
    if path.startswith(DATA + os.sep) and path not in ALLOWED:
        _Guard.reads.append(path)
        raise ShippedDataRead(f"a code test opened {path}: code tests read tests/fixtures/ (audits: tests/audits/)")


sys.addaudithook(_audit)  # a hook stays for the life of the process; _Guard.armed says when it acts


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the whole run: with xdist, the workers' temporary folders share a parent, so the
    first worker to build a set of packs' cache spares the other the build (writes are atomic)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-cache"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(autouse=True)
def clean_env(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Every code test reads the fixture packs only, and fails if it opens the shipped data."""
    base_env(monkeypatch, shared_cache)
    monkeypatch.setenv("CLUSTERS_DATA", os.pathsep.join(PACKS))
    monkeypatch.setenv("CLUSTERS_NO_SHIPPED", "1")
    _Guard.reads = []
    _Guard.armed = True
    try:
        yield shared_cache
    finally:
        _Guard.armed = False
    if _Guard.reads:
        pytest.fail(f"a code test read the shipped data: {sorted(set(_Guard.reads))}", pytrace=False)


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
