"""`near`'s questions of the store: the points entities are counted at, within a box around a point, measured
by the dot product of unit vectors (SQL has no trigonometry to rely on) with a margin, the caller measuring
exactly what is returned. A part of the KB (store/kb.py), apart because it is geometry."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from ..geo import dot_at_km, km_at_dot, unit_vector

# the margin of the store's measure of distance (a dot product) against the caller's (haversine), far wider
# than their difference (below a millimetre at any distance)
EDGE_KM = 0.001
# every point, whether its entity has one point or several: the first column of near's index (writers.py), so
# a box is read by two ranges of it (two for each degree of longitude it spans)
_EITHER = "multi IN (0, 1)"
# the most degrees of longitude a box is read by, one range each (a box of 2,000 km around Suzhou spans 57); a
# wider box reads its band of latitude whole
MAX_CELLS = 60


class PointQueries:
    """The KB's questions of its points (the table `points`, writers.write_points), asked through the KB's
    `_query`."""

    _query: Callable[[str, tuple[Any, ...]], list[tuple[Any, ...]]]

    def points_near(
        self, lat: float, lon: float, km: float, kinds: Iterable[str]
    ) -> list[tuple[str, str, str, float, float, str, str]]:
        """(kind, id, city, lat, lon, seat, name) of every point an entity of these kinds is counted at
        (store.rules.points) that may lie within `km` of (lat, lon): a box of latitude and longitude around it,
        never smaller than the circle (the caller measures the distance). `seat` is the city whose seat the
        point is (rules.seat_city: the city's own, or its prefecture's); `name`, the entity's. Infinite `km`:
        every point."""
        where, params = self._box(lat, lon, km, list(kinds))
        rows = self._query(
            f"SELECT kind, id, city, lat, lon, seat, name FROM points WHERE {where} ORDER BY rowid", params
        )
        return [(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]

    def points_nearest(
        self, lat: float, lon: float, km: float, kinds: Iterable[str], limit: int, exclude: tuple[str, str] | None
    ) -> tuple[int, list[tuple[str, str, str, float, float, str, str]]]:
        """(how many entities of these kinds lie within `km` of (lat, lon) whose points are not returned; the
        points, as points_near gives them, of every entity that may be among the `limit` nearest or may lie on
        the circle's edge), leaving out the entity `exclude`.

        The store measures a point by the dot product of its unit vector with the origin's: close to the
        caller's haversine but not equal, so every comparison keeps a margin of EDGE_KM, and the caller measures
        the points returned exactly. A point is returned if it is no farther than the `limit`-th nearest entity
        plus its rounding (0.1 km) and the margin; every point of an entity within the margin of the edge is
        returned; an entity counted lies within `km` by any measure and has no point returned."""
        box, box_params = self._box(lat, lon, km, list(kinds))
        where, params = box, box_params
        ux, uy, uz = unit_vector(lat, lon)
        reach = dot_at_km(km + EDGE_KM)  # a point that may lie within km
        sure = dot_at_km(km - EDGE_KM)  # one that surely does
        # the excluded entity: left out of the points read, and out of its spot's count where it has one point
        spot: tuple[Any, ...] = ("", 0.0, 0.0)
        if exclude is not None:
            where, params = f"{box} AND NOT (kind = ? AND id = ?)", (*box_params, *exclude)
            own = self._query("SELECT lat, lon, multi FROM points WHERE kind = ? AND id = ?", exclude)  # by entity
            spot = (exclude[0], own[0][0], own[0][1]) if len(own) == 1 and not own[0][2] else spot
        # one pass over the box: the entities within reach, those of one point counted by spot (writers.write_spots:
        # many stand at one seat) and those of several at their nearest point; then how many surely lie within reach
        # (part 0), how near the `limit`-th lies (part 1: the nearest spots and entities, counted until `limit`), the
        # entities of several points on the edge (part 2), and whether a spot lies on the edge (part 3)
        several = where.replace(_EITHER, "multi = 1")
        spots, spot_params = self._box(lat, lon, km, list(kinds), cells=False)  # the points of one point, by spot
        found = self._query(
            "WITH e AS MATERIALIZED (SELECT NULL AS kind, NULL AS id, m, n FROM (SELECT x * ? + y * ? + z * ? AS m, "
            f"n - (kind = ? AND lat = ? AND lon = ?) AS n FROM spots WHERE {spots}) WHERE m >= ? AND n > 0 "
            f"UNION ALL SELECT kind, id, MAX(x * ? + y * ? + z * ?) AS m, 1 FROM points WHERE {several} "
            "GROUP BY kind, id HAVING m >= ?) "
            "SELECT 0, NULL, NULL, COALESCE(SUM(n), 0) FROM e WHERE m >= ? "
            "UNION ALL SELECT * FROM (SELECT 1, NULL, NULL, m FROM (SELECT m, SUM(n) OVER (ORDER BY m DESC "
            "ROWS UNBOUNDED PRECEDING) AS c FROM e) WHERE c >= ? ORDER BY m DESC LIMIT 1) "
            "UNION ALL SELECT 2, kind, id, m FROM e WHERE m < ? AND id IS NOT NULL "
            "UNION ALL SELECT 3, NULL, NULL, COUNT(*) FROM e WHERE m < ? AND id IS NULL",
            (ux, uy, uz, *spot, *spot_params, reach, ux, uy, uz, *params, reach, sure, limit, sure, sure),
        )
        counted = next(r[3] for r in found if r[0] == 0)
        nearest = next((r[3] for r in found if r[0] == 1), None)  # the `limit`-th entity's measure
        edge = [v for r in found if r[0] == 2 for v in r[1:3]]
        single_edge = next(r[3] for r in found if r[0] == 3) > 0  # a spot between reach and sure (rare: 2 m wide)
        # every point as near as the `limit`-th entity, its rounding and the margin (or all within reach), and
        # every point of an entity on the edge
        # (the `limit`-th entity measures at most EDGE_KM more than the store's measure, so it rounds to at most
        # round(d + EDGE_KM, 1); anything that rounds as near lies within that + 0.05, measured with the margin)
        last = round(km_at_dot(nearest) + EDGE_KM, 1) if nearest is not None else None
        cut = dot_at_km(last + 0.05 + EDGE_KM) if last is not None else reach
        # those of several points from the box's index: every point as near as that, and every point of an entity on
        # the edge. Those of one point by spot: the first `limit` of a kind at a spot in the order of a tie (name,
        # then id, near's index of spots: layout.HELPER_INDEXES), since those after it cannot be shown (`limit`
        # entities of their kind at their distance come first: at 100 times the data, 1,599 entities stood at the
        # seat of Suzhou for 30 rows), and every entity of a spot on the edge (between reach and sure). The spots
        # are read first (CROSS JOIN: SQLite's planner would read every point of one point in the band of latitude)
        near_enough = max(cut, reach)
        on_edge = f" OR (kind, id) IN (VALUES {','.join(['(?, ?)'] * (len(edge) // 2))})" if edge else ""
        spot_edge = " OR m BETWEEN ? AND ?" if single_edge else ""
        not_own = " AND NOT (p.kind = ? AND p.id = ?)" if exclude is not None else ""
        rows = self._query(  # the points chosen from the indexes, then read from the table
            "SELECT kind, id, city, lat, lon, seat, name, x * ? + y * ? + z * ? FROM points WHERE rowid IN "
            f"(SELECT rowid FROM points WHERE {several} AND (x * ? + y * ? + z * ? >= ?{on_edge}) "
            "UNION ALL SELECT rowid FROM (SELECT p.rowid AS rowid, s.m AS m, ROW_NUMBER() OVER "
            "(PARTITION BY s.kind, s.lat, s.lon ORDER BY p.name, p.id) AS r FROM (SELECT kind, lat, lon, "
            f"x * ? + y * ? + z * ? AS m FROM spots WHERE {spots}) AS s CROSS JOIN points AS p ON p.multi = 0 AND "
            f"p.kind = s.kind AND p.lat = s.lat AND p.lon = s.lon WHERE (m >= ?{spot_edge}){not_own}) "
            "WHERE r <= ? OR m < ?) ORDER BY rowid",
            (
                *(ux, uy, uz),
                *params,
                *(ux, uy, uz, near_enough, *edge),
                *(ux, uy, uz, *spot_params, near_enough),
                *((reach, sure) if single_edge else ()),
                *(exclude or ()),
                *(limit, sure),
            ),
        )
        # the entities surely within reach, less those returned (an entity's nearest point is among its points
        # returned: it is the first to pass `cut`, and an entity on the edge has every point returned)
        returned: dict[tuple[str, str], float] = {}
        for r in rows:
            returned[(r[0], r[1])] = max(returned.get((r[0], r[1]), -2.0), r[7])
        unread = counted - sum(1 for m in returned.values() if m >= sure)
        return unread, [(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]

    @staticmethod
    def _box(lat: float, lon: float, km: float, kinds: list[str], *, cells: bool = True) -> tuple[str, tuple[Any, ...]]:
        """The WHERE clause (and its parameters) of the points of these kinds in a box of latitude and
        longitude never smaller than the circle of `km` around (lat, lon); infinite `km`: no box. With `cells`,
        the points' own: led by whether the entity has several points, and the box read as the degrees of
        longitude it spans (the `cell` of near's index, writers.write_points), each a range of latitude, so a
        box reads the points in it, not every point in its band of latitude across the country; without, the
        spots' (writers.write_spots)."""
        where = f"kind IN ({','.join('?' * len(kinds))})"
        params: list[Any] = list(kinds)
        if km != float("inf"):
            dlat = km / 110.5  # a degree of latitude is at least 110.57 km
            edge = min(90.0, abs(lat) + dlat)  # the band's latitude farthest from the equator
            if edge < 89.0:
                dlon = km / (111.0 * math.cos(math.radians(edge)))  # a degree of longitude there, at most
                if lon - dlon >= -180 and lon + dlon <= 180:  # (a box across the antimeridian: no bound)
                    spanned = range(math.floor(lon - dlon), math.floor(lon + dlon) + 1)
                    if cells and len(spanned) <= MAX_CELLS:
                        where = f"cell IN ({','.join('?' * len(spanned))}) AND {where}"
                        params = [*spanned, *params]
                    where += " AND lon BETWEEN ? AND ?"
                    params += [lon - dlon, lon + dlon]
            where += " AND lat BETWEEN ? AND ?"
            params += [lat - dlat, lat + dlat]
        return (f"{_EITHER} AND {where}" if cells else where), tuple(params)
