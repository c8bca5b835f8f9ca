"""The province outlines the drawn map uses (data/province_shapes.json, built by scripts/build_shapes.py from
Natural Earth, public domain), and the projection that puts them and any point on the page.

Albers equal-area conic, standard parallels 25°N and 47°N, centred on 105°E: areas keep their proportions,
as a choropleth needs, and China keeps the shape readers know from atlases.
"""

from __future__ import annotations

import json
import math
from functools import cache
from typing import Any, TypedDict

from .paths import shapes_path

LON0, PHI1, PHI2 = 105.0, 25.0, 47.0


class Outline(TypedDict):
    iso_code: str
    name: str
    name_zh: str
    label: tuple[float, float]  # Natural Earth's label point, lon and lat
    polygons: list[list[list[tuple[float, float]]]]  # lon/lat rings, the first of each polygon its outside


@cache
def _document() -> dict[str, Any]:
    with open(shapes_path(), encoding="utf-8") as f:
        doc: dict[str, Any] = json.load(f)
    return doc


def outlines() -> dict[str, Outline]:
    """The 31 provincial outlines Natural Earth draws, by ISO 3166-2 code (CN-AH)."""
    out: dict[str, Outline] = {}
    for f in _document()["features"]:
        p = f["properties"]
        out[p["iso_code"]] = {
            "iso_code": p["iso_code"],
            "name": p["name"],
            "name_zh": p["name_zh"],
            "label": (p["label"][0], p["label"][1]),
            "polygons": [[[(x, y) for x, y in ring] for ring in poly] for poly in f["geometry"]["coordinates"]],
        }
    return out


def source() -> dict[str, Any]:
    """Where the outlines come from (title, publisher, address, sha256, licence, boundaries)."""
    src: dict[str, Any] = _document()["source"]
    return src


_N = (math.sin(math.radians(PHI1)) + math.sin(math.radians(PHI2))) / 2
_C = math.cos(math.radians(PHI1)) ** 2 + 2 * _N * math.sin(math.radians(PHI1))


def project(lon: float, lat: float) -> tuple[float, float]:
    """Albers equal-area (unit sphere): x east, y north."""
    rho = math.sqrt(_C - 2 * _N * math.sin(math.radians(lat))) / _N
    theta = _N * math.radians(lon - LON0)
    return rho * math.sin(theta), -rho * math.cos(theta)
