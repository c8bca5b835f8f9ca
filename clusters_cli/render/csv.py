"""CSV output for line tools and spreadsheets: one header, one row per entity."""

from __future__ import annotations

import sys
from typing import Any

from ..flatten import split_refs, write_csv


def render_csv(rows: list[dict[str, Any]], delimiter: str = ",") -> None:
    """CSV (or TSV): references as x_id and x_name columns."""
    write_csv(split_refs(rows), sys.stdout, delimiter)
