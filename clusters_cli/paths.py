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
SHIPPED_PACKS = (
    "divisions.yaml",
    "clusters.yaml",
    "national_designations.yaml",
    "specialised_towns.yaml",
    "companies.yaml",
    "regions.yaml",
    "zones.yaml",
)


def _shipped(name: str) -> Path:
    inside = _PACKAGE / "data" / name
    return inside if inside.exists() else _PACKAGE.parent / "data" / name


def shipped_packs() -> list[str]:
    return [str(_shipped(name)) for name in SHIPPED_PACKS]


def _built(name: str) -> Path | None:
    """A product of the wheel build (hatch_build.py) in the installed package; None in a source checkout or an
    editable install, which have none."""
    inside = _PACKAGE / "data" / name
    return inside if inside.exists() else None


def compiled_packs() -> Path | None:
    """The shipped packs' checked parse that the wheel build compiled; without it, they are parsed on the
    first run."""
    return _built("packs.parsed.json")


def compiled_checks() -> Path | None:
    """fastjsonschema's checks of the schema, compiled by the wheel build (store/schema.py: compile_checks);
    without them, they are compiled when a pack is first checked."""
    return _built("schema.checks")


def schema_path() -> Path:
    return _shipped("clusters.schema.json")


def shapes_path() -> Path:
    """The province outlines the drawn map and the GeoJSON use (scripts/build_shapes.py builds them)."""
    return _shipped("province_shapes.json")


def pack_paths(extra: Sequence[str] = (), *, shipped: bool | None = None) -> list[str]:
    """The packs to read: the shipped ones, then --data packs (or else those in $CLUSTERS_DATA).

    `shipped=False` (--no-shipped, or CLUSTERS_NO_SHIPPED=1) reads only the user's packs.
    """
    own = [p for p in extra if p] or [p for p in os.environ.get("CLUSTERS_DATA", "").split(os.pathsep) if p]
    if shipped is None:
        shipped = not env_flag("CLUSTERS_NO_SHIPPED")
    if not shipped and not own:
        from .errors import UsageProblem
        from .i18n import _

        raise UsageProblem(
            _(
                "--no-shipped (or CLUSTERS_NO_SHIPPED) reads only your own packs, and none is given: "
                "add --data PATH (or set CLUSTERS_DATA)"
            )
        )
    base = shipped_packs() if shipped else []
    return list(dict.fromkeys([*base, *own]))


def env_flag(name: str) -> bool:
    """Whether an on/off setting of the environment (CLUSTERS_NO_SHIPPED, CLUSTERS_EXACT) is on: any value but
    nothing, 0, false, no or off, in any case."""
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no", "off")


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one existing file (so an output never overwrites a pack)."""
    try:
        return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)
    except OSError:
        return False
