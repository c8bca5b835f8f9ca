"""Data never becomes markup on a page: names holding quotes, angle brackets, ampersands and `</script>`
in every free-text field of a pack reach `map --html` and `map --svg` as text only."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import PACKS, cli, data_args, own_pack, write

from clusters_cli.render.markup import esc

HOSTILE = str(Path(__file__).parent / "fixtures" / "hostile.yaml")
# what the hostile pack's names say, which must come back as text, whole
PAYLOADS = [
    'Anhui" onmouseover="alert(1)',
    "安徽'\"><script>alert(3)</script>",
    'Hefei" onmouseover="alert(4)',
    'Wind "energy" </text><script>alert(6)</script>',
]


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("value", ["plain", 'a"b', "a'b", "<script>", "&amp;", "</script>"])
def test_esc_leaves_no_markup_character(value: str) -> None:
    out = esc(value)
    assert not set("<>\"'") & set(out)
    assert "&" not in out.replace("&amp;", "").replace("&quot;", "").replace("&#x27;", "").replace("&lt;", "").replace(
        "&gt;", ""
    )


def test_the_map_page_holds_no_element_or_attribute_from_the_data(tmp_path: Path) -> None:
    page = tmp_path / "map.html"
    r = cli("--no-shipped", "--data", HOSTILE, "map", "wind", "--html", str(page))
    assert r.exit_code == 0, r.stderr
    parsed = _Elements()
    parsed.feed(page.read_text(encoding="utf-8"))
    # exactly the page's own elements, one script (its own), and no event handler anywhere
    assert set(parsed.tags) <= {
        "html", "head", "meta", "title", "style", "body", "svg", "text", "tspan", "a", "g", "rect", "circle",
        "path", "line", "defs", "pattern", "desc",
        "div", "table", "thead", "tbody", "tr", "th", "td", "p", "script",
    }  # fmt: skip
    assert parsed.tags.count("script") == 1
    assert not [name for name, _ in parsed.attributes if name.startswith("on")]
    # and each hostile name is still there, as text or inside an attribute's value
    everything = "".join(parsed.text) + "".join(value for _, value in parsed.attributes)
    for payload in PAYLOADS:
        assert payload in everything


def test_the_svg_is_well_formed_and_holds_the_names_as_text(tmp_path: Path) -> None:
    svg = tmp_path / "map.svg"
    assert cli("--no-shipped", "--data", HOSTILE, "map", "wind", "--svg", str(svg)).exit_code == 0
    root = ET.parse(svg).getroot()  # a parse error here would be markup that escaped
    elements = list(root.iter())
    assert not [e for e in elements if e.tag.endswith("script")]
    assert not [name for e in elements for name in e.attrib if name.lower().startswith("on")]
    texts = "".join(e.text or "" for e in elements) + "".join(v for e in elements for v in e.attrib.values())
    for payload in PAYLOADS:
        assert payload in texts


def test_a_noncharacter_or_a_line_break_in_a_pack_breaks_neither_the_svg_nor_the_terminal_map(tmp_path: Path) -> None:
    """U+FFFE and U+FFFF are no XML 1.0 characters (one in a pack made the SVG unreadable): the packs' text
    is cleaned of every noncharacter, and of direction overrides (U+202E reorders the rest of a line). A line
    break in a name must not start a line of its own in the terminal map's listing, where it read as another
    division's row."""
    text = Path(HOSTILE).read_text(encoding="utf-8")
    text = text.replace(
        '  title: Fixture pack with hostile text "><script>alert(1)</script>', '  title: "Pack \\uFFFE\\uFFFF\\uFDD0 x"'
    )
    text = text.replace('    name: Anhui" onmouseover="alert(1)', '    name: "Anhui\\u202e\\nGD Guangdong 999"')
    pack = tmp_path / "pack.yaml"
    pack.write_text(text, encoding="utf-8")
    svg = tmp_path / "map.svg"
    assert cli("--no-shipped", "--data", str(pack), "map", "wind", "--svg", str(svg)).exit_code == 0
    ET.parse(svg)  # well-formed
    page = svg.read_text(encoding="utf-8")
    assert "Pack x, from the pages its entries cite: 1 cluster" in page
    assert not {"\ufffe", "\uffff", "\ufdd0", "\u202e"} & set(page)
    r = cli("--no-shipped", "--data", str(pack), "map", "wind", "--no-color")
    assert r.exit_code == 0
    assert not [line for line in r.stdout.splitlines() if line.lstrip().startswith("GD Guangdong")]
    assert "Anhui GD Guangdong 999" in r.stdout and "\u202e" not in r.stdout  # no override reorders the line


def test_a_line_separator_or_a_direction_mark_in_a_pack_cuts_no_record_and_reorders_nothing(tmp_path: Path) -> None:
    """U+2028 kept raw in a name cut an NDJSON record for a reader splitting lines as Python does, and U+200E,
    U+200F and U+061C passed the cleaning, reordering what stands beside a name: the separators become line
    breaks (JSON writes them \\n; a table puts a name on one line), the marks are removed."""
    import json

    text = Path(HOSTILE).read_text(encoding="utf-8")
    hostile = '    name: "An\\u2028hui\\u2029x\\u200e\\u200f\\u061c"'
    text = text.replace('    name: Anhui" onmouseover="alert(1)', hostile)
    pack = tmp_path / "pack.yaml"
    pack.write_text(text, encoding="utf-8")
    r = cli("--no-shipped", "--data", str(pack), "list", "provinces", "--format", "ndjson")
    assert r.exit_code == 0
    records = [json.loads(line) for line in r.stdout.splitlines()]  # every line one whole record
    assert "An\nhui\nx" in [rec["name"] for rec in records]
    for args in (["list", "provinces", "--format", "ndjson"], ["list", "provinces"], ["province", "anhui", "--json"]):
        out = cli("--no-shipped", "--data", str(pack), *args).stdout
        assert not {"\u2028", "\u2029", "\u200e", "\u200f", "\u061c"} & set(out), args


TABBED = own_pack("""companies:
  - {id: tabbed-co, name: "Tab\\tCo\\nNewline", sector: textiles, headquarters: hefei,
     locator: {section: Only, paragraph: 1}}
clusters:
  - {id: tabbed-cluster, name: "Tabbed\\tcluster\\nnamed", sector: textiles, cities: [hefei], status: established,
     summary: "A summary\\twith a tab and a line\\nbreak.", specialties: ["yarn\\tand cloth"], companies: [tabbed-co],
     locator: {section: Only, paragraph: 1}}
""")


def test_a_tab_or_a_line_break_in_a_pack_keeps_every_frame_whole_and_every_name_on_one_line(tmp_path: Path) -> None:
    """A pack's text keeps its tabs and line breaks. A firm named with both cut the panel's top edge in two, and a
    tab printed raw moved the frame's right edge (Rich counts a tab as no cell; a terminal moves to its next
    stop): a panel's title is a name on one line, a tab in a panel or a table is a space, and a name in a line
    of a section (the firms, the clusters of a city) stands on one line."""
    from rich.cells import cell_len

    args = data_args([*PACKS, write(tmp_path, TABBED)])
    for command in (["company", "tabbed-co"], ["cluster", "tabbed-cluster"], ["city", "hefei"]):
        r = cli(*args, *command)
        assert r.exit_code == 0, r.stderr
        assert "\t" not in r.stdout, command
        framed = [line for line in r.stdout.splitlines() if line and line[0] in "╭│╰"]
        assert len(framed) > 3 and len({cell_len(line) for line in framed}) == 1, (command, framed)
    assert cli(*args, "company", "tabbed-co").stdout.startswith("╭─ Tab Co Newline ─")
    assert cli(*args, "cluster", "tabbed-cluster").stdout.startswith("╭─ Tabbed cluster named ─")
    city = cli(*args, "city", "hefei").stdout.splitlines()
    assert "  Tabbed cluster named · Hefei" in city
    assert "Tab Co Newline · Textiles · headquarters Hefei · in Tabbed cluster named" in city
    assert cli(*args, "company", "tabbed-co", "--json").json()["company"]["name"] == "Tab\tCo\nNewline"  # data kept


def test_a_name_with_a_line_break_stands_on_one_row_of_a_table(tmp_path: Path) -> None:
    """A firm named "Tab<TAB>Co<LF>Newline" took two lines of `list companies` and of `search`'s table, its
    second line reading as a row of its own: a name in a table's name column stands on one line (the data keeps
    it as written)."""
    args = data_args([*PACKS, write(tmp_path, TABBED)])
    listed = cli(*args, "list", "companies").stdout.splitlines()
    assert [line.split("  ")[0] for line in listed if "Newline" in line or line.startswith("Tab")] == ["Tab Co Newline"]
    found = cli(*args, "search", "Newline").stdout.splitlines()
    assert [line.split("  ")[0] for line in found if line.startswith("Tab")] == ["Tab Co Newline"], found
    assert not any(line.startswith("Newline") for line in [*listed, *found])
    zh = cli(*args, "--lang", "zh", "list", "companies").stdout.splitlines()
    assert not any(line.startswith("Newline") for line in zh) and any(line.startswith("Tab Co Newline") for line in zh)
