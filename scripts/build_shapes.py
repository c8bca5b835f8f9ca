#!/usr/bin/env python3
"""Build data/province_shapes.json, the province outlines `map --svg` and `map --html` draw.

    python scripts/build_shapes.py           # writes data/province_shapes.json
    python scripts/build_shapes.py --check   # exit 1 if the shipped file differs from a fresh build

Input (vendored unchanged, public domain): scripts/inputs/ne_50m_admin_1_china.geojson, the 31 China
features of Natural Earth's 1:50m admin-1 layer (scripts/inputs/README.md says where it was taken from).
Its SHA-256 is recorded in the output, with the tolerance used.

What the build does, and nothing else:
- keeps four properties per province: the ISO 3166-2 code, the English and Chinese names and Natural
  Earth's label point;
- simplifies every ring with Douglas-Peucker at TOLERANCE degrees, keeping borders shared by two provinces
  identical on both sides (a vertex either province keeps is kept by both, and every vertex where the set of
  provinces sharing the border changes is always kept), so the simplified map has no gaps or overlaps;
- drops islands smaller than MIN_RING_AREA square degrees (never a province's largest ring);
- rounds coordinates to 3 decimals (about 100 m), far finer than a drawn pixel.

Boundaries are Natural Earth's de facto lines (see scripts/inputs/README.md): no feature covers Taiwan,
Hong Kong or Macao, and the map says so.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "scripts" / "inputs" / "ne_50m_admin_1_china.geojson"
OUTPUT = ROOT / "data" / "province_shapes.json"
TOLERANCE = 0.05  # degrees: about 5 km, under a pixel on a 1000-unit-wide map of China
MIN_RING_AREA = 0.01  # square degrees: islands smaller than about 10 km x 10 km are dropped

Point = tuple[float, float]


def _key(p: list[float]) -> Point:
    return (round(p[0], 7), round(p[1], 7))


def _polygons(geometry: dict[str, Any]) -> list[list[list[Point]]]:
    coords = geometry["coordinates"]
    polys = coords if geometry["type"] == "MultiPolygon" else [coords]
    return [[[_key(p) for p in ring] for ring in poly] for poly in polys]


def _area(ring: list[Point]) -> float:
    return abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in pairwise(ring))) / 2


def _seg_dist(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == dy == 0:
        return ((p[0] - a[0]) ** 2 + (p[1] - a[1]) ** 2) ** 0.5
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)))
    return ((p[0] - a[0] - t * dx) ** 2 + (p[1] - a[1] - t * dy) ** 2) ** 0.5


def _douglas_peucker(points: list[Point], keep: set[Point]) -> None:
    """Add to `keep` the points Douglas-Peucker keeps between the run's two ends."""
    stack = [(0, len(points) - 1)]
    while stack:
        lo, hi = stack.pop()
        if hi - lo < 2:
            continue
        far, index = -1.0, -1
        for i in range(lo + 1, hi):
            d = _seg_dist(points[i], points[lo], points[hi])
            if d > far:
                far, index = d, i
        if far > TOLERANCE:
            keep.add(points[index])
            stack += [(lo, index), (index, hi)]


def simplify(features: list[dict[str, Any]]) -> list[list[list[list[Point]]]]:
    shapes = [_polygons(f["geometry"]) for f in features]
    sharing: dict[Point, set[int]] = {}
    for n, polys in enumerate(shapes):
        for poly in polys:
            for ring in poly:
                for p in ring:
                    sharing.setdefault(p, set()).add(n)
    keep: set[Point] = set()
    for polys in shapes:
        for poly in polys:
            for ring in poly:
                # fixed points: the ring's start, and every vertex where who shares the border changes
                fixed = [0] + [
                    i
                    for i in range(1, len(ring) - 1)
                    if sharing[ring[i]] != sharing[ring[i - 1]] or sharing[ring[i]] != sharing[ring[i + 1]]
                ]
                fixed.append(len(ring) - 1)
                keep.update(ring[i] for i in fixed)
                for lo, hi in pairwise(fixed):
                    _douglas_peucker(ring[lo : hi + 1], keep)
    out = []
    for polys in shapes:
        biggest = max((poly[0] for poly in polys), key=_area)
        kept_polys = []
        for poly in polys:
            if poly[0] is not biggest and _area(poly[0]) < MIN_RING_AREA:
                continue
            rings = [[p for p in ring if p in keep] for ring in poly]
            rings = [r for r in rings if len(r) >= 4]
            if rings:
                kept_polys.append(rings)
        out.append(kept_polys)
    return out


def build() -> dict[str, Any]:
    raw = SOURCE.read_bytes()
    features = sorted(json.loads(raw)["features"], key=lambda f: f["properties"]["iso_3166_2"])
    simplified = simplify(features)
    out_features = []
    for f, polys in zip(features, simplified, strict=True):
        props = f["properties"]
        out_features.append(
            {
                "type": "Feature",
                "properties": {
                    "iso_code": props["iso_3166_2"],
                    "name": props["name"],
                    "name_zh": props["name_zh"],
                    "label": [props["longitude"], props["latitude"]],
                },
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [[[[round(x, 3), round(y, 3)] for x, y in ring] for ring in poly] for poly in polys],
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "name": "province_shapes",
        "source": {
            "title": "Natural Earth 1:50m Admin 1 - States, Provinces (ne_50m_admin_1_states_provinces), "
            "China features",
            "publisher": "Natural Earth (naturalearthdata.com)",
            "address": "GitHub repository nvkelso/natural-earth-vector, "
            "geojson/ne_50m_admin_1_states_provinces.geojson, commit 6a9da465f6f05b9936e34340d6a81a00f79ac1a2 "
            "(vendored as scripts/inputs/ne_50m_admin_1_china.geojson)",
            "sha256": hashlib.sha256(raw).hexdigest(),
            "licence": "public domain (Natural Earth terms of use)",
            "boundaries": "Natural Earth's de facto boundaries; not an official map of China",
        },
        "simplification": {"tolerance_degrees": TOLERANCE, "min_island_square_degrees": MIN_RING_AREA, "decimals": 3},
        "features": out_features,
    }


def render(doc: dict[str, Any]) -> str:
    # one feature a line: small, and a diff shows which province changed
    head = {k: v for k, v in doc.items() if k != "features"}
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in doc["features"]]
    body = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    return body + ',\n "features": [\n' + ",\n".join(lines) + "\n ]\n}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing")
    parser.add_argument("-o", "--output", default=str(OUTPUT))
    args = parser.parse_args(argv)
    text = render(build())
    target = Path(args.output)
    if args.check:
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            print(f"{target} differs from a fresh build; run scripts/build_shapes.py", file=sys.stderr)
            return 1
        print(f"{target} matches a fresh build")
        return 0
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
