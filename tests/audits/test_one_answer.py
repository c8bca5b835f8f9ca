"""One question, one answer (README, "What the counts count"): for every sector and province, and for
regions and cities, the clusters counted by `rank`, `map`, `list`, `compare`, the detail views and the
SQLite export's view are the same number. Views are asked in-process (thousands of pairs); the CLI's
commands print what these views hold."""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from clusters_cli.errors import NoMatches
from clusters_cli.views.compare import compare_view
from clusters_cli.views.detail import DETAIL_VIEWS
from clusters_cli.views.listing import list_view
from clusters_cli.views.map import map_view
from clusters_cli.views.rank import rank_view


@functools.cache
def _exported(kb: Any) -> dict[tuple[str, str, str], int]:
    """(kind, place, sector) -> clusters, from the SQLite export's clusters_by_place_and_sector view."""
    import tempfile

    from clusters_cli.cli.files import export

    with tempfile.TemporaryDirectory() as folder:  # (a folder of its own was left in /tmp by every run)
        target = Path(folder) / "kb.sqlite"
        export(kb, "sqlite", str(target))
        conn = sqlite3.connect(target)
        try:
            rows = conn.execute("SELECT kind, place_id, sector_id, clusters FROM clusters_by_place_and_sector")
            rows = rows.fetchall()
            # the README's recipe from the tables, for every sector: what the view says
            recipe = conn.execute(
                "SELECT p.place_id, t.ancestor_id, COUNT(DISTINCT p.cluster_id) FROM cluster_places p "
                "JOIN cluster_tags c ON c.cluster_id = p.cluster_id JOIN sector_tree t ON t.sector_id = c.sector_id "
                "WHERE p.kind = 'province' GROUP BY p.place_id, t.ancestor_id"
            ).fetchall()
        finally:
            conn.close()
    counted = {(k, p, s): n for k, p, s, n in rows}
    assert {(p, s): n for p, s, n in recipe} == {(p, s): n for (k, p, s), n in counted.items() if k == "province"}
    return counted


def _rank(kb: Any, level: str, sector: str) -> dict[str, int]:
    try:
        return {r["id"]: r["clusters"] for r in rank_view(kb, level, sector)["rows"]}
    except NoMatches:
        return {}


def test_every_sector_and_province_counts_alike_in_every_command_and_the_export(kb: Any) -> None:
    provinces = [p["id"] for p in kb.all("province")]
    compared = [compare_view(kb, provinces[i : i + 6], []) for i in range(0, len(provinces), 6) if provinces[i + 1 :]]
    matrix = {
        (item["id"], row["sector"]["id"]): row["counts"][i]
        for view in compared
        for row in view["matrix"]
        for i, item in enumerate(view["items"])
    }
    exported = _exported(kb)
    disagree = []
    for sector in (s["id"] for s in kb.all("sector")):
        ranked = _rank(kb, "provinces", sector)
        mapped = map_view(kb, sector)
        tiles = {t["id"]: t["clusters"] for t in mapped["tiles"] + mapped["unplaced"]}
        in_sector = {r["id"]: {p["id"] for p in r["provinces"]} for r in DETAIL_VIEWS["sector"](kb, sector)["clusters"]}
        for province in provinces:
            counts = {
                "rank": ranked.get(province, 0),
                "map": tiles.get(province, 0),
                "list": len(list_view(kb, "clusters", province=province, sector=sector)["rows"]),
                "sector view": sum(1 for places in in_sector.values() if province in places),
                "sqlite": exported.get(("province", province, sector), 0),
            }
            if (province, sector) in matrix or counts["rank"]:
                counts["compare"] = matrix.get((province, sector), 0)
            if len(set(counts.values())) > 1:
                disagree.append((sector, province, counts))
    assert disagree == []


@pytest.mark.parametrize("province", ["anhui", "beijing", "guangdong", "jiangxi", "chongqing"])
def test_a_province_view_holds_what_list_and_rank_count(kb: Any, province: str) -> None:
    view = DETAIL_VIEWS["province"](kb, province)
    listed = list_view(kb, "clusters", province=province)["rows"]
    assert sorted(c["id"] for c in view["clusters"]) == sorted(r["id"] for r in listed)
    municipality = kb.get("city", province)
    if municipality is not None:  # the city Beijing is the province Beijing
        assert sorted(c["id"] for c in DETAIL_VIEWS["city"](kb, province)["clusters"]) == sorted(
            c["id"] for c in view["clusters"]
        )


@pytest.mark.parametrize("sector", ["semiconductors", "wind", "textiles", "nev", "toys"])
def test_regions_and_cities_count_alike_in_rank_list_and_the_export(kb: Any, sector: str) -> None:
    exported = _exported(kb)
    for level, kind in (("regions", "region"), ("cities", "city")):
        for place, n in _rank(kb, level, sector).items():
            assert exported.get((kind, place, sector), 0) == n, (sector, place)
            listed = list_view(kb, "clusters", sector=sector, region=place)["rows"] if kind == "region" else None
            if listed is not None:
                assert len(listed) == n, (sector, place)


def test_a_region_counts_every_cluster_of_every_city_it_holds(kb: Any) -> None:
    """A region counts a cluster that lies partly in it, as a province does: each city a region holds counts in
    it every cluster it counts alone (the macro-region East counted none of the YRD's IC cluster, which
    Shanghai, Jiangsu and Zhejiang each counted, because the cluster reaches Anhui; Wuhan counted the
    Wuhan-Xiangyang-Shiyan-Suizhou car cluster, the Middle Yangtze city cluster did not)."""
    alone = {r["id"]: r["cluster_count"] for r in list_view(kb, "cities")["rows"]}
    short = {}
    for region in list_view(kb, "regions")["rows"]:
        for row in list_view(kb, "cities", region=region["id"])["rows"]:
            if row["cluster_count"] != alone[row["id"]]:
                short[(region["id"], row["id"])] = (row["cluster_count"], alone[row["id"]])
    assert short == {}
    ic = {r["id"]: r["cluster_ids"] for r in rank_view(kb, "regions", "ic-testing")["rows"]}
    assert "yrd-ic" in ic["east"]
