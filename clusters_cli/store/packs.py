"""Reading the packs: each parsed (or its parse taken from an earlier run, or a verified shipped pack's
stamped parse), then validated together and merged; what the cache (store/cache.py) compiles.

A verified shipped pack (its sha256 is in data/packs.sha256) skips the schema check and is read from
data/packs.parsed.json. Any other pack's parse and schema check are kept in the cache folder, keyed by
its bytes and the schema's, so that a pack of one's own is the only one parsed again after it changes.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import InvalidKnowledgeBase, Problem
from ..model import KINDS
from .cache import CACHE_FORMAT, cache_dir

if TYPE_CHECKING:
    from .validate import Pack

# merged sections, pack descriptions, (section, id) -> index of the pack the entity came from
Loaded = tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]], dict[tuple[str, str], int]]


def pack_info(path: str, meta: dict[str, Any], sections: dict[str, Any]) -> dict[str, Any]:
    """What `info` says of a pack: its file and meta, and how many entries of each kind it brings."""
    counts = {k.section: len(sections.get(k.section) or []) for k in KINDS.values()}
    return {"file": path, **meta, "counts": {k: n for k, n in counts.items() if n}}


def _pack_cache(path: str) -> tuple[str, str] | None:
    """(file, key) of the cache of one pack's parsed, schema-checked content; None if it has none.

    It is keyed by the pack's bytes (and the schema's file), not by its name or time: a copy, a move or
    a touched file is not parsed again, and any change of content is a miss.
    """
    import hashlib

    from ..paths import schema_path
    from .yamlfile import MAX_BYTES_DEFAULT

    try:
        if os.stat(path).st_size > int(os.environ.get("CLUSTERS_MAX_BYTES", MAX_BYTES_DEFAULT)):
            return None  # too large to read: parsing reports it
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        schema = os.stat(schema_path())
    except (OSError, ValueError):
        return None
    key = repr([__version__, CACHE_FORMAT, sys.version_info[:2], digest, str(schema_path()), schema.st_mtime_ns])
    return os.path.join(cache_dir(), f"pack-{digest[:32]}.json"), key


def _read_parsed(path: str) -> tuple[dict[str, Any], Any] | None:
    """A pack as parsed and schema-checked on an earlier run: adding a pack of one's own then costs
    only that pack's parsing, not the shipped ones' again. Anything unreadable is a miss."""
    where = _pack_cache(path)
    if where is None:
        return None
    try:
        with open(where[0], encoding="utf-8") as f:
            blob = json.load(f)
        if blob.get("key") != where[1]:
            return None
        locs = {tuple(k): tuple(v) for k, v in blob["locs"]}
        return blob["data"], locs
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_parsed(path: str, data: dict[str, Any], locs: Any) -> None:
    where = _pack_cache(path)
    if where is None:
        return
    import tempfile

    blob = {"key": where[1], "data": data, "locs": [[list(k), list(v)] for k, v in locs.items()]}
    try:
        os.makedirs(cache_dir(), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir(), prefix=".tmp-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(blob, ensure_ascii=False))  # dumps: json.dump never uses the C encoder
        os.replace(tmp, where[0])
    except (OSError, ValueError, TypeError):
        with contextlib.suppress(OSError, UnboundLocalError):
            os.unlink(tmp)


def _verified_shipped(paths: Sequence[str]) -> set[str]:
    """The shipped packs whose content is exactly what the test suite verified (data/packs.sha256)."""
    import hashlib

    from ..paths import shipped_packs, verified_digests

    digests = verified_digests()
    found = set()
    for path in set(paths) & set(shipped_packs()):
        try:
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
        except OSError:
            continue
        if digests.get(os.path.basename(path)) == digest:
            found.add(path)
    return found


def _stamped(verified: set[str]) -> dict[str, tuple[dict[str, Any], Any]]:
    """The verified shipped packs as parsed when they were stamped (data/packs.parsed.json), for a first run
    that reads JSON instead of parsing YAML; each entry is used only if its digest is the pack's."""
    if not verified:
        return {}
    from ..paths import parsed_shipped, verified_digests

    try:
        with open(parsed_shipped(), encoding="utf-8") as f:
            blob = json.load(f)
        digests = verified_digests()
        out = {}
        for path in verified:
            entry = blob["packs"].get(os.path.basename(path))
            if entry and entry["sha256"] == digests.get(os.path.basename(path)):
                out[path] = (entry["data"], {tuple(k): tuple(v) for k, v in entry["locs"]})
        return out
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def read_packs(
    paths: Sequence[str], *, use_pack_cache: bool = False, full_check: bool = False
) -> tuple[list[Pack], set[str]]:
    """Parse and validate the packs: (packs, the shipped ones verified by digest). InvalidKnowledgeBase
    lists every problem of every pack."""
    from .validate import Pack, validate_packs
    from .yamlfile import load_yaml

    if not paths:
        raise InvalidKnowledgeBase(
            "(no packs)", [Problem("(no packs)", None, None, "", "no knowledge-base pack given")]
        )
    packs = []
    checked: set[str] = set()
    verified = set() if full_check else _verified_shipped(paths)
    stamped = _stamped(verified)
    for path in paths:
        parsed = stamped.get(path) or (_read_parsed(path) if use_pack_cache else None)
        if parsed is not None:
            packs.append(Pack(path, *parsed))
            checked.add(path)
            continue
        data, locs = load_yaml(path)
        if not isinstance(data, dict):
            kind = "empty document" if data is None else type(data).__name__
            raise InvalidKnowledgeBase(
                path, [Problem(path, 1, 1, "", f"the top level must be a mapping of sections, not a {kind}")]
            )
        packs.append(Pack(path, data, locs))
        if path in verified:
            checked.add(path)
    problems = validate_packs(packs, frozenset(checked))
    if problems:
        raise InvalidKnowledgeBase(problems[0].path if len(paths) > 1 else paths[0], problems)
    if use_pack_cache:
        for pack in packs:
            if pack.path not in checked:
                _write_parsed(pack.path, pack.data, pack.locs)
    return packs, verified


def check_packs(paths: Sequence[str]) -> tuple[dict[str, int], list[Problem], int]:
    """`validate`: every pack parsed and checked in full; (entries per section, warnings, clusters that join
    another by same_as) when valid."""
    from .validate import Merged, duplicate_warnings

    packs, _ = read_packs(paths, full_check=True)
    merged = Merged(packs)
    counts = {k.section: len(merged.sections[k.section]) for k in KINDS.values()}
    folded = sum(1 for c in merged.sections["clusters"] if c.get("same_as"))
    return counts, duplicate_warnings(packs), folded


def load_fresh(paths: Sequence[str], *, use_pack_cache: bool = False, full_check: bool = False) -> Loaded:
    """Parse, validate and merge the packs; InvalidKnowledgeBase lists every problem of every pack."""
    from ..sanitize import clean_tree
    from .rules import fold_same_as
    from .validate import Merged

    packs, verified = read_packs(paths, use_pack_cache=use_pack_cache, full_check=full_check)
    for pack in packs:  # data is data: no control characters reach a terminal (stamped packs have none)
        if pack.path not in verified:
            pack.data = clean_tree(pack.data)
    merged = Merged(packs)
    sections: dict[str, list[dict[str, Any]]] = merged.sections
    fold_same_as(sections)
    infos = [pack_info(p.path, clean_tree(p.data.get("meta", {})), p.data) for p in packs]
    index = {id(p): i for i, p in enumerate(packs)}
    origins = {key: index[id(pack)] for key, (pack, _) in merged.origin.items()}
    return sections, infos, origins
