#!/usr/bin/env python3
"""Write data/packs.sha256 and data/packs.parsed.json once the shipped packs validate.

    python scripts/stamp_packs.py          # after changing a shipped pack
    python scripts/stamp_packs.py --check  # exit 1 if either file is stale (the tests run this)

packs.sha256: the digest of each shipped pack. A first run skips the schema check of a shipped pack whose
content matches its digest (the references and consistency checks still run); an edited pack is checked
in full. packs.parsed.json: each such pack as parsed (data and the line of each entry), keyed by the same
digest, so that a first run reads JSON instead of parsing YAML; a pack whose digest differs is parsed.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clusters_cli.paths import SHIPPED_PACKS  # noqa: E402

OUTPUT = ROOT / "data" / "packs.sha256"
PARSED = ROOT / "data" / "packs.parsed.json"


def stamp() -> str:
    lines = ["# sha256 of each shipped pack, written by scripts/stamp_packs.py after it validated"]
    for name in SHIPPED_PACKS:
        digest = hashlib.sha256((ROOT / "data" / name).read_bytes()).hexdigest()
        lines.append(f"{digest}  {name}")
    return "\n".join(lines) + "\n"


def parsed() -> str:
    """The shipped packs as parsed, keyed by digest; refuses a pack that needs cleaning (control characters)."""
    from clusters_cli.sanitize import clean_tree
    from clusters_cli.store.yamlfile import load_yaml

    packs = {}
    for name in SHIPPED_PACKS:
        path = ROOT / "data" / name
        data, locs = load_yaml(str(path))
        if clean_tree(data) != data:
            raise SystemExit(f"{name} holds control characters or other text the tool would strip")
        packs[name] = {
            "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            "data": data,
            "locs": [[list(k), list(v)] for k, v in locs.items()],
        }
    return json.dumps({"format": 1, "packs": packs}, ensure_ascii=False, separators=(",", ":")) + "\n"


def main() -> int:
    text = stamp()
    if "--check" in sys.argv:
        same = OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == text
        same = same and PARSED.exists() and PARSED.read_text(encoding="utf-8") == parsed()
        print("up to date" if same else "data/packs.* are stale: run scripts/stamp_packs.py", file=sys.stderr)
        return 0 if same else 1
    from clusters_cli.store.cache import load_kb

    load_kb(
        [str(ROOT / "data" / n) for n in SHIPPED_PACKS], use_cache=False, shipped=False, full_check=True
    )  # raises if invalid
    OUTPUT.write_text(text, encoding="utf-8")
    PARSED.write_text(parsed(), encoding="utf-8")
    print(f"wrote {OUTPUT} and {PARSED}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
