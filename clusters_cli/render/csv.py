"""CSV output for line tools and spreadsheets: one header, one row per entity."""

from __future__ import annotations

import sys
from typing import Any

from ..flatten import write_csv


def render_csv(rows: list[dict[str, Any]]) -> None:
    write_csv(rows, sys.stdout)
