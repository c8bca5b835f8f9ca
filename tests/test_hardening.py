"""Bad input of every kind gets a clear answer: no traceback, no garbled
terminal, a documented exit code, in bounded time."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import (
    ARTICLE,
    PLACES,
    ROOT,
    Run,
    changed_packs,
    cli,
    copied_packs,
    data_args,
    fixture_text,
    run_many,
    write,
)
from hypothesis import given, settings
from hypothesis import strategies as st

ANSI = re.compile(r"\x1b")


def assert_clean_failure(r, code: int) -> None:  # type: ignore[no-untyped-def]
    assert r.exit_code == code, (r.exit_code, r.stdout[:300], r.stderr[:600])
    assert "Traceback" not in r.stderr
    assert not ANSI.search(r.stderr)
    lines = r.stderr.strip().splitlines()
    assert lines and (lines[-1].startswith("clusters: error:") or lines[-1].startswith("Error:")), r.stderr


# --- queries


@pytest.mark.parametrize("command", ["province", "city", "sector", "region", "company", "park", "cluster"])
@pytest.mark.parametrize("query", ["", "   ", "\t\n", "!!!", "\x1b[2J\x1b[31m", "🚀🚀"])
def test_empty_and_wordless_queries_are_usage_errors(command: str, query: str) -> None:
    assert_clean_failure(cli(command, query), 2)


def test_search_needs_words() -> None:
    assert_clean_failure(cli("search", "  "), 2)


def test_huge_query_is_answered_and_echoed_short() -> None:
    # (how fast is for benchmarks/, not for a test)
    query = "Anhui" * 20_000  # 100,000 characters
    for args, code in ((["province", query], 1), (["search", query], 1), (["sector", query], 1)):
        r = cli(*args)
        assert r.exit_code == code and "Traceback" not in r.stderr, args[0]
        assert len(r.stderr) < 2000  # the echo is shortened


def test_escape_sequences_in_queries_are_never_echoed() -> None:
    for query, code in (("\x1b]0;pwned\x07Anhui", 0), ("\x1b[31mZzz\x1b[0m", 1), ("\x9b31mZzz", 1)):
        r = cli("province", query)
        assert "\x1b" not in r.stderr and "\x07" not in r.stderr and "\x9b" not in r.stderr
        assert r.exit_code == code, query


@pytest.mark.parametrize(
    ("query", "expected"),
    [("ＡＮＨＵＩ", "anhui"), ("Anhui省", "anhui"), ("安徽 Anhui", None), ("anhui 🚀", "anhui")],
)
def test_mixed_scripts_full_width_and_emoji(query: str, expected: str | None) -> None:
    r = cli("province", query, "--json")
    assert "Traceback" not in r.stderr
    if expected is None:  # two names run together: not a typo, so suggested, never swapped in
        assert r.exit_code == 1 and "Did you mean: Anhui (安徽省)" in r.stderr
    else:
        assert r.exit_code == 0 and r.json()["province"]["id"] == expected


def test_lone_surrogate_in_argv() -> None:
    # bytes that are not UTF-8 reach Python as lone surrogates
    for args, code in (
        ([b"province", b"An\xffhui"], 0),
        ([b"search", b"\xff\xfe"], 2),
        ([b"city", b"\xed\xa0\x80"], 2),
    ):
        p = subprocess.run(
            [sys.executable.encode(), b"-m", b"clusters_cli", *args], capture_output=True, cwd=str(ROOT), timeout=60
        )
        assert p.returncode == code and b"Traceback" not in p.stderr, p.stderr


# --- knowledge bases


def kb_error(path: str) -> str:
    r = cli("--no-shipped", "--data", path, "province", "Anhui")
    assert_clean_failure(r, 3)
    assert path in r.stderr
    return r.stderr


def test_missing_file(tmp_path: Path) -> None:
    """A pack that cannot be read at all is one line naming it and why (it was the problem, then a verdict of
    an invalid knowledge base), in `validate` too; a pack with problems inside still lists them, verdict last."""
    path = str(tmp_path / "nope.yaml")
    assert kb_error(path) == f"clusters: error: {path}: no such file\n"
    r = cli("validate", "--no-shipped", path)
    assert (r.exit_code, r.stderr) == (3, f"clusters: error: {path}: no such file\n")
    broken = tmp_path / "broken.yaml"
    broken.write_text("x: [\n", encoding="utf-8")
    lines = kb_error(str(broken)).splitlines()
    assert lines[0].startswith(f"  {broken}:2:1: YAML error")
    assert lines[1:] == [f"clusters: error: {broken}: invalid knowledge base (1 problem)"]


def test_directory(tmp_path: Path) -> None:
    assert kb_error(str(tmp_path)) == f"clusters: error: {tmp_path}: is a directory, not a knowledge-base file\n"


def test_empty_file(tmp_path: Path) -> None:
    assert "empty" in kb_error(write(tmp_path, ""))
    assert "empty" in kb_error(write(tmp_path, "# only a comment\n", "c.yaml"))


def test_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "garbage.yaml"
    path.write_bytes(os.urandom(4096) + b"\xff\xfe\x00")
    assert "not UTF-8" in kb_error(str(path)) or "YAML error" in kb_error(str(path))
    path.write_bytes(b"meta: \x00\x01\x02")
    assert ":1:7: the character U+0000 is not allowed in a pack" in kb_error(str(path))


@pytest.mark.parametrize("text", ["- a\n- b\n", "just a string\n", "42\n"])
def test_wrong_top_level_type(tmp_path: Path, text: str) -> None:
    assert "top level must be a mapping" in kb_error(write(tmp_path, text))


def test_wrong_types_inside_entries(tmp_path: Path) -> None:
    paths = changed_packs(tmp_path, "lat: 31.98, lon: 120.89", "lat: north, lon: .inf", PLACES)
    write(tmp_path, fixture_text(ARTICLE).replace('  version: "fixture.1"', "  version: 2024.1"), "article.yaml")
    r = cli(*data_args(paths), "province", "Anhui")
    assert_clean_failure(r, 3)
    problems = [line.split(": ", 1)[1] for line in r.stderr.splitlines() if line.startswith("  ")]
    assert problems == [
        "cities[5] (id: nantong).lat: expected a number or null, got 'north' (string)",
        "cities[5] (id: nantong).lon: inf is more than the maximum of 136",
        "cities[5] (id: nantong).lon: inf is not a finite number",
        "meta.version: expected a string, got 2024.1 (number)",
    ]


def test_fifty_megabyte_file_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with open(path, "wb") as f:
        f.truncate(50 * 1024 * 1024)
    assert "the limit is 32 MiB" in kb_error(str(path))


@pytest.mark.parametrize("setting", ["abc", "-5", "1e9", "６４"])
def test_a_limit_that_is_not_a_whole_number_of_bytes_is_a_usage_error(tmp_path: Path, setting: str) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("meta: {}\n", encoding="utf-8")
    r = cli("--no-shipped", "--data", str(big), "info", env={"CLUSTERS_MAX_BYTES": setting})
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr == (
        f"clusters: error: CLUSTERS_MAX_BYTES must be a whole number of bytes (such as 67108864), not '{setting}'\n"
    )


@pytest.mark.parametrize(
    ("value", "on"),
    [("1", True), ("yes", True), ("TRUE", True), ("0", False), ("false", False), (" No ", False), ("off", False)],
)
def test_on_off_settings_of_the_environment_read_alike(monkeypatch: pytest.MonkeyPatch, value: str, on: bool) -> None:
    """CLUSTERS_NO_SHIPPED=0 read as on once (any value was), refusing to run without packs of one's own."""
    from clusters_cli.paths import pack_paths, shipped_packs
    from clusters_cli.resolve import exact_only

    monkeypatch.setenv("CLUSTERS_NO_SHIPPED", value)
    monkeypatch.setenv("CLUSTERS_EXACT", value)
    monkeypatch.setenv("CLUSTERS_DATA", "mine.yaml")
    assert pack_paths([]) == (["mine.yaml"] if on else [*shipped_packs(), "mine.yaml"])
    assert exact_only() is on


@pytest.mark.parametrize("args", [["province", "Anhui"], ["list", "provinces"], ["map"]])
def test_a_width_of_zero_columns_lays_out_as_no_width_given(args: list[str]) -> None:
    """COLUMNS=0 printed every table and panel as nothing, and exited 0."""
    zero, unset = cli(*args, env={"COLUMNS": "0"}), cli(*args, env={"COLUMNS": None})  # type: ignore[dict-item]
    assert zero.exit_code == unset.exit_code == 0 and zero.stderr == unset.stderr == ""
    assert zero.stdout == unset.stdout and "Anhui" in zero.stdout


def test_the_limit_holds_on_a_run_the_cache_could_answer(tmp_path: Path) -> None:
    """A pack compiled before a smaller limit (or a setting that is no number) was set is refused as on a first
    run: the warm run checks the setting and each pack's size too."""
    paths = copied_packs(tmp_path)
    assert cli(*data_args(paths), "info").exit_code == 0  # compiled into the cache
    size, biggest = max((os.path.getsize(p), p) for p in paths)
    small = cli(*data_args(paths), "info", env={"CLUSTERS_MAX_BYTES": str(size - 1)})
    assert small.exit_code == 3
    said = f"file is {size:,} bytes; the limit is {size - 1:,} bytes (set CLUSTERS_MAX_BYTES to raise it)"
    assert said in small.stderr
    assert biggest in small.stderr
    wrong = cli(*data_args(paths), "info", env={"CLUSTERS_MAX_BYTES": "abc"})
    assert wrong.exit_code == 2 and "CLUSTERS_MAX_BYTES must be a whole number of bytes" in wrong.stderr
    assert cli(*data_args(paths), "info", env={"CLUSTERS_MAX_BYTES": str(size)}).exit_code == 0


def test_a_limit_past_any_file_reads_the_packs_and_a_stream_past_the_limit_is_refused(tmp_path: Path) -> None:
    """CLUSTERS_MAX_BYTES of 2**63 - 1 ("no limit") read the pack in one read of that many bytes: a traceback
    (OverflowError, exit 1). It reads as any other limit; a stream whose size only its reading tells (/dev/zero)
    past the limit is refused on one line, as a file past it is."""
    paths = copied_packs(tmp_path)
    fresh = {"CLUSTERS_CACHE_DIR": str(tmp_path / "cache")}
    for setting in (str(2**63 - 1), "9" * 30):
        r = cli(*data_args(paths), "validate", env={**fresh, "CLUSTERS_MAX_BYTES": setting})
        assert r.exit_code == 0 and r.stderr.count("\n") == 1 and ": valid (" in r.stderr, r.stderr
    if os.path.exists("/dev/zero"):
        r = cli("--no-shipped", "--data", "/dev/zero", "validate", env={"CLUSTERS_MAX_BYTES": "1000"})
        assert (r.exit_code, r.stderr) == (
            3,
            "clusters: error: /dev/zero: larger than the limit of 1,000 bytes (set CLUSTERS_MAX_BYTES to raise it)\n",
        )


def test_deep_nesting_is_reported(tmp_path: Path) -> None:
    text = "meta: " + "[" * 5000 + "]" * 5000 + "\n"
    r = cli("--no-shipped", "--data", write(tmp_path, text), "info")
    assert r.exit_code == 3 and "Traceback" not in r.stderr


def test_bombs_and_tags_are_reported_in_bounded_time_and_memory(tmp_path: Path) -> None:
    lol = 'a: &a ["x","x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{chr(c)}: &{chr(c)} [" + ",".join([f"*{chr(c - 1)}"] * 10) + "]\n" for c in range(ord("b"), ord("k"))
    )
    for text, expected in ((lol, "anchors and aliases"), ("meta: !!python/name:os.system\n", "python/name")):
        path = write(tmp_path, text)
        proc = subprocess.run(
            ["bash", "-c", f"ulimit -v 1000000; {sys.executable} -m clusters_cli --no-shipped --data '{path}' info"],
            capture_output=True,
            cwd=str(ROOT),
            timeout=30,
        )
        assert proc.returncode == 3 and expected in proc.stderr.decode() and b"Traceback" not in proc.stderr


# --- output


COMMANDS_UNDER_STRESS = [
    ["province", "Guangdong"],
    ["sector", "chips"],
    ["search", "wind"],
    ["map"],
    ["stats"],
    ["compare", "Anhui", "Jiangsu"],
    ["list", "provinces"],
    ["info"],
    ["province", "广东", "--json"],
]
# encodings are fixed when a process starts, so those cases need a process each: the commands
# that print Chinese, box drawing and bar blocks stand for the rest
ENCODING_CASES = [
    ["province", "Guangdong"],
    ["map"],
    ["stats"],
    ["province", "广东", "--json"],
    ["export", "-o", "-", "-f", "json"],
    ["list", "provinces", "--format", "csv"],  # last: CSV turns the process's standard output to UTF-8
]


@pytest.mark.parametrize(
    ("env", "args"),
    [
        *(
            (env, args)
            for env in ({"TERM": "dumb"}, {"NO_COLOR": "1"}, {"COLUMNS": "20"}, {"COLUMNS": "300"})
            for args in COMMANDS_UNDER_STRESS
        ),
    ],
)
def test_hostile_environments_never_crash(env: dict[str, str], args: list[str]) -> None:
    _never_crashed(args, cli(*args, env=env))


@pytest.mark.parametrize("env", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C"}])
def test_hostile_encodings_never_crash(env: dict[str, str]) -> None:
    # encodings are fixed when a process starts: one process runs every case under this one
    runs = run_many(*ENCODING_CASES, env=env)
    for args, r in zip(ENCODING_CASES, runs, strict=True):
        _never_crashed(args, r)
    if env.get("PYTHONIOENCODING") == "ascii":  # (Python reads the C locale as UTF-8)
        table, _, stats, doc, exported, rows = runs
        assert "\\u5e7f" in table.stdout  # 广 as an escape, not a crash
        assert "#" in stats.stdout and "█" not in stats.stdout  # bars drawn in ASCII
        assert json.loads(doc.stdout)["province"]["name_zh"] == "广东省"  # JSON escapes it and stays whole
        # so does an export (á would be written \xe1, which no JSON reader takes)
        regions = {r["id"]: r for r in json.loads(exported.stdout)["regions"]}
        assert regions["yrd"]["pinyin"] == "Chángjiāng Sānjiǎozhōu" and exported.stdout.isascii()
        # CSV is UTF-8 whatever the locale: its cells were written \u5317\u4eac\u5e02, another value
        assert "beijing,Beijing,北京市," in rows.stdout and "\\u" not in rows.stdout


def _never_crashed(args: list[str], r: Run) -> None:
    assert r.exit_code == 0, (args, r.stderr)
    assert "Traceback" not in r.stderr and "UnicodeEncodeError" not in r.stderr
    assert not ANSI.search(r.stdout)
    if "--json" in args:
        assert json.loads(r.stdout)["province"]["id"] == "guangdong"


def test_closed_stdout_is_not_a_crash() -> None:
    p = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m clusters_cli province Anhui >&-"],
        capture_output=True,
        cwd=str(ROOT),
        timeout=60,
    )
    # what could not be written is said, as a full disk is (tests/test_cli.py), never a success
    assert p.returncode == 2 and b"Traceback" not in p.stderr
    assert p.stderr == b"clusters: error: cannot write to standard output: Bad file descriptor\n"


# --- Ctrl-C


def test_ctrl_c_exits_130_without_traceback(tmp_path: Path) -> None:
    # The pack is a FIFO: the run blocks reading it, and our open() for writing returns
    # only once it does, so the interrupt lands mid-load every time, without sleeping.
    fifo = tmp_path / "pack.yaml"
    os.mkfifo(fifo)
    env = {**os.environ, "CLUSTERS_CACHE_DIR": str(tmp_path / "cache")}
    # -X faulthandler: a run that outlives the signal says where it stands (SIGABRT)
    argv = [sys.executable, "-X", "faulthandler", "-m", "clusters_cli", "--data", str(fifo), "province", "Anhui"]
    # started as a terminal starts it, Ctrl-C at its default: a process a shell starts in the background (`&`
    # without job control, as some CI runners start the suite) inherits SIGINT ignored, and Python keeps it
    # ignored (the run then read the pack to its end and exited 3); so it is set back to the default, and the run
    # started in its place with the same pid
    reset = f"import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.executable, {argv!r})"
    proc = subprocess.Popen(
        [sys.executable, "-c", reset],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=str(ROOT),
    )
    with open(fifo, "w", encoding="utf-8"):
        proc.send_signal(signal.SIGINT)
    # The pack's writing end closed: a signal that came in the instant between Python's last look for one and the
    # read entering the system is only seen once the read returns (Python's own race, hit once in 40 runs under
    # load: the run sat in read_bytes for 30 s); the read now returns, at the pack's end, and the interrupt lands
    # there, still mid-load.
    try:
        _, err = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:  # keep what it was doing
        proc.send_signal(signal.SIGABRT)
        _, err = proc.communicate(timeout=30)
        pytest.fail(f"still running 30 s after Ctrl-C; its stacks:\n{err.decode('utf-8', 'replace')[-3000:]}")
    assert proc.returncode == 130, err
    assert b"Traceback" not in err


def test_interrupted_cache_build_leaves_no_temporary_file(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from clusters_cli.store import build as store_build
    from clusters_cli.store import cache

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(store_build, "build_database", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cache.load_kb()
    assert isolated.exists() and not list(isolated.glob(".tmp-*"))


def test_interrupted_saving_of_a_checked_parse_leaves_no_temporary_file(
    isolated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    from clusters_cli.paths import pack_paths
    from clusters_cli.store import packs, parsecache

    def interrupted(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(parsecache, "json", types.SimpleNamespace(dumps=interrupted))
    with pytest.raises(KeyboardInterrupt):
        packs.load_fresh(pack_paths([]), use_pack_cache=True)
    assert isolated.exists() and not list(isolated.glob(".tmp-*"))


def test_a_map_into_a_folder_or_a_missing_folder_is_refused_in_our_words(tmp_path: Path) -> None:
    r = cli("map", "wind", "--svg", str(tmp_path))
    assert (r.exit_code, r.stderr) == (
        2,
        f"clusters: error: {tmp_path} is a folder; give a file name for the SVG output\n",
    )
    missing = tmp_path / "nowhere" / "x.html"
    r = cli("--lang", "zh", "map", "wind", "--html", str(missing))
    assert r.exit_code == 2 and r.stderr == f"clusters：错误：无法写入 {missing}：文件夹 {missing.parent} 不存在\n"


def test_a_problem_quoting_the_packs_text_never_prints_a_control_character(tmp_path: Path) -> None:
    pack = write(tmp_path, 'meta: {title: t}\n"\\e[31mRED": 1\n"\\e[31mRED": 2\n', "esc.yaml")
    r = cli("--no-shipped", "validate", pack)
    assert r.exit_code == 3
    assert "duplicate key" in r.stderr and "\x1b" not in r.stderr


def test_a_map_written_to_two_files_checks_both_before_writing_either(tmp_path: Path) -> None:
    svg = tmp_path / "ok.svg"
    r = cli("map", "wind", "--svg", str(svg), "--html", str(tmp_path / "nowhere" / "x.html"))
    assert r.exit_code == 2 and not svg.exists()


def test_a_problem_line_keeps_the_spacing_of_its_path_and_value(tmp_path: Path) -> None:
    folder = tmp_path / "two  spaces"
    folder.mkdir()
    pack = write(folder, 'meta: {title: t}\nsectors:\n  - {id: "a  b", name: x, synonyms: [], summary: s}\n', "p.yaml")
    r = cli("--no-shipped", "validate", pack)
    assert r.exit_code == 3
    said = "'a  b' is no id: an id is lower-case letters and digits, joined by single hyphens (a-b)"
    assert f"{pack}:3:10: sectors[0] (id: a  b).id: {said}" in r.stderr


def test_a_pack_types_every_value_as_yaml_safe_load_does(tmp_path: Path) -> None:
    """The event-built parse types scalars as SafeLoader does: plain words YAML 1.1 reads as booleans or
    null, numbers in every notation, dates, quoted and block texts (a quoted 'yes' stays a text)."""
    import datetime

    from clusters_cli.store.yamlfile import load_yaml

    text = (
        "plain: [Anhui, yes, No, on, OFF, true, n, y, null, ~, '', 12, -3, +4, 0x1f, 0o17, 1_000, 1.5, -.inf,"
        " 2024-01-02, 2024-01-02 10:00:00, '2024', \"yes\", 'null', ._x, 1e3, 6.8e+3]\n"
        "block: |\n  Line one\n  yes\n"
        "folded: >\n  two\n  lines\n"
        "key with spaces: Jing-Jin-Ji\n"
        "empty:\n"
        "tagged: !!str 12\n"
        "nested: {a: [1, {b: false}], c: 0.0}\n"
    )
    pack = write(tmp_path, text, "types.yaml")
    data, _ = load_yaml(pack)
    assert data == yaml.safe_load(text)
    assert data["plain"][1:4] == [True, False, True] and data["plain"][8:10] == [None, None]
    assert data["plain"][19] == datetime.date(2024, 1, 2) and data["plain"][21:24] == ["2024", "yes", "null"]
    assert data["tagged"] == "12" and data["empty"] is None


def test_a_value_its_type_cannot_be_made_from_is_a_problem_of_the_pack_not_a_traceback(tmp_path: Path) -> None:
    """`! |` before a block holding "yes": libyaml calls it plain, so YAML 1.1's resolver types it a boolean,
    whose constructor cannot read "yes" with its line break (SafeLoader raises KeyError). A pack holding it is
    invalid, said on one line where the value stands."""
    pack = write(tmp_path, "meta: {title: t}\nsources:\n  - id: s\n    name: ! |\n      yes\n", "bang.yaml")
    r = cli("--no-shipped", "validate", pack)
    assert r.exit_code == 3 and "Traceback" not in r.stderr
    assert f"{pack}:4:11: cannot read 'yes' as the type tag:yaml.org,2002:bool" in r.stderr


@pytest.mark.parametrize(
    ("written", "tag"),
    [('!!int ""', "int"), ('!!float ""', "float"), ('!!int "-"', "int"), ('!!timestamp ""', "timestamp")],
)
def test_an_empty_or_bare_text_tagged_as_a_number_or_date_is_a_problem_of_the_pack(
    tmp_path: Path, written: str, tag: str
) -> None:
    """SafeLoader's constructors of a number or a date fail on an empty text, or a sign alone, with errors other
    than a bad value's (an index out of range, no match): still a problem said where the value stands, exit 3."""
    pack = write(tmp_path, f"meta: {{title: t}}\nsources:\n  - id: s\n    name: {written}\n", "tagged.yaml")
    r = cli("--no-shipped", "validate", pack)
    assert r.exit_code == 3 and "Traceback" not in r.stderr
    value = written.split(" ", 1)[1].strip('"')
    assert f"{pack}:4:11: cannot read '{value}' as the type tag:yaml.org,2002:{tag}" in r.stderr, r.stderr


def _exactly(value: object) -> object:
    """A value with the type of every part (1 and 1.0 and True differ; -0.0 shows its sign), to compare parses."""
    if isinstance(value, dict):
        return {k: _exactly(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_exactly(v) for v in value]
    return (type(value).__name__, repr(value))


# plain scalars a pack may hold: numbers in YAML 1.1's notations, and words it reads as booleans or null
SCALAR_SHAPES = [
    "39.90281",
    "-39.90281",
    "+1.5",
    "-0.0",
    "0.0",
    "007.50",
    "1_0.5",
    "1.",
    ".5",
    "-.5",
    "1.5e+3",
    "1.5e3",
    "1:30.5",
    "190:20:30.15",
    "12",
    "-3",
    "012",
    "0x1f",
    "0b101",
    "1_000",
    "2024",
    "2024-01-02",
    "1.2.3",
    "1.5 GW",
    "12 km",
    "yes",
    "Yes",
    "YES",
    "no",
    "on",
    "Off",
    "true",
    "False",
    "null",
    "Null",
    "~",
    "y",
    "n",
    "nan",
    ".nan",
    ".inf",
    "-.Inf",
    "notes",
    "name",
    "official_name",
    "tags",
    "2.5-3.0",
    "1e3",
    "0.1_5",
]


def test_plain_scalars_repeated_are_typed_as_safe_load_types_them_each_time() -> None:
    """A parse types a plain scalar's text once and reuses it (keys and words recur in every entry), and reads a
    plain decimal as a float without the resolver: each value, first seen or seen again, as a key or a value,
    has the type and value SafeLoader gives it."""
    from clusters_cli.store.yamlfile import parse_text

    lines = [f"- {{v: {shape}, again: {shape}}}" for shape in SCALAR_SHAPES if "," not in shape]
    lines += [f"- {shape}: {shape}" for shape in SCALAR_SHAPES if not shape.startswith(("-", "~"))]
    text = "items:\n" + "\n".join(lines * 2) + "\n"
    data, _ = parse_text("t.yaml", text, locate=False)
    assert _exactly(data) == _exactly(yaml.safe_load(text))
    first = data["items"][0]
    assert _exactly(first) == {"v": ("float", "39.90281"), "again": ("float", "39.90281")}


def test_every_text_key_of_a_parse_is_the_one_interned_string() -> None:
    """Each entry's `name` key is the one string (sys.intern's), as every other text key: a large parse holds
    a key once, not once an entry, and the code's own 'name' finds it by identity. Through the halves too."""
    import marshal

    from clusters_cli.store.halves import find_cut, parse_halves_here
    from clusters_cli.store.yamlfile import parse_text

    entries = "".join(f"  - id: c{i}\n    name: City {i}\n    'quoted key': {i}\n    12: twelve\n" for i in range(40))
    text = f"meta: {{title: t}}\nsources:\n  - {{id: s, name: S}}\ncities:\n{entries}"

    def keys(value: object) -> list[object]:
        if isinstance(value, dict):
            return [*value, *(k for v in value.values() for k in keys(v))]
        return [k for v in value for k in keys(v)] if isinstance(value, list) else []

    whole, _ = parse_text("t.yaml", text, locate=False)
    cut = find_cut(text)
    assert cut is not None
    halves = parse_halves_here("t.yaml", text, cut)
    assert halves is not None and halves[0] == whole
    for data in (whole, halves[0], marshal.loads(marshal.dumps(whole))):  # as the second half comes back too
        found = keys(data)
        assert {type(k) for k in found} == {str, int}
        assert all(k is sys.intern(k) for k in found if isinstance(k, str))
        assert len({id(k) for k in found if k == "name"}) == 1


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet="0123456789+-._:eEyYnNoOtf~ ", min_size=1, max_size=9), min_size=1, max_size=4))
def test_any_plain_scalar_is_typed_as_safe_load_types_it(shapes: list[str]) -> None:
    """Texts of digits, signs, points, underscores, colons and the letters of YAML's words, each as a value
    twice and as a key: the parse gives what SafeLoader gives, or refuses what it refuses."""
    from clusters_cli.errors import InvalidKnowledgeBase
    from clusters_cli.store.yamlfile import parse_text

    text = "".join(f"- v: {s}\n  w: {s}\n- {s}: x\n" for s in shapes)
    try:
        expected = _exactly(yaml.safe_load(text))
    except yaml.YAMLError:
        with pytest.raises(InvalidKnowledgeBase):
            parse_text("t.yaml", text, locate=False)
        return
    try:
        data, _ = parse_text("t.yaml", text, locate=False)
    except InvalidKnowledgeBase as refused:  # what SafeLoader lets through and a pack refuses
        said = " ".join(p.message for p in refused.problems)
        assert "duplicate key" in said or "a mapping key must be a plain value" in said, said
        return
    assert _exactly(data) == expected


@pytest.mark.parametrize("shell", ["zsh", "bash", "fish"])
def test_a_completion_never_hands_a_shell_a_packs_quotes_dollars_or_markup(tmp_path: Path, shell: str) -> None:
    """A TAB press describes each candidate with its Chinese name, which a shell's completion script reads: a
    park's name_zh of `园\\$(touch x)` ran `touch` in zsh (Typer's escaping doubled the backslash, and zsh
    evaluated the rest), a closing backslash broke the quoting, and Rich markup was read. Only letters,
    digits, spaces and a few marks of a pack's text reach the description."""
    from typer.testing import CliRunner

    from clusters_cli.cli import app

    marker = tmp_path / "ran"
    mine = write(
        tmp_path,
        "meta: {title: Mine}\n"
        "sources:\n  - {id: mine-page, short_name: P, name: My page, kind: news, publisher: A daily}\n"
        "parks:\n"
        f"  - {{id: zsh-park, name: Zsh Park, name_zh: '园\\$(touch {marker})`id`\\', city: hefei,"
        " kind: industrial_park, sectors: [semiconductors], summary: S,"
        " locator: {source: mine-page, where: lead}}\n"
        "  - {id: zsh-park-two, name: Zsh Park Two, name_zh: '区[bold red]RICH[/]%s:\"q\"', city: hefei,"
        " kind: industrial_park, sectors: [semiconductors], summary: S,"
        " locator: {source: mine-page, where: lead}}\n",
        "mine.yaml",
    )
    env = {
        "CLUSTERS_DATA": os.pathsep.join([PLACES, ARTICLE, mine]),
        "_CLUSTERS_COMPLETE": f"complete_{shell}",
        "_TYPER_COMPLETE_ARGS": "clusters park zsh",  # zsh's and fish's protocol
        "COMP_WORDS": "clusters park zsh",  # bash's
        "COMP_CWORD": "2",
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
    }
    out = CliRunner().invoke(app, [], env=env, prog_name="clusters").stdout
    assert "zsh-park" in out
    if shell != "bash":  # bash shows no descriptions
        assert "园 (touch" in out and "RICH" in out
    for unsafe in ("$", "`", "\\", "[bold", "%s", '"q"'):
        assert unsafe not in out.replace('"zsh-park', "").replace('"园', ""), (unsafe, out)
    assert not marker.exists()


# texts a pack may hold written escaped in double quotes: control characters, an escape sequence, direction marks,
# a noncharacter, the line and paragraph separators, and plain letters (cleaning keeps them)
_DIRTY = st.text(
    alphabet=["a", "b", " ", "\x00", "\x01", "\x1b", "[", "m", "\x9b", "\u200e", "\u202e", "\u2028", "\ufffe"]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_DIRTY, _DIRTY, _DIRTY), min_size=1, max_size=5))
def test_a_parse_cleaned_as_it_reads_is_the_parse_cleaned_after(entries: list[tuple[str, str, str]]) -> None:
    """parse_text(cleaned=True), which cleans each text as it makes it, gives what clean_tree gives of the parse:
    keys and values, at the top level and inside entries, texts cleaning changes and keys it makes one (the
    later value, at the first's place), with the same locations."""
    from clusters_cli.errors import InvalidKnowledgeBase
    from clusters_cli.sanitize import clean_tree
    from clusters_cli.store.yamlfile import parse_text

    def quoted(text: str) -> str:
        return json.dumps(text)  # a JSON string is a YAML double-quoted scalar, every character escaped

    lines = [
        f"{quoted(k)}:\n  - {{{quoted(k)}: {quoted(v)}, n: {quoted(w)}}}\n  - {quoted(v)}\n" for k, v, w in entries
    ]
    text = "".join(dict.fromkeys(lines))  # a key written twice is refused by both
    try:
        raw, locs = parse_text("t.yaml", text)
    except InvalidKnowledgeBase:  # a key written twice: refused alike
        with pytest.raises(InvalidKnowledgeBase):
            parse_text("t.yaml", text, cleaned=True)
        return
    data, cleaned_locs = parse_text("t.yaml", text, cleaned=True)
    assert _exactly(data) == _exactly(clean_tree(raw)) and list(data) == list(clean_tree(raw))
    assert cleaned_locs == locs
