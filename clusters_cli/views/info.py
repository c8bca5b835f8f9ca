"""`info`: the knowledge base in use: its packs, counts and sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import __version__
from . import SCHEMA_VERSION
from .common import ref

if TYPE_CHECKING:
    from ..store.kb import KB, Entity
    from .types import InfoView, PackInfo


def main_meta(kb: KB) -> Entity:
    """The meta of the pack that names a primary source (the article's), else of the first pack."""
    packs = [p for p in kb.packs if p.get("primary_source")] or kb.packs
    return {k: v for k, v in packs[0].items() if k not in ("file", "counts")}


def info_view(kb: KB) -> InfoView:
    meta = main_meta(kb)
    packs: list[PackInfo] = [
        {
            "file": p["file"],
            "title": p.get("title"),
            "version": p.get("version"),
            "source": p.get("source"),
            "licence": p.get("licence"),
            "datum": p.get("datum"),
            "counts": p["counts"],
        }
        for p in kb.packs
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "info",
        "tool_version": __version__,
        "kb_version": str(meta.get("version", "")),
        "title": str(meta.get("title", "")),
        "description": meta.get("description"),
        "data_file": kb.path,
        "packs": packs,
        "exchange_rate": {"rmb_per_usd": meta.get("rmb_per_usd", 0.0), "tolerance": meta.get("fx_tolerance", 0.0)},
        "counts": kb.counts(),
        "primary_source": ref(kb, "source", meta.get("primary_source")),
        "sources": [
            {
                "id": s["id"],
                "name": s["name"],
                "publisher": s.get("publisher"),
                "kind": s["kind"],
                "published": s.get("published"),
                "cited_in": s.get("cited_in"),
                "statistics": len(kb.referring_ids("statistic", "source", s["id"])),
            }
            for s in kb.all("source")
        ],
    }
