"""The shipped packs, read directly from data/ (for the audits only)."""

from __future__ import annotations

import copy
import functools
import gc
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "data"
SHIPPED = DATA / "clusters.yaml"
DIVISIONS = DATA / "divisions.yaml"
SOURCE_PACKS = [DATA / "national_designations.yaml", DATA / "specialised_towns.yaml"]


@functools.cache
def load(path: Path) -> dict[str, Any]:
    """A shipped pack as parsed, read once: callers must not change it.

    Parsed with the cyclic collector paused, as the tool's own build does, and then every object alive frozen
    (never scanned again): a parse only makes objects that live on, and without this the collector's full
    passes over the growing heap, during these parses and over them in every later test, took 1.9 s of one
    worker's run. Garbage earlier tests left is collected first, so that it is not frozen with them."""
    from clusters_cli.collector import collector_paused

    gc.collect()
    with collector_paused(freeze=True):
        loaded: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return loaded


def article_clusters() -> set[str]:
    """The ids of the clusters of the article's pack (data/clusters.yaml), read from the file."""
    return {c["id"] for c in load(SHIPPED)["clusters"]}


@functools.cache
def merged() -> dict[str, Any]:
    """The shipped packs merged as the tool merges them (sections joined in pack order, same_as folded).
    Read once; callers must not change it."""
    from clusters_cli.model import KINDS
    from clusters_cli.paths import shipped_packs
    from clusters_cli.store.rules import fold_same_as

    packs = [load(Path(p)) for p in shipped_packs()]
    out: dict[str, Any] = {"meta": packs[1]["meta"]}
    for kind in KINDS.values():
        # deep copies: folding extends a joined entry's lists (also_in, aliases, bases...), and load's packs are
        # shared by every audit of the worker
        out[kind.section] = [copy.deepcopy(e) for p in packs for e in p.get(kind.section) or []]
    fold_same_as(out)
    return out
