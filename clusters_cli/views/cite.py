"""`cite`: a citation of one figure, naming its original source and the document that reports it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..resolve import resolve
from ..values import chinese_date, format_value, format_value_zh, scope_of, when_text, when_text_zh
from . import SCHEMA_VERSION
from .shared_rows import provenance

if TYPE_CHECKING:
    from ..store.kb import KB, Entity
    from .types import CiteView

CITE_FORMATS = ("plain", "bibtex", "csl-json", "gbt7714")

# GB/T 7714-2015's document type codes: a news outlet's piece N, a report R; a page read online (a firm's
# release, a government's notice) is an electronic resource (EB), as is the article, and a source of no other
# type the entry records and no address is "other" (Z): never a type it was not shown
_GBT_TYPES = {"news": "N", "report": "R"}


def _publisher(source: Entity) -> str | None:
    """The source's publisher, where its entry names one."""
    publisher = source.get("publisher")
    return publisher if publisher and publisher != "not named in the article" else None


# a name the pack wrote for a page whose title it does not know: wholly in round brackets (its words ours:
# "(English article on the Yangtze River Delta region)"), or opening with a note that the title was not shown
_DESCRIBED = re.compile(r"\((?:[^()]|\([^()]*\))*\)")
_NOT_SHOWN = re.compile(r"\(title not (?:shown|in excerpt)(?: in excerpt)?(?:\)\s*|;\s*|\s*$)")


def title_of(source: Entity) -> str:
    """A source's title as a citation gives it: its name, or, where the name describes a page whose title was not
    recorded, that description in square brackets, the bibliographer's mark of a title supplied by the one
    citing ("[item on Xinjiang's 乌昌石光伏集群]"): a bibliography never prints our note as the page's title."""
    name = str(source.get("name", ""))
    if not _DESCRIBED.fullmatch(name) and not _NOT_SHOWN.match(name):
        return name
    described = _NOT_SHOWN.sub("", name, count=1) if _NOT_SHOWN.match(name) else name[1:-1]
    if _NOT_SHOWN.match(name) and described.endswith(")") and "(" not in described:
        described = described[:-1]  # "(title not shown; X)": the closing bracket of the note
    described = described.strip()
    return f"[{described}]" if described else "[untitled]"


def _copy_host(source: Entity) -> str | None:
    """For a source read as a copy (kind `secondary`: the original outlet is its publisher), the host it
    stands on ('' where its entry records no address); None for any other source."""
    if source.get("kind") != "secondary":
        return None
    if not source.get("address"):
        return ""
    from urllib.parse import urlsplit

    return urlsplit(str(source["address"])).hostname or str(source["address"])


def _copy_words(source: Entity, bare: str, on_host: str) -> str:
    """What a citation says of a source read as a copy: `on_host` with the host it stands on, `bare` where its
    entry records no address; '' for any other source."""
    host = _copy_host(source)
    if host is None:
        return ""
    return on_host.format(host) if host else bare


def _date_parts(published: object) -> dict[str, Any]:
    """A CSL date: its parts for 2024, 2024-10 or 2024-10-17; any other wording kept whole (`raw`), never
    read into numbers it does not hold."""
    import re

    found = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(published).strip())
    if found is None:
        return {"raw": str(published)}
    return {"date-parts": [[int(p) for p in found.groups() if p is not None]]}


def _gbt7714(source: Entity) -> str:
    """One entry in the Chinese national standard's style (GB/T 7714-2015): responsible party. title[type].
    (date). address. The publisher stands as the responsible party: the packs do not tell a paper's name from
    the body that publishes it (a party committee's paper), so a newspaper's piece is not set with the
    paper's name after its title. Only what the knowledge base holds (no access date is recorded, so none is
    given); a source read as a copy says so (转载于 its host)."""
    online = bool(source.get("address"))
    code = _GBT_TYPES.get(source.get("kind", ""), "EB" if _electronic(source) else "Z") + ("/OL" if online else "")
    parts = []
    if publisher := _publisher(source):
        parts.append(f"{publisher}.")
    parts.append(f"{title_of(source)}[{code}].")
    if source.get("published"):
        parts.append(f"({source['published']}).")
    if online:
        parts.append(f"{source['address']}.")
    parts.append(_copy_words(source, "(转载)", "(转载于 {})"))
    return " ".join(p for p in parts if p)


def _electronic(source: Entity) -> bool:
    """Whether a source was read online: its entry gives an address, or it is the article (a web page whose
    copy states none)."""
    return bool(source.get("address")) or source.get("kind") == "article"


def _csl(source: Entity, item_id: str) -> dict[str, Any]:
    """A CSL-JSON item for a source; only the fields the knowledge base holds (nothing guessed)."""
    # a news outlet's piece and a report by their kind; any other source read online a web page, and one of no
    # address a document (as GB/T 7714 marks them: N, R, EB, Z)
    kind = {"news": "article-newspaper", "report": "report"}.get(source["kind"])
    item: dict[str, Any] = {
        "id": item_id,
        "type": kind or ("webpage" if _electronic(source) else "document"),
        "title": title_of(source),
    }
    if publisher := _publisher(source):
        item["publisher"] = publisher  # (a paper's name is not told from its publisher's: no container-title)
    if source.get("published"):
        item["issued"] = _date_parts(source["published"])
    if source.get("address"):
        item["URL"] = source["address"]
    if copy := _copy_words(source, "read as a copy", "read as a copy on {}"):
        item["note"] = copy
    return item


# what LaTeX reads as markup in a BibTeX field, each as the text it stands for (one pass: a backslash's
# replacement is not escaped again)
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",  # BibTeX counts braces whatever precedes them: \{ alone left an entry unbalanced
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex_text(text: str) -> str:
    return "".join(_LATEX.get(ch, ch) for ch in text)


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _bibtex(item: dict[str, Any], note: str) -> str:
    """A @misc entry: the title braced whole (a style lower-cases the words of a title it may: China, NDRC),
    the outlet as `howpublished` (the field @misc prints in the standard styles, which read no `publisher`
    there), the year and month where the date holds them, the note and the address."""
    outlet = item.get("publisher")
    fields = [("title", "{" + latex_text(item["title"]) + "}")]
    if outlet:
        fields.append(("howpublished", latex_text(outlet)))
    parts = item.get("issued", {}).get("date-parts")
    if parts:
        fields.append(("year", str(parts[0][0])))
    body = [f"  {name} = {{{value}}}" for name, value in fields]
    if parts and len(parts[0]) > 1 and 1 <= parts[0][1] <= 12:
        body.append(f"  month = {_MONTHS[parts[0][1] - 1]}")  # the styles' macro: printed as each names it
    if note:
        body.append(f"  note = {{{latex_text(note)}}}")
    if "URL" in item:  # read by the url package as written: braces, which would end the field, and a backslash,
        # which would escape its closing brace, are percent-encoded
        address = str(item["URL"]).replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")
        body.append(f"  url = {{{address}}}")
    return "@misc{{{},\n{}\n}}".format(item["id"], ",\n".join(body))


# the plain citation's sentences: (bare, reported in another document, with a place in the source); `by` is
# the publisher and a comma, or nothing where the source names none
_EN = (
    "{who}. {figure}.",
    "{origin}{name}, {figure}. Reported in: {by}{title}{place}.",
    "{by}{name}, {figure}. {place}.",  # where in the page, a sentence of its own: no run of colons
    ", ",
)
_ZH = (
    "{who}：{figure}。",
    "{origin}{name}，{figure}。转引自：{by}{title}{place}。",
    "{by}{name}，{figure}。{place}。",
    "，",
)


def _quoted(title: str, zh: bool) -> str:
    """A title in quotation marks, the quotes it holds made the inner kind ("China's 'porcelain capital'..."); in
    Chinese in 书名号, as Chinese sets the title of a document, article or page (《瓷都的故事》; GB/T 15834), a
    title it holds in 〈〉 and its quotes Chinese ones; a title we supplied ([untitled], [item on ...]) in its
    square brackets alone: never quoted as the page's."""
    if title.startswith("[") and title.endswith("]"):
        return title
    if zh:
        inner = re.sub(r'"([^"]*)"', "“\\1”", title).replace("《", "〈").replace("》", "〉")
        return f"《{inner}》"
    inner = re.sub(r'"([^"]*)"', "'\\1'", title).replace('"', "'")
    return f'"{inner}"'


def _sentence(source: Entity, reporter: Entity | None, figure: str, place: str, words: tuple[str, ...]) -> str:
    """The plain citation in one language's sentence patterns (_EN, _ZH), then the document's date and
    address where its entry gives them, and the host a copy was read on."""
    bare, reported, placed, comma = words
    zh = comma == "，"
    if reporter is not None:  # the original by its publisher and name, as the other formats give it
        where = f"{comma}{place}" if place else ""
        by = f"{publisher}{comma}" if (publisher := _publisher(reporter)) else ""
        # (not where the name says it: "Chongqing Municipal Government", "NEPCON (electronics ... fair)")
        publisher = _publisher(source)
        origin = f"{publisher}{comma}" if publisher and not title_of(source).startswith(publisher) else ""
        title = _quoted(title_of(reporter), zh)
        text = reported.format(origin=origin, name=title_of(source), figure=figure, by=by, title=title, place=where)
        return text + _found_at(reporter, zh)
    if place:
        by = f"{publisher}{comma}" if (publisher := _publisher(source)) else ""
        name = _quoted(title_of(source), zh)
        text = placed.format(by=by, name=name, place=place[:1].upper() + place[1:], figure=figure)
    else:
        text = bare.format(who=_publisher(source) or title_of(source), figure=figure)
    return text + _found_at(source, zh)


def _found_at(document: Entity, zh: bool) -> str:
    """' Published 2024-10-17. https://... Read as a copy on www.example.com.' for what the entry gives."""
    parts = []
    if document.get("published"):
        published = str(document["published"])
        parts.append(f"发布于 {chinese_date(published)}。" if zh else f"Published {published}.")
    if document.get("address"):
        parts.append(f"{document['address']}" + ("" if zh else "."))
    words = ("（转载）", "（转载于 {}）") if zh else ("Read as a copy.", "Read as a copy on {}.")
    if copy := _copy_words(document, *words):
        parts.append(copy)
    return "".join(parts) if zh else "".join(" " + p for p in parts)


def cite_view(kb: KB, query: str) -> CiteView:
    from .resolved import match_info

    match = resolve(kb, "statistic", query)
    st = match.entity
    prov = provenance(kb, st, kb.primary_source_of("statistic", st["id"]))
    source = kb.get("source", prov["source"]["id"]) or {}
    reporter = kb.get("source", prov["reported_in"]["id"]) if prov["reported_in"] else None
    where = prov["locator"]
    # where in a page, as the pack words it: the sentence or note around it ends it, so its own stop is not doubled
    spot = str(where["where"]).rstrip(".。") if where and "where" in where else None
    # a citation stands alone, where no note explains a table's `*`: the year of publication is said in words
    # the place or cluster it is about, after its metric: a citation stands alone, and Anhui's photovoltaic revenue
    # read as a national figure, the YRD's and the GBA's counts of key NEV firms alike but for the number
    about = scope_of(kb, st)
    figure = (
        st["metric"]
        + (f", {about['name']}" if about else "")
        + f": {format_value(st)} ({when_text(st, published=', the year of publication')})"
    )
    if where and "section" in where:
        place = f'section "{where["section"]}", paragraph {where["paragraph"]}'
    else:
        place = f"where: {spot}" if spot is not None else ""
    plain = _sentence(source, reporter, figure, place, _EN)
    items = [_csl(source, st["id"])]
    copy = f"; {items[0]['note']}" if "note" in items[0] else ""  # read as a copy: said after the figure
    if reporter is not None:
        items.append(_csl(reporter, f"{st['id']}-reported-in"))
        items[0]["note"] = f"{figure}; reported in {title_of(reporter)}" + (f", {place}" if place else "") + copy
    elif place:
        items[0]["note"] = f"{figure}; {place}" + copy
    elif copy:
        items[0]["note"] = f"{figure}" + copy
    bibtex = "\n\n".join(_bibtex(item, item.get("note", "")) for item in items)
    # the original, then the document that reports it, which the original's entry names (转引自: cited via)
    gbt = [_gbt7714(source) + (" 转引自[2]." if reporter is not None else "")]
    gbt += [_gbt7714(reporter)] if reporter is not None else []
    figure_zh = (
        st["metric"]
        + (f"，{about.get('name_zh') or about['name']}" if about else "")
        + f"：{format_value_zh(st)}（{when_text_zh(st, '年', published='，发布年份')}）"  # 2022年
    )
    if where and "section" in where:
        place = f"“{where['section']}”一节第{where['paragraph']}段"
    elif spot is not None:
        place = f"位置：{spot}"
    plain_zh = _sentence(source, reporter, figure_zh, place, _ZH)
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "cite",
        "statistic": st["id"],
        "resolved": match_info(kb, match, query, "statistic"),
        "plain": plain,
        "plain_zh": plain_zh,
        "bibtex": bibtex,
        "gbt7714": "\n".join(f"[{i}] {entry}" for i, entry in enumerate(gbt, 1)),
        "csl_json": items,
        "provenance": prov,
    }
