#!/usr/bin/env python3
"""Write data/packs.sha256: the digest of each shipped pack, once it validates.

    python scripts/stamp_packs.py          # after changing a shipped pack
    python scripts/stamp_packs.py --check  # exit 1 if a digest is stale (the tests run this)

A first run skips the schema check of a shipped pack whose content matches its digest (the references and
consistency checks still run); an edited pack is checked in full.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from clusters_cli.paths import SHIPPED_PACKS  # noqa: E402

OUTPUT = ROOT / "data" / "packs.sha256"


def stamp() -> str:
    lines = ["# sha256 of each shipped pack, written by scripts/stamp_packs.py after it validated"]
    for name in SHIPPED_PACKS:
        digest = hashlib.sha256((ROOT / "data" / name).read_bytes()).hexdigest()
        lines.append(f"{digest}  {name}")
    return "\n".join(lines) + "\n"


def main() -> int:
    text = stamp()
    if "--check" in sys.argv:
        same = OUTPUT.exists() and OUTPUT.read_text(encoding="utf-8") == text
        print("up to date" if same else "data/packs.sha256 is stale: run scripts/stamp_packs.py", file=sys.stderr)
        return 0 if same else 1
    from clusters_cli.store.cache import load_kb

    load_kb(
        [str(ROOT / "data" / n) for n in SHIPPED_PACKS], use_cache=False, shipped=False, full_check=True
    )  # raises if invalid
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
