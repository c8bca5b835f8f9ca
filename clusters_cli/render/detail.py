"""Rich panels and tables for people: the detail views (a province, sector, city, region, company, park,
cluster or designation list), each an identity panel and the sections the view holds, a page of each.

Every string from the knowledge base or the user goes in as `Text` or a plain string Rich prints as it is,
never as markup. render/table.py chooses the renderer of a view and prints.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.text import Text

from ..i18n import C_, _, level_word, list_sep, name_of, paren, remembered_zh, value_word, zh
from ..values import chinese_date

if TYPE_CHECKING:
    from ..views.detail_types import (
        CityView,
        ClusterView,
        CompanyView,
        DesignationView,
        ParkView,
        ProvinceView,
        RegionView,
        SectorView,
    )

from .designations import batches_text, designation_line, issuer_of
from .listtable import near_table
from .parts import (
    DIM,
    _identity,
    _name_zh,
    _names,
    _section,
    cited,
    clusters_table,
    held_text,
    point_text,
    stats_table,
)
from .sections import common_sections, paged, sections_of


def headquarters_text(city: Any, province: Any) -> str:
    """Where a firm has its headquarters: `Shenzhen, Guangdong`; in Chinese 广东省深圳市, the larger place first; a
    municipality once (`Shanghai`, 上海市: the city and the province are one)."""
    if not (city and province):
        return ""
    if city["id"] == province["id"]:
        return name_of(city)
    return name_of(province) + name_of(city) if zh() else name_of(city) + _(", ") + name_of(province)


def _base_place(city: Any, province: Any) -> str:
    """Where a firm's base stands: `Shangrao (Jiangxi)`; a municipality once."""
    if city["id"] == province["id"]:
        return name_of(city)
    return _("{city} ({province})").format(city=name_of(city), province=name_of(province))


def _pinyin(pinyin: str | None) -> str:
    """A Chinese name's reading after it: '  (Ānhuī)', in Chinese （Ānhuī）; nothing where none is recorded."""
    return (paren(pinyin) if zh() else f"  ({pinyin})") if pinyin else ""


def _capital_word(kind: str) -> str:
    """What a division's seat of government is called: in Chinese 省会 of a province, 首府 of an autonomous
    region, 驻地 of a municipality or special administrative region (whose seat is itself); Capital in English."""
    if kind == "province":
        return C_("province", "Capital")
    if kind == "autonomous_region":
        return C_("autonomous_region", "Capital")
    return _("Capital")


def _capital_of(province: Any) -> str:
    """What a city is to the province it is the capital of, after the province's name: `  (its capital)`; in
    Chinese as the province's view calls it (_capital_word), 省会 of a 省 and 首府 of an 自治区, read from its
    Chinese name, which says its kind (a municipality, whose seat is itself: 本市为其省级行政中心)."""
    if zh():
        name = remembered_zh(province) or ""
        kind = "autonomous_region" if name.endswith("自治区") else "province" if name.endswith("省") else None
        if kind is not None:
            return paren(_capital_word(kind))
    return _("  (its capital)")


def _province(view: ProvinceView) -> list[RenderableType]:
    p = view["province"]
    rows = [
        (_("Official name"), p["official_name"]),
        (_("Chinese"), p["name_zh"] + _pinyin(p["pinyin"])),
        (_("Abbreviation"), " / ".join([p["abbr"], *p["abbr_alt"]])),
        (_("Codes"), f"{p['code']} · {p['iso_code']}"),
        (_("Kind"), value_word(p["kind"])),
        (_capital_word(p["kind"]), name_of(p["capital"]) if p["capital"] else None),
        (
            _("Macro-region"),
            name_of(p["macro_region"]) if p["macro_region"] else _("none (outside the NBS division)"),
        ),
        (_("Regions"), _names([r for r in view["regions"] if r["kind"] in ("economic_region", "geographic_region")])),
    ]
    out: list[RenderableType] = [_identity(_name_zh(p), rows)]  # Anhui (安徽省), 安徽省（Anhui）, as every view
    if view["cities"]:
        # prefecture-level and county-level cities, and the counties and districts holding clusters; the rest
        # are counted (`near` lists the same cities)
        shown = [
            c for c in view["cities"] if c["level"] != "county" or c["kind"] == "county_city" or c["cluster_count"]
        ]
        out.append(_section(_("Cities"), len(view["cities"])))  # all of them, as `list cities --province` counts
        capital = paren(_capital_word(p["kind"])) if zh() else _(" (capital)")
        out.append(Text(list_sep().join(name_of(c) + (capital if c["is_capital"] else "") for c in shown)))
        rest = len(view["cities"]) - len(shown)
        if rest:  # the command lists every county-level one, those shown above among them: it says how many
            county = sum(c["level"] == "county" for c in view["cities"])
            more = _(
                "{rest} more of county level not shown; all {county}: clusters list cities --province {id} "
                "--level county"
            )
            out.append(Text(more.format(rest=rest, county=county, id=p["id"]), style=DIM))
    common_sections(out, empty_clusters=_(view["note"]) if view["note"] else None, **sections_of(view))
    return out


def _sector(view: SectorView) -> list[RenderableType]:
    s = view["sector"]
    path = " › ".join([*(name_of(a) for a in reversed(s["ancestors"])), name_of(s)])
    rows = [
        (_("Chinese"), s["name_zh"]),
        (_("Hierarchy"), path),
        (_("Sub-sectors"), _names(s["children"])),
        (_("Synonyms"), list_sep().join(s["synonyms"])),
    ]
    out: list[RenderableType] = [_identity(_name_zh(s) if zh() else s["name"], rows, s["summary"])]
    totals = view.get("totals", {})
    common_sections(out, clusters=view["clusters"], totals=totals)
    if view["specialty_clusters"]:
        every = totals.get("specialty_clusters", len(view["specialty_clusters"]))
        out.append(_section(_("Clusters whose specialties mention it (not tagged with it)"), every))
        out += paged(view["specialty_clusters"], clusters_table, every)
    common_sections(
        out,
        clusters=[],
        parks=view["parks"],
        companies=view["companies"],
        statistics=view["statistics"],
        show_clusters=False,
    )
    return out


def _city(view: CityView) -> list[RenderableType]:
    c = view["city"]
    centre = _("no coordinates in the source table")
    if c["lat"] is not None and c["lon"] is not None:
        centre = _("{point} (WGS84, the seat)").format(point=point_text(c["lat"], c["lon"]))
    rows = [
        (_("Chinese"), c["name_zh"] + _pinyin(c["pinyin"])),
        (_("Code"), c["code"]),
        (_("Kind"), value_word(c["kind"]) + paren(level_word(c["level"]))),
        (_("Prefecture"), name_of(c["prefecture"]) if c["prefecture"] else None),
        (_("Province"), name_of(c["province"]) + (_capital_of(c["province"]) if c["is_capital"] else "")),
        (_("Regions"), _names(view["regions"])),
        (_("Seat"), centre),
    ]
    out: list[RenderableType] = [_identity(_name_zh(c), rows)]
    common_sections(
        out, empty_clusters=_("The knowledge base records no clusters in this city yet."), **sections_of(view)
    )
    if view["nearest_clusters"]:
        out.append(_section(_("Nearest clusters")))
        out.append(near_table(view["nearest_clusters"]))
    return out


def _members(view: RegionView) -> str | None:
    """'41: Shanghai*, Nanjing*, ...' (* the central area) or None when no defining document is held."""
    if not view["members"]:
        return None
    central = {c["id"] for c in view["central_members"]}
    names = list_sep().join(name_of(c) + ("*" if c["id"] in central else "") for c in view["members"])
    note = _(" (* the {n} of its central area)").format(n=len(central)) if central else ""
    return str(len(view["members"])) + _(": ") + names + note


def _region(view: RegionView) -> list[RenderableType]:
    r = view["region"]
    rows = [
        (_("Official name"), r["official_name"]),
        (_("Chinese"), r["name_zh"] + _pinyin(r["pinyin"]) if r["name_zh"] else None),
        (_("Kind"), value_word(r["kind"])),
        (_("Also called"), list_sep().join(r["aliases"])),
        (_("Provinces"), _names(view["provinces"])),
        (_("Members"), _members(view)),
        (_("Defined by"), _document(view["document"]) if view["document"] else None),
        (_("Mentioned"), _names(view["cities"])),
        (_("Source"), cited(view["provenance"]["text"]) if view["provenance"] else None),
        # the sources of the regions that joined it by same_as (a pack of one's own among them)
        (_("Also in"), "\n".join(cited(a["text"]) for a in view["provenance"]["also"]) if view["provenance"] else None),
    ]
    out: list[RenderableType] = [_identity(_name_zh(r), rows, r["summary"])]
    common_sections(out, **sections_of(view))
    return out


def _document(text: str) -> str:
    """A region's defining document, written by its pack as `title, issuer, date`; in Chinese set as Chinese
    cites a document: 《长江三角洲区域一体化发展规划纲要》，中共中央、国务院，2019年12月1日 (a text not of that
    shape, or with no ISO date last, as written)."""
    parts = _top_level(text)
    if not zh() or len(parts) < 3 or chinese_date(parts[-1]) == parts[-1]:
        return text
    return f"《{parts[0]}》，{', '.join(parts[1:-1])}，{chinese_date(parts[-1])}"


def _top_level(text: str) -> list[str]:
    """A text's parts at each `, ` outside brackets: an issuer's aside `(approved by 国务院, 国函〔2015〕62号)`
    is one part; [] where its brackets do not pair."""
    parts, depth, start = [], 0, 0
    for at, ch in enumerate(text):
        depth += (ch in "(（〔[") - (ch in ")）〕]")
        if depth < 0:
            return []
        if depth == 0 and text.startswith(", ", at):
            parts.append(text[start:at])
            start = at + 2
    return [*parts, text[start:]] if depth == 0 else []


def _official_names(c: Any) -> tuple[str | None, str | None]:
    return (c["official_name_zh"], c["official_name"]) if zh() else (c["official_name"], c["official_name_zh"])


def _company(view: CompanyView) -> list[RenderableType]:
    c = view["company"]
    hq = c["headquarters"]
    where = headquarters_text(hq, c["headquarters_province"])
    rows = [
        # the reader's language first: 比亚迪股份有限公司, then BYD Company Limited
        (_("Full name"), "\n".join(n for n in _official_names(c) if n)),
        (_("Also called"), list_sep().join(c["aliases"])),
        (_("Sector"), _names([c["sector"], *c["sectors"]])),
        (_("Headquarters"), where),
        (
            _("Bases"),
            "\n".join(
                _base_place(b["city"], b["province"]) + (_(": ") + b["what"] if b["what"] else "") for b in c["bases"]
            ),
        ),
        (_("Regions"), _names(view["regions"])),
        (_("Provinces"), _names(view["provinces"])),
        (_("Cities"), _names(view["cities"])),
        (_("Source"), cited(view["provenance"]["text"])),
        (_("Also in"), "\n".join(cited(a["text"]) for a in view["provenance"]["also"])),
    ]
    out: list[RenderableType] = [_identity(_name_zh(c), rows)]
    none = _("No cluster the knowledge base holds names this firm among its companies.")
    common_sections(out, empty_clusters=none, **sections_of(view))
    return out


def _park(view: ParkView) -> list[RenderableType]:
    p = view["park"]
    rows = [
        (_("Kind"), value_word(p["kind"])),
        (_("City"), name_of(p["city"]) + (_(", ") + p["district"] if p["district"] else "")),  # 上海市，Pudong
        (_("Province"), name_of(p["province"]) if p["province"] else None),
        (_("Sectors"), _names(p["sectors"])),
        (_("Also called"), list_sep().join(p["aliases"])),
        (_("Designations"), "\n".join(designation_line(d) for d in p["designations"])),
        (_("Source"), cited(p["provenance"]["text"])),
        (_("Also in"), "\n".join(cited(a["text"]) for a in p["provenance"]["also"])),
    ]
    if p["translated"]:  # the title gives both names: which of them a source gives
        rows.insert(0, (_("English name"), _("ours, translated from the Chinese name")))
    out: list[RenderableType] = [_identity(_name_zh(p), rows, p["summary"])]
    common_sections(out, **sections_of(view))
    return out


def _cluster(view: ClusterView) -> list[RenderableType]:
    c = view["cluster"]
    rows = [
        (_("Sectors"), _names(c["sectors"])),
        (_("Status"), value_word(c["status"])),
        (_("Region"), name_of(c["region"]) if c["region"] else None),
        (_("Provinces"), _names(c["provinces"])),
        (_("Cities"), _names(c["cities"])),
        (_("Parks"), _names(c["parks"])),
        (_("Companies"), _names(c["companies"])),
        (_("Towns"), list_sep().join(c["towns"])),
        (_("Specialties"), list_sep().join(c["specialties"])),
        (_("Designations"), "\n".join(designation_line(d) for d in c["designations"])),
        (_("Source"), cited(c["provenance"]["text"])),
        (_("Also in"), "\n".join(cited(a["text"]) for a in c["provenance"]["also"])),
    ]
    if c["name_zh"]:
        ours = _("  (English name is ours)") if c["translated"] else ""
        rows.insert(0, (_("Chinese name"), c["name_zh"] + ours))
    # in Chinese, the Chinese name first where the data has one, as every other view's title
    out: list[RenderableType] = [_identity(_name_zh(c) if zh() else c["name"], rows, c["summary"])]
    if view["statistics"]:
        out.append(_section(_("Statistics"), len(view["statistics"])))
        out += paged(view["statistics"], stats_table)
    return out


def _designation_view(view: DesignationView) -> list[RenderableType]:
    d = view["designation"]
    batches = batches_text(d["batches"], years=True)
    rows = [
        (_("Chinese"), d["name_zh"]),
        (_("Issuer"), issuer_of(d)),
        (_("Held"), held_text(d) + ("" if d["complete"] else _(" (partial: the pages we found name no more members)"))),
        (_("By batch"), batches),
        (_("Source"), cited(view["provenance"]["text"])),
        (_("Also in"), "\n".join(cited(a["text"]) for a in view["provenance"]["also"])),
    ]
    out: list[RenderableType] = [_identity(_name_zh(d) if zh() else d["name"], rows, d["summary"])]
    # a list of zones has parks for members: no empty section of clusters above them
    common_sections(out, **sections_of(view), show_clusters=bool(view["clusters"]) or not view["parks"])
    return out


# The renderer of each detail view: (view) -> what to print (render/table.py prints it).
DETAIL_RENDERERS: dict[str, Callable[[Any], list[RenderableType]]] = {
    "province": _province,
    "sector": _sector,
    "city": _city,
    "region": _region,
    "company": _company,
    "park": _park,
    "cluster": _cluster,
    "designation": _designation_view,
}
