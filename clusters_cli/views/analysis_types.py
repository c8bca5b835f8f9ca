"""The JSON contract of the analyst's views: compare, map, stats, export and validate.

Split from types.py by size; the same rules hold (views.SCHEMA_VERSION; imported only under TYPE_CHECKING).
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

from .types import ClusterRow, CompanyRow, CountedFrom, Ref, Resolved, StatisticRow


class CompareItem(TypedDict):
    kind: str
    id: str
    name: str
    name_zh: str | None
    resolved: Resolved
    cluster_count: int
    clusters: list[ClusterRow]
    companies: list[CompanyRow]
    statistics: list[StatisticRow]
    regional_statistics: list[StatisticRow]


class MatrixRow(TypedDict, total=False):
    sector: Ref
    province: Ref
    counts: list[int]


class CompareView(TypedDict):
    schema_version: int
    kind: str
    mode: str
    items: list[CompareItem]
    matrix: list[MatrixRow]
    counted_from: list[CountedFrom]  # where the clusters counted come from
    counts_note: str  # what the counts measure, in words


class Tile(TypedDict):
    id: str
    name: str
    name_zh: str
    short_zh: str | None  # 安徽 for 安徽省: what the drawn map prints
    abbr: str
    code: str
    iso_code: str | None  # ISO 3166-2 (CN-AH): the key a choropleth tool joins on
    seat: list[float] | None  # lon and lat of the division's capital: where a division with no outline is drawn
    row: int  # -1 for a division not on the grid (listed in `unplaced`)
    col: int
    clusters: int
    cluster_ids: list[str]
    cities: list[Ref]  # the division's cities that hold these clusters
    level: int


class ShadeClass(TypedDict):
    level: int  # 1-4, the tile's and the shape's shade
    min: int  # the fewest clusters a division of this class holds
    max: int  # the most


class Dot(TypedDict):
    id: str  # a city `rank cities` ranks, holding some of the clusters counted
    name: str
    name_zh: str | None
    province: str
    lat: float
    lon: float
    clusters: int  # how many of the clusters counted lie in it, its districts' and counties' among them


class MapView(TypedDict):
    schema_version: int
    kind: str
    title: str
    sector: Resolved | None
    max_clusters: int
    marked: int
    classes: list[ShadeClass]  # the stated class breaks of levels 1-4 (level 0 is "none")
    tiles: list[Tile]
    unplaced: list[Tile]
    dots: list[Dot]  # the cities holding the clusters, with a seat to draw them at
    note: str
    counted_from: list[CountedFrom]
    counts_note: str
    seats_licence: str  # the licence of the seats the circles and dots stand at, which a published map credits


class Bar(StatisticRow):
    label: str


class StatsGroup(TypedDict):
    id: str
    title: str
    unit: str
    bars: list[Bar]
    max_amount: float
    total: NotRequired[int]  # the group's figures, where a chart for people shows only the first


class StatsView(TypedDict):
    schema_version: int
    kind: str
    filters: dict[str, str]
    notices: list[str]  # how fuzzy or ambiguous filter names were read
    groups: list[StatsGroup]


class RankRow(TypedDict):
    rank: int  # places that tie share a rank
    id: str
    name: str
    name_zh: str | None
    clusters: int  # the sector's clusters that lie in the place
    companies: int  # companies of those clusters
    parks: int  # parks of the sector in the place
    cluster_names: list[str]
    cluster_ids: list[str]
    figures: list[str]  # the sector's figures about the place, as text


class RankView(TypedDict):
    schema_version: int
    kind: str
    level: str  # provinces, cities or regions
    sector: Ref
    resolved: Resolved
    count: int
    rows: list[RankRow]
    order: str  # how the rows are ordered, in words (the footer)
    counted_from: list[CountedFrom]
    counts_note: str
    total: NotRequired[int]  # rows that matched, before --limit
    fields: NotRequired[list[str]]  # the fields --fields chose: each row holds only those


class ExportReport(TypedDict):
    schema_version: int
    kind: str
    format: str
    files: list[str]
    counts: dict[str, int]


class ValidationProblem(TypedDict):
    file: str
    line: int | None
    column: int | None
    entry: str
    message: str


class ValidationView(TypedDict):
    schema_version: int
    kind: str
    file: str
    files: list[str]
    valid: bool
    counts: dict[str, int]
    problems: list[ValidationProblem]
    warnings: list[ValidationProblem]  # valid, but worth a look: clusters two packs may both describe
    folded: int  # entries (clusters, companies, regions) that join another by same_as: in the files, not entities
