"""The language people read: English, or Chinese (简体中文).

Chosen once per run: `--lang zh|en`, else CLUSTERS_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG: a
`zh` locale gives Chinese, anything else English). Every string a person reads is written in English in the
code and marked `_("...")` (or `N_("...")` where it is a constant translated where it is shown); the Chinese
is in the gettext catalog `clusters_cli/locale/zh_CN/LC_MESSAGES/messages.po`, which translators edit with
the usual tools (Babel extracts the marked strings: README, "Translating"). The wheel carries it compiled
(`messages.mo`, made by the build hook, never in git); a source checkout compiles it into the cache folder
on the first Chinese run. Click's own words ("Usage:", "Options") are in the same catalog, under the domain
Click's `gettext` calls look up.

What machines read never changes with the language: `--json`, the row formats and the exports keep the
contract's English keys and values (a test compares them byte for byte).
"""

from __future__ import annotations

import functools
import gettext
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

LANGS = ("en", "zh")
DOMAIN = "messages"  # the domain Click's gettext() calls use: one catalog serves both
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
PO = LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.po"

_state = {"lang": "en"}
_catalog: dict[str, str] = {}
_names: dict[tuple[str, str], str] = {}  # (id, English name) -> Chinese name of what a view references


def detect(flag: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The language of a run: the flag, CLUSTERS_LANG, then the first locale variable set."""
    env = os.environ if env is None else env
    if flag:
        return flag
    if env.get("CLUSTERS_LANG"):
        return "zh" if env["CLUSTERS_LANG"].strip().lower().startswith("zh") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if value:
            return "zh" if value.strip().lower().startswith("zh") else "en"
    return "en"


def use(lang: str) -> None:
    """Speak `lang` from now on in this process (our strings, and Click's through its gettext calls)."""
    _state["lang"] = lang if lang in LANGS else "en"
    if _state["lang"] == "zh":
        _catalog.clear()
        _catalog.update(_read_catalog())
        folder = _compiled_dir()
        if folder is not None:
            os.environ["LANGUAGE"] = "zh_CN"  # what stdlib gettext (Click's words) reads
            gettext.bindtextdomain(DOMAIN, str(folder))
            gettext.textdomain(DOMAIN)
    elif os.environ.get("LANGUAGE") == "zh_CN":  # set by an earlier Chinese run in this process
        del os.environ["LANGUAGE"]


_read: dict[tuple[int, int], dict[str, str]] = {}  # the catalog as last read, by the file's (mtime, size)


def _read_catalog() -> dict[str, str]:
    """The .po catalog, read again only when the file has changed (a process that switches language often,
    such as the test suite, reads it once)."""
    try:
        st = PO.stat()
    except OSError:
        return {}
    stamp = (st.st_mtime_ns, st.st_size)
    if stamp not in _read:
        from . import pofile  # a Chinese run, or a value typed in either language (value_typed)

        _read.clear()
        _read[stamp] = pofile.read_po(PO)
    return _read[stamp]


def lang() -> str:
    return _state["lang"]


def zh() -> bool:
    return _state["lang"] == "zh"


def _(message: str) -> str:
    """The message in the run's language (the English as written when it has no translation)."""
    if _state["lang"] == "en":
        return message
    return _catalog.get(message) or message


def C_(context: str, message: str) -> str:
    """`_` for a word whose English serves two meanings the catalog tells apart by a context (gettext's
    msgctxt): `province` a division's kind (省) and `province` a kind of entity (省级行政区)."""
    if _state["lang"] == "en":
        return message
    return _catalog.get(f"{context}\x04{message}") or _catalog.get(message) or message


_lines: dict[str, str] = {}  # an English line a document carries -> the same line in the run's language


def remember_line(english: str, local: str) -> None:
    """A line a view keeps in English for its document (a filter's notice), and how a person reads it."""
    _lines[english] = local


def local_line(english: str) -> str:
    """The line as a person reads it in the run's language (remember_line), else as it is."""
    return _lines.get(english, english) if _state["lang"] == "zh" else english


def remember_names(names: Mapping[tuple[str, str], str]) -> None:
    """The Chinese names of the entities a view references, by (id, English name), for the tables that show
    it (those of the view before are forgotten)."""
    _names.clear()
    _names.update(names)


def remembered_zh(ref: Mapping[str, object]) -> str | None:
    """The Chinese name remembered for a reference ({"id", "name"}), if any."""
    return _names.get((str(ref.get("id")), str(ref.get("name"))))


def remembered_zh_of(ident: str) -> str | None:
    """The Chinese name remembered for an id a row gives bare (a search hit's province), where one entity of
    that id has one."""
    found = {zh for (i, _name), zh in _names.items() if i == ident}
    return found.pop() if len(found) == 1 else None


def name_of(ref: Mapping[str, object]) -> str:
    """How a table names a referenced entity: in Chinese where the data has a Chinese name and the run is in
    Chinese; else its English name (never a machine translation). On one line: a line break or tab a pack puts
    in a name would otherwise start a line of its own where a name stands in running text (the map's listing)."""
    name = None
    if _state["lang"] == "zh":
        name = ref.get("name_zh") or remembered_zh(ref)
    return one_line(str(name or ref.get("name")))


def one_line(text: str) -> str:
    """A name as running text shows it: a line break or tab a pack puts in it (its text keeps them) as a space."""
    return text if text.isprintable() else " ".join(text.split())


def N_(message: str) -> str:  # gettext's name for "mark now, translate where shown"
    """Mark a constant for extraction; it is translated with _() where it is shown."""
    return message


KIND_WORDS = {
    "province": N_("province"),
    "city": N_("city"),
    "sector": N_("sector"),
    "region": N_("region"),
    "cluster": N_("cluster"),
    "company": N_("company"),
    "park": N_("park"),
    "designation": N_("designation"),
    "statistic": N_("statistic"),
    "source": N_("source"),
    # not kinds, but named where a kind would be: "No series matches 'x'", compare's places
    "series": N_("series"),
    "place": N_("province, region or city"),
    "origin": N_("province, city or park"),  # what `near` measures from
}


# the values of `kind` fields a table shows ("county city"), marked for the catalog
KIND_VALUES = {
    "province": N_("province"),
    "municipality": N_("municipality"),
    "autonomous_region": N_("autonomous region"),
    "special_administrative_region": N_("special administrative region"),
    "prefecture_city": N_("prefecture city"),
    "prefecture": N_("prefecture"),
    "autonomous_prefecture": N_("autonomous prefecture"),
    "league": N_("league"),
    "county_city": N_("county city"),
    "county": N_("county"),
    "autonomous_county": N_("autonomous county"),
    "banner": N_("banner"),
    "district": N_("district"),
    "autonomous_banner": N_("autonomous banner"),
    "forestry_district": N_("forestry district"),
    "special_district": N_("special district"),
    "economic_region": N_("economic region"),
    "macro_region": N_("macro region"),
    "geographic_region": N_("geographic region"),
    "science_city": N_("science city"),
    "new_area": N_("new area"),
    "biotech_park": N_("biotech park"),
    "industrial_base": N_("industrial base"),
    "industrial_park": N_("industrial park"),
    "high_tech_zone": N_("high tech zone"),
    "market": N_("market"),
    "free_trade_zone": N_("free trade zone"),
    "economic_development_zone": N_("economic development zone"),
    "established": N_("established"),
    "emerging": N_("emerging"),
    "planned": N_("planned"),
    "actual": N_("actual"),
    "forecast": N_("forecast"),
    "target": N_("target"),
    # a source's kind
    "article": N_("article"),
    "government": N_("government"),
    "industry": N_("industry"),
    "press": N_("press"),
    "report": N_("report"),
    "news": N_("news"),
    "secondary": N_("secondary"),
    # a designation's batch, where it is not a year
    "first": N_("first"),
    "listed": N_("listed"),
    # a figure's unit, where a table names it
    "currency": N_("currency"),
    "percent": N_("percent"),
    "enterprises": N_("enterprises"),
    "clusters": N_("clusters"),
    "cities": N_("cities"),
    "rank": N_("rank"),
    "people": N_("people"),
    "pairs": N_("pairs"),
    "zones": N_("zones"),
    "pieces": N_("pieces"),
}


def value_word(value: str) -> str:
    """A kind, status or level as a table shows it ('county city'; in Chinese 县级市)."""
    return C_("value", KIND_VALUES.get(value, value.replace("_", " ")))


C_("value", "province")  # marked for the catalog in its context: a division's kind (安徽 is a 省)
C_("value", "prefecture")  # a city's kind (阿克苏地区 is a 地区), not the level (地级) nor the field (所属地级市)

# a division's level as a table shows it: 地级, not the kind 地区 nor the field 所属地级市
LEVEL_WORDS = {"province": N_("province level"), "prefecture": N_("prefecture level"), "county": N_("county level")}


# a space between a Chinese character and a full-width quote, on either side: Chinese sets none (a template
# with a space for a value that is a number, "{value} 不是有效的数字", reads “abc” 不是... once the value is quoted)
@functools.cache
def _quote_space() -> re.Pattern[str]:
    """A space between a full-width quote and the Chinese character beside it. Compiled on first use, in Chinese
    alone: its classes of CJK ranges took 2-3 ms to compile, on every run that imported this module."""
    return re.compile(
        r"(?<=[\u3001-\u303f\u4e00-\u9fff\uff01-\uff5e]) +(?=“)|(?<=”) +(?=[\u3001-\u303f\u4e00-\u9fff\uff01-\uff5e])"
    )


def quotes_set(text: str) -> str:
    """A Chinese message with its full-width quotes set as Chinese sets them, no space between a quote and the
    character beside it; an English one as it is."""
    return _quote_space().sub("", text) if zh() else text


def value_typed(value: str, allowed: Sequence[str], *, levels: bool = False) -> str | None:
    """The value of `allowed` a person typed by the word a table shows for it, in either language: a kind or a
    status by its value word (新兴 for emerging, 县级市 or "county city" for county_city), a level, with `levels`,
    by its level word (县级 for county); None where it is none of them (a level's word is no kind)."""
    catalog = _read_catalog()
    typed = value.strip().casefold()
    for option in allowed:
        if levels:
            english = LEVEL_WORDS.get(option, option)
            words = {option, english, catalog.get(english, "")}
        else:
            english = KIND_VALUES.get(option, option.replace("_", " "))
            words = {option, english, catalog.get(f"value\x04{english}") or catalog.get(english, "")}  # as C_ reads
        if typed in {w.casefold() for w in words if w}:
            return option
    return None


def level_word(level: str) -> str:
    """A division's level as a person reads it ('prefecture level'; in Chinese 地级)."""
    return _(LEVEL_WORDS[level]) if level in LEVEL_WORDS else level


def level_value(level: str) -> str:
    """A level as a table cell or a filter shows it: as the data writes it (prefecture), in Chinese 地级."""
    return level_word(level) if zh() else level


def paren(text: object) -> str:
    """A bracketed aside after a word: ' (3)' in English, （3） in Chinese, whose brackets are full width and
    take no space before them."""
    return f"（{text}）" if zh() else f" ({text})"


def list_sep() -> str:
    """What parts the items of a list of names: ', ' in English, 、 in Chinese (a comma parts clauses there,
    and the candidates of an ambiguous name carried their provinces after a comma too)."""
    return C_("list", ", ")


def kind_word(kind: str) -> str:
    """A kind as a person reads it ('province'; in Chinese 省级行政区)."""
    return _(KIND_WORDS.get(kind, kind))


# --- the compiled catalog (what stdlib gettext reads: the .po read and the .mo written by pofile.py)


def _compiled_dir() -> Path | None:
    """A locale folder holding zh_CN's compiled catalog: the wheel's, else one compiled from the .po into
    the cache folder (keyed by the .po's bytes); None if neither can be had."""
    if (LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.mo").exists():
        return LOCALE_DIR
    try:
        import hashlib

        from .store.buildfiles import cache_dir

        digest = hashlib.sha256(PO.read_bytes()).hexdigest()[:16]
        folder = Path(cache_dir()) / f"locale-{digest}"
        mo = folder / "zh_CN" / "LC_MESSAGES" / f"{DOMAIN}.mo"
        if not mo.exists():
            from . import pofile

            pofile.write_mo(pofile.read_po(PO), mo)
        return folder
    except OSError:
        return None
