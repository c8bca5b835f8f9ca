"""Views for `list`, `search` and `info`: many entities at once."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import UsageProblem
from .kinds import KINDS
from .resolve import compact, resolve, words
from .search_index import stem
from .text import clean_one_line
from .views import envelope, format_value, scope_label

if TYPE_CHECKING:
    from .kb import KB, Entity
    from .views import View

LIST_KINDS = tuple(KINDS.values())  # provinces, regions, cities ...


def _province_of(kb: KB, kind: str, e: Entity) -> str | None:
    if kind == "province":
        return str(e["id"])
    if kind == "city":
        return str(e["province"])
    if kind == "park":
        return kb.city_province(e["city"])
    if kind == "statistic":
        return str(e["province"]) if e.get("province") else kb.city_province(e.get("city"))
    return None


def _count(kb: KB, relation: str, key: str) -> int:
    return len(kb.related_ids(relation, key))


def list_row(kb: KB, kind: str, e: Entity) -> dict[str, Any]:
    """One row: always id and name; name_zh and province where the entity has them."""
    row: dict[str, Any] = {"id": e["id"], "name": e.get("name", e.get("metric"))}
    if kind not in ("cluster", "statistic", "source"):  # the kinds that have Chinese names
        row["name_zh"] = e.get("name_zh")
    if kind in ("province", "city", "park", "statistic"):
        row["province"] = _province_of(kb, kind, e)
    if kind == "province":
        row.update(
            abbr=e["abbr"],
            kind=e["kind"],
            capital=e["capital"],
            macro_region=e["macro_region"],
            cluster_count=_count(kb, "cluster_by_province", e["id"]),
        )
    elif kind == "region":
        row.update(
            kind=e["kind"],
            aliases=list(e.get("aliases", [])),
            provinces=list(e["provinces"]),
            cluster_count=_count(kb, "cluster_in_region", e["id"]),
        )
    elif kind == "city":
        row.update(lat=e["lat"], lon=e["lon"], cluster_count=_count(kb, "cluster_by_city", e["id"]))
    elif kind == "park":
        row.update(kind=e["kind"], city=e["city"], sectors=list(e["sectors"]))
    elif kind == "sector":
        row.update(
            parent=e.get("parent"),
            synonyms=list(e["synonyms"]),
            cluster_count=sum(_count(kb, "cluster_by_sector", s) for s in kb.sector_descendants(e["id"])),
        )
    elif kind == "company":
        row.update(sector=e["sector"], clusters=kb.related_ids("cluster_by_company", e["id"]))
    elif kind == "cluster":
        row.update(
            sector=e["sector"],
            region=e.get("region"),
            provinces=sorted(kb.cluster_provinces(e)),
            cities=list(e.get("cities", [])),
            status=e["status"],
        )
    elif kind == "statistic":
        row.update(
            value=e["value"],
            unit=e["unit"],
            scale=e.get("scale"),
            currency=e.get("currency"),
            usd_value=e.get("usd_value"),
            display=format_value(e),
            year=e["year"],
            status=e["status"],
            scope=scope_label(kb, e),
            sector=e.get("sector"),
            source=e["source"],
        )
    elif kind == "source":
        row.update(kind=e["kind"], publisher=e.get("publisher"), cited_in=e.get("cited_in"))
    return row


def _places(kb: KB, kind: str, e: Entity) -> tuple[set[str], set[str]]:
    """(provinces, regions) an entity lies in or is attributed to."""
    if kind == "region":
        return set(e["provinces"]), {e["id"]}
    own = _province_of(kb, kind, e)
    if own is not None:
        regions = set(kb.related_ids("region_by_province", own))
        return {own}, regions | ({e["region"]} if e.get("region") else set())
    provinces: set[str] = set()
    regions = {e["region"]} if kind == "statistic" and e.get("region") else set()
    for cl in kb.clusters_of(kind, e):
        provinces |= kb.cluster_provinces(cl)
        if cl.get("region"):
            regions.add(cl["region"])
    return provinces, regions


def _sectors(kb: KB, kind: str, e: Entity) -> set[str]:
    if kind == "sector":
        return {e["id"]}
    if kind == "park":
        return set(e["sectors"])
    if kind in ("cluster", "company", "statistic") and e.get("sector"):
        return {e["sector"]}
    return {cl["sector"] for cl in kb.clusters_of(kind, e)}


def _matches_filters(
    kb: KB, kind: str, e: Entity, province: str | None, sectors: list[str] | None, region: Entity | None
) -> bool:
    if sectors is not None and not _sectors(kb, kind, e) & set(sectors):
        return False
    if province is None and region is None:
        return True
    provinces, regions = _places(kb, kind, e)
    if province is not None and province not in provinces:
        return False
    return region is None or region["id"] in regions or bool(provinces & set(region["provinces"]))


def list_view(
    kb: KB, section: str, province: str | None = None, sector: str | None = None, region: str | None = None
) -> View:
    kind = next(k for k, s in KINDS.items() if s == section)
    filters: dict[str, Any] = {}
    prov_id = sector_ids = region_entity = None
    if province is not None:
        prov_id = resolve(kb, "province", province).entity["id"]
        filters["province"] = prov_id
    if sector is not None:
        sid = resolve(kb, "sector", sector).entity["id"]
        sector_ids = kb.sector_descendants(sid)
        filters["sector"] = sid
    if region is not None:
        region_entity = resolve(kb, "region", region).entity
        filters["region"] = region_entity["id"]
    rows = [
        list_row(kb, kind, e) for e in kb.all(kind) if _matches_filters(kb, kind, e, prov_id, sector_ids, region_entity)
    ]
    return envelope("list", entity=section, filters=filters, count=len(rows), rows=rows)


# --- search

# among equal scores: what a reader most likely wants first
SEARCH_ORDER = ["sector", "cluster", "province", "region", "city", "park", "company", "statistic", "source"]

_FIELD_WEIGHTS = {"name": 100, "specialty": 75, "sector": 70, "metric": 65, "place": 60, "summary": 55}


def _score_text(query_words: list[str], phrase: str, folded: str, text: str) -> float:
    """1.0 for the whole phrase, 0.9 for CJK inside a longer text, 0.8 for every word, else 0."""
    if not folded:
        return 0.0
    if re.search(r"(?:^| )" + re.escape(phrase) + r"(?:$| )", folded) or (not phrase.isascii() and phrase in folded):
        return 1.0
    if not phrase.isascii() and compact(phrase) in compact(text):
        return 0.9
    text_words = folded.split()
    if all(any(w.startswith(q) for w in text_words) for q in query_words):
        return 0.8
    return 0.0


def _hit(kb: KB, kind: str, ident: str, score: float, why: str) -> dict[str, Any]:
    e = kb.get(kind, ident) or {}
    return {
        "kind": kind,
        "id": ident,
        "name": e.get("name", e.get("metric")),
        "name_zh": e.get("name_zh"),
        "province": _province_of(kb, kind, e),
        "score": round(score, 1),
        "why": why,
    }


def search_view(kb: KB, text: str, kinds: list[str] | None = None, limit: int = 30) -> View:
    query_words = [stem(w) for w in words(text)[:20]]
    phrase = " ".join(query_words)
    if not phrase:
        raise UsageProblem("search needs at least one word of letters or digits")
    # SQL narrows to entities whose texts contain the longest word; Python ranks them
    anchor = max(query_words, key=len)
    rows = kb.query(
        "SELECT kind, id, field, label, text, folded FROM search WHERE (kind, id) IN "
        "(SELECT kind, id FROM search WHERE instr(folded, ?) > 0)",
        (anchor,),
    )
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for kind, ident, field, label, value, folded in rows:
        if kinds and kind not in kinds:
            continue
        score = _FIELD_WEIGHTS[field] * _score_text(query_words, phrase, folded, value)
        if score > best.get((kind, ident), (0.0, ""))[0]:
            entity = kb.get(kind, ident) or {}
            entity_name = entity.get("name", entity.get("metric"))
            why = label if field == "name" and value == entity_name else f"{label}: {clean_one_line(value, 70)}"
            best[(kind, ident)] = (score, why)
    hits = [_hit(kb, kind, ident, score, why) for (kind, ident), (score, why) in best.items()]
    if not hits:
        hits = _fuzzy_hits(kb, text, kinds)
    hits.sort(key=lambda h: (-h["score"], SEARCH_ORDER.index(h["kind"]), h["name"]))
    return envelope(
        "search", query=clean_one_line(text, 200), count=len(hits[:limit]), total=len(hits), hits=hits[:limit]
    )


def _fuzzy_hits(kb: KB, text: str, kinds: list[str] | None) -> list[dict[str, Any]]:
    """Typo-tolerant fallback: names whose compact form is close to the query."""
    from rapidfuzz import fuzz, process

    key = compact(text)
    if len(key) < 4:
        return []
    rows = kb.query("SELECT kind, id, text FROM search WHERE label IN ('name', 'alias', 'synonym')")
    rows = [r for r in rows if not kinds or r[0] in kinds]
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for _, score, index in process.extract(
        key, [compact(r[2]) for r in rows], scorer=fuzz.ratio, score_cutoff=75, limit=50
    ):
        kind, ident, name = rows[index]
        if score > best.get((kind, ident), (0.0, ""))[0]:
            best[(kind, ident)] = (score, name)
    return [
        _hit(kb, kind, ident, score * 0.5, f"close spelling of {name}") for (kind, ident), (score, name) in best.items()
    ]


def info_view(kb: KB) -> View:
    meta = kb.meta
    return envelope(
        "info",
        tool_version=__version__,
        kb_version=meta["version"],
        title=meta["title"],
        description=meta.get("description"),
        data_file=kb.path,
        exchange_rate={"rmb_per_usd": meta["rmb_per_usd"], "tolerance": meta["fx_tolerance"]},
        counts=kb.counts(),
        primary_source=kb.ref("source", meta["primary_source"]),
        sources=[
            {
                "id": s["id"],
                "name": s["name"],
                "publisher": s.get("publisher"),
                "kind": s["kind"],
                "published": s.get("published"),
                "cited_in": s.get("cited_in"),
                "statistics": _count(kb, "statistic_by_source", s["id"]),
            }
            for s in kb.all("source")
        ],
    )
