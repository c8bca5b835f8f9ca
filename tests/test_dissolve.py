"""dissolve: outlines sharing borders taken as one (the GeoJSON export's clusters of several provinces)."""

from __future__ import annotations

import itertools

from clusters_cli.dissolve import dissolve


def square(x: float, y: float, side: float = 1.0) -> list[list[list[float]]]:
    """A square polygon, counterclockwise and closed, as RFC 7946 winds an exterior."""
    ring = [[x, y], [x + side, y], [x + side, y + side], [x, y + side], [x, y]]
    return [ring]


def area2(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring))


def test_two_squares_sharing_a_side_become_one_polygon_without_the_side() -> None:
    (merged,) = dissolve([square(0, 0), square(1, 0)])
    (ring,) = merged
    assert ring[0] == ring[-1] and area2(ring) == 4.0  # twice the area of the 2 x 1 rectangle, counterclockwise
    assert [1.0, 0.0] in ring and [1.0, 1.0] in ring  # the shared side's ends stay on the outline
    assert len(ring) == 7  # six corners walked (the shared side's ends on the long sides) and the closing one


def test_squares_touching_at_a_corner_stay_apart() -> None:
    merged = dissolve([square(0, 0), square(1, 1)])
    assert sorted(sorted(map(tuple, ring[0][:-1])) for ring in merged) == [
        [(0.0, 0.0), (0.0, 1.0), (1.0, 0.0), (1.0, 1.0)],
        [(1.0, 1.0), (1.0, 2.0), (2.0, 1.0), (2.0, 2.0)],
    ]


def test_a_ring_of_squares_around_an_empty_one_keeps_the_hole_clockwise_inside_its_exterior() -> None:
    around = [square(x, y) for x in range(3) for y in range(3) if (x, y) != (1, 1)]
    (merged,) = dissolve(around)
    exterior, hole = merged
    assert area2(exterior) == 18.0 and area2(hole) == -2.0
    assert sorted(map(tuple, hole[:-1])) == [(1.0, 1.0), (1.0, 2.0), (2.0, 1.0), (2.0, 2.0)]


def test_polygons_apart_are_kept_each_as_it_was() -> None:
    merged = dissolve([square(0, 0), square(5, 5, 2)])
    assert sorted(area2(polygon[0]) for polygon in merged) == [2.0, 8.0]
