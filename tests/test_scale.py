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
        "hefei-x001",
        "hefei-x002",
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


def test_every_copy_weighs_the_same_so_that_100x_is_ten_times_10x() -> None:
    data = scale.merged([yaml.safe_load(Path(p).read_text(encoding="utf-8")) for p in PACKS])
    out = scale.scaled(data, 18)  # copies 1-17: one and two digits, words of one and two syllables before

    def copy_text(k: int) -> str:
        suffix = f"-x{k:03d}"
        rows = [e for section in scale.REF_FIELDS for e in out[section] if e.get("id", "").endswith(suffix)]
        return yaml.dump(rows, Dumper=scale._NoAliasDumper, allow_unicode=True, sort_keys=False, width=200)

    sizes = {k: len(copy_text(k).encode("utf-8")) for k in range(1, 18)}
    assert len(set(sizes.values())) == 1 and sizes[1] > 10_000, sizes
    assert (scale.word(1), scale.word(2), scale.word(16), scale.word(4095)) == ("Kobaba", "Ribaba", "Bakoba", "Tatata")
    assert len(scale.word(4096)) > len(scale.word(4095))  # beyond, words grow: distinct still


def test_the_pack_is_written_as_the_pure_python_dumper_writes_it() -> None:
    """scale.py writes with libyaml's emitter where PyYAML has it: the same text, byte for byte, as PyYAML's own
    emitter writes (a machine without libyaml writes the same pack), and read back, the same data."""
    data = scale.merged([yaml.safe_load(Path(p).read_text(encoding="utf-8")) for p in PACKS])
    out = scale.scaled(data, 2)  # the packs and a copy: every kind of text a copy makes (the pure dumper is slow)

    class PurePython(yaml.SafeDumper):
        def ignore_aliases(self, data: object) -> bool:
            return True

    written = yaml.dump(out, Dumper=scale._NoAliasDumper, allow_unicode=True, sort_keys=False, width=200)
    assert written == yaml.dump(out, Dumper=PurePython, allow_unicode=True, sort_keys=False, width=200)
    assert yaml.safe_load(written) == out and "name_zh: 安徽省" in written  # Chinese as written, not escaped
    assert scale._NoAliasDumper.__mro__[1] is getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def test_a_scaled_knowledge_base_is_valid(tmp_path: Path) -> None:
    out = tmp_path / "kb3.yaml"
    assert scale.main(["--factor", "3", "-o", str(out), *(a for p in PACKS for a in ("--source", p))]) == 0
    r = cli("--no-shipped", "validate", str(out))
    assert r.exit_code == 0 and r.stderr.startswith(f"{out}: valid (218 entries: 6 sources, 2 designations"), r.stderr
