"""compare, map, stats, export and shell completion, through the real CLI on the fixture packs."""

from __future__ import annotations

import csv
import functools
import json
import os
import re
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from xml.dom import minidom

import pytest
import yaml
from helpers import PACKS, PAGES, PLACES, ROOT, changed_packs, cli, data_args, own_pack, write

from clusters_cli.dissolve import ring_area2
from clusters_cli.flatten import flat
from clusters_cli.kinds import export_refs, link_column
from clusters_cli.model import KINDS
from clusters_cli.views import SCHEMA_VERSION

ANSI = re.compile(r"\x1b\[")


@functools.lru_cache(maxsize=1)
def merged() -> dict:
    """The fixture packs, merged as the tool merges them (sections joined in pack order, same_as folded),
    read from the files independently of the tool's loader. Read once; callers must not change it."""
    from clusters_cli.store.rules import fold_same_as

    packs = [yaml.load(Path(p).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in PACKS]
    out = {"meta": packs[1]["meta"]}
    for section in SECTIONS:
        out[section] = [e for p in packs for e in p.get(section) or []]
    fold_same_as(out)  # a cluster two packs describe is one entry, as on loading
    return out


# every list-valued section of the shipped file, taken from the file itself
SECTIONS = [kind.section for kind in KINDS.values()]


# --- compare


def test_compare_a_city_and_a_municipality() -> None:
    doc = cli("compare", "Nantong", "Shanghai", "--json").json()
    assert [(i["kind"], i["id"]) for i in doc["items"]] == [("city", "nantong"), ("province", "shanghai")]


def test_compare_places_builds_a_sector_matrix() -> None:
    doc = cli("compare", "Anhui", "Jiangsu", "PRD", "--json").json()
    assert set(doc) == {"schema_version", "kind", "mode", "items", "matrix", "counted_from", "counts_note"}
    # the 11 clusters compared (the YRD IC cluster is Anhui's and Jiangsu's both), by the pack naming them
    assert doc["counted_from"] == [
        {
            "pack": "Fixture article pack",
            "pack_zh": "示例文章数据包",
            "clusters": 9,
            "version": "fixture.1",
            "source": "Fixture Press",
        },
        {"pack": "Fixture pages pack", "pack_zh": None, "clusters": 2, "version": "fixture.2", "source": None},
    ]
    assert (doc["kind"], doc["mode"]) == ("compare", "places")
    assert [(i["kind"], i["id"], i["cluster_count"], [c["id"] for c in i["clusters"]]) for i in doc["items"]] == [
        ("province", "anhui", 3, ["anhui-electronics", "yrd-ic", "anhui-pv"]),
        (
            "province",
            "jiangsu",
            6,
            ["yrd-ic", "jiangsu-textiles", "nantong-home-textiles", "east-new-energy", "nantong-wind", "kunshan-socks"],
        ),
        ("region", "prd", 3, ["prd-electronics", "nanshan-chip-design", "guangzhou-autos"]),
    ]
    # the one sector rule: a cluster counts under each sector it is tagged with and every sector above it, so a
    # parent's row includes its children's (the PRD's electronics cluster, tagged chips too, counts for both)
    assert [(r["sector"]["id"], r["counts"]) for r in doc["matrix"]] == [
        ("electronics", [2, 1, 2]),
        ("semiconductors", [1, 1, 2]),
        ("textiles", [0, 3, 0]),
        ("home-textiles", [0, 1, 0]),
        ("new-energy", [1, 2, 0]),
        ("wind", [0, 2, 0]),
        ("photovoltaics", [1, 1, 0]),
        ("automobiles", [0, 0, 1]),
        ("nev", [0, 0, 1]),
        ("socks", [0, 1, 0]),
    ]
    jiangsu = doc["items"][1]
    assert [s["id"] for s in jiangsu["statistics"]] == [
        "kunshan-socks-output-2017",
        "nantong-home-textiles-share",
        "jiangsu-textiles-revenue-2025",
    ]


def test_compare_sectors_builds_a_province_matrix() -> None:
    doc = cli("compare", "--sector", "wind", "--sector", "solar", "--json").json()
    assert doc["mode"] == "sectors" and [i["id"] for i in doc["items"]] == ["wind", "photovoltaics"]
    # the eastern new-energy cluster, tagged with both, counts for both in both its provinces
    assert [(r["province"]["id"], r["counts"]) for r in doc["matrix"]] == [
        ("jiangsu", [2, 1]),
        ("zhejiang", [1, 1]),
        ("anhui", [0, 1]),
    ]


@pytest.mark.parametrize(
    "args", [["Anhui"], ["A1", "B", "C", "D", "E", "F", "G"], ["Anhui", "--sector", "wind"], ["--sector", "wind"]]
)
def test_compare_needs_two_to_six_of_one_kind(args: list[str]) -> None:
    r = cli("compare", *args)
    assert r.exit_code == 2 and "Traceback" not in r.stderr and r.stderr


def test_compare_of_places_in_one_sector_points_to_rank() -> None:
    """Places and a sector together were refused with nowhere to go: the refusal names the command that counts
    each place's clusters in the sector, the sector quoted as a shell reads it."""
    r = cli("compare", "Jiangsu", "Anhui", "--sector", "offshore wind")
    assert r.exit_code == 2 and r.stderr == (
        "clusters: error: compare either places or --sector options, not both; for places in one sector, "
        "`clusters rank provinces --sector 'offshore wind'` (or `rank cities`) counts each place's clusters in it\n"
    )


def test_compare_unknown_place_exits_1() -> None:
    r = cli("compare", "Anhui", "Atlantis")
    assert r.exit_code == 1 and "No province, region or city matches 'Atlantis'" in r.stderr


@pytest.mark.parametrize(
    ("query", "meant"),
    [
        ("wind", "the sector Wind energy (clusters sector wind)"),
        ("Pearl Motors", "the company Pearl Motors (clusters company pearl-motors)"),
    ],
)
def test_compare_names_what_a_query_of_another_kind_is(query: str, meant: str) -> None:
    """A sector or a company given as a place is named as what it is, as every lookup names it, not answered
    with places of close spellings (the sector "semiconductors" was met with a county, Sheqi)."""
    r = cli("compare", query, "Anhui")
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == (
        f"clusters: error: No province, region or city matches '{query}'. Did you mean: {meant}? "
        "`clusters search` looks everywhere.\n"
    )


def test_compare_table_reads_at_80_columns() -> None:
    r = cli("compare", "Anhui", "Jiangsu", "Guangdong", env={"COLUMNS": "80"})
    assert r.exit_code == 0 and "Clusters side by side" in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 80


# --- map


# --- map


def test_map_has_a_tile_per_division_on_its_cell_with_its_count_level_and_cities() -> None:
    doc = cli("map", "--json").json()
    assert (doc["title"], doc["sector"], doc["max_clusters"], doc["marked"], doc["unplaced"]) == (
        "Clusters by division",
        None,
        6,
        5,
        [],
    )
    # yrd-nev, placed only in its region, is counted in no division
    assert [(t["id"], t["code"], t["row"], t["col"], t["clusters"], t["level"]) for t in doc["tiles"]] == [
        ("beijing", "BJ", 1, 5, 0, 0),
        ("shanghai", "SH", 4, 7, 1, 1),
        ("jiangsu", "JS", 3, 6, 6, 4),
        ("zhejiang", "ZJ", 4, 6, 1, 1),
        ("anhui", "AH", 3, 5, 3, 2),
        ("henan", "HA", 3, 4, 0, 0),
        ("hunan", "HN", 5, 4, 0, 0),
        ("guangdong", "GD", 6, 4, 3, 2),
        ("guangxi", "GX", 6, 3, 0, 0),
    ]
    cities = {t["id"]: [c["id"] for c in t["cities"]] for t in doc["tiles"]}
    assert cities["jiangsu"] == ["suzhou", "nantong", "kunshan"]  # Suzhou through the park of yrd-ic
    assert cities["guangdong"] == ["shenzhen", "guangzhou", "nanshan"] and cities["zhejiang"] == []
    counts = {t["id"]: t["clusters"] for t in doc["tiles"]}
    assert counts["guangdong"] == len(cli("province", "Guangdong", "--json").json()["clusters"])


def test_map_for_a_sector_marks_its_divisions() -> None:
    doc = cli("map", "wind", "--json").json()
    assert doc["sector"]["id"] == "wind" and doc["title"] == "Clusters of Wind energy by division"
    assert [(t["id"], t["cluster_ids"]) for t in doc["tiles"] if t["clusters"]] == [
        ("jiangsu", ["nantong-wind", "east-new-energy"]),
        ("zhejiang", ["east-new-energy"]),
    ]


def test_divisions_off_the_grid_holding_none_are_one_line_naming_ten(tmp_path: Path) -> None:
    """A pack adding provinces the tile grid has no cell for: each holding clusters is a line of its own, as
    before; those holding none are one line naming ten and how many more (3,267 lines of zeros at 100 times the
    shipped data), in either language; the JSON still lists every one."""
    provinces = "".join(
        f"  - {{id: isle-{i:02d}, code: '86{i:02d}00', name: Isle {i:02d}, official_name: Isle {i:02d} Province,"
        f" name_zh: 岛{i:02d}省, short_zh: 岛{i:02d}, pinyin: Dǎo, abbr: 岛, kind: province, capital: port-{i:02d},"
        " macro_region: east}\n"
        for i in range(1, 14)
    )
    cities = "".join(
        f"  - {{id: port-{i:02d}, code: '86{i:02d}01', name: Port {i:02d}, name_zh: 港{i:02d}市, short_zh: 港{i:02d},"
        f" pinyin: Gǎng, kind: prefecture_city, level: prefecture, province: isle-{i:02d}, lat: 30.0, lon: 120.0}}\n"
        for i in range(1, 14)
    )
    cluster = (
        "  - {id: isle-chips, name: Isle chips, sector: semiconductors, provinces: [isle-02], cities: [port-02],"
        ' status: established, summary: "Chips on the isle.", locator: {section: Only, paragraph: 1}}\n'
    )
    pack = write(tmp_path, own_pack(f"provinces:\n{provinces}cities:\n{cities}clusters:\n{cluster}"))
    args = data_args([*PACKS, pack])
    r = cli(*args, "map")
    assert r.exit_code == 0, r.stderr
    text = " ".join(r.stdout.split())
    assert "(not on the grid: Isle 02 1) (not on the grid, holding none: Isle 01, Isle 03, " in text
    assert "Isle 10, Isle 11 and 2 more)" in text and "Isle 12" not in text
    zh = " ".join(cli(*args, "--lang", "zh", "map").stdout.split())
    assert "（不在方块图中，没有集群：岛01省、岛03省、" in zh and "岛11省及另外 2 个）" in zh
    doc = cli(*args, "map", "--json").json()
    assert [t["id"] for t in doc["unplaced"]] == [f"isle-{i:02d}" for i in range(1, 14)]


def test_map_text_is_readable_without_colour() -> None:
    r = cli("map", "wind", env={"NO_COLOR": "1", "COLUMNS": "80"})
    assert r.exit_code == 0 and not ANSI.search(r.stdout)
    lines = r.stdout.splitlines()
    assert lines[0] == "Clusters of Wind energy by division"
    assert [line.strip() for line in lines if line.strip()][1:] == [
        "BJ  ·",
        "京",
        "HA  ·   AH  ·   JS  2",
        "豫      皖      苏",
        "ZJ  1   SH  ·",
        "浙      沪",
        "HN  ·",
        "湘",
        "GX  ·   GD  ·",
        "桂      粤",
        "Number: clusters in the division; · none.",
        "JS Jiangsu 2 · ZJ Zhejiang 1",
        "Clusters are counted in each division they lie in; those attributed only to a",
        "region (such as the whole Yangtze River Delta) are not counted.",
        "Counted from: Fixture article pack 2. Counts are of the clusters the knowledge",
        "base holds: they measure what its sources name, not the size of an industry.",
    ]


def test_a_map_file_named_for_another_format_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    """`map --svg out/a.png` wrote an SVG into a.png (exit 0), where `export` refuses an extension naming
    another format. An extension naming another picture or document is refused; one naming none is written."""
    r = cli("map", "--svg", str(tmp_path / "a.png"), "--html", str(tmp_path / "a.html"))
    assert r.exit_code == 2 and r.stderr == (
        f"clusters: error: the extension of {tmp_path / 'a.png'} says PNG, but --svg writes SVG: name the file .svg\n"
    )
    assert list(tmp_path.iterdir()) == []  # the HTML neither: every file is checked before any is written
    assert cli("map", "--html", str(tmp_path / "a.SVG")).exit_code == 2
    assert cli("map", "--svg", str(tmp_path / "a.xlsx")).exit_code == 2  # an export's formats too
    assert cli("map", "--svg", str(tmp_path / "map.out"), "--html", str(tmp_path / "a.HTM")).exit_code == 0


def test_a_map_file_that_cannot_be_written_is_said_before_the_map_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`map --svg` into a folder that does not exist, or under another format's extension, was refused only once
    the whole map was made (0.76 s at 100 times the shipped data): the files are checked first."""
    import clusters_cli.views.map as map_module

    made: list[object] = []
    monkeypatch.setattr(map_module, "map_view", lambda *args: made.append(args))
    missing = tmp_path / "no" / "m.svg"
    r = cli("map", "--svg", str(missing))
    assert (r.exit_code, r.stderr) == (
        2,
        f"clusters: error: cannot write {missing}: the folder {missing.parent} does not exist\n",
    )
    r = cli("map", "--html", str(tmp_path / "m.svg"))
    assert r.exit_code == 2 and "the extension of" in r.stderr and "--html writes HTML" in r.stderr, r.stderr
    assert made == []


def test_map_svg_and_html(tmp_path: Path) -> None:
    svg, html = tmp_path / "m.svg", tmp_path / "m.html"
    r = cli("map", "semiconductors", "--svg", str(svg), "--html", str(html))
    assert r.exit_code == 0 and f"wrote {svg}" in r.stderr
    dom = minidom.parse(str(svg))
    groups = [g for g in dom.getElementsByTagName("g") if g.getAttribute("class") == "division"]
    assert len(groups) == 9
    marked = {g.getAttribute("data-id"): int(g.getAttribute("data-clusters")) for g in groups}
    doc = cli("map", "semiconductors", "--json").json()
    assert marked == {t["id"]: t["clusters"] for t in doc["tiles"]}
    # each of the fixture's nine divisions is drawn as its Natural Earth outline, keyed by ISO code
    assert {g.getAttribute("data-iso") for g in groups} == {t["iso_code"] for t in doc["tiles"]}
    assert all(len(g.getElementsByTagName("path")) == 1 for g in groups)
    svg_root = dom.documentElement
    assert svg_root.getAttribute("viewBox").startswith("0 0 1000 ") and "Noto Sans CJK SC" in svg_root.getAttribute(
        "font-family"
    )
    chinese = [t for t in dom.getElementsByTagName("tspan") if t.getAttribute("lang") == "zh-Hans"]
    assert "安徽" in [t.firstChild.data for t in chinese]
    # four equal classes of 1..2 (the busiest division's count): 1 is level 1, 2 is level 3; no count reaches 2 or 4
    assert doc["max_clusters"] == 2
    assert doc["classes"] == [{"level": 1, "min": 1, "max": 1}, {"level": 3, "min": 2, "max": 2}]
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<svg" in page and "安徽省" in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page


def test_a_published_map_says_what_it_draws_credits_its_seats_and_describes_itself(tmp_path: Path) -> None:
    """The SVG names what is drawn and what is not (Taiwan), credits the seats its circles and dots stand at
    (their licence asks it), names the tool's version, and carries a description in words; in Chinese, the
    boundary disclaimer too is in Chinese."""
    from clusters_cli import __version__

    svg = tmp_path / "m.svg"
    assert cli("map", "semiconductors", "--dots", "--svg", str(svg)).exit_code == 0
    root = ET.parse(svg).getroot()
    words = " ".join(" ".join(e.itertext()) for e in root.iter() if e.tag.endswith("text"))
    seats = cli("map", "--json").json()["seats_licence"]
    assert seats == "Fixture licence (test data)"
    # a pack of cities that states no licence is credited as such (its title stood in the licence's place)
    unlicensed = changed_packs(tmp_path, "  licence: Fixture licence (test data)\n", "", PLACES)
    credited = cli(*data_args(unlicensed), "map", "--json").json()["seats_licence"]
    assert credited == "Fixture divisions (reference pack) (its pack states no licence)"
    assert "Taiwan, which the knowledge base and its sources leave out, is not drawn." in words
    assert f"Seats of the circles and dots: {seats}" in words and f"Made with clusters {__version__}." in words
    assert "not an official map of China" in words
    # whom the clusters counted rest on, which the pack titles alone never said (China Briefing for the article)
    assert "Fixture article pack (fixture.1), from Fixture Press: 2 clusters;" in " ".join(words.split())
    desc = next(e for e in root if e.tag.endswith("desc"))
    assert desc.text == "Clusters per division: Guangdong 2, Anhui 1, Jiangsu 1, Shanghai 1; none in the others."
    assert root.get("aria-describedby") == desc.get("id") == "map-desc" and root.get("role") == "img"
    zh_svg = tmp_path / "zh.svg"
    assert cli("--lang", "zh", "map", "--svg", str(zh_svg)).exit_code == 0
    zh_words = zh_svg.read_text(encoding="utf-8")
    assert "并非中国官方地图" in zh_words and "official map" not in zh_words


def test_every_callout_label_stands_outside_every_outline() -> None:
    """A division too small for its label has it in the sea or beyond the border, with a line: on another
    division (Ningxia's stood on Inner Mongolia), it read as that division's count."""
    from clusters_cli.render.svg import CALLOUTS
    from clusters_cli.shapes import outlines

    def inside(x: float, y: float, ring: list[list[float]]) -> bool:
        crossings = 0
        for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                crossings += 1
        return crossings % 2 == 1

    shapes = outlines()
    assert len(shapes) == 31
    on = {
        iso: [other for other, s in shapes.items() for poly in s["polygons"] if inside(*point, poly[0])]
        for iso, point in CALLOUTS.items()
    }
    assert on == {iso: [] for iso in CALLOUTS}


def test_map_refuses_outputs_that_would_be_quietly_one_or_the_other(tmp_path: Path) -> None:
    svg = str(tmp_path / "m.svg")
    cases = {
        ("--svg", ""): "--svg and --html need a file name (or - for standard output)",
        ("--svg", svg, "--html", svg): "--svg and --html name the same place; give each its own file",
        ("--svg", "-", "--html", "-"): "--svg and --html name the same place; give each its own file",
        ("--svg", svg, "--json"): "--svg, --html and --open draw the map, and --json, --format and the row "
        "options print its data: ask for one at a time",
        ("--html", svg, "--limit", "3"): "--svg, --html and --open draw the map, and --json, --format and the "
        "row options print its data: ask for one at a time",
        # the tile map and the rows have no dots: --dots was dropped without a word
        ("--dots",): "--dots marks cities on a drawn map: give it with --svg, --html or --open",
        ("--dots", "--format", "csv"): "--dots marks cities on a drawn map: give it with --svg, --html or --open",
    }
    for args, message in cases.items():
        r = cli("map", *args)
        assert (r.exit_code, r.stdout, r.stderr) == (2, "", f"clusters: error: {message}\n"), args
    assert not Path(svg).exists()


# --- stats


def test_stats_groups_comparable_figures() -> None:
    doc = cli("stats", "--json").json()
    assert set(doc) == {"schema_version", "kind", "filters", "notices", "groups"} and doc["filters"] == {}
    # a series apart; other figures by unit, yuan and dollars never sharing bars
    assert [(g["id"], [b["id"] for b in g["bars"]]) for g in doc["groups"]] == [
        ("series:anhui-pv-revenue", ["anhui-pv-revenue-2012", "anhui-pv-revenue-2021"]),
        ("series:key-nev-enterprises", ["yrd-key-nev-enterprises", "prd-key-nev-enterprises"]),
        ("unit:clusters", ["fixture-cluster-count"]),
        (
            "unit:currency:CNY",
            ["guangdong-electronics-revenue-2022", "jiangsu-textiles-revenue-2025", "yrd-ic-output-target"],
        ),
        ("unit:currency:USD", ["nanshan-chip-exports-2023"]),
        ("unit:pairs", ["kunshan-socks-output-2017"]),
        ("unit:percent", ["nantong-home-textiles-share"]),
        ("unit:rank", ["anhui-electronics-rank"]),
    ]
    groups = {g["id"]: g for g in doc["groups"]}
    pv = groups["series:anhui-pv-revenue"]
    assert [(b["year"], b["value"], b["currency"]) for b in pv["bars"]] == [(2012, 20, "CNY"), (2021, 700, "CNY")]
    money = groups["unit:currency:CNY"]
    assert [b["status"] for b in money["bars"]] == ["actual", "forecast", "target"]
    assert all(b["source"]["id"] for g in doc["groups"] for b in g["bars"])
    assert sum(len(g["bars"]) for g in doc["groups"]) == len(merged()["statistics"])


def test_stats_chart_has_labelled_bars() -> None:
    r = cli("stats", "--series", "key-nev-enterprises", env={"COLUMNS": "80"})
    assert r.stdout.splitlines() == [
        "",
        "key electric-vehicle enterprises (2)",
        "Yangtze River Delta  ██████████████████████   400  2022, Fixture report 2022",
        "Pearl River Delta    █████▌                   100  2022, Fixture report 2022",
    ]


def test_a_stats_chart_shows_each_groups_first_bars_and_json_every_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    from clusters_cli.cli import bulk

    monkeypatch.setattr(bulk, "STATS_PAGE", 2)
    lines = cli("stats", env={"COLUMNS": "100"}).stdout.splitlines()
    at = lines.index("Money in RMB (3)")  # the count is the group's, not the page's
    shown = lines[at + 1 : lines.index("and 1 more: --format csv or --json lists every figure")]
    assert shown[0].startswith("Guangdong: electronics revenue") and "Yangtze" not in " ".join(shown)
    money = next(g for g in cli("stats", "--json").json()["groups"] if g["id"] == "unit:currency:CNY")
    assert len(money["bars"]) == 3 and "total" not in money


def test_stats_sector_filter_and_unknown_series() -> None:
    doc = cli("stats", "--sector", "textiles", "--json").json()
    assert doc["filters"] == {"sector": "textiles"}
    sectors = merged()["sectors"]
    family = {"textiles"}
    while True:  # the sub-sectors, from the files' parent links
        more = family | {s["id"] for s in sectors if s.get("parent") in family}
        if more == family:
            break
        family = more
    found = {b["scope"]["sector"]["id"] for g in doc["groups"] for b in g["bars"]}
    assert found == family == {"textiles", "home-textiles", "socks"}  # socks: a sub-sector from the pages pack
    r = cli("stats", "--series", "nope")
    assert r.exit_code == 1
    assert r.stderr == (
        "clusters: error: No series matches 'nope'. Did you mean: anhui-pv-revenue, key-nev-enterprises?\n"
    )


# --- export


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped knowledge base exported once in every format; tests read the files."""
    folder = tmp_path_factory.mktemp("export")
    for fmt, name in (("csv", "csv"), ("sqlite", "kb.db"), ("geojson", "kb.geojson"), ("json", "kb.json")):
        assert cli("export", "-f", fmt, "-o", str(folder / name)).exit_code == 0
    return folder


def test_export_json_round_trips_the_knowledge_base(tmp_path: Path) -> None:
    out = tmp_path / "kb.json"
    r = cli("export", "--format", "json", "-o", str(out))
    assert r.exit_code == 0 and r.stdout == ""  # data goes to the file; the message to stderr
    source = merged()
    assert r.stderr == f"exported 77 entries as json to {out}\n"  # 78 in the packs, one folded by same_as
    assert sum(len(source[s]) for s in SECTIONS) == 77
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema_version"] == SCHEMA_VERSION == 3 and doc["meta"] == source["meta"]
    assert [p["file"] for p in doc["packs"]] == ["places.yaml", "article.yaml", "pages.yaml"]
    assert str(ROOT) not in out.read_text(encoding="utf-8")  # no folder of the exporter's machine
    assert [p["title"] for p in doc["packs"]] == [
        "Fixture divisions (reference pack)",
        "Fixture article pack",
        "Fixture pages pack",
    ]
    for section in SECTIONS:
        exported = doc[section]
        if section == "statistics":  # figures gain their amount in base units (and in US$ where given)
            assert all("amount" in st and "amount_usd" in st for st in exported)
            exported = [{k: v for k, v in st.items() if k not in ("amount", "amount_usd")} for st in exported]
            # and the province they lie in: the one `list statistics --province` lists each under (a figure of a
            # city, a park, or a cluster of one place too); what the pack names is named_province
            filed: dict[str, str] = {}
            for province in source["provinces"]:
                listed = cli("list", "statistics", "--province", province["id"], "--json")
                for row in listed.json()["rows"] if listed.exit_code == 0 else []:
                    assert row["id"] not in filed, row["id"]  # filed under one province at most
                    filed[row["id"]] = province["id"]
                    assert row["province"]["id"] == province["id"], row["id"]  # list's own column says the same
            restored = []
            for st, held in zip(exported, source[section], strict=True):
                assert st.get("named_province") == held.get("province"), st["id"]
                assert st.get("province") == filed.get(st["id"]), st["id"]
                st = {k: v for k, v in st.items() if k not in ("province", "named_province")}
                restored.append(st | ({"province": held["province"]} if "province" in held else {}))
            exported = restored
        if section in ("clusters", "designations", "parks"):  # a yes/no the pack leaves out is exported as no
            assert all(isinstance(e["translated"], bool) for e in exported)
            exported = [
                {k: v for k, v in e.items() if k != "translated" or k in held}
                for e, held in zip(exported, source[section], strict=True)
            ]
        if section == "clusters":  # where it lies by the rule (below); what its source names, as the pack has it
            restored = []
            for e, held in zip(exported, source[section], strict=True):
                assert e["named_provinces"] == held.get("provinces", []), e["id"]
                assert e["named_cities"] == held.get("cities", []), e["id"]
                e = {k: v for k, v in e.items() if k not in ("provinces", "cities", "named_provinces", "named_cities")}
                restored.append({**e, **{f: held[f] for f in ("provinces", "cities") if f in held}})
            exported = restored
        assert exported == source[section], section


def test_every_export_places_a_cluster_where_list_and_its_view_do(tmp_path: Path) -> None:
    """A cluster's `provinces` and `cities` mean one thing in every output (README, "What the counts count"):
    every province and city it lies in, its parks' included, in the JSON, CSV, SQLite and GeoJSON exports as in
    `list clusters` and `cluster`; what its source names is `named_provinces` and `named_cities`."""
    listed = {
        r["id"]: ([p["id"] for p in r["provinces"]], [c["id"] for c in r["cities"]])
        for r in cli("list", "clusters", "--json").json()["rows"]
    }
    assert listed["yrd-ic"] == (["anhui", "jiangsu", "shanghai"], ["shanghai", "hefei", "suzhou"])  # parks' cities too
    view = cli("cluster", "yrd-ic", "--json").json()["cluster"]
    assert ([p["id"] for p in view["provinces"]], [c["id"] for c in view["cities"]]) == listed["yrd-ic"]
    for fmt, name in (("json", "kb.json"), ("csv", "csv"), ("sqlite", "kb.db"), ("geojson", "kb.geojson")):
        assert cli("export", "-f", fmt, "-o", str(tmp_path / name)).exit_code == 0
    doc = json.loads((tmp_path / "kb.json").read_text(encoding="utf-8"))
    assert {c["id"]: (c["provinces"], c["cities"]) for c in doc["clusters"]} == listed
    yrd = next(c for c in doc["clusters"] if c["id"] == "yrd-ic")
    assert (yrd["named_provinces"], yrd["named_cities"]) == (["shanghai", "jiangsu", "anhui"], ["shanghai", "hefei"])
    in_csv: dict[str, tuple[list[str], list[str]]] = {c: ([], []) for c in listed}
    for i, field in enumerate(("provinces", "cities")):
        target = ("province", "city")[i]
        for r in _csv(tmp_path / "csv" / f"cluster_{field}.csv"):
            in_csv[r["cluster_id"]][i].append(r[f"{target}_id"])
    assert in_csv == listed
    named = _csv(tmp_path / "csv" / "cluster_named_provinces.csv")
    assert [(r["cluster_id"], r["province_id"], r["province_name"]) for r in named if r["cluster_id"] == "yrd-ic"] == [
        ("yrd-ic", "shanghai", "Shanghai"),
        ("yrd-ic", "jiangsu", "Jiangsu"),
        ("yrd-ic", "anhui", "Anhui"),
    ]
    main_rows = {r["id"]: r for r in _csv(tmp_path / "csv" / "clusters.csv")}
    assert main_rows["yrd-ic"]["provinces_id"] == "anhui; jiangsu; shanghai"
    assert main_rows["yrd-ic"]["named_provinces_id"] == "shanghai; jiangsu; anhui"
    with sqlite3.connect(tmp_path / "kb.db") as conn:
        for field, column in (("provinces", "province_id"), ("cities", "city_id")):
            pairs = conn.execute(f'SELECT cluster_id, {column} FROM "cluster_{field}"').fetchall()
            i = ("provinces", "cities").index(field)
            assert sorted(pairs) == sorted((c, p) for c, places in listed.items() for p in places[i]), field
        assert sorted(conn.execute("SELECT cluster_id, province_id FROM cluster_provinces").fetchall()) == sorted(
            conn.execute("SELECT cluster_id, province_id FROM cluster_locations").fetchall()
        )
        assert conn.execute("SELECT province_id FROM cluster_named_provinces WHERE cluster_id = 'yrd-ic'").fetchall()
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    features = json.loads((tmp_path / "kb.geojson").read_text(encoding="utf-8"))["features"]
    drawn = {f["properties"]["id"]: f["properties"] for f in features if f["properties"]["kind"] == "cluster"}
    assert {c: (p["provinces"], p["cities"]) for c, p in drawn.items()} == listed


def test_a_cluster_distinct_from_another_keeps_both_in_the_csv_link_table(tmp_path: Path) -> None:
    """A reference to the owner's own kind names its column by the field, as the SQLite export does: the
    owner stays `cluster_id`, the other is `distinct_from_id` (it overwrote the owner's column)."""
    paths = changed_packs(
        tmp_path,
        "  - id: kunshan-socks\n",
        "  - id: kunshan-socks\n    distinct_from: [nanshan-chip-design]\n",
        PAGES,
    )
    assert cli(*data_args(paths), "export", "-f", "csv", "-o", str(tmp_path / "csv")).exit_code == 0
    rows = _csv(tmp_path / "csv" / "cluster_distinct_from.csv")
    assert rows == [
        {
            "cluster_id": "kunshan-socks",
            "position": "1",
            "distinct_from_id": "nanshan-chip-design",
            "distinct_from_name": "Nanshan chip design cluster",
        }
    ]
    assert cli(*data_args(paths), "export", "-o", str(tmp_path / "kb.db")).exit_code == 0
    with sqlite3.connect(tmp_path / "kb.db") as conn:
        assert conn.execute("SELECT * FROM cluster_distinct_from").fetchall() == [
            ("kunshan-socks", "nanshan-chip-design")
        ]


def test_the_sqlite_export_s_firms_of_a_sector_are_list_companies_s(tmp_path: Path) -> None:
    """A firm is of the sectors it is tagged with and of those of the clusters naming it, as `list companies
    --sector` reads it; the exports held the tags alone, so SQL over them found fewer firms (garments: 6, not 8)."""
    db = tmp_path / "kb.db"
    assert cli("export", "-o", str(db)).exit_code == 0
    with sqlite3.connect(db) as conn:
        sectors = [r[0] for r in conn.execute("SELECT id FROM sectors")]
        by_sql = {
            s: {
                r[0]
                for r in conn.execute(
                    "SELECT DISTINCT company_id FROM company_tags JOIN sector_tree USING (sector_id) "
                    "WHERE ancestor_id = ?",
                    (s,),
                )
            }
            for s in sectors
        }
        by_cluster = set(conn.execute("SELECT company_id, sector_id FROM company_tags WHERE how = 'cluster'"))
    listed = {s: {r["id"] for r in cli("list", "companies", "--sector", s, "--json").json()["rows"]} for s in sectors}
    assert by_sql == listed and by_cluster  # a firm a cluster names is of the cluster's sectors too


def test_export_json_carries_the_counting_rule_that_list_counts_by(tmp_path: Path) -> None:
    """A script over the JSON export counts a city's clusters as `list cities` does (a county's cluster in
    its prefecture too), from the same rows as the SQLite export's tables."""
    out, db = tmp_path / "kb.json", tmp_path / "kb.db"
    assert cli("export", "-o", str(out)).exit_code == 0 and cli("export", "-o", str(db)).exit_code == 0
    rule = json.loads(out.read_text(encoding="utf-8"))["counting_rule"]
    assert sorted(rule) == ["cluster_locations", "cluster_places", "cluster_tags", "company_tags", "sector_tree"]
    with sqlite3.connect(db) as conn:
        for table, rows in rule.items():
            cols = list(rows[0])
            in_sql = conn.execute(f'SELECT {", ".join(cols)} FROM "{table}"').fetchall()
            assert sorted(tuple(r.values()) for r in rows) == sorted(in_sql), table
    per_city: dict[str, set[str]] = {}
    for row in rule["cluster_places"]:
        if row["kind"] == "city":
            per_city.setdefault(row["place_id"], set()).add(row["cluster_id"])
    listed = {r["id"]: r["cluster_count"] for r in cli("list", "cities", "--json").json()["rows"]}
    assert {c: len(per_city.get(c, ())) for c in listed} == listed
    assert listed["suzhou"] == 2 and listed["kunshan"] == 1  # Kunshan's cluster counts in Suzhou too


def test_export_csv_writes_one_file_per_kind(exported: Path) -> None:
    out = exported / "csv"
    source = merged()
    for section in ("provinces", "cities", "clusters", "statistics", "sources"):
        raw = (out / f"{section}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbfid,") and b"\r\n" in raw  # a byte-order mark, Excel's line ends
        with open(out / f"{section}.csv", encoding="utf-8-sig") as f:
            rows = list(csv.DictReader(f))
        assert [r["id"] for r in rows] == [e["id"] for e in source[section]]
    with open(out / "provinces.csv", encoding="utf-8-sig") as f:
        anhui = next(r for r in csv.DictReader(f) if r["id"] == "anhui")
    assert anhui["name_zh"] == "安徽省" and anhui["abbr"] == "皖"


def test_export_csv_names_each_packs_source_and_licence(exported: Path) -> None:
    """A folder of tables handed on alone says what the data rests on: `packs.csv`, a row per pack with its
    title, primary source, source and licence (the JSON and SQLite exports hold each pack's meta; the CSV
    and the spreadsheet held no word of it)."""
    with open(exported / "csv" / "packs.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["file"] for r in rows] == ["places.yaml", "article.yaml", "pages.yaml"]
    header = "file,title,version,primary_source,source_title,source_publisher,source_vintage,source_address,licence"
    assert ",".join(rows[0]) == header  # the contract a spreadsheet user reads
    metas = [yaml.safe_load(Path(p).read_text(encoding="utf-8"))["meta"] for p in PACKS]
    for row, meta in zip(rows, metas, strict=True):
        assert row["title"] == meta["title"] and row["primary_source"] == meta.get("primary_source", "")
        assert row["licence"] == meta.get("licence", "")
        assert row["source_title"] == (meta.get("source") or {}).get("title", "")


def test_export_geojson_points_lie_in_china(exported: Path) -> None:
    out = exported / "kb.geojson"
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert doc["layers"] == ["places", "parks", "companies", "clusters", "provinces"]
    # the seats' licence is the places pack's (the shipped reference pack's names CC BY 4.0; an audit checks it)
    assert doc["licence"]["coordinates"] == "Fixture licence (test data)"
    assert doc["attribution"].startswith(  # two sentences, whether or not the pack's licence ends in a full stop
        "Seats: Fixture licence (test data). Province outlines: Made with Natural Earth"
    )
    source = merged()
    kinds = [f["properties"]["kind"] for f in doc["features"]]
    assert kinds.count("city") == len(source["cities"]) and kinds.count("park") == len(source["parks"])
    assert kinds.count("cluster") == len(source["clusters"])  # merged() has folded same_as already
    points = [f for f in doc["features"] if f["properties"]["kind"] in ("city", "park")]
    unlocated = [f["properties"]["id"] for f in points if f["geometry"] is None]
    assert sorted(unlocated) == sorted(c["id"] for c in source["cities"] if c["lat"] is None)
    for feature in points:
        assert {"name", "name_zh", "province", "sectors", "clusters", "level", "prefecture"} <= set(
            feature["properties"]
        )
        if feature["geometry"] is None:
            continue
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert 73 <= lon <= 136 and 3 <= lat <= 54, feature["properties"]["id"]
    nantong = next(f for f in doc["features"] if f["id"] == "city/nantong")
    assert nantong["geometry"]["coordinates"] == [120.89, 31.98]
    assert nantong["properties"]["sectors"] == ["home-textiles", "wind"]
    assert nantong["properties"]["clusters"] == ["nantong-home-textiles", "nantong-wind"]
    assert nantong["properties"]["clusters_text"] == "nantong-home-textiles; nantong-wind"  # the list's twin


def test_export_geojson_counts_each_placement_once_and_draws_every_cluster(exported: Path) -> None:
    doc = json.loads((exported / "kb.geojson").read_text(encoding="utf-8"))
    by_id = {f["id"]: f for f in doc["features"]}
    # a cluster named on a district is on the district's feature, not also on its prefecture's
    assert by_id["city/nanshan"]["properties"]["clusters"] == ["nanshan-chip-design"]
    shenzhen = by_id["city/shenzhen"]["properties"]
    assert "nanshan-chip-design" not in shenzhen["clusters"]
    assert shenzhen["clusters_counted"] == len(cli("city", "Shenzhen", "--json").json()["clusters"])
    placements = sum(len(f["properties"]["clusters"]) for f in doc["features"] if f["properties"]["kind"] == "city")
    clusters = [f for f in doc["features"] if f["properties"]["kind"] == "cluster"]
    assert placements == sum(len(f["properties"]["cities"]) for f in clusters)
    # every cluster has a geometry: the seats of its places, else its provinces' or its region's outlines
    assert {
        f["properties"]["id"]: f["properties"]["placed"] for f in clusters if f["properties"]["placed"] != "cities"
    } == {
        "yrd-nev": "region",
        "east-new-energy": "provinces",
        "anhui-electronics": "provinces",
        "jiangsu-textiles": "provinces",
    }
    assert all(f["geometry"] is not None for f in clusters)
    assert by_id["cluster/nanshan-chip-design"]["geometry"]["type"] == "MultiPoint"
    anhui = by_id["province/anhui"]
    assert anhui["geometry"]["type"] == "MultiPolygon" and anhui["properties"]["iso_code"] == "CN-AH"
    # RFC 7946, 3.1.6: an exterior ring turns counterclockwise, a hole clockwise (Natural Earth's turn clockwise)
    shapes = [
        f["geometry"]["coordinates"] for f in doc["features"] if (f["geometry"] or {}).get("type") == "MultiPolygon"
    ]
    rings = [(i == 0, ring_area2(ring)) for shape in shapes for poly in shape for i, ring in enumerate(poly)]
    assert len(rings) > 10 and all((area > 0) == exterior for exterior, area in rings)
    assert anhui["properties"]["cluster_count"] == len(cli("province", "Anhui", "--json").json()["clusters"])


def test_export_geojson_layer_picks_and_refuses(tmp_path: Path) -> None:
    out = tmp_path / "c.geojson"
    assert cli("export", "-o", str(out), "--layer", "clusters", "--layer", "Provinces").exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["layers"] == ["clusters", "provinces"]
    assert {f["properties"]["kind"] for f in doc["features"]} == {"cluster", "province"}
    r = cli("export", "-o", str(out), "--layer", "rivers")
    assert r.exit_code == 2 and r.stderr.splitlines()[-1].endswith(
        "unknown layer 'rivers'; choose from: places, parks, companies, clusters, provinces"
    )
    r = cli("export", "-o", str(tmp_path / "kb.db"), "--layer", "clusters")
    assert r.exit_code == 2 and "--layer picks GeoJSON layers; a sqlite export has none" in r.stderr


def test_a_geojson_export_reports_the_features_it_wrote_not_every_entry(tmp_path: Path) -> None:
    out = tmp_path / "p.geojson"
    r = cli("export", "-o", str(out), "--layer", "provinces", "--json")
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert r.exit_code == 0 and r.json()["counts"] == {"provinces": len(features)} == {"provinces": 9}
    r = cli("export", "-o", str(out), "--layer", "clusters", "--layer", "companies")
    kinds = [f["properties"]["kind"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]]
    assert r.stderr == f"exported {len(kinds)} features as geojson to {out}\n"
    assert set(kinds) == {"cluster", "company"}
    r = cli("export", "-o", str(tmp_path / "kb.json"), "--json")  # the whole knowledge base: every entry
    assert r.json()["counts"] == cli("info", "--json").json()["counts"]


MINE_PARK = own_pack("""parks:
  - {id: my-park, name: My park, kind: industrial_park, city: hefei, sectors: [wind], summary: S,
     locator: {section: Only, paragraph: 1}}
clusters:
  - {id: my-park-socks, name: My park socks, sector: socks, parks: [my-park], specialties: [socks],
     status: established, summary: S, locator: {section: Only, paragraph: 1}}
""")


def test_a_geojson_park_carries_the_sectors_list_parks_files_it_under(tmp_path: Path) -> None:
    """A park's GeoJSON `sectors` added those of its clusters, so `sectors_text LIKE` found parks that
    `list parks --sector` does not (13 parks, 12 sectors): a park's are its own tags, as every other output's."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE_PARK, encoding="utf-8")
    args = data_args([*PACKS, str(mine)])
    out = tmp_path / "p.geojson"
    assert cli(*args, "export", "-o", str(out), "--layer", "parks").exit_code == 0
    park = next(f for f in json.loads(out.read_text(encoding="utf-8"))["features"] if f["id"] == "park/my-park")
    assert park["properties"]["sectors"] == ["wind"]
    assert cli(*args, "list", "parks", "--sector", "socks").exit_code == 1  # no park of socks, in either


def test_gdal_reads_the_geojson_filters_a_list_and_writes_a_shapefile(exported: Path, tmp_path: Path) -> None:
    pyogrio = pytest.importorskip("pyogrio")
    from pyogrio import raw

    path = str(exported / "kb.geojson")
    assert pyogrio.read_info(path)["features"] == len(json.loads(Path(path).read_text(encoding="utf-8"))["features"])
    meta, _, _, fields = raw.read(path, where="kind = 'city' AND sectors_text LIKE '%wind%'")
    ids = sorted(fields[list(meta["fields"]).index("id")])
    assert ids == ["nantong"]
    places = tmp_path / "places.geojson"
    assert cli("export", "-o", str(places), "--layer", "places").exit_code == 0
    meta, _, geometry, fields = raw.read(str(places), columns=["id", "name", "sectors_text", "clusters_text"])
    shapefile = str(tmp_path / "places.shp")
    with pytest.warns(RuntimeWarning, match="laundered"):  # a Shapefile's field names hold 10 characters
        raw.write(shapefile, geometry, fields, fields=meta["fields"], geometry_type="Point", crs="EPSG:4326")
    info = pyogrio.read_info(shapefile)
    assert info["features"] == len(merged()["cities"])
    assert list(info["fields"]) == ["id", "name", "sectors_te", "clusters_t"]  # as the README warns


def test_gdal_finds_every_cluster_outline_valid(exported: Path) -> None:
    """A cluster placed by its provinces or its region's was their outlines side by side in a MultiPolygon:
    neighbours overlap along their shared border, and GEOS refused the geometry ("Self-intersection"), so a
    buffer or a spatial join failed on it. Their shared borders are dissolved; GDAL finds every one valid."""
    pyogrio = pytest.importorskip("pyogrio")
    from pyogrio import raw

    path = str(exported / "kb.geojson")
    layer = pyogrio.list_layers(path)[0][0]
    sql = f"SELECT id, placed, ST_IsValid(geometry) FROM \"{layer}\" WHERE kind = 'cluster' AND placed != 'cities'"
    _, _, _, (ids, placed, valid) = raw.read(path, sql=sql, sql_dialect="SQLITE")
    # yrd-nev is drawn by its region's four provinces, three of them neighbours; east-new-energy by several too
    assert dict(zip(ids, placed, strict=True)) == {
        "yrd-nev": "region",
        "anhui-electronics": "provinces",
        "jiangsu-textiles": "provinces",
        "east-new-energy": "provinces",
    }
    assert [i for i, ok in zip(ids, valid, strict=True) if not ok] == []


def test_export_sqlite_joins_clusters_to_provinces(exported: Path) -> None:
    out = exported / "kb.db"
    conn = sqlite3.connect(out)
    rows = conn.execute(
        "SELECT c.id FROM clusters c JOIN cluster_locations l ON l.cluster_id = c.id "
        "JOIN provinces p ON p.id = l.province_id WHERE p.name = 'Anhui' ORDER BY c.id"
    ).fetchall()
    assert [r[0] for r in rows] == sorted(c["id"] for c in cli("province", "Anhui", "--json").json()["clusters"])
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    fks = conn.execute("PRAGMA foreign_key_list(cities)").fetchall()
    assert any(fk[2] == "provinces" and fk[3] == "province" for fk in fks)
    # a reference the export derives is declared as the model's are (a figure's named_province was not)
    fks = conn.execute("PRAGMA foreign_key_list(statistics)").fetchall()
    assert {(fk[3], fk[2]) for fk in fks} >= {("province", "provinces"), ("named_province", "provinces")}
    source = merged()
    for section in ("provinces", "cities", "clusters", "statistics", "companies"):
        ids = [r[0] for r in conn.execute(f'SELECT id FROM "{section}" ORDER BY rowid')]
        assert ids == [e["id"] for e in source[section]]
    value, usd = conn.execute(
        "SELECT value, usd_value FROM statistics WHERE id = 'guangdong-electronics-revenue-2022'"
    ).fetchone()
    assert (value, usd) == (4.55, 650)
    specialties = conn.execute("SELECT specialties FROM clusters WHERE id = 'nantong-home-textiles'").fetchone()[0]
    assert json.loads(specialties) == ["home textiles"]


def test_export_infers_the_format_from_the_extension_and_sorts_money(tmp_path: Path) -> None:
    db = tmp_path / "clusters.db"
    r = cli("export", "-o", str(db))
    assert r.exit_code == 0 and "as sqlite" in r.stderr
    rows = sqlite3.connect(db).execute("select id, amount from statistics order by amount desc").fetchall()
    assert rows[:3] == [
        ("guangdong-electronics-revenue-2022", 4.55e12),
        ("jiangsu-textiles-revenue-2025", 1.4e12),
        ("yrd-ic-output-target", 1e12),
    ]
    assert "as geojson" in cli("export", "-o", str(tmp_path / "k.geojson")).stderr
    r = cli("export", "-f", "json", "-o", str(tmp_path / "k.db"))
    assert r.exit_code == 2 and "the extension .db says sqlite, but --format says json" in r.stderr
    r = cli("export", "-o", str(tmp_path / "k.txt"))
    assert r.exit_code == 2 and "cannot tell the format" in r.stderr


def test_export_refuses_the_knowledge_base_and_bad_formats(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("meta: {title: mine}\n", encoding="utf-8")
    before = mine.read_bytes()
    r = cli("--data", str(mine), "export", "-f", "json", "-o", str(mine))
    assert r.exit_code == 2 and "refusing to overwrite" in r.stderr
    assert mine.read_bytes() == before
    assert cli("export", "-f", "xml", "-o", str(tmp_path / "x")).exit_code == 2
    assert cli("export", "-f", "json", "-o", str(tmp_path)).exit_code == 2  # a folder, not a file
    # standard output holds one document: the export, never the export and then the report
    r = cli("export", "-f", "json", "-o", "-", "--json")
    assert (r.exit_code, r.stdout) == (2, "")
    assert r.stderr == (
        "clusters: error: --json reports the files written, and -o - writes the export itself to standard output: "
        "drop --json\n"
    )


def test_an_output_path_an_export_or_a_map_cannot_have_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name too long for the system, a file name ending in a slash (Path() would drop it: y.json/ wrote a
    file y.json), and an -o of nothing (the current folder, where a CSV export went): each a usage error on
    one line, nothing written, never a traceback. A CSV export into the current folder names it."""
    long = str(tmp_path / ("n" * 300))
    for args, said in (
        (["export", "-f", "json", "-o", long], "the name is too long"),
        (["map", "--svg", long + ".svg"], "the name is too long"),
        (["export", "-f", "sqlite", "-o", str(tmp_path / "y.json") + "/"], "ends with a slash, which names a folder"),
        (["map", "--html", str(tmp_path / "m.html") + "/"], "ends with a slash, which names a folder"),
        (["export", "-f", "csv", "-o", ""], "-o needs a path"),
        (["export", "-o", " "], "-o needs a path"),
    ):
        r = cli(*args)
        assert (r.exit_code, r.stdout, len(r.stderr.splitlines())) == (2, "", 1), args
        assert r.stderr.startswith("clusters: error: ") and said in r.stderr, (args, r.stderr)
    assert not list(tmp_path.iterdir())
    monkeypatch.chdir(tmp_path)
    r = cli("export", "-f", "csv", "-o", "./")
    assert r.exit_code == 0 and r.stderr.endswith(" files in .\n") and (tmp_path / "clusters.csv").is_file()


def test_a_path_is_written_in_a_message_or_a_table_without_its_escape_sequences(tmp_path: Path) -> None:
    """A path is the user's, not data the packs checked: one holding escape sequences (a file so named) is
    said cleaned in the messages that quote it (exported, wrote, valid) and shown cleaned in `info`'s table,
    never able to clear the screen or retitle the terminal."""
    hostile = "\x1b[2J\x1b]0;pwned\x07x"
    pack = tmp_path / f"{hostile}.yaml"
    pack.write_text(Path(PAGES).read_text(encoding="utf-8"), encoding="utf-8")
    paths = [p for p in PACKS if p != PAGES] + [str(pack)]
    runs = [
        cli("export", "-o", str(tmp_path / f"{hostile}.json")),
        cli("map", "--svg", str(tmp_path / f"{hostile}.svg")),
        cli("--no-shipped", "validate", *paths),
        cli(*data_args(paths), "info"),
    ]
    assert [r.exit_code for r in runs] == [0, 0, 0, 0]
    assert (tmp_path / f"{hostile}.json").is_file() and (tmp_path / f"{hostile}.svg").is_file()
    for r in runs:
        assert "x" in r.stdout + r.stderr and not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", r.stdout + r.stderr)
    assert str(tmp_path / "x.json") in runs[0].stderr and f"{tmp_path}/x.yaml" in runs[3].stdout.replace("\n", "")


def test_an_export_replaces_the_file_a_link_points_to_and_writes_into_a_pipe(tmp_path: Path) -> None:
    """A symbolic link is followed (the file it names is written, the link stays a link); a named pipe is
    written into, not replaced by a file; a file beside the target named like an old temporary file is
    somebody's file, left alone."""
    import stat
    import threading

    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "kb.db").symlink_to(real / "target.db")
    (tmp_path / "kb.db.tmp").write_text("mine", encoding="utf-8")
    assert cli("export", "-o", str(tmp_path / "kb.db")).exit_code == 0
    assert (tmp_path / "kb.db").is_symlink() and (real / "target.db").read_bytes().startswith(b"SQLite format 3")
    assert (tmp_path / "kb.db.tmp").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in real.iterdir()) == ["target.db"]  # no temporary file left
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    assert cli("export", "-o", str(pipe)).exit_code == 0
    reader.join(timeout=30)
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    assert json.loads(received[0])["kind"] == "knowledge_base"


def test_a_csv_export_over_an_earlier_one_leaves_no_stale_table_and_never_a_pack(tmp_path: Path) -> None:
    from clusters_cli.views.export import table_names

    out = tmp_path / "csv"
    assert cli("export", "-f", "csv", "-o", str(out)).exit_code == 0
    written = {p.stem for p in out.glob("*.csv")}
    # every table written is one the export checks first, those of what a fold adds too (a cluster's aliases:
    # pages.yaml's cluster joins the article's), never to be written over a pack of that name
    assert "cluster_aliases" in written and written <= table_names()
    stale = sorted(table_names() - written)[0]  # a table some other knowledge base would have
    (out / f"{stale}.csv").write_text("old,rows\r\n", encoding="utf-8")
    (out / "my-notes.csv").write_text("mine\r\n", encoding="utf-8")
    r = cli("export", "-f", "csv", "-o", str(out))
    assert r.exit_code == 0
    assert {p.stem for p in out.glob("*.csv")} == written | {"my-notes"}  # the stale table went, the notes stay
    assert r.stderr.splitlines()[0] == (
        f"removed the tables of an earlier export that this one does not write: {stale}.csv"
    )
    # a pack read from the folder under a table's name is never written over (nor removed)
    pack = out / "statistics.csv"
    pack.write_text(Path(PAGES).read_text(encoding="utf-8"), encoding="utf-8")
    before = pack.read_bytes()
    paths = [p for p in PACKS if p != PAGES] + [str(pack)]
    r = cli(*data_args(paths), "export", "-f", "csv", "-o", str(out))
    assert r.exit_code == 2 and "refusing to overwrite a knowledge-base pack" in r.stderr
    assert pack.read_bytes() == before
    # nor under the name of a table this export would not write, which it would otherwise remove as stale: a
    # table's name is known only once its kind is read, so every name a table may have is checked first
    stale_pack = pack.rename(out / f"{stale}.csv")
    r = cli(*data_args([*paths[:-1], str(stale_pack)]), "export", "-f", "csv", "-o", str(out))
    assert r.exit_code == 2 and f"refusing to overwrite a knowledge-base pack ({stale_pack})" in r.stderr
    assert stale_pack.read_bytes() == before
    # nor under the name of a table a fold adds, which this very pack makes (its cluster joins the article's)
    aliases_pack = stale_pack.rename(out / "cluster_aliases.csv")
    r = cli(*data_args([*paths[:-1], str(aliases_pack)]), "export", "-f", "csv", "-o", str(out))
    assert r.exit_code == 2 and f"refusing to overwrite a knowledge-base pack ({aliases_pack})" in r.stderr
    assert aliases_pack.read_bytes() == before


def test_a_csv_export_says_how_many_cells_a_spreadsheet_may_take_for_formulas(tmp_path: Path) -> None:
    paths = changed_packs(tmp_path, "name: Yangtze Microchips,", "name: '=1+2',")
    r = cli(*data_args(paths), "export", "-f", "csv", "-o", str(tmp_path / "csv"))
    assert r.exit_code == 0
    assert (  # the firm's name in companies.csv, and in cluster_companies.csv beside its id
        "cells beginning with =, +, - or @: 2; a spreadsheet opening the CSV may run them as formulas "
        "(export -f xlsx keeps them text)"
    ) in r.stderr
    assert cli("export", "-f", "csv", "-o", str(tmp_path / "plain")).stderr.count("formulas") == 0


def test_a_failed_or_interrupted_write_leaves_the_old_file_and_no_temporary_one(tmp_path: Path) -> None:
    from clusters_cli.cli.whole import write_whole

    target = tmp_path / "kb.json"
    target.write_text("the old export", encoding="utf-8")
    target.chmod(0o640)
    for failure in (OSError(28, "No space left on device"), KeyboardInterrupt()):

        def half(path: Path, failure: BaseException = failure) -> None:
            path.write_text("half of the new", encoding="utf-8")
            raise failure

        with pytest.raises(type(failure)):
            write_whole(target, half)
        assert target.read_text(encoding="utf-8") == "the old export"
        assert [p.name for p in tmp_path.iterdir()] == ["kb.json"]
    write_whole(target, lambda path: path.write_text("new", encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == "new" and (target.stat().st_mode & 0o777) == 0o640  # its mode kept
    fresh = tmp_path / "fresh.json"
    mask = os.umask(0o022)
    try:
        write_whole(fresh, lambda path: path.write_text("x", encoding="utf-8"))
    finally:
        os.umask(mask)
    assert fresh.stat().st_mode & 0o777 == 0o644  # as any new file, not the temporary file's 0o600


# --- shell completion


def complete(words: str, cword: int, extra: dict[str, str] | None = None) -> list[str]:
    env = {**os.environ, "_CLUSTERS_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    env.update(extra or {})
    p = subprocess.run([sys.executable, "-m", "clusters_cli"], capture_output=True, env=env, cwd=str(ROOT), timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.decode().split()


def test_bash_completion_of_names_commands_and_synonyms() -> None:
    assert complete("clusters province An", 2) == ["Anhui"]
    assert complete_here("clusters pro", 1) == ["province"]
    assert complete_here("clusters sector ch", 2) == ["chips"]
    assert complete_here("clusters city Nan", 2) == ["Nanjing", "Nantong", "Nanshan", "Nanning"]
    assert complete_here("clusters region Y", 2) == ["YRD"]
    assert complete_here("clusters sector 芯", 2) == ["芯片"]
    assert complete_here("clusters list ci", 2) == ["cities"]


def complete_here(words: str, cword: int) -> list[str]:
    """What bash completion offers, asked of the real app in this process through Typer's public completion
    protocol (the environment a shell sets); the subprocess form above covers the shell's own path once."""
    from typer.testing import CliRunner

    from clusters_cli.cli import app

    env = {"_CLUSTERS_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    result = CliRunner().invoke(app, [], env=env, prog_name="clusters")
    return result.stdout.split()


def test_completion_of_option_values() -> None:
    assert complete("clusters list cities --kind co", 4) == ["county_city", "county"]
    assert complete_here("clusters list cities --fields name,co", 4) == ["name,code"]
    assert complete_here("clusters rank provinces --fields cl", 4) == ["clusters", "cluster_names", "cluster_ids"]
    assert complete_here("clusters list clusters --designation fix", 4) == [
        "fixture-advanced-clusters",
        "fixture-town-clusters",
    ]
    assert complete_here("clusters list cities --format t", 4) == ["table", "tsv"]
    assert complete_here("clusters stats --series key", 3) == ["key-nev-enterprises"]
    assert complete_here("clusters export -o x -f s", 5) == ["sqlite"]
    assert complete_here("clusters list cities --province 广", 4) == ["广东", "广西"]  # Chinese names offered
    assert complete_here("clusters rank cities --sector so", 4) == ["solar", "socks"]


def test_show_completion_prints_a_script() -> None:
    env = {**os.environ, "SHELL": "/bin/bash"}
    p = subprocess.run(
        [sys.executable, "-m", "clusters_cli", "--show-completion", "bash"],
        capture_output=True,
        env=env,
        cwd=str(ROOT),
        timeout=60,
    )
    assert p.returncode == 0 and b"_CLUSTERS_COMPLETE=complete_bash" in p.stdout


def test_map_files_never_overwrite_the_knowledge_base(tmp_path: Path) -> None:
    paths = [write(tmp_path, Path(p).read_text(encoding="utf-8"), Path(p).name) for p in PACKS]
    kb = Path(paths[1])
    before = kb.read_bytes()
    r = cli(*data_args(paths), "map", "--svg", str(kb))
    assert r.exit_code == 2 and "refusing to overwrite" in r.stderr
    assert kb.read_bytes() == before


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def _cells(prefix: str, value: dict[str, Any]) -> dict[str, str]:
    """An object as the CSV export's dotted columns and their text."""
    out: dict[str, str] = {}
    for k, v in value.items():
        key = f"{prefix}.{k}" if prefix else k
        if isinstance(v, dict):
            out.update(_cells(key, v))
        else:
            out[key] = "; ".join(map(str, v)) if isinstance(v, list) else flat(v)
    return out


def test_csv_and_sqlite_exports_carry_every_field_of_every_entity(exported: Path) -> None:
    """Every field of every entity of the JSON export (the packs' own, checked by the round trip, and what the
    kinds derive: a cluster's places by the rule) is in the CSV and SQLite exports, each in its own shape."""
    conn = sqlite3.connect(exported / "kb.db")
    conn.row_factory = sqlite3.Row
    source = json.loads((exported / "kb.json").read_text(encoding="utf-8"))
    folder = exported / "csv"
    json_cells = []
    for kind in KINDS.values():
        section = kind.section
        refs = {r.field: r for r in export_refs(kind.name)}
        csv_rows = {r["id"]: r for r in _csv(folder / f"{section}.csv")}
        json_cells += [(section, k) for r in csv_rows.values() for k, v in r.items() if v[:1] in ("[", "{")]
        db_rows = {r["id"]: dict(r) for r in conn.execute(f'SELECT * FROM "{section}"')}
        for entity in source[section]:
            row = csv_rows[entity["id"]]
            for field, value in entity.items():
                in_db = db_rows[entity["id"]][field]
                ref = refs.get(field)
                if isinstance(value, list):  # a child table: one row per item, in order
                    child = [
                        r for r in _csv(folder / f"{kind.name}_{field}.csv") if r[f"{kind.name}_id"] == entity["id"]
                    ]
                    assert [r["position"] for r in child] == [str(i) for i in range(1, len(value) + 1)], (
                        section,
                        field,
                    )
                    for item, line in zip(value, child, strict=True):
                        if ref is not None and ref.key is None:
                            assert line[f"{link_column(kind.name, ref)}_id"] == item, (section, field)
                        elif isinstance(item, dict):
                            if ref is not None and ref.key is not None:
                                assert line[f"{link_column(kind.name, ref)}_id"] == item[ref.key]
                            rest = {k: v for k, v in item.items() if ref is None or k != ref.key}
                            assert {k: line[k] for k in _cells("", rest)} == _cells("", rest), (section, field)
                        else:
                            assert line["value"] == flat(item), (section, field)
                    if ref is not None:
                        assert row[f"{field}_id"] == "; ".join(ref.targets(value)), (section, field)
                    assert json.loads(in_db) == value, (section, field)
                elif ref is not None and not ref.many and ref.key is None:
                    assert row[f"{field}_id"] == flat(value) and in_db == value, (section, field)
                    target = next((t for t in source[KINDS[ref.target].section] if t["id"] == value), None)
                    name = "" if target is None else str(target.get("name") or target.get("metric"))
                    assert row[f"{field}_name"] == name, (section, field)
                elif isinstance(value, dict):
                    assert {k: row[k] for k in _cells(field, value)} == _cells(field, value), (section, field)
                    assert json.loads(in_db) == value, (section, field)
                elif value is None:
                    assert row[field] == "" and in_db is None
                elif isinstance(value, bool):  # true/false in CSV, 1/0 in SQLite
                    assert row[field] == str(value).lower(), (section, field)
                    assert in_db == int(value), (section, field)
                else:
                    assert row[field] == str(value), (section, field)
                    assert in_db == value, (section, field)
    assert json_cells == []  # no cell of any kind's table holds JSON
    for path in folder.glob("*.csv"):  # nor of any child or link table
        assert [(path.name, k) for r in _csv(path) for k, v in r.items() if v[:1] in ("[", "{")] == []


def test_every_style_name_the_renderers_use_parses_in_rich() -> None:
    from rich.style import Style

    from clusters_cli.render import charts, parts

    for shade in charts.SHADES:
        Style.parse(f"bold white on {shade}")  # raises on a colour Rich does not know (cyan4 did)
    for style in (parts.HEAD, parts.DIM, "bold", "italic", "cyan"):
        Style.parse(style)


def test_stats_bars_only_where_they_compare() -> None:
    one = cli("stats", "--series", "anhui-pv-revenue", env={"COLUMNS": "100"}).stdout
    assert "█" in one  # two figures of one series: bars
    ranks = cli("stats", "--sector", "electronics", env={"COLUMNS": "100"}).stdout
    rank_line = next(line for line in ranks.splitlines() if "No. 2" in line)
    assert "█" not in rank_line and "▏" not in rank_line  # a rank is no quantity
    dated = cli("stats", "--series", "key-nev-enterprises").stdout
    assert "undated in the source" not in dated  # the footnote only when a row is marked


def test_dash_means_standard_output_not_a_file_named_dash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    r = cli("export", "-f", "geojson", "-o", "-")
    assert r.exit_code == 0 and json.loads(r.stdout)["type"] == "FeatureCollection"
    assert "to standard output" in r.stderr
    for fmt in ("geojson", "json"):  # standard output gets the file's bytes (GeoJSON's was indented by 2, not 1)
        assert cli("export", "-f", fmt, "-o", str(tmp_path / f"kb.{fmt}")).exit_code == 0
        assert cli("export", "-f", fmt, "-o", "-").stdout == (tmp_path / f"kb.{fmt}").read_text(encoding="utf-8")
    svg = cli("map", "--svg", "-")
    assert svg.exit_code == 0 and svg.stdout.startswith("<svg")
    assert not (tmp_path / "-").exists()
    assert cli("export", "-f", "sqlite", "-o", "-").exit_code == 2


def test_a_bogus_kind_is_named_whole() -> None:
    r = cli("search", "wind", "--kind", "bogus")
    assert r.exit_code == 2 and "unknown --kind 'bogus'" in r.stderr


@pytest.mark.parametrize(
    ("km", "text"),
    [
        (200, "200"),
        (200.0, "200"),
        (20000, "20,000"),
        (12.5, "12.5"),
        (1234567.5, "1,234,567.5"),
        (1e-05, "0.00001"),
        (1e-6, "0.000001"),
        (999999999999999.9, "999,999,999,999,999.9"),
        (1e-300, "1e-300"),
        (1e300, "1e+300"),
        (1.5e15, "1.5e+15"),
        (0, "0"),
    ],
)
def test_a_radius_is_written_in_digits(km: float, text: str) -> None:
    """`:g` wrote 1e+11, 1.23457e+06 (a digit lost) and 1e-05; 1e-300 was written in 300 digits."""
    from clusters_cli.values import km_text

    assert km_text(km) == text


def test_an_empty_near_exits_1_like_every_empty_answer() -> None:
    r = cli("near", "--at", "0,0", "--km", "10")
    assert (r.exit_code, r.stdout, r.stderr) == (1, "", "Nothing recorded within 10 km; try a larger --km\n")
    doc = cli("near", "--at", "0,0", "--km", "10", "--json")
    assert (doc.exit_code, doc.json()["rows"]) == (1, [])
    # a radius as a person writes it (`:g` gave 1e+11)
    assert cli("near", "--at", "0,0", "--km", "99999999999", "--limit", "1").stdout.startswith(
        "Within 99,999,999,999 km of 0.0000°N 0.0000°E"
    )
    # a filter that leaves nothing: the radius is not what to change first (it was said to be)
    r = cli("near", "--at", "0,0", "--km", "20000", "--kind", "park", "--sector", "textiles")
    assert (r.exit_code, r.stdout) == (1, "")
    assert r.stderr == "Nothing of the kind or sector asked lies within 20,000 km; try a larger --km or fewer filters\n"


def test_a_figure_is_its_metric_in_list_rows_as_in_every_view() -> None:
    row = cli("list", "statistics", "--limit", "1", "--json").json()["rows"][0]
    assert row["metric"] == row["name"]


def test_map_classes_state_the_breaks_shade_level_draws() -> None:
    from clusters_cli.views.map import shade_classes, shade_level

    # the breaks of the example: 45 at the top gives 1-12, 13-23, 24-34 and 35-45
    assert [(c["min"], c["max"]) for c in shade_classes(45)] == [(1, 12), (13, 23), (24, 34), (35, 45)]
    for top in (1, 2, 3, 7, 45):
        for c in shade_classes(top):
            assert {shade_level(n, top) for n in range(c["min"], c["max"] + 1)} == {c["level"]}
    assert shade_classes(0) == []


def test_map_rows_are_keyed_by_iso_code_with_a_class_no_spreadsheet_reads_as_a_date() -> None:
    r = cli("map", "semiconductors", "--format", "csv")
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "iso_code,id,name,name_zh,clusters,level,class,cluster_ids"
    anhui = next(line for line in lines if line.startswith("CN-AH,"))
    tiles = {t["id"]: t for t in cli("map", "semiconductors", "--json").json()["tiles"]}
    assert anhui.split(",")[:6] == [
        "CN-AH",
        "anhui",
        "Anhui",
        "安徽省",
        str(tiles["anhui"]["clusters"]),
        str(tiles["anhui"]["level"]),
    ]
    assert len(lines) == 1 + len(tiles)


def test_a_row_option_shapes_the_map_s_rows_in_a_table_too_never_ignored() -> None:
    """The tile map has no rows: `map --limit 3` printed the whole map, and `--fields bogus` passed. A row
    option now gives the divisions' rows as a table (as stats does), shaped as the CSV is."""
    table = cli("map", "--sort", "clusters", "--reverse", "--limit", "2", "--fields", "name,clusters")
    csv_rows = cli("map", "--sort", "clusters", "--reverse", "--limit", "2", "--fields", "name,clusters", "-f", "csv")
    assert table.exit_code == csv_rows.exit_code == 0
    top = [line.split(",") for line in csv_rows.stdout.splitlines()[1:]]
    assert len(top) == 2 and [line.split() for line in table.stdout.splitlines()[3:5]] == top
    assert "HL" not in table.stdout  # not the tiles
    assert table.stdout.splitlines()[0] == "Divisions (2 of 9)"  # it was titled "Division"
    bogus = cli("map", "--fields", "bogus")
    assert bogus.exit_code == 2 and "no field 'bogus' here" in bogus.stderr
    # --format json is --json, as for every command (it printed the tiles)
    assert cli("map", "--format", "json").json() == cli("map", "--json").json()
    # in Chinese, the headers no other table has are Chinese too
    zh = cli("--lang", "zh", "map", "--limit", "1", "--fields", "iso_code,class,cluster_ids").stdout.splitlines()
    assert zh[1].split() == ["ISO", "代码", "分级", "集群", "id"] and zh[0] == "行政区（共 9 条，显示 1 条）"


def test_export_sqlite_declares_types_and_yes_no_as_0_or_1(exported: Path) -> None:
    conn = sqlite3.connect(exported / "kb.db")
    declared = {r[1]: r[2] for r in conn.execute("PRAGMA table_info(statistics)")}
    assert (declared["amount"], declared["value"], declared["year"], declared["metric"]) == (
        "REAL",
        "REAL",
        "INTEGER",
        "TEXT",
    )
    assert {r[1]: r[2] for r in conn.execute("PRAGMA table_info(clusters)")}["translated"] == "INTEGER"
    # a yes/no field is 0 or 1 on every row, the rows a pack leaves it out of included (hefei-photovoltaics'
    # `translated` folds into anhui-pv, whose English name is the article's, so only Nanshan's is a translation)
    assert dict(conn.execute("SELECT translated, COUNT(*) FROM clusters GROUP BY translated").fetchall()) == {
        0: 11,
        1: 1,
    }


def test_export_sqlite_holds_no_absolute_path_and_dates_memberships(exported: Path) -> None:
    out = exported / "kb.db"
    conn = sqlite3.connect(out)
    assert [r[0] for r in conn.execute("SELECT file FROM packs")] == ["places.yaml", "article.yaml", "pages.yaml"]
    assert str(Path(__file__).resolve().parent).encode() not in out.read_bytes()  # no folder of the exporter's
    assert conn.execute(
        "SELECT cluster_id, designation_id, batch, year FROM cluster_designations ORDER BY cluster_id"
    ).fetchall() == [
        ("anhui-pv", "fixture-advanced-clusters", "2022", 2022),
        ("kunshan-socks", "fixture-town-clusters", "first", None),  # a batch its list gives no year
        ("nanshan-chip-design", "fixture-advanced-clusters", "2022", 2022),
    ]
    assert conn.execute("SELECT id, billion_cny FROM figures_in_cny ORDER BY id LIMIT 1").fetchone() == (
        "anhui-pv-revenue-2012",
        20.0,  # value 20, scale billion
    )
    # how an amount is to be read stands beside it: "over 600 billion" is not 600 billion exactly
    assert conn.execute(
        "SELECT id, billion_cny, qualifier, year_basis FROM figures_in_cny WHERE qualifier != 'exact' ORDER BY id"
    ).fetchall() == [("jiangsu-textiles-revenue-2025", 1400.0, "up_to", "stated")]


def test_export_sqlite_keeps_where_each_entry_stands_in_its_sources(exported: Path) -> None:
    """A link table of citations keeps each one whole and in its place (`where`, a section and paragraph), as
    the CSV's child tables do; a locator naming no source stands in its pack's primary source, as `cite` reads
    it (the article's clusters had no row: nothing in the export said what they rest on)."""
    conn = sqlite3.connect(exported / "kb.db")
    assert conn.execute("SELECT * FROM cluster_also_in ORDER BY cluster_id, position").fetchall() == [
        ("anhui-pv", 1, "fixture-page-list", "second name in the list"),  # from the entry that joined it
        ("nanshan-chip-design", 1, "fixture-page-trade", "second paragraph"),
    ]
    rows = conn.execute(
        'SELECT cluster_id, position, source_id, section, paragraph, "where" FROM cluster_locator '
        "WHERE cluster_id IN ('anhui-pv', 'nanshan-chip-design') ORDER BY cluster_id"
    ).fetchall()
    assert rows == [
        ("anhui-pv", 1, "fixture-article", "Energy", 1, None),
        ("nanshan-chip-design", 1, "fixture-page-list", None, None, "third name in the list"),
    ]
    clusters = conn.execute("SELECT count(*) FROM clusters").fetchone()[0]
    assert conn.execute("SELECT count(DISTINCT cluster_id) FROM cluster_locator").fetchone()[0] == clusters
    with (exported / "csv" / "cluster_also_in.csv").open(encoding="utf-8-sig", newline="") as f:
        csv_rows = [(r["cluster_id"], int(r["position"]), r["source_id"], r["where"]) for r in csv.DictReader(f)]
    assert csv_rows == conn.execute("SELECT * FROM cluster_also_in ORDER BY cluster_id, position").fetchall()


def test_an_also_in_naming_only_a_section_cites_its_packs_primary_source_in_sqlite(tmp_path: Path) -> None:
    """A further citation of a section of the article (no source named) had no source in the SQLite table."""
    mine = write(
        tmp_path,
        "meta: {title: Mine, primary_source: mine-notes}\n"
        "sources:\n  - {id: mine-notes, short_name: N, name: My notes, kind: secondary,"
        " sections: [{heading: Only, paragraphs: 3}]}\n"
        "clusters:\n  - {id: mine-cluster, name: Mine cluster, sector: textiles, cities: [nantong],"
        " specialties: [yarn], status: established, summary: S, locator: {section: Only, paragraph: 1},"
        " also_in: [{section: Only, paragraph: 3}]}\n",
        "mine.yaml",
    )
    db = tmp_path / "kb.db"
    assert cli(*data_args([*PACKS, mine]), "export", "-o", str(db)).exit_code == 0
    sql = "SELECT position, source_id, section, paragraph FROM cluster_also_in WHERE cluster_id = 'mine-cluster'"
    assert sqlite3.connect(db).execute(sql).fetchall() == [(1, "mine-notes", "Only", 3)]


def test_datasette_offers_search_and_finds_chinese_inside_a_name(exported: Path) -> None:
    import asyncio

    datasette = pytest.importorskip("datasette.app")

    async def ask() -> tuple[list[list[str]], bool]:
        ds = datasette.Datasette([str(exported / "kb.db")])
        found = []
        for path in (
            "clusters.json?_search=集成电路",  # inside 深圳市南山区集成电路设计集群
            "sectors.json?_search=集成电路",
            "sectors.json?_search=芯片",  # two characters: a synonym of semiconductors
            "clusters.json?_search=南山区",
            "clusters.json?_search=socks",  # English by its words
            "clusters.json?_search=集成电路设计集群公司",  # a run the names do not hold finds nothing
        ):
            r = await ds.client.get(f"/kb/{path}&_shape=objects")
            assert r.status_code == 200
            found.append([row["id"] for row in r.json()["rows"]])
        page = await ds.client.get("/kb/clusters")
        return found, 'name="_search"' in page.text

    found, box = asyncio.run(ask())
    assert box  # Datasette detected the index and shows its search box
    assert found == [
        ["nanshan-chip-design"],
        ["semiconductors"],
        ["semiconductors"],
        ["nanshan-chip-design"],
        ["kunshan-socks"],
        [],
    ]


def test_the_index_words_of_a_chinese_run() -> None:
    from clusters_cli.store.sqlite_export import fts_words

    assert fts_words("IC 芯片设计") == "IC 芯片设计 芯片 片设 设计 芯片设 片设计 芯片设计"
    assert fts_words("wind") == "wind"


def test_export_xlsx_reads_back_typed_with_the_csv_tables(exported: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book_path = tmp_path / "kb.xlsx"
    r = cli("export", "-o", str(book_path))
    assert r.exit_code == 0 and "as xlsx" in r.stderr
    book = load_workbook(book_path)
    from clusters_cli import __version__

    assert (book.properties.creator, book.properties.title) == (
        f"clusters {__version__}",
        "Fixture article pack (clusters export)",
    )
    csv_files = sorted(p.stem for p in (exported / "csv").glob("*.csv"))
    assert sorted(book.sheetnames) == csv_files  # a sheet per table of the CSV export
    rows = list(book["statistics"].iter_rows(values_only=True))
    header = list(rows[0])
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    figure = by_id["guangdong-electronics-revenue-2022"]
    assert (figure["value"], figure["usd_value"], figure["amount"]) == (4.55, 650, 4.55e12)  # numbers, not text
    assert isinstance(figure["year"], int) and figure["province_id"] == "guangdong"
    clusters = list(book["clusters"].iter_rows(values_only=True))
    translated = {row[0]: row[clusters[0].index("translated")] for row in clusters[1:]}
    assert translated["nanshan-chip-design"] is True and translated["anhui-pv"] is False
    with open(exported / "csv" / "clusters.csv", encoding="utf-8-sig") as f:
        assert [r["id"] for r in csv.DictReader(f)] == [row[0] for row in clusters[1:]]


def test_export_xlsx_keeps_text_that_looks_like_a_formula_text(tmp_path: Path) -> None:
    """A pack's text starting with '=' is a text cell, never a formula Excel would run (openpyxl makes such a
    string a formula unless told): a name `=1+2` shows as `=1+2`, not 3."""
    from openpyxl import load_workbook

    paths = changed_packs(tmp_path, "name: Yangtze Microchips,", "name: '=1+2',")
    article = Path(paths[1])
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("metric: industry clusters in the fixture country", 'metric: "=WEBSERVICE(1)"'))
    assert cli(*data_args(paths), "export", "-o", str(tmp_path / "kb.xlsx")).exit_code == 0
    book = load_workbook(tmp_path / "kb.xlsx")
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [c.value for c in cells if c.data_type == "f"] == []
    assert {"=1+2", "=WEBSERVICE(1)"} <= {c.value for c in cells if c.data_type == "s"}


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")  # a sheet left open, its file closed
def test_export_xlsx_refuses_what_a_sheet_or_a_cell_cannot_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel holds 1,048,576 rows a sheet and 32,767 characters a cell (counted in UTF-16, as it counts): a
    workbook past them opens with rows dropped or a cell cut. Such a workbook is not written: one line naming
    the table (and the row and column), exit 2, nothing at the target; CSV takes the same text whole. (The
    schema holds a pack's texts to 2,000 characters: the limits are lowered here to reach them.)"""
    from clusters_cli.cli import sheets

    monkeypatch.setattr(sheets, "CELL_CHARACTERS", 1000)
    summary = "Fixture cluster: chips from design to testing across the delta."
    for text, ok in (
        ("汽" * 1000, True),
        ("\U0001f600" * 501, False),
    ):  # 1,000 in UTF-16; 501 code points, 1,002 as Excel counts
        paths = changed_packs(tmp_path, summary, text)
        target = tmp_path / "kb.xlsx"
        r = cli(*data_args(paths), "export", "-o", str(target))
        if ok:
            assert r.exit_code == 0, r.stderr
            target.unlink()
            continue
        assert (r.exit_code, r.stdout, target.exists()) == (2, "", False)
        assert r.stderr == (
            "clusters: error: the table clusters, row 1, column summary: a text of 1,002 characters, more than a "
            "spreadsheet's cell holds (1,000); export csv or sqlite\n"
        )
        assert cli(*data_args(paths), "export", "-f", "csv", "-o", str(tmp_path / "csv")).exit_code == 0
        assert text in (tmp_path / "csv" / "clusters.csv").read_text(encoding="utf-8-sig")
    monkeypatch.setattr(sheets, "CELL_CHARACTERS", 32_767)
    monkeypatch.setattr(sheets, "SHEET_ROWS", 3)  # a header and two rows a sheet
    r = cli("export", "-o", str(tmp_path / "kb.xlsx"))
    assert (r.exit_code, (tmp_path / "kb.xlsx").exists()) == (2, False)
    assert r.stderr == (
        "clusters: error: the table sources has more rows than a spreadsheet's sheet holds (2); export csv or sqlite\n"
    )


def test_completion_offers_homonyms_once_each_and_shell_safe_forms() -> None:
    from clusters_cli.cli.completion import complete as names

    # 苏州 and 宿州 are both Suzhou: each once, the second by its id in the case typed, its province told
    assert list(names("city")("Suz")) == [("Suzhou", "Suzhou, Jiangsu 苏州市"), ("Suzhou-ah", "Suzhou, Anhui 宿州市")]
    assert complete_here("clusters city Suz", 2) == ["Suzhou", "Suzhou-ah"]
    assert cli("city", "Suzhou-ah", "--json").json()["city"]["name_zh"] == "宿州市"  # what is offered resolves
    # a name a shell would quote is offered by its id: `Lu'a` was completed to `Luanzhou'`, a broken line
    assert complete("clusters city Lu'a", 2) == ["Luan"]  # bash hands Click `Lua` (the quote is open)
    assert cli("city", "Luan", "--json").json()["city"]["name"] == "Lu'an"


def test_completion_reads_the_entities_a_name_key_starts_as_typed_and_offers_what_reading_all_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A completion reads the entities with a name key starting as the word typed (KB.keys_with_prefix), not
    every entity of the kind (at 100 times the shipped data, 318,500 cities for `city Nan<TAB>`), and offers
    what reading every entity offers: for every start of every form it offers, in several cases, and words
    no form starts with."""
    import itertools

    from clusters_cli import load_kb
    from clusters_cli.cli import completion
    from clusters_cli.model import KINDS

    kb = load_kb()
    monkeypatch.setattr("clusters_cli.store.cache.load_kb", lambda: kb)  # one knowledge base, opened once
    typed: set[str] = {"", " ", "zz", "'", "Lu'", "Lu’a", "ＡＮ", "İs", "-", "苏州市x", "nan jing", "N a"}
    for kind in KINDS:
        for e in kb.all(kind):
            forms = [e.get("name") or e.get("metric") or "", *e.get("aliases", []), *e.get("synonyms", [])]
            forms += [e.get("short_zh") or e.get("name_zh") or "", e["id"]]
            for form, n in itertools.product([f for f in forms if f], (1, 3)):
                typed |= {form[:n], form[:n].upper()}
    offered = {(k, t): list(completion.complete(k)(t)) for k in KINDS for t in sorted(typed)}
    assert sum(bool(v) for v in offered.values()) > 300 and sum(not v for v in offered.values()) > 100
    narrowed = completion._candidates
    read: list[int] = []

    def every(kb: Any, kind: str, incomplete: str) -> list[Any]:
        read.append(len(narrowed(kb, kind, incomplete)))
        return list(kb.all(kind))

    monkeypatch.setattr(completion, "_candidates", every)
    assert {(k, t): list(completion.complete(k)(t)) for k in KINDS for t in sorted(typed)} == offered
    assert sum(read) < sum(kb.counts().values()) * len(typed) // 4  # not vacuous: few entities are read


def test_completion_of_cite_and_of_an_option_written_with_equals() -> None:
    assert complete_here("clusters cite guangdong-e", 2) == ["guangdong-electronics-revenue-2022"]
    # bash splits --sector=wi into `--sector`, `=`, `wi` (COMP_WORDS as the shell sets them)
    assert complete("clusters rank cities --sector = so", 5) == ["solar", "socks"]
    assert complete("clusters rank cities --sector=so", 3) == ["solar", "socks"]


def test_list_provinces_carries_the_iso_code_map_rows_join_on() -> None:
    rows = cli("list", "provinces", "--json").json()["rows"]
    assert {r["id"]: r["iso_code"] for r in rows}["anhui"] == "CN-AH"
    csv_rows = cli("list", "provinces", "--format", "csv", "--fields", "id,iso_code").stdout.splitlines()
    assert csv_rows[0] == "id,iso_code" and "anhui,CN-AH" in csv_rows


def test_libreoffice_reads_the_csv_export_with_the_import_option_the_readme_names(
    exported: Path, tmp_path: Path
) -> None:
    import shutil

    from openpyxl import load_workbook

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (.ci/run installs it)")
    profile = tmp_path / "profile"  # a fresh user profile: no setting of this machine's user decides
    # README: LibreOffice's Text Import needs "Unicode (UTF-8)"; headless, the filter option 76 says so
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--infilter=CSV:44,34,76,1",
         "--convert-to", "xlsx", "--outdir", str(tmp_path), str(exported / "csv" / "provinces.csv")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    rows = list(load_workbook(tmp_path / "provinces.xlsx").active.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[0] == "id"  # the byte-order mark read as the mark it is, not as text
    anhui = next(r for r in rows if r[0] == "anhui")
    assert anhui[header.index("name_zh")] == "安徽省" and anhui[header.index("abbr")] == "皖"


def test_near_names_the_kinds_it_measures_from_when_nothing_matches() -> None:
    """A region is no origin of near: its message named compare's kinds (province, region or city). It names
    the region the query is, as any lookup names an entity of another kind."""
    r = cli("near", "Yangtze River Delta")
    assert r.exit_code == 1 and r.stderr == (
        "clusters: error: No province, city or park matches 'Yangtze River Delta'. Did you mean: the region "
        "Yangtze River Delta (clusters region yrd)? `clusters search` looks everywhere.\n"
    )


@pytest.mark.parametrize(
    ("query", "kind", "ident"), [("Anhiu", "province", "anhui"), ("Guandong", "province", "guangdong")]
)
def test_near_reads_a_slip_of_a_province_as_province_reads_it(query: str, kind: str, ident: str) -> None:
    """`near Anhiu` answered 'No city matches' while `province Anhiu` and `compare Anhiu ...` read Anhui: a guess
    is tried across every kind near measures from (province, city, park), and announced."""
    r = cli("near", query, "--json")
    origin = r.json()["origin"]
    assert (r.exit_code, origin["kind"], origin["id"], origin["resolved"]["matched_by"]) == (0, kind, ident, "slip")
    assert r.stderr.startswith(f"Showing {origin['name']} for '{query}' (read as a typing slip")
    assert cli("province", query, "--json").json()["province"]["id"] == ident


@pytest.mark.parametrize("point", ["31.8,117.2", " 31.8, 117.2", "31.8，117.2", "39,116"])
def test_a_point_given_as_a_place_points_to_at(point: str) -> None:
    """`near 31.8,117.2` read the point as a name and offered districts it looked like; it is a usage error that
    gives the --at the user meant."""
    r = cli("near", point)
    wanted = point.strip().replace(" ", "").replace("，", ",")
    assert r.exit_code == 2 and r.stderr.strip().endswith(f"give it as --at {wanted}")
    assert cli("near", "--at", wanted, "--km", "1").exit_code in (0, 1)  # what it suggests is taken


def test_near_says_how_it_read_its_sector_as_list_and_rank_do() -> None:
    """`near --sector semiconducters` answered for Semiconductors without a word, where list, rank, map, stats
    and compare say the slip: near's sector is read as their filters are, and said on stderr beside a
    document, above a table, and in the document's `notices`."""
    asked = ("near", "--at", "31.3,120.6", "--km", "100", "--sector", "semiconducters")
    as_json, table = cli(*asked, "--json"), cli(*asked)
    said = "Showing Semiconductors for 'semiconducters' (read as a typing slip"
    assert as_json.exit_code == table.exit_code == 0
    assert said in as_json.stderr and as_json.json()["notices"][0].startswith(said)
    assert table.stdout.startswith(said) and said not in table.stderr
    assert said in cli("list", "clusters", "--sector", "semiconducters", "--format", "csv").stderr  # as list says it
    # a table of chosen columns says it too, and how its origin was read (both were lost with --fields)
    chosen = cli("near", "Suzohu", "--sector", "semiconducters", "--fields", "name,distance_km")
    assert chosen.stdout.startswith(said) and "Showing Suzhou for 'Suzohu' (read as a typing slip" in chosen.stdout
