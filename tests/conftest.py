"""Every test runs against the real shipped knowledge base, with the parse
cache in a temporary folder and no stray environment."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(cache))
    for var in ("CLUSTERS_DATA", "NO_COLOR", "CLUSTERS_MAX_BYTES", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    return cache
