"""The plain block YAML read a line at a time (store/plainyaml.py) against libyaml's events (yamlfile): what it
reads, it reads as the events do, data and the places of the top-level keys; what it does not read, or what the
events refuse, it leaves to them."""

from __future__ import annotations

import datetime
import math
from typing import Any

import pytest
import yaml
from helpers import PACKS, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from clusters_cli.errors import InvalidKnowledgeBase
from clusters_cli.store import plainyaml, yamlfile


def _events(text: str) -> tuple[Any, Any] | None:
    """What a first read gets from the events (cleaned, without locations); None where they refuse the text."""
    loader = yamlfile._Loader(text)
    try:
        data, locs, found = yamlfile._from_events(loader, False, True)
    except (yaml.YAMLError, yamlfile._KBError, RecursionError):
        return None
    finally:
        loader.dispose()
    return (data, locs) if found else None


def _fast(text: str, stretch: int | None = None) -> tuple[Any, Any] | None:
    """The reader's reading, its lines split `stretch` characters at a time where given (plainyaml.STRETCH)."""
    loader = yamlfile._Loader(text)
    kept = plainyaml.STRETCH
    plainyaml.STRETCH = kept if stretch is None else stretch
    try:
        return plainyaml.read(text, loader)
    finally:
        plainyaml.STRETCH = kept
        loader.dispose()


def _same(a: Any, b: Any) -> bool:
    """Equal, type for type (1, 1.0 and True are three values), keys in order; NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def _read_as_the_events_read(text: str) -> bool:
    """Whether the reader took the text; where it did, the events read it to the same data and places. Its lines
    split a few characters at a time (a stretch ending at every line or few, a quoted scalar's lines read ahead
    across stretches) read it as split a whole stretch of STRETCH characters at a time."""
    fast = _fast(text)
    short = _fast(text, len(text) % 13 + 1)
    assert (short is None) == (fast is None), text
    assert short is None or fast is None or (_same(short[0], fast[0]) and short[1] == fast[1]), text
    if fast is None:
        return False
    assert (reference := _events(text)) is not None, text
    assert _same(fast[0], reference[0]), text
    assert fast[1] == reference[1], text
    return True


KEYS = ["id", "name", "name_zh", "a-b", "_x", "k2", "y", "n", "null", "on", "true", "No", "~", "<<", "a b", "x" * 600]
TEXTS = ["", " ", "null", "~", "yes", "No", "1:20", "0o17", "0x1F", "1_000", "-5", "-.inf", ".nan", "2024-01-02"]
TEXTS += ["2024-01-02 10:00:00", "1e5", "+1", "12.5", "-0.5", "<<", "=", "- x", "a: b", "a #b", "C#", "it's", "a:"]
TEXTS += ["x, y [z] {w}", "'quoted'", '"double"', "合肥 city", "back\\slash", "trailing ", " leading", "--x", "? q"]
ALPHABET = list("ab -:#'\",[]{}&*!|>%@`?.0123456789eE+_\\~汽é\u00a0\t\n")
SCALARS = st.one_of(
    st.sampled_from(TEXTS),
    st.text(alphabet=st.sampled_from(ALPHABET), max_size=30),
    st.text(alphabet=st.sampled_from(list("abcXYZ 019.,()'-:汽车")), max_size=60),  # what packs mostly hold
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 1, 1)),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=3),
    max_leaves=12,
)
DOCUMENTS = st.dictionaries(st.sampled_from(KEYS), VALUES, min_size=1, max_size=4)


def _dumped(document: dict[str, Any], width: int, indent: int, unicode: bool) -> str:
    return yaml.safe_dump(
        document, sort_keys=False, width=width, indent=indent, allow_unicode=unicode, default_flow_style=False
    )


DUMPS = st.tuples(DOCUMENTS, st.sampled_from([20, 40, 80, 1000]), st.sampled_from([2, 4]), st.booleans())


@settings(max_examples=300, deadline=None)
@given(DUMPS)
def test_a_written_pack_is_read_as_the_events_read_it(dump: tuple[Any, ...]) -> None:
    _read_as_the_events_read(_dumped(*dump))


# what a damaged line gains: YAML's indicators, spaces, a tab, a quote, a line break
DAMAGE = [*" -:#'\",[]{}&*!|>%@`?\t\n", ": ", " #", "- ", "  ", "''", "\n\n", "---", "..."]


@settings(max_examples=300, deadline=None)
@given(DUMPS, st.lists(st.tuples(st.floats(0, 1), st.sampled_from(DAMAGE), st.booleans()), min_size=1, max_size=4))
def test_a_damaged_pack_is_read_as_the_events_read_it_or_left_to_them(
    dump: tuple[Any, ...], damage: list[tuple[float, str, bool]]
) -> None:
    """Characters put in or taken out anywhere: the reader reads what it reads as the events do, and never takes a
    text they refuse (the assertion in _read_as_the_events_read)."""
    text = _dumped(*dump)
    for where, what, insert in damage:
        at = int(where * len(text))
        text = text[:at] + what + text[at:] if insert else text[:at] + text[at + len(what) :]
    _read_as_the_events_read(text)


READ = [
    "a: b\n",
    "a: b\n  goes on\n  and on\nc: d\n",
    "a:\n- x\n- y\nb: 1\n",
    "a:\n  - x\n  -  y\n",
    "a:\n- id: 1\n  name: x\n  more:\n  - 2\n- id: 2\nb:\n",
    "a: -5\nb: -0.5\nc: 1:20\nd: 0o17\ne: 2024-01-02\nf: .inf\ng: ~\nh:\n",
    "a: 'it''s'\nb: ''\nc: ' '\nd: 'one\n  two\n   three '\n",
    'a: "double: quoted#"\n',
    "a: C#\nb: x, y [z] {w}\nc: a:b\nd: []\ne: {}\n",
    "# a comment\n\na: b   \n  # indented comment\nc-d: e\n",
    "a:\n  b:\n    c: 1\n",
    "a:\n- x:y\n- 'it''s' \nb: a:b\n",
    'a: "1"\nb: "yes"\nc: ""\n',
    "a:\nb: 1\n",
    "a: b\n  c   \nd: 1\n",
    "a:\n- 'one  \n  two'\n- ' x '\n",
    "a:\n  # a comment line of its own\n  - x\n    # another, deeper\n",
    "# a comment # holding a hash\na: 1\n  # and # another\n#\n # #\n",
]
LEFT = [
    "",
    "# only a comment\n",
    "- a\n",
    "a: [1]\n",
    "a: {b: 1}\n",
    "a: b # comment\n",
    "a: 'b' # comment\n",
    "a: 'quoted # text'\n",
    'a: "double: #quoted"\n',
    "a:\n  - x   # a comment after a value\n",
    "a: x\nb:c\n",
    "a: b: c\n",
    "a: b\n  c:\n",
    "a: b\n  c: d\n",
    "a: 'x' y\n",
    "a: 'x\n--- y'\n",
    "a: 'x\ny'\n",
    "a: |\n  block\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    'a: "escaped \\n"\n',
    'a: "two\n  lines"\n',
    "a: 'one\n\n  two'\n",
    "a: b\n\n  goes on after a blank\n",
    "a: b\n  # c\n  d\n",
    "a: 1\na: 2\n",
    "null: 1\n",
    "'a': 1\n",
    "a: -x\n",
    "a: b\n  - c\n",
    "a:\tb\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    "%YAML 1.1\n---\na: 1\n",
    "a: \u200bb\n",
    "a: b\r\nc: d\n",
    "x" * 600 + ": 1\n",
    "".join(f"{' ' * (2 * i)}k{i}:\n" for i in range(60)) + " " * 120 + "v: 1\n",
]


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab '\n"), max_size=40), st.integers(1, 12), st.data())
def test_lines_split_a_stretch_at_a_time_are_the_texts_lines(text: str, stretch: int, data: st.DataObject) -> None:
    """plainyaml._Lines: its lines, read in order and ahead by index, are text.split("\\n"), however many
    characters a stretch splits; a line behind the stretch being read is let go (IndexError), never another's."""
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(plainyaml, "STRETCH", stretch)
    try:
        expected = text.split("\n")
        lines = plainyaml._Lines(text)
        assert len(lines) == len(expected)
        read = []
        for at, line in enumerate(lines):
            read.append(line)
            ahead = data.draw(st.integers(at, len(expected) + 1))
            if ahead < len(expected):
                assert lines[ahead] == expected[ahead]
            else:
                with pytest.raises(IndexError):
                    lines[ahead]
            behind = data.draw(st.integers(0, at))
            try:
                assert lines[behind] == expected[behind]
            except IndexError:
                assert text.find("\n", 0) >= 0  # let go: only once a stretch was read whole
        assert read == expected
    finally:
        monkeypatch.undo()


@pytest.mark.parametrize("text", READ)
def test_what_the_reader_reads(text: str) -> None:
    assert _read_as_the_events_read(text), text


@pytest.mark.parametrize("text", LEFT)
def test_what_the_reader_leaves_to_the_events(text: str) -> None:
    assert _fast(text) is None, text


def test_a_pack_the_scale_script_writes_is_read_as_the_events_read_it(tmp_path: Any) -> None:
    """The large packs of one's own a first run reads (benchmarks/scale.py writes them as PyYAML's dumper does),
    here of the fixture packs and a copy (every kind of text a copy makes), read whole by the reader."""
    import sys

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import scale

    pack = tmp_path / "kb1.yaml"
    assert scale.main(["--factor", "2", "-o", str(pack), *(a for p in PACKS for a in ("--source", p))]) == 0
    assert _read_as_the_events_read(pack.read_text(encoding="utf-8"))


def test_a_first_read_takes_the_readers_data_and_a_problem_is_still_said_by_the_events() -> None:
    text = "meta:\n  title: T\nsources:\n- id: a\n  name: b\n"
    assert yamlfile.parse_text("p.yaml", text, locate=False, cleaned=True) == _fast(text)
    with pytest.raises(InvalidKnowledgeBase) as found:
        yamlfile.parse_text("p.yaml", text + "- id: c\n  id: d\n", locate=False, cleaned=True)
    problem = found.value.problems[0]
    assert (problem.line, problem.message) == (7, "duplicate key 'id' (first defined on line 6)")


def test_a_scalar_going_on_over_many_lines_is_typed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typed once at its end, not again at each line (which took time growing as the square of its lines)."""
    typed: list[str] = []
    real = plainyaml._typed
    monkeypatch.setattr(plainyaml, "_typed", lambda text, *rest: typed.append(text) or real(text, *rest))
    text = "a: 1\n" + "  2\n" * 1000 + "b:\n- x\n" + "  y\n" * 1000
    assert _read_as_the_events_read(text)  # read twice there: its lines split whole, and a few at a time
    assert typed == 2 * ["1", " ".join(["1"] + ["2"] * 1000), " ".join(["x"] + ["y"] * 1000)]


def test_a_loader_whose_types_hang_on_more_than_a_text_is_left_to_the_events() -> None:
    """A resolver for every value, or for a path, types a scalar by more than its text: the reader takes none."""
    for attribute, value in (("yaml_implicit_resolvers", {None: []}), ("yaml_path_resolvers", {("a",): "tag"})):
        loader = yamlfile._Loader("a: 1\n")
        setattr(loader, attribute, value)
        try:
            assert plainyaml.read("a: 1\n", loader) is None
        finally:
            loader.dispose()
