"""Each kind's behaviour, in one adapter per kind: how it is listed, searched, placed and located.

`model.py` says what a kind is (its section, references, list columns, filters, and where it stands in
the orders commands use); the adapter here says what it does. A command asks `adapter(kind)` and never
branches on a kind's name, except where a rule belongs to that command alone. A kind without a rule of
its own gets the base class's: listed by its id and names, searched by its names and summary, placed
where the clusters it stands in lie, located nowhere.

Adapters work at two levels, and import neither Typer nor Rich:
- over the merged packs (`Lookup`: kind -> id -> entity), when the cache is compiled: search texts,
  name forms, the places containing a place, the cities an entity is located at;
- over the knowledge base (`KB`), when a view is built: list rows, provinces and regions, sectors.
  Rows are built with the helpers of values.py (references, figures in words); a designation's row asks
  views/info for how much of its list is held, imported when such a row is built.
"""

from __future__ import annotations

from ..model import KINDS, Ref
from .base import (
    Adapter,
    Count,
    Entity,
    Lookup,
    Row,
    cluster_cities,
    cluster_provinces,
    cluster_sectors,
    seat_of,
    with_prefectures,
)
from .places import CityAdapter, ParkAdapter, ProvinceAdapter, RegionAdapter
from .things import ClusterAdapter, CompanyAdapter, DesignationAdapter, SectorAdapter, SourceAdapter, StatisticAdapter

__all__ = [
    "ADAPTER_CLASSES",
    "Adapter",
    "Count",
    "Entity",
    "Lookup",
    "Row",
    "adapter",
    "cluster_cities",
    "cluster_provinces",
    "cluster_sectors",
    "export_refs",
    "link_column",
    "seat_of",
    "with_prefectures",
]

# One adapter per kind of the model (a kind with none gets the base class's behaviour).
ADAPTER_CLASSES: dict[str, type[Adapter]] = {
    "source": SourceAdapter,
    "designation": DesignationAdapter,
    "province": ProvinceAdapter,
    "region": RegionAdapter,
    "city": CityAdapter,
    "park": ParkAdapter,
    "sector": SectorAdapter,
    "company": CompanyAdapter,
    "cluster": ClusterAdapter,
    "statistic": StatisticAdapter,
}
KINDS_ADAPTED: dict[str, Adapter] = {}


def adapter(kind: str) -> Adapter:
    """The adapter of a kind of the model (built on first use; a kind registered later gets one too)."""
    found = KINDS_ADAPTED.get(kind)
    if found is None or found.kind is not KINDS[kind]:
        found = KINDS_ADAPTED[kind] = ADAPTER_CLASSES.get(kind, Adapter)(KINDS[kind])
    return found


def export_refs(kind: str) -> list[Ref]:
    """The reference fields of a kind's exported entities (`Adapter.exported`): the model's, and those its
    adapter derives (a cluster's `named_provinces`). Each export makes their link tables and cells alike."""
    return [*KINDS[kind].refs, *adapter(kind).export_refs]


def link_column(kind: str, ref: Ref) -> str:
    """A link table's item column, before `_id`/`_name`: the target kind (`province_id`), or the field where
    the target is the owner's own kind (a cluster's `distinct_from_id`: `cluster_id` is the owner)."""
    return ref.field if ref.target == kind else ref.target
