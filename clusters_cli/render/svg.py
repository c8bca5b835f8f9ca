"""The map as SVG, and as an HTML page around that SVG, for reports.

Same tiles and counts as the terminal map; every text from the data goes through markup.esc (text and attributes alike).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .markup import esc

if TYPE_CHECKING:
    from ..views.analysis_types import MapView


FILLS = ["#e6e6e6", "#c6e9ef", "#8fd0dd", "#4aa9bf", "#1f6f8b"]
TILE_W, TILE_H, GAP, MARGIN_TOP = 64, 48, 4, 40


def render_svg(view: MapView, link: bool = False) -> str:
    """The tile map; with `link`, each tile links to its row of the page's table (render_html)."""
    tiles = view["tiles"]
    top = view["max_clusters"]
    rows = 1 + max((t["row"] for t in tiles), default=0)
    cols = 1 + max((t["col"] for t in tiles), default=0)
    width = cols * (TILE_W + GAP) + GAP
    legend_y = MARGIN_TOP + rows * (TILE_H + GAP) + 20
    height = legend_y + 40
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" role="img">',
        f"<title>{esc(view['title'])}</title>",
        f'<text x="{GAP}" y="24" font-size="16" font-weight="bold">{esc(view["title"])}</text>',
    ]
    for t in tiles:
        x = GAP + t["col"] * (TILE_W + GAP)
        y = MARGIN_TOP + t["row"] * (TILE_H + GAP)
        level = t["level"]
        ink = "#ffffff" if level >= 3 else "#222222"
        label = f"{t['name']} {t['name_zh']}: {t['clusters']} cluster{'s' if t['clusters'] != 1 else ''}"
        if t["cities"]:
            label += " in " + ", ".join(c["name"] for c in t["cities"])
        out += [
            f'<a href="#division-{esc(t["id"])}">' if link else "",
            f'<g class="tile" data-id="{esc(t["id"])}" data-clusters="{t["clusters"]}" '
            f'data-level="{level}" data-label="{esc(label)}">',
            f"<title>{esc(label)}</title>",
            f'<rect x="{x}" y="{y}" width="{TILE_W}" height="{TILE_H}" rx="4" fill="{FILLS[level]}"/>',
            f'<text x="{x + 8}" y="{y + 20}" font-size="14" font-weight="bold" fill="{ink}">{esc(t["code"])}</text>',
            f'<text x="{x + 8}" y="{y + 40}" font-size="13" fill="{ink}">'
            f"{t['clusters'] if t['clusters'] else '·'}</text>",
            # one dot per city that holds the clusters, along the tile's right edge
            *(
                f'<circle class="city" cx="{x + TILE_W - 8}" cy="{y + 8 + i * 7}" r="2.5" fill="{ink}">'
                f"<title>{esc(c['name'])}</title></circle>"
                for i, c in enumerate(t["cities"][:5])
            ),
            "</g>",
            "</a>" if link else "",
        ]
    for i, fill in enumerate(FILLS):
        x = GAP + i * 70
        out.append(f'<rect x="{x}" y="{legend_y}" width="16" height="16" fill="{fill}"/>')
        words = "none" if i == 0 else f"level {i}"
        out.append(f'<text x="{x + 20}" y="{legend_y + 13}" font-size="12">{words}</text>')
    out.append(f'<text x="{GAP}" y="{legend_y + 34}" font-size="11" fill="#555">{esc(view["note"])} Top: {top}.</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def render_html(view: MapView) -> str:
    """One self-contained page (inline style and script, nothing fetched): the tile map, whose tiles show
    their figures on hover and link to their row of the table below, and that table."""
    rows = sorted(view["tiles"] + view["unplaced"], key=lambda t: (-t["clusters"], t["name"]))
    table = "\n".join(
        f'<tr id="division-{esc(t["id"])}"><td>{esc(t["code"])}</td><td>{esc(t["name"])}</td>'
        f"<td>{esc(t['name_zh'] or '')}</td><td>{t['clusters']}</td>"
        f"<td>{esc(', '.join(c['name'] for c in t['cities']))}</td></tr>"
        for t in rows
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{esc(view["title"])}</title>
<style>
body {{ font-family: sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; margin-top: 1em; }}
td, th {{ border-bottom: 1px solid #ddd; padding: 2px 10px; text-align: left; }}
tr:target {{ background: #fff3c4; }}
#hover {{ min-height: 1.4em; margin: 0.5em 0; font-weight: bold; }}
.tile {{ cursor: pointer; }}
.tile:hover rect {{ stroke: #222; stroke-width: 2; }}
</style>
</head>
<body>
{render_svg(view, link=True)}
<div id="hover" aria-live="polite">Point at a division to see its clusters.</div>
<table>
<thead><tr><th>Code</th><th>Division</th><th>Chinese</th><th>Clusters</th><th>Cities holding them</th></tr></thead>
<tbody>
{table}
</tbody>
</table>
<p>{esc(view["note"])}</p>
<script>
// The hovered tile's figures, in words, above the table (the data is in each tile's data-label).
(function () {{
  var status = document.getElementById("hover");
  var tiles = document.querySelectorAll("g.tile");
  tiles.forEach(function (tile) {{
    tile.addEventListener("mouseenter", function () {{ status.textContent = tile.getAttribute("data-label"); }});
    tile.addEventListener("focus", function () {{ status.textContent = tile.getAttribute("data-label"); }});
  }});
  document.body.setAttribute("data-tiles-ready", String(tiles.length));
}})();
</script>
</body>
</html>
"""
