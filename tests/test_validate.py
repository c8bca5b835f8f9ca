"""`clusters validate` and the loader: the shipped file passes, broken ones fail
clearly with file, line and entry, and nothing in a file is ever executed."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import ROOT, SHIPPED, cli, shipped_text, write


def broken(tmp_path: Path, old: str, new: str) -> str:
    text = shipped_text()
    assert old in text, old
    return write(tmp_path, text.replace(old, new, 1))


def line_of(path: str, needle: str) -> int:
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_a_pack_referring_to_what_no_pack_defines_fails_naming_the_entry() -> None:
    r = cli("--no-shipped", "validate", str(SHIPPED))  # the article's pack without the reference pack
    assert r.exit_code == 3
    assert "regions[0] (id: prd).provinces: unknown province 'guangdong'" in r.stderr


def test_two_packs_with_one_id_fail_naming_both_files(tmp_path: Path) -> None:
    base = write(tmp_path, shipped_text(), "base.yaml")
    extra = write(
        tmp_path, "meta: {title: mine}\nsectors:\n  - {id: wind, name: Wind again, summary: twice, synonyms: []}\n"
    )
    r = cli("--no-shipped", "--data", base, "--data", extra, "validate")
    assert r.exit_code == 3
    assert f"{extra}:" in r.stderr and "sectors[0] (id: wind).id: duplicate id" in r.stderr
    assert "base.yaml: sectors[" in r.stderr  # the other file, named


def test_a_pack_of_ones_own_adds_to_the_shipped_ones(tmp_path: Path) -> None:
    extra = write(
        tmp_path,
        "meta: {title: mine}\nsectors:\n  - {id: toys-test, name: Toy trains, parent: textiles, "
        "summary: A sector of my own, synonyms: []}\n",
    )
    doc = cli("--data", extra, "sector", "Toy trains", "--json").json()
    assert doc["sector"]["id"] == "toys-test" and doc["sector"]["parent"]["id"] == "textiles"
    assert any(p["file"] == extra for p in cli("--data", extra, "info", "--json").json()["packs"])


def test_default_is_the_file_in_use(tmp_path: Path) -> None:
    mine = write(tmp_path, shipped_text())
    r = cli("--no-shipped", "--data", mine, "validate", "--json")  # no PATH: the packs in use
    assert r.exit_code == 0
    doc = r.json()
    assert doc["files"] == [mine] and doc["valid"] is True and doc["problems"] == []
    assert doc["counts"]["provinces"] == 33


def test_schema_is_standard_json_schema() -> None:
    import jsonschema  # a test dependency: the schema must be standard, not just ours
    import yaml

    schema = json.loads((ROOT / "data" / "clusters.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    data = yaml.load(shipped_text(), Loader=yaml.CSafeLoader)
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    data["cities"][0]["lat"] = "north"
    assert next(jsonschema.Draft202012Validator(schema).iter_errors(data), None) is not None


def _schema_copy(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """A data folder holding a changed copy of the schema."""
    folder = tmp_path / "data"
    folder.mkdir()
    schema = json.loads((ROOT / "data" / "clusters.schema.json").read_text())
    change(schema)
    (folder / "clusters.schema.json").write_text(json.dumps(schema))
    return folder


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # keywords the old hand-written interpreter ignored or crashed on
        (lambda s: s["properties"]["sectors"].update(minItems=99), "has 43 items; the schema asks for at least 99"),
        (
            lambda s: s["properties"]["sectors"]["items"]["properties"]["name"].update(type=["integer", "null"]),
            "expected an integer or a null, got 'Electronics and telecommunications' (string)",
        ),
    ],
)
def test_validate_enforces_every_schema_keyword(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: Callable[[dict[str, Any]], None], expected: str
) -> None:
    from clusters_cli import paths

    folder = _schema_copy(tmp_path, change)
    monkeypatch.setattr(paths, "_PACKAGE", folder.parent / "clusters_cli")
    paths_schema = paths.schema_path()
    assert paths_schema == folder / "clusters.schema.json"
    from clusters_cli.store import schema

    schema.load_schema.cache_clear()
    schema._validator.cache_clear()
    try:
        r = cli("--no-shipped", "validate", write(tmp_path, shipped_text()))
    finally:
        schema.load_schema.cache_clear()
        schema._validator.cache_clear()
    assert r.exit_code == 3, r.stderr
    assert "sectors" in r.stderr and expected in r.stderr


def assert_invalid(path: str, *expected: str, line: int | None = None) -> str:
    r = cli("--no-shipped", "validate", path)
    assert r.exit_code == 3, (r.stdout, r.stderr)
    assert r.stdout == ""
    assert "Traceback" not in r.stderr
    for text in expected:
        assert text in r.stderr, r.stderr
    if line is not None:
        assert f"{path}:{line}" in r.stderr, r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert last.startswith("clusters: error:") and "invalid knowledge base" in last
    return r.stderr


def test_syntax_error_gives_file_line_and_column(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        "  - {id: tianjin, code: '120000', name: Tianjin,",
        "  - {id: tianjin, code: '120000', name: [Tianjin,",
    )
    stderr = assert_invalid(path, "YAML error")
    assert re.search(re.escape(path) + r":\d+:\d+:", stderr)


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    path = broken(
        tmp_path, '  title: "China industry clusters"\n', '  title: "China industry clusters"\n  title: "again"\n'
    )
    first = line_of(path, 'title: "China industry clusters"')
    assert_invalid(path, "duplicate key 'title'", f"first defined on line {first}", line=first + 1)


def test_dangling_reference_names_the_entry_and_line(tmp_path: Path) -> None:
    path = broken(tmp_path, "province: jiangsu, lat: 31.98", "province: atlantis, lat: 31.98")
    assert_invalid(path, "(id: nantong)", "unknown province 'atlantis'", line=line_of(path, "atlantis"))


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    # refused while composing, before anything expands (test_hardening runs one under a memory limit)
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(ord("b"), ord("j")):
        prev = chr(i - 1)
        bomb.append(f"{chr(i)}: &{chr(i)} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = write(tmp_path, shipped_text() + "\nbomb:\n" + "\n".join("  " + b for b in bomb) + "\n")
    assert_invalid(path, "anchors and aliases are not allowed", line=line_of(path, "a: &a"))


def test_python_tag_is_refused_and_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    path = broken(tmp_path, '  version: "2024.1"', f'  version: !!python/object/apply:os.system ["touch {marker}"]')
    assert_invalid(path, "python/object/apply:os.system", line=line_of(path, "!!python"))
    assert not marker.exists()


def test_rmb_usd_mismatch_is_reported(tmp_path: Path) -> None:
    path = broken(tmp_path, "usd_value: 642.25", "usd_value: 742.25")
    assert_invalid(
        path,
        "(id: guangdong-electronics-revenue-2022)",
        "imply 6.29 yuan per dollar",
        line=line_of(path, "usd_value: 742.25"),
    )


def test_yaml_11_boolean_trap_is_a_type_error(tmp_path: Path) -> None:
    # An unquoted NO (Norway-style) is read by YAML 1.1 as false: the schema catches it.
    path = broken(tmp_path, "abbr: 宁,", "abbr: NO,")
    assert_invalid(path, "(id: ningxia)", "expected a string, got False (boolean)")


def test_every_problem_is_listed_not_just_the_first(tmp_path: Path) -> None:
    text = shipped_text().replace("province: jiangsu, lat: 31.98", "province: atlantis, lat: 31.98")
    text = text.replace("sector: automobiles, aliases: [Geely Auto]", "sector: spaceships, aliases: [Geely Auto]")
    stderr = assert_invalid(write(tmp_path, text), "atlantis", "spaceships", "(2 problems)")
    assert stderr.count("  ") >= 2


def test_sector_cycle(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        "  - id: wind\n    name: Wind energy\n    name_zh: 风电\n    pinyin: Fēngdiàn\n    parent: new-energy",
        "  - id: wind\n    name: Wind energy\n    name_zh: 风电\n    pinyin: Fēngdiàn\n    parent: offshore-wind",
    )
    assert_invalid(path, "(id: wind)", "sector hierarchy has a cycle", line=line_of(path, "parent: offshore-wind"))


def test_duplicate_ids(tmp_path: Path) -> None:
    city = "{id: tianjin, code: '120000', name: Tianjin, name_zh: 天津市,"
    path = broken(tmp_path, city, city.replace("tianjin", "beijing", 1))
    assert_invalid(
        path,
        "duplicate id (also cities[0] (id: beijing))",
        line=line_of(path, city.replace("tianjin", "beijing", 1)),
    )


def test_queries_on_a_broken_file_report_like_validate(tmp_path: Path) -> None:
    path = broken(tmp_path, "usd_value: 642.25", "usd_value: 742.25")
    for args in (["--no-shipped", "--data", path, "province", "Anhui"], ["province", "Anhui"]):
        env = None if "--data" in args else {"CLUSTERS_DATA": path, "CLUSTERS_NO_SHIPPED": "1"}
        r = cli(*args, env=env)
        assert r.exit_code == 3
        assert "guangdong-electronics-revenue-2022" in r.stderr and "Traceback" not in r.stderr


def test_validation_never_writes_to_the_file(tmp_path: Path) -> None:
    path = broken(tmp_path, "usd_value: 642.25", "usd_value: 742.25")
    before = Path(path).read_bytes()
    cli("--no-shipped", "validate", path)
    cli("--no-shipped", "--data", path, "province", "Anhui")
    assert Path(path).read_bytes() == before


def test_entries_checked_apart_and_once_find_what_the_whole_schema_finds() -> None:
    import copy

    import jsonschema
    import yaml

    from clusters_cli.store import schema as checks

    schema = json.loads((ROOT / "data" / "clusters.schema.json").read_text())
    data = yaml.load(shipped_text(), Loader=yaml.CSafeLoader)
    broken = copy.deepcopy(data)
    broken["cities"][0]["lat"] = "north"
    broken["sectors"][1]["bogus"] = 1
    del broken["clusters"][2]["summary"]
    broken["statistics"] = broken["statistics"][0]  # a section that is not a list
    broken["unknown_section"] = []
    expected = sorted(
        (tuple(e.absolute_path), e.message) for e in jsonschema.Draft202012Validator(schema).iter_errors(broken)
    )
    checks._validator.cache_clear()
    try:
        got = sorted((where, e.message) for where, e in checks._schema_errors(broken))
        assert got == expected and len(got) >= 5
        # a valid entry is checked once per process: asked again, only changed entries are checked
        _, entries, _ = checks._validator()
        checked: list[str] = []
        real = entries["cities"]

        class Counting:
            def iter_errors(self, entry: Any) -> Any:
                checked.append(entry["id"])
                return real.iter_errors(entry)

        entries["cities"] = Counting()
        assert checks._schema_errors(data) == []
        assert checked == [broken["cities"][0]["id"]]  # the one city that was broken before
        data["cities"][5]["name"] = "Renamed"
        checks._schema_errors(data)
        assert checked[1:] == [data["cities"][5]["id"]]
    finally:
        checks._validator.cache_clear()
