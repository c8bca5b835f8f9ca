"""The companies pack (data/companies.yaml): the firms analysts name first, each with the page that states
its headquarters, and where they show (sector, city and province views, search, near, exports)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import cli
from shipped import DATA, load, merged

PACK = DATA / "companies.yaml"


def test_at_least_150_firms_each_with_its_headquarters_and_the_page_stating_it(kb: Any) -> None:
    firms = kb.all("company")
    assert len(firms) >= 150
    pack = load(PACK)
    sources = {s["id"]: s for s in pack["sources"]}
    for co in pack["companies"]:
        assert kb.get("city", co["headquarters"]) is not None, co["id"]
        assert co["locator"]["source"] in sources and co["locator"]["where"].startswith("headquarters"), co["id"]
        for loc in co.get("also_in", []):
            assert loc["source"] in sources, (co["id"], loc)
    for source in pack["sources"]:  # a copy on another host names the original and says so
        assert source.get("address") and source.get("publisher"), source["id"]
        if "copy" in source.get("note", ""):
            assert source["kind"] == "secondary", source["id"]


def test_catl_by_either_name_shows_ningde_and_its_bases() -> None:
    for query in ("CATL", "宁德时代"):
        doc = cli("company", query, "--json").json()
        co = doc["company"]
        assert (co["id"], co["headquarters"]["id"], co["headquarters_province"]["id"]) == ("catl", "ningde", "fujian")
        assert {b["city"]["id"] for b in co["bases"]} >= {"ningde", "yibin", "liyang"}
        assert doc["provenance"]["source"]["id"] and doc["provenance"]["locator"]["where"].startswith("headquarters")


def test_the_firms_analysts_ask_for_first_are_held() -> None:
    for query in ("Huawei", "BOE", "Haier", "Midea", "Gree", "DJI", "Xiaomi", "LONGi", "Sany", "CRRC", "SMIC"):
        assert cli("company", query, "--json").exit_code == 0, query
    assert cli("company", "SMIC", "--json").json()["company"]["id"] == "smic"  # not SAIC Motor


def test_a_firm_shows_in_its_sector_city_province_and_search_views() -> None:
    assert "catl" in {c["id"] for c in cli("sector", "lithium-batteries", "--json").json()["companies"]}
    assert "catl" in {c["id"] for c in cli("city", "Ningde", "--json").json()["companies"]}
    assert "catl" in {c["id"] for c in cli("province", "Fujian", "--json").json()["companies"]}
    assert ("company", "catl") in {(h["kind"], h["id"]) for h in cli("search", "CATL", "--json").json()["hits"]}
    near = cli("near", "Ningde", "--km", "20", "--json").json()["rows"]
    assert ("company", "catl") in {(r["kind"], r["id"]) for r in near}


def test_a_firm_another_pack_holds_joins_it(kb: Any) -> None:
    byd = kb.get("company", "byd")
    assert byd["headquarters"] == "shenzhen" and byd["official_name_zh"] == "比亚迪股份有限公司"
    assert kb.get("company", "byd-firm") is None


def test_firms_are_in_every_export(tmp_path: Path) -> None:
    import jsonschema

    out = tmp_path / "kb.json"
    assert cli("export", "-o", str(out)).exit_code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    firms = {c["id"]: c for c in doc["companies"]}
    assert firms["catl"]["headquarters"] == "ningde"
    # the whole shipped export meets the schema it names (`clusters schema knowledge_base`), each `{"$ref":
    # "#/$defs/x"}` in it replaced by what it names (the same rules: $defs stay for any other reference, and a
    # reference to itself would never end), which jsonschema checks in 0.9 s instead of 2.1
    from clusters_cli.store.schema import _inline_refs

    schema = json.loads(cli("schema", doc["kind"]).stdout)
    check = jsonschema.Draft202012Validator(_inline_refs(schema, schema["$defs"]))
    assert [e.message[:200] for e in check.iter_errors(doc)] == []
    geo = tmp_path / "kb.geojson"
    assert cli("export", "-o", str(geo)).exit_code == 0
    features = json.loads(geo.read_text(encoding="utf-8"))["features"]
    assert "company/catl" in {f["id"] for f in features}
    # every firm, those whose headquarters no page states with no point (they were left out: 159 of 165)
    placed = {f["id"]: f["geometry"] is not None for f in features if f["properties"]["kind"] == "company"}
    assert placed == {f"company/{i}": bool(c.get("headquarters")) for i, c in firms.items()}
    # a feature of no point says so, of any kind (a park in a city without a seat read "approximate: ...")
    located = [f for f in features if "location" in f["properties"]]
    assert all((f["geometry"] is None) == (f["properties"]["location"] == "not recorded") for f in located)


def test_rank_counts_the_sectors_firms_where_they_are() -> None:
    rows = {r["id"]: r for r in cli("rank", "provinces", "--sector", "lithium-batteries", "--json").json()["rows"]}
    assert rows["fujian"]["companies"] >= 1  # CATL, headquartered in Ningde
    assert "anhui" in rows and rows["anhui"]["clusters"] == 0 and rows["anhui"]["companies"] >= 1  # Gotion, Hefei


def test_one_firm_one_entry_no_two_share_a_name() -> None:
    """Two entries of one firm make its names ambiguous and count it twice wherever both stand (TCL Technology
    was two: `tcl` and `tcl-technology`, one legal name). No two firms share a name, a Chinese name, an official
    name or an alias, in either language, case aside."""
    from collections import defaultdict

    firms: dict[str, set[str]] = defaultdict(set)
    for c in merged()["companies"]:
        names = [c.get(k) for k in ("name", "name_zh", "official_name", "official_name_zh")] + c.get("aliases", [])
        for name in filter(None, names):
            firms[name.casefold()].add(c["id"])
    assert {name: ids for name, ids in firms.items() if len(ids) > 1} == {}


def test_no_headquarters_rests_on_an_ai_written_page_and_where_pages_disagree_both_are_said() -> None:
    """Luxshare's Dongguan rested on an AI-written page alone, while a page the entry cited gave Shenzhen; Hengli's
    Wujiang on a page that never said where its headquarters is. Now each headquarters cites a page that states it,
    and Luxshare's entry keeps the pages giving Shenzhen, each saying the headquarters is disputed."""
    pack = load(PACK)
    sources = {s["id"]: s for s in pack["sources"]}
    for co in pack["companies"]:
        assert "AI-written" not in sources[co["locator"]["source"]]["publisher"], co["id"]
    firms = {co["id"]: co for co in pack["companies"]}
    disputed = [loc for loc in firms["luxshare"]["also_in"] if "disputed" in loc["where"]]
    assert firms["luxshare"]["headquarters"] == "dongguan" and "Shenzhen" in firms["luxshare"]["locator"]["where"]
    assert len(disputed) == 3 and all("Shenzhen" in loc["where"] for loc in disputed)
    assert firms["hengli-firm"]["locator"]["source"] == "nanmuxuan-hengli"


# firms whose short name mainland pages write in Latin letters, in Chinese too (OPPO, vivo): their registered
# Chinese names are held, as `official_name_zh`
LATIN_IN_CHINESE = {"oppo", "vivo"}
# firms whose own Chinese name no page we read states: the gap, shown (JinkoSolar Holding's; 晶科能源, its listed
# subsidiary's short name, is held as an alias, with the page stating it); nothing else may lack one
NO_CHINESE_NAME_STATED = {"jinkosolar"}


def test_every_firm_has_a_chinese_name_in_simplified_characters_and_the_page_stating_it() -> None:
    """A Chinese user types a firm's Chinese name (美的 found nothing while Midea had none) and reads it in
    Chinese tables: every firm holds one, in simplified characters as mainland pages write it (零跑汽车, not
    零跑汽車 as a Taiwanese page wrote it), and one of its locators says where a page states it ('names: ...')."""
    from clusters_cli.textfold import simplified

    for co in load(PACK)["companies"]:
        held = [co[k] for k in ("name_zh", "official_name_zh") if co.get(k)]
        assert (
            co.get("name_zh")
            or (co["id"] in LATIN_IN_CHINESE and co.get("official_name_zh"))
            or (co["id"] in NO_CHINESE_NAME_STATED and not co.get("official_name_zh"))
        ), co["id"]
        for name in held:
            assert simplified(name) == name, (co["id"], name)
        wheres = [loc["where"] for loc in [co["locator"], *co.get("also_in", [])]]
        assert any(where.startswith("names:") for where in wheres), co["id"]
        for alias in co.get("aliases", []):  # a Chinese alias is simplified too
            assert simplified(alias) == alias, (co["id"], alias)


def test_a_firm_is_found_by_its_chinese_name_as_by_its_english_one() -> None:
    for query, firm in (("美的", "midea"), ("中芯国际", "smic"), ("联想集团", "lenovo"), ("零跑汽车", "leapmotor")):
        doc = cli("company", query, "--json").json()
        assert doc["company"]["id"] == firm, query
