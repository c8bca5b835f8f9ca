"""Great-circle distance and bearing between WGS84 points (no imports beyond math)."""

from __future__ import annotations

import math

from .i18n import N_

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
# the eight directions, marked for the catalog (a table shows them translated; the document keeps the letters)
COMPASS = (N_("N"), N_("NE"), N_("E"), N_("SE"), N_("S"), N_("SW"), N_("W"), N_("NW"))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    """The point on the unit sphere: the store keeps it beside each point, so that a distance is a dot product
    SQL can compute (store.kb.points_nearest)."""
    p, la = math.radians(lat), math.radians(lon)
    return math.cos(p) * math.cos(la), math.cos(p) * math.sin(la), math.sin(p)


def dot_at_km(km: float) -> float:
    """The dot product of the unit vectors of two points `km` apart: above 1 for a negative distance (no
    points are that near), below -1 beyond the antipodes or for an infinite one (every pair is that near)."""
    if km < 0:
        return 2.0
    if km >= math.pi * EARTH_RADIUS_KM:
        return -2.0
    return 1.0 - 2.0 * math.sin(km / (2 * EARTH_RADIUS_KM)) ** 2


def km_at_dot(dot: float) -> float:
    """The distance of two points whose unit vectors have this dot product (dot_at_km's inverse)."""
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, (1.0 - dot) / 2))))


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial bearing from the first point to the second, degrees clockwise from north."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return (math.degrees(math.atan2(x, y)) + 360.0) % 360.0


def compass(degrees: float) -> str:
    """'N', 'NE', ... for a bearing."""
    return COMPASS[int((degrees + 22.5) // 45) % 8]
