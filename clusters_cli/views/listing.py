"""`list`: one row per entity of a kind, with filters the model says apply to it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import UsageProblem
from ..flatten import csv_table
from ..i18n import N_, _, list_sep, name_of, paren, remember_names, zh
from ..kinds import adapter
from ..model import CITY_KINDS, KINDS, Kind, by_section
from ..store.relations import clusters_at
from ..values import ref
from . import SCHEMA_VERSION
from .common import COUNTS_NOTE, allowed_value, counted_from
from .listorder import Ordered, ranked, read_alike, row_value
from .notices import read_filter
from .shared_rows import read_named

if TYPE_CHECKING:
    from ..store.kb import KB, Entity
    from .types import ListView


def province_of(kb: KB, kind: str, e: Entity) -> str | None:
    """The one province an entity lies in, where it has one (kinds.Adapter.province_of)."""
    return adapter(kind).province_of(kb, e)


def list_row(kb: KB, kind: str, e: Entity, kept: set[str] | None = None) -> dict[str, Any]:
    """One row: always id and name; name_zh and province where the kind has them, then the kind's own
    columns (kinds.Adapter.row). A reference to another entry is an {id, name} object (a list of them for
    several), as in every view. With `kept`, a cluster count counts only those clusters (what the filters
    keep: kept_clusters)."""

    def count(clusters: list[str]) -> int:
        return len({c for c in clusters if kept is None or c in kept})

    behaviour = adapter(kind)
    row: dict[str, Any] = {"id": e["id"], "name": row_value(KINDS[kind], e, "name")}
    if KINDS[kind].chinese:
        row["name_zh"] = e.get("name_zh")
    if behaviour.placed:
        row["province"] = ref(kb, "province", behaviour.province_of(kb, e))
    row.update(behaviour.row(kb, e, count))
    return row


def sample_row(kb: KB, section: str) -> dict[str, Any] | None:
    """The row of a kind's first entry, or None where it has none: its fields are every row's (list_row makes
    each kind's rows of the same fields, in the same order; a test holds them so), which a list checks the
    fields it is asked for against before making every row (rows.refuse_unknown_fields)."""
    kind = by_section(section)
    first = kb.first(kind.name, 1)
    return list_row(kb, kind.name, first[0]) if first else None


def kept_clusters(kb: KB, sectors: set[str] | None, places: list[tuple[str, str]]) -> set[str] | None:
    """The clusters a filtered list of places counts: those tagged with any of these sectors (the cache's
    sector relation) and counted in each place filtered by (`list provinces --region beibu-gulf` counts
    Guangdong's clusters in the Beibu Gulf, not all 45); None where nothing is filtered."""
    kept = None if sectors is None else {c for s in sectors for c in kb.related(clusters_at("sector"), s)}
    for place_kind, place_id in places:
        here = set(kb.related(clusters_at(place_kind), place_id))
        kept = here if kept is None else kept & here
    return kept


def _places(kb: KB, kind: str, e: Entity) -> tuple[set[str], set[str]]:
    """(provinces, regions) an entity lies in or is attributed to."""
    return adapter(kind).places(kb, e)


def entity_sectors(kb: KB, kind: str, e: Entity) -> set[str]:
    """The sectors an entity stands for: its own, or those of the clusters it stands in."""
    return adapter(kind).sectors(kb, e)


def _prefetch_page(kb: KB, kind: Kind, page: list[Entity]) -> None:
    """Read what a page's rows name in a query a field, not a query a row: the entries its single references
    name (a city's prefecture, a province's capital), the province of each row and, for a place, the
    clusters counted at each."""
    read_named(kb, kind.name, page, single=True)
    behaviour = adapter(kind.name)
    if behaviour.placed:  # after the references: a firm's province is its headquarters' (read above)
        kb.many("province", [p for e in page if (p := behaviour.province_of(kb, e)) is not None])
    if kind.division:
        kb.prefetch_keys(clusters_at(kind.name), [e["id"] for e in page])


def _check_filters(kind: Kind, given: dict[str, str | None]) -> None:
    wrong = [name for name, value in given.items() if value is not None and name not in kind.filters]
    if wrong:
        allowed = list_sep().join(f"--{f}" for f in kind.filters) or _("none")
        raise UsageProblem(
            _("--{wrong} does not apply to {plural}; filters that do: {allowed}").format(
                wrong=wrong[0], plural=kind.plural, allowed=allowed
            )
        )


def _city_in(kb: KB, city: str, province: str | None, notices: list[str]) -> Entity:
    """The city --city names; with --province, the place of that name in the province (`--city Suzhou
    --province Anhui` is 宿州, not 苏州, which the name alone reads; `--city Taizhou --province Zhejiang` is 台州,
    where the name alone is ambiguous), and a usage error where none of its places lies there."""
    from ..errors import Ambiguous
    from ..resolve import resolve
    from ..textfold import compact

    if province is None:
        return read_filter(kb, "city", city, notices)
    try:
        match = resolve(kb, "city", city)
        places = [match.entity, *match.also]
    except Ambiguous:  # the places the name names alike, one of which the province may choose
        places = kb.many("city", sorted({row[0] for row in kb.keys_equal("city", compact(city))}))
        match = None
    inside = [e for e in places if province in (e.get("province"), e.get("id"))]
    if len(inside) != 1:
        if match is None:  # no place of the name, or several, in the province: ambiguous as before
            return read_filter(kb, "city", city, notices)
        where = kb.get("province", str(match.entity.get("province"))) or {}
        raise UsageProblem(
            _("--city '{city}' is {name} in {where}, not in the province asked").format(
                city=city[:40], name=match.entity["name"], where=where.get("name", "?")
            )
        )
    chosen = inside[0]
    if match is not None and chosen is match.entity:
        return read_filter(kb, "city", city, notices, match)
    _say_read_in(city, chosen, kb.get("province", province) or {"id": province, "name": province}, notices)
    if chosen.get("name_zh"):  # the name a person reads it by in Chinese, as read_filter remembers it
        remember_names({(chosen["id"], chosen["name"]): chosen["name_zh"]})
    return chosen


def _say_read_in(query: str, chosen: Entity, province: Entity, notices: list[str]) -> None:
    """The notice that a filter's name was read as the place of that name in the province asked (in English
    for the document, and as a person reads it where it is shown)."""
    from ..i18n import remember_line

    template = N_("'{query}' read as {name}{zh}, the place of that name in {province}")
    name_zh = chosen.get("name_zh")
    english = template.format(
        query=query[:40], name=chosen["name"], province=province["name"], zh=f" ({name_zh})" if name_zh else ""
    )
    aside = paren(chosen["name"]) if zh() and name_zh else f" ({name_zh})" if name_zh else ""
    remember_line(
        english, _(template).format(query=query[:40], name=name_of(chosen), province=name_of(province), zh=aside)
    )
    notices.append(english)


LEVELS = ("province", "prefecture", "county")
STATUSES = ("established", "emerging", "planned")


def list_view(
    kb: KB,
    section: str,
    province: str | None = None,
    sector: str | None = None,
    region: str | None = None,
    city_kind: str | None = None,
    level: str | None = None,
    designation: str | None = None,
    status: str | None = None,
    year: str | None = None,
    first: int | None = None,
    city: str | None = None,
    ordered: Ordered | None = None,
) -> ListView:
    """The rows of a kind that the filters keep, in file order; with `first`, only the first rows are built
    (a page of a people's table), and `total` says how many matched. With `ordered` (listorder.stored_order:
    a field the store holds, or None, whether reversed, and a page's size), the rows are those `--sort`,
    `--reverse` and `--limit` will show, where the store can order them (else every row), and `total` says how
    many matched."""
    kind = by_section(section)
    given = {"province": province, "sector": sector, "region": region, "kind": city_kind, "level": level}
    _check_filters(kind, {**given, "city": city, "designation": designation, "status": status, "year": year})
    statuses = STATUSES
    if kind.name == "statistic":  # a figure's words: read where a list is of figures
        from .stats import FIGURE_STATUSES as statuses
    if city_kind is not None:  # as the table shows it ("county city") or as the data writes it
        city_kind = city_kind.strip().lower().replace(" ", "_").replace("-", "_")
    # a value as the data writes it, or by the word a table shows for it in either language (新兴, 县级)
    city_kind = allowed_value(city_kind, CITY_KINDS, "--kind")
    level = allowed_value(level, LEVELS, "--level")
    status = allowed_value(status, statuses, "--status")
    filters: dict[str, str] = {}
    prov_id = region_entity = None
    sector_ids: set[str] | None = None
    notices: list[str] = []

    if province is not None:
        prov_id = read_filter(kb, "province", province, notices)["id"]
        filters["province"] = prov_id
    if sector is not None:
        sid = read_filter(kb, "sector", sector, notices)["id"]
        sector_ids = set(kb.sector_descendants(sid))
        filters["sector"] = sid
    if region is not None:
        region_entity = read_filter(kb, "region", region, notices)
        filters["region"] = region_entity["id"]
    city_entity = _city_in(kb, city, prov_id, notices) if city is not None else None
    if city_entity is not None:
        filters["city"] = city_entity["id"]

    designation_id = None
    if designation is not None:
        designation_id = read_filter(kb, "designation", designation, notices)["id"]
        filters["designation"] = designation_id
    if status is not None:
        filters["status"] = status
    years = None
    if year is not None:
        from .stats import year_range

        years = year_range(year)
        filters["year"] = year
    if city_kind is not None:
        filters["kind"] = city_kind
    if level is not None:
        filters["level"] = level

    # clusters, figures and firms follow the one rule of every view (kinds.Adapter.counted_at): a region's
    # clusters are those wholly inside it or attributed to it; a place's figures, its own and those inside it;
    # its firms, those of its clusters and those headquartered or based in its cities (of a sector too, as rank
    # counts them: those the sector's clusters there name, or tagged with it and there)
    behaviour = adapter(kind.name)
    inside: set[str] | None = None
    region_id = str(region_entity["id"]) if region_entity is not None else None
    places = [(k, i) for k, i in (("province", prov_id), ("region", region_id)) if i is not None]  # filtered by
    if city_entity is not None:
        places.append(("city", str(city_entity["id"])))
    if behaviour.counted:
        for place in places:
            found = behaviour.counted_at(kb, place, sector_ids)
            assert found is not None  # a kind counted at places has a rule for each place
            inside = found if inside is None else inside & found
    elif city_entity is not None:  # a city's parks: its own and those of its districts and counties (its view's)
        inside = {p["id"] for p in adapter("city").parks_in(kb, city_entity)}
    if behaviour.sectors_with_place and sector_ids is not None and inside is None:  # a sector's firms: one read,
        inside = behaviour.counted_at(kb, None, sector_ids)  # not a query of each firm's clusters
    # the entries read: those `inside` a place, those the relations say may lie in it or be of a sector, and
    # those holding a field's value (`keep` still checks each, its place too), not every entry
    read = inside
    if not behaviour.counted:
        for place_kind, place_id in places:
            if place_kind == "city":  # read above, the city's own (`within` answers for a province or region)
                continue
            may = behaviour.within(kb, place_kind, place_id)
            if may is not None:
                read = may if read is None else read & may
    if not behaviour.sectors_with_place and sector_ids is not None:
        having = behaviour.having_sectors(kb, sector_ids)
        if having is not None:
            read = having if read is None else read & having
    if designation_id is not None:  # the entries on the list, by the relation of their `designations`
        listed = set(kb.referring_ids(kind.name, "designations", designation_id))
        read = listed if read is None else read & listed
    # a field's value: the entries holding it, found in the store
    equal = {f: v for f, v in (("kind", city_kind), ("level", level), ("status", status)) if v is not None}
    if read is not None and (equal or years is not None):
        read = kb.ids_where(kind.name, equal, years, among=read)

    def keep(e: Entity) -> bool:
        if (city_kind is not None and e["kind"] != city_kind) or (level is not None and e["level"] != level):
            return False
        if status is not None and e["status"] != status:
            return False
        if years is not None and not years[0] <= e["year"] <= years[1]:
            return False
        if designation_id is not None and all(d["list"] != designation_id for d in e.get("designations", [])):
            return False
        if inside is not None:  # a place's clusters, figures or firms (a firm's sector is read with its place)
            if (
                not behaviour.sectors_with_place
                and sector_ids is not None
                and not behaviour.sectors(kb, e) & sector_ids
            ):
                return False
            if e["id"] not in inside:
                return False
            if behaviour.counted:  # every place it was asked in is read in `inside`
                return True
        if sector_ids is not None and not behaviour.sectors(kb, e) & sector_ids:
            return False
        if prov_id is None and region_entity is None:
            return True
        provinces, regions = _places(kb, kind.name, e)
        if prov_id is not None and prov_id not in provinces:
            return False
        return region_entity is None or region_entity["id"] in regions

    unfiltered = not filters
    # a place's count counts what the filters keep: the sector's clusters, those in the province or region
    counting = kept_clusters(kb, sector_ids, places) if kind.division else None
    # every row counts its clusters: one read of the relation, not a query a place (a page's rows read their own,
    # _prefetch_page; what a filtered list counts is read from the relation's pairs, below)
    if kind.division and first is None:
        kb.prefetch(clusters_at(kind.name))
    kept: list[str] = []  # the ids the filters keep (unfiltered, the counts below read the whole relation)
    rows: list[dict[str, Any]] = []
    # filters of fields alone (--level, --kind, --status, --year), which the store tests as `keep` does: a page
    # of them is read alone, and the rest only counted and their ids read (`list cities --level county --limit
    # 5` decoded all 284,600 counties at 100 times the shipped data); a page `keep` would not keep all of (the
    # store and Python reading a value apart) is made the long way
    fields_only = read is None and not places and sector_ids is None and designation_id is None
    by_fields = first is not None and fields_only
    page: list[Entity] | None = (
        kb.first(kind.name, first, equal, years) if by_fields and not unfiltered and first else []
    )
    # a page of a list sorted by a field the store holds (`list cities --sort name --limit 5`), or reversed, in the
    # order its rows will be sorted in (views/listorder.py)
    order = ranked(kb, kind, ordered, equal, years) if ordered is not None and first is None and fields_only else None
    page_rows: list[dict[str, Any]] | None = None  # its rows, made where they are checked
    if ordered is not None and order is not None:
        page = kb.many(kind.name, order[1])
        _prefetch_page(kb, kind, page)
        page_rows = [list_row(kb, kind.name, e, counting) for e in page]
        if not all(keep(e) for e in page) or not read_alike(ordered, page_rows, order[2]):
            order = page = page_rows = None  # the store and Python read a value apart: every row made
    if unfiltered and first is not None:  # a page of every entry: read the page alone, count the rest
        page = kb.first(kind.name, first)
        matched = kb.counts()[kind.section]
    elif order is not None and page is not None:  # every entry's id read, in file order; of every entry, counted
        every = order[0]  # None: unfiltered, counted by the build (what its counts count is every place's)
        kept, matched = (every, len(every)) if every is not None else ([], kb.counts()[kind.section])
    elif page and all(keep(e) for e in page):  # the ids of the others the fields keep read, for the counts
        kept = list(kb.ids_where(kind.name, equal, years))
        matched = len(kept)
    else:  # each entry read once and let go: a row is made of it as it passes
        page = None
        # a place's clusters or figures are known: only they are read, in file order
        for e in kb.each(kind.name, equal, years) if read is None else kb.in_file_order(kind.name, read):
            if keep(e):
                kept.append(e["id"])
                if first is None or len(rows) < first:
                    rows.append(list_row(kb, kind.name, e, counting))
        matched = len(kept)
    if page is not None and page_rows is None:  # a page read alone: what its rows name read at once, then its rows
        _prefetch_page(kb, kind, page)
        page_rows = [list_row(kb, kind.name, e, counting) for e in page]
    if page_rows is not None:
        rows = page_rows
    view: ListView = {
        "schema_version": SCHEMA_VERSION,
        "kind": "list",
        "entity": section,
        "filters": filters,
        "notices": notices,
        "count": len(rows),
        "rows": rows,
    }
    if first is not None:
        view["total"] = matched
    if kind.division:  # a count of clusters per place reads like a ranking: say what it measures
        if unfiltered:  # every entry's clusters: those at any place of the kind
            counted = kb.related_ids(clusters_at(kind.name))
        else:  # the kept places' clusters, from the relation's pairs (at 100 times the shipped data 42,400, where
            # asking each of the 284,600 counties `list cities --level county` keeps took 0.3 s)
            keys = set(kept)
            pairs = kb.related_pairs(clusters_at(kind.name))
            counted = [c for key, c in pairs if key in keys and (counting is None or c in counting)]
        view["counted_from"] = counted_from(kb, counted)
        view["counts_note"] = COUNTS_NOTE
    if order is not None:  # last, where rows.apply_rows puts it in a list whose every row was made
        view["total"] = matched
    return view


def whole_list(kb: KB, section: str) -> tuple[list[str], Iterable[Sequence[Any]]] | None:
    """The header and cells of every row of a kind as CSV and TSV print them (flatten.csv_table of list_view's
    rows, unfiltered): kept from an earlier run of this build (store/kept.py), else made and kept for the next;
    None where the kind has no entries."""
    from ..store.kept import keep, read_kept  # a page for people keeps nothing: only this imports it

    name = f"list-{section}"
    found = read_kept(kb, name)
    if found is not None:
        return found
    rows = list_view(kb, section)["rows"]
    if not rows:
        return None
    header, made = csv_table(rows)
    del rows  # the cells are made of the columns: the rows' dicts go before the cells are held, not after
    cells = list(made)
    keep(kb, name, header, cells)
    return header, cells
