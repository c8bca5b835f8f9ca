"""Where the shipped packs and the schema live, and which packs a run reads.

An installed wheel carries the data inside the package (clusters_cli/data/);
a source checkout or editable install reads the repository's data/.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent

# The shipped packs, in the order their entities are listed. Each is one file
# from one source (see ARCHITECTURE.md, "Adding a data source").
SHIPPED_PACKS = ("divisions.yaml", "clusters.yaml", "national_designations.yaml", "specialised_towns.yaml")


def _shipped(name: str) -> Path:
    inside = _PACKAGE / "data" / name
    return inside if inside.exists() else _PACKAGE.parent / "data" / name


def shipped_packs() -> list[str]:
    return [str(_shipped(name)) for name in SHIPPED_PACKS]


def verified_digests() -> dict[str, str]:
    """sha256 of each shipped pack as the test suite verified it (data/packs.sha256): a shipped pack with
    that exact content needs no schema check on a first run; an edited one gets the full check."""
    try:
        text = _shipped("packs.sha256").read_text(encoding="utf-8")
    except OSError:
        return {}
    digests = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2 and not line.startswith("#"):
            digests[parts[1]] = parts[0]
    return digests


def parsed_shipped() -> Path:
    """data/packs.parsed.json: the shipped packs as parsed when they were stamped (scripts/stamp_packs.py)."""
    return _shipped("packs.parsed.json")


def schema_path() -> Path:
    return _shipped("clusters.schema.json")


def pack_paths(extra: Sequence[str] = (), *, shipped: bool | None = None) -> list[str]:
    """The packs to read: the shipped ones, then --data packs (or else those in $CLUSTERS_DATA).

    `shipped=False` (--no-shipped, or CLUSTERS_NO_SHIPPED=1) reads only the user's packs.
    """
    own = [p for p in extra if p] or [p for p in os.environ.get("CLUSTERS_DATA", "").split(os.pathsep) if p]
    if shipped is None:
        shipped = not os.environ.get("CLUSTERS_NO_SHIPPED")
    base = shipped_packs() if shipped or not own else []
    return list(dict.fromkeys([*base, *own]))


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one existing file (so an output never overwrites a pack)."""
    try:
        return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)
    except OSError:
        return False
