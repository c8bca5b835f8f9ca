"""The one description of the knowledge base's kinds of entity.

Everything that needs to know what kinds exist, what they are called, which
field points at which kind, or how a kind is listed and filtered reads it
from here: validation of references, the cache's relation tables, the
SQLite export's foreign keys and link tables, `list` and its filters, shell
completion, and benchmarks/scale.py. Adding a kind or a reference field is
one edit here, plus the data and the JSON Schema.

Plain classes with __slots__ rather than dataclasses: this module is
imported on every run, and each @dataclass compiles code at import.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .i18n import N_


class Ref:
    """A field of one kind that holds the id (or a list of ids) of another kind.

    With `key`, the field holds an object (or a list of objects) and the id is its `key` member:
    a cluster's `designations: [{list: national-advanced-manufacturing, batch: "2022", ...}]`.
    """

    __slots__ = ("field", "key", "many", "target")

    def __init__(self, field: str, target: str, many: bool = False, key: str | None = None) -> None:
        self.field = field
        self.target = target  # singular kind name
        self.many = many
        self.key = key

    @staticmethod
    def items(value: object) -> list[Any]:
        """A field's value as the list of its items (a single item, a locator, as a list of one; none for a
        missing value)."""
        return value if isinstance(value, list) else [] if value is None else [value]

    def targets(self, value: object) -> list[str]:
        """The ids a field's value refers to (none for a missing value)."""
        items = self.items(value)
        if self.key is None:
            return [str(v) for v in items if v is not None]
        return [str(v[self.key]) for v in items if isinstance(v, dict) and v.get(self.key) is not None]

    def __repr__(self) -> str:
        return f"Ref({self.field!r} -> {self.target}{'[]' if self.many else ''})"


class Kind:
    """One kind of entity: how it is named, stored, referenced, listed and filtered."""

    __slots__ = (
        "chinese",
        "division",
        "filters",
        "label",
        "list_columns",
        "name",
        "near_rank",
        "plural",
        "refs",
        "scope_rank",
        "search_rank",
        "section",
    )

    def __init__(
        self,
        name: str,
        plural: str,
        refs: tuple[Ref, ...] = (),
        *,
        label: str = "name",
        filters: tuple[str, ...] = (),
        list_columns: tuple[str, ...] = ("id", "name"),
        chinese: bool = True,
        division: bool = False,
        search_rank: int = 99,
        near_rank: int | None = None,
        scope_rank: int | None = None,
    ) -> None:
        self.name = name  # singular, as commands say it: "city"
        self.plural = plural  # as `list` says it: "cities"
        self.section = plural  # the top-level key in a knowledge-base file
        self.refs = refs
        self.label = label  # the field a person reads as its name
        self.filters = filters  # `list` filters that apply: province, region, sector
        self.list_columns = list_columns  # columns of the `list` table, in order of priority
        self.chinese = chinese  # whether its entries have Chinese names (a row shows name_zh)
        self.division = division  # a place a query names (province, region, city): compared, ranked, completed
        self.search_rank = search_rank  # among equal search scores, lower first: what a reader wants first
        self.near_rank = near_rank  # `near` lists it (lower first at equal distance); None: never
        self.scope_rank = scope_rank  # a place a figure can describe, most specific first; None: not a place

    def ref(self, field: str) -> Ref | None:
        return next((r for r in self.refs if r.field == field), None)

    def named(self, entry: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(kind, id) of every entity an entry of this kind names by its references, field by field."""
        return [(ref.target, t) for ref in self.refs for t in ref.targets(entry.get(ref.field))]

    @property
    def cites(self) -> bool:
        """Whether its entries carry facts, and so a locator saying where they stand."""
        return self.ref("locator") is not None

    def __repr__(self) -> str:
        return f"Kind({self.name!r})"


PLACE_FILTERS = ("province", "region", "sector")

# Where an entry's facts stand: its locator (in the pack's primary source unless it names its own)
# and the further sources that state the same facts. Every kind that carries facts has both.
CITED = (Ref("locator", "source", key="source"), Ref("also_in", "source", many=True, key="source"))

# File order: sources first, then places from large to small, then what lies in them.
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "source",
            "sources",
            (Ref("cited_in", "source"), Ref("lists", "designation", many=True)),
            list_columns=("name", "kind", "publisher", "published"),
            chinese=False,
            search_rank=9,
        ),
        Kind(
            "designation",
            "designations",
            (*CITED,),
            list_columns=("name", "name_zh", "issuer", "members", "held"),
            search_rank=2,
        ),
        Kind(
            "province",
            "provinces",
            (Ref("capital", "city"), Ref("macro_region", "region")),
            filters=PLACE_FILTERS,
            list_columns=("name", "name_zh", "abbr", "kind", "capital", "macro_region", "cluster_count"),
            division=True,
            search_rank=3,
            scope_rank=2,
        ),
        Kind(
            "region",
            "regions",
            (
                Ref("provinces", "province", many=True),
                Ref("cities", "city", many=True),
                Ref("source", "source"),
                Ref("members", "city", many=True),
                Ref("central_members", "city", many=True),
                Ref("same_as", "region"),
                *CITED,
            ),
            filters=PLACE_FILTERS,
            list_columns=("name", "name_zh", "kind", "provinces", "cluster_count"),
            division=True,
            search_rank=4,
            scope_rank=3,
        ),
        Kind(
            "city",
            "cities",
            (Ref("province", "province"), Ref("prefecture", "city")),
            filters=(*PLACE_FILTERS, "kind", "level"),
            list_columns=("name", "name_zh", "code", "kind", "province", "cluster_count"),
            division=True,
            search_rank=5,
            near_rank=3,
            scope_rank=1,
        ),
        Kind(
            "park",
            "parks",
            (
                Ref("city", "city"),
                Ref("sectors", "sector", many=True),
                Ref("designations", "designation", many=True, key="list"),
                Ref("same_as", "park"),
                *CITED,
            ),
            filters=(*PLACE_FILTERS, "city", "designation"),
            list_columns=("name", "kind", "city", "sectors"),
            search_rank=6,
            near_rank=1,
            scope_rank=0,
        ),
        Kind(
            "sector",
            "sectors",
            (Ref("parent", "sector"),),
            filters=PLACE_FILTERS,
            list_columns=("name", "name_zh", "parent", "cluster_count"),
            search_rank=0,
        ),
        Kind(
            "company",
            "companies",
            (
                Ref("sector", "sector"),
                Ref("sectors", "sector", many=True),
                Ref("headquarters", "city"),
                Ref("bases", "city", many=True, key="city"),
                Ref("same_as", "company"),
                *CITED,
            ),
            filters=(*PLACE_FILTERS, "city"),
            list_columns=("name", "name_zh", "sector", "headquarters", "clusters"),
            search_rank=7,
            near_rank=2,
        ),
        Kind(
            "cluster",
            "clusters",
            (
                Ref("sector", "sector"),
                Ref("sectors", "sector", many=True),
                Ref("region", "region"),
                Ref("provinces", "province", many=True),
                Ref("cities", "city", many=True),
                Ref("parks", "park", many=True),
                Ref("companies", "company", many=True),
                Ref("designations", "designation", many=True, key="list"),
                Ref("distinct_from", "cluster", many=True),
                Ref("same_as", "cluster"),
                *CITED,
            ),
            filters=(*PLACE_FILTERS, "city", "designation", "status"),
            list_columns=("name", "sector", "provinces", "status"),
            search_rank=1,
            near_rank=0,
        ),
        Kind(
            "statistic",
            "statistics",
            (
                Ref("region", "region"),
                Ref("province", "province"),
                Ref("city", "city"),
                Ref("park", "park"),
                Ref("sector", "sector"),
                Ref("cluster", "cluster"),
                Ref("source", "source"),
                *CITED,
            ),
            label="metric",
            filters=(*PLACE_FILTERS, "city", "year", "status"),
            list_columns=("name", "display", "year", "scope"),
            chinese=False,
            search_rank=8,
        ),
    )
}


def by_section(section: str) -> Kind:
    """The kind whose entries a knowledge-base file lists under `section`."""
    return next(k for k in KINDS.values() if k.section == section)


# The orders and sets commands use, derived from the kinds (a kind added to KINDS joins them by its fields).


def divisions() -> list[str]:
    """The places a query names, in the order an exact name is tried (province, region, city)."""
    return [k.name for k in KINDS.values() if k.division]


def search_order() -> list[str]:
    return [k.name for k in sorted(KINDS.values(), key=lambda k: k.search_rank)]


def near_kinds() -> list[str]:
    return [k.name for k in sorted(KINDS.values(), key=lambda k: k.near_rank or 0) if k.near_rank is not None]


def place_order() -> tuple[str, ...]:
    """The places a figure can describe, most specific first (park, city, province, region)."""
    places = [k for k in KINDS.values() if k.scope_rank is not None]
    return tuple(k.name for k in sorted(places, key=lambda k: k.scope_rank or 0))


def citing_sections() -> list[str]:
    """The sections whose entries carry facts and say where they stand."""
    return [k.section for k in KINDS.values() if k.cites]


def ref_columns() -> frozenset[str]:
    """The columns of `list` rows that may hold references: every reference field of the model, and a
    company's clusters (which the clusters name)."""
    return frozenset({ref.field for _, ref in references()} | {"province", "clusters"})


# The fields through which a person names an entity (resolution and completion read these).
NAME_FIELDS = ("name", "official_name", "aliases", "synonyms", "name_zh", "abbr", "abbr_alt", "pinyin", "id")


def kind_named(word: str) -> Kind | None:
    """The kind a user means by a singular or plural word ('city', 'Cities'), or None."""
    w = word.strip().lower()
    for kind in KINDS.values():
        if w in (kind.name, kind.plural):
            return kind
    return None


def references() -> list[tuple[Kind, Ref]]:
    """Every (kind, reference field) pair of the model."""
    return [(kind, ref) for kind in KINDS.values() for ref in kind.refs]


# The kinds of city the reference pack holds (`list cities --kind`).
CITY_KINDS = (
    "municipality",
    "special_administrative_region",
    "prefecture_city",
    "prefecture",
    "autonomous_prefecture",
    "league",
    "county_city",
    "county",
    "autonomous_county",
    "banner",
    "autonomous_banner",
    "district",
    "forestry_district",
    "special_district",
)

# Scales of the figures (value x scale = amount in base units: yuan or US dollars).
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


# the labels a search hit's "why" names its text by ("sector: Offshore wind"), marked for the catalog: the
# document keeps them in English, a table shows them in the run's language
SEARCH_LABELS = frozenset(
    {
        N_("name"),
        N_("official name"),
        N_("Chinese name"),
        N_("pinyin"),
        N_("alias"),
        N_("synonym"),
        N_("specialty"),
        N_("summary"),
        N_("sector"),
        N_("sector synonym"),
        N_("place"),
        N_("headquarters"),
        N_("base"),
        N_("town"),
        N_("metric"),
        N_("official name (Chinese)"),
    }
)
