"""Answers you can trust, on the fixture packs: every cluster under every sector it covers, by one rule in every
command; no silent swaps; every claim traceable to where its source states it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import PACKS, PAGES, changed_packs, cli, data_args, write

ALLOWED_TYPOS = [
    ("province", "Guangdnog", "guangdong"),
    ("province", "Zhejaing", "zhejiang"),
    ("city", "Nantnog", "nantong"),
    ("sector", "semiconducters", "semiconductors"),
    ("region", "Yangtze Rivr Delta", "yrd"),
]


@pytest.mark.parametrize(("kind", "query", "expected"), ALLOWED_TYPOS)
def test_a_typing_slip_is_announced_in_table_and_json(kind: str, query: str, expected: str) -> None:
    doc = cli(kind, query, "--json").json()
    assert doc["resolved"]["id"] == expected and doc["resolved"]["matched_by"] == "slip"
    assert doc["resolved"]["score"] < 100
    said = f"Showing {doc['resolved']['name']} for '{query}' (read as a typing slip: {doc['resolved']['slip']})"
    table = " ".join(cli(kind, query).stdout.split())  # the announcement may wrap at 80 columns
    assert table.startswith(" ".join(said.split()))


@pytest.mark.parametrize(
    ("query", "expected"),
    [("芯片", "semiconductors"), ("新能源汽车", "nev"), ("Fēngdiàn", "wind"), ("guangfu", "photovoltaics")],
)
def test_sectors_in_chinese_and_pinyin(query: str, expected: str) -> None:
    assert cli("sector", query, "--json").json()["sector"]["id"] == expected


def test_search_matches_words_across_fields() -> None:
    hits = cli("search", "semiconductors Hefei", "--json").json()["hits"]
    assert [(h["id"], h["why"]) for h in hits] == [("yrd-ic", "sector: Semiconductors; place: Hefei")]
    ev = cli("search", "EV Guangdong", "--json").json()["hits"]
    assert [h["id"] for h in ev] == ["guangzhou-autos"]


def test_a_locator_outside_the_source_fails_validate(tmp_path: Path) -> None:
    paths = changed_packs(
        tmp_path, 'locator: {section: "Vehicles", paragraph: 2}', 'locator: {section: "Vehicles", paragraph: 9}'
    )
    r = cli("validate", *paths)
    assert r.exit_code == 3
    assert "clusters[1] (id: yrd-nev).locator: 'Vehicles' has 2 paragraphs, not 9" in r.stderr
    paths = changed_packs(
        tmp_path, 'locator: {section: "Vehicles", paragraph: 2}', 'locator: {section: "Trains", paragraph: 1}'
    )
    r = cli("validate", *paths)
    assert r.exit_code == 3
    assert "(id: yrd-nev).locator: section 'Trains' is not a section of the source 'fixture-article'" in r.stderr
    paths = changed_packs(tmp_path, "sectors: [nev]", "sectors: [hovercraft]")
    r = cli("validate", *paths)
    assert r.exit_code == 3 and "clusters[9] (id: guangzhou-autos).sectors: unknown sector 'hovercraft'" in r.stderr


def test_views_show_where_a_claim_stands() -> None:
    doc = cli("cluster", "yrd-nev", "--json").json()
    assert doc["cluster"]["provenance"]["locator"] == {"section": "Vehicles", "paragraph": 2}
    assert "Source: Fixture article (2024) (article) · Vehicles ¶2" in " ".join(cli("region", "YRD").stdout.split())
    assert "Fixture article (2024) (article) · Vehicles ¶2" in cli("cluster", "yrd-nev").stdout
    # a copy on another host is said to be one on the source's own line, as on every other (it was not)
    doc = cli("cite", "nanshan-chip-exports-2023", "--json").json()
    assert doc["provenance"]["text"] == "Fixture trade page (secondary) · third paragraph"


def test_a_source_that_names_no_publisher_is_cited_without_one(tmp_path: Path) -> None:
    mine = write(
        tmp_path,
        "meta: {title: Mine, primary_source: mine-notes}\n"
        "sources:\n  - {id: mine-notes, short_name: N, name: My notes, kind: secondary,"
        " sections: [{heading: Only, paragraphs: 3}]}\n"
        "statistics:\n  - {id: mine-figure, metric: testing firms, value: 40, unit: enterprises,"
        " qualifier: exact, year: 2024, year_basis: stated, status: actual, province: anhui, source: mine-notes,"
        " locator: {section: Only, paragraph: 2}}\n",
        "mine.yaml",
    )
    doc = cli(*data_args([*PACKS, mine]), "cite", "mine-figure", "--format", "json").json()
    # (its kind is secondary: a copy, though its entry records no host)
    assert doc["plain"] == (
        '"My notes", testing firms, Anhui: 40 enterprises (2024). Section "Only", paragraph 2. Read as a copy.'
    )
    assert doc["plain_zh"].startswith("《My notes》，testing firms，安徽省：")
    assert doc["plain_zh"].endswith("。“Only”一节第2段。（转载）")
    assert doc["gbt7714"] == "[1] My notes[Z]. (转载)"  # no address: no electronic resource it was not shown


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("(title not shown; item on the Nantong cluster)", "[item on the Nantong cluster]"),
        ("(title not in excerpt) 格隆汇 item on the plan", "[格隆汇 item on the plan]"),
        ("(title not shown)", "[untitled]"),
        ("(English article on the Yangtze River Delta region)", "[English article on the Yangtze River Delta region]"),
        (
            "(常州金坛) 中创新航上半年装车量排名",
            "(常州金坛) 中创新航上半年装车量排名",
        ),  # a title that opens with brackets
        ("Xinhua (English)", "Xinhua (English)"),
    ],
)
def test_a_page_whose_title_was_not_recorded_is_cited_by_a_supplied_title(
    tmp_path: Path, name: str, title: str
) -> None:
    """A pack describes a page whose title it did not see in round brackets; a citation printed that note as
    the page's title (`title = {(title not shown)}`). It gives the description in square brackets instead, the
    mark of a title supplied by the one citing, in every format."""
    from clusters_cli.views.cite import title_of

    assert title_of({"name": name}) == title
    quoted = name.replace("'", "''")
    mine = write(
        tmp_path,
        "meta: {title: Mine}\n"
        f"sources:\n  - {{id: mine-page, short_name: P, name: '{quoted}', kind: news, publisher: A daily}}\n"
        "statistics:\n  - {id: mine-figure, metric: testing firms, value: 40, unit: enterprises,"
        " qualifier: exact, year: 2024, year_basis: stated, status: actual, province: anhui, source: mine-page,"
        " locator: {source: mine-page, where: lead paragraph}}\n",
        "mine.yaml",
    )
    doc = cli(*data_args([*PACKS, mine]), "cite", "mine-figure", "--format", "json").json()
    # a title we supplied stands in its square brackets alone, never quoted as the page's
    shown = title if title.startswith("[") else f'"{title}"'
    assert doc["plain"].startswith(f"A daily, {shown}, testing firms")
    assert doc["gbt7714"] == f"[1] A daily. {title}[N]."  # the publisher as the responsible party
    assert doc["csl_json"][0]["title"] == title and doc["csl_json"][0]["publisher"] == "A daily"
    assert "title = {{" + title + "}}" in doc["bibtex"] and "howpublished = {A daily}" in doc["bibtex"]


@pytest.mark.parametrize("stop", [".", "。"])
def test_a_locator_that_ends_with_a_full_stop_ends_its_sentence_once(tmp_path: Path, stop: str) -> None:
    """A page's locator written as a sentence ("Lead paragraph.") was followed by the citation's own stop
    (".." in English, ".。" in Chinese, ".; read as a copy" in BibTeX and CSL-JSON)."""
    mine = write(
        tmp_path,
        "meta: {title: Mine}\n"
        "sources:\n  - {id: mine-page, short_name: P, name: My page, kind: news, publisher: A daily}\n"
        "statistics:\n  - {id: mine-figure, metric: testing firms, value: 40, unit: enterprises,"
        " qualifier: exact, year: 2024, year_basis: stated, status: actual, province: anhui, source: mine-page,"
        f" locator: {{source: mine-page, where: 'Lead paragraph{stop}'}}}}\n",
        "mine.yaml",
    )
    doc = cli(*data_args([*PACKS, mine]), "cite", "mine-figure", "--format", "json").json()
    assert doc["plain"] == 'A daily, "My page", testing firms, Anhui: 40 enterprises (2024). Where: Lead paragraph.'
    assert doc["plain_zh"] == "A daily，《My page》，testing firms，安徽省：40家（2024年）。位置：Lead paragraph。"
    assert doc["csl_json"][0]["note"] == "testing firms, Anhui: 40 enterprises (2024); where: Lead paragraph"


def test_cite_refuses_json_beside_another_format_as_every_command_does() -> None:
    """`cite X --format bibtex --json` printed JSON and ignored the BibTeX asked for."""
    both = cli("cite", "anhui-pv-revenue-2012", "--format", "bibtex", "--json")
    assert (both.exit_code, both.stdout, both.stderr) == (
        2,
        "",
        "clusters: error: --json and --format cannot both be given\n",
    )
    assert (
        cli("cite", "anhui-pv-revenue-2012", "--format", "json").stdout
        == cli("cite", "anhui-pv-revenue-2012", "--json").stdout
    )
    plain = cli("cite", "anhui-pv-revenue-2012").stdout  # plain, by default
    assert plain.startswith("Fixture Government, Fixture Ministry of Industry, ")
    empty = cli("cite", "anhui-pv-revenue-2012", "--format", "")  # no format is not the default one
    assert (empty.exit_code, empty.stdout) == (2, "") and "--format '' is not one of: plain" in empty.stderr
    both_json = cli("cite", "anhui-pv-revenue-2012", "--json", "--format", "json")  # one answer twice: as list takes it
    assert (both_json.exit_code, both_json.stdout) == (0, cli("cite", "anhui-pv-revenue-2012", "--json").stdout)


def test_cite_in_three_formats() -> None:  # (BibTeX's $ escaped: unescaped it opened math mode)
    plain = cli("cite", "anhui-pv-revenue-2021").stdout
    assert plain == (
        "Fixture Government, Fixture Ministry of Industry, photovoltaic revenue, Anhui: RMB 700 billion "
        "(US$100 billion) (2021). Reported in: "
        'Fixture Press, "Fixture article on industry clusters", section "Energy", paragraph 1.\n'
    )
    bib = cli("cite", "anhui-pv-revenue-2021", "--format", "bibtex").stdout
    assert bib.splitlines() == [
        "@misc{anhui-pv-revenue-2021,",
        "  title = {{Fixture Ministry of Industry}},",
        "  howpublished = {Fixture Government},",
        "  note = {photovoltaic revenue, Anhui: RMB 700 billion (US\\$100 billion) (2021); reported in Fixture "
        'article on industry clusters, section "Energy", paragraph 1}',
        "}",
        "",
        "@misc{anhui-pv-revenue-2021-reported-in,",
        "  title = {{Fixture article on industry clusters}},",
        "  howpublished = {Fixture Press}",
        "}",
    ]
    csl = json.loads(cli("cite", "anhui-pv-revenue-2021", "--format", "csl-json").stdout)
    assert [i["id"] for i in csl] == ["anhui-pv-revenue-2021", "anhui-pv-revenue-2021-reported-in"]
    assert "URL" not in csl[1] and "issued" not in csl[1]  # the fixture article states neither
    page = json.loads(cli("cite", "kunshan-socks-output-2017", "--format", "csl-json").stdout)
    assert page == [
        {
            "id": "kunshan-socks-output-2017",
            "type": "webpage",
            "title": "Fixture page on industrial towns",
            "publisher": "Fixture Provincial Office",
            "URL": "https://example.invalid/fixture/towns",
            "note": "pairs of socks made, Lujia socks: nearly 500 pairs (2017); where: lead sentence",
        }
    ]
    # a page the pack dates and addresses is cited with both, after the figure
    assert cli("cite", "kunshan-socks-output-2017").stdout.endswith(
        ", pairs of socks made, Lujia socks: nearly 500 pairs (2017). Where: lead sentence. https://example.invalid/fixture/towns.\n"
    )
    assert cli("cite", "nonsense-figure").exit_code == 1
    assert cli("cite", "fixture-cluster-count", "--format", "mla").exit_code == 2


def test_completion_offers_chinese_names() -> None:
    import os
    import subprocess
    import sys

    from helpers import ROOT

    env = {**os.environ, "_CLUSTERS_COMPLETE": "complete_bash", "COMP_WORDS": "clusters sector 芯", "COMP_CWORD": "2"}
    out = subprocess.run(
        [sys.executable, "-m", "clusters_cli"], capture_output=True, env=env, cwd=str(ROOT), timeout=60
    )
    assert out.stdout.decode().split() == ["芯片"]


def test_stats_of_a_sector_follow_the_same_rule() -> None:
    groups = cli("stats", "--sector", "home textiles", "--json").json()["groups"]
    assert [b["id"] for g in groups for b in g["bars"]] == ["nantong-home-textiles-share"]
    listed = cli("list", "statistics", "--sector", "home textiles", "--json").json()["rows"]
    assert [r["id"] for r in listed] == ["nantong-home-textiles-share"]


def expected_clusters(sector: str) -> set[str]:
    """The clusters tagged with a sector or one of its sub-sectors, read from the fixture files (not through
    the knowledge base's rule); entries folded into another (same_as) left out."""
    import yaml

    packs = [yaml.load(Path(p).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in PACKS]
    sectors = [s for p in packs for s in p.get("sectors", [])]
    family = {sector}
    while True:
        more = family | {s["id"] for s in sectors if s.get("parent") in family}
        if more == family:
            break
        family = more
    clusters = [c for p in packs for c in p.get("clusters", []) if not c.get("same_as")]
    return {c["id"] for c in clusters if family & {c["sector"], *c.get("sectors", [])}}


@pytest.mark.parametrize("sector", ["electronics", "semiconductors", "new-energy", "wind", "textiles", "automobiles"])
def test_sector_list_map_compare_and_stats_use_the_same_rule(kb: Any, sector: str) -> None:
    expected = expected_clusters(sector)
    assert expected  # every sector asked here has clusters, so the comparison means something
    assert {c["id"] for c in cli("sector", sector, "--json").json()["clusters"]} == expected
    listed = {r["id"] for r in cli("list", "clusters", "--sector", sector, "--json").json()["rows"]}
    assert listed == expected
    tiles = cli("map", sector, "--json").json()["tiles"]
    placed = {c for c in expected if kb.cluster_provinces(c)}  # a region-only cluster is on no tile
    assert {c for t in tiles for c in t["cluster_ids"]} == placed
    compared = cli("compare", "--sector", sector, "--sector", "socks", "--json").json()["items"][0]
    assert {c["id"] for c in compared["clusters"]} == expected


def test_a_citation_says_a_forecast_and_a_copy_and_escapes_every_latex_character(tmp_path: Path) -> None:
    """A forecast was cited as the year's figure; a page read as a copy was cited as the outlet's own; BibTeX
    left & $ # _ ~ ^ as LaTeX reads them (an & or a $ stopped the document compiling)."""
    assert cli("cite", "jiangsu-textiles-revenue-2025").stdout.endswith(
        ', textile revenue, Jiangsu: up to RMB 1.4 trillion (2025, forecast). Section "Textiles", paragraph 1.\n'
    )
    copy = cli("cite", "nanshan-chip-exports-2023")
    assert copy.stdout.endswith("(2023). Where: third paragraph. Read as a copy.\n")
    assert json.loads(cli("cite", "nanshan-chip-exports-2023", "-f", "csl-json").stdout)[0]["note"].endswith(
        "; read as a copy"
    )
    from clusters_cli.views.cite import latex_text

    assert latex_text(r"A & B $5 #1 a_b ~x ^y {z} 100% \end") == (
        r"A \& B \$5 \#1 a\_b \textasciitilde{}x \textasciicircum{}y \textbraceleft{}z\textbraceright{} 100\% "
        r"\textbackslash{}end"
    )
    # BibTeX counts braces whatever precedes them: a lone brace of a pack's text, escaped as \}, left the entry
    # unbalanced (pybtex: "'}' expected"); every escape's braces balance, whatever the text
    for text in ("Title 50% done } #1", "metric 50% {", "}{", "\\}"):
        escaped = latex_text(text)
        assert escaped.count("{") == escaped.count("}"), text


def test_a_source_dated_in_words_is_cited_as_dated_never_a_traceback(tmp_path: Path) -> None:
    """`published: June 2024` passes the schema (free text); CSL-JSON read it as numbers and crashed."""
    town_page = '    kind: government\n    address: "https://example.invalid/fixture/towns"\n'
    dated = town_page.replace("    address", '    published: "June 2022"\n    address')
    paths = changed_packs(tmp_path, town_page, dated, PAGES)
    for fmt in ("plain", "csl-json", "bibtex", "gbt7714"):
        r = cli(*data_args(paths), "cite", "kunshan-socks-output-2017", "--format", fmt)
        assert r.exit_code == 0 and "Traceback" not in r.stderr, fmt
    csl = json.loads(cli(*data_args(paths), "cite", "kunshan-socks-output-2017", "-f", "csl-json").stdout)
    assert csl[0]["issued"] == {"raw": "June 2022"}
    assert "Published June 2022." in cli(*data_args(paths), "cite", "kunshan-socks-output-2017").stdout


def test_rank_names_the_place_or_cluster_a_figure_is_about_where_it_is_not_the_row_s() -> None:
    """A province's row held its cities' figures as its own (Lianjiang's firms on Guangdong's row), and a
    cluster's figure was labelled China; the row names whose figure it is, and a forecast says so."""
    rows = {r["id"]: r["figures"] for r in cli("rank", "provinces", "--sector", "textiles", "--json").json()["rows"]}
    assert rows["jiangsu"] == [
        "Nantong: share of national home textiles: about 30% (2021)",
        "textile revenue: up to RMB 1.4 trillion (2025, forecast)",
        "Lujia socks: pairs of socks made: nearly 500 pairs (2017)",
    ]
    scope = {r["id"]: r["scope"] for r in cli("list", "statistics", "--json").json()["rows"]}
    assert scope["kunshan-socks-output-2017"] == "Lujia socks"


def test_compare_lists_each_place_s_and_sector_s_firms_as_their_views_do(tmp_path: Path) -> None:
    """compare gave a place only its clusters' firms (none for most places), and a sector only the firms of
    that main sector; each column now lists what the place's or the sector's own view lists (here a firm of
    one's own headquartered in Hefei, in no cluster, whose second sector is semiconductors)."""
    mine = write(
        tmp_path,
        "meta: {title: Mine}\n"
        "sources:\n  - {id: mine-page, short_name: M, name: My page, kind: report}\n"
        "companies:\n  - {id: mine-firm, name: Hefei Parts, sector: nev, sectors: [semiconductors],"
        " headquarters: hefei, locator: {source: mine-page, where: top}}\n",
        "mine.yaml",
    )
    args = data_args([*PACKS, mine])
    firms = {
        i["id"]: [c["id"] for c in i["companies"]]
        for i in cli(*args, "compare", "Anhui", "Jiangsu", "--json").json()["items"]
    }
    assert "mine-firm" in firms["anhui"]
    by_sector = cli(*args, "compare", "--sector", "semiconductors", "--sector", "nev", "--json").json()["items"]
    assert all("mine-firm" in [c["id"] for c in item["companies"]] for item in by_sector)
    # the GeoJSON's firms carry their main sector too (a GIS filter on it missed them)
    assert cli(*args, "export", "-o", str(tmp_path / "kb.geojson"), "--layer", "companies").exit_code == 0
    features = json.loads((tmp_path / "kb.geojson").read_text(encoding="utf-8"))["features"]
    firm = next(f for f in features if f["id"] == "company/mine-firm")
    assert firm["properties"]["sectors"] == ["nev", "semiconductors"]
    for places in (["Anhui", "Guangdong"], ["Suzhou", "YRD"]):
        items = cli("compare", *places, "--json").json()["items"]
        for item in items:
            view = cli(item["kind"], item["id"], "--json").json()
            assert sorted(c["id"] for c in item["companies"]) == sorted(c["id"] for c in view["companies"]), item["id"]
    items = cli("compare", "--sector", "semiconductors", "--sector", "nev", "--json").json()["items"]
    for item in items:
        view = cli("sector", item["id"], "--json").json()
        assert sorted(c["id"] for c in item["companies"]) == sorted(c["id"] for c in view["companies"]), item["id"]
    assert any(item["companies"] for item in items)


def test_a_count_with_a_scale_is_shown_with_it(tmp_path: Path) -> None:
    """1.2 million people read '1.2 people' in English (the Chinese view gave 120万人)."""
    mine = write(
        tmp_path,
        "meta: {title: Mine}\n"
        "sources:\n  - {id: mine-page, short_name: M, name: My page, kind: report}\n"
        "statistics:\n  - {id: mine-workers, metric: workers, value: 1.2, scale: million, unit: people,"
        " qualifier: exact, year: 2022, year_basis: stated, status: actual, province: anhui, source: mine-page,"
        " locator: {source: mine-page, where: table 1}}\n",
        "mine.yaml",
    )
    rows = cli(*data_args([*PACKS, mine]), "list", "statistics", "--json").json()["rows"]
    assert next(r["display"] for r in rows if r["id"] == "mine-workers") == "1.2 million people"


def test_a_cluster_placed_in_several_provinces_by_name_says_so_on_its_line() -> None:
    """Anhui's panel listed `Yangtze River Delta electronics · Shanghai`, a cluster it counts because the source
    names Anhui among its provinces, with nothing on the line saying why it is Anhui's. A cluster the source
    places in several provinces by name names them after its places; one placed by its places alone does not."""
    shown = " ".join(cli("province", "Jiangsu").stdout.split())
    assert (
        "Yangtze River Delta integrated circuits · Suzhou Industrial Park; provinces: Anhui, Jiangsu, Shanghai" in shown
    )
    hefei = " ".join(cli("city", "Hefei").stdout.split())
    assert "Anhui photovoltaics · Hefei " in hefei and "Anhui photovoltaics · Hefei;" not in hefei


def test_cite_says_how_it_read_the_id_and_names_the_format_meant() -> None:
    """The audit of the citations: a mistyped id was cited silently as another (no notice, no `resolved`), a
    misspelt format named no format and left out json, a quoted title's own quotes were doubled, the original's
    publisher was dropped from the plain sentence of a figure reported elsewhere, and GB/T 7714 lost the link
    between the original and the document reporting it."""
    slip = cli("cite", "anhui-pv-revenue-2012x", "--format", "bibtex")
    assert slip.exit_code == 0 and slip.stdout.startswith("@misc{anhui-pv-revenue-2012,")
    assert slip.stderr == (
        "Showing anhui-pv-revenue-2012 for 'anhui-pv-revenue-2012x' (read as a typing slip: a letter too many)\n"
    )
    doc = cli("cite", "anhui-pv-revenue-2012x", "--json").json()
    assert (doc["resolved"]["id"], doc["resolved"]["matched_by"]) == ("anhui-pv-revenue-2012", "slip")
    assert cli("cite", "anhui-pv-revenue-2012").stderr == ""
    wrong = cli("cite", "anhui-pv-revenue-2012", "--format", "bibtx")
    assert (wrong.exit_code, wrong.stderr) == (
        2,
        "clusters: error: --format 'bibtx' is not one of: plain, bibtex, csl-json, gbt7714, json; "
        "did you mean bibtex?\n",
    )
    gbt = cli("cite", "anhui-pv-revenue-2012", "--format", "gbt7714").stdout.splitlines()
    assert gbt[0].endswith(" 转引自[2].") and gbt[1].startswith("[2] Fixture Press.")
    from clusters_cli.views.cite import _quoted

    assert _quoted('China\'s "porcelain capital" grows', zh=False) == "\"China's 'porcelain capital' grows\""
    assert _quoted("“瓷都”的故事", zh=True) == "《“瓷都”的故事》"  # a title in 书名号, its quotes kept
    assert _quoted('《瓷都》 and "porcelain"', zh=True) == "《〈瓷都〉 and “porcelain”》"
    assert _quoted("[untitled]", zh=False) == "[untitled]"


def test_a_citation_names_its_originator_once_and_sets_quotes_inside_quotes_in_chinese(tmp_path: Path) -> None:
    """The review of the citations: "Chongqing Municipal Government, Chongqing Municipal Government, ..." where a
    source's name is its publisher, and a title's ASCII quotes left inside Chinese quotes."""
    mine = write(
        tmp_path,
        "meta: {title: Mine}\n"
        "sources:\n  - {id: mine-gov, short_name: G, name: Fixture City Government, kind: government,"
        " publisher: Fixture City Government}\n"
        "  - {id: mine-rep, short_name: R, name: 'A \"quoted\" report', kind: article, publisher: A press}\n"
        "statistics:\n  - {id: mine-figure, metric: testing firms, value: 40, unit: enterprises,"
        " qualifier: exact, year: 2024, year_basis: stated, status: actual, province: anhui, source: mine-gov,"
        " locator: {source: mine-rep, where: lead paragraph}}\n",
        "mine.yaml",
    )
    doc = cli(*data_args([*PACKS, mine]), "cite", "mine-figure", "--format", "json").json()
    assert doc["plain"].startswith(
        "Fixture City Government, testing firms, Anhui: 40 enterprises (2024). Reported in: A press, "
        "\"A 'quoted' report\""
    )
    assert "转引自：A press，《A “quoted” report》" in doc["plain_zh"]
    assert doc["gbt7714"].splitlines() == [
        "[1] Fixture City Government. Fixture City Government[Z]. 转引自[2].",  # no address, no type recorded
        '[2] A press. A "quoted" report[EB].',  # the article: read online, though its copy states no address
    ]
    assert [item["type"] for item in doc["csl_json"]] == ["document", "webpage"]  # as GB/T marks them
