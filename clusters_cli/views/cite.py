"""`cite`: a citation of one figure, naming its original source and the document that reports it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..resolve import resolve
from ..values import format_value_zh
from . import SCHEMA_VERSION
from .common import format_value, provenance

if TYPE_CHECKING:
    from ..store.kb import KB, Entity
    from .types import CiteView

CITE_FORMATS = ("plain", "bibtex", "csl-json", "gbt7714")

# GB/T 7714-2015's document type codes: newspaper, report, electronic resource; /OL when read online
_GBT_TYPES = {"news": "N", "press": "N", "report": "R"}


def _publisher(source: Entity) -> str | None:
    """The source's publisher, where its entry names one."""
    publisher = source.get("publisher")
    return publisher if publisher and publisher != "not named in the article" else None


def _gbt7714(source: Entity) -> str:
    """One entry in the Chinese national standard's style (GB/T 7714-2015): responsible party. title[type].
    date. address. Only what the knowledge base holds (no access date is recorded, so none is given)."""
    code = _GBT_TYPES.get(source.get("kind", ""), "EB")
    online = bool(source.get("address"))
    parts = []
    if publisher := _publisher(source):
        parts.append(f"{publisher}. ")
    parts.append(f"{source.get('name', '')}[{code}{'/OL' if online else ''}]. ")
    if source.get("published"):
        parts.append(f"({source['published']}). ")
    if online:
        parts.append(f"{source['address']}.")
    return "".join(parts).strip()


def _csl(source: Entity, item_id: str) -> dict[str, Any]:
    """A CSL-JSON item for a source; only the fields the knowledge base holds (nothing guessed)."""
    kind = {"article": "webpage", "press": "article-newspaper", "news": "article-newspaper", "government": "webpage"}
    item: dict[str, Any] = {
        "id": item_id,
        "type": kind.get(source["kind"], "report" if source["kind"] == "report" else "document"),
        "title": source["name"],
    }
    if publisher := _publisher(source):
        item["publisher"] = publisher
    if source.get("published"):
        item["issued"] = {"date-parts": [[int(p) for p in str(source["published"]).split("-")]]}
    if source.get("address"):
        item["URL"] = source["address"]
    return item


def _bibtex(item: dict[str, Any], note: str) -> str:
    def esc(text: str) -> str:
        return text.replace("\\", "\\textbackslash{}").replace("{", "\\{").replace("}", "\\}").replace("%", "\\%")

    fields = [("title", item["title"])]
    if "publisher" in item:
        fields.append(("publisher", item["publisher"]))
    if "issued" in item:
        fields.append(("year", str(item["issued"]["date-parts"][0][0])))
    if "URL" in item:
        fields.append(("url", item["URL"]))
    if note:
        fields.append(("note", note))
    body = ",\n".join(f"  {name} = {{{esc(value)}}}" for name, value in fields)
    return f"@misc{{{item['id']},\n{body}\n}}"


# the plain citation's sentences: (bare, reported in another document, with a place in the source); `by` is
# the publisher and a comma, or nothing where the source names none
_EN = (
    "{who}. {figure}.",
    '{name}, {figure}. Reported in: {by}"{title}"{place}.',
    '{by}"{name}", {place}: {figure}.',
    ", ",
)
_ZH = (
    "{who}：{figure}。",
    "{name}，{figure}。转引自：{by}“{title}”{place}。",
    "{by}“{name}”，{place}：{figure}。",
    "，",
)


def _sentence(source: Entity, reporter: Entity | None, figure: str, place: str, words: tuple[str, ...]) -> str:
    """The plain citation in one language's sentence patterns (_EN, _ZH)."""
    bare, reported, placed, comma = words
    if reporter is not None:
        where = f"{comma}{place}" if place else ""
        by = f"{publisher}{comma}" if (publisher := _publisher(reporter)) else ""
        return reported.format(name=source["name"], figure=figure, by=by, title=reporter["name"], place=where)
    if place:
        by = f"{publisher}{comma}" if (publisher := _publisher(source)) else ""
        return placed.format(by=by, name=source["name"], place=place, figure=figure)
    return bare.format(who=_publisher(source) or source.get("name"), figure=figure)


def cite_view(kb: KB, query: str) -> CiteView:
    st = resolve(kb, "statistic", query).entity
    prov = provenance(kb, st, kb.primary_source_of("statistic", st["id"]))
    source = kb.get("source", prov["source"]["id"]) or {}
    reporter = kb.get("source", prov["reported_in"]["id"]) if prov["reported_in"] else None
    where = prov["locator"]
    figure = f"{st['metric']}: {format_value(st)} ({st['year']})"
    if where and "section" in where:
        place = f'section "{where["section"]}", paragraph {where["paragraph"]}'
    else:
        place = f"where: {where['where']}" if where and "where" in where else ""
    plain = _sentence(source, reporter, figure, place, _EN)
    items = [_csl(source, st["id"])]
    if reporter is not None:
        items.append(_csl(reporter, f"{st['id']}-reported-in"))
        items[0]["note"] = f"{figure}; reported in {reporter['name']}" + (f", {place}" if place else "")
    elif place:
        items[0]["note"] = f"{figure}; {place}"
    bibtex = "\n\n".join(_bibtex(item, item.get("note", "")) for item in items)
    gbt = [_gbt7714(source), *([_gbt7714(reporter)] if reporter is not None else [])]
    figure_zh = f"{st['metric']}：{format_value_zh(st)}（{st['year']}）"
    if where and "section" in where:
        place = f"“{where['section']}”一节第{where['paragraph']}段"
    elif where and "where" in where:
        place = f"位置：{where['where']}"
    plain_zh = _sentence(source, reporter, figure_zh, place, _ZH)
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "cite",
        "statistic": st["id"],
        "plain": plain,
        "plain_zh": plain_zh,
        "bibtex": bibtex,
        "gbt7714": "\n".join(f"[{i}] {entry}" for i, entry in enumerate(gbt, 1)),
        "csl_json": items,
        "provenance": prov,
    }
