"""National zones (data/zones.yaml): at least 100 national high-tech and economic-and-technological
development zones as parks, each in the city its name states and on a list a citable page gives, and both
lists' completeness said by `info` and `designation`."""

from __future__ import annotations

from helpers import cli


def test_at_least_100_national_zones_are_parks_on_their_lists() -> None:
    zones = {
        kind: cli("list", "parks", "--designation", f"national-{kind}", "--json").json()["rows"]
        for kind in ("high-tech-zones", "etdzs")
    }
    assert len(zones["high-tech-zones"]) + len(zones["etdzs"]) >= 100
    assert {r["kind"] for r in zones["high-tech-zones"]} == {"high_tech_zone"}
    assert {r["kind"] for r in zones["etdzs"]} == {"economic_development_zone"}
    assert all(r["city"] for rows in zones.values() for r in rows)


def test_info_says_how_much_of_each_zone_list_is_held() -> None:
    held = {d["id"]: d for d in cli("info", "--json").json()["designations"]}
    for list_id, total in (("national-high-tech-zones", 178), ("national-etdzs", 229)):
        d = held[list_id]
        assert d["members"] == total and 0 < d["held"] < total and not d["complete"], list_id
        assert d["text"] == f"{d['held']} of {total} named"


def test_a_zone_opens_and_cites_its_list() -> None:
    doc = cli("park", "suzhou-etdz", "--json")
    if doc.exit_code != 0:  # the id is a guess: take any zone of the list
        zone = cli("list", "parks", "--designation", "national-etdzs", "--limit", "1", "--json").json()["rows"][0]
        doc = cli("park", zone["id"], "--json")
    assert doc.exit_code == 0
    park = doc.json()["park"]
    assert park["kind"] in ("high_tech_zone", "economic_development_zone") and park["city"]["id"]


def test_a_zone_named_for_its_city_spells_the_city_as_the_reference_pack_does() -> None:
    """A zone whose Chinese name begins with its city's (哈尔滨高新技术产业开发区) begins, in English, with the
    city's English name (Harbin, not a pinyin spelling Ha'erbin; Luohe, not a misreading Tahe of 漯河)."""
    cities = {r["id"]: r for r in cli("list", "cities", "--json").json()["rows"]}
    zones = cli("list", "parks", "--json").json()["rows"]
    named_for_city = [
        z
        for z in zones
        if z["kind"] in ("high_tech_zone", "economic_development_zone")
        and z["city"]
        and (z["name_zh"] or "").startswith(cities[z["city"]["id"]]["name_zh"].rstrip("市"))
    ]
    assert len(named_for_city) > 200
    wrong = [(z["id"], z["name"]) for z in named_for_city if not z["name"].startswith(z["city"]["name"])]
    assert wrong == []


def test_a_zone_summary_naming_a_shared_city_name_says_which_province() -> None:
    """'In Fuzhou' is Fujian's 福州 or Jiangxi's 抚州: wherever a zone's summary names its city by an English name
    another division shares ("in Datong." or "in Datong, approved in 2010."), the province follows (as the
    reference pack places it)."""
    import re
    from collections import Counter

    from shipped import DATA, load, merged

    everything = merged()
    names = Counter(c["name"] for c in everything["cities"])
    cities = {c["id"]: c for c in everything["cities"]}
    provinces = {p["id"]: p["name"] for p in everything["provinces"]}
    bare = []
    for park in load(DATA / "zones.yaml")["parks"]:
        city = cities[park["city"]]
        named = re.search(
            rf"\bin {re.escape(city['name'])}\b(?!, {re.escape(provinces[city['province']])}\b)", park["summary"]
        )
        if names[city["name"]] > 1 and named:
            bare.append((park["id"], park["summary"]))
    assert bare == []
    assert cli("park", "fuzhou-jx-high-tech-zone", "--json").json()["park"]["summary"].endswith("Fuzhou, Jiangxi.")


def test_a_zone_name_parts_its_city_from_the_rest_as_words() -> None:
    """'Shanghaizhangjiang', 'Tianjinbinhai' and 'Shanghaihuaxuegongye' (化学工业, flagged a translation) ran a
    municipality's name into the zone's: no English name starts a word with a municipality's name and more
    letters, and `search Zhangjiang` finds the zone by its word."""
    import re

    from shipped import DATA, load

    municipalities = "Beijing|Tianjin|Shanghai|Chongqing"
    run_in = [
        (park["id"], park["name"])
        for park in load(DATA / "zones.yaml")["parks"]
        if re.search(rf"\b(?:{municipalities})[a-z]", park["name"])
    ]
    assert run_in == []
    hits = cli("search", "Zhangjiang", "--kind", "park", "--json").json()["hits"]
    assert "shanghaizhangjiang-high-tech-zone" in [h["id"] for h in hits]


def test_kunming_and_yuxi_high_tech_zones_are_on_their_list_with_their_chinese_names() -> None:
    """The article's two Yunnan high-tech zones are on the national list GB/T 37028 gives them (they were left
    out, their ids being the article's: the zones pack's entries now join them by same_as)."""
    for ident, zh in (
        ("kunming-high-tech-zone", "昆明高新技术产业开发区"),
        ("yuxi-high-tech-zone", "玉溪高新技术产业开发区"),
    ):
        park = cli("park", ident, "--json").json()["park"]
        assert park["name_zh"] == zh
        assert [d["id"] for d in park["designations"]] == ["national-high-tech-zones"]
    assert cli("park", "昆明高新技术产业开发区", "--json").json()["park"]["id"] == "kunming-high-tech-zone"
