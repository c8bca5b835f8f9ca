"""A place filter of `list` over the shipped data: every province, region, city, park and sector that `places`
puts in a province or region is among those `within` names there, which `list` reads instead of every entry
(tests/test_place_reads.py pins the code on the fixture packs; here the real membership of regions: members,
their prefectures' counties, provinces held whole)."""

from __future__ import annotations

from typing import Any

from helpers import placed_within


def test_the_shipped_entries_a_place_holds_are_among_those_its_relations_name(kb: Any) -> None:
    placed_within(kb, ("province", "region", "city", "park", "sector"))
