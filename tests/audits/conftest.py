"""Audits of the shipped data: the facts of the article, counts, sources, locators and the reference pack
against its table. They read data/*.yaml (the code tests' guard is off here) and may assert what the
shipped data holds; a data edit that breaks one of them is a finding about the data, not the code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import base_env, load_through


@pytest.fixture(scope="session")
def audit_cache(shared_cache: Path) -> Path:
    """The audits' cache folder, apart from the code tests' (see tests/conftest.py: shared_cache)."""
    folder = shared_cache.parent / "audits"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(autouse=True)
def clean_env(audit_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped packs, with no stray environment (this replaces the code tests' fixture packs and guard).

    Module and session fixtures here run in the code tests' environment (fixture packs): they name the
    shipped packs explicitly."""
    from clusters_cli.i18n import use

    base_env(monkeypatch, audit_cache)
    use("en")  # the language an audit starts in, whatever a test run before it in this worker chose
    return audit_cache


@pytest.fixture(scope="session")
def kb(audit_cache: Path) -> Any:
    """The shipped knowledge base, loaded once."""
    from clusters_cli.paths import shipped_packs

    return load_through(audit_cache, shipped_packs())
