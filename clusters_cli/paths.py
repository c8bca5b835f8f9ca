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

    `shipped=False` (--no-shipped, or CLUSTERS_NO_SHIPPED=1) reads only the user's packs. A pack of one's own
    of a shipped pack's file name and title is read in its place, where the shipped one stands (stand_ins).
    """
    own, shipped = _asked(extra, shipped)
    if not shipped and not own:
        from .errors import UsageProblem
        from .i18n import _

        raise UsageProblem(
            _(
                "--no-shipped (or CLUSTERS_NO_SHIPPED) reads only your own packs, and none is given: "
                "add --data PATH (or set CLUSTERS_DATA)"
            )
        )
    if not shipped:
        return _once(own)
    named = {os.path.basename(path): path for path in own}  # the last of one name, as a later pack wins
    base = []
    for path in shipped_packs():
        mine = named.get(os.path.basename(path))
        # an edited copy: a pack of the shipped one's file name and title (a clusters.yaml of one's own under
        # another title is read beside the shipped one, whose data it would otherwise hide)
        base.append(mine if mine is not None and _title(mine) == _title(path) is not None else path)
    return _once([*base, *own])


def _once(paths: Sequence[str]) -> list[str]:
    """Each file once, the first time it is named (`data/x.yaml` and `./data/x.yaml` are one pack, not every
    id of it twice)."""
    seen: set[str] = set()
    out = []
    for path in paths:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def _title(path: str) -> str | None:
    """A pack's `meta.title`, read from the top-level `meta` mapping alone (block or flow, in the file's first
    256 KiB); None where none is found or it does not read as a mapping with a title."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            head = f.read(256 * 1024)
    except OSError:
        return None
    lines = head.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith("meta:")), None)
    if start is None:
        return None
    block = [lines[start]]
    for line in lines[start + 1 :]:
        if line and not line[0].isspace() and not line.startswith("#"):
            break  # the next top-level key
        block.append(line)
    from .errors import ClustersError
    from .store.yamlfile import parse_text  # the packs' own safe parse: no tag, anchor or alias is read

    try:
        meta, _ = parse_text(path, "\n".join(block), locate=False)
    except ClustersError:  # a head that does not parse, by the packs' rules: no title read, the pack read beside
        return None
    title = meta.get("meta", {}).get("title") if isinstance(meta, dict) and isinstance(meta.get("meta"), dict) else None
    return title if isinstance(title, str) and title else None


def stand_ins(extra: Sequence[str] = (), *, shipped: bool | None = None) -> list[tuple[str, str]]:
    """(a pack of one's own, the file name of the shipped pack it is read in place of) for each pack of one's
    own that pack_paths reads instead of a shipped one (an edited copy of data/clusters.yaml: its file name and
    title), other than the shipped file itself: every run says so."""
    if not _asked(extra, shipped)[1]:
        return []
    paths = pack_paths(extra, shipped=True)
    return [
        (path, os.path.basename(path))
        for path, was in zip(paths, shipped_packs(), strict=False)
        if path != was and not same_file(path, was)
    ]


def _asked(extra: Sequence[str], shipped: bool | None) -> tuple[list[str], bool]:
    """(the packs of one's own: `extra`, else $CLUSTERS_DATA; whether the shipped packs are read)."""
    own = [p for p in extra if p] or [p for p in os.environ.get("CLUSTERS_DATA", "").split(os.pathsep) if p]
    return own, (not env_flag("CLUSTERS_NO_SHIPPED")) if shipped is None else shipped


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
