"""A place filter of `list` reads only the entries the relations say may lie in the place
(kinds.Adapter.within: a kind's `places` inverted), and checks each: the lists of provinces, regions, cities,
parks and sectors by province or region answer as reading every entry of the kind answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import cli, placed_within

from clusters_cli.errors import NoMatches, UsageProblem
from clusters_cli.kinds import adapter
from clusters_cli.kinds.base import Adapter
from clusters_cli.kinds.places import CityAdapter, ParkAdapter, ProvinceAdapter, RegionAdapter
from clusters_cli.kinds.things import SectorAdapter

WITHIN = {
    "province": ProvinceAdapter,
    "region": RegionAdapter,
    "city": CityAdapter,
    "park": ParkAdapter,
    "sector": SectorAdapter,
}
SECTIONS = ("provinces", "regions", "cities", "parks", "sectors")


def test_every_entry_a_place_holds_is_among_those_its_relations_name(kb: Any) -> None:
    assert {kind: type(adapter(kind)) for kind in WITHIN} == WITHIN
    assert all(cls.within is not Adapter.within for cls in WITHIN.values())
    placed_within(kb, WITHIN)


def answers(kb: Any) -> list[Any]:
    from clusters_cli.views.listing import list_view

    provinces = [p["id"] for p in kb.all("province")]
    regions = [r["id"] for r in kb.all("region")]
    asked: list[tuple[str, dict[str, Any]]] = []
    for section in SECTIONS:
        asked += [(section, {"province": p}) for p in provinces]
        asked += [(section, {"region": r}) for r in regions]
        asked += [(section, {"province": p, "region": r}) for p in provinces for r in regions]
        asked += [(section, {"province": p, "sector": "wind"}) for p in provinces]
        asked += [(section, {"region": r, "sector": "electronics"}) for r in regions]
    for place in [{"province": p} for p in provinces] + [{"region": r} for r in regions]:
        asked += [("cities", {**place, "level": "county"}), ("cities", {**place, "city_kind": "district"})]
    out: list[Any] = []
    for section, filters in asked:
        try:
            view = list_view(kb, section, **filters)
            out.append(([r["id"] for r in view["rows"]], view.get("counted_from")))
        except (UsageProblem, NoMatches) as problem:
            out.append(type(problem).__name__)
    return out


def test_a_place_filter_answers_as_reading_every_entry(kb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    narrowed = answers(kb)
    assert sum(isinstance(a, tuple) and len(a[0]) > 0 for a in narrowed) > 60
    assert any(isinstance(a, tuple) and a[0] == [] for a in narrowed)
    for cls in WITHIN.values():
        monkeypatch.setattr(cls, "within", lambda self, kb, place_kind, place_id: None)
    assert answers(kb) == narrowed


def test_a_province_s_cities_are_read_not_every_city(kb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """`list cities --province jiangsu` reads Jiangsu's cities alone: every city is never read (at 100 times
    the shipped data it read all 318,500 cities, a query each, for Anhui's: 4.7 s)."""
    from clusters_cli.views.listing import list_view

    read: list[set[str]] = []
    in_file_order = kb.in_file_order

    def reading(kind: str, idents: set[str]) -> Any:
        read.append(set(idents))
        return in_file_order(kind, idents)

    def every(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("every entry read")

    monkeypatch.setattr(kb, "each", every)
    monkeypatch.setattr(kb, "in_file_order", reading)
    jiangsu = {c["id"] for c in kb.all("city") if c["province"] == "jiangsu"}
    rows = list_view(kb, "cities", province="jiangsu")["rows"]
    assert read == [jiangsu] and [r["id"] for r in rows] == [c["id"] for c in kb.all("city") if c["id"] in jiangsu]
    read.clear()
    rows = list_view(kb, "cities", province="jiangsu", level="county")["rows"]
    counties = {c["id"] for c in kb.all("city") if c["id"] in jiangsu and c["level"] == "county"}
    assert read == [counties] and {r["id"] for r in rows} == counties


@pytest.mark.parametrize("city", ["suzhou", "kunshan", "hefei", "shanghai", "nanshan"])
def test_list_by_city_keeps_what_the_city_view_shows(city: str) -> None:
    """`list clusters --city Suzhou` was no option (`city Suzhou` alone gave a city's clusters): it keeps what
    the city's view shows, its districts' and counties' included, for clusters, parks, firms and figures."""
    view = cli("city", city, "--json").json()
    for kind in ("clusters", "parks", "companies", "statistics"):
        r = cli("list", kind, "--city", city, "--json", "--limit", "10000")
        listed = {row["id"] for row in r.json()["rows"]} if r.exit_code == 0 else set()
        assert listed == {e["id"] for e in view[kind]}, (city, kind)
    assert cli("list", "cities", "--city", city).exit_code == 2  # a city's cities: no such filter


@pytest.mark.parametrize("region", ["yrd", "prd"])
def test_a_region_s_view_lists_the_parks_list_parks_keeps(region: str) -> None:
    """`region YRD` had no section of parks while `list parks --region yrd` listed 76: the view lists the parks
    of the cities the region contains, the same."""
    shown = {p["id"] for p in cli("region", region, "--json").json()["parks"]}
    listed = {r["id"] for r in cli("list", "parks", "--region", region, "--json").json()["rows"]}
    assert shown == listed and bool(shown) is (region == "yrd")  # Suzhou's park is the Delta's; the PRD has none


MINE_COUNTY_PARK = """
meta: {title: Mine, primary_source: mine-notes}
sources:
  - {id: mine-notes, short_name: My notes, name: My notes, kind: secondary, sections: [{heading: Only, paragraphs: 1}]}
parks:
  - {id: my-kunshan-park, name: My Kunshan park, kind: industrial_park, city: kunshan, sectors: [socks], summary: S,
     locator: {section: Only, paragraph: 1}}
"""


def test_a_city_s_view_and_list_city_hold_its_counties_parks(tmp_path: Path) -> None:
    """`city Jinan` listed one park and `list parks --city Jinan` two (a district's): both hold the parks of its
    districts and counties, as a prefecture's clusters are counted."""
    from helpers import PACKS, data_args

    mine = tmp_path / "mine.yaml"
    mine.write_text(MINE_COUNTY_PARK, encoding="utf-8")
    args = data_args([*PACKS, str(mine)])
    shown = {p["id"] for p in cli(*args, "city", "suzhou", "--json").json()["parks"]}
    listed = {r["id"] for r in cli(*args, "list", "parks", "--city", "suzhou", "--json").json()["rows"]}
    assert shown == listed == {"suzhou-industrial-park", "my-kunshan-park"}


def test_a_city_filter_with_a_province_reads_the_place_of_that_name_in_it() -> None:
    """`list clusters --city Suzhou --province Anhui` read 苏州 (Jiangsu) and kept its clusters in Anhui: the city
    is the place of that name in the province, said so, and a name with no place there is refused."""
    doc = cli("list", "clusters", "--city", "Suzhou", "--province", "Anhui", "--json").json()
    assert doc["filters"] == {"province": "anhui", "city": "suzhou-ah"}
    assert "'Suzhou' read as Suzhou (宿州市), the place of that name in Anhui" in doc["notices"]
    # a name the policy cannot choose alone is chosen by the province (Taizhou: 泰州 and 台州)
    assert cli("list", "clusters", "--city", "Taizhou").exit_code == 1
    taizhou = cli("list", "clusters", "--city", "Taizhou", "--province", "Zhejiang", "--json")
    assert taizhou.exit_code == 1 and taizhou.json()["filters"]["city"] == "taizhou-zj"  # 台州 holds none here
    r = cli("list", "clusters", "--city", "Suzhou", "--province", "Anhui")  # which Suzhou, in English too
    assert r.exit_code == 1 and r.stderr.endswith("No clusters match province: Anhui; city: Suzhou (宿州市)\n")
    r = cli("list", "clusters", "--city", "Hefei", "--province", "Jiangsu")
    assert r.exit_code == 2 and r.stderr.endswith("--city 'Hefei' is Hefei in Anhui, not in the province asked\n")


FIELD_FILTERS = [
    ("cities", {"level": "county"}),
    ("cities", {"level": "prefecture"}),
    ("cities", {"city_kind": "district"}),
    ("cities", {"level": "county", "city_kind": "county"}),
    ("clusters", {"status": "established"}),
    ("clusters", {"status": "emerging"}),
    ("statistics", {"year": "2021"}),
    ("statistics", {"status": "actual"}),
    ("statistics", {"year": "2019-2021", "status": "actual"}),
]


def test_a_page_of_field_filters_is_read_alone_and_is_the_head_of_the_whole_list(
    kb: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page of a list filtered by fields alone (`list cities --level county --limit 5`) is read as a page and
    the rest counted in the store: at 100 times the shipped data every county was decoded for five rows. Its
    rows are the first of the whole list's, its total and counts the whole list's."""
    from clusters_cli.views.listing import list_view

    wholes = {(section, str(filters)): list_view(kb, section, **filters) for section, filters in FIELD_FILTERS}
    assert sum(len(w["rows"]) > 1 for w in wholes.values()) >= 6

    def every(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a page of field filters read every entry")

    monkeypatch.setattr(kb, "each", every)
    for section, filters in FIELD_FILTERS:
        whole = wholes[(section, str(filters))]
        for n in (1, 2, 5, 1000):
            page = list_view(kb, section, first=n, **filters)
            assert page["rows"] == whole["rows"][:n], (section, filters, n)
            assert (page["total"], page.get("counted_from")) == (len(whole["rows"]), whole.get("counted_from"))


def test_a_designation_filter_reads_the_list_s_entries_alone(kb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """`list clusters --designation ...` read every cluster and checked each (0.36 s at 100 times the shipped
    data for a list of 75): the entries on the list are read by the relation of their designations, and the
    answer is each kind's entries on the list, in file order, with the other filters too."""
    from clusters_cli.views.listing import list_view

    wanted = {
        (section, d["id"], status): [
            e["id"]
            for e in kb.all(kind)
            if any(x["list"] == d["id"] for x in e.get("designations", []))
            and (status is None or e.get("status") == status)
        ]
        for section, kind in (("clusters", "cluster"), ("parks", "park"))
        for d in kb.all("designation")
        for status in ((None, "established") if kind == "cluster" else (None,))
    }
    assert sum(len(ids) > 0 for ids in wanted.values()) >= 4

    def every(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a designation's list read every entry")

    monkeypatch.setattr(kb, "each", every)
    for (section, designation, status), ids in wanted.items():
        rows = list_view(kb, section, designation=designation, status=status)["rows"]
        assert [r["id"] for r in rows] == ids, (section, designation, status)
