"""Outlines of neighbouring provinces as one: the borders they share dissolved.

A cluster placed in several provinces is drawn in the GeoJSON export by their outlines. Kept side by side in a
MultiPolygon, two provinces sharing a border make a geometry GIS tools refuse as invalid (its polygons
overlap along the border: "Self-intersection" in GEOS), so buffers, unions and spatial joins failed on it.
The shipped outlines keep every shared border identical on both sides (scripts/build_shapes.py), so the union
is exact: an edge one ring walks one way and another walks back is inside the union, and the edges left make
its rings. Pure arithmetic on the coordinates, no geometry library.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Sequence

Point = tuple[float, float]
Ring = list[list[float]]
Polygon = list[Ring]


def ring_area2(ring: Sequence[Sequence[float]]) -> float:
    """Twice the signed area of a ring in longitude and latitude: positive when it turns counterclockwise (the
    shoelace formula; an open ring is closed). The GeoJSON export winds its polygons by it too."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, [*ring[1:], ring[0]], strict=True))


def _inside(point: Point, ring: list[Point]) -> bool:
    """Whether a point lies inside a closed ring (ray casting)."""
    x, y = point
    inside = False
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _turn(before: Point, at: Point, after: Point) -> float:
    """The angle turned at `at`, from the way in to the way out: positive to the left."""
    a = math.atan2(at[1] - before[1], at[0] - before[0])
    b = math.atan2(after[1] - at[1], after[0] - at[0])
    turn = b - a
    while turn <= -math.pi:
        turn += 2 * math.pi
    while turn > math.pi:
        turn -= 2 * math.pi
    return turn


def dissolve(polygons: list[Polygon]) -> list[Polygon]:
    """The union of polygons that meet only along shared borders (exteriors counterclockwise, holes clockwise,
    rings closed, as RFC 7946 winds them), wound the same way: each border two of them share is gone, and
    polygons that touch at a point stay apart (each way round a point turns left, so rings part there)."""
    walked: dict[tuple[Point, Point], int] = defaultdict(int)
    for polygon in polygons:
        for ring in polygon:
            points = [(float(p[0]), float(p[1])) for p in ring]
            for a, b in itertools.pairwise(points):
                if a == b:
                    continue
                if walked[(b, a)] > 0:  # walked back by a neighbour: a shared border, inside the union
                    walked[(b, a)] -= 1
                else:
                    walked[(a, b)] += 1
    leaving: dict[Point, list[Point]] = defaultdict(list)
    for (a, b), n in sorted(walked.items()):
        leaving[a].extend([b] * n)
    rings: list[list[Point]] = []
    for start in sorted(leaving):
        while leaving[start]:
            chain: list[Point] = [start, leaving[start].pop()]
            while chain[-1] != start:
                options = leaving[chain[-1]]
                if not options:  # an open chain: the outlines did not meet as they should; dropped
                    chain = []
                    break
                before, at = chain[-2], chain[-1]
                best = max(range(len(options)), key=lambda i: _turn(before, at, options[i]))
                chain.append(options.pop(best))
            if len(chain) >= 4 and ring_area2(chain) != 0:
                rings.append(chain)
    exteriors = [r for r in rings if ring_area2(r) > 0]
    holes = [r for r in rings if ring_area2(r) < 0]
    out: list[list[list[Point]]] = [[r] for r in exteriors]
    for hole in holes:
        inner = [p for p in hole if not any(p in r for r in exteriors)] or hole
        owners = [i for i, r in enumerate(exteriors) if _inside(inner[0], r)]
        if owners:  # the smallest exterior holding it
            out[min(owners, key=lambda i: abs(ring_area2(exteriors[i])))].append(hole)
    return [[[[x, y] for x, y in ring] for ring in polygon] for polygon in out]
