"""Audits of the shipped data: the facts of the article, counts, sources, locators and the reference pack
against its table. They read data/*.yaml (the code tests' guard is off here) and may assert what the
shipped data holds; a data edit that breaks one of them is a finding about the data, not the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import base_env, load_through


@pytest.fixture(autouse=True)
def clean_env(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped packs, with no stray environment (this replaces the code tests' fixture packs and guard)."""
    base_env(monkeypatch, shared_cache)
    return shared_cache


@pytest.fixture(scope="session")
def kb(shared_cache: Path) -> Any:
    """The shipped knowledge base, loaded once."""
    return load_through(shared_cache, None)
