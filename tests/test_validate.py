"""`clusters validate` and the loader, on the fixture packs: they pass, broken copies fail clearly with file,
line and entry, and nothing in a file is ever executed. (The shipped packs' validity is an audit.)"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    ARTICLE,
    PACKS,
    PAGES,
    PLACES,
    ROOT,
    changed_packs,
    cli,
    copied_packs,
    data_args,
    env_of,
    fixture_text,
    own_pack,
    write,
)


def broken(tmp_path: Path, old: str, new: str, pack: str = ARTICLE) -> tuple[list[str], str]:
    """Copies of the fixture packs, one changed: (every pack, the changed one)."""
    paths = changed_packs(tmp_path, old, new, pack)
    return paths, paths[PACKS.index(pack)]


def line_of(path: str, needle: str) -> int:
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_a_pack_referring_to_what_no_pack_defines_fails_naming_the_entry() -> None:
    r = cli("validate", ARTICLE)  # the article's pack without the reference pack
    assert (r.exit_code, r.stdout) == (3, "")
    assert f"  {ARTICLE}:53:16: regions[0] (id: yrd).provinces: unknown province 'shanghai'" in r.stderr.splitlines()


def test_two_packs_with_one_id_fail_naming_both_files(tmp_path: Path) -> None:
    base = copied_packs(tmp_path)
    extra = write(
        tmp_path, "meta: {title: mine}\nsectors:\n  - {id: wind, name: Wind again, summary: twice, synonyms: []}\n"
    )
    r = cli(*data_args([*base, extra]), "validate")
    assert r.exit_code == 3
    assert f"{extra}:3:10: sectors[0] (id: wind).id: duplicate id (also {base[1]}: sectors[5] (id: wind))" in r.stderr


def test_a_pack_of_ones_own_adds_to_the_shipped_ones(tmp_path: Path) -> None:
    extra = write(
        tmp_path,
        "meta: {title: mine}\nsectors:\n  - {id: toys-test, name: Toy trains, parent: textiles, "
        "summary: A sector of my own, synonyms: []}\n",
    )
    env = env_of([*PACKS, extra])
    doc = cli("sector", "Toy trains", "--json", env=env).json()
    assert doc["sector"]["id"] == "toys-test" and doc["sector"]["parent"] == {"id": "textiles", "name": "Textiles"}
    assert [p["file"] for p in cli("info", "--json", env=env).json()["packs"]] == [*PACKS, extra]
    assert [c["id"] for c in cli("sector", "textiles", "--json", env=env).json()["sector"]["children"]] == [
        "home-textiles",
        "socks",
        "toys-test",
    ]


def test_default_is_the_file_in_use(tmp_path: Path) -> None:
    mine = copied_packs(tmp_path)
    r = cli(*data_args(mine), "validate", "--json")  # no PATH: the packs in use
    assert r.exit_code == 0
    doc = r.json()
    assert doc["files"] == mine and doc["valid"] is True and doc["problems"] == []
    assert doc["counts"]["provinces"] == 9 and doc["counts"]["clusters"] == 13  # as written: before folding
    plain = cli("validate")
    assert (plain.exit_code, plain.stdout) == (0, "")
    shown = [p if os.path.relpath(p).startswith("..") else os.path.relpath(p) for p in PACKS]  # as a person reads
    assert plain.stderr == (
        f"{', '.join(shown)}: valid (78 entries: 6 sources, 2 designations, 9 provinces, 3 regions, 19 cities, "
        "1 park, 10 sectors, 3 companies, 13 clusters, 12 statistics; 1 of them join another entry by same_as)\n"
    )


def test_schema_is_standard_json_schema() -> None:
    import jsonschema  # a test dependency: the schema must be standard, not just ours
    import yaml

    schema = json.loads((ROOT / "data" / "clusters.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    for pack in PACKS:
        data = yaml.load(fixture_text(pack), Loader=yaml.CSafeLoader)
        assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == [], pack
    data = yaml.load(fixture_text(PLACES), Loader=yaml.CSafeLoader)
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
        (lambda s: s["properties"]["sectors"].update(minItems=99), "has 9 items; the schema asks for at least 99"),
        (
            lambda s: s["properties"]["sectors"]["items"]["properties"]["name"].update(type=["integer", "null"]),
            "expected an integer or null, got 'Electronics' (string)",
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

    # no cache to clear: the schema is read as it is on disk, and its validator is keyed by its text
    r = cli("validate", *copied_packs(tmp_path))
    assert schema.load_schema() == json.loads((folder / "clusters.schema.json").read_text(encoding="utf-8"))
    assert r.exit_code == 3, r.stderr
    assert "sectors" in r.stderr and expected in r.stderr


def assert_invalid(paths: tuple[list[str], str], *expected: str, line: int | None = None) -> str:
    every, path = paths
    r = cli("validate", *every)
    assert r.exit_code == 3, (r.stdout, r.stderr)
    assert r.stdout == ""
    assert "Traceback" not in r.stderr
    for text in expected:
        assert text in r.stderr, r.stderr
    if line is not None:
        assert f"{path}:{line}" in r.stderr, r.stderr
    last = [line for line in r.stderr.strip().splitlines() if not line.startswith("hint: ")][-1]  # a hint follows
    assert last.startswith("clusters: error:") and "invalid knowledge base" in last
    return r.stderr


def test_syntax_error_gives_file_line_and_column(tmp_path: Path) -> None:
    paths = broken(
        tmp_path,
        "  - {id: zhengzhou, code: '410100', name: Zhengzhou,",
        "  - {id: zhengzhou, code: '410100', name: [Zhengzhou,",
        PLACES,
    )
    stderr = assert_invalid(paths, "YAML error")
    assert re.search(re.escape(paths[1]) + r":\d+:\d+:", stderr)


@pytest.mark.parametrize(("before", "character"), [("Fixture", "\x00"), ("Fixture", "\x1b"), ("固定夹具", "\x07")])
def test_a_raw_control_character_is_said_where_it_stands(tmp_path: Path, before: str, character: str) -> None:
    """A NUL or an escape in a pack was said in the parser's words, with no line ("... in "<unicode string>",
    position 774"); it is said at its line and column, in ours, counted in characters (libyaml counts bytes:
    after Chinese text the place fell past the end of the file)."""
    paths = broken(tmp_path, '  title: "Fixture article pack"', f'  title: "{before}{character} article pack"')
    line = line_of(paths[1], before)
    stderr = assert_invalid(paths, f"the character U+{ord(character):04X} is not allowed in a pack", line=line)
    column = len('  title: "') + len(before) + 1
    assert f"{paths[1]}:{line}:{column}: " in stderr and "<unicode string>" not in stderr


def test_a_pack_whose_lines_end_with_carriage_returns_alone_is_said_at_its_lines(tmp_path: Path) -> None:
    """A file of lone carriage returns (an old Mac's line ends) had every problem said on line 1."""
    paths = broken(tmp_path, "province: jiangsu, lat: 31.98", "province: atlantis, lat: 31.98", PLACES)
    text = Path(paths[1]).read_text(encoding="utf-8")
    Path(paths[1]).write_bytes(text.replace("\n", "\r").encode("utf-8"))
    line = text[: text.index("atlantis")].count("\n") + 1
    assert_invalid(paths, "unknown province 'atlantis'", line=line)


def test_a_line_separator_inside_a_text_moves_no_problem_off_its_line(tmp_path: Path) -> None:
    """The parser counts U+2028, U+2029 and U+0085 as line breaks, where an editor and grep count newlines:
    a description holding them put every later problem three lines low."""
    paths = broken(tmp_path, '  title: "Fixture article pack"', '  title: "Fixture\u2028article\u2029pack\x85"')
    text = Path(paths[1]).read_text(encoding="utf-8")  # the characters themselves, raw in the file
    assert "\u2028" in text and "\x85" in text
    Path(paths[1]).write_text(text.replace("province: jiangsu", "province: atlantis", 1), encoding="utf-8")
    line = text[: text.index("province: jiangsu")].count("\n") + 1  # as grep counts (splitlines breaks at U+2028)
    assert_invalid(paths, "unknown province 'atlantis'", line=line)


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    paths = broken(tmp_path, '  title: "Fixture article pack"\n', '  title: "Fixture article pack"\n  title: "again"\n')
    first = line_of(paths[1], 'title: "Fixture article pack"')
    assert_invalid(paths, "duplicate key 'title'", f"first defined on line {first}", line=first + 1)


def test_dangling_reference_names_the_entry_and_line(tmp_path: Path) -> None:
    paths = broken(tmp_path, "province: jiangsu, lat: 31.98", "province: atlantis, lat: 31.98", PLACES)
    assert_invalid(paths, "(id: nantong)", "unknown province 'atlantis'", line=line_of(paths[1], "atlantis"))


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    # refused while composing, before anything expands (test_hardening runs one under a memory limit)
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(ord("b"), ord("j")):
        prev = chr(i - 1)
        bomb.append(f"{chr(i)}: &{chr(i)} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = fixture_text(ARTICLE)
    paths = broken(tmp_path, text, text + "\nbomb:\n" + "\n".join("  " + b for b in bomb) + "\n")
    assert_invalid(paths, "anchors and aliases are not allowed", line=line_of(paths[1], "a: &a"))


def test_python_tag_is_refused_and_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    paths = broken(tmp_path, '  version: "fixture.1"', f'  version: !!python/object/apply:os.system ["touch {marker}"]')
    assert_invalid(paths, "python/object/apply:os.system", line=line_of(paths[1], "!!python"))
    assert not marker.exists()


def test_rmb_usd_mismatch_is_reported(tmp_path: Path) -> None:
    paths = broken(tmp_path, "usd_value: 650", "usd_value: 750")
    line = line_of(paths[1], "usd_value: 750")
    stderr = assert_invalid(paths, line=line)
    assert (
        f"  {paths[1]}:{line}:16: statistics[1] (id: guangdong-electronics-revenue-2022).usd_value: RMB 4.55 trillion "
        "and US$750 billion imply 6.07 yuan per dollar; the knowledge base's rate is 7.0 (tolerance 2%)"
    ) in stderr.splitlines()
    # in Chinese, each sum in Chinese units with its currency, as the figures' views write them (it read
    # 人民币 4.55 万亿 与 750 十亿 美元: a scale word translated alone)
    zh = cli("--lang", "zh", "validate", *paths[0]).stderr
    assert "usd_value: 4.55万亿元与7500亿美元意味着 1 美元合 6.07 元；知识库的汇率为 7.0（容差 2%）" in zh, zh


def test_a_figure_too_large_to_hold_in_base_units_is_refused(tmp_path: Path) -> None:
    """4.55e300 trillion yuan is no number in base units (it was exported and printed as Infinity, which no
    JSON reader takes): validation says so, where it stands."""
    paths = broken(tmp_path, "    value: 4.55\n", "    value: 4.55e+300\n")
    line = line_of(paths[1], "value: 4.55e+300")
    stderr = assert_invalid(paths, line=line)
    assert (
        f"  {paths[1]}:{line}:12: statistics[1] (id: guangdong-electronics-revenue-2022).value: 4.55e+300 trillion "
        "is too large a number to hold"
    ) in stderr.splitlines()


def test_yaml_11_boolean_trap_is_a_type_error(tmp_path: Path) -> None:
    # An unquoted NO (Norway-style) is read by YAML 1.1 as false: the schema catches it.
    paths = broken(tmp_path, "abbr: 湘,", "abbr: NO,", PLACES)
    assert_invalid(
        paths,
        "provinces[6] (id: hunan).abbr: expected a string, got False (boolean): an unquoted yes, no, on or off is "
        "read as true or false; quote it",
    )


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (  # a field of fixed choices: the same trap, the same advice
            "    status: actual\n",
            "    status: NO\n",
            ".status: False is not one of: 'actual', 'forecast', 'target'; an unquoted yes, no, on or off is read "
            "as true or false; quote it",
        ),
        (  # YAML 1.1 reads a number with an exponent but no dot as text: said how to write this one
            "    value: 100\n",
            "    value: 1e3\n",
            ".value: expected a number, got '1e3' (string): YAML reads it as text; write 1.0e+3",
        ),
        (  # no float holds it: no spelling is advised that would then be refused as infinite
            "    value: 100\n",
            "    value: 1e400\n",
            ".value: expected a number, got '1e400' (string): a number too large for a figure",
        ),
        (  # a whole number's field is not told to write a fraction
            "    year: 2024\n",
            "    year: 2e3\n",
            ".year: expected an integer, got '2e3' (string)",
        ),
    ],
)
def test_yaml_11_traps_in_other_fields_say_what_to_write(tmp_path: Path, old: str, new: str, problem: str) -> None:
    assert_invalid(broken(tmp_path, old, new), "statistics[0] (id: fixture-cluster-count)" + problem + "\n")


def test_a_misspelt_field_is_named_with_the_one_it_is_close_to(tmp_path: Path) -> None:
    paths = broken(tmp_path, "sector: nev, aliases: [PM Auto]", "sectro: nev, aliases: [PM Auto]")
    assert_invalid(paths, "unknown field 'sectro'; did you mean 'sector'?")


def test_every_problem_is_listed_not_just_the_first(tmp_path: Path) -> None:
    paths = changed_packs(tmp_path, "province: jiangsu, lat: 31.98", "province: atlantis, lat: 31.98", PLACES)
    text = fixture_text(ARTICLE).replace("sector: nev, aliases: [PM Auto]", "sector: spaceships, aliases: [PM Auto]")
    paths[1] = write(tmp_path, text, "article.yaml")
    stderr = assert_invalid((paths, paths[0]), "(2 problems)")
    listed = [line for line in stderr.splitlines() if line.startswith("  ")]
    assert [line.split(": ", 1)[1] for line in listed] == [
        "cities[5] (id: nantong).province: unknown province 'atlantis'",
        "companies[1] (id: pearl-motors).sector: unknown sector 'spaceships'",
    ]


def test_sector_cycle(tmp_path: Path) -> None:
    text = fixture_text(ARTICLE)
    text = text.replace(
        "    parent: new-energy\n    synonyms: [wind power]", "    parent: photovoltaics\n    synonyms: [wind power]"
    )
    text = text.replace(
        "    parent: new-energy\n    synonyms: [solar, PV]", "    parent: wind\n    synonyms: [solar, PV]"
    )
    paths = copied_packs(tmp_path)
    write(tmp_path, text, "article.yaml")
    stderr = assert_invalid((paths, paths[1]), line=line_of(paths[1], "parent: photovoltaics"))
    assert "sectors[5] (id: wind).parent: the sector hierarchy has a cycle through 'wind'" in stderr


def test_duplicate_ids(tmp_path: Path) -> None:
    city = "{id: shanghai, code: '310000', name: Shanghai, name_zh: 上海市,"
    paths = broken(tmp_path, city, city.replace("shanghai", "beijing", 1), PLACES)
    assert_invalid(
        paths,
        "cities[1] (id: beijing).id: duplicate id (also cities[0] (id: beijing))",
        line=line_of(paths[1], city.replace("shanghai", "beijing", 1)),
    )


def test_queries_on_a_broken_file_report_like_validate(tmp_path: Path) -> None:
    paths, _ = broken(tmp_path, "usd_value: 650", "usd_value: 750")
    for args in ([*data_args(paths), "province", "Anhui"], ["province", "Anhui"]):
        env = None if "--data" in args else env_of(paths)
        r = cli(*args, env=env)
        assert r.exit_code == 3
        assert "guangdong-electronics-revenue-2022" in r.stderr and "Traceback" not in r.stderr


def test_validation_never_writes_to_the_file(tmp_path: Path) -> None:
    paths, path = broken(tmp_path, "usd_value: 650", "usd_value: 750")
    before = Path(path).read_bytes()
    assert cli("validate", *paths).exit_code == 3
    assert cli(*data_args(paths), "province", "Anhui").exit_code == 3
    assert Path(path).read_bytes() == before


def test_entries_checked_apart_find_what_the_whole_schema_finds() -> None:
    import copy

    import jsonschema
    import yaml

    from clusters_cli.store import schema as checks

    schema = json.loads((ROOT / "data" / "clusters.schema.json").read_text())
    data = yaml.load(fixture_text(ARTICLE), Loader=yaml.CSafeLoader)
    places = yaml.load(fixture_text(PLACES), Loader=yaml.CSafeLoader)
    data["provinces"], data["cities"] = places["provinces"], places["cities"]  # one pack of every kind
    broken = copy.deepcopy(data)
    broken["cities"][0]["lat"] = "north"
    broken["sectors"][1]["bogus"] = 1
    del broken["clusters"][2]["summary"]
    broken["statistics"] = broken["statistics"][0]  # a section that is not a list
    broken["unknown_section"] = []
    expected = sorted(
        (tuple(e.absolute_path), e.message) for e in jsonschema.Draft202012Validator(schema).iter_errors(broken)
    )
    got = sorted((where, e.message) for where, e in checks._schema_errors(broken))
    assert got == expected and len(got) >= 5


def test_the_summary_names_the_file_the_problem_is_in(tmp_path: Path) -> None:
    # a problem in the article pack, validated with every pack: the last line names the article's copy
    paths, path = broken(tmp_path, "usd_value: 650", "usd_value: 750")
    r = cli("validate", *paths)
    assert r.exit_code == 3
    assert r.stderr.splitlines()[-1] == f"clusters: error: {path}: invalid knowledge base (1 problem)"


def test_a_series_holds_one_unit_and_currency(tmp_path: Path) -> None:
    """A series of one figure in yuan and one in dollars validated, and stats drew both on one scale."""
    old = "    value: 20\n    scale: billion\n    unit: currency\n    currency: CNY\n"
    old += "    usd_value: 2.86\n    usd_scale: billion\n"
    new = "    value: 2.86\n    scale: billion\n    unit: currency\n    currency: USD\n"
    stderr = assert_invalid(broken(tmp_path, old, new))
    assert (
        "series 'anhui-pv-revenue' holds figures in currency CNY: this one is in currency USD; a series shares one unit"
    ) in stderr or (
        "series 'anhui-pv-revenue' holds figures in currency USD: this one is in currency CNY; a series shares one unit"
    ) in stderr


@pytest.mark.parametrize(
    ("places", "problem"),
    [
        ("province: anhui\n    city: shenzhen", "city 'shenzhen' lies outside the province 'anhui'"),
        ("province: anhui\n    region: prd", "its places lie outside the region 'prd'"),
        ("city: shenzhen\n    region: yrd", "its places lie outside the region 'yrd'"),
        ("province: guangdong\n    park: suzhou-industrial-park", "park 'suzhou-industrial-park' lies outside"),
    ],
)
def test_the_places_a_figure_names_nest(tmp_path: Path, places: str, problem: str) -> None:
    """A figure naming Anhui and Shenzhen validated, and was shown under Shenzhen and Guangdong while its
    document said Anhui; the places a cluster names were checked, a figure's not."""
    old = "    province: anhui\n    sector: electronics\n    cluster: anhui-electronics\n"
    new = f"    {places}\n    sector: electronics\n    cluster: anhui-electronics\n"
    paths = broken(tmp_path, old, new)
    text = Path(paths[1]).read_text(encoding="utf-8")
    line = text[: text.index(new)].count("\n") + 2  # the second of the places: the field the problem is at
    field = places.split("\n")[-1].strip().split(":")[0]
    assert_invalid(paths, problem, f"(id: anhui-electronics-rank).{field}:", line=line)


# a pack of one's own with one entry the schema refuses (a misspelt status), one naming a city no pack holds,
# and one naming the refused entry
ONE_RUN = own_pack("""clusters:
  - {id: mine-a, name: A works, sector: wind, cities: [hefei], status: establishd, summary: A.,
     locator: {section: Only, paragraph: 1}}
  - {id: mine-b, name: B works, sector: wind, cities: [atlantis], status: established, summary: B.,
     locator: {section: Only, paragraph: 1}}
  - {id: mine-c, name: C works, sector: wind, cities: [hefei], status: established, summary: C.,
     distinct_from: [mine-a], locator: {section: Only, paragraph: 1}}
""")


def test_a_schema_problem_and_an_unknown_reference_are_listed_in_one_run(tmp_path: Path) -> None:
    """The references of the entries the schema passes are checked in the same run as the schema: a pack's
    author sees the misspelt status and the unknown city together, not one run after the other. An entry the
    schema refuses is reported once, by the schema: naming it (mine-c's distinct_from) is no unknown reference."""
    mine = write(tmp_path, ONE_RUN, "mine.yaml")
    r = cli(*data_args([*PACKS, mine]), "validate")
    assert (r.exit_code, r.stdout) == (3, "")
    listed = [line.split(": ", 1)[1] for line in r.stderr.splitlines() if line.startswith("  ")]
    assert listed == [
        "clusters[0] (id: mine-a).status: 'establishd' is not one of: 'established', 'emerging', 'planned'; "
        "did you mean 'established'?",
        "clusters[1] (id: mine-b).cities: unknown city 'atlantis'",
    ]
    assert r.stderr.splitlines()[-1].endswith("invalid knowledge base (2 problems)")


def test_a_misspelt_value_or_reference_is_named_with_the_one_it_is_close_to(tmp_path: Path) -> None:
    """`status: establised` and `cities: [hefie]` were refused with no word of what was meant, where a misspelt
    field was named with the field it is close to. A value or an id close to one the pack may use is named;
    one close to none is refused as before; and only the first 50 unknown ids are scored."""
    from clusters_cli.store import validate

    mine = write(
        tmp_path,
        ONE_RUN.replace("cities: [atlantis]", "cities: [hefie, atlantis]").replace(
            "sector: wind, cities: [hefei], status: established, summary: C.",
            "sector: wnd, cities: [hefei], status: established, summary: C.",
        ),
        "mine.yaml",
    )
    listed = [line.split(": ", 1)[1] for line in cli(*data_args([*PACKS, mine]), "validate").stderr.splitlines()[:-1]]
    assert listed[1:] == [
        "clusters[1] (id: mine-b).cities: unknown city 'hefie'; did you mean 'hefei'?",
        "clusters[1] (id: mine-b).cities: unknown city 'atlantis'",
        "clusters[2] (id: mine-c).sector: unknown sector 'wnd'; did you mean 'wind'?",
    ]
    assert validate._close_id("hefie", {"hefei"}, validate.SUGGESTED) is None
    # two letters swapped are one slip: hefei, never heihe (a tie by a plain ratio, broken by a set's order)
    assert {validate._close_id("hefie", {"heihe", "hefei", "heihei"}, 0) for _ in range(5)} == {"hefei"}


def test_problems_are_listed_in_the_order_of_the_file(tmp_path: Path) -> None:
    """The schema's problems came before the references', whatever their lines: a misspelt status an entry
    below an unknown city was listed first."""
    text = ONE_RUN.replace("cities: [atlantis], status: established", "cities: [hefei], status: establishd", 1)
    text = text.replace("cities: [hefei], status: establishd", "cities: [atlantis], status: established", 1)
    mine = write(tmp_path, text, "mine.yaml")  # mine-a names an unknown city; mine-b misspells its status
    r = cli(*data_args([*PACKS, mine]), "validate")
    found = [line for line in r.stderr.splitlines() if line.startswith(f"  {mine}:")]
    assert len(found) == 2
    assert "(id: mine-a).cities: unknown city 'atlantis'" in found[0]
    assert "(id: mine-b).status: 'establishd' is not one of" in found[1]


def test_no_shipped_says_when_the_shipped_packs_define_what_is_unknown(tmp_path: Path) -> None:
    """With --no-shipped, 'unknown sector 'socks'' said nothing of the flag that left out the shipped packs,
    which define it; the error now ends with a hint naming what they define. (The fixture packs stand in for
    the shipped ones, conftest.py; the pages pack, which defines socks, is left out of the run.)"""
    text = ONE_RUN.replace("cities: [atlantis]", "cities: [hefei]").replace("status: establishd", "status: established")
    mine = write(tmp_path, text.replace("name: B works, sector: wind,", "name: B works, sector: socks,"), "mine.yaml")
    own = [p for p in PACKS if p != PAGES]
    r = cli(*data_args([*own, mine]), "validate")
    assert r.exit_code == 3 and "unknown sector 'socks'" in r.stderr
    assert (
        r.stderr.splitlines()[-1]
        == "hint: the shipped packs define 'socks'; leave out --no-shipped to read them with yours"
    )
    assert cli(*data_args([*own, mine]), "province", "Anhui").stderr.splitlines()[-1].startswith("hint: the shipped")
    other = cli(*data_args([*own, write(tmp_path, ONE_RUN, "other.yaml")]), "validate")
    assert other.exit_code == 3 and "hint:" not in other.stderr  # 'atlantis' no pack defines: no hint


def test_a_top_level_the_schema_refuses_stops_before_the_references(tmp_path: Path) -> None:
    """A section that is no list reads as nothing past it: its problem alone, and no reference is guessed at."""
    text = ONE_RUN + "parks: {not: a list}\n"
    r = cli(*data_args([*PACKS, write(tmp_path, text, "mine.yaml")]), "validate")
    listed = [line.split(": ", 1)[1] for line in r.stderr.splitlines() if line.startswith("  ")]
    assert r.exit_code == 3 and len(listed) == 2 and "atlantis" not in r.stderr, listed
    assert any(line.startswith("parks: ") for line in listed) and any("establishd" in line for line in listed)


def test_a_refused_entry_named_by_a_number_is_still_known_by_its_text(tmp_path: Path) -> None:
    """`id: 798` is read as a number, which the schema refuses; an entry naming '798' names that entry, not an
    unknown one: the id's problem alone is listed."""
    text = ONE_RUN.replace("id: mine-a,", "id: 798,").replace("distinct_from: [mine-a]", "distinct_from: ['798']")
    text = text.replace("cities: [atlantis]", "cities: [hefei]").replace("status: establishd", "status: established")
    r = cli(*data_args([*PACKS, write(tmp_path, text, "mine.yaml")]), "validate")
    listed = [line.split(": ", 1)[1] for line in r.stderr.splitlines() if line.startswith("  ")]
    assert (r.exit_code, listed) == (3, ["clusters[0].id: expected a string, got 798 (integer)"])


@pytest.mark.parametrize("digits", [str(2**1024 - 2**970), "9" * 400])
def test_a_whole_number_no_float_holds_is_refused_whatever_its_scale(tmp_path: Path, digits: str) -> None:
    """A figure of 2**1024 and more (or 2**1024 - 2**970, which float() rounds up to it) passed validation when it
    had no scale, then `cite`, `export -f xlsx` and every Chinese view of it failed with a traceback; with a
    scale, validation itself did. Either way it is refused, where it stands."""
    paths = broken(tmp_path, "    value: 4.55\n", f"    value: {digits}\n")
    line = line_of(paths[1], f"value: {digits}")
    stderr = assert_invalid(paths, "is too large a number to hold", line=line)
    assert "Traceback" not in stderr


def test_a_pack_whose_name_holds_a_line_break_is_named_on_one_line(tmp_path: Path) -> None:
    """`validate`'s summary named a pack `evil<newline>x.yaml` over two lines."""
    odd = tmp_path / "evil\nx.yaml"
    odd.write_text(Path(ARTICLE).read_text(encoding="utf-8"), encoding="utf-8")
    r = cli("validate", PLACES, str(odd))
    assert r.exit_code == 0 and len(r.stderr.splitlines()) == 1
    assert "evil x.yaml: valid (" in r.stderr


def test_problems_past_those_listed_are_counted_in_each_pack_and_json_lists_them_all(tmp_path: Path) -> None:
    """Past the 200 problems listed, the line counting the rest named no pack and no way to read them: a small
    pack's one problem after a large pack's thousands was said nowhere but in the total. The rest are counted
    in each pack, and `validate --json` named, which lists every one."""
    firms = "".join(
        f"  - {{id: firm-{i}, name: Firm {i}, sector: nosuch, locator: {{section: Only, paragraph: 1}}}}\n"
        for i in range(205)
    )
    large = write(tmp_path, own_pack("companies:\n" + firms), "large.yaml")
    other = firms.splitlines()[0].replace("firm-0", "other").replace("Firm 0", "Other firm")
    small = write(tmp_path, own_pack(f"companies:\n{other}\n").replace("mine-notes", "small-notes"), "small.yaml")
    r = cli("validate", *PACKS, large, small)
    lines = r.stderr.splitlines()
    assert r.exit_code == 3 and len(lines) == 202, lines[-3:]
    assert lines[-2] == (f"  ... and 6 more ({large} 5, {small} 1); `clusters validate --json` lists every one"), lines[
        -2
    ]
    assert lines[-1] == "clusters: error: 2 packs: invalid knowledge base (206 problems)"
    assert len(cli("validate", *PACKS, large, small, "--json").json()["problems"]) == 206
    one = cli("validate", *PACKS, large).stderr.splitlines()
    assert one[-2] == "  ... and 5 more; `clusters validate --json` lists every one"


def test_a_pack_repeating_the_shipped_packs_ids_is_told_of_no_shipped(tmp_path: Path) -> None:
    """A knowledge base of one's own given without --no-shipped was its every entry a duplicate id, and no word
    of the flag (4,997 problems for a 10x pack); the error now ends with a hint. (The fixture packs stand in for
    the shipped ones, conftest.py.)"""
    copies = [write(tmp_path, fixture_text(path), f"my-{Path(path).name}") for path in PACKS]
    env = {"CLUSTERS_NO_SHIPPED": "0", "CLUSTERS_DATA": os.pathsep.join(copies)}
    r = cli("validate", env=env)
    repeated = r.stderr.count("duplicate id (also ")
    assert r.exit_code == 3 and repeated > 5
    assert r.stderr.splitlines()[-1] == (
        f"hint: {repeated} of your entries repeat ids the shipped packs define; --no-shipped reads a knowledge base"
        " of your own alone"
    )
    assert cli("validate", env={**env, "CLUSTERS_NO_SHIPPED": "1"}).exit_code == 0  # read alone, it is valid
    other = cli("validate", *PACKS, write(tmp_path, ONE_RUN, "other.yaml"))
    assert other.exit_code == 3 and "hint:" not in other.stderr  # no id the shipped packs define: no hint


def test_an_unknown_section_is_placed_and_unknown_fields_are_named_ten_at_most_each_cut(tmp_path: Path) -> None:
    """A misspelt section (`compnaies:`) named no line in a file of 583,000; unknown keys were quoted whole and
    all (a key of 200,000 characters, or 20,000 keys, made one line of 200 KB). An unknown section is placed at
    its key; an entry's unknown fields at the entry (a field is located where its value starts, the next line
    for a list: a review found `extra_list:` placed a line below it); ten are named, each cut as a value is, and
    the rest counted."""
    text = fixture_text(ARTICLE)
    misspelt = write(tmp_path, text.replace("\ncompanies:", "\ncompnaies:", 1), "article.yaml")
    r = cli(*data_args([PLACES, misspelt, PAGES]), "validate")
    line = text[: text.index("\ncompanies:")].count("\n") + 2
    assert r.stderr.splitlines()[0] == f"  {misspelt}:{line}:1: unknown field 'compnaies'; did you mean 'companies'?"
    long_key = "k" * 300
    extra = "".join(f"\n    x{i:02d}: 1" for i in range(11)) + f"\n    {long_key}: 1"
    cluster = "  - id: yrd-ic\n"
    assert cluster in text
    (tmp_path / "many").mkdir()
    many = write(tmp_path / "many", text.replace(cluster, cluster + extra.lstrip("\n") + "\n", 1), "article.yaml")
    r = cli(*data_args([PLACES, many, PAGES]), "validate")
    entry = text[: text.index(cluster)].count("\n") + 1
    assert r.stderr.splitlines()[0] == (
        f"  {many}:{entry}:5: clusters[0] (id: yrd-ic): unknown field "
        f"'{'k' * 54}...', 'x00', 'x01', 'x02', 'x03', 'x04', 'x05', 'x06', 'x07', 'x08' and 2 more"
    ), r.stderr
