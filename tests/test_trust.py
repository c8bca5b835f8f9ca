"""Answers you can trust: every cluster under every sector it covers, no silent swaps, every claim traceable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import cli, shipped_text, write

ALLOWED_TYPOS = [
    ("province", "Guangdnog", "guangdong"),
    ("province", "Sichaun", "sichuan"),
    ("city", "Yangjaing", "yangjiang"),
    ("sector", "semiconducters", "semiconductors"),
    ("region", "Yangtze Rivr Delta", "yrd"),
]


@pytest.mark.parametrize(("kind", "query", "expected"), ALLOWED_TYPOS)
def test_an_allowed_fuzzy_replacement_is_announced_in_table_and_json(kind: str, query: str, expected: str) -> None:
    doc = cli(kind, query, "--json").json()
    assert doc["resolved"]["id"] == expected and doc["resolved"]["matched_by"] == "fuzzy"
    assert doc["resolved"]["score"] < 100
    table = " ".join(cli(kind, query).stdout.split())  # the announcement may wrap at 80 columns
    assert table.startswith(f"Showing {doc['resolved']['name']}: the closest name to '{query}'")


@pytest.mark.parametrize(
    ("query", "expected"),
    [("芯片", "semiconductors"), ("新能源汽车", "nev"), ("Fēngdiàn", "wind"), ("guangfu", "photovoltaics")],
)
def test_sectors_in_chinese_and_pinyin(query: str, expected: str) -> None:
    assert cli("sector", query, "--json").json()["sector"]["id"] == expected


def test_search_matches_words_across_fields() -> None:
    hits = cli("search", "semiconductors Hefei", "--json").json()["hits"]
    assert hits[0]["id"] in {"anhui-ic", "yrd-ic"} and {"anhui-ic", "yrd-ic"} <= {h["id"] for h in hits}
    assert "place: Hefei" in hits[0]["why"]
    ev = cli("search", "EV Guangdong", "--json").json()["hits"]
    assert ev[0]["id"] == "gba-nev"


def test_a_locator_outside_the_source_fails_validate(tmp_path: Path) -> None:
    text = shipped_text().replace(
        'locator: {section: "Electric vehicles", paragraph: 2}',
        'locator: {section: "Electric vehicles", paragraph: 9}',
        1,
    )
    r = cli("--no-shipped", "validate", write(tmp_path, text))
    assert r.exit_code == 3 and "'Electric vehicles' has 3 paragraphs, not 9" in r.stderr
    text = shipped_text().replace("sectors: [nev]", "sectors: [hovercraft]", 1)
    r = cli("--no-shipped", "validate", write(tmp_path, text, "kb2.yaml"))
    assert r.exit_code == 3 and "unknown sector 'hovercraft'" in r.stderr


def test_cite_in_three_formats() -> None:
    plain = cli("cite", "guangdong-electronics-revenue-2022").stdout
    assert "Guangdong Department of Industry and Information Technology" in plain
    assert "Reported in: China Briefing (Dezan Shira & Associates)" in plain and "paragraph 2" in plain
    bib = cli("cite", "guangdong-electronics-revenue-2022", "--format", "bibtex").stdout
    assert bib.count("@misc{") == 2 and "reported in" in bib
    csl = json.loads(cli("cite", "guangdong-electronics-revenue-2022", "--format", "csl-json").stdout)
    assert [i["id"] for i in csl] == [
        "guangdong-electronics-revenue-2022",
        "guangdong-electronics-revenue-2022-reported-in",
    ]
    assert "URL" not in csl[1] and "issued" not in csl[1]  # our copy of the article states neither
    assert cli("cite", "nonsense-figure").exit_code == 1
    assert cli("cite", "china-cluster-count", "--format", "mla").exit_code == 2


def test_completion_offers_chinese_names() -> None:
    import os
    import subprocess
    import sys

    from helpers import ROOT

    env = {**os.environ, "_CLUSTERS_COMPLETE": "complete_bash", "COMP_WORDS": "clusters sector 芯", "COMP_CWORD": "2"}
    out = subprocess.run(
        [sys.executable, "-m", "clusters_cli"], capture_output=True, env=env, cwd=str(ROOT), timeout=60
    )
    assert "芯片" in out.stdout.decode() or "集成电路" in out.stdout.decode()


def test_stats_of_a_sector_follow_the_same_rule() -> None:
    groups = cli("stats", "--sector", "home textiles", "--json").json()["groups"]
    ids = {b["id"] for g in groups for b in g["bars"]}
    assert {"nantong-home-textiles-national-share", "nantong-home-textiles-global-share"} <= ids
