"""`near`: what lies within reach of a place: clusters, parks, companies and cities, nearest first.

Distances are great-circle distances between seats (WGS84). A cluster counts at the nearest of the
cities it names (its own and its parks'); a park at its city; a company at the nearest city of its
clusters. A district the reference table gives no seat (one made since its coordinates were compiled)
is measured from its city's seat, and the row says so (`measured_from`); a county without one has no point. Clusters the
sources place only in a province or a region have no point and are left out (the note says so).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..errors import NotFound, UsageProblem
from ..geo import bearing_deg, compass, distance_km
from ..i18n import N_, _
from ..kinds import adapter, seat_of
from ..model import near_kinds
from ..sanitize import clean_one_line
from ..values import ref
from . import SCHEMA_VERSION
from .listing import entity_sectors
from .resolved import match_info

if TYPE_CHECKING:
    from ..rows import RowOptions
    from ..store.kb import KB
    from .types import NearRow, NearView, Ref

# The kinds `near` lists, in their order at equal distance (model.Kind.near_rank): cluster, park, company, city
NEAR_KINDS = tuple(near_kinds())
# The pages a limit keeps of near's rows (nearest's `end`): the nearest, the farthest, the first by name, the last
# nearest first
NEAR_ENDS = ("nearest", "farthest", "name", "last")
# Where a named place is measured from: a province (at its capital), a city, a park (at its city), as compare
# reads a place; a municipality is one place under two kinds, measured as the city. Each kind's seat is its
# adapter's.
ORIGIN_KINDS = ("province", "city", "park")
NOTE = N_(
    "Great-circle distances between seats (WGS84). A cluster counts at the nearest city it names (a district "
    "without a seat of its own at its city's, as the row says); clusters placed only in a province or "
    "region have no point and are not listed."
)


def nearest(
    kb: KB,
    lat: float,
    lon: float,
    kinds: list[str],
    *,
    km: float = float("inf"),
    sectors: set[str] | None = None,
    limit: int | None = None,
    exclude: tuple[str, str] | None = None,
    end: str = "nearest",
) -> tuple[list[NearRow], int]:
    """(entities of these kinds within `km` of a point, nearest first, each at its nearest city; how many
    there are within reach in all). The store hands over only the points that may lie within reach. Without a
    sector to filter by, it counts those that cannot be shown and hands over only the points of those that
    may (store.kb.points_nearest), with their names (what orders a tie), and only the entities shown are read;
    with one, every entity within reach that the relations say may be of the sector (kinds.Adapter.having_sectors)
    is read and its sectors checked. `end`, the page a limit keeps: "nearest", the first rows; "farthest", the
    rows by their distance as shown, the farthest first, those at one distance in the order nearest first gives
    them (what `--sort distance_km --reverse` makes of every row); "name", the rows by name (rows.sort_key),
    those of one name nearest first (`--sort name`); "last", the last rows nearest first, in that order (what
    `--reverse` turns round). With a limit and no sector, the last three measure every point within reach, and
    read only the entities shown."""
    if end not in NEAR_ENDS:
        raise ValueError(f"no end {end!r} of near's rows")
    best: dict[tuple[str, str], tuple[float, str, float, float, str, str]] = {}
    unread = 0
    if limit is not None and sectors is None and end == "nearest":
        unread, points = kb.points_nearest(lat, lon, km, kinds, limit, exclude)
    else:
        points = kb.points_near(lat, lon, km, kinds)
    # of a sector: only the entities the relations say may be of it are measured and read (each still checked)
    having = {kind: adapter(kind).having_sectors(kb, sectors) for kind in kinds} if sectors is not None else {}
    for kind, ident, city_id, plat, plon, seat, name in points:
        if (kind, ident) == exclude or ((ids := having.get(kind)) is not None and ident not in ids):
            continue
        d = distance_km(lat, lon, plat, plon)
        if d <= km and ((kind, ident) not in best or d < best[(kind, ident)][0]):
            best[(kind, ident)] = (d, city_id, plat, plon, seat, name)
    total = unread + len(best)
    order = _order(end)
    if limit is not None and sectors is None and len(best) > limit:  # read only what is shown, in the rows' order
        pick = heapq.nlargest if end == "last" else heapq.nsmallest
        shown = pick(limit, best, key=lambda k: order(round(best[k][0], 1), k[0], best[k][5], k[1]))
        best = {k: best[k] for k in shown}
    entities = {(kind, e["id"]): e for kind in kinds for e in kb.many(kind, [i for k, i in best if k == kind])}
    cities = {c["id"]: c for c in kb.many("city", list(dict.fromkeys(c for v in best.values() for c in (v[1], v[4]))))}
    rows: list[NearRow] = []
    for key, (d, city_id, plat, plon, seat, _name) in best.items():
        kind, entity = key[0], entities[key]
        if sectors is not None and not entity_sectors(kb, kind, entity) & sectors:
            continue
        city = cities[city_id]
        angle = bearing_deg(lat, lon, plat, plon)
        rows.append(
            {
                "kind": kind,
                "id": entity["id"],
                "name": entity["name"],
                "name_zh": entity.get("name_zh"),
                "where": city["name"],
                "where_zh": city.get("name_zh"),
                "measured_from": None if seat == city_id else cities[seat]["name"],
                "measured_from_zh": None if seat == city_id else cities[seat].get("name_zh"),
                "province": city["province"],
                "distance_km": round(d, 1),
                "bearing_deg": round(angle),
                "bearing": compass(angle) if d >= 0.5 else "-",
            }
        )
    rows.sort(key=lambda r: order(r["distance_km"], r["kind"], r["name"], r["id"]))
    if sectors is not None:  # those of the sector, every one read
        total = len(rows)
    if limit is None:
        return rows, total
    return (rows[max(len(rows) - limit, 0) :] if end == "last" else rows[:limit]), total


def page_end(rows: RowOptions) -> str:
    """The end of near's rows (nearest's `end`) a page sorted as `rows` asks is of: the farthest first (`--sort
    distance_km --reverse`), by name (`--sort name`), the last (`--reverse` alone), else the nearest (the rows are
    its own order, or every one is made and sorted)."""
    if rows.sorts_by("distance_km", True):
        return "farthest"
    if rows.sorts_by("name", False):
        return "name"
    return "last" if rows.reverse and not rows.sort else "nearest"


def _order(end: str) -> Callable[[float, str, str, str], tuple[Any, ...]]:
    """The key of a row (its distance as shown, kind, name and id) in the order of a page's end (nearest's):
    nearest first, at one distance by kind, name and id; the farthest first, at one distance so; by name
    (rows.sort_key, as `--sort name` orders), then so."""
    from ..rows import sort_key

    def key(d: float, kind: str, name: str, ident: str) -> tuple[Any, ...]:
        natural = (d, NEAR_KINDS.index(kind), name, ident)
        if end == "farthest":
            return (-d, *natural[1:])
        return (sort_key(name), *natural) if end == "name" else natural

    return key


class NoCoordinates(NotFound):
    """A place the knowledge base holds but cannot put on a map: its source table gives no seat."""

    def __init__(self, name: str, kind: str) -> None:
        super().__init__(kind, name)

    def __str__(self) -> str:
        from ..i18n import _

        return _("{name} has no coordinates in the reference table; try --at LAT,LON or a nearby city").format(
            name=self.query
        )


_POINT = re.compile(r"[-+]?\d+(?:\.\d+)?\s*[,，]\s*[-+]?\d+(?:\.\d+)?")  # a latitude and longitude


def parse_at(text: str) -> tuple[float, float]:
    """'31.3,120.6' -> (31.3, 120.6); a usage error for anything else."""
    parts = text.replace(" ", "").split(",")
    try:
        lat, lon = (float(p) for p in parts)
    except ValueError:
        raise UsageProblem(
            _("--at takes LAT,LON in degrees (e.g. 31.3,120.6), not '{value}'").format(value=clean_one_line(text))
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or lat != lat or lon != lon:
        raise UsageProblem(_("--at {lat},{lon} is outside [-90, 90] x [-180, 180]").format(lat=lat, lon=lon))
    return lat, lon


def _origin(kb: KB, place: str) -> tuple[dict[str, Any], float, float, tuple[str, str]]:
    """A place's point: a city's seat; a province's capital; a park's city. A name several kinds hold is read
    as the first of ORIGIN_KINDS holding it (Hainan the province, not Qinghai's prefecture), and the others
    are named in `also`, as homonyms of one kind are."""
    if _POINT.fullmatch(place.strip()):  # 31.8,117.2 is no name: its fuzzy reading named districts
        raise UsageProblem(
            _("'{value}' is a point, not a place's name; give it as --at {value}").format(
                value=clean_one_line(place.strip().replace(" ", "").replace("，", ","))
            )
        )
    from .compare import resolve_place

    # read as compare reads places, Beijing the city (where near measures from) rather than the province; a slip
    # or the start of a name of any of the kinds is announced (Anhiu: the province Anhui)
    kind, found = resolve_place(kb, place, ORIGIN_KINDS, "origin", one_place_as=1)
    entity = found.entity
    seat = adapter(kind).seat(kb, entity)
    seat = _city_seat(kb, seat) if seat is not None else None
    if seat is None:
        raise NoCoordinates(entity["name"], kind)
    origin = {"kind": kind, "id": entity["id"], "name": entity["name"], "resolved": match_info(kb, found, place, kind)}
    if seat is not entity:
        origin["measured_from"] = seat["name"]
        origin["measured_from_zh"] = seat.get("name_zh")
    return origin, seat["lat"], seat["lon"], (kind, entity["id"])


def _city_seat(kb: KB, city: dict[str, Any]) -> dict[str, Any] | None:
    """A city's seat, or for a district the table gives none, its city's (kinds.seat_of, over the KB)."""
    return seat_of(city, lambda ident: kb.get("city", ident))


def near_view(
    kb: KB,
    place: str | None,
    at: str | None,
    km: float,
    kinds: list[str],
    sector: str | None,
    limit: int | None,
    end: str = "nearest",
) -> NearView:
    if (place is None) == (at is None):
        raise UsageProblem(_("near takes a PLACE or --at LAT,LON (one of them)"))
    if not km > 0 or km != km or km == float("inf"):
        raise UsageProblem(_("--km must be a positive number of kilometres, not {km}").format(km=km))
    exclude = None
    if at is not None:
        lat, lon = parse_at(at)
        origin: dict[str, Any] = {"kind": "point", "lat": lat, "lon": lon}
    else:
        assert place is not None
        origin, lat, lon, exclude = _origin(kb, place)
    sector_ref: Ref | None = None
    family = None
    notices: list[str] = []  # how --sector was read (a slip, a name two sectors share), as list and rank say it
    if sector is not None:
        from .notices import read_filter

        s = read_filter(kb, "sector", sector, notices)
        sector_ref = ref(kb, "sector", s["id"])
        family = set(kb.sector_descendants(s["id"]))
    origin.setdefault("lat", lat)
    origin.setdefault("lon", lon)
    rows, total = nearest(
        kb, lat, lon, kinds or list(NEAR_KINDS), km=km, sectors=family, limit=limit, exclude=exclude, end=end
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "near",
        "origin": origin,
        "km": km,
        "kinds": kinds or list(NEAR_KINDS),
        "sector": sector_ref,
        "count": len(rows),
        "total": total,
        "rows": rows,
        "note": NOTE,
        "notices": notices,
    }
