"""`info`: the knowledge base in use: its packs, counts and sources."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .. import __version__
from ..i18n import N_
from ..store.relations import Rel, ref_relation
from ..values import ref
from . import SCHEMA_VERSION

if TYPE_CHECKING:
    from ..store.kb import KB, Entity
    from .types import BatchInfo, DesignationInfo, InfoView, PackInfo, SourceInfo, SourceSummary


def main_pack(kb: KB) -> Entity:
    """The pack that names a primary source (the article's), else the first."""
    return ([p for p in kb.packs if p.get("primary_source")] or kb.packs)[0]


def main_meta(kb: KB) -> Entity:
    """The meta of the main pack."""
    return {k: v for k, v in main_pack(kb).items() if k not in ("file", "counts")}


def info_view(kb: KB) -> InfoView:
    meta = main_meta(kb)
    cited = kb.related_counts(Rel.SOURCE_CITED_BY)  # the entries citing each source (rules.cited_sources)
    # the figures naming each source as theirs, in one query (asked a source at a time: 100,000 queries for a
    # pack of 100,000 sources, 1.2-1.5 s of every run)
    figures = kb.related_counts(ref_relation("statistic", "source"))
    source_pack = kb.packs_of("source")
    sources: list[SourceInfo] = [
        {
            "id": s["id"],
            "name": s["name"],
            "publisher": s.get("publisher"),
            "kind": s["kind"],
            "published": s.get("published"),
            "cited_in": s.get("cited_in"),
            "statistics": figures.get(s["id"], 0),
            "address": s.get("address"),
            "entries": cited.get(s["id"], 0),
            "pack": str(kb.packs[source_pack[s["id"]]]["file"]) if s["id"] in source_pack else None,
        }
        for s in kb.all("source")
    ]
    packs: list[PackInfo] = [
        {
            "file": p["file"],
            "title": p.get("title"),
            "title_zh": p.get("title_zh"),
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
        "title_zh": meta.get("title_zh"),
        "description": meta.get("description"),
        "data_file": str(main_pack(kb).get("file", kb.path)),
        "packs": packs,
        # as validation reads them (store/validate.py): no rate given is none (it read 0.0), the tolerance 2%
        "exchange_rate": {"rmb_per_usd": meta.get("rmb_per_usd"), "tolerance": meta.get("fx_tolerance", 0.02)},
        "counts": kb.counts(),
        "primary_source": ref(kb, "source", meta.get("primary_source")),
        "sources": sources,
        "source_summary": source_summary(kb, sources),
        "designations": [designation_info(kb, d) for d in kb.all("designation")],
    }


def source_summary(kb: KB, sources: list[SourceInfo]) -> list[SourceSummary]:
    """Per pack: how many sources, of which kinds, and how many entries cite them."""
    out: list[SourceSummary] = []
    for p in kb.packs:
        mine = [s for s in sources if s["pack"] == p["file"]]
        if mine:
            kinds = Counter(s["kind"] for s in mine)
            out.append(
                {
                    "pack": str(p["file"]),
                    "title": str(p.get("title") or p["file"]),
                    "title_zh": p.get("title_zh"),
                    "sources": len(mine),
                    "kinds": dict(kinds.most_common()),
                    "entries": sum(s["entries"] for s in mine),
                }
            )
    return out


def held_words(held: int, members: int | None, batches: Sequence[Mapping[str, Any]]) -> tuple[str, dict[str, int]]:
    """How much of a list is held, as a template and its values (the view's English `text`; render.parts'
    held_text words it in the run's language): of how many, or that the sources size each batch alone, or none."""
    if members is not None:
        return N_("{held} of {members} named"), {"held": held, "members": members}
    if batches and all(b["members"] is not None for b in batches):
        return N_("{held} named; the sources state each batch's size, not the list's"), {"held": held}
    return N_("{held} named; the sources state no total"), {"held": held}


def designation_info(kb: KB, d: Entity) -> DesignationInfo:
    """How much of a national list the knowledge base holds, so a partial list never passes for whole."""
    # a list's members: the clusters it names, or for a list of zones, the parks
    members = kb.referring("cluster", "designations", d["id"]) + kb.referring("park", "designations", d["id"])
    per_batch = [des["batch"] for cl in members for des in cl["designations"] if des["list"] == d["id"]]
    batches: list[BatchInfo] = [
        {"batch": b["batch"], "year": b["year"], "members": b["members"], "held": per_batch.count(b["batch"])}
        for b in d["batches"]
    ]
    total = d["members"]
    template, values = held_words(len(members), total, batches)
    text = template.format(**values)
    return {
        "id": d["id"],
        "name": d["name"],
        "name_zh": d["name_zh"],
        "issuer": d["issuer"],
        "issuer_zh": d.get("issuer_zh"),
        "members": total,
        "held": len(members),
        "complete": total is not None and len(members) >= total,
        "text": text,
        "batches": batches,
    }
