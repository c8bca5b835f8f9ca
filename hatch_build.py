"""Wheel build hook: compile the shipped packs' checked parse, the schema's fastjsonschema checks, and the
Chinese catalog (messages.po to messages.mo), into the wheel (build products, never in git).

A first run after `pip install` then reads each shipped pack's parse from
clusters_cli/data/packs.parsed.json instead of parsing its YAML and checking it against the schema: the
entry is used only when its key (the pack's bytes, the schema's bytes, the tool's version) is the
installed pack's, so an edited pack or schema is parsed and checked as any other (store/packs.py). The
schema's checks (store/schema.py: compile_checks) hold good for the schema's text, fastjsonschema's version,
the tool's and Python's: a pack of one's own is checked without compiling them. Editable installs and source
checkouts have neither file and make both on their first run.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileShippedPacks(BuildHookInterface):  # type: ignore[misc]
    """Writes the two build products into one temporary folder, removed once the wheel holds them (a build
    left 4 MiB in the system's temporary folder each time before)."""

    PLUGIN_NAME = "custom"
    products: Path | None = None

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        sys.path.insert(0, self.root)
        try:
            from clusters_cli.i18n import DOMAIN, PO
            from clusters_cli.paths import schema_path, shipped_packs
            from clusters_cli.pofile import read_po, write_mo
            from clusters_cli.store.packs import compile_shipped
            from clusters_cli.store.schema import compile_checks
        finally:
            sys.path.pop(0)
        self.products = Path(tempfile.mkdtemp(prefix="clusters-build-"))
        try:
            out = self.products / "packs.parsed.json"
            out.write_text(compile_shipped(shipped_packs()), encoding="utf-8")
            build_data["force_include"][str(out)] = "clusters_cli/data/packs.parsed.json"
            # fastjsonschema's checks of the schema, compiled: a first run with a pack of one's own checks it
            checks = self.products / "schema.checks"
            checks.write_bytes(compile_checks(schema_path().read_text(encoding="utf-8")))
            build_data["force_include"][str(checks)] = "clusters_cli/data/schema.checks"
            # the Chinese catalog, compiled from its .po (the source translators edit) into what gettext reads
            mo = self.products / f"{DOMAIN}.mo"
            write_mo(read_po(PO), mo)
            build_data["force_include"][str(mo)] = f"clusters_cli/locale/zh_CN/LC_MESSAGES/{DOMAIN}.mo"
        except BaseException:  # a failed build runs no finalize: leave nothing behind here either
            self.finalize(version, build_data, "")
            raise

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self.products is not None:
            shutil.rmtree(self.products, ignore_errors=True)
            self.products = None
