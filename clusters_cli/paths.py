"""Where the shipped knowledge base and its schema live.

An installed wheel carries them inside the package (clusters_cli/data/); a
source checkout or editable install reads them from the repository's data/.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    inside = _PACKAGE / "data" / name
    return inside if inside.exists() else _PACKAGE.parent / "data" / name


def default_data_path() -> Path:
    return _shipped("clusters.yaml")


def schema_path() -> Path:
    return _shipped("clusters.schema.json")


def data_path(explicit: str | None = None) -> str:
    """--data wins, then CLUSTERS_DATA, then the shipped file."""
    chosen = explicit or os.environ.get("CLUSTERS_DATA") or ""
    return chosen if chosen else str(default_data_path())


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one existing file (so an output never overwrites the knowledge base)."""
    try:
        return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)
    except OSError:
        return False
