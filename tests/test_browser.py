"""The map page in a real browser: headless Chromium (Debian's `chromium`; .ci/run installs it) loads the
page `map --html` writes at a phone's width and a desktop's, runs its script, keeps every word inside the
drawing and the drawing inside the window, and paints every division in its class's shade."""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import cli

from clusters_cli.render.svg import FILLS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")


def _chromium(*args: str) -> subprocess.CompletedProcess[bytes]:
    assert CHROMIUM is not None
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, timeout=90, check=True)


# The page is loaded in one iframe per reader's width (a headless window has a minimum width, an iframe
# none), all in one browser run, and measured from outside: every text's box against the drawing's, the
# drawing against the window, and each division's painted fill. The page itself is the file `map --html`
# wrote, unchanged.
HARNESS = """<!doctype html><html><body style="margin:0">
FRAMES
<pre id="out">pending</pre>
<script>
var seen = {}, frames = document.querySelectorAll("iframe");
frames.forEach(function (frame) { frame.addEventListener("load", function () {
  var win = this.contentWindow, doc = this.contentDocument, svg = doc.querySelector("svg");
  var box = svg.getBoundingClientRect(), slack = 0.5, out = [];
  doc.querySelectorAll("svg text").forEach(function (t) {
    var b = t.getBoundingClientRect();
    if (b.width <= 0 || b.left < box.left - slack || b.right > box.right + slack ||
        b.top < box.top - slack || b.bottom > box.bottom + slack) out.push("clipped: " + t.textContent);
  });
  var painted = {};
  doc.querySelectorAll("g.division").forEach(function (g) {
    var shape = g.querySelector("path, circle"), b = shape.getBoundingClientRect();
    painted[g.getAttribute("data-id")] = [getComputedStyle(shape).fill, b.width > 0 && b.height > 0];
  });
  seen[this.getAttribute("data-frame")] = {
    problems: out, painted: painted, window: win.innerWidth, scroll: doc.documentElement.scrollWidth,
    svg: [box.left, box.right], ready: doc.body.getAttribute("data-divisions-ready")
  };
  if (Object.keys(seen).length === frames.length) document.getElementById("out").textContent = JSON.stringify(seen);
}); });
</script></body></html>"""
FRAME = '<iframe src="PAGE" width="WIDTH" data-frame="INDEX" height="2400" style="border:0;display:block"></iframe>'


def measure(frames: list[tuple[Path, int]]) -> list[dict[str, Any]]:
    """Each (map page, width in pixels) as a reader of that width sees it, all measured in one run of headless
    Chromium (a run costs most of a second): what was measured, in the order asked. The pages share a folder."""
    harness = frames[0][0].with_name("harness.html")
    harness.write_text(
        HARNESS.replace(
            "FRAMES",
            "\n".join(
                FRAME.replace("INDEX", str(n)).replace("WIDTH", str(w)).replace("PAGE", page.name)
                for n, (page, w) in enumerate(frames)
            ),
        ),
        encoding="utf-8",
    )
    args = ("--allow-file-access-from-files", "--virtual-time-budget=5000", "--dump-dom")
    dom = _chromium(*args, harness.as_uri()).stdout.decode()
    text = dom.split('<pre id="out">', 1)[1].split("</pre>", 1)[0]
    result = json.loads(html.unescape(text))
    assert sorted(result, key=int) == [str(n) for n in range(len(frames))], result  # every frame measured
    return [result[str(n)] for n in range(len(frames))]


def measure_page(page: Path, *widths: int) -> dict[int, dict[str, Any]]:
    """The map page `page` as readers of these widths see it: width -> what was measured."""
    return dict(zip(widths, measure([(page, w) for w in widths]), strict=True))


def rgb(fill: str) -> str:
    return "rgb({}, {}, {})".format(*(int(fill[i : i + 2], 16) for i in (1, 3, 5)))


def painted(level: int) -> str:
    """A division's fill as the browser computes it: its class's shade; for none, the hatch pattern."""
    return rgb(FILLS[level]) if level else 'url("#shade-none")'


@needs_chromium
def test_the_map_page_fits_a_phone_and_a_desktop_and_paints_every_division(tmp_path: Path) -> None:
    """Measured in one browser run (a run costs most of a second): the wind map with dots at a phone's width
    and a desktop's, and, to show the measure sees what it looks for, a plain map with a word written outside
    its drawing."""
    wind, doctored = tmp_path / "wind.html", tmp_path / "doctored.html"
    assert cli("map", "wind", "--dots", "--html", str(wind)).exit_code == 0
    assert cli("map", "--html", str(doctored)).exit_code == 0
    text = doctored.read_text(encoding="utf-8")
    word = '<text x="990" y="40" font-size="20">overflowing words</text></svg>'
    doctored.write_text(text.replace("</svg>", word, 1), encoding="utf-8")
    phone, desktop, outside = measure([(wind, 390), (wind, 1400), (doctored, 390)])
    assert outside["problems"] == ["clipped: overflowing words"]
    tiles = cli("map", "wind", "--json").json()["tiles"]
    for width, seen in ((390, phone), (1400, desktop)):
        assert seen["window"] == width and seen["ready"] == str(len(tiles))  # the page's script ran
        assert seen["problems"] == []  # no text outside the drawing
        assert seen["svg"][0] >= 0 and seen["svg"][1] <= width and seen["scroll"] <= width  # nor the drawing
        # every division of the fixture packs has an outline, painted in its level's shade
        assert seen["painted"] == {t["id"]: [painted(t["level"]), True] for t in tiles}


def test_map_open_writes_a_page_and_asks_the_browser(tmp_path: Path) -> None:
    seen = tmp_path / "opened.txt"
    browser = f"{sys.executable} -c \"import sys; open('{seen}', 'w').write(sys.argv[1])\" %s"
    r = cli("map", "--open", env={"BROWSER": browser})
    assert r.exit_code == 0 and r.stdout == ""
    written = r.stderr.split("wrote ", 1)[1].split()[0]
    assert Path(written).read_text(encoding="utf-8").startswith("<!doctype html>")
    assert seen.read_text(encoding="utf-8") == Path(written).as_uri()
    Path(written).unlink()


def test_map_open_hands_the_browser_a_uri_of_the_page_whatever_its_folder_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `#`, `?` or space in the temporary folder's name is escaped in the address the browser is given, so
    the address is the page (`file:///tmp/a #1/...` would name `/tmp/a ` and a fragment)."""
    import tempfile
    import webbrowser
    from urllib.parse import unquote, urlparse

    folder = tmp_path / "a #1?x"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    asked: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *args, **kwargs: asked.append(url) or True)
    r = cli("map", "--open")
    assert r.exit_code == 0, r.stderr
    address = urlparse(asked[0])
    assert address.scheme == "file" and not address.query and not address.fragment
    page = Path(unquote(address.path))
    assert page.parent == folder and page.read_text(encoding="utf-8").startswith("<!doctype html>")
