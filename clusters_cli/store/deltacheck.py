"""Whether a delta build (store/delta.py) may answer as a full build would, each check raising `Unsure` where it
cannot be sure (the full build then runs, and reports any problem as always): what the changed packs may hold
(`qualifies`, `entries_qualify`), that nothing outside them names their old entries (`check_unnamed`), their
validation against stand-ins for what they name, read from the database (`validate_against`), and the counties
they name (`check_counties`). store/delta.py's docstring says why each rule is there.
"""

from __future__ import annotations

import json
import sqlite3
from collections import deque
from typing import TYPE_CHECKING, Any

from ..model import KINDS
from .dblookup import db_lookup, related
from .relations import Rel, ref_relation

if TYPE_CHECKING:
    from .merged import Pack

Entity = dict[str, Any]
DELTA_SECTIONS = frozenset({"sources", "companies", "clusters", "statistics"})
MAX_CHANGED = 5000  # entries of the changed packs, before and after: beyond that a full build is as good
MAX_STANDINS = 20000  # entities read to validate them against


class Unsure(Exception):
    """The delta build cannot be sure of its answer: the full build runs instead."""


def qualifies(data: dict[str, Any]) -> bool:
    """Whether a pack holds only what a delta build replaces (see the module's docstring)."""
    sections = {k.section for k in KINDS.values()}
    if any(data.get(s) for s in sections - DELTA_SECTIONS):
        return False
    return entries_qualify([e for s in DELTA_SECTIONS for e in data.get(s) or []], data.get("clusters") or [])


def entries_qualify(entries: list[Entity], clusters: list[Entity]) -> bool:
    if len(entries) > MAX_CHANGED or any(e.get("same_as") for e in entries):
        return False
    return not any(cl.get("designations") for cl in clusters)  # a list's member count spans every pack


def merged(packs: list[Pack]) -> dict[str, list[Entity]]:
    return {k.section: [e for p in packs for e in p.data.get(k.section) or []] for k in KINDS.values()}


def check_unnamed(
    conn: sqlite3.Connection, old: dict[str, list[Entity]], folded: list[Any], infos: list[Any], changed: list[int]
) -> None:
    """Nothing outside the changed packs names their old entries: no relation of a model reference, no entry
    folded into another (the relations no longer show those), no pack's primary source."""
    mine = {(k.name, e["id"]) for k in KINDS.values() for e in old[k.section]}
    for kind in KINDS.values():
        for ref in kind.refs:
            for target in old[KINDS[ref.target].section]:
                referrers = related(conn, ref_relation(kind.name, ref.field), target["id"])
                if any((kind.name, r) not in mine for r in referrers):
                    raise Unsure
    if any((k, t) in mine for _, _, _, named in folded for k, t in named):
        raise Unsure
    if any(i not in changed and ("source", info.get("primary_source")) in mine for i, info in enumerate(infos)):
        raise Unsure


def validate_against(
    conn: sqlite3.Connection,
    new: dict[str, list[Entity]],
    packs: list[Pack],
    infos: list[Any],
    folded: list[Any],
    paths: list[str],
    changed: list[int],
) -> None:
    """The changed packs' entries, checked as a full validation would: their ids unique among all, and
    store.validate over them and stand-ins for the entities they name (with what those name, and their packs'
    primary sources), read from the database. Any problem: Unsure, and the full path reports it."""
    from .merged import Pack
    from .validate import validate_packs

    marks = ",".join("?" * len(changed))
    taken = {(s, i) for s, i, _, _ in folded}
    # an entity an entry joined (same_as, rules.fold_same_as) is compiled with what joined it; the full
    # validation reads it as written
    joined = {(s, t) for s, _, _, named in folded for k, t in named if KINDS[k].section == s}
    for kind in KINDS.values():
        for e in new[kind.section]:
            query = f"SELECT 1 FROM entities WHERE kind = ? AND id = ? AND pack NOT IN ({marks})"
            hit = conn.execute(query, (kind.name, e["id"], *changed)).fetchone()
            if hit is not None or (kind.section, e["id"]) in taken:
                raise Unsure
    seen = {(k.name, e["id"]) for k in KINDS.values() for e in new[k.section]}
    queue = deque(pair for k in KINDS.values() for e in new[k.section] for pair in k.named(e))
    # a series is drawn on one scale (figurerules.check_figures): a changed figure of a series the other packs
    # hold figures of is checked against the first of them, as the full validation reads them (a series is a
    # name, not a reference: no stand-in came with it, and a figure in another unit or currency passed)
    for series in sorted({str(st["series"]) for st in new["statistics"] if st.get("series")}):
        first = conn.execute(
            "SELECT r.id FROM rel r JOIN entities e ON e.kind = 'statistic' AND e.id = r.id "
            f"WHERE r.name = ? AND r.key = ? AND e.pack NOT IN ({marks}) ORDER BY r.pos LIMIT 1",
            (Rel.SERIES_FIGURES, series, *changed),
        ).fetchone()
        if first is not None:
            queue.append(("statistic", first[0]))
    primaries = [p.data.get("meta", {}).get("primary_source") for p in packs]
    queue.extend(("source", str(source)) for source in primaries if source)
    standins: dict[int, list[tuple[str, int, Entity]]] = {}
    while queue:
        kind_name, ident = queue.popleft()
        if (kind_name, ident) in seen:
            continue
        seen.add((kind_name, ident))
        if len(seen) > MAX_STANDINS:
            raise Unsure
        row = conn.execute(
            f"SELECT pack, pos, data FROM entities WHERE kind = ? AND id = ? AND pack NOT IN ({marks})",
            (kind_name, ident, *changed),
        ).fetchone()
        if row is None or (KINDS[kind_name].section, ident) in joined:  # a folded id, or none; or a joined one
            raise Unsure
        entity = json.loads(row[2])
        standins.setdefault(row[0], []).append((KINDS[kind_name].section, row[1], entity))
        queue.extend(KINDS[kind_name].named(entity))
        if infos[row[0]].get("primary_source"):
            queue.append(("source", str(infos[row[0]]["primary_source"])))
    stand = []
    for index in sorted(standins):
        data: dict[str, Any] = {"meta": {k: v for k, v in infos[index].items() if k not in ("file", "counts")}}
        for section, _, entity in sorted(standins[index], key=lambda x: (x[0], x[1])):
            data.setdefault(section, []).append(entity)
        stand.append(Pack(paths[index], data, {}))
    if validate_packs([*stand, *packs], frozenset(p.path for p in stand)):
        raise Unsure


def check_counties(
    conn: sqlite3.Connection, old: dict[str, list[Entity]], new: dict[str, list[Entity]], changed: list[int]
) -> None:
    """A county or district gets a point of its own only where something names it (kinds.CityAdapter.points):
    the counties the changed entries name, before or after, must be named by the other packs too."""
    from ..kinds import cluster_cities

    mine = {e["id"] for s in DELTA_SECTIONS for e in old[s] + new[s]}
    for sections in (old, new):
        lk = db_lookup(conn, sections)
        named = {c for cl in sections["clusters"] for c in cluster_cities(lk, cl)}
        named |= {st["city"] for st in sections["statistics"] if st.get("city")}
        for c in named:
            city = lk["city"][c]
            if city["level"] != "county" or city["kind"] == "county_city":
                continue
            others = [
                i
                for name in (ref_relation("cluster", "cities"), ref_relation("statistic", "city"))
                for i in related(conn, name, c)
                if i not in mine
            ]
            if not others and not related(conn, ref_relation("park", "city"), c):
                raise Unsure
