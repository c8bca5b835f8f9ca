"""The exports are written as they are made. The JSON and GeoJSON exports: render.json.write_document writes
json.dumps' text of a document whose long lists are iterators, one item at a time, and the exports hand it
such a document; the file is the same as json.dumps of the whole, which is never held (an export at 100x held
3-4 GiB: benchmarks/README.md). The CSV, spreadsheet and SQLite exports: a table's rows are put aside on disk
(spool.Spool) until its columns are known, one kind at a time."""

from __future__ import annotations

import gc
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import cli
from hypothesis import example, given, settings
from hypothesis import strategies as st

from clusters_cli.flatten import columns
from clusters_cli.model import KINDS
from clusters_cli.render.json import write_document
from clusters_cli.spool import Spool, SpoolFailed
from clusters_cli.store.sqlite_export import type_of, value_kind
from clusters_cli.views.export import csv_tables, export_data
from clusters_cli.views.geojson import geojson_data


def written(doc: Any, indent: int = 2, ensure_ascii: bool = False) -> str:
    parts: list[str] = []
    write_document(doc, parts.append, indent=indent, ensure_ascii=ensure_ascii)
    return "".join(parts)


def whole(doc: Any) -> Any:
    """The document with every iterator made a list (what json.dumps can write)."""
    if isinstance(doc, Iterator):
        return [whole(item) for item in doc]
    if isinstance(doc, dict):
        return {k: whole(v) for k, v in doc.items()}
    return doc


# JSON's values, and what json.dumps also takes: tuples, keys that are numbers, true, false or null, NaN and
# the infinities, lone surrogates and line separators in text
texts = st.text(alphabet=st.characters(exclude_categories=()), max_size=8)
texts |= st.sampled_from(["\u2028", "\ud800", '"\\', "中"])
leaves = st.none() | st.booleans() | st.integers() | st.floats() | texts
keys = texts | st.integers() | st.floats() | st.booleans() | st.none()
values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=4) | st.lists(inner, max_size=3).map(tuple) | st.dictionaries(keys, inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=100, deadline=None)
@given(value=values, indent=st.sampled_from([1, 2, 4]), ensure_ascii=st.booleans())
def test_any_value_is_written_as_json_dumps_writes_it(value: Any, indent: int, ensure_ascii: bool) -> None:
    assert written(value, indent, ensure_ascii) == json.dumps(value, indent=indent, ensure_ascii=ensure_ascii)


@settings(max_examples=50, deadline=None)
@given(
    lists=st.lists(st.lists(values, max_size=4), min_size=1, max_size=4),
    indent=st.sampled_from([1, 2]),
    ensure_ascii=st.booleans(),
)
def test_iterators_in_dicts_are_written_as_the_lists_they_make(
    lists: list[list[Any]], indent: int, ensure_ascii: bool
) -> None:
    def doc() -> dict[str, Any]:  # at the top level, in dicts deeper down, empty, beside plain values
        return {
            "head": {"a": 1, "b": [], "c": {}},
            **{f"list{i}": iter(items) for i, items in enumerate(lists)},
            "nested": {"rows": iter(lists[0]), "plain": lists[-1], "deeper": {"more": iter(lists[-1])}},
            "empty": iter([]),
            "tail": None,
        }

    expected = json.dumps(whole(doc()), indent=indent, ensure_ascii=ensure_ascii)
    assert written(doc(), indent, ensure_ascii) == expected


def test_lists_of_numbers_alone_are_written_as_json_dumps_writes_them() -> None:
    # an outline's rings, with the numbers json writes its own way, beside lists that hold more than numbers
    rings = [[[113.25, 22.5], [1e-7, -0.0], [10**20, 7]], [[math.nan, math.inf], [-math.inf, 0]], [1, 2.5, True]]
    features = [{"coordinates": rings}, {"coordinates": [[3, None], [4.0, "5, 6"]]}]
    for indent in (1, 2):
        expected = json.dumps({"features": features}, indent=indent)
        assert written({"features": iter(features)}, indent) == expected


def test_each_item_is_written_before_the_next_is_made() -> None:
    events: list[str] = []

    def items() -> Iterator[dict[str, int]]:
        for i in range(3):
            events.append(f"made {i}")
            yield {"n": i}

    write_document({"kind": "x", "items": items()}, lambda text: events.append(f"wrote {text!r}"), indent=2,
                   ensure_ascii=False)  # fmt: skip
    assert events == [
        "wrote '{\\n  \"kind\": '",
        "wrote '\"x\"'",
        "wrote ',\\n  \"items\": '",
        "made 0",
        "wrote '[\\n    {\\n      \"n\": 0\\n    }'",
        "made 1",
        "wrote ',\\n    {\\n      \"n\": 1\\n    }'",
        "made 2",
        "wrote ',\\n    {\\n      \"n\": 2\\n    }'",
        "wrote '\\n  ]'",
        "wrote '\\n}'",
    ]


def test_writing_leaves_no_garbage_for_a_paused_collector() -> None:
    """A command runs with the collector paused (collector.py). json.dumps with an indent makes a cycle of
    closures at each call; one call an entity kept every one of them until the command ended."""
    doc = {"items": ({"id": i, "names": ["a", "b"], "at": {"lat": 1.5}} for i in range(500))}
    gc.collect()
    collecting = gc.isenabled()
    gc.disable()
    try:
        written(doc)
        found = gc.collect()
    finally:
        if collecting:
            gc.enable()
    # none of the writer's (json.dumps' closures made thousands here); a few allowed for what another thread of
    # the test run (xdist's channel) may leave at the same moment
    assert found < 50, found


def test_what_json_dumps_refuses_is_refused() -> None:
    with pytest.raises(TypeError):
        written({"items": iter([{"a": object()}])})
    with pytest.raises(TypeError):
        written([{(1, 2): 3}])
    assert written({"x": [math.nan, math.inf, -math.inf]}) == json.dumps({"x": [math.nan, math.inf, -math.inf]},
                                                                          indent=2)  # fmt: skip


def test_the_exports_hand_over_their_long_lists_unmade(kb: Any) -> None:
    doc = export_data(kb)
    lazy = {k for k, v in doc.items() if isinstance(v, Iterator)}
    assert lazy == {"sources", "designations", "provinces", "regions", "cities", "parks", "sectors", "companies",
                    "clusters", "statistics"}  # fmt: skip
    assert all(isinstance(rows, Iterator) for rows in doc["counting_rule"].values())
    assert isinstance(geojson_data(kb)["features"], Iterator)


@pytest.mark.parametrize(("fmt", "indent"), [("json", 2), ("geojson", 1)])
def test_an_export_file_is_json_dumps_of_the_whole_document(kb: Any, tmp_path: Path, fmt: str, indent: int) -> None:
    out = tmp_path / f"kb.{fmt}"
    assert cli("export", "-o", str(out)).exit_code == 0
    doc = export_data(kb) if fmt == "json" else geojson_data(kb)
    text = out.read_text(encoding="utf-8")
    assert text == json.dumps(whole(doc), ensure_ascii=False, indent=indent) + "\n"
    assert len(json.loads(text)["cities" if fmt == "json" else "features"]) > 10


def test_an_export_to_standard_output_is_json_dumps_of_the_whole_document(kb: Any) -> None:
    r = cli("export", "-f", "geojson", "-o", "-", "--layer", "clusters")
    assert r.exit_code == 0  # indented by 1, as the file is written
    expected = json.dumps(whole(geojson_data(kb, ["clusters"])), ensure_ascii=False, indent=1) + "\n"
    assert r.stdout == expected


# --- the CSV, spreadsheet and SQLite exports: each table's rows put aside on disk until its columns are known

rows_of_json = st.lists(st.dictionaries(st.sampled_from(["id", "name", "lat", "aliases", "at"]), values, max_size=5))


@settings(max_examples=60, deadline=None)
@given(rows=rows_of_json, batch=st.integers(min_value=1, max_value=4))
def test_a_spool_gives_back_its_rows_type_for_type_in_order_with_their_columns(
    rows: list[dict[str, Any]], batch: int
) -> None:
    with Spool() as spool:
        spool.BATCH = batch  # rows across several batches
        for row in rows[: len(rows) // 2]:
            spool.add(row)
        first = list(spool.rows())
        for row in rows[len(rows) // 2 :]:  # rows added after a reading are read after the others
            spool.add(row)
        again = list(spool.rows())
        assert spool.columns == columns(rows) and spool.count == len(rows)
    # the same values of the same types (1 stays 1, never 1.0 or True; a tuple stays a tuple; NaN is NaN)
    assert repr(first) == repr(rows[: len(rows) // 2]) and repr(again) == repr(rows)


def old_column_type(values: list[Any]) -> str:
    """The SQLite export's column type as it was worked out from a column's values held in a list, each whole
    number beyond SQLite's 64 bits taken as the REAL it is stored as, or beyond a REAL's range as its digits."""

    def stored(v: Any) -> Any:
        if type(v) is int and not -(2**63) <= v < 2**63:
            try:
                return float(v)
            except OverflowError:  # what float() cannot hold keeps its digits
                return str(v)
        return v

    present = [stored(v) for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "BOOLEAN"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "INTEGER"
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "REAL"
    return "TEXT"


@settings(max_examples=100, deadline=None)
@given(column=st.lists(leaves | st.lists(leaves, max_size=2) | st.dictionaries(texts, leaves, max_size=2)))
@example(column=[2**63])  # a fresh clone's run found it: the oracle had no 64-bit rule
@example(column=[2**1024, 1])
@example(column=[2**1024 - 1])  # float() of it overflows too: it rounds to 2**1024
@example(column=[-(2**63), 1])
def test_a_column_is_typed_from_the_kinds_of_its_values_as_from_the_values(column: list[Any]) -> None:
    assert type_of({value_kind(v) for v in column if v is not None}) == old_column_type(column)


def test_each_kinds_tables_are_made_before_the_next_kind_is_read(kb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    each = type(kb).each

    def recorded(self: Any, kind: str, *args: Any, **kwargs: Any) -> Iterator[Any]:
        asked.append(kind)
        return each(self, kind, *args, **kwargs)

    monkeypatch.setattr(type(kb), "each", recorded)
    tables = csv_tables(kb)
    name, cols, rows = next(tables)
    assert (name, asked) == ("sources", ["source"])
    assert cols[0] == "id" and len(list(rows)) > 0
    assert [t[0] for t in tables][:2] == ["source_sections", "source_lists"]
    assert asked == ["source", *[k for k in KINDS if k != "source"]]


@pytest.mark.parametrize("fmt", ["json", "geojson"])
def test_a_cache_failing_halfway_prints_one_whole_document(
    kb: Any, fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export to standard output prints nothing until its document is whole: a cache that fails while it is
    read is dropped and the question asked again of a fresh build (store/cache.with_recovery), and a document
    printed as it was made would stand twice, its first part cut short."""
    from clusters_cli.store.kb import KB, CacheCorrupt

    each = KB.each
    failed: list[str] = []

    def failing(self: Any, kind: str, *args: Any, **kwargs: Any) -> Iterator[Any]:
        for n, entity in enumerate(each(self, kind, *args, **kwargs)):
            if kind == "city" and n == 3 and not failed:
                failed.append(kind)
                raise CacheCorrupt("database disk image is malformed")
            yield entity

    expected = cli("export", "-f", fmt, "-o", "-").stdout
    monkeypatch.setattr(KB, "each", failing)
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path))  # the failed cache is dropped: not the shared one
    r = cli("export", "-f", fmt, "-o", "-")
    assert failed == ["city"] and r.exit_code == 0
    assert r.stdout == expected and json.loads(r.stdout)


@pytest.mark.parametrize(("fmt", "output"), [("json", "-"), ("geojson", "-"), ("csv", "csv"), ("sqlite", "kb.db")])
def test_a_temporary_folder_that_cannot_be_written_is_named_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, output: str
) -> None:
    """A document printed once whole waits in a temporary file, and the rows of the other exports' tables too
    (spool.Spool): where the temporary folder is full, the one line says so and names it (TMPDIR names another),
    not the file asked for, which is not written; no traceback."""
    import errno
    import io
    import tempfile

    def full(mode: str = "w+b", *args: object, **kwargs: object) -> io.IOBase:
        class Full(io.BytesIO if "b" in mode else io.StringIO):  # type: ignore[misc]
            def write(self, data: Any) -> int:
                raise OSError(errno.ENOSPC, "No space left on device")

        return Full()

    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    target = "-" if output == "-" else str(tmp_path / output)
    _refused_for_the_temporary_folder(
        ["-f", fmt, "-o", target], tempfile.gettempdir(), "no space left on the device", tmp_path
    )


def _refused_for_the_temporary_folder(args: list[str], folder: object, reason: str, out: Path) -> None:
    """An export with these arguments stops on one line naming the temporary folder and why, exit 2, printing
    nothing and writing no file under `out`."""
    r = cli("export", *args)
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (
        f"clusters: error: cannot write the export's temporary files in {folder}: {reason}; TMPDIR names another "
        "folder\n"
    )
    assert not [p for p in out.rglob("*") if p.is_file()]


def test_a_whole_number_beyond_sqlites_64_bits_is_exported_as_a_real_and_kept_whole_elsewhere(
    tmp_path: Path,
) -> None:
    """A pack may give a figure of 30 digits: the SQLite export stores its nearest REAL in a column declared
    REAL (as SQLite reads such a literal), where it raised OverflowError; JSON and CSV keep every digit."""
    import sqlite3

    from helpers import PAGES, changed_packs, data_args

    huge = 123456789012345678901234567890
    paths = changed_packs(tmp_path, "value: 500", f"value: {huge}", pack=PAGES)
    r = cli(*data_args(paths), "--no-shipped", "export", "-o", str(tmp_path / "kb.db"))
    assert (r.exit_code, r.stderr) == (0, "exported 77 entries as sqlite to " + str(tmp_path / "kb.db") + "\n")
    conn = sqlite3.connect(tmp_path / "kb.db")
    try:
        declared = {row[1]: row[2] for row in conn.execute('PRAGMA table_info("statistics")')}
        stored = conn.execute("SELECT value, typeof(value) FROM statistics WHERE value > 1e20").fetchall()
        small = conn.execute("SELECT typeof(value) FROM statistics WHERE value < 1e20 LIMIT 1").fetchall()
    finally:
        conn.close()
    assert declared["value"] == "REAL" and stored == [(float(huge), "real")] and small == [("real",)]
    doc = json.loads(cli(*data_args(paths), "--no-shipped", "export", "-f", "json", "-o", "-").stdout)
    assert [s["value"] for s in doc["statistics"] if s["value"] == huge] == [huge]
    # beyond a REAL's range no figure reaches an export: validation refuses it (test_validate.py), and a value
    # of another field so large is typed TEXT (test_a_column_is_typed_from_the_kinds_of_its_values_as_from_the_values)
    (tmp_path / "beyond").mkdir()
    paths = changed_packs(tmp_path / "beyond", "value: 500", f"value: {10**400 - 1}", pack=PAGES)
    assert cli(*data_args(paths), "--no-shipped", "export", "-o", str(tmp_path / "beyond.db")).exit_code == 3


@pytest.mark.parametrize(
    ("fmt", "output"), [("json", "-"), ("geojson", "-"), ("csv", "csv"), ("sqlite", "kb.db"), ("xlsx", "kb.xlsx")]
)
def test_a_temporary_folder_that_is_gone_is_named_whatever_writes_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str, output: str
) -> None:
    """TMPDIR naming a folder that is not there: each export's temporary files (the document printed once
    whole, the spools, openpyxl's sheets of a workbook, which said the workbook could not be written) fail
    there, and the one line names that folder; the file asked for is not written."""
    import tempfile

    gone = tmp_path / "gone"
    monkeypatch.setattr(tempfile, "tempdir", str(gone))
    written = tmp_path / "out"
    written.mkdir()
    target = "-" if output == "-" else str(written / output)
    _refused_for_the_temporary_folder(["-f", fmt, "-o", target], gone, "no such file or folder", written)


def test_a_workbook_whose_sheets_fill_the_temporary_folder_names_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """openpyxl keeps each sheet of a workbook written at once in a temporary file of its own (made by the
    NamedTemporaryFile its writer module holds): the temporary folder full there was said as the workbook
    that could not be written, where the disk it goes on had room."""
    import errno
    import tempfile

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("openpyxl.worksheet._writer.NamedTemporaryFile", full)
    _refused_for_the_temporary_folder(
        ["-o", str(tmp_path / "kb.xlsx")], tempfile.gettempdir(), "no space left on the device", tmp_path
    )


def test_a_csv_export_that_stops_halfway_leaves_the_earlier_export_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CSV export is many files: each is made into a temporary file beside it, and they are put in place
    together once every one is made. The temporary folder full at the fourth kind (its spool) left the tables
    made before it new beside the rest of an earlier export; now the folder is as it was, and no part file
    stays."""
    import errno

    out = tmp_path / "csv"
    assert cli("export", "-f", "csv", "-o", str(out)).exit_code == 0
    before = {p.name: (p.stat().st_ino, p.read_bytes()) for p in out.iterdir()}  # a table put in place: a new inode
    put_aside = Spool._put_aside
    calls = []

    def fills_up(self: Spool) -> None:
        calls.append(1)
        if len(calls) == 4:
            raise SpoolFailed(errno.ENOSPC, "No space left on device")
        put_aside(self)

    monkeypatch.setattr(Spool, "_put_aside", fills_up)
    again = cli("export", "-f", "csv", "-o", str(out))
    assert again.exit_code == 2 and "temporary files" in again.stderr and len(calls) == 4
    assert {p.name: (p.stat().st_ino, p.read_bytes()) for p in out.iterdir()} == before
