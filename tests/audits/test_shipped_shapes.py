"""The province outlines the drawn map uses: what scripts/build_shapes.py builds from the vendored Natural
Earth file, one for every mainland provincial-level division, with shared borders still shared."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

from shipped import DIVISIONS, ROOT, load

SHAPES = ROOT / "data" / "province_shapes.json"
SOURCE = ROOT / "scripts" / "inputs" / "ne_50m_admin_1_china.geojson"


def test_the_shipped_outlines_are_what_the_script_builds(tmp_path: Path) -> None:
    out = tmp_path / "shapes.json"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_shapes.py"), "-o", str(out)], check=True)
    assert out.read_bytes() == SHAPES.read_bytes()


def test_the_build_records_what_it_read_and_stays_small() -> None:
    doc = json.loads(SHAPES.read_text(encoding="utf-8"))
    assert doc["source"]["sha256"] == hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert doc["source"]["sha256"] == "861684cfeffeaf645fa0ecdc255254a737d2e30573338fe1b9b5983c272fce19"  # README
    assert SHAPES.stat().st_size < 100_000  # about a quarter of the source


def test_every_mainland_division_has_one_outline_joined_by_iso_code() -> None:
    doc = json.loads(SHAPES.read_text(encoding="utf-8"))
    codes = Counter(f["properties"]["iso_code"] for f in doc["features"])
    provinces = {p["iso_code"] for p in load(DIVISIONS)["provinces"]}
    assert set(codes) == provinces - {"CN-HK", "CN-MO"} and len(codes) == 31 and set(codes.values()) == {1}


def test_borders_stay_shared_after_simplifying() -> None:
    # a border vertex of two provinces is kept by both or neither: the simplified map has no gaps or slivers
    def vertices(path: Path, decimals: int) -> list[Counter[tuple[float, float]]]:
        doc = json.loads(path.read_text(encoding="utf-8"))
        out = []
        for f in doc["features"]:
            polys = f["geometry"]["coordinates"]
            polys = polys if f["geometry"]["type"] == "MultiPolygon" else [polys]
            out.append(Counter((round(x, decimals), round(y, decimals)) for p in polys for r in p for x, y in r))
        return out

    simplified = vertices(SHAPES, 3)
    owners = Counter(v for shape in simplified for v in set(shape))
    shared = {v for v, n in owners.items() if n > 1}
    assert len(shared) > 1000  # 31 provinces share many border vertices
    source = vertices(SOURCE, 3)
    source_owners = Counter(v for shape in source for v in set(shape))
    # every border vertex of the source is kept by all the provinces sharing it, or by none
    assert {v: owners[v] for v, n in source_owners.items() if n > 1 and owners[v] not in (0, n)} == {}
    assert all(source_owners[v] == owners[v] for v in shared)
