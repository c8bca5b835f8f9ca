"""Every test runs against the real shipped knowledge base, with no stray environment.

The parse cache of the shipped packs is built once per session and shared
(a fresh build per test re-parsed the YAML hundreds of times); tests about the
cache itself ask for `isolated`, a cache folder of their own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Subprocess tests start the CLI as a user's shell does, with bytecode cached: without this, an
# environment that sets PYTHONDONTWRITEBYTECODE (some sandboxes and CI runners do) recompiles every
# module of the tool in every subprocess.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the whole run: with xdist, the workers' temporary folders share a parent, so the
    first worker to build the shipped data's cache spares the other the build (writes are atomic)."""
    base = tmp_path_factory.getbasetemp()
    folder = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-cache"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(autouse=True)
def clean_env(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(shared_cache))
    for var in ("CLUSTERS_DATA", "CLUSTERS_NO_SHIPPED", "NO_COLOR", "CLUSTERS_MAX_BYTES", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    return shared_cache


@pytest.fixture
def isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(cache))
    return cache


@pytest.fixture(scope="session")
def kb(shared_cache: Path):  # type: ignore[no-untyped-def]
    """The shipped knowledge base, loaded once (through the session's cache), for tests of pure functions."""
    import os

    from clusters_cli import load_kb

    before = os.environ.get("CLUSTERS_CACHE_DIR")
    os.environ["CLUSTERS_CACHE_DIR"] = str(shared_cache)
    try:
        return load_kb()
    finally:
        if before is None:
            del os.environ["CLUSTERS_CACHE_DIR"]
        else:
            os.environ["CLUSTERS_CACHE_DIR"] = before
