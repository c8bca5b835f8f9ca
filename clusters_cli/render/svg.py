"""The map as SVG, and as an HTML page around that SVG: a choropleth on Natural Earth's province outlines.

The same counts and levels as the terminal's tile map. Each division is drawn as its outline (Hong Kong and
Macao, which Natural Earth gives none, as circles at their seats) in its class's shade, named in English and
Chinese with its count; a legend states the class breaks; the notes credit the data and the boundaries.
Everything sits inside one viewBox, so the figure scales to any width without clipping a word.
Every text from the data goes through markup.esc (text and attributes alike).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import __version__
from ..i18n import N_, _, list_sep, name_of, paren, zh
from ..shapes import outlines, project, source
from ..views.common import pack_title
from ..views.map import class_label
from .markup import esc

if TYPE_CHECKING:
    from ..views.analysis_types import MapView, Tile


FILLS = ["#eeeeee", "#c6e9ef", "#8fd0dd", "#4aa9bf", "#1f6f8b"]
# a division with no cluster is hatched, not only lighter: the shade of 1-12 is too close to plain grey for a
# print in black and white or a reader who sees colours weakly
NONE_FILL = "url(#shade-none)"
NONE_PATTERN = (
    '<defs><pattern id="shade-none" width="6" height="6" patternUnits="userSpaceOnUse" '
    f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{FILLS[0]}"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#a8a8a8" stroke-width="1.5"/></pattern></defs>'
)


def fill_of(level: int) -> str:
    """How a division of this level is painted: its class's shade, hatched grey for none."""
    return FILLS[level] if level else NONE_FILL


INK, EDGE, DOT = "#1a1a1a", "#ffffff", "#c0392b"
WIDTH, SIDE, MAP_TOP = 1000, 16, 78
# one font stack for Latin and Chinese text: the system's UI font, then the common CJK faces, then any sans
FONTS = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', 'Source Han Sans SC', "
    "'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif"
)
# divisions too small to hold their label: it stands at this lon/lat, in the sea, with a line to the division
CALLOUTS: dict[str, tuple[float, float]] = {
    "CN-BJ": (129.6, 40.4),
    "CN-TJ": (128.2, 37.2),
    "CN-SH": (127.2, 30.6),
    "CN-HK": (118.8, 20.1),
    "CN-MO": (115.0, 18.9),  # south-east of Macao, clear of Hainan and of its line
    "CN-NX": (104.0, 44.2),  # north, beyond Inner Mongolia (on it, it read as Inner Mongolia's count)
    "CN-HI": (110.3, 17.0),  # just south of the island
}
# label points moved from Natural Earth's where another label would cover them
NUDGES: dict[str, tuple[float, float]] = {"CN-HE": (115.0, 38.4), "CN-GS": (100.5, 39.2)}


def _width(text: str, size: float) -> float:
    """A generous estimate of a line's drawn width: a CJK character is a square, a Latin one about 0.58."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.58 for ch in text)


def _wrap(text: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if line and _width(trial, size) > width:
            lines.append(line)
            line = word
        else:
            line = trial
    return [*lines, line] if line else lines


def _zh(text: str) -> str:
    """Chinese text, marked so a browser picks a Chinese face and a screen reader a Chinese voice."""
    return f'<tspan lang="zh-Hans">{esc(text)}</tspan>'


def _plural(n: int, word: str) -> str:
    """'1 cluster', '3 clusters'; in Chinese '3 个集群', a count the tool makes spaced from its measure word (the
    README's rule, as every view writes it)."""
    if zh():
        return f"{n} 个{_(word)}"
    many = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return f"{n} {word if n == 1 else many}"


class _Frame:
    """Lon/lat to page units: the projection scaled to the page's width."""

    def __init__(self, points: list[tuple[float, float]]) -> None:
        xs, ys = zip(*(project(lon, lat) for lon, lat in points), strict=True)
        self.x0, self.y1 = min(xs), max(ys)
        self.scale = (WIDTH - 2 * SIDE) / (max(xs) - self.x0)
        self.height = (self.y1 - min(ys)) * self.scale

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = project(lon, lat)
        return SIDE + (x - self.x0) * self.scale, MAP_TOP + (self.y1 - y) * self.scale


def _path(frame: _Frame, polygons: list[list[list[tuple[float, float]]]]) -> str:
    parts = []
    for poly in polygons:
        for ring in poly:
            pts = [frame(lon, lat) for lon, lat in ring]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
    return "".join(parts)


def _label(x: float, y: float, t: Tile, big: bool) -> list[str]:
    """Name (English and Chinese) over the count, centred on (x, y), with a white halo to read on any shade."""
    halo = f'paint-order="stroke" stroke="{EDGE}" stroke-width="3" stroke-linejoin="round" fill="{INK}"'
    size = 11 if big else 10
    chinese = t["short_zh"] or t["name_zh"]
    if chinese and zh():  # the Chinese name first, as every Chinese view names places
        name = _zh(chinese) + " " + esc(t["name"])
    else:
        name = esc(t["name"]) + (" " + _zh(chinese) if chinese else "")
    return [
        f'<text class="label" x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="middle" {halo}>{name}</text>',
        f'<text class="count" x="{x:.1f}" y="{y + size + 3:.1f}" font-size="{size + 2}" font-weight="bold" '
        f'text-anchor="middle" {halo}>{t["clusters"]}</text>',
    ]


def _page_lang() -> str:
    """The page's language tag, for browsers' fonts and screen readers' voices."""
    return "zh-Hans" if zh() else "en"


# the licence scripts/build_shapes.py records for the outlines (data/province_shapes.json), the tool's own words:
# translated where a map names it
SHAPES_LICENCE = N_("public domain (Natural Earth terms of use)")
MAP_TITLES = (N_("Clusters by division"), N_("Clusters of {sector} by division"))
HOVER = N_("Point at or tap a division to see its clusters; zoom in for its name.")
LEGEND = N_("Clusters per division")
# the page's table headers (ISO code, name, Chinese name, count, class, cities)
HEADERS = (N_("ISO code"), N_("Division"), N_("Chinese"), N_("Clusters"), N_("Class"), N_("Cities holding them"))


def map_title(view: MapView) -> str:
    """The map's title in the run's language (the view keeps the English one for the JSON)."""
    if view["sector"] is None:
        return _("Clusters by division")
    return _("Clusters of {sector} by division").format(sector=name_of(view["sector"]))


def _map_desc(view: MapView, tiles: list[Tile]) -> str:
    """The map in words, for a reader who cannot see it: each division holding clusters, most first."""
    held = sorted((t for t in tiles if t["clusters"]), key=lambda t: (-t["clusters"], t["name"]))
    parts = list_sep().join(f"{name_of(t)} {t['clusters']}" for t in held)
    return _("Clusters per division: {parts}; none in the others.").format(parts=parts) if parts else _("No cluster.")


def render_svg(view: MapView, link: bool = False, dots: bool = False) -> str:
    """The choropleth; with `link`, each division links to its row of the page's table (render_html); with
    `dots`, a dot at each city `rank cities` ranks that holds a counted cluster."""
    shapes = outlines()
    tiles = view["tiles"] + view["unplaced"]
    anchors = [pt for s in shapes.values() for poly in s["polygons"] for pt in poly[0]]
    anchors += list(CALLOUTS.values())
    frame = _Frame(anchors)
    title_lines = _wrap(map_title(view), 22, WIDTH - 2 * SIDE)
    out_map: list[str] = []
    labels: list[str] = []
    not_drawn: list[Tile] = []
    for t in tiles:
        shape = shapes.get(t["iso_code"] or "")
        # the reader's name first, the other in brackets: 北京市（Beijing）, Beijing (北京市), as views name a place
        words = t["name_zh"] + paren(t["name"]) if zh() else t["name"] + paren(t["name_zh"])
        words += _(": ") + _plural(t["clusters"], "cluster")
        if t["cities"]:
            words += _(" in {cities}").format(cities=list_sep().join(name_of(c) for c in t["cities"]))
        fill = fill_of(t["level"])
        head = [
            f'<a href="#division-{esc(t["id"])}">' if link else "",
            f'<g class="division" data-id="{esc(t["id"])}" data-iso="{esc(t["iso_code"] or "")}" '
            f'data-clusters="{t["clusters"]}" data-level="{t["level"]}" data-label="{esc(words)}">',
            f"<title>{esc(words)}</title>",
        ]
        tail = ["</g>", "</a>" if link else ""]
        iso = t["iso_code"] or ""
        if shape is not None:
            body = f'<path d="{_path(frame, shape["polygons"])}" fill="{fill}" stroke="{EDGE}" stroke-width="0.8"/>'
            anchor = frame(*NUDGES.get(iso, shape["label"]))
        elif t["seat"] is not None:
            cx, cy = frame(t["seat"][0], t["seat"][1])
            body = f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{fill}" stroke="{INK}" stroke-width="1"/>'
            anchor = (cx, cy)
        else:
            not_drawn.append(t)
            continue
        out_map += [*head, body, *tail]
        if iso in CALLOUTS:
            lx, ly = frame(*CALLOUTS[iso])
            labels.append(
                f'<line x1="{anchor[0]:.1f}" y1="{anchor[1]:.1f}" x2="{lx:.1f}" y2="{ly - 12:.1f}" '
                f'stroke="{INK}" stroke-width="0.6"/>'
            )
            labels += _label(lx, ly, t, big=False)
        else:
            labels += _label(anchor[0], anchor[1], t, big=True)
    city_dots: list[str] = []
    if dots:
        for d in view["dots"]:
            x, y = frame(d["lon"], d["lat"])
            words = name_of(d) + _(": ") + _plural(d["clusters"], "cluster")
            city_dots.append(
                f'<circle class="city" data-id="{esc(d["id"])}" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{DOT}" '
                f'stroke="{EDGE}" stroke-width="0.5"><title>{esc(words)}</title></circle>'
            )

    y = MAP_TOP + frame.height + 34
    legend = [f'<text x="{SIDE}" y="{y:.0f}" font-size="13" font-weight="bold">{esc(_(LEGEND))}</text>']
    y += 12
    swatches = [(fill_of(0), _("none"))] + [(fill_of(c["level"]), class_label(c, "–")) for c in view["classes"]]
    for i, (fill, words) in enumerate(swatches):
        x = SIDE + i * 110
        legend.append(
            f'<rect x="{x}" y="{y:.0f}" width="22" height="14" fill="{fill}" stroke="#999" stroke-width="0.5"/>'
        )
        legend.append(f'<text x="{x + 28}" y="{y + 11:.0f}" font-size="12">{esc(words)}</text>')
    y += 32
    if dots:
        legend.append(f'<circle cx="{SIDE + 11}" cy="{y - 4:.0f}" r="3" fill="{DOT}"/>')
        legend.append(
            f'<text x="{SIDE + 28}" y="{y:.0f}" font-size="12">'
            + esc(
                _("a city holding clusters counted ({cities} with a seat on record)").format(
                    cities=_plural(len(view["dots"]), "city")
                )
            )
            + "</text>"
        )
        y += 22

    boundary = source()  # what the outlines are and whose lines they draw, from the shapes file's record
    credits = _("; ").join(  # each pack with whom its clusters rest on: a published map credits the sources
        pack_title(c)
        + (paren(c["version"]) if c["version"] else "")
        + (
            _(", from {publisher}").format(publisher=c["source"])
            if c.get("source")
            else _(", from the pages its entries cite")
        )
        + _(": ")
        + _plural(c["clusters"], "cluster")
        for c in view["counted_from"]
    )
    notes = [
        _(view["note"]),
        _("Counted from: {parts}.").format(parts=credits) if credits else _("No cluster is counted."),
        _(view["counts_note"]),
        _(
            "Drawn: mainland China's 31 provincial-level divisions, and Hong Kong and Macao as circles at their "
            "seats. Taiwan, which the knowledge base and its sources leave out, is not drawn."
        ),
        _(
            "Boundaries: {publisher}, 1:50m admin-1, {licence}; simplified, and islands under about 10 km across "
            "left out. They are Natural Earth's de facto boundaries, not an official map of China."
        ).format(publisher=boundary["publisher"], licence=_(boundary["licence"])),
        _("Seats of the circles{dots}: {licence}").format(
            dots=_(" and dots") if dots else "", licence=view["seats_licence"]
        ),
        _("Made with clusters {version}.").format(version=__version__),
    ]
    if not_drawn:
        notes.append(
            _("Not drawn (no outline or seat): {places}").format(
                places=list_sep().join(name_of(t) + paren(t["clusters"]) for t in not_drawn)
            )
        )
    note_lines: list[str] = []
    for note in notes:
        for line in _wrap(note, 11, WIDTH - 2 * SIDE):
            note_lines.append(f'<text x="{SIDE}" y="{y:.0f}" font-size="11" fill="#444">{esc(line)}</text>')
            y += 15
        y += 3
    height = y + 6

    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" '
        # in the page, a group whose divisions are links a keyboard reaches (an image's children are hidden)
        f'height="{height:.0f}" font-family="{FONTS}" role="{"group" if link else "img"}" '
        f'aria-labelledby="map-title" aria-describedby="map-desc" lang="{_page_lang()}">',
        f'<title id="map-title">{esc(map_title(view))}</title>',
        f'<desc id="map-desc">{esc(_map_desc(view, tiles))}</desc>',
        NONE_PATTERN,
        f'<rect width="{WIDTH}" height="{height:.0f}" fill="#ffffff"/>',
    ]
    for i, line in enumerate(title_lines):
        head.append(f'<text x="{SIDE}" y="{32 + i * 26}" font-size="22" font-weight="bold">{esc(line)}</text>')
    counted = sum(c["clusters"] for c in view["counted_from"])
    head.append(
        f'<text x="{SIDE}" y="{58 + (len(title_lines) - 1) * 26}" font-size="13" fill="#444">'
        + esc(
            _("{counted} counted; {marked} of {total} divisions hold at least one").format(
                counted=_plural(counted, "cluster"), marked=view["marked"], total=len(tiles)
            )
        )
        + "</text>"
    )
    drawing = [*head, '<g class="map">', *out_map, "</g>", *city_dots, '<g class="labels">', *labels, "</g>"]
    return "\n".join([*drawing, *legend, *note_lines, "</svg>"]) + "\n"


def render_html(view: MapView, dots: bool = False) -> str:
    """One self-contained page (inline style and script, nothing fetched): the map, whose divisions show their
    figures on hover and link to their row of the table below, and that table. It scales to the window."""
    rows = sorted(view["tiles"] + view["unplaced"], key=lambda t: (-t["clusters"], t["name"]))
    shade = {c["level"]: class_label(c, "–") for c in view["classes"]}
    none = _("none")
    # in Chinese, the Chinese name first, as every Chinese table gives it
    english, chinese = "<td>{}</td>", '<td lang="zh-Hans">{}</td>'
    names = (chinese, english) if zh() else (english, chinese)
    table = "\n".join(
        f'<tr id="division-{esc(t["id"])}"><td>{esc(t["iso_code"] or "")}</td>'
        + names[0].format(esc(t["name_zh"] if zh() else t["name"]) or "")
        + names[1].format(esc(t["name"] if zh() else t["name_zh"] or ""))
        + f'<td class="n">{t["clusters"]}</td>'
        f"<td>{esc(shade.get(t['level'], none))}</td>"
        f"<td>{esc(list_sep().join(name_of(c) for c in t['cities']))}</td></tr>"
        for t in rows
    )
    headers = [*HEADERS[:2], N_("English") if zh() else HEADERS[2], *HEADERS[3:]]  # 行政区, then 英文名
    return f"""<!doctype html>
<html lang="{_page_lang()}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(map_title(view))}</title>
<style>
body {{ font-family: {FONTS}; margin: 0 auto; padding: 1em; max-width: 1100px; color: #1a1a1a; }}
svg {{ display: block; width: 100%; height: auto; }}
.scroll {{ overflow-x: auto; }}
table {{ border-collapse: collapse; margin-top: 1em; }}
td, th {{ border-bottom: 1px solid #ddd; padding: 2px 10px; text-align: left; }}
td.n {{ text-align: right; }}
td:first-child {{ white-space: nowrap; }}
tr:target {{ background: #fff3c4; }}
#hover {{ min-height: 1.4em; margin: 0.5em 0; font-weight: bold; }}
.division {{ cursor: pointer; }}
.division:hover path, .division:hover circle {{ stroke: #1a1a1a; stroke-width: 2; }}
</style>
</head>
<body>
{render_svg(view, link=True, dots=dots)}
<div id="hover" aria-live="polite">{esc(_(HOVER))}</div>
<div class="scroll">
<table>
<thead><tr>{"".join(f"<th>{esc(_(h))}</th>" for h in headers)}</tr></thead>
<tbody>
{table}
</tbody>
</table>
</div>
<script>
// The hovered division's figures, in words, under the map (the data is in each division's data-label).
(function () {{
  var status = document.getElementById("hover");
  var divisions = document.querySelectorAll("g.division");
  divisions.forEach(function (d) {{
    d.addEventListener("mouseenter", function () {{ status.textContent = d.getAttribute("data-label"); }});
    // a keyboard reaches the link around the division (focus does not travel down to it)
    (d.closest("a") || d).addEventListener("focus", function () {{
      status.textContent = d.getAttribute("data-label");
    }});
  }});
  document.body.setAttribute("data-divisions-ready", String(divisions.length));
}})();
</script>
</body>
</html>
"""
