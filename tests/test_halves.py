"""A large pack parsed in two halves on two cores (store/halves.py): wherever the cut may fall, the halves join
to what the whole text parses to, or the text is parsed whole; a text whose whole does not parse never joins."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clusters_cli.errors import InvalidKnowledgeBase
from clusters_cli.sanitize import clean_tree
from clusters_cli.store import halves
from clusters_cli.store.halves import Cut, find_cut, parse_halves, parse_halves_here
from clusters_cli.store.yamlfile import parse_text

FIXTURES = Path(__file__).parent / "fixtures"
# store/forked.py forks only on Linux (macOS's libraries refuse a fork without exec): elsewhere parse_halves is
# None by design, and os.sched_getaffinity, which these tests set to two cores, does not exist
ON_LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a second process is forked on Linux only")

# a pack's shapes, and what could fool a cut made by looking at lines: quoted scalars over several lines holding a
# section's key or an entry at the start of a line, block scalars holding both, plain scalars over several
# lines, entries at column 0 and at column 2, comments at column 0 inside a section, flow collections
TRICKY = """\
# a comment
meta:
  title: "a title over
two lines"
sources:
- id: s1
  note: |
    - not an entry
    sources: not a key
  tags: [a,
    b]
- id: s2
  note: 'single quoted
cities:
- id: fake
  over lines'
# a comment at column 0 inside a section
- id: s3
  plain: a plain scalar
    over two lines
cities:
  - id: c1
    name: "Beijing
  - id: fake
  name: x"
    kinds:
    - a
    - b
  - id: c2
    where: {lat: 1,
      lon: 2}
  -
    id: c3
parks: []
zones:
  - just a value
"""

# texts whose whole does not parse (a duplicate key across the middle; an entry's quoted scalar holding a
# section's key and an entry out of line), and texts no cut is made in
BROKEN = [
    "cities:\n- id: a\n- id: b\nparks:\n- id: p\ncities:\n- id: c\n- id: d\n",
    'cities:\n- name: "foo\ncities:\n  - bar"\n  - id: b\n  - id: c\n',
    "cities:\n- id: a\n  tags:\n  - x\n  - y\n- id: b\n  - z\n",
    "cities:\n- id: a\n- id: b\n...\nparks:\n- id: p\n",
]


def whole(text: str) -> Any:
    try:
        data, _ = parse_text("t.yaml", text, locate=False)
    except InvalidKnowledgeBase:
        return None
    return clean_tree(data)


def every_cut(text: str) -> list[Cut]:
    """Every cut find_cut makes, wherever the middle falls."""
    cuts = {find_cut(text, near) for near in range(len(text))}
    return sorted(c for c in cuts if c is not None)


def test_wherever_the_cut_falls_the_halves_join_to_the_whole_or_not_at_all() -> None:
    expected = whole(TRICKY)
    assert expected["cities"][1] == {"id": "c2", "where": {"lat": 1, "lon": 2}}  # the text parses as meant
    cuts = every_cut(TRICKY)
    joined = [cut for cut in cuts if parse_halves_here("t.yaml", TRICKY, cut) is not None]
    # the halves join at the entries of sources and cities and at the sections' keys, never after a key or an
    # entry inside a quoted scalar, nor where the section last named above the cut is not the one it is in
    assert [(TRICKY.count("\n", 0, c.at) + 1, c.section) for c in joined] == [
        (5, ""),
        (12, "sources"),
        (21, ""),
        (29, "cities"),
        (32, "cities"),
        (35, ""),
    ]
    assert len(cuts) > len(joined)  # cuts after a key inside a quoted scalar are refused
    for cut in joined:
        data, passed = parse_halves_here("t.yaml", TRICKY, cut)  # type: ignore[misc]
        assert data == expected and list(data) == list(expected)
        assert passed is False  # not a valid pack: the schema check reads it whole


@pytest.mark.parametrize("text", BROKEN)
def test_a_text_whose_whole_does_not_parse_never_joins(text: str) -> None:
    assert whole(text) is None
    assert all(parse_halves_here("t.yaml", text, cut) is None for cut in every_cut(text))


# texts whose halves once joined to other data than the whole's, or joined where the whole refuses (found by a
# fuzzer): a key that cleaning makes another's (the whole compares keys as written, cleaning as it reads), a key
# typed as no text (`null` beside `"null"`: one key to the whole, two to the halves), a %TAG directive (it
# held in the first half alone)
FOOLING = [
    'meta: 1\ncities:\n- a\n- b\n"cities\\e[0m":\n- z\n',
    'meta:\n- m\nsources:\n- a\n"meta\\x01":\n- x\n- y\n- z\n',
    'parks:\n- x\n"null":\n- a\nprovinces:\n- p\n- q\nnull:\n- b\n',
    "%TAG !! !\n---\ncities:\n- a\n- !!str 5\n",
]


@pytest.mark.parametrize("text", FOOLING)
def test_keys_are_joined_only_as_the_whole_compares_them_and_a_directive_is_never_cut(text: str) -> None:
    expected = whole(text)
    cuts = every_cut(text)
    assert cuts or text.startswith("%")  # the cuts a fuzzer found are still made; the directive's text, none
    for cut in cuts:
        joined = parse_halves_here("t.yaml", text, cut)
        assert joined is None or (expected is not None and joined[0] == expected and list(joined[0]) == list(expected))


@pytest.mark.parametrize(
    "text",
    [
        "{cities: [a],\nparks: [b]}\n",  # not a block mapping
        "cities:\n- a\n---\nparks:\n- b\n",  # a second document
        "cities:\r\n- a\r\n- b\r\n",  # a line break other than the newline
        "cities:\n- a\n- b\tc\n",  # a tab
        "# only a comment\n",
    ],
)
def test_no_cut_where_the_text_is_not_one_block_mapping_of_newline_lines(text: str) -> None:
    assert all(find_cut(text, near) is None for near in range(len(text)))


# a section's key in a block scalar, a key inside a quoted scalar, a comment before the real key: none is a
# section's line
KEYS_IN_TEXT = """\
meta:
  title: t
provinces:
  - id: p
    note: |
      cities:
      - id: fake
cities:
  - id: a
    name: 'x
parks:
  - id: fake'
  - id: b
# a comment
parks:
  - id: q
zones:
  - id: z
"""


SHORT = "meta:\n  title: t\nprovinces:\n  - id: p\n\ncities:\n  - id: a\n"


@pytest.mark.parametrize("text", [TRICKY, KEYS_IN_TEXT, SHORT])
def test_a_cut_asked_for_where_a_sections_key_starts_its_line_is_made_before_that_section(text: str) -> None:
    """The middle line (halves._middle_line) may be a section's own line: the cut is then before it, not in the
    section above with the next section's entries (a cut the halves' check refused, parsing the pack whole), and
    its halves join to the whole."""
    expected = whole(text)
    _, locs = parse_text("t.yaml", text)
    lines = text.split("\n")
    starts = [sum(len(line) + 1 for line in lines[: locs[(key,)][0] - 1]) for key in expected]
    asked = [at for at in starts[1:] if text[at:].split("\n", 1)[0].rstrip().endswith(":")]  # a block below
    assert len(asked) >= 2, asked
    for at in asked:
        cut = find_cut(text, at)
        assert cut == Cut(at, "", 0), (at, cut)
        joined = parse_halves_here("t.yaml", text, cut)
        assert joined is not None and joined[0] == expected and list(joined[0]) == list(expected)


@settings(max_examples=100, deadline=None)
@given(lines=st.lists(st.sampled_from(["", "a", "bb: 1", "  - x"]), max_size=30), final=st.booleans(), data=st.data())
def test_the_middle_line_starts_the_line_cut_at_percent_of_the_way(lines: list[str], final: bool, data: Any) -> None:
    """halves._middle_line: the start of the line after CUT_AT% of the newlines from `first` (counted a stretch at a
    time), for any text and any `first`, a line start or not."""
    text = "\n".join(lines) + ("\n" if final and lines else "")
    first = data.draw(st.integers(0, len(text)))
    wanted, at = text.count("\n", first) * halves.CUT_AT // 100, first
    for _ in range(wanted):
        at = text.index("\n", at) + 1
    assert halves._middle_line(text, first) == at


def test_a_cut_near_the_middle_continues_its_section_at_its_entries_column() -> None:
    text = "meta:\n  title: t\ncities:\n  - id: a\n    name: A\n  - id: b\n    name: B\n  - id: c\n"
    assert find_cut(text) == Cut(text.index("  - id: b"), "cities", 3)
    text = "cities:\n- id: a\n- id: b\nparks:\n  x: 1\n  y: 2\n  z: 3\n  w: 4\nzones:\n- id: z\n"
    assert find_cut(text, text.index("  y")) == Cut(text.index("zones"), "", 0)  # parks holds no entries


def test_the_cut_falls_at_the_middle_line_not_the_middle_character() -> None:
    """Two halves parsed at once should take as long: many short lines (cities) before few long ones (a
    summary on a line) are cut among the short lines, at the line CUT_AT% of the way (halves._middle_line)."""
    cities = "".join(f"  - id: c{i}\n    name: C{i}\n" for i in range(20))
    clusters = "".join(f"  - id: k{i}\n    summary: {'words ' * 400}\n" for i in range(2))
    text = "meta:\n  title: t\ncities:\n" + cities + "clusters:\n" + clusters
    cut = find_cut(text)
    assert cut is not None and cut.section == "cities"
    before, lines = text.count("\n", 0, cut.at), text.count("\n")
    wanted = lines * halves.CUT_AT // 100
    assert wanted <= before <= wanted + 2  # the entry at the line CUT_AT% of the way, or after
    # the middle character lies among the long lines: a cut there would have left the second half two lines
    assert cut.at < text.index("clusters:") < len(text) // 2


@ON_LINUX
def test_on_two_cores_the_pack_is_the_whole_and_passes_the_schema_check(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})  # a second core, wherever the suite runs
    monkeypatch.setattr(halves, "CUT_AT", 53)  # the fixture's line 53% of the way is inside a section's entries
    text = (FIXTURES / "article.yaml").read_text(encoding="utf-8")
    cut = find_cut(text)
    assert cut is not None and cut.section
    data, passed = parse_halves("article.yaml", text)  # type: ignore[misc]
    assert data == whole(text) and list(data) == list(whole(text))
    assert passed is True
    # a value marshal cannot carry (a date, which the schema refuses) in the child's half: parsed whole
    assert parse_halves("article.yaml", text[: cut.at] + "  - when: 2024-01-01\n" + text[cut.at :]) is None


@ON_LINUX
def test_a_pack_read_in_halves_is_the_pack_read_whole(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from clusters_cli.store.packs import load_fresh

    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    paths = [str(FIXTURES / name) for name in ("places.yaml", "article.yaml", "pages.yaml")]
    monkeypatch.setattr(halves, "SPLIT_FROM", 1 << 40)
    read_whole = load_fresh(paths)
    monkeypatch.setattr(halves, "SPLIT_FROM", 0)
    calls: list[str] = []
    real = halves.parse_halves
    monkeypatch.setattr(halves, "parse_halves", lambda path, text: calls.append(path) or real(path, text))
    assert load_fresh(paths, use_pack_cache=True) == read_whole
    assert calls == paths
    assert load_fresh(paths, use_pack_cache=True) == read_whole  # kept as parsed: not parsed again
    assert calls == paths
    # a problem in the second half is reported as where it stands, as when the pack is read whole
    text = (FIXTURES / "places.yaml").read_text(encoding="utf-8")
    last = text.rindex("\n  - {id: ")
    broken = tmp_path / "places.yaml"
    broken.write_text(text[:last] + "\n  - {id: 7}" + text[last:], encoding="utf-8")
    assert real(str(broken), broken.read_text(encoding="utf-8"))[1] is False  # read in halves, checked whole
    found = []
    for split_from in (0, 1 << 40):
        monkeypatch.setattr(halves, "SPLIT_FROM", split_from)
        with pytest.raises(InvalidKnowledgeBase) as error:
            load_fresh([str(broken), *paths[1:]], use_pack_cache=True)
        found.append([(p.line, p.entry, p.message) for p in error.value.problems])
    assert calls == [*paths, str(broken)]
    assert found[0] == found[1] and found[0][0][0] == text[:last].count("\n") + 2


@pytest.mark.parametrize("half", ["first", "second"])
def test_a_non_finite_number_in_either_half_leaves_the_check_to_the_whole(half: str) -> None:
    # a figure's value is any number to the schema's compiled check: only the walk for .nan and .inf refuses it
    text = (FIXTURES / "article.yaml").read_text(encoding="utf-8")
    cut = find_cut(text, text.index("    value: 30\n"))
    assert cut is not None and cut.section == "statistics"
    data, passed = parse_halves_here("article.yaml", text, cut)  # type: ignore[misc]
    assert data == whole(text) and passed is True
    value = text.index("    value: 100\n" if half == "first" else "    value: 1.4\n")
    assert (value > cut.at) == (half == "second")
    text = text[:value] + "    value: .nan" + text[text.index("\n", value) :]
    data, passed = parse_halves_here("article.yaml", text, cut)  # type: ignore[misc]
    assert data == whole(text) and passed is False
