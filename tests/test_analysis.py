"""compare, map, stats, export and shell completion, through the real CLI on the shipped data."""

from __future__ import annotations

import csv
import functools
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from xml.dom import minidom

import pytest
import yaml
from helpers import ROOT, cli, shipped_text

from clusters_cli.model import KINDS
from clusters_cli.views import SCHEMA_VERSION

ANSI = re.compile(r"\x1b\[")


@functools.lru_cache(maxsize=1)
def shipped() -> dict:
    """The shipped packs, merged as the tool merges them (sections joined in pack order). Read once;
    callers must not change it."""
    from clusters_cli.paths import shipped_packs
    from clusters_cli.store.rules import fold_same_as

    packs = [yaml.load(Path(p).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in shipped_packs()]
    merged = {"meta": packs[1]["meta"]}
    for section in SECTIONS:
        merged[section] = [e for p in packs for e in p.get(section) or []]
    fold_same_as(merged)  # a cluster two packs describe is one entry, as on loading
    return merged


# every list-valued section of the shipped file, taken from the file itself
SECTIONS = [kind.section for kind in KINDS.values()]


# --- compare




def test_compare_a_city_and_a_municipality() -> None:
    doc = cli("compare", "Nantong", "Chongqing", "--json").json()
    assert [(i["kind"], i["id"]) for i in doc["items"]] == [("city", "nantong"), ("province", "chongqing")]




@pytest.mark.parametrize(
    "args", [["Anhui"], ["A1", "B", "C", "D", "E", "F", "G"], ["Anhui", "--sector", "wind"], ["--sector", "wind"]]
)
def test_compare_needs_two_to_six_of_one_kind(args: list[str]) -> None:
    r = cli("compare", *args)
    assert r.exit_code == 2 and "Traceback" not in r.stderr and r.stderr


def test_compare_unknown_place_exits_1() -> None:
    r = cli("compare", "Anhui", "Atlantis")
    assert r.exit_code == 1 and "No province, region or city matches 'Atlantis'" in r.stderr


def test_compare_table_reads_at_80_columns() -> None:
    r = cli("compare", "Anhui", "Jiangsu", "Guangdong", env={"COLUMNS": "80"})
    assert r.exit_code == 0 and "Clusters side by side" in r.stdout
    assert max(len(line) for line in r.stdout.splitlines()) <= 80


# --- map






def test_map_text_is_readable_without_colour() -> None:
    r = cli("map", "wind", env={"NO_COLOR": "1", "COLUMNS": "80"})
    assert r.exit_code == 0 and not ANSI.search(r.stdout)
    assert "Clusters of Wind energy by division" in r.stdout
    assert re.search(r" JS  3( |$)", r.stdout, re.M) and re.search(r" GS  ·( |$)", r.stdout, re.M)
    assert "Number: clusters in the division; · none." in r.stdout
    assert "JS Jiangsu 3" in r.stdout


def test_map_svg_and_html(tmp_path: Path) -> None:
    svg, html = tmp_path / "m.svg", tmp_path / "m.html"
    r = cli("map", "semiconductors", "--svg", str(svg), "--html", str(html))
    assert r.exit_code == 0 and f"wrote {svg}" in r.stderr
    dom = minidom.parse(str(svg))
    groups = [g for g in dom.getElementsByTagName("g") if g.getAttribute("class") == "tile"]
    assert len(groups) == 33
    marked = {g.getAttribute("data-id"): int(g.getAttribute("data-clusters")) for g in groups}
    expected = {t["id"]: t["clusters"] for t in cli("map", "semiconductors", "--json").json()["tiles"]}
    assert marked == expected
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "<svg" in page and "安徽省" in page


# --- stats




def test_stats_chart_has_labelled_bars() -> None:
    r = cli("stats", "--series", "key-nev-enterprises", env={"COLUMNS": "80"})
    lines = [line for line in r.stdout.splitlines() if "NEV Insight 2022" in line]
    assert len(lines) == 4
    bars = [line.count("█") for line in lines]
    assert bars == sorted(bars, reverse=True) and bars[0] > 3 * bars[-1]
    assert "424" in lines[0] and "Yangtze River Delta" in lines[0]


def test_stats_sector_filter_and_unknown_series() -> None:
    doc = cli("stats", "--sector", "textiles", "--json").json()
    assert doc["filters"] == {"sector": "textiles"}
    sectors = shipped()["sectors"]
    family = {"textiles"}
    while True:  # the sub-sectors, from the files' parent links
        more = family | {s["id"] for s in sectors if s.get("parent") in family}
        if more == family:
            break
        family = more
    found = {b["scope"]["sector"]["id"] for g in doc["groups"] for b in g["bars"]}
    assert {"textiles", "home-textiles", "socks"} <= found <= family
    r = cli("stats", "--series", "nope")
    assert r.exit_code == 1 and "key-nev-enterprises" in r.stderr


# --- export


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped knowledge base exported once in every format; tests read the files."""
    folder = tmp_path_factory.mktemp("export")
    for fmt, name in (("csv", "csv"), ("sqlite", "kb.db"), ("geojson", "kb.geojson")):
        assert cli("export", "-f", fmt, "-o", str(folder / name)).exit_code == 0
    return folder


def test_export_json_round_trips_the_knowledge_base(tmp_path: Path) -> None:
    out = tmp_path / "kb.json"
    r = cli("export", "--format", "json", "-o", str(out))
    assert r.exit_code == 0 and r.stdout == ""  # data goes to the file; the message to stderr
    source = shipped()
    assert f"exported {sum(len(source[s]) for s in SECTIONS)} entries as json" in r.stderr
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema_version"] == SCHEMA_VERSION == 2 and doc["meta"] == source["meta"]
    assert [p["title"] for p in doc["packs"]] == [
        "China's administrative divisions (reference pack)",
        source["meta"]["title"],
        "National cluster designations",
        "Specialised industrial towns",
    ]
    for section in SECTIONS:
        exported = doc[section]
        if section == "statistics":  # figures gain their amount in base units (and in US$ where given)
            assert all("amount" in st and "amount_usd" in st for st in exported)
            exported = [{k: v for k, v in st.items() if k not in ("amount", "amount_usd")} for st in exported]
        assert exported == source[section], section


def test_export_csv_writes_one_file_per_kind(exported: Path) -> None:
    out = exported / "csv"
    source = shipped()
    for section in ("provinces", "cities", "clusters", "statistics", "sources"):
        with open(out / f"{section}.csv", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        assert [r["id"] for r in rows] == [e["id"] for e in source[section]]
    with open(out / "provinces.csv", encoding="utf-8") as f:
        anhui = next(r for r in csv.DictReader(f) if r["id"] == "anhui")
    assert anhui["name_zh"] == "安徽省" and anhui["abbr"] == "皖"


def test_export_geojson_points_lie_in_china(exported: Path) -> None:
    out = exported / "kb.geojson"
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    source = shipped()
    assert len(doc["features"]) == len(source["cities"]) + len(source["parks"])
    unlocated = [f["properties"]["id"] for f in doc["features"] if f["geometry"] is None]
    assert sorted(unlocated) == sorted(c["id"] for c in source["cities"] if c["lat"] is None)
    for feature in doc["features"]:
        assert {"name", "name_zh", "province", "sectors", "clusters"} <= set(feature["properties"])
        if feature["geometry"] is None:
            continue
        assert feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert 73 <= lon <= 136 and 3 <= lat <= 54, feature["properties"]["id"]
    nantong = next(f for f in doc["features"] if f["id"] == "city/nantong")
    assert nantong["geometry"]["coordinates"] == [120.89046, 31.98331]
    # the article's two clusters, and the designated shipbuilding and textiles clusters it shares
    assert set(nantong["properties"]["sectors"]) == {"home-textiles", "wind-equipment", "marine-equipment", "textiles"}


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
    source = shipped()
    for section in ("provinces", "cities", "clusters", "statistics", "companies"):
        ids = [r[0] for r in conn.execute(f'SELECT id FROM "{section}" ORDER BY rowid')]
        assert ids == [e["id"] for e in source[section]]
    value, usd = conn.execute(
        "SELECT value, usd_value FROM statistics WHERE id = 'guangdong-electronics-revenue-2022'"
    ).fetchone()
    assert (value, usd) == (4.67, 642.25)
    specialties = conn.execute("SELECT specialties FROM clusters WHERE id = 'nantong-home-textiles'").fetchone()[0]
    assert json.loads(specialties) == ["home textiles"]


def test_export_infers_the_format_from_the_extension_and_sorts_money(tmp_path: Path) -> None:
    db = tmp_path / "clusters.db"
    r = cli("export", "-o", str(db))
    assert r.exit_code == 0 and "as sqlite" in r.stderr
    rows = sqlite3.connect(db).execute("select id, amount from statistics order by amount desc").fetchall()
    assert rows[0][1] == 19e12 and rows[0][0].startswith("china-leading-industry-output")
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


# --- shell completion


def complete(words: str, cword: int) -> list[str]:
    env = {**os.environ, "_CLUSTERS_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    p = subprocess.run([sys.executable, "-m", "clusters_cli"], capture_output=True, env=env, cwd=str(ROOT), timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.decode().split()


def test_bash_completion_of_names_commands_and_synonyms() -> None:
    assert complete("clusters province An", 2) == ["Anhui"]
    assert "province" in complete_here("clusters pro", 1)
    assert {"chips", "chemical-fibres", "chemical-drugs", "chemicals"} <= set(complete_here("clusters sector ch", 2))
    assert "Nantong" in complete_here("clusters city Nan", 2)
    assert "YRD" in complete_here("clusters region Y", 2)
    assert complete_here("clusters list ci", 2) == ["cities"]


def complete_here(words: str, cword: int) -> list[str]:
    """What bash completion offers, asked of the real command in this process (the subprocess form above
    covers the shell's own path once)."""
    import typer.main
    from typer._completion_classes import BashComplete

    from clusters_cli.cli import app

    env = {"COMP_WORDS": words, "COMP_CWORD": str(cword)}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return BashComplete(typer.main.get_command(app), {}, "clusters", "_CLUSTERS_COMPLETE").complete().split()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_completion_of_option_values() -> None:
    assert complete("clusters list cities --kind co", 4) == ["county_city", "county"]
    assert complete_here("clusters list cities --fields name,co", 4) == ["name,code"]
    assert complete_here("clusters rank provinces --fields cl", 4) == ["clusters", "cluster_names"]
    assert complete_here("clusters list clusters --designation nat", 4) == ["national-advanced-manufacturing"]
    assert complete_here("clusters list cities --format t", 4) == ["table", "tsv"]
    assert complete_here("clusters stats --series key", 3) == ["key-nev-enterprises"]
    assert complete_here("clusters export -o x -f s", 5) == ["sqlite"]
    assert complete_here("clusters list cities --province 广", 4) == ["广东", "广西"]  # Chinese names offered
    assert "toys" in complete_here("clusters rank cities --sector to", 4)


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
    kb = tmp_path / "kb.yaml"
    kb.write_text(shipped_text(), encoding="utf-8")
    before = kb.read_bytes()
    r = cli("--no-shipped", "--data", str(kb), "map", "--svg", str(kb))
    assert r.exit_code == 2 and "refusing to overwrite" in r.stderr
    assert kb.read_bytes() == before


def test_csv_and_sqlite_exports_carry_every_field_of_every_entity(exported: Path) -> None:
    tmp_path = exported
    conn = sqlite3.connect(tmp_path / "kb.db")
    conn.row_factory = sqlite3.Row
    source = shipped()
    for section in SECTIONS:
        with open(tmp_path / "csv" / f"{section}.csv", encoding="utf-8") as f:
            csv_rows = {r["id"]: r for r in csv.DictReader(f)}
        db_rows = {r["id"]: dict(r) for r in conn.execute(f'SELECT * FROM "{section}"')}
        for entity in source[section]:
            for field, value in entity.items():
                in_db = db_rows[entity["id"]][field]
                if isinstance(value, dict) or (isinstance(value, list) and value and isinstance(value[0], dict)):
                    compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
                    assert csv_rows[entity["id"]][field] == compact, (section, field)
                    assert json.loads(in_db) == value, (section, field)
                elif isinstance(value, list):
                    assert csv_rows[entity["id"]][field] == "; ".join(value), (section, field)
                    assert json.loads(in_db) == value, (section, field)
                elif value is None:
                    assert csv_rows[entity["id"]][field] == "" and in_db is None
                elif isinstance(value, bool):  # true/false in CSV, 1/0 in SQLite
                    assert csv_rows[entity["id"]][field] == str(value).lower(), (section, field)
                    assert in_db == int(value), (section, field)
                else:
                    assert csv_rows[entity["id"]][field] == str(value), (section, field)
                    assert in_db == value, (section, field)


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
    svg = cli("map", "--svg", "-")
    assert svg.exit_code == 0 and svg.stdout.startswith("<svg")
    assert not (tmp_path / "-").exists()
    assert cli("export", "-f", "sqlite", "-o", "-").exit_code == 2


def test_a_bogus_kind_is_named_whole() -> None:
    r = cli("search", "wind", "--kind", "bogus")
    assert r.exit_code == 2 and "unknown --kind 'bogus'" in r.stderr
