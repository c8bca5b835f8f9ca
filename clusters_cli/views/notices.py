"""How a query or a filter's name was read, in words (a typing slip, the start of a name, other places of that
name): the notices every view carries and people are shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ..i18n import N_, _, name_of, paren, remember_line, remember_names, zh

if TYPE_CHECKING:
    from ..resolver import Match
    from ..store.kb import KB, Entity
    from .types import Resolved


def notice_lines(resolved: Resolved, tr: Callable[[str], str] = str) -> list[str]:
    """How a query was read, in words: a guess first (a typing slip, the start of a name), then other places
    of that name. In English for the documents that carry them (a filter's `notices`); `tr=_` words them in
    the run's language where they are shown to a person."""
    from ..textfold import compact

    lines = []
    shown = tr is not str  # for a person: names in the run's language
    name, query = (name_of(resolved) if shown else resolved["name"]), resolved["query"]
    if resolved["matched_by"] == "slip":
        slip = tr(str(resolved["slip"]))
        lines.append(tr("Showing {name} for '{query}' (read as a typing slip: {slip})").format(**locals()))
    elif resolved["matched_by"] == "prefix":
        lines.append(tr("Showing {name} for '{query}' (the start of one of its names)").format(**locals()))
    for other in resolved.get("also", []):
        values = {"query": query, "other": other["name"], "command": other["command"]}
        # its Chinese name and its province: two places of one name (南山区 of Shenzhen and of Hegang) told apart
        province = other.get("province_ref")
        in_province = province["name"] if province and province["name"] != other["name"] else ""  # not Beijing's
        aside = [w for w in (other["name_zh"], in_province) if w]
        values["zh"] = f" ({', '.join(aside)})" if aside else ""
        if shown and zh() and other["name_zh"]:
            values["other"] = other["name_zh"]
            values["zh"] = paren(
                "，".join(w for w in (other["name"], name_of(province) if province and in_province else "") if w)
            )
        if resolved["matched_by"] == "slip" and compact(other["name"]) != compact(resolved["name"]):
            lines.append(tr("'{query}' is one slip from {other}{zh} too: {command}").format(**values))
        else:
            lines.append(tr("'{query}' also names {other}{zh}: {command}").format(**values))
    return lines


# the words of notice_lines, marked for the catalog (shown through _() by the renderers and on stderr)
_NOTICE_WORDS = (
    N_("Showing {name} for '{query}' (read as a typing slip: {slip})"),
    N_("Showing {name} for '{query}' (the start of one of its names)"),
    N_("'{query}' is one slip from {other}{zh} too: {command}"),
    N_("'{query}' also names {other}{zh}: {command}"),
)


def read_filter(kb: KB, kind: str, query: str, notices: list[str], match: Match | None = None) -> Entity:
    """The entity a filter (--province, --sector...) names (`match`: its reading, where the caller has made
    it). How its name was read (a close spelling, other places of that name) joins `notices`: a filter is never
    read silently."""
    from ..resolve import resolve  # a filter's name only: a page of every row reads no name
    from .resolved import match_info

    match = resolve(kb, kind, query) if match is None else match
    info = match_info(kb, match, query, kind)
    lines = notice_lines(info)  # in English, for the document's `notices`
    # the names a person reads it by, and the provinces of the other places of its name (the view's own are
    # remembered later, after these lines are made)
    named = [match.entity, *kb.many("province", [p for p in (a.get("province") for a in info["also"]) if p])]
    remember_names({(e["id"], e["name"]): e["name_zh"] for e in named if e.get("name_zh")})
    for english, local in zip(lines, notice_lines(info, _), strict=True):
        remember_line(english, local)  # and as a person reads it, where the notices are shown
    notices.extend(lines)
    return match.entity
