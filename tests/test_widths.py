"""Every command's table reads at 40, 80 and 200 columns: no line wider than the terminal, none ending in
padding, and every name the JSON gives appears whole in the text (never broken inside a word)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from helpers import cli
from rich.cells import cell_len

WIDTHS = (40, 80, 200)


def _names(doc: Any, *paths: str) -> list[str]:
    """The `name` of each object under the given top-level keys (a list of rows, or one object)."""
    out = []
    for path in paths:
        value = doc[path]
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and item.get("name"):
                out.append(item["name"])
    return out


# (command, where its names are in the JSON, which table column holds them: None for free text)
COMMANDS: list[tuple[tuple[str, ...], tuple[str, ...], int | None]] = [
    (("province", "Anhui"), ("province", "clusters"), None),
    (("sector", "semiconductors"), ("sector", "clusters"), None),
    (("city", "Kunshan"), ("city", "clusters"), None),
    (("region", "YRD"), ("region", "clusters"), None),
    (("company", "Pearl Motors"), ("company", "clusters"), None),
    (("cluster", "anhui-pv"), ("cluster",), None),
    (("designation", "fixture-advanced-clusters"), ("designation", "clusters"), None),
    (("list", "provinces"), ("rows",), 0),
    (("list", "clusters", "--province", "Jiangsu"), ("rows",), 0),
    (("list", "statistics", "--province", "Anhui"), ("rows",), 0),
    (("list", "cities", "--province", "Anhui"), ("rows",), 0),
    (("list", "designations"), ("rows",), 0),
    (("list", "sources", "--limit", "12"), ("rows",), 0),
    (("search", "chips"), ("hits",), 0),
    (("rank", "provinces", "--sector", "wind"), ("rows",), 1),
    (("near", "Suzhou", "--km", "100"), ("rows",), 0),
    (("compare", "Anhui", "Jiangsu"), ("items",), None),
    (("stats", "--series", "key-nev-enterprises"), (), None),
    (("map",), (), None),
    (("map", "socks"), (), None),
    (("info",), (), None),
]


def _cells(line: str, start: int, end: int | None) -> str:
    """The part of a line between two terminal columns (a Chinese character takes two)."""
    out, at = [], 0
    for ch in line:
        if at >= start and (end is None or at + cell_len(ch) <= end):
            out.append(ch)
        at += cell_len(ch)
    return "".join(out)


def _column(text: str, index: int) -> str:
    """The text of one column of a table, its lines joined: column starts come from the header line."""
    lines = text.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("─"))
    header = lines[rule - 1]
    starts = [0] + [cell_len(header[: m.end()]) for m in re.finditer(r"\s{2,}", header)]
    start = starts[index]
    end = starts[index + 1] if index + 1 < len(starts) else None
    body = [
        _cells(line, start, end).strip() for line in lines[rule + 1 :] if not line.startswith(("Ordered", "showing"))
    ]
    return " ".join(" ".join(body).split())


@pytest.mark.parametrize(("args", "paths", "column"), COMMANDS, ids=[" ".join(c[0]) for c in COMMANDS])
def test_every_table_fits_40_80_and_200_columns(
    args: tuple[str, ...], paths: tuple[str, ...], column: int | None
) -> None:
    doc = cli(*args, "--json").json() if paths else {}
    names = _names(doc, *paths)
    for width in WIDTHS:
        r = cli(*args, env={"COLUMNS": str(width)})
        assert r.exit_code == 0, (width, r.stderr)
        lines = r.stdout.splitlines()
        assert lines, width
        for line in lines:
            assert not line.endswith(" "), (width, line)
            assert cell_len(line) <= width, (width, line)
        text = _column(r.stdout, column) if column is not None else " ".join(r.stdout.split())
        for name in names:
            if column is None and cell_len(name) > width - 8:
                continue  # longer than a line: a panel or list may fold it; tables are checked by column
            if re.search(r"[\u3000-\u9fff]", name):  # Chinese breaks between any two characters, as it should
                assert "".join(name.split()) in "".join(text.split()), (width, name)
            else:
                assert " ".join(name.split()) in text, (width, name)


def test_a_narrow_terminal_gets_the_map_as_a_list() -> None:
    narrow = cli("map", env={"COLUMNS": "40"}).stdout.splitlines()
    assert narrow == [
        "Clusters by division",
        "JS 苏  Jiangsu 6",  # the busiest first, then by name
        "AH 皖  Anhui 3",
        "GD 粤  Guangdong 3",
        "SH 沪  Shanghai 1",
        "ZJ 浙  Zhejiang 1",
        "BJ 京  Beijing ·",
        "GX 桂  Guangxi ·",
        "HA 豫  Henan ·",
        "HN 湘  Hunan ·",
        "Clusters are counted in each division",
        "they lie in; those attributed only to a",
        "region (such as the whole Yangtze River",
        "Delta) are not counted.",
        "Counted from: Fixture article pack 9,",
        "Fixture pages pack 2. Counts are of the",
        "clusters the knowledge base holds: they",
        "measure what its sources name, not the",
        "size of an industry.",
    ]
    wide = cli("map", env={"COLUMNS": "80"}).stdout.splitlines()
    assert wide[3].split() == ["BJ", "·"] and wide[4].split() == ["京"]  # the grid: Beijing's tile on top


@pytest.mark.parametrize(
    "args", [("--help",), ("province", "--help"), ("list", "--help"), ("near", "--help"), ("stats", "--help")]
)
def test_help_fits_the_terminal_and_stays_readable_when_wide(args: tuple[str, ...]) -> None:
    for width, widest in ((40, 40), (80, 80), (200, 80)):  # past 80 columns help keeps Click's 78
        r = cli(*args, env={"COLUMNS": str(width)})
        assert r.exit_code == 0 and "Usage: clusters" in r.stdout, r.stderr
        # kept whole on purpose: example commands (to be copied) and an option's own name and choices
        whole = [line for line in r.stdout.splitlines() if line.strip().startswith(("clusters ", "Example:", "-"))]
        prose = [line for line in r.stdout.splitlines() if line not in whole]
        assert max(cell_len(line) for line in prose) <= widest, (args, width)
        assert all("  " not in line.strip() for line in whole if cell_len(line) > widest)  # nothing else on it


@pytest.mark.parametrize(("args", "paths", "column"), COMMANDS, ids=[" ".join(c[0]) for c in COMMANDS])
def test_every_table_fits_in_chinese_too(args: tuple[str, ...], paths: tuple[str, ...], column: int | None) -> None:
    """The same tables in Chinese (two columns a character): no line wider than the terminal or padded."""
    for width in WIDTHS:
        r = cli("--lang", "zh", *args, env={"COLUMNS": str(width)})
        assert r.exit_code == 0, (width, r.stderr)
        for line in r.stdout.splitlines():
            assert not line.endswith(" "), (width, line)
            assert cell_len(line) <= width, (width, line)


@pytest.mark.parametrize(("lang", "width"), [("en", 66), ("en", 72), ("zh", 66)])
def test_the_map_legend_breaks_a_line_between_two_entries_never_inside_one(lang: str, width: int) -> None:
    """`SN Shaanxi 7` stays on one line: a line of the legend breaks only after an entry (the legend had read
    `... · SN` / `陕西省 7` in Chinese at 120 columns); each line fits."""
    lines = cli("map", "--lang", lang, env={"COLUMNS": str(width)}).stdout.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("JS "))
    legend = lines[first : first + 2]  # five entries, on two lines at these widths
    names = {"en": "Jiangsu Anhui Guangdong Shanghai Zhejiang", "zh": "江苏省 安徽省 广东省 上海市 浙江省"}[lang]
    counts = {"JS": 6, "AH": 3, "GD": 3, "SH": 1, "ZJ": 1}  # what map --json's tiles count (checked last)
    expected = [f"{code} {name} {n}" for (code, n), name in zip(counts.items(), names.split(), strict=True)]
    assert [entry for line in legend for entry in line.split(" · ")] == expected
    assert all(cell_len(line) <= width for line in legend)
    tiles = cli("map", "--json").json()["tiles"]
    assert {t["code"]: t["clusters"] for t in tiles if t["clusters"]} == counts


def test_a_comparison_too_narrow_for_its_names_numbers_its_columns_and_cuts_no_word() -> None:
    """At 40 columns the places' names over the matrix were cut inside a word (Guangdon/g, and in the matrix of
    sectors Semiconductor/s): where the names and the rows' words do not fit whole, the columns are numbered and
    a line under the matrix names each number; where they fit, the names head the columns."""
    places = ("compare", "Anhui", "Jiangsu", "Guangdong")
    doc = cli(*places, "--json").json()
    words = {w for row in doc["matrix"] for w in row["sector"]["name"].split()} | {"all", "clusters", "●", "·"}
    legend = "1 Anhui · 2 Jiangsu · 3 Guangdong"
    narrow = cli(*places, env={"COLUMNS": "40"}).stdout.splitlines()
    rule = next(i for i, line in enumerate(narrow) if line.startswith("─"))
    assert narrow[rule - 1].split() == ["Sector", "1", "2", "3"], narrow[: rule + 1]
    matrix = narrow[rule + 1 : narrow.index(legend)]
    assert matrix and all(w in words or w.isdigit() for line in matrix for w in line.split()), matrix
    wide = cli(*places, env={"COLUMNS": "100"}).stdout.splitlines()
    rule = next(i for i, line in enumerate(wide) if line.startswith("─"))
    assert wide[rule - 1].split() == ["Sector", "Anhui", "Jiangsu", "Guangdong"] and legend not in wide
