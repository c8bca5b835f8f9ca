"""The JSON contract as types: what each view holds, so mypy checks every key a renderer reads.

The JSON output is these dicts, written as they are. Keys are snake_case and
stable; lists are never null. An additive change keeps SCHEMA_VERSION; a
breaking one bumps it (views.SCHEMA_VERSION; README, "JSON contract").
Imported only under TYPE_CHECKING: creating some forty TypedDict classes costs
~5 ms, which every run would pay for nothing.
"""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict


class Ref(TypedDict):
    id: str
    name: str


class RegionRef(TypedDict):
    id: str
    name: str
    kind: str


class Homonym(TypedDict):
    id: str
    name: str
    name_zh: str | None
    province: str | None
    command: str


class Resolved(TypedDict):
    query: str
    id: str
    name: str
    matched_by: str  # how: name, alias, Chinese name, pinyin, code..., or prefix or slip (announced)
    score: float  # 100 for an exact name or a prefix; for a slip, the spelling's similarity (0-100)
    slip: str | None  # for a typing slip, which ("n and ng confused"); else null
    also: list[Homonym]  # other places the same words name; the README's homonym policy chose `id`


class SourceRef(TypedDict):
    id: str
    name: str
    short_name: str
    kind: str  # article, government, news, press, industry, report, secondary
    publisher: str | None
    published: str | None  # as the source states it; never guessed
    address: str | None


class Locator(TypedDict, total=False):
    source: str
    section: str  # a section and paragraph of a document with sections (the article) ...
    paragraph: int
    where: str  # ... or where in a web page, in our words


class Citation(TypedDict):
    source: SourceRef
    locator: Locator
    text: str  # "Xinhua (2024-12-16, news) · list of the 35, second paragraph"


class Provenance(TypedDict):
    source: SourceRef  # where the entry's facts come from
    locator: Locator | None  # where in `reported_in` (or in `source` when it reports itself) they stand
    reported_in: SourceRef | None  # the document that reports a figure it attributes to `source`
    text: str  # "China Briefing (2024) · Electric vehicles ¶2"
    also: list[Citation]  # further sources that state the same facts


class DesignationRef(TypedDict):
    id: str
    name: str
    name_zh: str
    issuer: str
    issuer_zh: str | None
    batch: str
    year: int | None
    cited: Citation


class StatisticRow(TypedDict):
    id: str
    metric: str
    value: float
    unit: str
    scale: str | None
    currency: str | None
    amount: float
    usd_value: float | None
    usd_scale: str | None
    amount_usd: float | None
    qualifier: str
    display: str
    year: int
    year_basis: str
    period: str | None
    status: str
    series: str | None
    note: str | None  # where sources disagree, or what the figure is not
    scope: dict[str, Ref | None]
    scope_label: str
    cluster: Ref | None
    source: SourceRef
    provenance: Provenance


class ClusterRow(TypedDict):
    id: str
    name: str
    sector: Ref
    status: str
    region: Ref | None
    provinces: list[Ref]  # every province it lies in (its own, its cities' and its parks'): the counting rule
    cities: list[Ref]  # the cities it lies in: those it names and its parks'
    named_provinces: list[Ref]  # the provinces the source names for it, as the pack has them
    parks: list[Ref]
    companies: list[Ref]
    specialties: list[str]
    summary: str
    statistics: list[str]
    sectors: list[Ref]  # every sector the source ties it to, the main one first
    name_zh: str | None
    translated: bool  # `name` is our rendering of `name_zh`
    towns: list[str]  # towns below county level it is centred on
    designations: list[DesignationRef]
    provenance: Provenance


class CompanyRow(TypedDict):
    id: str
    name: str
    name_zh: str | None
    sector: Ref
    clusters: list[Ref]
    headquarters: Ref | None  # the city a page states


class ParkRow(TypedDict):
    id: str
    name: str
    name_zh: str | None
    kind: str
    city: Ref
    sectors: list[Ref]


class CityRow(TypedDict):
    id: str
    name: str
    name_zh: str
    province: Ref
    lat: float | None
    lon: float | None
    is_capital: bool
    cluster_count: int
    level: str  # province (a municipality), prefecture or county
    kind: str


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


class NearRow(TypedDict):
    kind: str
    id: str
    name: str
    name_zh: str | None
    where: str  # the city it is counted at, and its Chinese name
    where_zh: str | None
    measured_from: str | None  # the city whose seat stands in, where `where` has none in the reference table
    measured_from_zh: str | None
    province: str | None
    distance_km: float
    bearing_deg: float
    bearing: str  # N, NE, E ...


class NearView(TypedDict):
    schema_version: int
    kind: str
    origin: dict[str, Any]
    km: float
    kinds: list[str]
    sector: Ref | None
    count: int
    total: int
    rows: list[NearRow]
    note: str
    fields: NotRequired[list[str]]  # the fields --fields chose: each row holds only those


class RegionIdentity(TypedDict):
    id: str
    name: str
    official_name: str | None
    name_zh: str | None
    pinyin: str | None
    kind: str
    aliases: list[str]
    summary: str


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
    lat: float | None
    lon: float | None
    sectors: list[Ref]


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


class CountedFrom(TypedDict):
    pack: str  # the pack's title: the article, national designations, specialised towns...
    clusters: int  # how many of the clusters counted come from it
    version: str | None  # the pack's version (its date: 2024.1), so a figure can credit what it counts


class ListView(TypedDict):
    schema_version: int
    kind: str
    entity: str
    filters: dict[str, str]
    count: int
    rows: list[dict[str, Any]]  # columns differ by kind: see model.Kind.list_columns and views.listing
    total: NotRequired[int]  # rows that matched, before --limit
    fields: NotRequired[list[str]]  # the columns --fields chose
    title: NotRequired[str | None]  # a table's own title (search, near, rank); None: none
    notices: NotRequired[list[str]]  # how fuzzy or ambiguous filter names were read
    counted_from: NotRequired[list[CountedFrom]]  # where the clusters counted come from (places and sectors)
    counts_note: NotRequired[str]  # what the counts measure, in words


class SearchHit(TypedDict):
    kind: str
    id: str
    name: str
    name_zh: str | None
    province: str | None
    score: float
    why: str


class SearchView(TypedDict):
    schema_version: int
    kind: str
    query: str
    count: int
    total: int
    hits: list[SearchHit]
    suggestions: list[str]  # with no hit: names spelt close to the query (never results)
    fields: NotRequired[list[str]]  # the fields --fields chose: each hit holds only those


class SourceInfo(TypedDict):
    id: str
    name: str
    publisher: str | None
    kind: str
    published: str | None
    cited_in: str | None
    statistics: int
    address: str | None
    entries: int  # entries that cite it: locators, further sources, designations, figures
    pack: str | None  # the file that defines it


class SourceSummary(TypedDict):
    pack: str
    title: str
    sources: int
    kinds: dict[str, int]  # news, government, secondary...: how many of each
    entries: int  # citations of its sources by entries of any pack


class PackInfo(TypedDict):
    file: str
    title: str | None
    version: str | None
    source: dict[str, str] | None  # title, publisher, vintage, address
    licence: str | None
    datum: str | None
    counts: dict[str, int]


class BatchInfo(TypedDict):
    batch: str
    year: int | None
    members: int | None  # as the list's sources state it
    held: int  # how many of them the knowledge base names


class DesignationInfo(TypedDict):
    id: str
    name: str
    name_zh: str
    issuer: str
    issuer_zh: str | None
    members: int | None
    held: int
    complete: bool
    text: str  # "61 of 80 named"
    batches: list[BatchInfo]


class InfoView(TypedDict):
    schema_version: int
    kind: str
    tool_version: str
    kb_version: str
    title: str
    description: str | None
    data_file: str
    packs: list[PackInfo]
    exchange_rate: dict[str, float]
    counts: dict[str, int]
    primary_source: Ref | None
    sources: list[SourceInfo]
    source_summary: list[SourceSummary]
    designations: list[DesignationInfo]


class DesignationDetail(DesignationInfo):
    summary: str


class DesignationView(_Detail):
    designation: DesignationDetail
    provenance: Provenance
    clusters: list[ClusterRow]  # the members the knowledge base holds


class CiteView(TypedDict):
    schema_version: int
    kind: str
    statistic: str  # the figure's id
    plain: str  # the citation as a sentence
    plain_zh: str  # the same sentence for a Chinese reader (amounts in Chinese units)
    bibtex: str
    gbt7714: str  # the sources in the style of GB/T 7714-2015, numbered
    csl_json: list[dict[str, Any]]  # CSL-JSON items: the source, and the document reporting it if any
    provenance: Provenance
