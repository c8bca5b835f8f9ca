"""benchmarks/scale.py: the larger knowledge bases the benchmarks measure are valid, and every copy refers
to its own copy, so a query means the same thing at every size."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from helpers import PACKS, ROOT, cli

sys.path.insert(0, str(ROOT / "benchmarks"))

import scale


def _own_copy(ident: str, suffix: str) -> bool:
    return ident.endswith(suffix) if suffix else "-x" not in ident


def test_every_copy_refers_to_its_own_copy_inside_objects_too() -> None:
    data = scale.merged([yaml.safe_load(Path(p).read_text(encoding="utf-8")) for p in PACKS])
    firm = data["companies"][0]
    firm["bases"] = [{"city": "hefei", "what": "a fixture base"}]  # a reference held inside an object
    out = scale.scaled(data, 3)
    assert [b["city"] for c in out["companies"] if c["id"].startswith(firm["id"]) for b in c["bases"]] == [
        "hefei",
        "hefei-x1",
        "hefei-x2",
    ]
    checked = 0
    for section, refs in scale.REF_FIELDS.items():
        if section in scale.SHARED:
            continue
        for e in out[section]:
            suffix = e["id"][e["id"].rfind("-x") :] if "-x" in e["id"] else ""
            for ref in refs:
                value = e.get(ref.field)
                items = value if isinstance(value, list) else [] if value is None else [value]
                for item in items:
                    ident = item.get(ref.key) if ref.key is not None else item
                    assert _own_copy(ident, suffix), (e["id"], ref.field, ident)
                    checked += 1
    assert checked > 400  # not vacuous: every reference of every copy


def test_a_scaled_knowledge_base_is_valid(tmp_path: Path) -> None:
    out = tmp_path / "kb3.yaml"
    assert scale.main(["--factor", "3", "-o", str(out), *(a for p in PACKS for a in ("--source", p))]) == 0
    r = cli("--no-shipped", "validate", str(out))
    assert r.exit_code == 0 and r.stderr.startswith(f"{out}: valid (218 entries: 6 sources, 2 designations"), r.stderr
