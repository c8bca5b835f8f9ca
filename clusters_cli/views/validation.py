"""`validate`: every problem with the packs, read afresh (never from the cache)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InvalidKnowledgeBase, Problem
from ..paths import pack_paths
from . import SCHEMA_VERSION

if TYPE_CHECKING:
    from .analysis_types import ValidationProblem, ValidationView


def validation_view(data: list[str], shipped: bool | None) -> tuple[ValidationView, list[Problem], list[Problem]]:
    """The document `validate --json` prints, with the problems and the warnings it lists."""
    from ..store.packs import check_packs

    paths = pack_paths(data, shipped=shipped)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    counts: dict[str, int] = {}
    folded = 0
    try:
        counts, warnings, folded = check_packs(paths)
    except InvalidKnowledgeBase as error:
        problems = error.problems
    view: ValidationView = {
        "schema_version": SCHEMA_VERSION,
        "kind": "validation",
        "file": paths[-1] if paths else "",
        "files": paths,
        "valid": not problems,
        "counts": counts,
        "problems": [_problem(p) for p in problems],
        "warnings": [_problem(p) for p in warnings],
        "folded": folded,
    }
    return view, problems, warnings


def _problem(p: Problem) -> ValidationProblem:
    return {"file": p.path, "line": p.line, "column": p.column, "entry": p.entry, "message": p.message}
