"""A Lookup over a compiled database, for the delta build (store/delta.py): iterating a section gives only the
entities given (the changed packs' entries, whose rows are made); asking for any other reads it from the
database; the region index is read from the compiled relations, which give the answers RegionIndex gives over
the whole Lookup."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from ..membership import RegionIndex, use_index
from ..model import KINDS
from .relations import Rel, ref_relation

if TYPE_CHECKING:
    from .rules import Lookup

Entity = dict[str, Any]


class _Section(dict[str, Entity]):
    """A section of the delta's Lookup: iterating it gives the changed packs' entities only (those whose rows
    are made); asking for any other entity reads it from the database."""

    def __init__(self, conn: sqlite3.Connection, kind: str, own: Iterable[Entity]) -> None:
        super().__init__((e["id"], e) for e in own)
        self._conn = conn
        self._kind = kind
        self._read: dict[str, Entity | None] = {}

    def _other(self, ident: str) -> Entity | None:
        if ident not in self._read:
            row = self._conn.execute(
                "SELECT data FROM entities WHERE kind = ? AND id = ?", (self._kind, ident)
            ).fetchone()
            self._read[ident] = None if row is None else json.loads(row[0])
        return self._read[ident]

    def __missing__(self, ident: str) -> Entity:
        found = self._other(ident)
        if found is None:
            raise KeyError(ident)
        return found

    def __contains__(self, ident: object) -> bool:
        return dict.__contains__(self, ident) or (isinstance(ident, str) and self._other(ident) is not None)

    def get(self, ident: str, default: Any = None) -> Any:  # type: ignore[override]
        return self[ident] if ident in self else default  # noqa: SIM401 (self.get is this method)


class _Touching(dict[str, set[str]]):
    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__()
        self._conn = conn

    def get(self, province: str, default: Any = None) -> Any:  # type: ignore[override]
        found = related(self._conn, ref_relation("region", "provinces"), province)
        return set(found) if found else default


class _CompiledRegions(RegionIndex):
    """The region index of the unchanged packs (the changed ones hold no region or city), read from the
    relations compiled from it: the same answers RegionIndex gives over the whole Lookup."""

    def __init__(self, conn: sqlite3.Connection) -> None:  # no super().__init__: nothing is built
        self._conn = conn
        self.order = dict(conn.execute("SELECT id, pos FROM entities WHERE kind = 'region'").fetchall())
        self.touching = _Touching(conn)

    def of_province(self, province: str) -> set[str]:
        return set(related(self._conn, Rel.PROVINCE_REGIONS, province))

    def of_city(self, city: str) -> set[str]:
        return set(related(self._conn, Rel.CITY_REGIONS, city))


def related(conn: sqlite3.Connection, name: str, key: str) -> list[str]:
    return [r[0] for r in conn.execute("SELECT id FROM rel WHERE name = ? AND key = ? ORDER BY pos", (name, key))]


def db_lookup(conn: sqlite3.Connection, sections: dict[str, list[Entity]]) -> Lookup:
    lk = {k.name: _Section(conn, k.name, sections.get(k.section) or []) for k in KINDS.values()}
    use_index(cast("Lookup", lk), _CompiledRegions(conn))
    return cast("Lookup", lk)
