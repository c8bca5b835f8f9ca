"""Reading the packs: each parsed (or its parse taken from an earlier run), then validated together and
merged; what the cache (store/cache.py) compiles.

Every pack is parsed and schema-checked from its YAML on the first run (nothing generated is shipped or
kept in git). Each pack's parse and schema check are then kept in the cache folder (store/parsecache.py),
keyed by its bytes, the schema's bytes and the tool's version, so that an edited pack, or any pack after the
schema changed, is checked again, and a pack of one's own is the only one parsed again after it changes.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import InvalidKnowledgeBase, Problem, Word, settle
from ..i18n import N_
from ..model import KINDS
from .parsecache import Reparsed, keep_parsed_aside, pack_cache, pack_key, read_parsed

if TYPE_CHECKING:
    from .merged import Locations, Merged, Pack, PlacedLater

# an entry folded into another: (section, id, index of its pack, [kind, id] of every entity it names)
Folded = tuple[str, str, int, list[tuple[str, str]]]
# section -> id -> the index of the pack the entity came from, in the packs' order
Origins = dict[str, dict[str, int]]
# merged sections, pack descriptions, each entity's pack (Origins), folded entries
Loaded = tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]], Origins, list[Folded]]


def pack_info(pack: Pack) -> dict[str, Any]:
    """What `info` says of a pack: its file and meta, and how many entries of each kind it brings."""
    from ..sanitize import clean_tree

    counts = {k.section: len(pack.entries(k.section)) for k in KINDS.values()}
    meta = clean_tree(pack.data.get("meta", {}))
    return {"file": pack.path, **meta, "counts": {k: n for k, n in counts.items() if n}}


def compile_shipped(paths: Sequence[str]) -> str:
    """The wheel's compiled parse of the shipped packs (hatch_build.py): each pack's checked parse under its
    file name, with the key `pack_cache` gives it. Raises InvalidKnowledgeBase: a broken pack fails the build."""
    packs, _ = read_packs(paths, locate=True)  # every location found in the one parse the wheel keeps
    blob = {}
    for pack in packs:
        where = pack_cache(pack.path)
        assert where is not None and isinstance(pack.locs, Mapping), pack.path  # parsed with every location
        locs = [[list(k), list(v)] for k, v in pack.locs.items()]
        blob[os.path.basename(pack.path)] = {"key": where[1], "data": pack.data, "locs": locs}
    return json.dumps(blob, ensure_ascii=False)


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
    from .halves import SPLIT_FROM, parse_halves
    from .merged import Pack
    from .packfile import decode, read_bytes
    from .schema_words import a_value_of

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
        where = None if locate else pack_key(raw)  # the bytes read once: hashed, parsed and kept by their key
        cached = read_parsed(path, where) if use_pack_cache and not full_check else None
        if cached is not None:
            packs.append(Pack(path, *cached))
            checked.add(path)
            continue
        # a pack of known bytes is read without the place of every field (half the time of a first read): a
        # problem to report has it read again to say where (Reparsed), as a pack from the pack cache does
        locs: Locations | PlacedLater
        try:
            text = decode(path, raw)
            # a large pack of known bytes is parsed and schema-checked in two halves on two cores, when they
            # surely parse to what it does (store/halves.py)
            if where is not None and len(text) >= SPLIT_FROM:
                halves = parse_halves(path, text)
                if halves is not None:
                    packs.append(Pack(path, halves[0], Reparsed(path, where), schema_passed=halves[1]))
                    continue
            from .yamlfile import parse_text  # only when a pack is parsed: PyYAML is not imported otherwise

            # data is data: no control character reaches a terminal; cleaned as parsed, before the caches keep it
            data, locs = parse_text(path, text, locate=where is None, cleaned=True)
        except InvalidKnowledgeBase as error:
            unread += error.problems
            continue
        if where is not None:
            locs = Reparsed(path, where)
        if not isinstance(data, dict):
            kind = Word(N_("an empty document") if data is None else a_value_of(data))
            message = N_("the top level must be a mapping of sections, not {kind}")
            unread.append(Problem(path, 1, 1, "", message, kind=kind))
            continue
        packs.append(Pack(path, data, locs))
    if unread:  # references mean little without every pack: the parsed ones' schema problems only
        from .schema import schema_problems
        from .validate import unchecked

        problems = unread + [p for pack in packs if unchecked(pack, checked) for p in schema_problems(pack)]
        raise InvalidKnowledgeBase(problems[0].path if len(paths) > 1 else paths[0], problems)
    return packs, checked


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
    reading = valid_packs(paths, use_pack_cache=use_pack_cache, full_check=full_check, parsed=parsed, locate=locate)
    with reading as (packs, checked, _):
        return packs, checked


@contextlib.contextmanager
def valid_packs(
    paths: Sequence[str],
    *,
    use_pack_cache: bool = False,
    full_check: bool = False,
    parsed: Mapping[str, tuple[Pack, bool]] | None = None,
    locate: bool = False,
    later: contextlib.ExitStack | None = None,
) -> Iterator[tuple[list[Pack], set[str], Merged]]:
    """read_packs, whose answer the body reads, with the packs merged as validation merged them. With
    `use_pack_cache`, the parse of each pack parsed this run is kept once the packs are valid: by a forked child
    while they are validated and while the body runs (it merges them: the parse kept is the child's, as it was
    before the body changed anything; not kept if the body fails), or here before the body. With `later`, a
    child still writing once the body is done writes on until `later` closes (the caller's build: at 100x it
    has about 3 s of the parse left to write when validation is done, which a wait here would add to the run);
    kept then unless the run was interrupted (_settle)."""
    from .validate import validated

    packs, checked = parse_packs(
        paths, use_pack_cache=use_pack_cache, full_check=full_check, parsed=parsed, locate=locate
    )
    keeping, aside = keep_parsed_aside(packs, checked) if use_pack_cache else (None, False)
    valid = False
    try:
        problems, merged = validated(packs, frozenset(checked))
        if merged is None:  # invalid (validated merges valid packs alone)
            raise InvalidKnowledgeBase(problems[0].path if len(paths) > 1 else paths[0], problems)
        if keeping is not None and not aside:  # kept here, before the body changes the packs' data
            pending, keeping = keeping, None
            pending(True)
        yield packs, checked, merged
        valid = True
    finally:
        if keeping is not None:
            if valid and later is not None:
                later.push(_settle(keeping))
            else:
                keeping(valid)


def _settle(keeping: Callable[[bool], None]) -> Callable[..., None]:
    """What keeps a parse written aside (parsecache.keep_parsed_aside) when an ExitStack closes: the packs are
    valid, so it is kept whatever became of the build, as a parse kept here before the build is, unless the run
    was interrupted (Ctrl-C, an exit: the child is stopped, its files removed, and nothing waits for it)."""

    def settle(failed: type[BaseException] | None, *_: object) -> None:
        keeping(failed is None or issubclass(failed, Exception))

    return settle


def check_packs(paths: Sequence[str]) -> tuple[dict[str, int], list[Problem], int]:
    """`validate`: every pack parsed and checked in full; (entries per section, warnings, entries that join
    another by same_as) when valid."""
    from .duplicates import duplicate_warnings

    with valid_packs(paths, full_check=True) as (packs, _, merged):
        counts = {k.section: len(merged.sections[k.section]) for k in KINDS.values()}
        # entries that join another of their kind (clusters, companies, regions): in the files, not the entities
        joining = [k.section for k in KINDS.values() if any(ref.field == "same_as" for ref in k.refs)]
        folded = sum(1 for section in joining for entry in merged.sections[section] if entry.get("same_as"))
        warnings = duplicate_warnings(packs)
        settle(warnings)  # placed as problems are: their pack read again once, while the packs are at hand
    return counts, warnings, folded


def load_fresh(
    paths: Sequence[str],
    *,
    use_pack_cache: bool = False,
    full_check: bool = False,
    parsed: Mapping[str, tuple[Pack, bool]] | None = None,
    later: contextlib.ExitStack | None = None,
) -> Loaded:
    """Parse, validate and merge the packs; InvalidKnowledgeBase lists every problem of every pack. A large
    pack's parse kept on the second core is settled when `later` closes, if given (valid_packs)."""
    from .rules import fold_same_as

    # merged while a large pack's parse is still being kept on the second core
    reading = valid_packs(paths, use_pack_cache=use_pack_cache, full_check=full_check, parsed=parsed, later=later)
    with reading as (packs, _, merged):
        sections: dict[str, list[dict[str, Any]]] = merged.sections
        index = {id(p): i for i, p in enumerate(packs)}
        origins = {
            section: {ident: index[id(pack)] for ident, (pack, _) in held.items()}
            for section, held in merged.origin.items()
        }
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
            pack = merged.origin[kind.section][entry["id"]][0]
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


def folded_entries(sections: dict[str, list[dict[str, Any]]], origins: Origins) -> list[Folded]:
    """The entries that join another by `same_as` (rules.fold_same_as), before they go: each with its pack
    and every entity it names, which the compiled relations no longer show (store/delta.py reads them)."""
    out: list[Folded] = []
    for kind in KINDS.values():
        if kind.ref("same_as") is None:
            continue
        for entry in sections[kind.section]:
            if entry.get("same_as"):
                out.append((kind.section, entry["id"], origins[kind.section][entry["id"]], kind.named(entry)))
    return out
