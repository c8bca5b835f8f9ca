"""The names of the relations the cache compiles, as constants of one type.

Two families:
- a model reference, inverted: `ref_relation("city", "province")` lists, under a province's id, the cities
  whose `province` names it. Asking for a field the kind does not have raises at once (a misspelt field
  used to return an empty list, silently).
- the rules' derived relations (store/rules.py): `Rel` members, and `clusters_at(kind)` /
  `statistics_at(kind)` for the kinds they are compiled for; another kind raises ValueError.
"""

from __future__ import annotations

import functools
from enum import StrEnum

from ..model import KINDS


class Rel(StrEnum):
    CLUSTER_CITIES = "cluster>city"  # a cluster's own cities and its parks'
    CLUSTER_PROVINCES = "cluster>province"  # the provinces a cluster lies in
    CLUSTER_COUNTED_IN = "cluster>city@"  # the cities a cluster is counted in (cluster@city inverted)
    CITY_REGIONS = "city>region"  # the regions containing a city (membership.RegionIndex), in file order
    REGION_CITIES = "region>city"  # the cities a region contains (the same rule, inverted)
    PROVINCE_REGIONS = "province>region"  # the regions containing a province whole
    STATISTIC_SCOPE = "statistic=scope"  # figures under "kind:id" of the place they describe
    CLUSTERS_AT_PROVINCE = "cluster@province"
    CLUSTERS_AT_CITY = "cluster@city"  # with the clusters of its counties and districts
    CLUSTERS_AT_REGION = "cluster@region"
    CLUSTERS_AT_SECTOR = "cluster@sector"  # tagged with the sector (main or further)
    STATISTICS_AT_PARK = "statistic@park"
    STATISTICS_AT_CITY = "statistic@city"
    STATISTICS_AT_PROVINCE = "statistic@province"
    STATISTICS_AT_REGION = "statistic@region"  # figures about a place or anything inside it
    SOURCE_CITED_BY = "source<entry"  # "kind:id" of the entries citing a source (rules.cited_sources)
    SERIES_FIGURES = "series>statistic"  # the figures of each series, in file order


# each relation by its name: a list asks for one per row, and an enum's lookup by value costs twenty times a dict's
_NAMED = {r.value: r for r in Rel}


@functools.cache  # asked for every row of a list
def _named(what: str, kind: str) -> Rel:
    name = f"{what}@{kind}"
    found = _NAMED.get(name)
    if found is None:
        raise ValueError(f"{name!r} is not a compiled relation")
    return found


def clusters_at(kind: str) -> Rel:
    """The relation listing the clusters that stand in an entity of `kind` (province, city, region, sector)."""
    return _named("cluster", kind)


def statistics_at(kind: str) -> Rel:
    """The relation listing the figures about a place of `kind` or anything inside it."""
    return _named("statistic", kind)


def ref_relation(kind: str, field: str) -> str:
    """The inverted reference `kind.field`; KeyError if the model gives the kind no such reference."""
    if KINDS[kind].ref(field) is None:
        raise KeyError(f"{kind} has no reference field {field!r}")
    return f"{kind}.{field}"
