"""The one counting rule of every command as link tables, for the exports: SQL over the SQLite export, a script
over the JSON or the CSV files, counts as `rank`, `map`, `list` and `compare` do without redoing the rule."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .kb import KB


# The one counting rule of every command (README, "What the counts count"), as tables and a view, so that the
# SQL anyone would write gives what `rank`, `map`, `list` and `compare` give.
RULE = """
CREATE TABLE "cluster_locations" (
  "cluster_id" TEXT NOT NULL REFERENCES "clusters"(id),
  "province_id" TEXT NOT NULL REFERENCES "provinces"(id),
  PRIMARY KEY ("cluster_id", "province_id"));
CREATE TABLE "cluster_places" (
  "cluster_id" TEXT NOT NULL REFERENCES "clusters"(id),
  "kind" TEXT NOT NULL CHECK ("kind" IN ('province', 'city', 'region')),
  "place_id" TEXT NOT NULL,
  PRIMARY KEY ("cluster_id", "kind", "place_id"));
CREATE TABLE "cluster_tags" (
  "cluster_id" TEXT NOT NULL REFERENCES "clusters"(id),
  "sector_id" TEXT NOT NULL REFERENCES "sectors"(id),
  "main" INTEGER NOT NULL CHECK ("main" IN (0, 1)),
  PRIMARY KEY ("cluster_id", "sector_id"));
CREATE TABLE "company_tags" (
  "company_id" TEXT NOT NULL REFERENCES "companies"(id),
  "sector_id" TEXT NOT NULL REFERENCES "sectors"(id),
  "how" TEXT NOT NULL CHECK ("how" IN ('tagged', 'cluster')),
  PRIMARY KEY ("company_id", "sector_id", "how"));
CREATE TABLE "sector_tree" (
  "sector_id" TEXT NOT NULL REFERENCES "sectors"(id),
  "ancestor_id" TEXT NOT NULL REFERENCES "sectors"(id),
  PRIMARY KEY ("sector_id", "ancestor_id"));
CREATE VIEW "clusters_by_place_and_sector" AS
  SELECT p."kind" AS "kind", p."place_id" AS "place_id", t."ancestor_id" AS "sector_id",
         COUNT(DISTINCT p."cluster_id") AS "clusters"
  FROM "cluster_places" p
  JOIN "cluster_tags" c ON c."cluster_id" = p."cluster_id"
  JOIN "sector_tree" t ON t."sector_id" = c."sector_id"
  GROUP BY p."kind", p."place_id", t."ancestor_id";
CREATE VIEW "clusters_by_province_and_sector" AS
  SELECT v."place_id" AS "province_id", pr."name" AS "province", pr."name_zh" AS "province_zh",
         v."sector_id" AS "sector_id", s."name" AS "sector", v."clusters" AS "clusters"
  FROM "clusters_by_place_and_sector" v
  JOIN "provinces" pr ON pr."id" = v."place_id"
  JOIN "sectors" s ON s."id" = v."sector_id"
  WHERE v."kind" = 'province';
"""


RULE_TABLES = ("cluster_locations", "cluster_places", "cluster_tags", "company_tags", "sector_tree")


def counting_rule_rows(kb: KB) -> dict[str, tuple[list[str], Iterator[tuple[Any, ...]]]]:
    """The counting rule as link tables, table -> (columns, rows), for the SQLite and CSV exports alike:
    where each cluster is counted (its provinces; its cities with their prefectures and a municipality; its
    regions), every sector it is tagged with (the main one marked), every sector a firm is of, and each sector
    with itself and every sector above it. The rows of each table are made as they are read (the JSON export
    holds none at once)."""
    from .relations import clusters_at

    return {
        "cluster_locations": (
            ["cluster_id", "province_id"],
            ((c["id"], p) for c in kb.each("cluster") for p in kb.cluster_provinces(c["id"])),
        ),
        "cluster_places": (
            ["cluster_id", "kind", "place_id"],
            (
                (cluster, place_kind, place)
                for place_kind in ("province", "city", "region")
                for place, cluster in kb.related_pairs(clusters_at(place_kind))
            ),
        ),
        "cluster_tags": (
            ["cluster_id", "sector_id", "main"],
            (
                (c["id"], sector, int(i == 0))
                for c in kb.each("cluster")
                for i, sector in enumerate(dict.fromkeys([c["sector"], *c.get("sectors", [])]))
            ),
        ),
        "company_tags": (["company_id", "sector_id", "how"], _company_tags(kb)),
        "sector_tree": (
            ["sector_id", "ancestor_id"],
            ((s["id"], a) for s in kb.each("sector") for a in [s["id"], *kb.sector_ancestors(s["id"])]),
        ),
    }


def _company_tags(kb: KB) -> Iterator[tuple[str, str, str]]:
    """A firm is of the sectors it is tagged with and of those of the clusters naming it (README, "Which firms a
    place or a sector has"), as `list companies --sector` reads it with the sector tree: each (firm, sector, how)
    once, how being `tagged` or `cluster`."""
    from .rules import cluster_sectors

    for co in kb.each("company"):
        for sector in dict.fromkeys([co["sector"], *co.get("sectors", [])]):
            yield co["id"], sector, "tagged"
    named: set[tuple[str, str]] = set()  # a firm two clusters of one sector name: once
    for c in kb.each("cluster"):
        for firm in dict.fromkeys(c.get("companies", [])):
            for sector in cluster_sectors(c):
                if (firm, sector) not in named:
                    named.add((firm, sector))
                    yield firm, sector, "cluster"
