"""Values as every layer shows them: a reference to an entry, a figure in words and in base units.

Root helpers (no terminal, no view): the views build their documents with them, and each kind's adapter
(kinds/) builds its `list` row with them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .model import SCALES, place_order

if TYPE_CHECKING:
    from .store.kb import KB
    from .views.types import Ref

Entity = dict[str, Any]

_QUALIFIER = {"exact": "", "over": "over ", "approximately": "about ", "nearly": "nearly ", "up_to": "up to "}
_CURRENCY = {"CNY": "RMB", "USD": "US$"}


def number_text(value: float) -> str:
    """882.8 -> '882.8', 2000 -> '2,000', 47.60 -> '47.6'."""
    return f"{value:,}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"


def format_value(st: Entity) -> str:
    """A statistic as a person reads it: 'over RMB 700 billion (US$96.3 billion)'."""
    q = _QUALIFIER[st["qualifier"]]
    v = number_text(st["value"])
    unit = st["unit"]
    if unit == "currency":
        symbol = _CURRENCY[st["currency"]]
        text = f"{q}{symbol}{'' if symbol.endswith('$') else ' '}{v} {st['scale']}"
        if "usd_value" in st:
            text += f" (US${number_text(st['usd_value'])} {st['usd_scale']})"
        return text
    if unit == "percent":
        return f"{q}{v}%"
    if unit == "rank":
        return f"No. {v}"
    # a count with a scale (1.2 million people): its scale said, as a currency's is (it was left out: 1.2 people)
    return f"{q}{v} {st['scale']} {unit}" if st.get("scale") else f"{q}{v} {unit}"


_QUALIFIER_ZH = {"exact": ("", ""), "over": ("", "以上"), "approximately": ("约", ""), "nearly": ("近", ""),
                 "up_to": ("最多", "")}  # fmt: skip
_UNITS_ZH = {"enterprises": "家", "clusters": "个", "cities": "个", "zones": "个", "people": "人", "pairs": "双",
             "pieces": "件"}  # fmt: skip
_CURRENCY_ZH = {"CNY": "元", "USD": "美元"}


def chinese_number(value: float, unit: str) -> str:
    """A count in Chinese units: 4,670,000,000,000 yuan -> '4.67万亿元'; 100,000,000 -> '1亿'; 12,000 -> '1.2万'."""
    for size, word in ((1e12, "万亿"), (1e8, "亿"), (1e4, "万")):
        if abs(value) >= size:
            return f"{_plain(value / size)}{word}{unit}"
    return f"{_plain(value)}{unit}"


def _plain(value: float) -> str:
    """A number as Chinese text writes it: no thousands separators, at most four decimals (7000, 4.67)."""
    return number_text(round(value, 4)).replace(",", "")


def format_value_zh(st: Entity) -> str:
    """A statistic as a Chinese reader reads it: '7000亿元以上（963亿美元以上）', '约40%', '1000家以上', '第1名'."""
    before, after = _QUALIFIER_ZH[st["qualifier"]]
    unit = st["unit"]
    if unit == "currency":
        text = chinese_number(amount(st), _CURRENCY_ZH.get(st["currency"], str(st["currency"])))
        usd = amount_usd(st) if "usd_value" in st else None  # the source's dollars beside its yuan
        if usd is not None:  # the qualifier binds to the figure it stands by: said of the dollars too
            return f"{before}{text}{after}（{before}{chinese_number(usd, '美元')}{after}）"
        return f"{before}{text}{after}"
    if unit == "percent":
        return f"{before}{_plain(st['value'])}%{after}"
    if unit == "rank":
        return f"第{_plain(st['value'])}名"
    word = _UNITS_ZH.get(unit)
    if word is None:
        return f"{before}{_plain(st['value'])} {unit}{after}"
    return f"{before}{chinese_number(amount(st), word)}{after}"


def amount(st: Entity) -> float:
    """The figure in base units (yuan, US dollars, or the unit itself)."""
    value: float = round(st["value"] * SCALES[st["scale"]], 2) if "scale" in st else st["value"]
    return value


def amount_usd(st: Entity) -> float | None:
    """The figure in US dollars where the source gives one (a US$ figure, or a conversion beside RMB)."""
    if st.get("currency") == "USD":
        return amount(st)
    if "usd_value" in st:
        value: float = round(st["usd_value"] * SCALES[st["usd_scale"]], 2)
        return value
    return None


def ref(kb: KB, kind: str, ident: str | None) -> Ref | None:
    entity = kb.get(kind, ident)
    return None if entity is None else {"id": entity["id"], "name": entity["name"]}


def must_ref(kb: KB, kind: str, ident: str) -> Ref:
    """A reference the validator guarantees exists."""
    found = ref(kb, kind, ident)
    return found if found is not None else {"id": ident, "name": ident}


def refs(kb: KB, kind: str, idents: Iterable[str]) -> list[Ref]:
    return [{"id": e["id"], "name": e["name"]} for e in kb.many(kind, list(idents))]


def when_text(st: Entity, sep: str = ", ", published: str = "*") -> str:
    """When a figure stands, as every line naming a figure gives it: its year or period, `*` where the year is
    the publication's (the source gives none; a table explains the mark below it, a citation, which stands
    alone, says it in words: `published`), and a forecast or a target said so ('2025, forecast'; with `sep`
    ' ', stats' column: '2025 forecast'): what a line puts in brackets after the value."""
    when = str(st.get("period") or st["year"]) + (published if st.get("year_basis") == "publication" else "")
    return when if st.get("status", "actual") == "actual" else f"{when}{sep}{st['status']}"


_STATUS_ZH = {"forecast": "预测", "target": "目标"}


def when_text_zh(st: Entity, year_word: str = "", sep: str = "，", published: str = "*") -> str:
    """when_text in Chinese ('2025，预测'; with `year_word` 年 after a year or a period: '2012年', '2021—2025年';
    `sep` between the year and a forecast's word: '' for stats' column, 2025年预测), for the Chinese lines a view
    keeps whatever the run's language (a citation's plain_zh) and those it shows in Chinese."""
    # a period of years with the dash Chinese writes between them: 2021—2025年
    period = "—".join(str(st["period"]).split("-", 1)) if st.get("period") else st["year"]
    when = f"{period}{year_word}" + (published if st.get("year_basis") == "publication" else "")
    status = str(st.get("status", "actual"))
    return when if status == "actual" else f"{when}{sep}{_STATUS_ZH.get(status, status)}"


def scope_label(kb: KB, st: Entity) -> str:
    """The name of what a figure is about (scope_of), else China."""
    found = scope_of(kb, st)
    return "China" if found is None else str(found["name"])


def scope_of(kb: KB, st: Entity) -> Entity | None:
    """What a figure is about: the most specific place it names itself; for a figure about a cluster that names
    no place, the cluster (it read as China, a national figure); None for China as a whole."""
    return scope_place(kb, st) or kb.get("cluster", st.get("cluster"))


def scope_place(kb: KB, st: Entity) -> Entity | None:
    """The most specific place a figure names itself, or None for China as a whole."""
    for kind in place_order():
        found = kb.get(kind, st.get(kind))
        if found is not None:
            return found
    return None


def chinese_date(value: str) -> str:
    """A source's date alone, as Chinese writes it: 2024-10-17 is 2024年10月17日, 2025-10 is 2025年10月; anything
    else as it is (the tables and a citation in Chinese alike)."""
    import re

    whole = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if whole is None or not 1 <= int(whole[2]) <= 12:
        return value
    return f"{whole[1]}年{int(whole[2])}月" + (f"{int(whole[3])}日" if whole[3] else "")


def km_text(km: float) -> str:
    """A radius as a person reads it, in digits as given: 200, 20,000, 12.5, 1,234,567.5, 0.00001 (`:g` wrote
    1e+11 and 1.23457e+06); one below a millimetre or beyond a thousand million million kilometres in the
    shortest form that is the number (1e-300, not 300 digits: each is no radius a map has)."""
    from decimal import Decimal

    exact = Decimal(repr(float(km)))  # the shortest digits that are the number (200.0, 1e-05)
    if km and not 1e-6 <= abs(km) < 1e15:
        return f"{exact.normalize():e}"
    return f"{exact.to_integral_value() if exact == exact.to_integral_value() else exact:,f}"
