"""The detail views' part of the JSON contract as types (see views/types.py): each detail view (a province,
sector, city, region, company, park, cluster or designation list) and the identity it opens with.

Imported only under TYPE_CHECKING, as views/types.py is.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

from .types import (
    CityRow,
    ClusterRow,
    CompanyRow,
    DesignationInfo,
    DesignationRef,
    NearRow,
    ParkRow,
    Provenance,
    Ref,
    RegionRef,
    Resolved,
    StatisticRow,
)


class ProvinceIdentity(TypedDict):
    id: str
    name: str
    official_name: str | None
    name_zh: str
    pinyin: str
    abbr: str
    abbr_alt: list[str]
    kind: str
    aliases: list[str]
    capital: Ref | None
    macro_region: Ref | None
    code: str  # GB/T 2260 (340000)
    iso_code: str  # ISO 3166-2 (CN-AH)


class SectorIdentity(TypedDict):
    id: str
    name: str
    name_zh: str | None
    summary: str
    synonyms: list[str]
    parent: Ref | None
    ancestors: list[Ref]
    children: list[Ref]
    descendants: list[Ref]


class CityIdentity(TypedDict):
    id: str
    name: str
    name_zh: str
    pinyin: str
    lat: float | None
    lon: float | None
    aliases: list[str]
    province: Ref
    is_capital: bool
    code: str
    kind: str
    level: str
    prefecture: Ref | None


class RegionIdentity(TypedDict):
    id: str
    name: str
    official_name: str | None
    name_zh: str | None
    pinyin: str | None
    kind: str
    aliases: list[str]
    summary: str | None  # a region of one's own may have none


class CompanyIdentity(TypedDict):
    id: str
    name: str
    name_zh: str | None
    official_name: str | None  # the full English name a page gives
    official_name_zh: str | None  # the full Chinese name a page writes
    aliases: list[str]
    sector: Ref
    sectors: list[Ref]  # further sectors
    headquarters: Ref | None  # the city a page states
    headquarters_province: Ref | None
    bases: list[CompanyBase]  # production bases pages name


class CompanyBase(TypedDict):
    city: Ref
    province: Ref
    what: str | None


class ParkIdentity(TypedDict):
    id: str
    name: str
    name_zh: str | None
    kind: str
    district: str | None
    aliases: list[str]
    summary: str
    city: Ref
    province: Ref | None
    lat: float | None  # its city's seat (a district's without one: its city's), as every view and export places it
    lon: float | None
    location: str  # what lat and lon are: "approximate: the centre of its city", or "not recorded"
    sectors: list[Ref]
    translated: bool  # the English name is ours, not a source's
    designations: list[DesignationRef]  # the national lists that name it (a zone's), each with its source
    provenance: Provenance


class _Detail(TypedDict):
    schema_version: int
    kind: str
    resolved: Resolved
    # a table for people is built with only the first page of each cluster section: how many clusters the
    # sections cut hold in all (a document, --json, holds every row and never this)
    totals: NotRequired[dict[str, int]]


class ProvinceView(_Detail):
    province: ProvinceIdentity
    regions: list[RegionRef]
    clusters: list[ClusterRow]
    regional_clusters: list[ClusterRow]
    cities: list[CityRow]
    parks: list[ParkRow]
    companies: list[CompanyRow]
    statistics: list[StatisticRow]
    regional_statistics: list[StatisticRow]
    note: str | None


class SectorView(_Detail):
    sector: SectorIdentity
    clusters: list[ClusterRow]
    specialty_clusters: list[ClusterRow]  # not tagged with the sector, but their specialties name it
    parks: list[ParkRow]
    companies: list[CompanyRow]
    statistics: list[StatisticRow]


class CityView(_Detail):
    city: CityIdentity
    regions: list[RegionRef]
    clusters: list[ClusterRow]
    parks: list[ParkRow]
    companies: list[CompanyRow]
    statistics: list[StatisticRow]
    regional_statistics: list[StatisticRow]
    nearest_clusters: list[NearRow]  # when it holds none: the closest ones, with distances


class RegionView(_Detail):
    region: RegionIdentity
    provinces: list[Ref]
    cities: list[Ref]  # the cities a source mentions for it (not its members)
    members: list[Ref]  # the cities its defining document names as members ([] where none is held)
    central_members: list[Ref]  # the members its defining document names as its central area
    document: str | None  # the defining document: title, issuer, date
    provenance: Provenance | None  # the pages stating its membership
    clusters: list[ClusterRow]
    companies: list[CompanyRow]
    parks: list[ParkRow]  # the parks of the cities it contains
    statistics: list[StatisticRow]


class CompanyView(_Detail):
    company: CompanyIdentity
    clusters: list[ClusterRow]
    regions: list[Ref]
    provinces: list[Ref]
    cities: list[Ref]
    provenance: Provenance  # the page stating its headquarters, and further pages


class ParkView(_Detail):
    park: ParkIdentity
    clusters: list[ClusterRow]
    companies: list[CompanyRow]
    statistics: list[StatisticRow]


class ClusterView(_Detail):
    cluster: ClusterRow
    statistics: list[StatisticRow]


class DesignationDetail(DesignationInfo):
    summary: str


class DesignationView(_Detail):
    designation: DesignationDetail
    provenance: Provenance
    clusters: list[ClusterRow]  # the members the knowledge base holds: clusters of a list of clusters,
    parks: list[ParkRow]  # parks of a list of zones
