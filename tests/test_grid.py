"""The layout of tables and panels (render/grid.py), tested as pure functions and against Rich itself."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.panel import Panel as RichPanel
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from clusters_cli.render.grid import Column, Grid, Panel, fold, layout, wrap


def _console(width: int, encoding: str = "utf-8") -> Console:
    stream = io.TextIOWrapper(io.BytesIO(), encoding=encoding)
    return Console(file=stream, width=width, color_system=None, markup=False, highlight=False, emoji=False)


def _text(renderable: object, width: int, encoding: str = "utf-8") -> str:
    console = _console(width, encoding)
    with console.capture() as capture:
        console.print(renderable)
    return capture.get()


def test_wrap_keeps_words_whole_spacing_as_written_and_paragraphs() -> None:
    assert wrap("Yangtze River Delta electronics", 12) == ["Yangtze", "River Delta", "electronics"]
    assert wrap("安徽省  (Ānhuī)", 40) == ["安徽省  (Ānhuī)"]  # two spaces stay two
    assert wrap("first line\nsecond", 40) == ["first line", "second"]
    assert wrap("", 10) == [""]


@pytest.mark.parametrize(
    "text", ["Beijing", "  indented  ", "   ", "安徽省  (Ānhuī)", "a\tb ", "电子、信息，软件；  ", "1 个", "x" * 12]
)
def test_a_line_that_fits_is_what_wrapping_it_word_by_word_gives(text: str) -> None:
    """wrap's shortcut for a cell that fits on one line gives the line its word-by-word wrapping gives (a
    second paragraph makes wrap take that way)."""
    for width in (len(text) * 2 or 1, 12, 80):
        if cell_len(text) <= width:
            assert wrap(text, width) == wrap(text + "\nx", width)[:-1], (text, width)


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30), width=st.integers(1, 70))
def test_any_line_that_fits_wraps_as_its_words_do(text: str, width: int) -> None:
    """The shortcut, on any text: a line without a newline that fits is what word-by-word wrapping gives."""
    if "\n" not in text and cell_len(text) <= width:
        assert wrap(text, width) == wrap(text + "\nx", width)[:-1]


def test_wrap_counts_terminal_cells_and_folds_only_words_wider_than_the_line() -> None:
    assert wrap("国家先进制造业集群", 8) == ["国家先进", "制造业集", "群"]  # a Chinese character takes two cells
    folded = ["see", "/work/main", "/data/divi", "sions.yaml", "now"]
    assert wrap("see /work/main/data/divisions.yaml now", 10) == folded
    assert fold("abcdef", 4) == ["abcd", "ef"]
    assert fold("Beijing-Tianjin-Hebei", 16) == ["Beijing-Tianjin-", "Hebei"]  # after a hyphen if one fits
    assert fold("a-bcdefgh", 4) == ["a-", "bcde", "fgh"]


@pytest.mark.parametrize("width", [2, 5, 9, 17, 40])  # 2: a Chinese character cannot be cut
def test_no_wrapped_line_is_wider_than_asked_and_nothing_is_lost(width: int) -> None:
    text = "Shanghai Zhangjiang 张江高科技园区 biomedicine, IC-design and AI: pharmaceuticals\nsecond paragraph"
    lines = wrap(text, width)
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_columns_take_their_natural_width_and_only_wrapping_ones_give_way() -> None:
    columns = [Column("name"), Column("code", no_wrap=True), Column("summary")]
    rows = [["Suzhou", "320500", "Electronics and biomedicine in the Yangtze River Delta"]]
    assert layout(columns, rows, 200, 2, header=True) == [6, 6, 54]
    narrow = layout(columns, rows, 40, 2, header=True)
    assert narrow[:2] == [6, 6] and sum(narrow) + 4 == 40
    # words stay whole while they can: the widest wrapping column gives way first, down to its longest word
    squeezed = layout([Column("a"), Column("b")], [["electronics", "biomedicine and more words here"]], 30, 2, True)
    assert squeezed == [11, 17]


def test_a_table_draws_its_header_rule_and_no_trailing_padding() -> None:
    grid = Grid([Column("name"), Column("km", justify="right")], [["Yiwu", "0"], ["Dongyang", "16"]])
    lines = _text(grid, 80).splitlines()
    assert lines == ["name      km", "────────────", "Yiwu       0", "Dongyang  16"]
    ascii_lines = _text(grid, 80, encoding="ascii").splitlines()
    assert ascii_lines[1] == "-" * 12  # Rich's box substitution decides what a rule is drawn with


PANELS = [
    ("Anhui 安徽省", [("Official name", "Anhui Province"), ("Chinese", "安徽省  (Ānhuī)")], None),
    (
        "Yangtze River Delta NEV cluster",
        [
            ("Sectors", "Electric vehicles, Vehicle components"),
            ("Specialties", "complete supply chain, vehicle production (Shanghai), component supply (Suzhou)"),
            ("Also in", "first source · page 1\nsecond source · page 2"),
        ],
        "424 key NEV enterprises in 2022 and a complete multi-city supply chain: Shanghai leads in vehicles.",
    ),
    ("A title much longer than any of the rows it frames", [("Kind", "province")], None),
    ("Beijing-Tianjin-Hebei integrated circuits cluster, by its long name", [("Kind", "cluster")], None),
    ("Datang", [("Source", "https://example.org/a/very/long/address/without/any/spaces/in/it/at/all")], None),
]


@pytest.mark.parametrize("width", [40, 80, 200])
@pytest.mark.parametrize(("title", "rows", "summary"), PANELS, ids=[p[0] for p in PANELS])
def test_a_panel_is_drawn_exactly_as_rich_draws_it(
    title: str, rows: list[tuple[str, str]], summary: str | None, width: int
) -> None:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="dim", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(Text(label), Text(value))
    body = grid if summary is None else Group(Text(summary), Text(""), grid)
    rich = RichPanel(body, title=Text(title, style="bold"), title_align="left", box=box.ROUNDED, expand=False)
    assert _text(Panel(title, rows, summary), width) == _text(rich, width)
    assert _text(Panel(title, rows, summary), width, "ascii") == _text(rich, width, "ascii")


def test_a_chinese_line_never_starts_with_a_closing_mark_nor_ends_with_an_opening_one() -> None:
    from clusters_cli.render.grid import fold, wrap

    assert fold("你好，世界", 4) == ["你", "好，", "世界"]
    assert fold("甲（乙丙", 4) == ["甲", "（乙", "丙"]  # the opening mark goes down with what it opens
    for line in wrap("没有符合这些筛选条件的统计数据，可以试试别的（例如）行业。另有说明、补充", 10):
        assert line[:1] not in "，。、）" and line[-1:] not in "（", line


def test_a_run_of_closing_marks_goes_down_with_the_character_before_it() -> None:
    from clusters_cli.render.grid import fold

    assert fold("甲乙）。丙丁", 6) == ["甲", "乙）。", "丙丁"]
    assert fold("）。）。", 2) == ["）", "。", "）", "。"]  # nothing to move: each as it comes


def test_a_number_keeps_the_chinese_unit_after_its_space() -> None:
    """A line keeps a number with the Chinese unit after its space and a count with the word of its list item,
    breaks a Chinese list after a 、, and never cuts a number, a date or a Latin word to do so."""
    from clusters_cli.render.grid import wrap

    assert wrap("计数来源：Fixture article pack（7 个）、Fixture pages pack（1 个）。计数", 46) == [
        "计数来源：Fixture article pack（7 个）、",
        "Fixture pages pack（1 个）。计数",
    ]
    assert wrap("pack（1 个）", 8) == ["pack（1", "个）"]  # the two do not fit a line: as before
    assert wrap("甲 pack（1 个）", 12) == ["甲", "pack（1 个）"]  # the number goes down with its unit
    counts = "数量 来源 596、名单 6、省级行政区 33、区域 21、城市 3185、园区 327、行业 101、企业 165"
    for width in range(24, 90):
        lines = wrap(counts, width)
        assert "".join(lines) == counts.replace("、 ", "、"), width  # nothing lost, every break after a 、
        assert all(line.endswith("、") for line in lines[:-1]), (width, lines)
    assert wrap("version 2 of 3", 9) == ["version 2", "of 3"]  # Latin words part as before
    assert wrap("industrial 山东省工业和信息化厅 2024", 22) == ["industrial", "山东省工业和信息化厅", "2024"]
    assert wrap("a 2023-12-13 第04版", 12) == ["a 2023-12-13", "第04版"]  # a date is not a count
    for width in range(8, 30):  # where each word fits a line: no number is cut, and no line is blank
        for line in wrap("新华社 2024 福建日报 2025 v2 第04版", width):
            assert line.strip() and set(line.split()) <= {"新华社", "2024", "福建日报", "2025", "v2", "第04版"}, line


def test_a_chinese_paragraph_wraps_as_the_tables_do() -> None:
    """In Chinese, a paragraph of the tool's own (the counts line here) is wrapped by grid.wrap: Rich's wrap split
    `（1` from `个）` at this width."""
    from helpers import cli

    lines = cli("--lang", "zh", "list", "regions", env={"COLUMNS": "60"}).stdout.splitlines()
    assert "pack（2 个）。计数为知识库收录的集群数：反映来源提及的情况，" in lines
    assert not [line for line in lines if line[:1] in ("个", "，", "。")]


def test_compares_paragraphs_in_chinese_wrap_as_the_tables_do() -> None:
    """compare gives a Group of paragraphs: in Chinese each is wrapped by grid.wrap, as a view's own."""
    from helpers import cli

    lines = cli("--lang", "zh", "compare", "anhui", "jiangsu", env={"COLUMNS": "60"}).stdout.splitlines()
    assert lines and not [line for line in lines if line[:1] in ("、", "，", "。", "个")]


@pytest.mark.parametrize(
    "text",
    [
        "name   km  \nYiwu    0\n\n   \nDongyang  16   \n",
        "a  b  ",
        "\x1b[1mname\x1b[0m   km  \x1b[0m\nYiwu   0 \x1b[2m  \x1b[0m\n",
        "",
    ],
)
def test_a_tables_text_loses_the_padding_at_each_line_end_and_nothing_else(text: str) -> None:
    """printing.unpadded: each line's closing spaces go (before any closing escape codes, with colour), as
    the pattern it replaces took them; spaces between columns stay."""
    import re

    from clusters_cli.cli.printing import _TRAILING, unpadded

    assert unpadded(text) == re.sub(_TRAILING, r"\1", text)
    assert not any(line.endswith(" ") for line in unpadded(text).split("\n") if "\x1b" not in line)


class _Uncut(Segment):
    """Segments whose lines are never cut by the table itself: Rich's crop then cuts them, as before."""

    @classmethod
    def adjust_line_length(cls, line: Any, length: int, style: Any = None, pad: bool = True) -> list[Segment]:
        return list(line)


@pytest.mark.parametrize("colour", [None, "standard"])
@pytest.mark.parametrize("width", [7, 10, 24, 31, 80])
def test_a_table_wider_than_its_line_is_cut_as_richs_crop_cut_it(
    colour: str | None, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table whose columns cannot narrow enough (each keeps 4 cells) cuts each line at the width itself, as
    Rich's crop cut it when the table was printed cropped (a Chinese character cut in half, in colour too), so it
    is printed uncropped (render/table.py) without a line running past the terminal."""
    from clusters_cli.render import grid

    columns = [Column(h) for h in ("Name", "City", "Sector", "Km", "Dir", "Kind")]
    table = Grid(columns, [["Hefei", "合肥市", "semiconductors", "12", "NE", "cluster"]])

    def printed(crop: bool) -> str:
        console = Console(file=io.StringIO(), width=width, color_system=colour, force_terminal=colour is not None)
        with console.capture() as capture:
            console.print(table, crop=crop)
        return capture.get()

    ours = printed(crop=False)
    monkeypatch.setattr(grid, "Segment", _Uncut)
    assert ours == printed(crop=True)  # Rich's crop of the table's uncut lines
    assert all(cell_len(Text.from_ansi(line).plain) <= width for line in ours.splitlines())
    if width < 31:  # the control: the table (31 cells at its narrowest) was cut
        assert any(cell_len(Text.from_ansi(line).plain) == width for line in ours.splitlines())


def test_a_folded_word_keeps_its_own_spacing_and_adds_none() -> None:
    """A word folded because it was wider than the line was given a space after it: near's note read
    `计， 行内注明` and list's help `（实际）、 forecast`, where the text has none."""
    assert wrap("一二三四五六七八九十，甲乙", 10) == ["一二三四五", "六七八九", "十，甲乙"]
    assert wrap("一二三四五六七八九十， 甲乙", 10) == ["一二三四五", "六七八九", "十， 甲乙"]  # one written stays


def test_a_latin_word_in_a_chinese_run_is_broken_before_not_inside() -> None:
    """The help's `（默认：$CLUSTERS_EXACT）` was cut `$CLU` / `STERS_EXACT`: a line may break between a Chinese
    character and a Latin word, so the word goes down whole where it fits, its opening bracket with it."""
    assert wrap("精确名称（默认：$CLUSTERS_EXACT）。", 20) == ["精确名称（默认：", "$CLUSTERS_EXACT）。"]
    assert fold("名称是（EXACT）", 10) == ["名称是", "（EXACT）"]


def test_a_count_followed_by_its_unit_is_no_item_s_end() -> None:
    """`已收录 155 个（共 178 个）` broke as `已收录 155` / `个（共 178 个）`: 178 was taken for the count that ends
    an item (园区 327、) and pulled 个（共 down with it, parting 155 from its 个. A count ends an item only
    where nothing but 、，； follows it."""
    assert wrap("已收录 155 个（共 178 个）", 18) == ["已收录 155 个（共", "178 个）"]
    assert wrap("城市 3185、园区 327", 12) == ["城市 3185、", "园区 327"]  # an item's count still stays


def test_a_chinese_line_may_break_after_a_full_stop_or_colon() -> None:
    """A line broke only after 、，；: a clause after 。 or ： was cut mid-word at the width, or sent whole to the
    next line, leaving the one before it short."""
    assert wrap("甲乙丙。丁戊己庚", 10) == ["甲乙丙。", "丁戊己庚"]
    assert wrap("默认：甲乙丙丁", 10) == ["默认：", "甲乙丙丁"]
