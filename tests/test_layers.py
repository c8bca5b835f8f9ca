"""Layers point one way: each package imports only the layers beneath it (ARCHITECTURE.md), read from the
source's import statements, lazy imports inside functions included. Imports under `if TYPE_CHECKING:`
(type names only: the typed views are the contract every layer may name) are not dependencies."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "clusters_cli"

# what each layer may not import (the layers above it)
FORBIDDEN = {
    "store": {"views", "render", "cli", "resolve"},
    "kinds": {"views", "render", "cli", "resolve"},
    "views": {"render", "cli"},
    "render": {"cli", "store"},
    "model.py": {"views", "render", "cli", "store", "resolve", "kinds"},
    "values.py": {"views", "render", "cli", "resolve"},
    "textfold.py": {"views", "render", "cli", "store", "resolve"},
    "i18n.py": {"views", "render", "cli", "resolve", "kinds"},  # the cache folder only, from store
    "pofile.py": {"views", "render", "cli", "store", "resolve", "kinds"},
    "contract.py": {"views", "render", "cli", "store", "resolve"},
    "shapes.py": {"views", "render", "cli", "store", "resolve", "kinds"},
    "spool.py": {"views", "render", "cli", "store", "resolve", "kinds"},
    "dissolve.py": {"views", "render", "cli", "store", "resolve", "kinds"},
}
# the one upward edge kept on purpose: a designation's list row asks views/info how much of its list is held
ALLOWED = {("things.py", "views")}


def imported_layers(path: Path) -> set[str]:
    """The top-level parts of clusters_cli that a module imports ('views', 'store', 'cli'...)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):  # drop the type-only imports
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            node.body = []
    depth = len(path.relative_to(PACKAGE).parts) - 1  # 0 for clusters_cli/x.py, 1 for clusters_cli/store/x.py
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            parts = (node.module or "").split(".")
            if node.level - 1 == depth:  # relative to the package root
                found.add(parts[0] if parts[0] else "")
                if not parts[0]:
                    found |= {alias.name for alias in node.names}
            elif node.level == 1 and depth == 1:  # within its own package
                continue
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("clusters_cli."):
            found.add(node.module.split(".")[1])  # type: ignore[union-attr]
    return {f.removesuffix(".py") for f in found if f}


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer: str) -> None:
    files = [PACKAGE / layer] if layer.endswith(".py") else sorted((PACKAGE / layer).glob("*.py"))
    wrong = {
        (str(f.relative_to(PACKAGE)), name)
        for f in files
        for name in imported_layers(f)
        if name in FORBIDDEN[layer] and (f.name, name) not in ALLOWED
    }
    assert wrong == set()


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    assert imported_layers(PACKAGE / "kinds" / "things.py") >= {"store", "values", "views"}
    assert "views" not in imported_layers(PACKAGE / "store" / "sqlite_export.py")
