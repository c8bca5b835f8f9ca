"""Which regions contain which places: the one rule of region membership (README, "What the counts count").

Every answer that puts a place in a region reads it here: the cache's compiled relations (a city's regions,
a region's cities, the regions holding a province whole), the regions a cluster stands in, the figures a
region holds. Built once per Lookup of the merged packs.
"""

from __future__ import annotations

from typing import Any

Entity = dict[str, Any]
Lookup = dict[str, dict[str, Entity]]


class RegionIndex:
    """Which regions contain which places: the one rule of region membership, built once per Lookup.

    A region its defining document gives members for contains its member cities, the counties and districts
    of a member prefecture, and a province all of whose prefecture-level cities are members (held whole).
    Any other region is defined by its provinces and contains them whole. The cities a source mentions
    with a region (`cities`) are not members. `touching` lists, for a province, every region listing it.
    """

    def __init__(self, lk: Lookup) -> None:
        tops: dict[str, set[str]] = {}
        for c in lk["city"].values():
            if c["level"] != "county":
                tops.setdefault(c["province"], set()).add(c["id"])
        self.order = {r: i for i, r in enumerate(lk["region"])}
        self.touching: dict[str, set[str]] = {}
        self.whole: dict[str, set[str]] = {}
        self.members: dict[str, set[str]] = {}
        self.held: dict[str, tuple[set[str], set[str]]] = {}
        for r in lk["region"].values():
            for p in r["provinces"]:
                self.touching.setdefault(p, set()).add(r["id"])
            if r.get("members"):
                members = set(r["members"])
                whole = {p for p in r["provinces"] if tops.get(p) and tops[p] <= members}
                self.held[r["id"]] = (members, whole)
                for m in members:
                    self.members.setdefault(m, set()).add(r["id"])
            else:
                whole = set(r["provinces"])
            for p in whole:
                self.whole.setdefault(p, set()).add(r["id"])
        self._city = lk["city"]

    def of_province(self, province: str) -> set[str]:
        return set(self.whole.get(province, ()))

    def of_city(self, city: str) -> set[str]:
        """The regions containing a city: by its province held whole, or as a member (it or a prefecture
        containing it)."""
        out = self.of_province(self._city[city]["province"])
        place: str | None = city
        while place:
            out |= self.members.get(place, set())
            place = self._city[place].get("prefecture")
        return out

    def sorted(self, regions: set[str]) -> list[str]:
        return sorted(regions, key=self.order.__getitem__)


_INDEX: list[tuple[dict[str, Entity], dict[str, Entity], RegionIndex]] = []


def region_index(lk: Lookup) -> RegionIndex:
    """The Lookup's RegionIndex, built on first use (a cache build asks for it once per figure). Held with the
    dicts it was built from, so an identity check cannot match a new Lookup."""
    if not _INDEX or _INDEX[0][0] is not lk["region"] or _INDEX[0][1] is not lk["city"]:
        _INDEX[:] = [(lk["region"], lk["city"], RegionIndex(lk))]
    return _INDEX[0][2]


def use_index(lk: Lookup, index: RegionIndex) -> None:
    """Have region_index(lk) answer with this index: the delta build's (store/delta.py), read from the
    relations already compiled, since its Lookup holds only the packs that changed."""
    _INDEX[:] = [(lk["region"], lk["city"], index)]
