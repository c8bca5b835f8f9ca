"""Writing the map as SVG or HTML files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageProblem
from ..paths import pack_paths, same_file
from .svg import render_html, render_svg

if TYPE_CHECKING:
    from ..cli.options import Settings
    from ..views.analysis_types import MapView


def write_map_files(view: MapView, settings: Settings, *, svg: str | None, html: str | None) -> list[str]:
    """Write the map as SVG and/or HTML; return what was written."""
    written = []
    packs = pack_paths(settings.data, shipped=settings.shipped)
    for target, render in ((svg, render_svg), (html, render_html)):
        if not target:
            continue
        if target == "-":  # standard output
            import sys

            sys.stdout.write(render(view))
            continue
        if any(same_file(target, pack) for pack in packs):
            raise UsageProblem(f"refusing to overwrite a knowledge-base pack ({target})")
        try:
            Path(target).write_text(render(view), encoding="utf-8")
        except OSError as e:
            raise UsageProblem(f"cannot write {target}: {e.strerror or e}") from None
        written.append(target)
    return written
