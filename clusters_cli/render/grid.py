"""Tables and panels laid out here, by terminal cells, and printed as Rich segments.

Rich's own Table and Panel measure, pad and wrap through many layers of renderables; for the
few shapes the views need (a table with a header rule, a grid without one, a framed panel of
label/value rows) laying them out here is several times cheaper, and the layout is ours to
decide: columns take their natural width, and only when the row does not fit do the widest
wrapping columns give way. The console is still Rich's: colour, terminal detection, encoding,
and the ASCII fallback of box drawing (Rich's box substitution) all stay with it.

Every cell is text, never markup; a cell may carry a style of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from rich import box as rich_box
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment

from ..i18n import one_line

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console, ConsoleOptions, RenderResult
    from rich.style import Style

Cell = str | tuple[str, str]  # text, or (text, style)

# a word and the spaces after it; in Chinese, which has no spaces between words, a line may break after 、，；
# and after 。：？！ (a line of help stopped short before a clause after them). Compiled by re, and kept in its
# cache, when a cell first wraps: compiled as this module was imported, it cost every table 0.5 ms
_WORD = r"\s*(?:[^\s、，；。：？！]+[、，；。：？！]*|[、，；。：？！]+)\s*"
# two words a line keeps together (the first goes down with the second): a number and the Chinese unit after
# its space (1 个, pack（7 个）, 19 条中的), and a Chinese word and the count after it that ends an item of a
# list or the text (园区 327、行业 101); never a date or a number inside a Latin word (2023-12-13 第04版, v2)
_NUMBER_END = r"(?:^|[^\x00-\x7f])[\d,.]*\d\s*$"
_COUNT_OF_ITEM = r"[\d,.]*\d(?:[、，；]|\s*$)"
_NO_LINE_START = frozenset("，。、；：？！）」』】》〉”’%…")
_NO_LINE_END = frozenset("（「『【《〈“‘")


def fold(word: str, width: int) -> list[str]:
    """Cut a word into pieces of at most `width` cells (a Chinese character takes two), after a hyphen
    where one falls in the piece (Beijing-Tianjin- / Hebei)."""
    pieces = []
    while cell_len(word) > width:
        cut, used = 0, 0
        while cut < len(word) and used + cell_len(word[cut]) <= width:
            used += cell_len(word[cut])
            cut += 1
        cut = max(cut, 1)  # a character wider than the line still moves on
        # Chinese typesetting: a line never starts with a closing mark (，。、) nor ends with an opening one
        # (（「): the character before goes down with it
        kept = cut
        while 1 < cut < len(word) and (word[cut] in _NO_LINE_START or word[cut - 1] in _NO_LINE_END):
            cut -= 1
        if cut < len(word) and (word[cut] in _NO_LINE_START or word[cut - 1] in _NO_LINE_END):  # the first one
            cut = kept
        hyphen = word.rfind("-", 0, cut)
        if hyphen > 0:
            cut = hyphen + 1
        elif _latin(word[cut - 1]) and _latin(word[cut]):
            # inside a Latin word of a Chinese run (provinces、regions、parks, $CLUSTERS_EXACT): before it, where a
            # Chinese character stands before it (a line may break between any two of them), its opening bracket
            # going down with it
            start = cut
            while start > 0 and _latin(word[start - 1]):
                start -= 1
            while start > 0 and word[start - 1] in _NO_LINE_END:
                start -= 1
            if start > 0:
                cut = start
        pieces.append(word[:cut])
        word = word[cut:]
    pieces.append(word)
    return pieces


def _latin(ch: str) -> bool:
    """Whether a character belongs to a Latin word: ASCII, not a space (a variable's $ and _ too)."""
    return ch.isascii() and not ch.isspace()


def _han_first(text: str) -> bool:
    """Whether `text` starts with a CJK ideograph (U+3400-U+9FFF). Not a regular expression: compiling a
    class of that range costs 2 ms, on every run that imports this module."""
    return "\u3400" <= text[:1] <= "\u9fff"


def _glued(before: str, word: str, rest: str = "") -> bool:
    """Whether a line keeps `word` with the word before it (_NUMBER_END, _COUNT_OF_ITEM); `rest` is the text
    after `word`: a count ends an item only where nothing but 、，； follows it (共 178 个 is a count and its
    unit, which stay together, not an item's end)."""
    item = re.match(_COUNT_OF_ITEM, word)
    ends = item is not None and (word.rstrip()[-1:] in "、，；" or not rest.strip())
    return bool((re.search(_NUMBER_END, before) and _han_first(word)) or (_han_first(before.rstrip()[-1:]) and ends))


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` cells: paragraphs at newlines, words greedily, spacing inside a line
    kept as written (a number with its Chinese unit: _glued); a word wider than the line is folded."""
    width = max(1, width)
    text = _untabbed(text)
    if "\n" not in text and cell_len(text) <= width:  # a cell that fits (most of them): one line, as below
        return [text.rstrip()]
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, last = "", ""  # the line so far, and its last word
        for match in re.finditer(_WORD, paragraph):
            word = match.group()
            if cell_len(line + word.rstrip()) <= width:
                line, last = line + word, word
                continue
            head = line[: len(line) - len(last)]
            glued = _glued(last, word, paragraph[match.end() :])
            if last and head.strip() and glued and cell_len(last + word.rstrip()) <= width:
                lines.append(head.rstrip())  # the word before goes down with this one
                line, last = last.lstrip() + word, word
                continue
            if line.strip():
                lines.append(line.rstrip())
            word = word.lstrip()
            if cell_len(word.rstrip()) > width:
                folded = word.rstrip()
                *whole, last_piece = fold(folded, width)
                lines.extend(whole)
                word = last_piece + word[len(folded) :]  # the word's own spacing after it, none added (计，行内)
            line, last = word, word
        lines.append(line.rstrip())
    return lines


def pad(text: str, width: int, justify: str = "left") -> str:
    room = width - cell_len(text)
    if room <= 0:
        return text
    if justify == "right":
        return " " * room + text
    if justify == "center":
        return " " * (room // 2) + text + " " * (room - room // 2)
    return text + " " * room


class Column:
    """One column: its header, style and how it may wrap. `max_width` caps its natural width and
    `min_width` raises it; `no_wrap` columns keep their width unless nothing else can give way."""

    __slots__ = ("header", "justify", "max_width", "min_width", "no_wrap", "style")

    def __init__(
        self,
        header: str = "",
        *,
        style: str = "",
        max_width: int | None = None,
        min_width: int = 0,
        no_wrap: bool = False,
        justify: str = "left",
    ) -> None:
        self.header = header
        self.min_width = min_width
        self.style = style
        self.max_width = max_width
        self.no_wrap = no_wrap
        self.justify = justify


def _text(cell: Cell) -> str:
    return _untabbed(cell if isinstance(cell, str) else cell[0])


def _untabbed(text: str) -> str:
    """A pack's text as a grid lays it out: a tab (a pack's text keeps it) as a space. Rich counts a tab as no
    cell, and a terminal moves on to its next stop: a tab in a summary moved the frame's right edge."""
    return text.replace("\t", " ") if "\t" in text else text


def _natural(text: str) -> int:
    """The widest line of a text a grid or a panel holds (untabbed as it took it: _text, Panel)."""
    return max((cell_len(line) for line in text.split("\n")), default=0)


def layout(columns: Sequence[Column], rows: Sequence[Sequence[Cell]], width: int, gap: int, header: bool) -> list[int]:
    """Each column's width: its natural width (capped), then, while the row is wider than `width`, the
    widest column that may wrap gives up a cell: first no narrower than its longest word (so words stay
    whole), then down to 4 cells, and only then columns that keep their lines whole."""
    widths, words = [], []
    for i, col in enumerate(columns):
        texts = [_text(r[i]) for r in rows]
        natural = max([cell_len(col.header) if header else 0, col.min_width, *(_natural(t) for t in texts)])
        widths.append(min(natural, col.max_width) if col.max_width else natural)
        longest = max([cell_len(col.header) if header else 0, *(cell_len(w) for t in texts for w in t.split())])
        words.append(max(4, longest))
    excess = sum(widths) + gap * (len(widths) - 1) - width
    floors: tuple[Callable[[int], int | None], ...] = (
        lambda i: None if columns[i].no_wrap else words[i],
        lambda i: None if columns[i].no_wrap else 4,
        lambda i: 4,
    )
    for floor in floors:
        while excess > 0:
            candidates = [i for i in range(len(widths)) if (f := floor(i)) is not None and widths[i] > f]
            if not candidates:
                break
            widest = max(candidates, key=lambda i: widths[i])
            widths[widest] -= 1
            excess -= 1
    return widths


class Grid:
    """A table: optional bold title, optional bold header with a rule under it, rows of wrapped cells
    separated by `gap` spaces. Nothing is padded at the end of a line."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Cell]],
        *,
        header: bool = True,
        gap: int = 2,
        title: str | None = None,
    ) -> None:
        self.columns = list(columns)
        self.rows: list[list[Cell]] = [list(r) for r in rows]
        self.header = header
        self.gap = gap
        self.title = title

    def add_row(self, *cells: object) -> None:
        """A row of values, each printed as text (None as nothing)."""
        self.rows.append(["" if c is None else c if isinstance(c, str | tuple) else str(c) for c in cells])

    def widths(self, width: int) -> list[int]:
        return layout(self.columns, self.rows, width, self.gap, self.header)

    def words_fit(self, width: int) -> bool:
        """Whether every column can be as wide as its longest word within `width`: no word of a cell or a
        header cut across two lines."""
        words = []
        for i, col in enumerate(self.columns):
            texts = ([col.header] if self.header else []) + [_text(r[i]) for r in self.rows]
            words.append(max((cell_len(w) for t in texts for w in t.split()), default=0))
        return sum(words) + self.gap * (len(words) - 1) <= width

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        widths = self.widths(width)
        newline = Segment.line()
        styles: dict[str, Style] = {}

        def style(name: str) -> Style | None:
            if not name:
                return None
            if name not in styles:
                styles[name] = console.get_style(name)
            return styles[name]

        if self.title is not None:
            for line in wrap(self.title, width):
                yield Segment(line, style("bold"))
                yield newline
        spacer = Segment(" " * self.gap)
        # no style reaches the output (a pipe, NO_COLOR): a line is one segment, not one a cell (2,000 rows of
        # `list cities` to a pipe cost Rich a fifth of the work)
        plain = console.color_system is None
        # columns narrowed to their floor may still be wider than the line: each line is then cut at its width,
        # as Rich's crop cuts it (so the table can be printed uncropped: render/table.py)
        over = sum(widths) + self.gap * (len(widths) - 1) > width

        def segments(parts: list[tuple[str, str]]) -> Iterator[Segment]:
            if plain:
                line = [Segment(spacer.text.join(text for text, _ in parts))]
            else:
                line = [Segment(text, style(name)) for text, name in parts]
                line[1:] = [part for segment in line[1:] for part in (spacer, segment)]
            yield from Segment.adjust_line_length(line, width, pad=False) if over else line
            yield newline

        if self.header:
            heads: list[Cell] = [(c.header, "bold") for c in self.columns]
            for parts in self._lines(heads, widths):
                yield from segments(parts)
            rule = rich_box.SIMPLE_HEAD.substitute(options, safe=console.safe_box).head_row_horizontal
            yield Segment(rule * min(width, sum(widths) + self.gap * (len(widths) - 1)))
            yield newline
        for row in self.rows:
            for parts in self._lines(row, widths):
                yield from segments(parts)

    def _lines(self, row: Sequence[Cell], widths: list[int]) -> Iterator[list[tuple[str, str]]]:
        """Each line of a row: (text, style name) of each cell, padded to its column but the last."""
        cells = [wrap(_text(cell), w) for cell, w in zip(row, widths, strict=True)]
        own = [cell[1] if isinstance(cell, tuple) else "" for cell in row]
        names = [" ".join(s for s in (col.style, own[j]) if s) for j, col in enumerate(self.columns)]
        last = len(widths) - 1
        for i in range(max(len(c) for c in cells)):
            parts = []
            for j, (col, lines, w) in enumerate(zip(self.columns, cells, widths, strict=True)):
                text = lines[i] if i < len(lines) else ""
                parts.append((pad(text, w, col.justify) if j < last or col.justify != "left" else text, names[j]))
            yield parts


class Panel:
    """A framed panel, as Rich draws one with a rounded box, its title in the top edge: an optional
    summary, a blank line, then label/value rows (labels dim and unwrapped, values wrapped).
    As wide as its content, never wider than the terminal."""

    def __init__(self, title: str, rows: Sequence[tuple[str, str]], summary: str | None = None) -> None:
        # the title stands in the top edge: a name on one line, as running text shows one (a name holding a line
        # break cut the edge in two)
        self.title = one_line(title)
        self.rows = [(_untabbed(label), _untabbed(value)) for label, value in rows]
        self.summary = None if summary is None else _untabbed(summary)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        box = rich_box.ROUNDED.substitute(options, safe=console.safe_box)
        max_width = options.max_width
        label_width = max((cell_len(label) for label, _ in self.rows), default=0)
        natural = max((label_width + 2 + _natural(value) for _, value in self.rows), default=0)
        if self.summary is not None:
            natural = max(natural, _natural(self.summary))
        title = f" {self.title} "
        inner = max(1, min(max_width - 4, max(natural, cell_len(title))))
        label_width = min(label_width, max(1, inner // 2))
        value_width = max(1, inner - label_width - 2)
        body: list[list[tuple[str, str]]] = []
        if self.summary is not None:
            body += [[(line, "")] for line in wrap(self.summary, inner)]
            body.append([("", "")])
        for label, value in self.rows:
            labels, values = wrap(label, label_width), wrap(value, value_width)
            for i in range(max(len(labels), len(values))):
                left = pad(labels[i] if i < len(labels) else "", label_width)
                body.append([(left, "dim"), ("  " + (values[i] if i < len(values) else ""), "")])

        newline = Segment.line()
        shown_title = set_cell_size(title, inner) if cell_len(title) > inner else title  # cropped, as Rich does
        yield Segment(box.top_left + box.top)
        yield Segment(shown_title, console.get_style("bold"))
        yield Segment(box.top * (inner - cell_len(shown_title)) + box.top + box.top_right)
        yield newline
        dim = console.get_style("dim")
        start, end = Segment(box.mid_left + " "), Segment(" " + box.mid_right)
        for parts in body:
            yield start
            used = 0
            for text, style in parts:
                yield Segment(text, dim if style else None)
                used += cell_len(text)
            yield Segment(" " * (inner - used))
            yield end
            yield newline
        yield Segment(box.bottom_left + box.bottom * (inner + 2) + box.bottom_right)
        yield newline
