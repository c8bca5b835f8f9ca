"""A sector filter reads only the entries the relations say may be of the sector (kinds.Adapter.having_sectors:
a kind's `sectors` inverted), and checks each: `list` with a place too, and `near`, answer as reading every
entry of the kind answers, as does `list` with a field filter (--kind, --level, --status, --year). `stats` reads
the figures its place, sector and series keep."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import own_pack

from clusters_cli.errors import NoMatches, UsageProblem
from clusters_cli.kinds import adapter
from clusters_cli.kinds.places import CityAdapter, ParkAdapter, ProvinceAdapter, RegionAdapter
from clusters_cli.kinds.things import ClusterAdapter, CompanyAdapter, StatisticAdapter

NARROWING = (CityAdapter, ParkAdapter, ClusterAdapter, CompanyAdapter, StatisticAdapter, ProvinceAdapter, RegionAdapter)
SECTIONS = ("cities", "parks", "clusters", "companies", "statistics", "provinces", "regions")
NEAR = ["cluster", "park", "company", "city"]


def answers(kb: Any) -> dict[tuple[Any, ...], Any]:
    from clusters_cli.views.listing import list_view
    from clusters_cli.views.near import nearest

    sectors = [s["id"] for s in kb.all("sector")]
    places = [(None, None), *((p["id"], None) for p in kb.all("province"))]
    places += [(None, r["id"]) for r in kb.all("region")]
    out: dict[tuple[Any, ...], Any] = {}
    for section in SECTIONS:
        for sector in sectors:
            for province, region in places:
                try:
                    rows = list_view(kb, section, province=province, sector=sector, region=region)["rows"]
                    out[(section, sector, province, region)] = [r["id"] for r in rows]
                except (UsageProblem, NoMatches) as problem:
                    out[(section, sector, province, region)] = type(problem).__name__
    for sector in sectors:
        closure = set(kb.sector_descendants(sector))
        for city in ("suzhou", "hefei", "shenzhen", "nantong"):
            seat = kb.get("city", city)
            rows, total = nearest(kb, seat["lat"], seat["lon"], NEAR, km=1500, sectors=closure, limit=30)
            out[("near", sector, city)] = ([(r["kind"], r["id"], r["distance_km"]) for r in rows], total)
    return out


def test_every_entry_a_sector_holds_is_among_those_its_relations_name(kb: Any) -> None:
    assert {type(adapter(kind)) for kind in [*NEAR, "statistic", "province", "region"]} == set(NARROWING)
    for kind in [*NEAR, "statistic", "province", "region"]:
        entries = kb.all(kind)
        for sector in kb.all("sector"):
            closure = set(kb.sector_descendants(sector["id"]))
            holding = {e["id"] for e in entries if adapter(kind).sectors(kb, e) & closure}
            named = adapter(kind).having_sectors(kb, closure)
            assert named is not None and holding <= named, (kind, sector["id"])
            # a firm's `sectors` beside no `sector` is named and holds none of them; a figure of its own sector,
            # about a cluster of the sector, is named
            if kind not in ("company", "statistic"):
                assert named == holding, (kind, sector["id"])


def test_a_sector_filter_answers_as_reading_every_entry(kb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    narrowed = answers(kb)
    assert sum(isinstance(v, list) and len(v) > 0 for v in narrowed.values()) > 100
    for cls in NARROWING:
        monkeypatch.setattr(cls, "having_sectors", lambda self, kb, sectors: None)
    assert answers(kb) == narrowed


def test_a_park_of_a_sector_elsewhere_is_not_in_a_province_list() -> None:
    from helpers import cli

    both = cli("list", "parks", "--sector", "semiconductors", "--json").json()["rows"]
    assert [r["id"] for r in both] == ["suzhou-industrial-park"]
    assert cli("list", "parks", "--sector", "semiconductors", "--province", "Anhui", "--json").json()["rows"] == []
    cities = cli("list", "cities", "--sector", "wind", "--province", "Anhui", "--json").json()["rows"]
    assert all(r["province"]["id"] == "anhui" for r in cities)


def test_stats_filters_read_the_figures_the_relations_keep_as_filtering_every_figure_would(kb: Any) -> None:
    """stats reads only the figures its place, sector and series keep (the relations), then filters by year
    and status: the figures it shows are those filtering every figure gives, in file order within a bar's
    ties."""
    from clusters_cli.views.stats import stats_view, year_range

    every = kb.all("statistic")

    def by_reading(province: Any, region: Any, sector: Any, series: Any, year: Any, status: Any) -> set[str]:
        kept = list(every)
        for kind, place in (("province", province), ("region", region)):
            if place is not None:
                inside = {st["id"] for st in kb.statistics_in(kind, place)}
                kept = [s for s in kept if s["id"] in inside]
        if year is not None:
            first, last = year_range(year)
            kept = [s for s in kept if first <= s["year"] <= last]
        if status is not None:
            kept = [s for s in kept if s["status"] == status]
        if sector is not None:
            kept = [s for s in kept if s.get("sector") in set(kb.sector_descendants(sector))]
        if series is not None:
            kept = [s for s in kept if s.get("series") == series]
        return {s["id"] for s in kept}

    provinces = [None, *(p["id"] for p in kb.all("province"))]
    regions = [None, *(r["id"] for r in kb.all("region"))]
    sectors = [None, *(s["id"] for s in kb.all("sector"))]
    series = [None, *sorted({s["series"] for s in every if s.get("series")})]
    asked = [(p, None, s, None, None, None) for p in provinces for s in sectors]
    years_and_statuses = [(y, t) for y in (None, "2022") for t in (None, "actual")]
    asked += [(None, r, None, x, y, t) for r in regions for x in series for y, t in years_and_statuses]
    shown = 0
    for filters in asked:
        try:
            view = stats_view(kb, filters[2], filters[3], filters[0], filters[1], filters[4], filters[5])
        except NoMatches:
            continue
        found = [b["id"] for g in view["groups"] for b in g["bars"]]
        assert len(found) == len(set(found)) and set(found) == by_reading(*filters), filters
        shown += bool(found)
    assert shown > 30


ABOUT_A_CLUSTER = own_pack("""statistics:
  - {id: nantong-wind-rank, metric: rank of wind power among Nantong's industries, value: 3, unit: rank,
     qualifier: exact, year: 2024, year_basis: publication, status: actual, city: nantong,
     cluster: nantong-wind, source: mine-notes, locator: {section: Only, paragraph: 1}}
""")


def test_a_figure_of_no_sector_stands_for_its_clusters(shared_cache: Any, tmp_path: Any) -> None:
    """A figure naming no sector of its own is of its cluster's sectors: `list statistics --sector` lists it,
    read from the relations (the figures about the sector's clusters)."""
    from helpers import PACKS, load_through, write

    from clusters_cli.views.listing import list_view

    kb = load_through(shared_cache, [*PACKS, write(tmp_path, ABOUT_A_CLUSTER)])
    wind = set(kb.sector_descendants("wind"))
    assert "nantong-wind-rank" in adapter("statistic").having_sectors(kb, wind)
    assert "nantong-wind-rank" in [r["id"] for r in list_view(kb, "statistics", sector="wind")["rows"]]


def test_a_field_filter_reads_the_entries_the_store_finds_holding_it_as_reading_every_entry(
    kb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`list` with --kind, --level, --status or --year reads the entries whose field the store finds holding
    the value (KB.ids_where and KB.each, json_extract), and answers as reading every entry of the kind."""
    from clusters_cli.model import CITY_KINDS
    from clusters_cli.views.listing import LEVELS, STATUSES, list_view

    asked: list[tuple[str, dict[str, Any]]] = []
    for province in (None, "jiangsu", "guangdong"):
        asked += [("cities", {"city_kind": k, "province": province}) for k in (*CITY_KINDS, "county city")]
        asked += [("cities", {"level": v, "province": province, "sector": s}) for v in LEVELS for s in (None, "wind")]
        asked += [("clusters", {"status": v, "province": province}) for v in STATUSES]
        figures = [{"year": y, "status": t} for y in ("2021", "2015-2022", "1990") for t in (None, "actual")]
        asked += [("statistics", {**f, "province": province}) for f in figures]

    def answers() -> list[Any]:
        out: list[Any] = []
        for section, filters in asked:
            try:
                out.append([r["id"] for r in list_view(kb, section, **filters)["rows"]])
            except (UsageProblem, NoMatches) as problem:
                out.append(type(problem).__name__)
        return out

    found = answers()
    assert sum(bool(a) and isinstance(a, list) for a in found) > 20 and [] in found
    every = kb.each
    monkeypatch.setattr(kb, "ids_where", lambda kind, equal, years=None, among=None: {e["id"] for e in kb.all(kind)})
    monkeypatch.setattr(kb, "each", lambda kind, equal=None, years=None: every(kind))
    assert answers() == found
