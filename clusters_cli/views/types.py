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
    province_ref: NotRequired[Ref]  # the province it lies in, by name (two 南山区 told apart)
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
    notices: list[str]  # how --sector was read, where it was read by a slip or shares its name
    fields: NotRequired[list[str]]  # the fields --fields chose: each row holds only those


class CountedFrom(TypedDict):
    pack: str  # the pack's title: the article, national designations, specialised towns...
    pack_zh: str | None  # its title in Chinese, where its meta gives one (the Chinese interface shows it)
    clusters: int  # how many of the clusters counted come from it
    version: str | None  # the pack's version (its date: 2024.1), so a figure can credit what it counts
    # the publisher of the pack's primary source (the article's: China Briefing), which a published map credits;
    # None for a pack whose entries each cite their own pages
    source: str | None


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
    title_zh: str | None  # the pack's title in Chinese, where its meta gives one
    sources: int
    kinds: dict[str, int]  # news, government, secondary...: how many of each
    entries: int  # citations of its sources by entries of any pack


class PackInfo(TypedDict):
    file: str
    title: str | None
    title_zh: str | None  # in Chinese, where its meta gives one
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
    title_zh: str | None  # the main pack's title in Chinese, where its meta gives one
    description: str | None
    data_file: str
    packs: list[PackInfo]
    exchange_rate: dict[str, float | None]  # rmb_per_usd None: the knowledge base gives none
    counts: dict[str, int]
    primary_source: Ref | None
    sources: list[SourceInfo]
    source_summary: list[SourceSummary]
    designations: list[DesignationInfo]


class CiteView(TypedDict):
    schema_version: int
    kind: str
    statistic: str  # the figure's id
    resolved: Resolved  # how the id asked for was read (a slip or a prefix is said on stderr too)
    plain: str  # the citation as a sentence
    plain_zh: str  # the same sentence for a Chinese reader (amounts in Chinese units)
    bibtex: str
    gbt7714: str  # the sources in the style of GB/T 7714-2015, numbered
    csl_json: list[dict[str, Any]]  # CSL-JSON items: the source, and the document reporting it if any
    provenance: Provenance
