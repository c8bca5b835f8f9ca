"""Views for `list`, `search` and `info`: many entities at once."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from . import __version__
from .kb import KINDS
from .resolve import compact, resolve, words
from .text import clean_one_line
from .views import _envelope, format_value, region_clusters, scope_label

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
        return kb.city_province[e["city"]]
    if kind == "statistic":
        if e.get("province"):
            return str(e["province"])
        return kb.city_province.get(e.get("city") or "")
    return None


def list_row(kb: KB, kind: str, e: Entity) -> dict[str, Any]:
    """One row: always id and name; name_zh and province where the entity has them."""
    row: dict[str, Any] = {"id": e["id"], "name": e.get("name", e.get("metric"))}
    if kind not in ("cluster", "statistic", "source"):  # the kinds that have Chinese names
        row["name_zh"] = e.get("name_zh")
    province = _province_of(kb, kind, e)
    if kind in ("province", "city", "park", "statistic"):
        row["province"] = province
    if kind == "province":
        row.update(
            abbr=e["abbr"],
            kind=e["kind"],
            capital=e["capital"],
            macro_region=e["macro_region"],
            cluster_count=len(kb.clusters_by_province.get(e["id"], [])),
        )
    elif kind == "region":
        row.update(
            kind=e["kind"],
            aliases=list(e.get("aliases", [])),
            provinces=list(e["provinces"]),
            cluster_count=len(region_clusters(kb, e)),
        )
    elif kind == "city":
        row.update(lat=e["lat"], lon=e["lon"], cluster_count=len(kb.clusters_by_city.get(e["id"], [])))
    elif kind == "park":
        row.update(kind=e["kind"], city=e["city"], sectors=list(e["sectors"]))
    elif kind == "sector":
        row.update(
            parent=e.get("parent"),
            synonyms=list(e["synonyms"]),
            cluster_count=sum(len(kb.clusters_by_sector.get(s, [])) for s in kb.sector_descendants(e["id"])),
        )
    elif kind == "company":
        row.update(sector=e["sector"], clusters=[c["id"] for c in kb.clusters_by_company.get(e["id"], [])])
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


def _clusters_of(kb: KB, kind: str, e: Entity) -> list[Entity]:
    """The clusters an entity stands in, for filtering by place or sector."""
    if kind == "cluster":
        return [e]
    if kind == "province":
        return kb.clusters_by_province.get(e["id"], [])
    if kind == "city":
        return kb.clusters_by_city.get(e["id"], [])
    if kind == "park":
        return kb.clusters_by_park.get(e["id"], [])
    if kind == "company":
        return kb.clusters_by_company.get(e["id"], [])
    if kind == "sector":
        return kb.clusters_by_sector.get(e["id"], [])
    if kind == "region":
        return region_clusters(kb, e)
    if kind == "statistic" and e.get("cluster"):
        return [kb.by_id["cluster"][e["cluster"]]]
    return []


def _places(kb: KB, kind: str, e: Entity) -> tuple[set[str], set[str]]:
    """(provinces, regions) an entity lies in or is attributed to."""
    if kind == "region":
        return set(e["provinces"]), {e["id"]}
    own = _province_of(kb, kind, e)
    if own is not None:
        provinces = {own}
        regions = {r["id"] for r in kb.regions_by_province.get(own, [])}
        return provinces, regions | ({e["region"]} if e.get("region") else set())
    provinces, regions = set(), set()
    for cl in _clusters_of(kb, kind, e):
        provinces |= kb.cluster_provinces(cl)
        if cl.get("region"):
            regions.add(cl["region"])
    if kind == "statistic" and e.get("region"):
        regions.add(e["region"])
    return provinces, regions


def _sectors(kb: KB, kind: str, e: Entity) -> set[str]:
    if kind == "sector":
        return {e["id"]}
    if kind == "park":
        return set(e["sectors"])
    if kind in ("cluster", "company", "statistic") and e.get("sector"):
        return {e["sector"]}
    return {cl["sector"] for cl in _clusters_of(kb, kind, e)}


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
    prov_id = sector_ids = None
    region_entity = None
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
    return _envelope("list", entity=section, filters=filters, count=len(rows), rows=rows)


# --- search

_FIELD_WEIGHTS = dict(name=100, specialty=75, sector=70, metric=65, place=60, summary=55)


def _stem(word: str) -> str:
    """Crude English plural folding, so 'battery' finds 'batteries'."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _fold(text: str) -> str:
    return " ".join(_stem(w) for w in words(text))


def _search_fields(kb: KB, kind: str, e: Entity) -> list[tuple[str, str, str]]:
    """(field, label shown in 'why', text) for every searchable text of an entity."""
    out: list[tuple[str, str, str]] = [("name", "name", str(e.get("name", e.get("metric", ""))))]
    for key, label in (("official_name", "official name"), ("name_zh", "Chinese name"), ("pinyin", "pinyin")):
        if e.get(key):
            out.append(("name", label, e[key]))
    out += [("name", "alias", a) for a in e.get("aliases", [])]
    out += [("name", "synonym", s) for s in e.get("synonyms", [])]
    out += [("specialty", "specialty", s) for s in e.get("specialties", [])]
    if kind in ("cluster", "company", "statistic") and e.get("sector"):
        s = kb.by_id["sector"][e["sector"]]
        out += [("sector", "sector", t) for t in [s["name"], *s["synonyms"]]]
    if kind == "park":
        for sid in e["sectors"]:
            s = kb.by_id["sector"][sid]
            out += [("sector", "sector", t) for t in [s["name"], *s["synonyms"]]]
    if kind == "statistic":
        out.append(("metric", "metric", e["metric"]))
    if kind == "cluster":
        places = [kb.by_id["city"][c]["name"] for c in e.get("cities", [])]
        places += [kb.by_id["province"][p]["name"] for p in sorted(kb.cluster_provinces(e))]
        if e.get("region"):
            region = kb.by_id["region"][e["region"]]
            places += [region["name"], *region.get("aliases", [])]
        out += [("place", "place", p) for p in places]
    if kind == "park":
        out.append(("place", "place", kb.by_id["city"][e["city"]]["name"]))
    if e.get("summary"):
        out.append(("summary", "summary", e["summary"]))
    return out


def _score_text(query_words: list[str], phrase: str, text: str) -> float:
    """1.0 for the phrase, 0.8 for all words present, 0 otherwise."""
    folded = _fold(text)
    if not folded:
        return 0.0
    if re.search(r"(?:^| )" + re.escape(phrase) + r"(?:$| )", folded) or (not phrase.isascii() and phrase in folded):
        return 1.0
    text_words = folded.split()
    if all(any(w.startswith(q) for w in text_words) for q in query_words):
        return 0.8
    if not phrase.isascii() and compact(phrase) in compact(text):
        return 0.9
    return 0.0


def search_view(kb: KB, text: str, kinds: list[str] | None = None, limit: int = 30) -> View:
    query_words = [_stem(w) for w in words(text)[:20]]
    phrase = " ".join(query_words)
    hits: list[dict[str, Any]] = []
    for kind in KINDS:
        if kinds and kind not in kinds:
            continue
        for e in kb.all(kind):
            best = 0.0
            why = ""
            for field, label, value in _search_fields(kb, kind, e):
                weight = _FIELD_WEIGHTS[field]
                score = weight * _score_text(query_words, phrase, value) if phrase else 0.0
                if score > best:
                    best = score
                    why = (
                        label if field == "name" and value == e.get("name") else f"{label}: {clean_one_line(value, 70)}"
                    )
            if best > 0:
                hits.append(
                    {
                        "kind": kind,
                        "id": e["id"],
                        "name": e.get("name", e.get("metric")),
                        "name_zh": e.get("name_zh"),
                        "province": _province_of(kb, kind, e),
                        "score": round(best, 1),
                        "why": why,
                    }
                )
    if not hits and phrase:
        hits = _fuzzy_hits(kb, text, kinds)
    order = list(KINDS)
    hits.sort(key=lambda h: (-h["score"], order.index(h["kind"]), h["name"]))
    return _envelope(
        "search", query=clean_one_line(text, 200), count=len(hits[:limit]), total=len(hits), hits=hits[:limit]
    )


def _fuzzy_hits(kb: KB, text: str, kinds: list[str] | None) -> list[dict[str, Any]]:
    """Typo-tolerant fallback: names whose compact form is close to the query."""
    from rapidfuzz import fuzz

    key = compact(text)
    if len(key) < 4:
        return []
    hits = []
    for kind in KINDS:
        if kinds and kind not in kinds:
            continue
        for e in kb.all(kind):
            names = [e.get("name", e.get("metric", "")), *e.get("aliases", []), *e.get("synonyms", [])]
            score = max(fuzz.ratio(key, compact(n)) for n in names)
            if score >= 75:
                hits.append(
                    {
                        "kind": kind,
                        "id": e["id"],
                        "name": e.get("name", e.get("metric")),
                        "name_zh": e.get("name_zh"),
                        "province": _province_of(kb, kind, e),
                        "score": round(score * 0.5, 1),
                        "why": f"close spelling of {names[0]}",
                    }
                )
    return hits


def info_view(kb: KB, cache_used: str | None = None) -> View:
    meta = kb.meta
    return _envelope(
        "info",
        tool_version=__version__,
        kb_version=meta["version"],
        title=meta["title"],
        description=meta.get("description"),
        data_file=kb.path,
        exchange_rate={"rmb_per_usd": meta["rmb_per_usd"], "tolerance": meta["fx_tolerance"]},
        counts={section: len(kb.data[section]) for section in KINDS.values()},
        primary_source=kb.ref("source", meta["primary_source"]),
        sources=[
            {
                "id": s["id"],
                "name": s["name"],
                "publisher": s.get("publisher"),
                "kind": s["kind"],
                "published": s.get("published"),
                "cited_in": s.get("cited_in"),
                "statistics": sum(1 for st in kb.all("statistic") if st["source"] == s["id"]),
            }
            for s in kb.all("source")
        ],
    )
