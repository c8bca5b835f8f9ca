"""The SQLite export: one table per kind, foreign keys and link tables from the model.

It lives with the store because it is SQL: no module outside store/ writes any.
"""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..contract import SCHEMA_VERSION
from ..kinds import export_refs, link_column
from ..model import KINDS
from ..spool import Spool
from .kb import KB


def _sql_value(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int) and value not in _INTEGERS:
        return float(value) if value in _REALS else str(value)
    return value


# A whole number beyond SQLite's 64 bits (a pack may write a figure of 30 digits) is stored as the nearest REAL,
# as SQLite reads such a literal itself, in a column declared REAL (value_kind); one beyond a REAL's range, as its
# digits in a column declared TEXT (a REAL column would make it infinity). The JSON and CSV exports keep every digit
_INTEGERS = range(-(2**63), 2**63)
_REALS = range(-(2**1024 - 2**970) + 1, 2**1024 - 2**970)  # the whole numbers float() takes: from 2**1024 - 2**970 on
# they round to 2**1024, beyond the largest REAL (OverflowError)


_KIND_OF = {bool: "bool", int: "int", float: "float", str: "other"}


def value_kind(value: Any) -> str:
    """What a column's declared type reads of one of its values (not null): yes/no, a whole number, another
    number, or anything else (a text, a list, an object)."""
    kind = _KIND_OF.get(type(value))
    if kind == "int" and value not in _INTEGERS:  # beyond SQLite's INTEGER: stored as a REAL, or text (_sql_value)
        return "float" if value in _REALS else "other"
    if kind is None:  # a subclass, as isinstance sees it
        if isinstance(value, bool):
            kind = "bool"
        elif isinstance(value, int):
            kind = "int"
        else:
            kind = "float" if isinstance(value, float) else "other"
    return kind


def type_of(kinds: set[str]) -> str:
    """The declared type of a column from the kinds of the values it holds (value_kind, nulls left out):
    BOOLEAN for yes/no alone (written as an INTEGER of 0 or 1), INTEGER for whole numbers, REAL for numbers
    that are not all whole, TEXT for the rest (lists and objects as JSON text); a column of nothing is TEXT."""
    if kinds == {"bool"}:
        return "BOOLEAN"
    if kinds == {"int"}:
        return "INTEGER"
    if kinds and kinds <= {"int", "float"}:
        return "REAL"
    return "TEXT"


# The full-text index a reader searches (Datasette's search box, `?_search=`). Chinese is written without
# spaces, so a tokenizer takes a whole run (深圳市南山区集成电路设计集群) for one word and finds nothing inside
# it; FTS5's trigram tokenizer finds runs of three or more characters but never a two-character word (芯片).
# So each Chinese run is indexed with every stretch of 2 to 8 of its characters as a word of its own, under
# FTS5's standard unicode61 tokenizer: 芯片, 集成电路 and 南山区 are all found inside a name, English by its
# words. The index is external-content (content="table"), which is how Datasette finds it.
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_LONGEST = 8


def fts_words(text: str) -> str:
    """The text, then every stretch of 2 to 8 characters of each Chinese run in it, as words."""
    grams = [
        run[i : i + n]
        for run in _CJK_RUN.findall(text)
        for n in range(2, min(_LONGEST, len(run)) + 1)
        for i in range(len(run) - n + 1)
    ]
    return " ".join([text, *dict.fromkeys(grams)])


FTS_COLUMNS = {
    "clusters": ["name", "name_zh", "specialties", "summary"],
    "companies": ["name", "name_zh", "official_name", "official_name_zh", "aliases", "summary"],
    "cities": ["name", "name_zh", "pinyin", "aliases"],
    "provinces": ["name", "name_zh", "pinyin", "aliases"],
    "sectors": ["name", "name_zh", "synonyms", "summary"],
    "parks": ["name", "name_zh", "aliases", "summary"],
    "regions": ["name", "name_zh", "aliases", "summary"],
}


def _fts_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return fts_words(" | ".join(str(v) for v in value))
    return fts_words(str(value))


def _write_fts(conn: sqlite3.Connection, table: str, cols: list[str], rows: Spool) -> None:
    """`{table}_fts`, an external-content FTS5 index of `table` (Datasette detects it by its content= option),
    filled from the entities the table was written from (`rows`, in the order they were inserted), each under
    its row's rowid."""
    have = [c for c in cols if c in rows.columns]
    if not have:
        return
    names = ", ".join(f'"{c}"' for c in have)
    conn.execute(f'CREATE VIRTUAL TABLE "{table}_fts" USING fts5({names}, content="{table}", tokenize="unicode61")')
    inserted = conn.execute(f'SELECT rowid, id FROM "{table}" ORDER BY rowid')
    conn.executemany(
        f'INSERT INTO "{table}_fts" (rowid, {names}) VALUES (?, {", ".join("?" * len(have))})',
        ((rowid, *(_fts_text(e.get(c)) for c in have)) for (rowid, _), e in _same_ids(inserted, rows.rows())),
    )


def _same_ids(inserted: Iterable[tuple[Any, ...]], rows: Iterable[dict[str, Any]]) -> Iterator[tuple[Any, Any]]:
    """(rowid and id, entity) of a table's rows and the entities they were inserted from, in order."""
    for pair in zip(inserted, rows, strict=True):
        if pair[0][1] != pair[1].get("id"):  # pragma: no cover - the rows were inserted from these, in order
            raise RuntimeError(f"export: {pair[0][1]} inserted where {pair[1].get('id')} was read")
        yield pair


def _batch_year(kb: KB, membership: dict[str, Any]) -> int | None:
    """The year of a membership's batch, as its designation's batch table gives it."""
    designation = kb.get("designation", str(membership.get("list"))) or {}
    for b in designation.get("batches") or []:
        if str(b.get("batch")) == str(membership.get("batch")) and isinstance(b.get("year"), int):
            return int(b["year"])
    return None


def write_sqlite(kb: KB, target: Path, rows_of: Callable[[str], Iterable[dict[str, Any]]]) -> None:
    """One table per kind (id primary key, foreign keys from the model), link tables for list references, in
    the new or empty file `target` (cli/files.py writes it beside the file asked for and renames it there).
    `rows_of(kind)` gives the rows of each table, in order; they are put aside on disk (spool.Spool) while
    their columns and types are found, never held in memory at once."""
    conn = sqlite3.connect(target)
    try:
        with contextlib.ExitStack() as spools:
            rows: dict[str, Spool] = {}
            kinds: dict[str, dict[str, set[str]]] = {}  # kind -> column -> the kinds of its values (type_of)
            for kind in KINDS.values():
                spool = rows[kind.name] = spools.enter_context(Spool())
                seen = kinds[kind.name] = {}
                for r in rows_of(kind.name):
                    spool.add(r)
                    for c, v in r.items():
                        if v is not None:
                            found = seen.get(c)
                            if found is None:
                                found = seen[c] = set()
                            found.add(value_kind(v))
            _write_entities(conn, kb, rows, kinds)
            _write_counting_rule(conn, kb)
            for kind in KINDS.values():
                if kind.section in FTS_COLUMNS:
                    _write_fts(conn, kind.section, FTS_COLUMNS[kind.section], rows[kind.name])
        _write_packs_and_meta(conn, kb)
        problems = conn.execute("PRAGMA foreign_key_check").fetchall()
        if problems:  # pragma: no cover - the validator guarantees references
            raise RuntimeError(f"export broke a foreign key: {problems[:3]}")
        conn.commit()
    finally:
        conn.close()


def _write_entities(
    conn: sqlite3.Connection, kb: KB, rows: dict[str, Spool], kinds: dict[str, dict[str, set[str]]]
) -> None:
    """A table per kind and the link tables of its list references, from each kind's rows."""
    table_columns = {kind.name: rows[kind.name].columns or ["id"] for kind in KINDS.values()}
    types: dict[str, dict[str, str]] = {}
    for kind in KINDS.values():
        # the model's references to one entity and those the exports derive (a figure's named_province)
        single = {r.field: KINDS[r.target].section for r in export_refs(kind.name) if not r.many and r.key is None}
        defs = []
        types[kind.name] = {c: type_of(kinds[kind.name].get(c, set())) for c in table_columns[kind.name]}
        for col in table_columns[kind.name]:
            declared = types[kind.name][col]
            if col == "id":
                defs.append('"id" TEXT PRIMARY KEY')
            elif col in single:
                defs.append(f'"{col}" TEXT REFERENCES "{single[col]}"(id)')
            elif declared == "BOOLEAN":  # yes/no: 0 or 1, never NULL (a field a pack leaves out is no)
                defs.append(f'"{col}" INTEGER NOT NULL DEFAULT 0 CHECK ("{col}" IN (0, 1))')
            else:
                defs.append(f'"{col}" {declared}')
        conn.execute(f'CREATE TABLE "{kind.section}" ({", ".join(defs)})')
    for kind in KINDS.values():  # after every table exists, so foreign keys resolve
        cols = table_columns[kind.name]
        names = ", ".join(f'"{c}"' for c in cols)
        flags = {c for c, t in types[kind.name].items() if t == "BOOLEAN"}
        conn.executemany(
            f'INSERT INTO "{kind.section}" ({names}) VALUES ({", ".join("?" * len(cols))})',
            ([_sql_value(bool(r.get(c)) if c in flags else r.get(c)) for c in cols] for r in rows[kind.name].rows()),
        )
    for kind in KINDS.values():
        for ref in export_refs(kind.name):
            if not ref.many and ref.key is None:
                continue
            table = f"{kind.name}_{ref.field}"
            a, b = f"{kind.name}_id", f"{link_column(kind.name, ref)}_id"
            if ref.field == "designations":  # a membership carries its batch and that batch's year
                conn.execute(
                    f'CREATE TABLE "{table}" ("{a}" TEXT NOT NULL REFERENCES "{kind.section}"(id), '
                    f'"{b}" TEXT NOT NULL REFERENCES "{KINDS[ref.target].section}"(id), '
                    f'"batch" TEXT, "year" INTEGER, PRIMARY KEY ("{a}", "{b}", "batch"))'
                )
                conn.executemany(
                    f'INSERT OR IGNORE INTO "{table}" VALUES (?, ?, ?, ?)',
                    (
                        (e["id"], d[ref.key or "list"], d.get("batch"), _batch_year(kb, d))
                        for e in rows[kind.name].rows()
                        for d in e.get(ref.field) or []
                        if isinstance(d, dict)
                    ),
                )
                continue
            if ref.key is not None:  # items of several fields (a citation's `where`, a base's `what`): each kept
                _write_items(conn, kb, kind.name, ref, rows[kind.name])
                continue
            conn.execute(
                f'CREATE TABLE "{table}" ("{a}" TEXT NOT NULL REFERENCES "{kind.section}"(id), '
                f'"{b}" TEXT NOT NULL REFERENCES "{KINDS[ref.target].section}"(id), PRIMARY KEY ("{a}", "{b}"))'
            )
            conn.executemany(
                f'INSERT OR IGNORE INTO "{table}" VALUES (?, ?)',
                ((e["id"], target) for e in rows[kind.name].rows() for target in ref.targets(e.get(ref.field))),
            )


def _write_items(conn: sqlite3.Connection, kb: KB, kind: str, ref: Any, rows: Spool) -> None:
    """The link table of a reference whose items hold more than the id (`locator`, `also_in`, `bases`): one row
    per item in its place (`position`, from 1, as the CSV's child tables number them), with the item's other
    fields as columns. A citation naming no source (a locator's, an also_in's: a section of the article) stands
    in its pack's primary source (the rule `cite` and `info` follow), so every entry says what it rests on."""
    table, a, b = f"{kind}_{ref.field}", f"{kind}_id", f"{link_column(kind, ref)}_id"
    key = ref.key
    fields: dict[str, set[str]] = {}  # each field and the kinds of its values (its declared type, as a table's)
    for e in rows.rows():
        for item in _dicts(ref, e):
            for f, v in item.items():
                if f != key:
                    fields.setdefault(f, set()).update([value_kind(v)] if v is not None else [])
    extra = "".join(f', "{f}" {type_of(kinds)}' for f, kinds in fields.items())
    conn.execute(
        f'CREATE TABLE "{table}" ("{a}" TEXT NOT NULL REFERENCES "{KINDS[kind].section}"(id), '
        f'"position" INTEGER NOT NULL, "{b}" TEXT REFERENCES "{KINDS[ref.target].section}"(id){extra}, '
        f'PRIMARY KEY ("{a}", "position"))'
    )
    implied = ref.target == "source"  # a locator's or an also_in's citation: the pack's primary source by default

    def made() -> Iterator[list[Any]]:
        for e in rows.rows():
            for position, item in enumerate(_dicts(ref, e), 1):
                target = item.get(key)
                if target is None and implied:
                    target = kb.primary_source_of(kind, e["id"])
                yield [e["id"], position, target, *(_sql_value(item.get(f)) for f in fields)]

    marks = ", ".join("?" * (3 + len(fields)))
    conn.executemany(f'INSERT INTO "{table}" VALUES ({marks})', made())


def _dicts(ref: Any, e: dict[str, Any]) -> list[dict[str, Any]]:
    """The items of an entity's reference that are objects (a citation, a base), in their order."""
    return [item for item in ref.items(e.get(ref.field)) if isinstance(item, dict)]


def _write_packs_and_meta(conn: sqlite3.Connection, kb: KB) -> None:
    # a pack by its file name only: an absolute path would leak the exporter's folders into a shared file
    conn.execute("CREATE TABLE packs (file TEXT, meta TEXT)")
    conn.executemany(
        "INSERT INTO packs VALUES (?, ?)",
        [(Path(p["file"]).name, _sql_value({**p, "file": Path(p["file"]).name})) for p in kb.packs],
    )
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    main = next((p for p in kb.packs if p.get("primary_source")), kb.packs[0])
    meta = {k: v for k, v in main.items() if k not in ("file", "counts")}  # the article pack's, as before packs
    conn.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [(k, _sql_value(v)) for k, v in meta.items()] + [("schema_version", SCHEMA_VERSION)],
    )


def _write_counting_rule(conn: sqlite3.Connection, kb: KB) -> None:
    """The counting rule's tables (rule_tables.py), and the view that counts clusters per place and sector from
    them."""
    from .rule_tables import RULE, counting_rule_rows

    conn.executescript(RULE)
    for table, (cols, rows) in counting_rule_rows(kb).items():
        conn.executemany(f'INSERT OR IGNORE INTO "{table}" VALUES ({", ".join("?" * len(cols))})', rows)
    _write_figures_view(conn)


# what a figure in yuan is about, as far as the statistics table has the column (a pack of one's own may not)
# what a figure is about and how its amount is to be read: `qualifier` (over, about, a target) and `year_basis`
# (the year it is of, or the year it was published) beside the amount, so ">RMB 700bn" never reads as 700bn exactly
_FIGURE_COLUMNS = (
    "qualifier",
    "metric",
    "scale",
    "year",
    "year_basis",
    "period",
    "status",
    "province",
    "city",
    "region",
    "sector",
    "cluster",
    "source",
)


def _write_figures_view(conn: sqlite3.Connection) -> None:
    """`figures_in_cny`: every figure in yuan, its amount in yuan and in billions, how it is qualified and what it
    is about. A figure in another currency is not converted (its amount is the source's, `statistics.currency`
    says which)."""
    have = {r[1] for r in conn.execute('PRAGMA table_info("statistics")')}
    if not {"currency", "amount"} <= have:
        return
    about = ", ".join(f'"{c}"' for c in _FIGURE_COLUMNS if c in have)
    conn.execute(
        'CREATE VIEW "figures_in_cny" AS SELECT "id", "amount" AS "amount_cny", "amount" / 1e9 AS "billion_cny"'
        f'{", " + about if about else ""} FROM "statistics" WHERE "currency" = \'CNY\' AND "amount" IS NOT NULL'
    )
