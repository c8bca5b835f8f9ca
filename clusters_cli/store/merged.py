"""The packs as read: one pack's data and where each entry stands in it (`Pack`), and every pack taken
together, each entity with the pack and index it came from (`Merged`), what validation (store/validate.py)
checks and the packs' merge (store/packs.py) reads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from ..errors import Problem
from ..i18n import N_
from ..model import KINDS

# where each entry and field of a pack stands: (section,), (section, index) or (section, index, field) -> (line,
# column), 1-based
Locations = Mapping[tuple[Any, ...], tuple[int, int]]


class PlacedLater(Protocol):
    """Where a pack read without its locations places its problems, once they are asked where
    (store/parsecache.Reparsed)."""

    def defer(self, problem: Problem, where: tuple[Any, ...]) -> None: ...


class Pack:
    """One parsed knowledge-base file: its data and where each entry stands in it (its locations, or what
    places its problems later)."""

    __slots__ = ("data", "locs", "path", "schema_passed")

    def __init__(
        self,
        path: str,
        data: dict[str, Any],
        locs: Locations | PlacedLater,
        schema_passed: bool = False,
    ) -> None:
        self.path = path
        self.data = data
        self.locs = locs
        self.schema_passed = schema_passed  # the schema check found nothing as it was parsed (store/halves.py)

    def entries(self, section: str) -> list[dict[str, Any]]:
        items = self.data.get(section)
        return items if isinstance(items, list) else []

    def problem(
        self, where: tuple[Any, ...], template: str, at: tuple[Any, ...] | None = None, /, **values: object
    ) -> Problem:
        """A problem at a path inside this pack, e.g. ("clusters", 3, "sector"), at the line and column of the
        longest part of the path (or of `at`, a path inside it, such as the field it names) located; a pack
        whose locations are found later (a checked pack's, parsecache.Reparsed) places it then, with the pack's
        other problems."""
        if len(where) >= 2 and isinstance(where[1], int):
            entry = self.entry_name(where[0], where[1])
            rest = where[2:]
        else:
            entry, rest = (str(where[0]) if where else ""), where[1:]
        if rest:
            entry += "." + ".".join(str(p) for p in rest)
        problem = Problem(self.path, None, None, entry, template, **values)
        if isinstance(self.locs, Mapping):
            problem.line, problem.column = located(self.locs, at or where)
        else:
            self.locs.defer(problem, at or where)
        return problem

    def entry_name(self, section: str, index: int) -> str:
        items = self.entries(section)
        entry = items[index] if index < len(items) else None
        ident = entry.get("id") if isinstance(entry, dict) else None
        return f"{section}[{index}]" + (f" (id: {ident})" if isinstance(ident, str) else "")


def located(locs: Locations, where: tuple[Any, ...]) -> tuple[int | None, int | None]:
    """The line and column of the longest part of a path (at most section, entry, field) the locations hold."""
    for n in range(min(len(where), 3), 0, -1):
        if where[:n] in locs:
            return locs[where[:n]]
    return None, None


class Merged:
    """All packs together: every entity with the pack and index it came from."""

    def __init__(self, packs: list[Pack], refused: Mapping[str, set[tuple[str, int]]] | None = None) -> None:
        """`refused`: pack path -> (section, index) of the entries the schema refuses, left out (their ids, a
        text or a number written as text, in `refused_ids`)."""
        self.packs = packs
        self.sections: dict[str, list[dict[str, Any]]] = {k.section: [] for k in KINDS.values()}
        # section -> id -> (the pack, the entry's index in its section): a dict of ids a section, not one dict
        # keyed by (section, id) tuples (at 100 times the shipped data 429,000 of them, each made twice: once as
        # the key and again by each look-up)
        self.origin: dict[str, dict[str, tuple[Pack, int]]] = {k.section: {} for k in KINDS.values()}
        self.problems: list[Problem] = []
        self.refused_ids: dict[str, set[str]] = {k.section: set() for k in KINDS.values()}
        self._sources: dict[str, dict[str, Any]] | None = None
        for pack in packs:
            left_out = (refused or {}).get(pack.path, set())
            for kind in KINDS.values():
                held, kept = self.origin[kind.section], self.sections[kind.section]
                for i, entry in enumerate(pack.entries(kind.section)):
                    if (kind.section, i) in left_out:
                        ident = entry.get("id") if isinstance(entry, dict) else None
                        if isinstance(ident, (str, int, float)) and not isinstance(ident, bool):
                            self.refused_ids[kind.section].add(str(ident))  # `id: 798`, read as a number
                        continue
                    first = held.get(entry["id"])
                    if first is not None:
                        other, j = first
                        also = other.entry_name(kind.section, j)
                        where = also if other is pack else f"{other.path}: {also}"
                        self.problems.append(
                            pack.problem((kind.section, i, "id"), N_("duplicate id (also {where})"), where=where)
                        )
                        continue
                    held[entry["id"]] = (pack, i)
                    kept.append(entry)

    def sources(self) -> dict[str, dict[str, Any]]:
        """id -> source, built once (every locator asks it)."""
        if self._sources is None:
            self._sources = {s["id"]: s for s in self.sections["sources"]}
        return self._sources

    def at(self, section: str, ident: str, *field: Any) -> tuple[Pack, tuple[Any, ...]]:
        pack, i = self.origin[section][ident]
        return pack, (section, i, *field)

    def add(self, section: str, ident: str, field: tuple[Any, ...], template: str, /, **values: object) -> None:
        pack, where = self.at(section, ident, *field)
        self.problems.append(pack.problem(where, template, **values))
