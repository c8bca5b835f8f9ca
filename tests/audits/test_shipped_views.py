"""What the commands answer on the shipped data: the article's clusters, figures and places as the views show
them, the packs in use, the map of all 33 divisions, and the shipped packs passing validate."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import cli
from shipped import article_clusters, merged


def test_shipped_file_is_valid() -> None:
    r = cli("validate")
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""  # a message, not data: stderr
    assert "valid" in r.stderr and "33 provinces" in r.stderr and "3185 cities" in r.stderr
    for pack in (
        "divisions.yaml",
        "clusters.yaml",
        "national_designations.yaml",
        "specialised_towns.yaml",
        "companies.yaml",
    ):
        assert pack in r.stderr
    assert "warning" not in r.stderr  # no two packs describe one cluster under two ids
    # one counting rule: the entries of the files, less those that join another by same_as, are info's entities
    found = re.search(r"valid \((\d+) entries: .*; (\d+) of them join another entry by same_as\)", r.stderr)
    assert found is not None
    entries, joining = int(found[1]), int(found[2])
    assert joining == 18  # 4 clusters, 7 companies, 5 regions, 2 parks (Kunming's and Yuxi's high-tech zones)
    assert entries - joining == sum(cli("info", "--json").json()["counts"].values())


def test_yaml_header_points_editors_at_the_schema() -> None:
    from clusters_cli.paths import shipped_packs

    for pack in shipped_packs():
        first = Path(pack).read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=./clusters.schema.json", pack


def test_province_anhui_shows_everything_the_kb_holds() -> None:
    doc = cli("province", "Anhui", "--json").json()
    assert doc["province"]["name_zh"] == "安徽省" and doc["province"]["abbr"] == "皖"
    assert doc["province"]["capital"] == {"id": "hefei", "name": "Hefei"}
    assert doc["province"]["macro_region"]["id"] == "central"
    # and the Central Plains city cluster, whose defining document names cities of Anhui
    assert [r["id"] for r in doc["regions"]] == ["yrd", "east-china", "central", "zhongyuan"]
    ids = {c["id"] for c in doc["clusters"]}
    expected = {"anhui-electronics", "anhui-displays", "anhui-ic", "anhui-pv", "yrd-ic", "yrd-nev", "yrd-electronics"}
    assert expected == ids & article_clusters()
    # and those the source packs add: Hefei's designated clusters, a shuttlecock town of Shucheng
    assert ids - article_clusters() == {
        "hefei-integrated-circuits",
        "hefei-artificial-intelligence",
        "hefei-intelligent-speech",
        "hefei-new-display-devices",
        "ganchahe-badminton-shuttlecocks",
        "yangtze-river-delta-incl-jiangxi-large-aircraft",  # its name places it in the whole YRD
    }
    stats = {s["id"]: s for s in doc["statistics"]}
    assert set(stats) == {
        "anhui-pv-revenue-2012",
        "anhui-pv-revenue-2021",
        "anhui-electronics-rank",
        "anhui-fpd-global-capacity-share",
    }
    pv = stats["anhui-pv-revenue-2021"]
    assert (pv["value"], pv["scale"], pv["currency"], pv["usd_value"], pv["year"]) == (
        882.8,
        "billion",
        "CNY",
        121.4,
        2021,
    )
    assert pv["source"]["id"] == "ndrc" and pv["amount"] == pytest.approx(882.8e9)
    assert doc["note"] is None


def test_sector_semiconductors_covers_its_clusters_companies_and_figures() -> None:
    doc = cli("sector", "semiconductors", "--json").json()
    assert doc["sector"]["parent"]["id"] == "electronics"
    assert "chips" in doc["sector"]["synonyms"]
    ids = {c["id"] for c in doc["clusters"]}
    # every cluster the article ties to chips, including electronics clusters it names chips for
    assert {
        "jjj-ic",
        "yrd-ic",
        "prd-ic",
        "central-west-ic",
        "anhui-ic",
        "chongqing-ic",
        "chongqing-trillion-plan",
        "anhui-electronics",
        "prd-electronics",
        "yrd-electronics",
        "chongqing-electronics",
    } == ids & article_clusters()
    assert {"shanghai-integrated-circuits", "wuhan-integrated-circuits", "xian-integrated-circuits"} <= ids
    # the article's firms, and the chip makers of the companies pack (of the sector or a sub-sector)
    assert {c["id"] for c in doc["companies"]} >= {"china-resources", "cetc", "ifar-semiconductor", "sk-hynix", "smic"}
    assert {s["id"] for s in doc["statistics"]} == {
        "yrd-share-of-developed-ic-cities",
        "yrd-ic-manufacturing-testing-share",
        "shenzhen-ic-share-2020",
    }


def test_parent_sector_includes_sub_sectors() -> None:
    doc = cli("sector", "new energy", "--json").json()
    sectors = {c["sector"]["id"] for c in doc["clusters"]}
    assert {"new-energy", "wind", "offshore-wind", "photovoltaics"} <= sectors
    assert {d["id"] for d in doc["sector"]["descendants"]} == {
        "wind",
        "offshore-wind",
        "photovoltaics",
        "energy-storage",
        "wind-equipment",
        "wind-turbine-blades",
        "hydrogen",
    }


def test_silent_division_has_identity_and_a_plain_note() -> None:
    r = cli("province", "Qinghai")
    assert r.exit_code == 0
    assert "青海省" in r.stdout and "records no clusters" in r.stdout
    doc = cli("province", "Qinghai", "--json").json()
    assert doc["clusters"] == [] and doc["statistics"] == [] and "no clusters" in doc["note"]


def test_region_shows_members_clusters_and_statistics() -> None:
    doc = cli("region", "Jing-Jin-Ji", "--json").json()
    assert [p["id"] for p in doc["provinces"]] == ["beijing", "tianjin", "hebei"]
    assert {"jjj-ic", "jjj-nev", "jjj-auto", "cangzhou-biopharma"} <= {c["id"] for c in doc["clusters"]}
    assert "jjj-key-nev-enterprises" in {s["id"] for s in doc["statistics"]}


def test_city_links_to_province_and_clusters() -> None:
    doc = cli("city", "Chongqing", "--json").json()
    assert doc["city"]["province"]["id"] == "chongqing"
    assert {"chongqing-electronics", "chongqing-ic", "west-auto", "west-triangle-nev"} <= {
        c["id"] for c in doc["clusters"]
    }
    # the article's parks, and the national zones of the zones pack
    assert {p["id"] for p in doc["parks"]} >= {
        "western-science-city",
        "liangjiang-new-area",
        "chongqing-high-tech-zone",
    }


def test_list_filters() -> None:
    cities = cli("list", "cities", "--province", "粤", "--json").json()
    assert cities["filters"] == {"province": "guangdong"}
    # Guangdong, as the 2024 code list has it: 21 prefecture-level cities, and 122 county-level divisions
    # (65 districts, 34 counties, 20 county-level cities, 3 autonomous counties)
    assert {r["province"]["id"] for r in cities["rows"]} == {"guangdong"} and cities["count"] == 143
    kinds = [r["kind"] for r in cities["rows"]]
    counted = [kinds.count(k) for k in ("district", "county", "county_city", "autonomous_county")]
    assert counted == [65, 34, 20, 3]
    prefectures = cli("list", "cities", "--province", "粤", "--level", "prefecture", "--json").json()
    assert prefectures["count"] == 21 and {r["level"] for r in prefectures["rows"]} == {"prefecture"}
    wind = cli("list", "clusters", "--sector", "wind", "--json").json()["rows"]
    # and Baoding's designated power-equipment cluster, which makes wind equipment among other things
    assert {r["sector"]["id"] for r in wind} == {
        "wind",
        "offshore-wind",
        "wind-equipment",
        "new-energy",
        "power-equipment",
    }
    both = cli("list", "clusters", "--sector", "wind", "--province", "Jiangsu", "--json").json()["rows"]
    assert {r["id"] for r in both} == {"yancheng-wind", "nantong-wind", "east-new-energy"}
    yrd = cli("list", "companies", "--region", "YRD", "--json").json()["rows"]
    assert {"saic", "geely", "hengli", "shenghong"} <= {r["id"] for r in yrd}


def test_search_offshore_wind_finds_the_offshore_wind_clusters() -> None:
    doc = cli("search", "offshore wind", "--json").json()
    assert {"schema_version", "kind", "query", "count", "total", "hits", "suggestions"} == set(doc)
    found = {(h["kind"], h["id"]) for h in doc["hits"]}
    assert {
        ("cluster", "guangxi-offshore-wind"),
        ("cluster", "dongying-offshore-wind"),
        ("sector", "offshore-wind"),
    } <= found
    for hit in doc["hits"]:
        assert set(hit) == {"kind", "id", "name", "name_zh", "province", "score", "why"}
        assert hit["why"]


def test_info_reports_version_counts_sources_and_file() -> None:
    doc = cli("info", "--json").json()
    assert doc["counts"]["provinces"] == 33
    assert doc["data_file"].endswith("clusters.yaml")  # the main pack: the article's
    assert [p["file"].rsplit("/", 1)[-1] for p in doc["packs"]] == [
        "divisions.yaml",
        "clusters.yaml",
        "national_designations.yaml",
        "specialised_towns.yaml",
        "companies.yaml",
        "regions.yaml",
        "zones.yaml",
    ]
    assert {s["id"] for s in doc["sources"]} >= {"china-briefing-2024", "ndrc", "nepcon"}
    assert doc["tool_version"] and doc["kb_version"] == "2024.1"


def test_compare_places_builds_a_sector_matrix() -> None:
    doc = cli("compare", "Anhui", "Jiangsu", "PRD", "--json").json()
    assert doc["kind"] == "compare" and doc["mode"] == "places"
    assert [(i["kind"], i["id"]) for i in doc["items"]] == [
        ("province", "anhui"),
        ("province", "jiangsu"),
        ("region", "prd"),
    ]
    rows = {r["sector"]["id"]: r["counts"] for r in doc["matrix"]}
    # the article's clusters, and those the designation lists add (Hefei's display and IC clusters)
    assert rows["flat-panel-displays"] == [3, 0, 1]  # and the PRD's ultra-HD video cluster
    assert rows["home-textiles"] == [0, 2, 0]  # Guangdong's home-textile cluster lies outside the PRD's 9 members
    assert rows["semiconductors"] == [5, 3, 3]  # every cluster tagged with chips or a sub-sector of them
    assert rows["ic-design"] == [2, 1, 3]  # tagged IC design, as rank provinces --sector ic-design counts
    for item in doc["items"]:
        assert item["cluster_count"] == len(item["clusters"])
        # a cluster counts under each of its sectors and their parents: no row exceeds the place's clusters
        assert max(r["counts"][doc["items"].index(item)] for r in doc["matrix"]) <= item["cluster_count"]
    jiangsu = doc["items"][1]
    assert {"hengli", "shenghong"} <= {c["id"] for c in jiangsu["companies"]}
    assert "jiangsu-textile-revenue-2021" in {s["id"] for s in jiangsu["statistics"]}


def test_compare_sectors_builds_a_province_matrix() -> None:
    doc = cli("compare", "--sector", "wind", "--sector", "solar", "--json").json()
    assert doc["mode"] == "sectors" and [i["id"] for i in doc["items"]] == ["wind", "photovoltaics"]
    rows = {r["province"]["id"]: r["counts"] for r in doc["matrix"]}
    # every cluster under every sector it covers: the East's new-energy cluster counts for both
    assert rows["jiangsu"] == [3, 3] and rows["anhui"] == [0, 2]  # Jiangsu: with the 盐常宿淮 PV cluster


def test_map_has_33_tiles_on_distinct_cells_with_neighbours_kept() -> None:
    doc = cli("map", "--json").json()
    tiles = {t["id"]: t for t in doc["tiles"]}
    assert len(tiles) == 33 and doc["unplaced"] == []
    assert len({(t["row"], t["col"]) for t in tiles.values()}) == 33

    def near(a: str, b: str) -> bool:
        ta, tb = tiles[a], tiles[b]
        return max(abs(ta["row"] - tb["row"]), abs(ta["col"] - tb["col"])) == 1

    for a, b in [
        ("beijing", "tianjin"),
        ("beijing", "hebei"),
        ("shanghai", "zhejiang"),
        ("jiangsu", "anhui"),
        ("guangdong", "hong-kong"),
        ("guangdong", "macao"),
        ("sichuan", "chongqing"),
        ("heilongjiang", "jilin"),
        ("jilin", "liaoning"),
        ("xinjiang", "qinghai"),
        ("tibet", "sichuan"),
    ]:
        assert near(a, b), (a, b)
    counts = {t["id"]: t["clusters"] for t in doc["tiles"]}
    province = cli("province", "Guangdong", "--json").json()
    assert counts["guangdong"] == len(province["clusters"])


def test_map_for_a_sector_marks_its_divisions() -> None:
    doc = cli("map", "offshore wind", "--json").json()
    assert doc["sector"]["id"] == "offshore-wind"
    assert {t["id"] for t in doc["tiles"] if t["clusters"]} == {"guangxi", "shandong"}


def test_stats_groups_comparable_figures() -> None:
    doc = cli("stats", "--json").json()
    groups = {g["id"]: g for g in doc["groups"]}
    nev = groups["series:key-nev-enterprises"]
    assert [(b["scope"]["region"]["id"], b["value"]) for b in nev["bars"]] == [
        ("yrd", 424),
        ("gba", 119),
        ("jjj", 91),
        ("west-triangle", 74),
    ]
    pv = groups["series:anhui-pv-revenue"]
    assert [(b["year"], b["value"]) for b in pv["bars"]] == [(2012, 26.8), (2021, 882.8)]
    bio = groups["series:biopharma-market"]
    assert [(b["year"], b["status"]) for b in bio["bars"]] == [(2020, "actual"), (2025, "forecast")]
    assert all(b["source"]["id"] for g in doc["groups"] for b in g["bars"])
    assert sum(len(g["bars"]) for g in doc["groups"]) == len(merged()["statistics"])


def test_every_map_code_can_be_typed_back() -> None:
    tiles = cli("map", "--json").json()["tiles"]
    for tile in tiles:
        assert cli("province", tile["code"], "--json").json()["province"]["id"] == tile["id"], tile["code"]
        assert cli("province", f"CN-{tile['code']}", "--json").json()["province"]["id"] == tile["id"]
    assert cli("province", "HA", "--json").json()["province"]["id"] == "henan"


def test_homonyms_follow_the_policy_and_name_the_other() -> None:
    doc = cli("city", "Suzhou", "--json").json()
    assert doc["city"]["id"] == "suzhou"  # the one the article names
    # 宿州 (a prefecture) and 肃州区 (a district of Jiuquan) are Suzhou too
    assert [a["id"] for a in doc["resolved"]["also"]] == ["suzhou-ah", "suzhou-jiuquan"]
    assert doc["resolved"]["also"][0]["command"] == "clusters city 宿州市"
    table = cli("city", "Suzhou").stdout
    assert table.splitlines()[:2] == [
        "'Suzhou' also names Suzhou (宿州市, Anhui): clusters city 宿州市",
        "'Suzhou' also names Suzhou (肃州区, Gansu): clusters city 肃州区",
    ]
    assert cli("city", "宿州", "--json").json()["city"]["id"] == "suzhou-ah"
    taizhou = cli("city", "Taizhou")  # 泰州 and 台州: neither is named by a source, nor a capital
    assert taizhou.exit_code == 1 and "泰州市, Jiangsu" in taizhou.stderr and "台州市, Zhejiang" in taizhou.stderr


def test_the_drawn_map_has_every_outline_a_numeric_legend_and_both_credits(tmp_path: Path) -> None:
    import xml.etree.ElementTree as ET

    svg = tmp_path / "chips.svg"
    assert cli("map", "semiconductors", "--svg", str(svg)).exit_code == 0
    root = ET.parse(svg).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    divisions = root.findall(".//s:g[@class='division']", ns)
    shapes = {
        g.get("data-iso"): (g.find("s:path", ns) is not None, g.find("s:circle", ns) is not None) for g in divisions
    }
    assert len(shapes) == 33
    assert sorted(iso for iso, (path, _) in shapes.items() if path) == sorted(
        iso for iso in shapes if iso not in ("CN-HK", "CN-MO")
    )  # 31 outlines
    assert shapes["CN-HK"] == (False, True) and shapes["CN-MO"] == (False, True)  # and two circles
    words = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    doc = cli("map", "semiconductors", "--json").json()
    for c in doc["classes"]:  # the legend states every class's numbers
        assert (f"{c['min']}–{c['max']}" if c["min"] != c["max"] else str(c["min"])) in words
    assert "Counted from: China industry clusters (2024.1)" in words  # the data's source and date
    assert "Natural Earth" in words and "not an official map of China" in words  # the boundaries'
    rows = cli("map", "semiconductors", "--format", "csv").stdout.splitlines()
    assert rows[0].startswith("iso_code,") and len(rows) == 34 and rows[1].startswith("CN-AH,anhui,")


def test_the_shipped_map_page_fits_a_phone_and_a_desktop(tmp_path: Path) -> None:
    from test_browser import CHROMIUM, measure_page, painted

    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    page = tmp_path / "map.html"
    assert cli("map", "--dots", "--html", str(page)).exit_code == 0
    tiles = cli("map", "--json").json()["tiles"]
    for width, seen in measure_page(page, 390, 1400).items():
        assert seen["window"] == width and seen["ready"] == "33"  # the page's script ran
        assert seen["problems"] == [] and seen["scroll"] <= width and seen["svg"][1] <= width
        assert seen["painted"] == {t["id"]: [painted(t["level"]), True] for t in tiles} and len(tiles) == 33


def test_the_geojson_draws_every_cluster_and_credits_the_seats(tmp_path: Path) -> None:
    import json

    out = tmp_path / "kb.geojson"
    assert cli("export", "-o", str(out), "--layer", "clusters").exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    clusters = cli("list", "clusters", "--json").json()["rows"]
    assert len(doc["features"]) == len(clusters)
    assert [f["properties"]["id"] for f in doc["features"] if f["geometry"] is None] == []
    assert "CC BY 4.0" in doc["licence"]["coordinates"] and "AMap" in doc["attribution"]


def test_a_chinese_name_is_the_referenced_entitys_where_two_kinds_share_an_id() -> None:
    # the city (a district of Zhengzhou) and the region `zhongyuan` share an id: Luoyang lies in the region
    # 中原城市群, never in the district 中原区
    for args in (("city", "luoyang"), ("province", "henan")):
        text = cli("--lang", "zh", *args, env={"COLUMNS": "120"}).stdout
        assert "中原城市群" in text and "中原区" not in text, args


def test_a_firm_sharing_id_and_name_with_a_county_is_never_named_by_the_countys_chinese_name(tmp_path: Path) -> None:
    # the county 通渭县 and the firm 通威股份 are both `tongwei`/"Tongwei": a reference to the firm, which holds no
    # Chinese name of its own, is named in English rather than by the county's
    pack = tmp_path / "mine.yaml"
    pack.write_text(
        "meta: {title: mine, version: '1'}\n"
        "sources:\n  - {id: mine-src, short_name: Mine, name: Mine, kind: secondary}\n"
        "clusters:\n  - id: mine-pv\n    name: Mine PV\n    sector: photovoltaics\n    status: established\n"
        "    summary: A test.\n    cities: [chengdu]\n    companies: [tongwei]\n"
        "    locator: {source: mine-src, where: here}\n",
        encoding="utf-8",
    )
    text = cli("--lang", "zh", "--data", str(pack), "cluster", "mine-pv", env={"COLUMNS": "120"})
    assert text.exit_code == 0, text.stderr
    assert "通渭县" not in text.stdout and "Tongwei" in text.stdout


def test_every_shipped_cluster_outline_is_valid_for_gdal(tmp_path: Path) -> None:
    """The shipped outlines keep shared borders identical on both sides, which the dissolve of a cluster's
    provinces rests on: GDAL (GEOS) finds every cluster drawn by outlines valid (18 of 29 were not)."""
    pyogrio = pytest.importorskip("pyogrio")
    from pyogrio import raw

    path = tmp_path / "clusters.geojson"
    assert cli("export", "-o", str(path), "--layer", "clusters").exit_code == 0
    layer = pyogrio.list_layers(str(path))[0][0]
    sql = f"SELECT id, ST_IsValid(geometry) FROM \"{layer}\" WHERE placed != 'cities'"
    _, _, _, (ids, valid) = raw.read(str(path), sql=sql, sql_dialect="SQLITE")
    assert len(ids) >= 20
    assert [i for i, ok in zip(ids, valid, strict=True) if not ok] == []
