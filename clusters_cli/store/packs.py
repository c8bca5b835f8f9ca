"""Reading the packs: each parsed (or its parse taken from an earlier run), then validated together and
merged; what the cache (store/cache.py) compiles.

Every pack is parsed and schema-checked from its YAML on the first run (nothing generated is shipped or
kept in git). Each pack's parse and schema check are then kept in the cache folder, keyed by its bytes, the
schema's bytes and the tool's version, so that an edited pack, or any pack after the schema changed, is
checked again, and a pack of one's own is the only one parsed again after it changes.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..errors import InvalidKnowledgeBase, Problem, Word
from ..i18n import N_
from ..model import KINDS
from .cache import PARSE_FORMAT, TMP_PREFIX, cache_dir

if TYPE_CHECKING:
    from .merged import Pack

# an entry folded into another: (section, id, index of its pack, [kind, id] of every entity it names)
Folded = tuple[str, str, int, list[tuple[str, str]]]
# merged sections, pack descriptions, (section, id) -> index of the pack the entity came from, folded entries
Loaded = tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]], dict[tuple[str, str], int], list[Folded]]


def pack_info(pack: Pack) -> dict[str, Any]:
    """What `info` says of a pack: its file and meta, and how many entries of each kind it brings."""
    from ..sanitize import clean_tree

    counts = {k.section: len(pack.entries(k.section)) for k in KINDS.values()}
    meta = clean_tree(pack.data.get("meta", {}))
    return {"file": pack.path, **meta, "counts": {k: n for k, n in counts.items() if n}}


def _pack_cache(path: str) -> tuple[str, str] | None:
    """(file, key) of the cache of one pack's parsed, schema-checked content; None if it has none.

    It is keyed by the pack's bytes (and the schema's file), not by its name or time: a copy, a move or
    a touched file is not parsed again, and any change of content is a miss.
    """
    from .yamlfile import read_bytes

    try:
        return _pack_key(read_bytes(path))
    except InvalidKnowledgeBase:  # unreadable or too large: parsing reports it
        return None


def _pack_key(raw: bytes) -> tuple[str, str] | None:
    """_pack_cache of a pack of these bytes."""
    import hashlib

    from ..paths import schema_path

    digest = hashlib.sha256(raw).hexdigest()
    try:
        with open(schema_path(), "rb") as f:
            schema = hashlib.sha256(f.read()).hexdigest()
    except OSError:
        return None
    key = repr([__version__, PARSE_FORMAT, sys.version_info[:2], digest, schema])
    return os.path.join(cache_dir(), f"pack-{digest[:32]}.json"), key


def compile_shipped(paths: Sequence[str]) -> str:
    """The wheel's compiled parse of the shipped packs (hatch_build.py): each pack's checked parse under its
    file name, with the key `_pack_cache` gives it. Raises InvalidKnowledgeBase: a broken pack fails the build."""
    packs, _ = read_packs(paths, locate=True)  # every location found in the one parse the wheel keeps
    blob = {}
    for pack in packs:
        where = _pack_cache(pack.path)
        assert where is not None, pack.path
        locs = [[list(k), list(v)] for k, v in pack.locs.items()]
        blob[os.path.basename(pack.path)] = {"key": where[1], "data": pack.data, "locs": locs}
    return json.dumps(blob, ensure_ascii=False)


def _compiled_blob() -> dict[str, Any]:
    """The wheel's compiled parse of the shipped packs ({} without one), read once per process and file."""
    from ..paths import compiled_packs

    compiled = compiled_packs()
    if compiled is None:
        return {}
    try:
        return _read_compiled(str(compiled), os.stat(compiled).st_mtime_ns)
    except OSError:
        return {}


@functools.lru_cache(maxsize=2)
def _read_compiled(path: str, mtime: int) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as f:
            blob: dict[str, Any] = json.load(f)
        return blob
    except (OSError, ValueError):
        return {}


def _compiled(path: str, key: str) -> tuple[dict[str, Any], Any] | None:
    """A shipped pack's parse compiled into the wheel, if the wheel has one under this key."""
    from ..paths import shipped_packs

    if path not in shipped_packs():
        return None
    try:
        entry = _compiled_blob()[os.path.basename(path)]
        if entry["key"] != key:
            return None
        return entry["data"], {tuple(k): tuple(v) for k, v in entry["locs"]}
    except (KeyError, TypeError):
        return None


def _read_parsed(path: str, where: tuple[str, str] | None) -> tuple[dict[str, Any], Any] | None:
    """A pack as parsed and schema-checked on an earlier run (or, for a shipped pack, when the wheel was
    built), found by its pack cache's (file, key) `where`: adding a pack of one's own then costs only that
    pack's parsing, not the shipped ones' again. Anything unreadable is a miss."""
    if where is None:
        return None
    compiled = _compiled(path, where[1])
    if compiled is not None:
        return compiled
    try:
        with open(where[0], encoding="utf-8") as f:
            blob = json.load(f)
        if blob.get("key") != where[1]:
            return None
        return blob["data"], _Reparsed(path, where)
    except (OSError, ValueError, KeyError, TypeError):
        return None


class _Reparsed(Mapping[tuple[Any, ...], tuple[int, int]]):
    """Where a checked pack's entries stand, found by parsing the pack again only when a problem asks where:
    a checked parse is read on every rebuild, and its locations (5 million at 100x, more than half its
    size) are not kept. The pack must still be the bytes that were checked; else a problem names no line.
    `where` is the pack cache's (file, key) of the bytes parsed: what keep_parsed keeps the parse under."""

    def __init__(self, path: str, where: tuple[str, str]) -> None:
        self._path = path
        self.where = where
        self._key = where[1]
        self._locs: Mapping[tuple[Any, ...], tuple[int, int]] | None = None

    def _read(self) -> Mapping[tuple[Any, ...], tuple[int, int]]:
        if self._locs is None:
            from .yamlfile import decode, parse_text, read_bytes

            self._locs = {}  # problems are still named by file and entry, without their line
            try:
                raw = read_bytes(self._path)  # read once: the bytes compared are the bytes parsed
                key = _pack_key(raw)
                if key is not None and key[1] == self._key:
                    self._locs = parse_text(self._path, decode(self._path, raw))[1]
            except InvalidKnowledgeBase:
                pass
        return self._locs

    def __getitem__(self, key: tuple[Any, ...]) -> tuple[int, int]:
        return self._read()[key]

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._read())

    def __len__(self) -> int:
        return len(self._read())


def _write_parsed(where: tuple[str, str], data: dict[str, Any]) -> None:
    """Keep a checked parse in the pack cache's file, under the key of the bytes that were parsed."""
    import tempfile

    tmp = None
    try:
        os.makedirs(cache_dir(), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir(), prefix=_temporary_prefix(), suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:  # dumps: json.dump never uses the C encoder
            f.write(json.dumps({"key": where[1], "data": data}, ensure_ascii=False))
        os.replace(tmp, where[0])
        tmp = None
    except (OSError, ValueError, TypeError):
        pass  # a parse not kept is parsed again next time
    finally:  # interrupted too: no temporary file is left behind
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def parse_packs(
    paths: Sequence[str],
    *,
    use_pack_cache: bool = False,
    full_check: bool = False,
    parsed: Mapping[str, tuple[Pack, bool]] | None = None,
    locate: bool = False,
) -> tuple[list[Pack], set[str]]:
    """Parse the packs, each alone: (packs, those whose checked parse came from the pack cache). A pack that
    does not parse raises InvalidKnowledgeBase, with the schema problems of those that do. `parsed` holds
    packs this run parsed already (path -> pack, whether from the pack cache): store/delta.py's. With
    `locate`, every pack is parsed with the place of every entry and field (the wheel's compiled parse)."""
    from ..sanitize import clean_tree
    from .halves import SPLIT_FROM, parse_halves
    from .merged import Pack
    from .schema import a_value_of
    from .yamlfile import decode, parse_text, read_bytes

    if not paths:
        raise InvalidKnowledgeBase(
            "(no packs)", [Problem("(no packs)", None, None, "", N_("no knowledge-base pack given"))]
        )
    packs = []
    checked: set[str] = set()
    unread: list[Problem] = []  # packs that do not parse: every one is reported, with the others' schema problems
    for path in paths:
        if parsed and path in parsed and not full_check:
            packs.append(parsed[path][0])
            if parsed[path][1]:
                checked.add(path)
            continue
        try:
            raw = read_bytes(path)
        except InvalidKnowledgeBase as error:
            unread += error.problems
            continue
        where = None if locate else _pack_key(raw)  # the bytes read once: hashed, parsed and kept by their key
        cached = _read_parsed(path, where) if use_pack_cache and not full_check else None
        if cached is not None:
            packs.append(Pack(path, *cached))
            checked.add(path)
            continue
        # a pack of known bytes is read without the place of every field (half the time of a first read): a
        # problem to report has it read again to say where (_Reparsed), as a pack from the pack cache does
        locs: Mapping[tuple[Any, ...], tuple[int, int]]
        try:
            text = decode(path, raw)
            # a large pack of known bytes is parsed and schema-checked in two halves on two cores, when they
            # surely parse to what it does (store/halves.py)
            if where is not None and len(text) >= SPLIT_FROM:
                halves = parse_halves(path, text)
                if halves is not None:
                    packs.append(Pack(path, halves[0], _Reparsed(path, where), schema_passed=halves[1]))
                    continue
            data, locs = parse_text(path, text, locate=where is None)
        except InvalidKnowledgeBase as error:
            unread += error.problems
            continue
        if where is not None:
            locs = _Reparsed(path, where)
        if not isinstance(data, dict):
            kind = Word(N_("an empty document") if data is None else a_value_of(data))
            message = N_("the top level must be a mapping of sections, not {kind}")
            unread.append(Problem(path, 1, 1, "", message, kind=kind))
            continue
        # data is data: no control character reaches a terminal; cleaned once, before the caches keep it
        packs.append(Pack(path, clean_tree(data), locs))
    if unread:  # references mean little without every pack: the parsed ones' schema problems only
        from .schema import schema_problems
        from .validate import unchecked

        problems = unread + [p for pack in packs if unchecked(pack, checked) for p in schema_problems(pack)]
        raise InvalidKnowledgeBase(problems[0].path if len(paths) > 1 else paths[0], problems)
    return packs, checked


def keep_parsed(packs: Sequence[Pack], checked: set[str]) -> None:
    """Keep the checked parse of every pack that was parsed this run (not read from the pack cache), under
    the key of the bytes parsed (an edit since is another key: never kept as the parse of the new bytes)."""
    for _, where, data in _to_keep(packs, checked):
        _write_parsed(where, data)


def _to_keep(packs: Sequence[Pack], checked: set[str]) -> list[tuple[str, tuple[str, str], dict[str, Any]]]:
    """(file, where its parse is kept, the parse) of every pack parsed this run."""
    return [(p.path, p.locs.where, p.data) for p in packs if p.path not in checked and isinstance(p.locs, _Reparsed)]


# bytes of packs parsed this run from which their parse is kept on the second core (store/forked.py)
KEEP_ASIDE_FROM = 1024 * 1024  # below this, the fork costs about what it saves (a 1.6 MB pack: 0-50 ms sooner)


def keep_parsed_aside(packs: Sequence[Pack], checked: set[str]) -> Callable[[bool], None]:
    """keep_parsed begun on the second core for packs of KEEP_ASIDE_FROM bytes or more: a forked child
    (store/forked.py) writes each parse to a temporary file of the cache folder while this process validates
    the packs (a large pack's JSON takes about as long as its validation). The function returned ends it: with
    True, once the packs are valid, the files are moved into place; with False (invalid, or interrupted), the
    child is stopped and its files removed. Smaller packs, or where nothing forks: True keeps them here, as
    keep_parsed does."""
    from . import forked

    kept = _to_keep(packs, checked)
    temps = _temporaries(len(kept)) if kept and _bytes([k[0] for k in kept]) >= KEEP_ASIDE_FROM else []

    def work() -> None:  # the child: every file written, or its exit code says not
        for (_, where, data), tmp in zip(kept, temps, strict=True):
            with open(tmp, "w", encoding="utf-8") as f:  # dumps: json.dump never uses the C encoder
                f.write(json.dumps({"key": where[1], "data": data}, ensure_ascii=False))

    pid = forked.start(work) if temps else None
    if pid is None:
        _remove(temps)

    def done(keep: bool) -> None:
        if pid is None:
            if keep:
                keep_parsed(packs, checked)
            return
        try:
            try:
                written = forked.finish(pid, kill=not keep)
            except BaseException:  # interrupted while waiting: the child is stopped and reaped, never left writing
                forked.finish(pid, kill=True)
                raise
            if written:
                for (_, where, _data), tmp in zip(kept, temps, strict=True):
                    with contextlib.suppress(OSError):
                        os.replace(tmp, where[0])
        finally:  # invalid, failed or interrupted: no temporary file is left behind
            _remove(temps)

    return done


def _temporary_prefix() -> str:
    """A temporary file of the cache folder is named by this process's pid, so that one a killed run leaves is
    removed by the next build (cache.sweep_leftovers)."""
    return f"{TMP_PREFIX}{os.getpid()}-"


def _bytes(paths: list[str]) -> int:
    """The size of these files (a file gone since it was read counts none)."""
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):
            total += os.path.getsize(path)
    return total


def _temporaries(n: int) -> list[str]:
    """n new empty files of the cache folder, for what is written there then moved into place; none if the
    folder cannot be written."""
    import tempfile

    made: list[str] = []
    try:
        os.makedirs(cache_dir(), exist_ok=True)
        for _ in range(n):
            fd, tmp = tempfile.mkstemp(dir=cache_dir(), prefix=_temporary_prefix(), suffix=".json")
            os.close(fd)
            made.append(tmp)
    except OSError:
        _remove(made)
        return []
    return made


def _remove(files: list[str]) -> None:
    for name in files:
        with contextlib.suppress(OSError):
            os.unlink(name)


def read_packs(
    paths: Sequence[str],
    *,
    use_pack_cache: bool = False,
    full_check: bool = False,
    parsed: Mapping[str, tuple[Pack, bool]] | None = None,
    locate: bool = False,
) -> tuple[list[Pack], set[str]]:
    """Parse and validate the packs: (packs, those whose checked parse came from the pack cache).
    InvalidKnowledgeBase lists every problem of every pack."""
    from .validate import validate_packs

    packs, checked = parse_packs(
        paths, use_pack_cache=use_pack_cache, full_check=full_check, parsed=parsed, locate=locate
    )
    keeping = keep_parsed_aside(packs, checked) if use_pack_cache else None  # kept only if valid
    valid = False
    try:
        problems = validate_packs(packs, frozenset(checked))
        valid = not problems
    finally:
        if keeping is not None:
            keeping(valid)
    if problems:
        raise InvalidKnowledgeBase(problems[0].path if len(paths) > 1 else paths[0], problems)
    return packs, checked


def check_packs(paths: Sequence[str]) -> tuple[dict[str, int], list[Problem], int]:
    """`validate`: every pack parsed and checked in full; (entries per section, warnings, entries that join
    another by same_as) when valid."""
    from .merged import Merged
    from .validate import duplicate_warnings

    packs, _ = read_packs(paths, full_check=True)
    merged = Merged(packs)
    counts = {k.section: len(merged.sections[k.section]) for k in KINDS.values()}
    # entries that join another of their kind (clusters, companies, regions): in the files, not among the entities
    joining = [k.section for k in KINDS.values() if any(ref.field == "same_as" for ref in k.refs)]
    folded = sum(1 for section in joining for entry in merged.sections[section] if entry.get("same_as"))
    return counts, duplicate_warnings(packs), folded


def load_fresh(
    paths: Sequence[str],
    *,
    use_pack_cache: bool = False,
    full_check: bool = False,
    parsed: Mapping[str, tuple[Pack, bool]] | None = None,
) -> Loaded:
    """Parse, validate and merge the packs; InvalidKnowledgeBase lists every problem of every pack."""
    from .merged import Merged
    from .rules import fold_same_as

    packs, _ = read_packs(paths, use_pack_cache=use_pack_cache, full_check=full_check, parsed=parsed)
    merged = Merged(packs)
    sections: dict[str, list[dict[str, Any]]] = merged.sections
    index = {id(p): i for i, p in enumerate(packs)}
    origins = {key: index[id(pack)] for key, (pack, _) in merged.origin.items()}
    folded = folded_entries(sections, origins)
    _name_primary_sources(sections, merged)
    fold_same_as(sections)
    infos = [pack_info(p) for p in packs]
    return sections, infos, origins, folded


def _name_primary_sources(sections: dict[str, list[dict[str, Any]]], merged: Any) -> None:
    """An entry that joins another by `same_as` brings its locators to an entry of another pack, where the
    pack's primary source no longer goes without saying: a locator of a section and paragraph is given the
    primary source of the pack it came from (it was dropped, and the joining pack's source went with it)."""
    for kind in KINDS.values():
        if kind.ref("same_as") is None:
            continue
        for entry in sections[kind.section]:
            if not entry.get("same_as"):
                continue
            pack = merged.origin[(kind.section, entry["id"])][0]
            primary = (pack.data.get("meta") or {}).get("primary_source")
            if not primary:
                continue
            if isinstance(entry.get("locator"), dict) and "source" not in entry["locator"]:
                entry["locator"] = {"source": primary, **entry["locator"]}
            if entry.get("also_in"):
                entry["also_in"] = [
                    {"source": primary, **loc} if isinstance(loc, dict) and "source" not in loc else loc
                    for loc in entry["also_in"]
                ]


def folded_entries(sections: dict[str, list[dict[str, Any]]], origins: dict[tuple[str, str], int]) -> list[Folded]:
    """The entries that join another by `same_as` (rules.fold_same_as), before they go: each with its pack
    and every entity it names, which the compiled relations no longer show (store/delta.py reads them)."""
    out: list[Folded] = []
    for kind in KINDS.values():
        if kind.ref("same_as") is None:
            continue
        for entry in sections[kind.section]:
            if entry.get("same_as"):
                out.append((kind.section, entry["id"], origins[(kind.section, entry["id"])], kind.named(entry)))
    return out
