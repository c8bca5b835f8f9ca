"""A whole list kept beside the cache (store/kept.py): `list KIND --format csv|tsv` prints the same bytes made,
kept and through every other list's path, and a kept file is read for its own build only (edited packs, a
delta build, a damaged or foreign file, a cache in memory)."""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

import pytest
from helpers import PLACES, Run, cli, copied_packs, data_args, deltas_of, fixture_text, own_pack

from clusters_cli.model import KINDS
from clusters_cli.store.cache import cache_file
from clusters_cli.views import listing


def listed(paths: list[str], *args: str) -> Run:
    return cli(*data_args(paths), "list", *args)


def kept_file(paths: list[str], section: str) -> Path:
    return Path(cache_file(paths)[: -len(".sqlite")] + f".list-{section}.rows")


def deltas(paths: list[str]) -> int:
    """How many delta builds in a row made the cache of these packs."""
    return int(deltas_of(cache_file(paths)))


def _not_made(*args: object, **kwargs: object) -> None:
    raise AssertionError("the rows were made again, not read from the kept file")


def test_every_kind_prints_the_same_bytes_made_kept_and_as_any_other_list(
    isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For every kind, in CSV and TSV: the first run makes the rows and keeps them, the second reads them back
    and makes nothing (list_view would fail it), and both print what the path of a list with a row option
    prints (`--limit` of a billion: every row, through the emitter every other list goes through)."""
    paths = copied_packs(tmp_path)
    kept = 0
    for kind in KINDS.values():
        for fmt in ("csv", "tsv"):
            made = listed(paths, kind.section, "--format", fmt)
            other = listed(paths, kind.section, "--format", fmt, "--limit", "1000000000")
            assert (made.exit_code, made.stdout, made.stderr) == (other.exit_code, other.stdout, other.stderr)
            if made.exit_code == 1:  # a kind the fixtures have none of says so, and keeps nothing
                assert not kept_file(paths, kind.section).exists()
                continue
            assert made.exit_code == 0 and made.stdout.count("\n") > 1, made.stderr
            assert kept_file(paths, kind.section).exists()
            with monkeypatch.context() as m:
                m.setattr(listing, "list_view", _not_made)
                again = listed(paths, kind.section, "--format", fmt)
            assert (again.exit_code, again.stdout, again.stderr) == (0, made.stdout, made.stderr)
            kept += 1
    assert kept >= 16  # eight kinds or more, each in both formats


def test_a_filter_or_a_row_option_makes_the_rows_and_keeps_nothing(isolated: Path, tmp_path: Path) -> None:
    paths = copied_packs(tmp_path)
    for args in (["--province", "Jiangsu"], ["--sort", "name"], ["--fields", "id,name"], ["--limit", "3"], ["--json"]):
        assert listed(paths, "cities", *args, *([] if "--json" in args else ["--format", "csv"])).exit_code == 0
    assert not kept_file(paths, "cities").exists()
    assert listed(paths, "cities", "--province", "Jiangsu", "--format", "csv").stdout.count("\n") == 6


def test_a_kept_list_is_not_read_for_edited_packs(isolated: Path, tmp_path: Path) -> None:
    """An edit of the first pack (a full build), and of a pack of one's own at the end (a delta build of the
    build before): each time the list prints the edited rows, as a list with a row option prints them."""
    paths = copied_packs(tmp_path)
    first = listed(paths, "cities", "--format", "csv").stdout
    assert "Hefei" in first and kept_file(paths, "cities").exists()
    text = fixture_text(PLACES)
    assert text.count("name: Hefei, name_zh") == 1
    Path(paths[0]).write_text(text.replace("name: Hefei, name_zh", "name: Hofei, name_zh"), encoding="utf-8")
    st = os.stat(paths[0])
    os.utime(paths[0], ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    now = listed(paths, "cities", "--format", "csv").stdout
    assert now == first.replace("Hefei", "Hofei") != first
    assert now == listed(paths, "cities", "--format", "csv", "--limit", "1000000000").stdout

    mine = tmp_path / "mine.yaml"
    cluster = (
        "clusters:\n  - {id: mine-hefei-chips, name: My Hefei chip testers %s, sector: semiconductors, cities: [hefei],"
        " status: established, summary: Testers., locator: {section: Only, paragraph: 1}}\n"
    )
    mine.write_text(own_pack(cluster % "one"), encoding="utf-8")
    before = listed([*paths, str(mine)], "clusters", "--format", "csv").stdout
    assert "My Hefei chip testers one" in before
    built = deltas([*paths, str(mine)])
    mine.write_text(own_pack(cluster % "two"), encoding="utf-8")
    st = os.stat(mine)
    os.utime(mine, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    after = listed([*paths, str(mine)], "clusters", "--format", "csv").stdout
    assert deltas([*paths, str(mine)]) == built + 1  # a delta build of the one before
    assert after == before.replace("testers one", "testers two") != before


def _damaged(text: bytes) -> list[bytes]:
    """A kept file's bytes, changed in each way a file of another build, a cut or an edit leaves it."""
    body, _, last = text.rpartition(b"\n")
    fields = json.loads(last)

    def said(**changed: object) -> bytes:
        return body + b"\n" + json.dumps({**fields, **changed}).encode()

    flipped = body[:-3] + bytes([body[-3] ^ 1]) + body[-2:]  # one bit, the size unchanged
    short = body[: body.rindex(b"\n")]  # a line fewer than it says, its checksum right
    return [
        b"",
        body + b"\nnot json",
        body,  # no last line: the rows' own last line read as one
        text[:-10],
        flipped + b"\n" + last,
        said(build=fields["build"].replace(fields["build"][-5:], "x" + fields["build"][-4:])),
        said(format=0),
        said(header="id"),
        said(rows=0),
        said(rows=fields["rows"] + 1),
        short + b"\n" + json.dumps({**fields, "crc": zlib.crc32(short)}).encode(),
        b"\n" + last,
        body + b"\n[1, 2]",
    ]


def test_a_damaged_or_foreign_kept_file_is_not_read_but_made_again(isolated: Path, tmp_path: Path) -> None:
    paths = copied_packs(tmp_path)
    made = listed(paths, "cities", "--format", "csv").stdout
    path = kept_file(paths, "cities")
    whole = path.read_bytes()
    for damaged in _damaged(whole):
        assert damaged != whole
        path.write_bytes(damaged)
        assert listed(paths, "cities", "--format", "csv").stdout == made
        assert path.read_bytes() == whole  # made again, and kept whole in its place
    assert not [p.name for p in isolated.iterdir() if p.name.startswith(".tmp-")]


def test_a_cache_in_memory_keeps_nothing_and_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = copied_packs(tmp_path)
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.chdir(tmp_path)  # a file kept with no folder would land here
    made = listed(paths, "cities", "--format", "csv")
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".rows")]
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "cache"))
    assert (made.exit_code, made.stdout) == (0, listed(paths, "cities", "--format", "csv").stdout)
    assert made.stdout.count("\n") > 10


def _forged(path: Path, old: str, new: str) -> bytes:
    """A kept file whose cells say `new` for `old`, its checksum made right: a file only its build's check
    can refuse."""
    body, _, last = path.read_bytes().rpartition(b"\n")
    body = body.replace(old.encode(), new.encode())
    fields = json.loads(last)
    return body + b"\n" + json.dumps({**fields, "crc": zlib.crc32(body)}).encode()


def test_a_kept_list_is_read_only_by_its_build_its_code_and_its_language(
    isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A kept file, changed with its checksum made right, is read (the checks find damage, not forgery)
    only by the run that would make it: not once the database is built again from the same packs (deleted),
    nor by other code (an edited or reinstalled module), nor in the other language."""
    from clusters_cli.store import kept

    paths = copied_packs(tmp_path)
    made = listed(paths, "cities", "--format", "csv").stdout
    path = kept_file(paths, "cities")
    path.write_bytes(_forged(path, "Hefei", "Hofei"))
    assert listed(paths, "cities", "--format", "csv").stdout == made.replace("Hefei", "Hofei")  # its own run

    Path(cache_file(paths)).unlink()  # the same packs built again: another build
    assert listed(paths, "cities", "--format", "csv").stdout == made
    path.write_bytes(_forged(path, "Hefei", "Hofei"))
    with monkeypatch.context() as m:
        m.setattr(kept, "code_of", lambda root: "other code")
        assert listed(paths, "cities", "--format", "csv").stdout == made
    assert listed(paths, "cities", "--format", "csv").stdout == made  # kept again, by this code
    path.write_bytes(_forged(path, "Hefei", "Hofei"))
    assert listed(paths, "cities", "--format", "csv").stdout != made  # read by its own run
    path.write_bytes(_forged(path, "Hefei", "Hofei"))
    assert listed(paths, "--lang", "zh", "cities", "--format", "csv").stdout == made


def test_the_code_is_named_by_every_module_and_nothing_else(tmp_path: Path) -> None:
    from clusters_cli.store.kept import code_of

    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("A = 1\n")
    (tmp_path / "pkg" / "sub" / "b.py").write_text("B = 2\n")
    first = code_of(str(tmp_path / "pkg"))
    assert first.endswith("-2")
    (tmp_path / "pkg" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"compiled")
    (tmp_path / "pkg" / "notes.txt").write_text("not code")
    assert code_of(str(tmp_path / "pkg")) == first
    st = os.stat(tmp_path / "pkg" / "sub" / "b.py")
    os.utime(tmp_path / "pkg" / "sub" / "b.py", ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    assert code_of(str(tmp_path / "pkg")) not in (first, "")
    changed = code_of(str(tmp_path / "pkg"))
    (tmp_path / "pkg" / "c.py").write_text("")
    assert code_of(str(tmp_path / "pkg")) not in (first, changed)


@pytest.mark.parametrize(
    "rows",
    [
        b'["a"]',  # a row of one cell where the header has more
        b"5",  # no row at all
        b'{"id": "x"}',
        b'[1, 2], ["extra row"]',  # two rows on one line
        b"[" * 5000,  # deeper than the decoder goes
    ],
)
def test_a_kept_file_of_rows_that_are_not_rows_is_not_read(isolated: Path, tmp_path: Path, rows: bytes) -> None:
    """The rows, their checksum right, are read and checked before any is printed: the list is made again,
    whole, and no traceback or half list is printed."""
    paths = copied_packs(tmp_path)
    made = listed(paths, "cities", "--format", "csv")
    path = kept_file(paths, "cities")
    body, _, last = path.read_bytes().rpartition(b"\n")
    lines = body.split(b"\n")
    body = b"\n".join([*lines[:-1], rows])
    path.write_bytes(body + b"\n" + json.dumps({**json.loads(last), "crc": zlib.crc32(body)}).encode())
    again = listed(paths, "cities", "--format", "csv")
    assert (again.exit_code, again.stdout, again.stderr) == (0, made.stdout, made.stderr)
    path.write_bytes(body + b"\n" + b"[" * 5000)  # the last line itself
    assert listed(paths, "cities", "--format", "csv").stdout == made.stdout


def test_a_kind_without_entries_says_so_as_every_list_does(isolated: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(own_pack(), encoding="utf-8")
    for fmt in ("csv", "tsv"):
        whole = cli("--no-shipped", "--data", str(mine), "list", "cities", "--format", fmt)
        other = cli("--no-shipped", "--data", str(mine), "list", "cities", "--format", fmt, "--limit", "5")
        assert (whole.exit_code, whole.stdout, whole.stderr) == (other.exit_code, other.stdout, other.stderr)
        assert whole.exit_code == 1 and whole.stdout == "" and "No cities match at all" in whole.stderr
    assert not [p for p in isolated.iterdir() if p.name.endswith(".rows")]


def test_an_interrupted_keep_leaves_no_file(isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clusters_cli.store import kept
    from clusters_cli.store.cache import load_kb

    kb = load_kb(copied_packs(tmp_path), shipped=False)

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(kept.os, "replace", interrupted)
    try:
        with pytest.raises(KeyboardInterrupt):
            kept.keep(kb, "list-cities", ["id"], [["a"], ["b"]])
    finally:
        kb.conn.close()
    assert not [p.name for p in isolated.iterdir() if p.name.endswith(".rows")]
