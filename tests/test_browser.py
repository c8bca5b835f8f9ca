"""The map page in a real browser: headless Chromium (Debian's `chromium`; .ci/run installs it) loads the
page `map --html` writes, runs its script, and draws every tile in its level's colour."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import zlib
from collections import Counter
from pathlib import Path

import pytest
from helpers import cli

from clusters_cli.render.svg import FILLS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")


def _chromium(*args: str) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, timeout=90, check=True)


def _pixels(png: bytes) -> Counter[tuple[int, int, int]]:
    """The colours of an 8-bit RGB or RGBA PNG (what Chromium writes), counted."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks, header = 8, [], b""
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        data = png[at + 8 : at + 8 + length]
        if kind == b"IHDR":
            header = data
        elif kind == b"IDAT":
            chunks.append(data)
        at += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour in (2, 6) and interlace == 0
    size = 4 if colour == 6 else 3
    raw = zlib.decompress(b"".join(chunks))
    stride = width * size
    out: Counter[tuple[int, int, int]] = Counter()
    previous = bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):  # undo the PNG filter of the line
            left = line[i - size] if i >= size else 0
            up = previous[i]
            corner = previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        out.update(tuple(line[x : x + 3]) for x in range(0, stride, size))  # type: ignore[misc]
        previous = line
    return out


@needs_chromium
def test_the_map_page_draws_every_tile_with_its_level(tmp_path: Path) -> None:
    page = tmp_path / "map.html"
    assert cli("map", "wind", "--html", str(page)).exit_code == 0
    tiles = cli("map", "wind", "--json").json()["tiles"]
    assert len(tiles) == 9  # the fixture packs' divisions

    shot = tmp_path / "map.png"  # one browser run: the DOM after the script ran, and a screenshot
    # at half scale: the tiles stay solid blocks of their fill, and the picture is a quarter the pixels to read
    args = ("--dump-dom", f"--screenshot={shot}", "--window-size=640,720", "--force-device-scale-factor=0.5")
    dom = _chromium(*args, page.as_uri()).stdout.decode()
    assert 'data-tiles-ready="9"' in dom  # the page's script ran over every tile
    for t in tiles:
        assert f'data-id="{t["id"]}" data-clusters="{t["clusters"]}" data-level="{t["level"]}"' in dom, t["id"]
        assert f'href="#division-{t["id"]}"' in dom and f'id="division-{t["id"]}"' in dom  # a tile links to its row

    colours = _pixels(shot.read_bytes())
    levels = Counter(t["level"] for t in tiles)
    for level, count in levels.items():
        rgb = tuple(int(FILLS[level][i : i + 2], 16) for i in (1, 3, 5))
        # each tile is 64 x 48 pixels of its level's fill (32 x 24 at half scale), less its text and city dots
        assert colours[rgb] >= count * 350, (level, count, colours[rgb])


def test_map_open_writes_a_page_and_asks_the_browser(tmp_path: Path) -> None:
    seen = tmp_path / "opened.txt"
    browser = f"{sys.executable} -c \"import sys; open('{seen}', 'w').write(sys.argv[1])\" %s"
    r = cli("map", "--open", env={"BROWSER": browser})
    assert r.exit_code == 0 and r.stdout == ""
    written = r.stderr.split("wrote ", 1)[1].split()[0]
    assert Path(written).read_text(encoding="utf-8").startswith("<!doctype html>")
    assert written in seen.read_text(encoding="utf-8")
    Path(written).unlink()
