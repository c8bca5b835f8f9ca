"""The province outlines the drawn map uses: what scripts/build_shapes.py builds from the vendored Natural
Earth file, one for every mainland provincial-level division, with shared borders still shared."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from shipped import DIVISIONS, ROOT, load

SHAPES = ROOT / "data" / "province_shapes.json"
SOURCE = ROOT / "scripts" / "inputs" / "ne_50m_admin_1_china.geojson"


def test_the_shipped_outlines_are_what_the_script_builds(tmp_path: Path) -> None:
    out = tmp_path / "shapes.json"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_shapes.py"), "-o", str(out)], check=True)
    assert out.read_bytes() == SHAPES.read_bytes()


def test_the_build_records_what_it_read_and_stays_small() -> None:
    doc = json.loads(SHAPES.read_text(encoding="utf-8"))
    assert doc["source"]["sha256"] == hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert doc["source"]["sha256"] == "861684cfeffeaf645fa0ecdc255254a737d2e30573338fe1b9b5983c272fce19"  # README
    assert SHAPES.stat().st_size < 100_000  # about a quarter of the source


def test_every_mainland_division_has_one_outline_joined_by_iso_code() -> None:
    doc = json.loads(SHAPES.read_text(encoding="utf-8"))
    codes = Counter(f["properties"]["iso_code"] for f in doc["features"])
    provinces = {p["iso_code"] for p in load(DIVISIONS)["provinces"]}
    assert set(codes) == provinces - {"CN-HK", "CN-MO"} and len(codes) == 31 and set(codes.values()) == {1}


def test_borders_stay_shared_after_simplifying() -> None:
    # a border vertex of two provinces is kept by both or neither: the simplified map has no gaps or slivers
    def vertices(path: Path, decimals: int) -> list[Counter[tuple[float, float]]]:
        doc = json.loads(path.read_text(encoding="utf-8"))
        out = []
        for f in doc["features"]:
            polys = f["geometry"]["coordinates"]
            polys = polys if f["geometry"]["type"] == "MultiPolygon" else [polys]
            out.append(Counter((round(x, decimals), round(y, decimals)) for p in polys for r in p for x, y in r))
        return out

    simplified = vertices(SHAPES, 3)
    owners = Counter(v for shape in simplified for v in set(shape))
    shared = {v for v, n in owners.items() if n > 1}
    assert len(shared) > 1000  # 31 provinces share many border vertices
    source = vertices(SOURCE, 3)
    source_owners = Counter(v for shape in source for v in set(shape))
    # every border vertex of the source is kept by all the provinces sharing it, or by none
    assert {v: owners[v] for v, n in source_owners.items() if n > 1 and owners[v] not in (0, n)} == {}
    assert all(source_owners[v] == owners[v] for v in shared)


def test_every_city_dot_of_the_drawn_map_touches_the_land_it_stands_for(tmp_path: Path) -> None:
    """The outlines are Natural Earth's 1:50m coast simplified to about 5 km, so a seat on the shore can fall a
    hair out to sea (Shenzhen, Zhuhai, Qingdao: some are outside the 1:50m coast itself). On the drawn map
    (`map --svg --dots`, every city holding a cluster) no dot may stand apart from the land: each dot's centre lies
    inside an outline or nearer to one than half the dot's radius (Xiamen's seat is on its island, which the
    simplified coast leaves out: its dot's centre is 1.4 of its 3 units off the shore, half of it over land)."""
    import math
    import re

    from helpers import cli

    svg = tmp_path / "map.svg"
    assert cli("map", "--dots", "--svg", str(svg)).exit_code == 0
    text = svg.read_text(encoding="utf-8")
    rings = [
        [tuple(map(float, p.split(","))) for p in ring.split("L")]
        for d in re.findall(r'<path[^>]* d="([^"]+)"', text)
        for ring in re.findall(r"M([^MZ]+)Z", d)
    ]
    dots = [
        (float(x), float(y), float(r))
        for x, y, r in re.findall(r'<circle class="city"[^>]* cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', text)
    ]
    assert len(dots) > 100 and len(rings) > 31

    def inside(x: float, y: float, ring: list[tuple[float, ...]]) -> bool:
        crossings = 0
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                crossings += 1
        return crossings % 2 == 1

    def apart(x: float, y: float, ring: list[tuple[float, ...]]) -> float:
        def to_segment(a: tuple[float, ...], b: tuple[float, ...]) -> float:
            dx, dy = b[0] - a[0], b[1] - a[1]
            t = max(0.0, min(1.0, ((x - a[0]) * dx + (y - a[1]) * dy) / ((dx * dx + dy * dy) or 1.0)))
            return math.hypot(x - a[0] - t * dx, y - a[1] - t * dy)

        return min(to_segment(a, b) for a, b in zip(ring, ring[1:] + ring[:1], strict=True))

    offshore = {
        (x, y): min(apart(x, y, ring) for ring in rings)
        for x, y, _ in dots
        if not any(inside(x, y, ring) for ring in rings)
    }
    assert all(gap < r / 2 for (x, y, r) in dots for gap in [offshore.get((x, y), 0.0)]), offshore
