"""The one counting rule on generated packs (README, "What the counts count"): whatever clusters a pack
holds, with any tags and places, `rank`, `map`, `list`, `compare` and the SQLite export count the same
clusters of every sector in every province; a cluster placed only in a region is counted in no province."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from helpers import PLACES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clusters_cli import load_kb
from clusters_cli.cli.files import export
from clusters_cli.errors import NoMatches
from clusters_cli.views.compare import compare_view
from clusters_cli.views.detail import company_view, province_view, region_view, sector_view
from clusters_cli.views.listing import list_view
from clusters_cli.views.map import map_view
from clusters_cli.views.rank import rank_view

SECTORS = {"tech": None, "chips": "tech", "design": "chips", "screens": "tech", "energy": None, "wind": "energy"}
CITIES = ["suzhou", "kunshan", "nantong", "hefei", "feixi", "hangzhou", "shenzhen", "nanshan", "beijing", "luan"]
PROVINCES = ["jiangsu", "anhui", "zhejiang", "guangdong", "beijing", "shanghai"]
REGIONS = {"east": ["beijing", "shanghai", "jiangsu", "zhejiang", "guangdong"], "yrd": ["jiangsu", "zhejiang", "anhui"]}

# a cluster is placed by its cities, or by its provinces, or only in a region (validate refuses a city
# outside the provinces a cluster names, and a cluster with no place)
where = st.one_of(
    st.fixed_dictionaries({"cities": st.lists(st.sampled_from(CITIES), min_size=1, max_size=3, unique=True)}),
    st.fixed_dictionaries({"provinces": st.lists(st.sampled_from(PROVINCES), min_size=1, max_size=2, unique=True)}),
    st.fixed_dictionaries({"region": st.sampled_from(sorted(REGIONS))}),
)
cluster = st.builds(
    lambda sector, tags, place: {"sector": sector, "tags": tags, "cities": [], "provinces": [], "region": None} | place,
    st.sampled_from(sorted(SECTORS)),
    st.lists(st.sampled_from(sorted(SECTORS)), max_size=2),
    where,
)


@contextlib.contextmanager
def generated_kb(text: str) -> Iterator[tuple[Any, Path]]:
    """The knowledge base of the fixture places and a generated pack, compiled in a folder of its own that goes
    when the block ends (and the cache folder setting as it was)."""
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "generated.yaml"
        path.write_text(text, encoding="utf-8")
        before = os.environ.get("CLUSTERS_CACHE_DIR")
        os.environ["CLUSTERS_CACHE_DIR"] = name
        try:
            yield load_kb([PLACES, str(path)], shipped=False), Path(name)
        finally:
            if before is None:
                del os.environ["CLUSTERS_CACHE_DIR"]
            else:
                os.environ["CLUSTERS_CACHE_DIR"] = before


def pack(clusters: list[dict[str, Any]]) -> str:
    """A pack of these clusters, beside the fixture places (a region-placed cluster has no other place)."""
    body: dict[str, Any] = {
        "meta": {"title": "Generated fixture pack", "primary_source": "generated"},
        "sources": [
            {
                "id": "generated",
                "short_name": "Generated",
                "name": "A generated source",
                "kind": "article",
                "sections": [{"heading": "Only", "paragraphs": 1}],
            }
        ],
        "regions": [
            {"id": r, "name": r.upper(), "kind": "macro_region" if r == "east" else "economic_region", "provinces": p}
            | {"cities": []}
            for r, p in REGIONS.items()
        ],
        "sectors": [
            {
                "id": s,
                "name": s.title(),
                "synonyms": [],
                "summary": "A generated sector.",
                **({"parent": p} if p else {}),
            }
            for s, p in SECTORS.items()
        ],
        "clusters": [],
    }
    for i, c in enumerate(clusters):
        entry: dict[str, Any] = {
            "id": f"c{i}",
            "name": f"Cluster {i}",
            "sector": c["sector"],
            "status": "established",
            "summary": "A generated cluster.",
            "locator": {"section": "Only", "paragraph": 1},
        }
        if [t for t in c["tags"] if t != c["sector"]]:
            entry["sectors"] = list(dict.fromkeys(t for t in c["tags"] if t != c["sector"]))
        if c["region"] is not None:
            entry["region"] = c["region"]  # placed only in the region
        else:
            entry.update({k: c[k] for k in ("cities", "provinces") if c[k]})
        body["clusters"].append(entry)
    return yaml.safe_dump(body, allow_unicode=True, sort_keys=False)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(clusters=st.lists(cluster, min_size=1, max_size=8))
def test_every_command_counts_by_one_rule(clusters: list[dict[str, Any]]) -> None:
    with generated_kb(pack(clusters)) as (kb, folder):
        counts_by_one_rule(kb, folder, clusters)


def counts_by_one_rule(kb: Any, folder: Path, clusters: list[dict[str, Any]]) -> None:
    database = folder / "kb.sqlite"
    export(kb, "sqlite", str(database))
    with sqlite3.connect(database) as conn:
        exported = {
            (p, s): n
            for p, s, n in conn.execute(
                "SELECT place_id, sector_id, clusters FROM clusters_by_place_and_sector WHERE kind = 'province'"
            )
        }
    compared = compare_view(kb, PROVINCES, [])
    matrix = {
        (it["id"], r["sector"]["id"]): r["counts"][i]
        for r in compared["matrix"]
        for i, it in enumerate(compared["items"])
    }
    placed = {f"c{i}" for i, c in enumerate(clusters) if c["region"] is None and (c["cities"] or c["provinces"])}
    for sector in SECTORS:
        try:
            ranked = {r["id"]: r["clusters"] for r in rank_view(kb, "provinces", sector)["rows"]}
        except NoMatches:
            ranked = {}
        tiles = {t["id"]: t["clusters"] for t in map_view(kb, sector)["tiles"] + map_view(kb, sector)["unplaced"]}
        for province in PROVINCES:
            listed = list_view(kb, "clusters", province=province, sector=sector)["rows"]
            assert {r["id"] for r in listed} <= placed  # a region-only cluster is in no province
            counts = {ranked.get(province, 0), tiles.get(province, 0), len(listed), exported.get((province, sector), 0)}
            counts.add(matrix.get((province, sector), len(listed)))
            assert len(counts) == 1, (sector, province, clusters)
    for region in REGIONS:  # a province's count under --region: its clusters the region's view lists
        shown = region_view(kb, region)["clusters"]
        try:
            rows = list_view(kb, "provinces", region=region)["rows"]
        except NoMatches:
            rows = []
        for row in rows:
            inside = [c for c in shown if any(p["id"] == row["id"] for p in c["provinces"])]
            assert row["cluster_count"] == len(inside), (region, row["id"], clusters)


# a firm: its sector tags, where a page puts it (a headquarters, bases) and the generated clusters naming it
firm = st.fixed_dictionaries(
    {
        "sector": st.sampled_from(sorted(SECTORS)),
        "more": st.lists(st.sampled_from(sorted(SECTORS)), max_size=1),
        "headquarters": st.one_of(st.none(), st.sampled_from(CITIES)),
        "bases": st.lists(st.sampled_from(CITIES), max_size=2, unique=True),
        "named_by": st.lists(st.integers(0, 7), max_size=2, unique=True),
    }
)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(clusters=st.lists(cluster, min_size=1, max_size=8), firms=st.lists(firm, min_size=1, max_size=5))
def test_every_command_names_the_same_firms(clusters: list[dict[str, Any]], firms: list[dict[str, Any]]) -> None:
    """A place's firms are those its clusters name and those headquartered or based in its cities (a region's by
    the membership rule); a sector's, those its clusters name and those tagged with it; a sector's at a place,
    as rank counts them. The views, `list companies` and `rank` keep the same (list filtered a province's by
    headquarters alone, a region's view took in every city of the provinces it touches, and a sector's list
    left out the firms its clusters name)."""
    body = yaml.safe_load(pack(clusters))
    body["companies"] = []
    for i, f in enumerate(firms):
        entry: dict[str, Any] = {"id": f"f{i}", "name": f"Firm {i}", "sector": f["sector"]}
        entry |= {"sectors": f["more"]} if f["more"] and f["more"] != [f["sector"]] else {}
        entry |= {"headquarters": f["headquarters"]} if f["headquarters"] else {}
        entry |= {"bases": [{"city": c} for c in f["bases"]]} if f["bases"] else {}
        body["companies"].append(entry | {"locator": {"section": "Only", "paragraph": 1}})
        for c in f["named_by"]:
            if c < len(clusters):
                body["clusters"][c].setdefault("companies", []).append(f"f{i}")
    with generated_kb(yaml.safe_dump(body, allow_unicode=True, sort_keys=False)) as (kb, _):
        names_the_same_firms(kb, firms)


def names_the_same_firms(kb: Any, firms: list[dict[str, Any]]) -> None:
    def listed(**filters: str) -> set[str]:
        try:
            return {r["id"] for r in list_view(kb, "companies", **filters)["rows"]}
        except NoMatches:
            return set()

    listing: dict[tuple[str, str], set[str]] = {}
    for kind, view in (("province", province_view), ("region", region_view)):
        for place in PROVINCES if kind == "province" else REGIONS:
            listing[(kind, place)] = {c["id"] for c in view(kb, place)["companies"]}
            assert listing[(kind, place)] == listed(**{kind: place}), (kind, place)
    for i in range(len(firms)):  # a firm's view names the provinces and regions whose views list it
        shown = company_view(kb, f"f{i}")
        for kind in ("province", "region"):
            named = {r["id"] for r in shown[f"{kind}s"]}
            assert named == {p for (k, p), ids in listing.items() if k == kind and f"f{i}" in ids}, (i, kind)
    for sector in SECTORS:
        assert {c["id"] for c in sector_view(kb, sector)["companies"]} == listed(sector=sector), sector
        for level in ("provinces", "regions"):
            try:
                ranked = {r["id"]: r["companies"] for r in rank_view(kb, level, sector)["rows"]}
            except NoMatches:
                ranked = {}
            for place in PROVINCES if level == "provinces" else REGIONS:
                count = len(listed(sector=sector, **{level[:-1]: place}))
                assert ranked.get(place, 0) == count, (sector, level, place)
