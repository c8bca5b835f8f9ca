"""CSV output for line tools and spreadsheets: one header, one row per entity."""

from __future__ import annotations

import sys
from typing import Any

from ..flatten import write_csv


def render_csv(rows: list[dict[str, Any]], delimiter: str = ",") -> None:
    """CSV (or TSV): references as x_id and x_name columns."""
    write_csv(rows, sys.stdout, delimiter)
