"""`near`'s questions of the store: the points entities are counted at, within a box around a point, measured
by the dot product of unit vectors (SQL has no trigonometry to rely on) with a margin, the caller measuring
exactly what is returned. A part of the KB (store/kb.py), apart because it is geometry."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from ..geo import dot_at_km, km_at_dot, unit_vector

# the margin of the store's measure of distance (a dot product) against the caller's (haversine), far wider
# than their difference (below a millimetre at any distance)
EDGE_KM = 0.001
# every point, whether its entity has one point or several: the first column of near's index (writers.py), so
# a box is read by two ranges of it
_EITHER = "multi IN (0, 1)"


class PointQueries:
    """The KB's questions of its points (the table `points`, writers.write_points)."""

    def _query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError  # the KB's

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
        where, params = self._box(lat, lon, km, list(kinds))
        if exclude is not None:
            where += " AND NOT (kind = ? AND id = ?)"
            params = (*params, *exclude)
        ux, uy, uz = unit_vector(lat, lon)
        reach = dot_at_km(km + EDGE_KM)  # a point that may lie within km
        sure = dot_at_km(km - EDGE_KM)  # one that surely does
        # one pass over the box: each entity within reach at its nearest point; then how many surely lie within
        # reach (part 0), the `limit` nearest (part 1), those on the edge (part 2)
        # (an entity of one point is measured at it; only those of several are grouped, to their nearest)
        one, several = where.replace(_EITHER, "multi = 0"), where.replace(_EITHER, "multi = 1")
        found = self._query(
            f"WITH e AS MATERIALIZED (SELECT kind, id, x * ? + y * ? + z * ? AS m FROM points WHERE {one} "
            f"AND m >= ? UNION ALL SELECT kind, id, MAX(x * ? + y * ? + z * ?) AS m FROM points WHERE {several} "
            "GROUP BY kind, id HAVING m >= ?) "
            "SELECT 0, NULL, NULL, COUNT(*) FROM e WHERE m >= ? "
            "UNION ALL SELECT * FROM (SELECT 1, kind, id, m FROM e ORDER BY m DESC LIMIT ?) "
            "UNION ALL SELECT 2, kind, id, m FROM e WHERE m < ?",
            (ux, uy, uz, *params, reach, ux, uy, uz, *params, reach, sure, limit, sure),
        )
        counted = next(r[3] for r in found if r[0] == 0)
        nearest = [r[3] for r in found if r[0] == 1]
        edge = [v for r in found if r[0] == 2 for v in r[1:3]]
        # every point as near as the `limit`-th entity, its rounding and the margin (or all within reach), and
        # every point of an entity on the edge
        # (the `limit`-th entity measures at most EDGE_KM more than the store's measure, so it rounds to at most
        # round(d + EDGE_KM, 1); anything that rounds as near lies within that + 0.05, measured with the margin)
        last = round(km_at_dot(nearest[-1]) + EDGE_KM, 1) if len(nearest) == limit else None
        cut = dot_at_km(last + 0.05 + EDGE_KM) if last is not None else reach
        on_edge = f" OR (kind, id) IN (VALUES {','.join(['(?, ?)'] * (len(edge) // 2))})" if edge else ""
        rows = self._query(  # the points chosen from the box's index, then read from the table
            "SELECT kind, id, city, lat, lon, seat, name, x * ? + y * ? + z * ? FROM points WHERE rowid IN "
            f"(SELECT rowid FROM points WHERE {where} AND (x * ? + y * ? + z * ? >= ?{on_edge})) ORDER BY rowid",
            (ux, uy, uz, *params, ux, uy, uz, max(cut, reach), *edge),
        )
        # the entities surely within reach, less those returned (an entity's nearest point is among its points
        # returned: it is the first to pass `cut`, and an entity on the edge has every point returned)
        returned: dict[tuple[str, str], float] = {}
        for r in rows:
            returned[(r[0], r[1])] = max(returned.get((r[0], r[1]), -2.0), r[7])
        unread = counted - sum(1 for m in returned.values() if m >= sure)
        return unread, [(r[0], r[1], r[2], r[3], r[4], r[5], r[6]) for r in rows]

    @staticmethod
    def _box(lat: float, lon: float, km: float, kinds: list[str]) -> tuple[str, tuple[Any, ...]]:
        """The WHERE clause (and its parameters) of the points of these kinds in a box of latitude and
        longitude never smaller than the circle of `km` around (lat, lon); infinite `km`: no box."""
        where = f"{_EITHER} AND kind IN ({','.join('?' * len(kinds))})"  # the index's first column, then its box
        params: list[Any] = list(kinds)
        if km != float("inf"):
            dlat = km / 110.5  # a degree of latitude is at least 110.57 km
            where += " AND lat BETWEEN ? AND ?"
            params += [lat - dlat, lat + dlat]
            edge = min(90.0, abs(lat) + dlat)  # the band's latitude farthest from the equator
            if edge < 89.0:
                dlon = km / (111.0 * math.cos(math.radians(edge)))  # a degree of longitude there, at most
                if lon - dlon >= -180 and lon + dlon <= 180:  # (a box across the antimeridian: no bound)
                    where += " AND lon BETWEEN ? AND ?"
                    params += [lon - dlon, lon + dlon]
        return where, tuple(params)
