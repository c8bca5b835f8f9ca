#!/usr/bin/env python3
"""Bring the Chinese catalog up to date with the strings people read (README, "Translating").

    python scripts/update_catalog.py          # add new strings to messages.po (untranslated), drop stale ones
    python scripts/update_catalog.py --check  # exit 1 if the catalog lacks a string or a translation

The strings are those the code marks `_("...")` or `N_("...")` (extracted with Babel, as `pybabel extract
-F babel.cfg -k N_` would), every command's help (the registry's docstrings), and the words of Click's that
our help and errors show ("Usage:", "Options"...). Translations already in the catalog are kept; the
catalog is written sorted, so a diff shows what changed. Translators can equally use Babel's or gettext's
own tools on clusters_cli/locale/zh_CN/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from clusters_cli.i18n import PO  # noqa: E402

# Click's words that `clusters --help` and its usage errors print (Click looks them up with gettext)
CLICK = [
    "Usage:",
    "Options",
    "Commands",
    "Arguments",
    "Show this message and exit.",
    "default: {default}",
    "required",
    "env var: {var}",
    "(dynamic)",
    "Error",
]


def wanted() -> list[tuple[str, str | None]]:
    """Every (msgid, context) the catalog should hold, sorted; the context is None but for `C_`."""
    found: set[tuple[str, str | None]] = set()
    for _, _, message, _, context in extract_from_dir(
        str(ROOT / "clusters_cli"),
        method_map=[("**.py", "python")],
        keywords={"_": None, "N_": None, "C_": ((1, "c"), 2)},
    ):
        if isinstance(message, str) and message:
            found.add((message, context))
    from clusters_cli.cli.registry import help_texts

    found |= {(t, None) for t in help_texts()}
    found |= {(t, None) for t in CLICK}
    return sorted(found, key=lambda item: (item[0], item[1] or ""))


def _marks(text: str) -> set[str]:
    """What a translation must keep of its original: Click's no-rewrap mark and each {placeholder}."""
    import re

    return {"\b"} & set(text) | set(re.findall(r"\{[a-z_0-9]*\}", text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    old = read_po(PO.open("rb")) if PO.exists() else Catalog(locale="zh_CN")
    have = {(m.id, m.context): m.string for m in old if m.id}
    ids = wanted()
    missing = [i for i in ids if not have.get(i)]
    # a translation that loses a mark of its original: Click's \b, which keeps a help's examples as written (a
    # translation without it ran them together into one paragraph), or a {placeholder}
    unlike = [i for i in ids if have.get(i) and _marks(i[0]) != _marks(str(have[i]))]
    if args.check:
        for i, context in missing:
            print(f"untranslated: {i[:100]!r}" + (f" (context {context})" if context else ""))
        for key in unlike:
            print(f"marks differ: {key[0][:100]!r}: the translation has {sorted(_marks(str(have[key])))}")
        return 1 if missing or unlike else 0
    new = Catalog(locale="zh_CN", project="clusters", domain="messages")
    for i, context in ids:
        new.add(i, have.get((i, context)) or "", context=context)
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as f:
        write_po(f, new, width=120, no_location=True, omit_header=False, sort_output=True)
    print(f"{PO.relative_to(ROOT)}: {len(ids)} strings, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
