"""Source packs beyond the article, as shipped: every entry cited, designations that agree with their lists,
no cluster described twice under two ids, and the README's table of designations in step with the data."""

from __future__ import annotations

import re
from typing import Any

import pytest
from helpers import ROOT, cli
from shipped import DATA, SOURCE_PACKS, load

CITING = ("designations", "clusters", "parks", "companies", "statistics")


@pytest.fixture(scope="module")
def packs() -> dict[str, dict[str, Any]]:
    return {p.name: load(p) for p in [ROOT / "data" / "clusters.yaml", *SOURCE_PACKS]}


def test_every_entry_of_every_source_pack_names_its_source_and_where_in_it(packs: dict[str, Any]) -> None:
    sources = {s["id"]: s for pack in packs.values() for s in pack.get("sources") or []}
    for name, pack in packs.items():
        primary = pack["meta"].get("primary_source")
        for section in CITING:
            for entry in pack.get(section) or []:
                locators = [entry["locator"], *entry.get("also_in", [])]
                locators += [d["locator"] for d in entry.get("designations", [])]
                locators += [b["locator"] for b in entry.get("batches", []) if "locator" in b]
                for loc in locators:
                    source = loc.get("source") or primary
                    assert source in sources, (name, entry["id"])
                    # a page: where in it, in our words; the article: a section and paragraph
                    assert loc.get("where") or (loc.get("section") and loc.get("paragraph")), (name, entry["id"])
    for source in sources.values():
        assert source["kind"] in ("article", "government", "news", "press", "industry", "report", "secondary")


def test_no_source_pack_entry_lacks_an_address_or_publisher_it_states(packs: dict[str, Any]) -> None:
    for name in ("national_designations.yaml", "specialised_towns.yaml"):
        for s in packs[name]["sources"]:
            assert s["publisher"] and s["name"], s["id"]
            if "published" in s:  # never a guessed date: a full date, as the page or its address states it
                assert len(s["published"]) == 10 and s["published"][4] == "-", s["id"]


def test_no_address_carries_a_feed_s_tracking_parameters() -> None:
    """Three South China Morning Post addresses ended in `?utm_source=rss_feed`, the feed they were found by,
    not the page's own address (one title was also the address's words, not the page's headline)."""
    for path in sorted((ROOT / "data").glob("*.yaml")):
        for s in load(path).get("sources") or []:
            assert "utm_" not in (s.get("address") or ""), (path.name, s["id"])


def test_every_address_is_one_a_reader_can_open() -> None:
    """A filing read inside a copy host's archive was recorded as the archive's address followed by the folder the
    archive was unpacked into on the machine that read it (`....zip:/tmp/tarfile_extract_.../other/...txt`): an
    address no one can open, naming a temporary folder, in every export. An address is a web address with no
    such tail; the file read inside an archive is said in the source's note."""
    for path in sorted((ROOT / "data").glob("*.yaml")):
        for s in load(path).get("sources") or []:
            address = s.get("address") or ""
            if not address:
                continue
            assert re.fullmatch(r"https?://[^\s/]+(/\S*)?", address), (path.name, s["id"], address)
            assert not re.search(r"\.(zip|tar|gz|tgz|7z):|/tmp/", address), (path.name, s["id"], address)


def test_a_zone_cited_to_the_standard_s_list_alone_states_no_year_or_name_it_lacks() -> None:
    """14 zones' summaries said when each was approved (Dalian's in 1984...), and three Chinese names added a
    place or a bracket to the list's, while the one page they cite, a copy of GB/T 37028-2018's list of zones
    by province, states names alone: what no page states is left out."""
    import re

    renamed = {"漕河泾新兴技术开发区", "西青经济技术开发区", "太原经济技术开发区"}  # as the list gives them
    for park in load(ROOT / "data" / "zones.yaml")["parks"]:
        cited = {park["locator"].get("source")} | {d["locator"].get("source") for d in park.get("designations", [])}
        cited |= {a.get("source") for a in park.get("also_in", [])}
        if cited == {"gbt37028-2018-json"}:
            assert not re.search(r"\b(19|20)\d\d\b", park["summary"]), park["id"]
            assert "（" not in park["name_zh"] and not park["name_zh"].startswith(("上海漕", "天津西青")), park["id"]
    names = {p["name_zh"] for p in load(ROOT / "data" / "zones.yaml")["parks"]}
    assert renamed <= names


def test_designations_never_hold_more_members_than_their_lists_have(packs: dict[str, Any]) -> None:
    lists = {d["id"]: d for d in packs["national_designations.yaml"]["designations"]}
    held: dict[tuple[str, str | None], int] = {}
    for pack in packs.values():
        for cl in pack.get("clusters") or []:
            for d in cl.get("designations", []):
                assert d["batch"] in {b["batch"] for b in lists[d["list"]]["batches"]}, cl["id"]
                for key in ((d["list"], None), (d["list"], d["batch"])):
                    held[key] = held.get(key, 0) + 1
    for ident, listed in lists.items():
        if listed["members"] is not None:
            assert held.get((ident, None), 0) <= listed["members"]
        for b in listed["batches"]:
            assert held.get((ident, b["batch"]), 0) <= (b["members"] or 0), (ident, b["batch"])
    info = {d["id"]: d for d in cli("info", "--json").json()["designations"]}
    amc = info["national-advanced-manufacturing"]
    assert (amc["members"], amc["complete"]) == (80, False) and amc["text"] == f"{amc['held']} of 80 named"
    assert amc["held"] == held[("national-advanced-manufacturing", None)] >= 75
    assert [(b["batch"], b["held"]) for b in amc["batches"]] == [("2022", 44), ("2024", 31)]
    assert [(b["batch"], b["members"]) for b in amc["batches"]] == [("2022", 45), ("2024", 35)]
    assert info["miit-sme-characteristic"]["members"] is None  # no source states the current total
    # each batch's size is stated (100), so the list's words say so rather than "no total" beside "31 of 100"
    assert "the sources state each batch's size, not the list's" in info["miit-sme-characteristic"]["text"]


def test_no_cluster_is_described_twice_under_two_ids(packs: dict[str, Any]) -> None:
    seen: dict[str, str] = {}
    for name, pack in packs.items():
        for cl in pack.get("clusters") or []:
            if cl.get("same_as"):
                continue  # folded into the entry it names
            for key in (cl["name"].lower(), cl.get("name_zh")):
                if key:
                    assert key not in seen, f"{cl['id']} in {name} repeats {seen[key]}"
                    seen[key] = f"{cl['id']} in {name}"


def test_at_least_forty_clusters_beyond_the_article_twenty_of_them_towns(packs: dict[str, Any]) -> None:
    towns = [c for c in packs["specialised_towns.yaml"]["clusters"] if not c.get("same_as")]
    designated = [c for c in packs["national_designations.yaml"]["clusters"] if not c.get("same_as")]
    assert len(towns) >= 20 and len(towns) + len(designated) >= 40
    divisions = {c["id"]: c for c in load(ROOT / "data" / "divisions.yaml")["cities"]}
    for cl in towns:  # each in a county-level place (or a prefecture without counties) of the reference pack
        assert cl["cities"] and all(c in divisions for c in cl["cities"]), cl["id"]


def test_sector_toys_answers_from_the_towns_pack_with_its_sources() -> None:
    doc = cli("sector", "toys", "--json").json()
    ids = {c["id"] for c in doc["clusters"]}
    assert {"chenghai-toys", "yunhe-wooden-toys"} <= ids
    chenghai = next(c for c in doc["clusters"] if c["id"] == "chenghai-toys")
    assert chenghai["provenance"]["source"]["kind"] == "news" and chenghai["provenance"]["locator"]["where"]
    assert chenghai["cities"] == [{"id": "chenghai", "name": "Chenghai"}]
    table = cli("sector", "toys").stdout
    assert "Chenghai toys" in table and "Source: Xinhua 2021" in " ".join(table.split())


def test_every_figure_of_every_pack_can_be_cited(kb: Any) -> None:
    from clusters_cli.views.cite import cite_view

    for st in kb.all("statistic"):
        doc = cite_view(kb, st["id"])
        assert doc["plain"] and doc["bibtex"].startswith("@misc{") and doc["csl_json"][0]["title"], st["id"]
    datang = cli("cite", "datang-socks-share-of-chinas-sock-production-datang-2017").stdout
    assert datang.startswith(
        'Xinhua, "Datang sock town explores new development model", share of China\'s sock production (Datang), '
        "Zhuji: "
        "about 70% (2017, the year of publication). Where: lead sentence. Published 2017-11-23."
    )
    r = cli("cite", "sock production share Datang")  # no figure by that name: suggestions, never a traceback
    assert r.exit_code == 1 and "share of China's sock production (Datang)" in r.stderr


def test_the_readme_table_of_designations_matches_the_data() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for d in cli("info", "--json").json()["designations"]:
        row = next(line for line in readme.splitlines() if f"(`{d['id']}`)" in line)
        assert row.rstrip(" |").split("|")[-1].strip().startswith(str(d["held"])), d["id"]


def test_citations_name_the_outlet_not_our_research_remarks() -> None:
    for pack in SOURCE_PACKS:
        for s in load(pack)["sources"]:
            assert not any(w in s["publisher"].lower() for w in ("mirror", "spam", "unrelated")), s["id"]
    bib = cli("cite", "datang-socks-annual-value-of-datangs-sock-output-2022", "--format", "bibtex").stdout
    assert "howpublished = {China Daily (by Ma Zhenhuan and Qi Xiao)}" in bib
    assert cli("cite", "anhui-pv-revenue-2021", "--format", "json").json()["kind"] == "cite"
    r = cli("near", "Xinji")
    assert r.exit_code == 1 and "Xinji has no coordinates in the reference table" in r.stderr


def test_clusters_lie_where_their_sources_place_them_not_narrower() -> None:
    # the data audit's findings: a cluster named for a wider area is placed in all of it
    from helpers import cli

    def provinces(ident: str) -> set[str]:
        return {p["id"] for p in cli("cluster", ident, "--json").json()["cluster"]["provinces"]}

    assert provinces("yu-e-ning-modern-coal-chemical") == {"shaanxi", "inner-mongolia", "ningxia"}
    assert provinces("yangtze-river-delta-incl-jiangxi-large-aircraft") == {
        "shanghai", "jiangsu", "zhejiang", "anhui", "jiangxi",
    }  # fmt: skip
    bay = cli("cluster", "hangzhou-bay-modern-textiles-and-apparel", "--json").json()["cluster"]
    assert bay["cities"] == [] and [p["id"] for p in bay["provinces"]] == ["zhejiang"]


def test_where_sources_disagree_both_figures_are_kept_and_said() -> None:
    from helpers import cli

    rows = {r["id"]: r for r in cli("list", "statistics", "--province", "Henan", "--json").json()["rows"]}
    henan = [r for r in rows.values() if r["metric"] == "national SME characteristic industrial clusters"]
    assert sorted(r["value"] for r in henan) == [7, 9]
    figures = cli("province", "Henan", "--json").json()["statistics"]
    notes = [f["note"] for f in figures if f["metric"] == "national SME characteristic industrial clusters"]
    assert len(notes) == 2 and all("disagree" in n for n in notes)
    # a copy on another host is secondary, its original outlet named
    sources = {s["id"]: s for s in cli("list", "sources", "--json", "--limit", "2000").json()["rows"]}
    assert sources["miit2024-henan"]["kind"] == sources["zmdtvw-henan-2024"]["kind"] == "secondary"


def test_xingchengs_40_percent_is_a_share_of_its_own_sales_not_of_the_market() -> None:
    from helpers import cli

    figure = next(
        f
        for f in cli("city", "Xingcheng", "--json").json()["statistics"]
        if f["id"].endswith("domestic-share-of-its-sales-2025")
    )
    assert figure["value"] == 40 and "sales" in figure["metric"] and "market" not in figure["metric"]
    assert "Not a market share" in figure["note"]


def test_copies_on_unrelated_hosts_are_secondary_and_name_the_outlet(packs: dict[str, Any]) -> None:
    """The data audit's copies typed as news (a China Daily item on syxj.com.cn, a Xinhua item on 4vs4.cn):
    each is secondary, and its note names where it was read and the original outlet."""
    copies = {
        "xh2024-qiaotou": "www.4vs4.cn",
        "cd2022-xitang": "www.syxj.com.cn",
        "miit2024-cns": "119.23.250.19",
        "hitech-rmrb2023": "huanjingyujingji.com",
        "cd2011-xintang": "texindex.com",
    }
    sources = {s["id"]: s for name, pack in packs.items() for s in pack.get("sources") or [] if name != "clusters.yaml"}
    for ident, host in copies.items():
        s = sources[ident]
        assert s["kind"] == "secondary" and f"copy on {host}" in s["note"] and "original outlet" in s["note"], ident
    # an item typed as news stands on its outlet's host, or a host the publisher field names as the carrier
    for s in sources.values():
        if s["kind"] == "news" and s.get("address") and "copy" in (s.get("note") or ""):
            pytest.fail(f"{s['id']} is noted as a copy but typed as news")
    # beyond the article's own sources (cited through it), three items were read without an address, and say so
    addressless = sorted(i for i, s in sources.items() if not s.get("address"))
    assert all("no address" in sources[i]["note"] for i in addressless)
    assert addressless == [
        "henan-daily-2024",
        "people-hebei-2024",
        "xinjiang-noturl",
    ]


def test_the_town_figures_the_audit_questioned_are_read_as_their_pages_state() -> None:
    """Yunhe's 'over 8 billion' (undated, a 2026 page) and China Daily's 6.69 billion (2023) are both held and
    each says so; Luoshe's one seventh is noted as the page's fraction; the Suning figures cite the sentence."""
    figures = {f["id"]: f for f in cli("cluster", "yunhe-wooden-toys", "--json").json()["statistics"]}
    eight = figures["yunhe-wooden-toys-annual-output-value-of-the-cluster-2026"]
    stated = figures["yunhe-wooden-toys-output-value-of-wooden-toys-2023"]
    assert (eight["value"], eight["qualifier"], eight["year_basis"]) == (8, "over", "publication")
    assert (stated["value"], stated["year"], stated["year_basis"]) == (6.69, 2023, "stated")
    assert "6.69" in eight["note"] and "8 billion" in stated["note"]
    luoshe = {f["id"]: f for f in cli("cluster", "luoshe-pianos", "--json").json()["statistics"]}
    assert "one seventh" in luoshe["luoshe-pianos-share-of-national-piano-output-luoshe-2023"]["note"]


def test_divisions_holding_clusters_have_a_point_for_near() -> None:
    """余江区 (a county until 2018) has its predecessor's seat; 光明区 (made in 2018) is measured from Shenzhen's."""
    yujiang = cli("city", "余江区", "--json").json()["city"]
    assert yujiang["lat"] is not None and yujiang["lon"] is not None
    rows = cli("near", "Shenzhen", "--km", "1", "--kind", "cluster", "--json", "--limit", "500").json()["rows"]
    guangming = [r for r in rows if r["where"] == "Guangming"]
    assert guangming and all(r["measured_from"] == "Shenzhen" for r in guangming)


def test_the_readme_counts_the_towns_facts_read_only_in_a_repost(packs: dict[str, Any]) -> None:
    """What README.md says of the towns pack's secondary pages (figures and towns read only in a repost on
    another host) is what the pack holds."""
    towns = packs["specialised_towns.yaml"]
    kind = {s["id"]: s["kind"] for s in towns["sources"]}
    figures = towns["statistics"]
    reposted = [s for s in figures if kind.get(s["locator"]["source"]) == "secondary"]
    only = [
        c["id"]
        for c in towns["clusters"]
        if all(kind.get(loc["source"]) == "secondary" for loc in [c["locator"], *c.get("also_in", [])])
    ]
    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
    said = (
        f"(in the towns pack, {len(reposted)} of the {len(figures)} figures, and {words[len(only)]} towns whose every "
        "page is a repost"
    )
    assert said in " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())  # however the lines wrap


def test_a_copys_note_names_its_original_outlet_not_the_copy() -> None:
    """Notes read "the original outlet is Wikipedia (kiwix mirror)", "... is company filing (on 中财网)" and "... is
    unknown original outlet": the publisher field pasted in. The outlet a note names is the original alone, and
    one the page does not name is said to be not named."""
    import re

    pasted = []
    for path in sorted(DATA.glob("*.yaml")):  # every pack with sources: the companies', zones' and regions' too
        for s in load(path).get("sources") or []:
            found = re.search(r"the original outlet is (.*?)\.?$", " ".join((s.get("note") or "").split()))
            if found and re.search(r"mirror|\(repost|repost\)|unknown|\(on |^company ", found[1]):
                pasted.append((path.name, s["id"], found[1]))
    assert pasted == []


def test_every_shipped_pack_states_its_source_and_licence_where_info_shows_them() -> None:
    """`info` showed no source and no licence for six of the seven packs (the article's included), and the
    exports' `packs` copy it: a publisher could not tell what the data rests on or may be used under."""
    info = cli("info", "--json").json()
    assert len(info["packs"]) == 7
    for p in info["packs"]:
        assert p["source"]["title"] and p["source"]["publisher"], p["file"]
        assert p["licence"], p["file"]
    article = next(p for p in info["packs"] if p["file"].endswith("clusters.yaml"))
    assert article["source"]["publisher"] == "China Briefing (Dezan Shira & Associates)"
    assert article["licence"].startswith("MIT")


def test_no_locator_names_another_source_by_its_id(packs: dict[str, Any]) -> None:
    """Where an entry's fact stands is said in words a reader follows; a page that states it too is another
    citation (`also_in`). Locators read "same figure in peoplesdaily-2022-b (second paragraph)", an id of ours
    that `cite` printed in a bibliography."""
    import re

    ids = {s["id"] for pack in packs.values() for s in pack.get("sources", [])}
    named = re.compile(r"(?<![\w-])(" + "|".join(sorted(map(re.escape, ids), key=len, reverse=True)) + r")(?![\w-])")

    def wheres(value: Any) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if isinstance(value, dict):
            if isinstance(value.get("where"), str):
                found.append((str(value.get("source", "")), value["where"]))
            for item in value.values():
                found += wheres(item)
        elif isinstance(value, list):
            for item in value:
                found += wheres(item)
        return found

    for file, pack in packs.items():
        for section, entries in pack.items():
            for entry in entries if isinstance(entries, list) else []:
                for own, where in wheres(entry):
                    others = [i for i in named.findall(where) if i != own]
                    assert not others, (file, section, entry.get("id"), others, where)


def test_no_figure_s_locator_points_at_another_locator(packs: dict[str, Any]) -> None:
    """`cite` prints a figure's locator alone: "Where: same paragraph" (the paragraph of a figure or a cluster
    before it in the pack) named no paragraph a reader could find. A figure's locator says which paragraph."""
    import re

    # a locator opening with a place it does not name, or whose part after a semicolon does so
    relative = re.compile(
        r"(?:^|;\s*)(?:the )?(?:same|following|next|previous) (?:paragraph|sentence)\b|\bas above\b", re.I
    )
    for file, pack in packs.items():
        for figure in pack.get("statistics") or []:
            where = str((figure.get("locator") or {}).get("where", ""))
            assert not relative.search(where), (file, figure["id"], where)


def test_a_page_read_on_another_host_is_recorded_as_a_copy(packs: dict[str, Any]) -> None:
    """A source whose publisher says it was read via or reposted by another host is of kind `secondary`, so every
    citation of it says it was read as a copy and where (26 such, 17 figures among what they back, were recorded
    as the original's news or government page: the audit of designations, parks, cite and stats)."""
    wrong = [
        s["id"]
        for pack in packs.values()
        for s in pack.get("sources") or []
        if re.search(r"\bvia\b|\brepost", str(s.get("publisher", "")), re.IGNORECASE) and s.get("kind") != "secondary"
    ]
    assert wrong == []
