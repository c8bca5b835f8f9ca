"""Places on the fixture packs: the homonym policy, the levels of cities, near, codes in exports and on the map,
and the store's box for nearness. (The shipped divisions against their licensed table: tests/audits/.)"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from helpers import PACKS, PLACES, changed_packs, cli, data_args, env_of, fixture_text, own_pack, write


def test_homonyms_follow_the_policy_and_name_the_other() -> None:
    doc = cli("city", "Suzhou", "--json").json()
    assert doc["city"]["id"] == "suzhou"  # the one a source names (its park and clusters); 宿州 holds nothing
    assert [a["id"] for a in doc["resolved"]["also"]] == ["suzhou-ah"]
    assert doc["resolved"]["also"][0]["command"] == "clusters city 宿州市"
    table = cli("city", "Suzhou").stdout
    assert table.splitlines()[0] == "'Suzhou' also names Suzhou (宿州市, Anhui): clusters city 宿州市"
    assert cli("city", "宿州", "--json").json()["city"]["id"] == "suzhou-ah"
    taizhou = cli("city", "Taizhou")  # 泰州 and 台州: neither is named by a source, nor a capital, both prefectures
    assert taizhou.exit_code == 1 and "泰州市, Jiangsu" in taizhou.stderr and "台州市, Zhejiang" in taizhou.stderr


def test_cities_by_level_kind_and_province() -> None:
    prefectures = cli("list", "cities", "--level", "prefecture", "--province", "Anhui", "--json").json()
    assert [r["id"] for r in prefectures["rows"]] == ["hefei", "suzhou-ah", "luan"]
    counties = cli("list", "cities", "--level", "county", "--json").json()
    assert [(r["id"], r["kind"], r["prefecture"]["id"]) for r in counties["rows"]] == [
        ("kunshan", "county_city", "suzhou"),
        ("feixi", "county", "hefei"),
        ("nanshan", "district", "shenzhen"),
    ]
    assert [r["id"] for r in cli("list", "cities", "--kind", "municipality", "--json").json()["rows"]] == [
        "beijing",
        "shanghai",
    ]
    assert cli("list", "cities", "--level", "township").exit_code == 2
    assert cli("list", "clusters", "--level", "county").exit_code == 2  # a filter that does not apply
    kunshan = cli("city", "Kunshan", "--json").json()["city"]
    assert (kunshan["kind"], kunshan["level"], kunshan["prefecture"]["id"]) == ("county_city", "county", "suzhou")
    feixi = cli("city", "Feixi", "--json").json()  # a county without coordinates: no nearest clusters to measure
    assert (feixi["city"]["lat"], feixi["city"]["lon"], feixi["nearest_clusters"]) == (None, None, [])
    r = cli("city", "999999")
    assert r.exit_code == 1 and r.stderr.startswith("clusters: error: No city matches '999999'.")


def test_near_counts_everything_within_reach_whatever_it_shows() -> None:
    """`total` is every entity within reach (of the sector, with --sector), the rows the nearest --limit of
    them: the same rows and total as when everything is shown."""
    every = cli("near", "Suzhou", "--km", "300", "--json", "--limit", "10000").json()
    assert every["count"] == every["total"] == len(every["rows"]) > 3
    some = cli("near", "Suzhou", "--km", "300", "--json", "--limit", "3").json()
    assert (some["count"], some["total"], some["rows"]) == (3, every["total"], every["rows"][:3])
    of_sector = cli("near", "Suzhou", "--km", "300", "--sector", "textiles", "--json", "--limit", "10000").json()
    two = cli("near", "Suzhou", "--km", "300", "--sector", "textiles", "--json", "--limit", "2").json()
    assert 2 < of_sector["total"] < every["total"]
    assert (two["count"], two["total"], two["rows"]) == (2, of_sector["total"], of_sector["rows"][:2])


def test_near_orders_namesakes_at_one_distance_by_id(tmp_path: Path) -> None:
    """Two firms of one name in one city: by id, whichever pack or entry comes first (a point's place in the
    compiled table says nothing, and a delta build appends a changed pack's points)."""
    firms = "".join(
        f"  - {{id: {ident}, name: Twin Works, sector: semiconductors, headquarters: hefei,"
        " locator: {source: fixture-source, section: Only, paragraph: 1}}\n"
        for ident in ("twin-b", "twin-a")
    )
    source = (
        "sources:\n  - {id: fixture-source, short_name: F, name: F, kind: secondary,"
        " sections: [{heading: Only, paragraphs: 1}]}\n"
    )
    pack = write(tmp_path, "meta: {title: Twins}\n" + source + "companies:\n" + firms)
    doc = cli("near", "Hefei", "--kind", "company", "--json", *data_args([*PACKS, pack])).json()
    assert [r["id"] for r in doc["rows"] if r["name"] == "Twin Works"] == ["twin-a", "twin-b"]


def test_near_stands_a_firm_where_pages_place_it_and_a_firm_no_page_places_at_its_clusters_cities(
    tmp_path: Path,
) -> None:
    """A firm's headquarters and bases are where near measures it; the cities of a cluster naming it are not
    (GAC, headquartered in Guangzhou, stood 0 km from Shenzhen, a city of the PRD car cluster naming it). A firm
    no page places stands where the clusters naming it lie, the article's placing."""
    pack = write(
        tmp_path,
        "meta: {title: Placed}\n"
        "sources:\n  - {id: page, short_name: P, name: A page, publisher: A daily, kind: news}\n"
        "companies:\n  - {id: hefei-chips, name: Hefei Chips, sector: semiconductors, headquarters: hefei,"
        " locator: {source: page, where: top}}\n"
        "clusters:\n  - {id: two-city-chips, name: Two-city chips, sector: semiconductors, cities: [shanghai, hefei],"
        " companies: [hefei-chips], status: established, summary: One., locator: {source: page, where: second}}\n",
    )
    args = data_args([*PACKS, pack])
    near = {
        r["id"]: r for r in cli("near", "Shanghai", "--kind", "company", "--km", "50", "--json", *args).json()["rows"]
    }
    assert "hefei-chips" not in near  # the two-city cluster names it, but its headquarters is Hefei's
    assert near["yangtze-microchips"]["distance_km"] == 0.0  # no page places it: at the YRD IC cluster's cities
    at_hefei = cli("near", "Hefei", "--kind", "company", "--km", "1", "--json", *args).json()["rows"]
    assert {r["id"] for r in at_hefei} >= {"hefei-chips", "yangtze-microchips"}
    # the places whose views list it keep the counting rule: Shanghai's firms include those its clusters name
    firms = [c["id"] for c in cli("city", "Shanghai", "--json", *args).json()["companies"]]
    assert "hefei-chips" in firms


def test_near_lists_what_lies_within_the_radius_nearest_first() -> None:
    doc = cli("near", "Suzhou", "--km", "100", "--json").json()
    assert (doc["origin"]["id"], doc["km"]) == ("suzhou", 100)
    # not itself; what lies in it at 0 km; a company where the clusters naming it lie
    assert [(r["kind"], r["id"], r["distance_km"]) for r in doc["rows"]] == [
        ("cluster", "yrd-ic", 0.0),
        ("park", "suzhou-industrial-park", 0.0),
        ("company", "yangtze-microchips", 0.0),
        ("cluster", "kunshan-socks", 39.3),
        ("city", "kunshan", 39.3),
        ("cluster", "nantong-home-textiles", 81.1),
        ("cluster", "nantong-wind", 81.1),
        ("city", "nantong", 81.1),
        ("city", "shanghai", 84.9),
    ]
    point = cli("near", "--at", "31.3,120.6", "--km", "100", "--kind", "cluster", "--json").json()
    assert [(r["id"], r["distance_km"]) for r in point["rows"]] == [
        ("yrd-ic", 1.9),
        ("kunshan-socks", 37.4),
        ("nantong-home-textiles", 80.4),
        ("nantong-wind", 80.4),
    ]
    csv_out = cli("near", "Suzhou", "--km", "50", "--format", "csv").stdout.splitlines()
    assert csv_out == [
        "kind,id,name,name_zh,where,where_zh,measured_from,measured_from_zh,province,distance_km,bearing_deg,bearing",
        "cluster,yrd-ic,Yangtze River Delta integrated circuits,,Suzhou,苏州市,,,jiangsu,0.0,0,-",
        "park,suzhou-industrial-park,Suzhou Industrial Park,苏州工业园区,Suzhou,苏州市,,,jiangsu,0.0,0,-",
        "company,yangtze-microchips,Yangtze Microchips,长江微芯,Suzhou,苏州市,,,jiangsu,0.0,0,-",
        "cluster,kunshan-socks,Lujia socks,,Kunshan,昆山市,,,jiangsu,39.3,75,E",
        "city,kunshan,Kunshan,昆山市,Kunshan,昆山市,,,jiangsu,39.3,75,E",
    ]


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
    paths = changed_packs(tmp_path, "{id: taizhou, code: '321200'", "{id: taizhou, code: '320600'", PLACES)
    r = cli("validate", *paths)
    assert r.exit_code == 3
    assert "cities[6] (id: taizhou).code: code 320600 is also the code of city 'nantong'" in r.stderr


def test_map_marks_the_cities_holding_clusters(tmp_path: Path) -> None:
    tiles = {t["id"]: t for t in cli("map", "--json").json()["tiles"]}
    assert [c["id"] for c in tiles["jiangsu"]["cities"]] == ["suzhou", "nantong", "kunshan"]
    assert tiles["guangxi"]["cities"] == []
    svg = tmp_path / "m.svg"
    assert cli("map", "--svg", str(svg)).exit_code == 0
    assert 'class="city"' not in svg.read_text(encoding="utf-8")  # dots only when asked
    assert cli("map", "--dots", "--svg", str(svg)).exit_code == 0
    text = svg.read_text(encoding="utf-8")
    dots = cli("map", "--json").json()["dots"]
    # a dot per city `rank cities` ranks that has a seat, each city once however many divisions its clusters span
    assert text.count('class="city"') == len(dots) == len({d["id"] for d in dots})
    assert {d["id"] for d in dots} >= {"suzhou", "nantong", "shenzhen"}
    assert not {d["id"] for d in dots} & {"kunshan", "nanshan"}  # counted at Suzhou's and Shenzhen's seats
    assert "<title>Nantong: 2 clusters</title>" in text


def test_a_dot_counts_what_its_city_counts_in_every_other_answer() -> None:
    """A dot holds the clusters `city`, `list cities` and `rank cities` count in its city, a district's and a
    county's among them (a dot of what its clusters name alone read Shenzhen 13 beside a dot for Nanshan, where
    every other answer read 17)."""
    listed = {r["id"]: r["cluster_count"] for r in cli("list", "cities", "--json", "--limit", "5000").json()["rows"]}
    dots = {d["id"]: d["clusters"] for d in cli("map", "--json").json()["dots"]}
    assert dots == {c: n for c, n in dots.items() if listed[c] == n} and dots["shenzhen"] == listed["shenzhen"] > 1
    ranked = cli("rank", "cities", "--sector", "semiconductors", "--json").json()["rows"]
    drawn = {d["id"]: d["clusters"] for d in cli("map", "semiconductors", "--json").json()["dots"]}
    assert drawn == {r["id"]: r["clusters"] for r in ranked if r["clusters"]}


def test_exports_carry_the_codes(tmp_path: Path) -> None:
    import json as _json

    out = tmp_path / "kb.geojson"
    assert cli("export", "-f", "geojson", "-o", str(out)).exit_code == 0
    features = {f["id"]: f for f in _json.loads(out.read_text(encoding="utf-8"))["features"]}
    assert features["city/kunshan"]["properties"]["code"] == "320583"
    assert features["city/feixi"]["geometry"] is None and features["city/feixi"]["properties"]["code"] == "340123"


def test_near_asks_the_store_for_a_box_that_never_misses_a_point_within_reach(kb: Any) -> None:
    """The store's latitude/longitude box (its index) is a prefilter: every point within `km` of any
    origin, at any latitude and across the antimeridian, must be among the points it returns."""
    import random

    from clusters_cli.geo import distance_km

    kinds = ["city", "park", "cluster", "company"]
    everything = kb.points_near(0.0, 0.0, float("inf"), kinds)
    assert len(everything) == 35  # 18 located cities, the park, 12 clusters at their cities, 4 companies
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
    assert len(kb.points_near(31.3, 120.6, 30.0, kinds)) < len(everything) / 3


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

    for lat, lon, km in ((31.30, 120.59, 120.0), (22.54, 114.06, 80.0), (31.82, 117.22, 300.0)):
        expected = set()
        for kind in ("cluster", "park", "company", "city"):
            for e in kb.all(kind):
                ds = [(distance_km(lat, lon, c["lat"], c["lon"]), c["name"]) for c in cities_of(kind, e)]
                if ds and min(ds)[0] <= km:
                    expected.add((kind, e["id"], round(min(ds)[0], 1)))
        rows, _ = nearest(kb, lat, lon, ["cluster", "park", "company", "city"], km=km)
        got = {(r["kind"], r["id"], r["distance_km"]) for r in rows}
        assert got == expected and len(got) >= 3, (lat, lon)


def test_near_s_count_and_cut_in_the_store_answer_as_measuring_every_point_does(kb: Any) -> None:
    """With a limit and no sector, the store counts the entities within reach and returns only the points of
    those that may be shown or lie on the edge (kb.points_nearest); the rows and the total must equal those of
    measuring every point in the box, at every radius and limit, with ties at one distance, an excluded
    origin, and radii that end exactly at a point or a hair short of it; and the farthest or last rows a page
    keeps those of every row so ordered."""
    import random

    from clusters_cli.geo import distance_km
    from clusters_cli.views.near import nearest

    kinds = ["cluster", "park", "company", "city"]
    points = kb.points_near(0.0, 0.0, float("inf"), kinds)
    rng = random.Random(7)
    origins = [(p[3], p[4], (p[0], p[1])) for p in points[::3]]  # at a seat: ties at 0 km
    origins += [(rng.uniform(20, 40), rng.uniform(105, 125), None) for _ in range(6)]
    checked = edges = 0
    for lat, lon, exclude in origins:
        ends = sorted({distance_km(lat, lon, p[3], p[4]) for p in points})[1:4]
        for km in (0.0, 5.0, 30.0, 120.0, 400.0, 1500.0, float("inf"), *ends, *(e - 0.0004 for e in ends)):
            every, total = nearest(kb, lat, lon, kinds, km=km, exclude=exclude)
            assert total == len(every)
            for limit in (1, 2, 3, 5, 30):
                assert nearest(kb, lat, lon, kinds, km=km, limit=limit, exclude=exclude) == (every[:limit], total)
                checked += 1
            # the other ends a page may keep: the farthest first and the first by name (ties as nearest first gives
            # them), the last rows
            farthest = sorted(every, key=lambda r: -r["distance_km"])
            by_name = sorted(every, key=lambda r: str(r["name"]).casefold())
            for limit in (0, 1, 3):
                assert nearest(kb, lat, lon, kinds, km=km, limit=limit, exclude=exclude, end="name") == (
                    by_name[:limit],
                    total,
                )
                assert nearest(kb, lat, lon, kinds, km=km, limit=limit, exclude=exclude, end="farthest") == (
                    farthest[:limit],
                    total,
                )
                last = every[max(len(every) - limit, 0) :]
                assert nearest(kb, lat, lon, kinds, km=km, limit=limit, exclude=exclude, end="last") == (last, total)
            edges += km in ends and total > 0
    assert checked == 5 * 13 * len(origins) and edges > 20


def test_the_row_at_the_limit_is_the_one_a_longer_list_shows_there_on_a_rounding_edge() -> None:
    """An origin (found by a review's search for such origins) 10.05 km from a cluster by haversine and a hair
    less by the store's measure: both rows round to 10.1 km, and the cluster, whose name ranks first, is the
    one --limit 1 shows, as --limit 3 shows it first (the store cut at 10.05 km and left it unread)."""
    at = ["near", "--at", "22.467598449129387,114.00144040190304", "--km", "50", "--json"]
    one, three = (cli(*at, "--limit", n).json()["rows"] for n in ("1", "3"))
    assert [r["id"] for r in one] == [three[0]["id"]] == ["nanshan-chip-design"]
    assert [r["distance_km"] for r in three[:2]] == [10.1, 10.1]


def test_sorted_rows_are_sorted_from_every_row_within_reach() -> None:
    """--sort and --reverse sort every row the view has, then --limit cuts: the view is asked for every one
    (it was asked for 10,000, so a knowledge base with more within reach sorted only the nearest)."""
    from clusters_cli.rows import RowOptions

    assert RowOptions(sort="distance_km").gather(3) is None and RowOptions().gather(3) == 3
    far = cli("near", "Suzhou", "--km", "20000", "--sort", "distance_km", "--reverse", "--limit", "2", "--json")
    every = cli("near", "Suzhou", "--km", "20000", "--limit", "10000", "--json").json()["rows"]
    assert [r["distance_km"] for r in far.json()["rows"]] == sorted((r["distance_km"] for r in every), reverse=True)[:2]


# clusters at one city whose names sort against their ids: near orders a tie by name
TIED = own_pack("""clusters:
  - {id: mine-a, name: Zeta works, sector: textiles, cities: [hefei], status: established, summary: Z.,
     locator: {section: Only, paragraph: 1}}
  - {id: mine-b, name: Alpha works, sector: textiles, cities: [hefei], status: established, summary: A.,
     locator: {section: Only, paragraph: 1}}
  - {id: mine-c, name: Mid works, sector: textiles, cities: [hefei], status: established, summary: M.,
     locator: {section: Only, paragraph: 1}}
""")


def test_near_cuts_a_tie_where_the_rows_order_it_by_name(shared_cache: Path, tmp_path: Path) -> None:
    """Entities at one distance are cut to the limit in the rows' order (kind, then name, then id), their
    names read by the store: every limit gives the first rows of the whole answer."""
    from helpers import PACKS, load_through, write

    from clusters_cli.views.near import nearest

    kb = load_through(shared_cache, [*PACKS, write(tmp_path, TIED)])
    hefei = kb.get("city", "hefei")
    every, total = nearest(kb, hefei["lat"], hefei["lon"], ["cluster", "company"], km=50.0)
    tied = [(r["name"], r["id"]) for r in every if r["distance_km"] == 0 and r["kind"] == "cluster"]
    assert tied == sorted(tied) and [i for _, i in tied] != sorted(i for _, i in tied) and len(tied) >= 4
    for limit in range(1, len(every) + 1):
        assert nearest(kb, hefei["lat"], hefei["lon"], ["cluster", "company"], km=50.0, limit=limit) == (
            every[:limit],
            total,
        )
    # the tie on the circle's edge: a radius that ends at Hefei's seat (a spot the store cannot tell in or out of
    # reach, so every entity standing there is handed over, not the first `limit`), and a hair either side
    from clusters_cli.geo import distance_km

    lat, lon = hefei["lat"] + 0.3, hefei["lon"] + 0.2
    edge = distance_km(lat, lon, hefei["lat"], hefei["lon"])
    for km in (edge, edge - 0.0004, edge + 0.0004):
        every, total = nearest(kb, lat, lon, ["cluster", "company"], km=km)
        at_hefei = [r for r in every if r["kind"] == "cluster" and r["where"] == "Hefei"]
        assert (len(at_hefei) >= 4) == (km >= edge) and total == len(every), km
        for limit in range(1, len(every) + 1):
            assert nearest(kb, lat, lon, ["cluster", "company"], km=km, limit=limit) == (every[:limit], total)


def test_a_city_with_half_its_coordinates_is_left_off_the_map_not_a_crash(tmp_path: Path) -> None:
    text = fixture_text(PLACES)
    lon = re.search(r"  - \{id: nantong,[^\n]*?lon: ([0-9.]+)", text)
    assert lon is not None
    paths = changed_packs(tmp_path, text, text[: lon.start(1)] + "null" + text[lon.end(1) :], PLACES)
    r = cli(*data_args(paths), "near", "Shanghai", "--km", "200", "--json")
    assert r.exit_code == 0, r.stderr
    assert [row["id"] for row in r.json()["rows"] if row["kind"] == "city"] == [
        "kunshan",
        "suzhou",
        "hangzhou",
    ]  # no Nantong
    assert cli(*data_args(paths), "city", "Nantong").exit_code == 0


# a pack of one's own holding Shenzhen's Guangming, a district the reference table gives no seat (made since)
GUANGMING = """
meta: {title: mine}
sources:
  - {id: page, short_name: "Page", name: "A page", publisher: "A daily", kind: news}
cities:
  - {id: guangming, code: '440311', name: Guangming, name_zh: 光明区, short_zh: 光明, pinyin: Guāngmíng, kind: district,
     level: county, province: guangdong, prefecture: shenzhen, lat: null, lon: null}
"""


def test_a_district_without_a_seat_is_measured_from_its_citys(tmp_path: Path) -> None:
    """A district the reference table gives no seat (made since) is measured from its city's seat, and says
    so, as origin and as where a cluster lies (such a cluster used to be left out without a word). A county
    without a seat (Feixi) has none: its prefecture's may lie 100 km away."""
    mine = write(
        tmp_path,
        GUANGMING
        + """clusters:
  - id: guangming-sensors
    name: Guangming sensors
    sector: semiconductors
    cities: [guangming]
    status: established
    summary: One.
    locator: {source: page, where: "first paragraph"}
""",
    )
    e = env_of([*PACKS, mine])
    doc = cli("near", "Guangming", "--km", "50", "--json", env=e).json()
    assert (doc["origin"]["id"], doc["origin"]["measured_from"]) == ("guangming", "Shenzhen")
    rows = cli("near", "Shenzhen", "--km", "1", "--kind", "cluster", "--json", env=e).json()["rows"]
    assert [(r["id"], r["where"], r["measured_from"], r["distance_km"]) for r in rows] == [
        ("guangming-sensors", "Guangming", "Shenzhen", 0.0),
        ("prd-electronics", "Shenzhen", None, 0.0),
    ]
    assert "Guangming (Shenzhen's seat)" in cli("near", "Shenzhen", "--km", "1", "--kind", "cluster", env=e).stdout
    r = cli("near", "Feixi", env=e)
    assert r.exit_code == 1 and "Feixi has no coordinates in the reference table" in r.stderr
    # the GeoJSON draws them where near measures from, not the cluster over all of Guangdong (it said `placed:
    # provinces`), nor the district without a point
    out = tmp_path / "kb.geojson"
    assert cli("export", "-f", "geojson", "-o", str(out), env=e).exit_code == 0
    features = {f["id"]: f for f in json.loads(out.read_text(encoding="utf-8"))["features"]}
    shenzhen = features["city/shenzhen"]["geometry"]["coordinates"]
    cluster = features["cluster/guangming-sensors"]
    assert (cluster["geometry"], cluster["properties"]["placed"]) == (
        {"type": "MultiPoint", "coordinates": [shenzhen]},
        "cities",
    )
    district = features["city/guangming"]
    assert district["geometry"] == {"type": "Point", "coordinates": shenzhen}
    assert district["properties"]["location"] == "approximate: the centre of its city"
    assert features["city/feixi"]["geometry"] is None


def test_a_firm_in_a_municipality_names_it_once_and_its_full_name_reads_in_the_readers_language(
    tmp_path: Path,
) -> None:
    """Shanghai is a city and a province of one name: a firm's headquarters or base there read `Shanghai`, not
    `Shanghai, Shanghai` (上海市上海市 in Chinese); elsewhere the province stays. The full name puts the reader's
    language first."""
    firm = (
        "  - {id: sea-works, name: Sea Works, official_name: Sea Works Co. Ltd., official_name_zh: 海工股份有限公司,"
        " sector: semiconductors, headquarters: shanghai, bases: [{city: shanghai, what: a plant}, {city: hefei}],"
        " locator: {source: fixture-source, section: Only, paragraph: 1}}\n"
    )
    source = (
        "sources:\n  - {id: fixture-source, short_name: F, name: F, kind: secondary,"
        " sections: [{heading: Only, paragraphs: 1}]}\n"
    )
    pack = write(tmp_path, "meta: {title: Sea}\n" + source + "companies:\n" + firm)
    lines = {}
    for lang in ("en", "zh"):
        r = cli("company", "sea-works", "--lang", lang, *data_args([*PACKS, pack]), env={"COLUMNS": "100"})
        assert r.exit_code == 0, r.stderr
        lines[lang] = [" ".join(line.strip("│ ").split()) for line in r.stdout.splitlines()]  # labels' width aside
    assert "Headquarters Shanghai" in lines["en"]
    assert "Bases Shanghai: a plant" in lines["en"] and "Hefei (Anhui)" in lines["en"]
    assert lines["en"][lines["en"].index("Full name Sea Works Co. Ltd.") + 1] == "海工股份有限公司"
    assert "总部 上海市" in lines["zh"]
    assert "生产基地 上海市：a plant" in lines["zh"] and "合肥市（安徽省）" in lines["zh"]
    assert lines["zh"][lines["zh"].index("全称 海工股份有限公司") + 1] == "Sea Works Co. Ltd."


def test_a_park_s_view_says_its_point_is_its_city_s_seat(tmp_path: Path) -> None:
    """A park's lat and lon are its city's seat, as the GeoJSON and near place it; its view says so (the JSON gave
    the seat as the park's own point: six Tianjin zones at one), and a park in a district without a seat stands
    at its city's, as the district does."""
    sip = cli("park", "SIP", "--json").json()["park"]
    suzhou = cli("city", "Suzhou", "--json").json()["city"]
    assert (sip["lat"], sip["lon"], sip["location"]) == (
        suzhou["lat"],
        suzhou["lon"],
        "approximate: the centre of its city",
    )
    mine = write(
        tmp_path,
        GUANGMING
        + """parks:
  - {id: guangming-park, name: Guangming park, kind: industrial_park, city: guangming, sectors: [semiconductors],
     summary: One., locator: {source: page, where: "first paragraph"}}
""",
    )
    park = cli("park", "Guangming park", "--json", env=env_of([*PACKS, mine])).json()["park"]
    shenzhen = cli("city", "Shenzhen", "--json").json()["city"]
    assert (park["lat"], park["lon"], park["location"]) == (
        shenzhen["lat"],
        shenzhen["lon"],
        "approximate: the centre of its city",
    )
