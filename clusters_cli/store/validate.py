"""Knowledge-base validation: the JSON Schema (store/schema.py), then what a schema cannot say.

Ids, references (read from the model), sector cycles and consistency are
checked in code across all packs at once; a figure's own rules (its scale,
currency, rate, period and series) are store/figurerules.py's. This module
only runs on a cache miss or under `clusters validate`. Every problem names
its file, line and entry.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from ..errors import Problem, Word
from ..i18n import KIND_WORDS, N_
from ..model import KINDS, citing_sections
from .figurerules import check_figures
from .merged import Merged, Pack
from .rules import cluster_cities, lookup_of
from .schema import refused_entries, schema_problems


def validate_packs(packs: list[Pack], checked: frozenset[str] = frozenset()) -> list[Problem]:
    """Every problem with the packs taken together; an empty list when they are valid.

    `checked` names packs whose schema check already passed (read from the per-pack cache).
    """
    return validated(packs, checked)[0]


def validated(packs: list[Pack], checked: frozenset[str] = frozenset()) -> tuple[list[Problem], Merged | None]:
    """(validate_packs, the packs merged as validation read them: what a load merges; None where invalid)."""
    problems = [p for pack in packs if unchecked(pack, checked) for p in schema_problems(pack)]
    if problems:  # the references of the entries the schema passes, in the same run; consistency waits for both
        refused = {pack.path: refused_entries(pack.data) for pack in packs if unchecked(pack, checked)}
        if any(entries is None for entries in refused.values()):
            return problems, None  # a top level refused: nothing past it reads as the schema shapes it
        merged = Merged(packs, {path: entries or set() for path, entries in refused.items()})
        _check_references(merged)
        return problems + merged.problems, None
    merged = Merged(packs)
    _check_references(merged)
    _check_sector_cycles(merged)
    if not merged.problems:  # consistency checks follow references, so need them whole
        _check_consistency(merged)
    return merged.problems, None if merged.problems else merged


def unchecked(pack: Pack, checked: Collection[str]) -> bool:
    """Whether the pack's schema check is still to do (neither read from the pack cache nor passed as it was
    parsed)."""
    return pack.path not in checked and not pack.schema_passed


def _check_references(m: Merged) -> None:
    # an entry the schema refuses is reported there: naming it is no unknown reference
    ids = {k.name: {e["id"] for e in m.sections[k.section]} | m.refused_ids[k.section] for k in KINDS.values()}
    for pack in m.packs:
        primary = pack.data.get("meta", {}).get("primary_source")
        if primary is not None and primary not in ids["source"]:
            m.problems.append(pack.problem(("meta", "primary_source"), N_("unknown source '{id}'"), id=primary))
    suggested = 0  # unknown references given a close id so far
    ordered: dict[int, list[str]] = {}  # each kind's ids sorted, once
    for kind in KINDS.values():
        refs = [(ref, ids[ref.target], ref.key is None) for ref in kind.refs]
        for entry in m.sections[kind.section]:
            for ref, known, plain in refs:
                value = entry.get(ref.field)
                # most references name a known id, or a list of them: found without making the list of targets
                if value is None or (plain and (value in known if type(value) is str else _all_in(value, known))):
                    continue
                for target in ref.targets(value):
                    if target not in known:
                        word = Word(KIND_WORDS.get(ref.target, ref.target))
                        close = _close_id(target, known, suggested, ordered) if isinstance(target, str) else None
                        suggested += 1
                        where = (kind.section, entry["id"], (ref.field,))
                        if close is None:
                            m.add(*where, N_("unknown {kind} '{id}'"), kind=word, id=target)
                        else:
                            m.add(
                                *where,
                                N_("unknown {kind} '{id}'; did you mean '{close}'?"),
                                kind=word,
                                id=target,
                                close=close,
                            )


# unknown references given the close id they may be a slip of: a broken pack of a thousand of them, beside a
# knowledge base of hundreds of thousands of ids, is not scored a thousand times
SUGGESTED = 50


def _close_id(target: str, known: set[str], suggested: int, ordered: dict[int, list[str]] | None = None) -> str | None:
    """The known id an unknown one is a slip of (`wuhuu`: wuhu), of the kind it names; None where none is close
    or SUGGESTED references have had one."""
    if suggested >= SUGGESTED or not known:
        return None
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    # letters swapped count as one slip (hefie: hefei, not heihe), and ids are scored in order: a tie goes to the
    # first, the same on every run (a set's order is not)
    if ordered is None:
        ordered = {}
    if id(known) not in ordered:  # sorted once a kind
        ordered[id(known)] = sorted(known)
    ids = ordered[id(known)]
    found = process.extractOne(target, ids, scorer=OSA.normalized_similarity, score_cutoff=0.75)
    return None if found is None else str(found[0])


def _all_in(value: object, known: set[str]) -> bool:
    """Whether a reference's value is a list of ids all known (False for anything else: read the slow way)."""
    try:
        return type(value) is list and known.issuperset(value)
    except TypeError:  # an item that is no id (a mapping): not this way
        return False


def _check_sector_cycles(m: Merged) -> None:
    parent = {s["id"]: s.get("parent") for s in m.sections["sectors"]}
    for sector in m.sections["sectors"]:
        seen = {sector["id"]}
        node = parent.get(sector["id"])
        while node is not None and node in parent:
            if node in seen:
                m.add(
                    "sectors",
                    sector["id"],
                    ("parent",),
                    N_("the sector hierarchy has a cycle through '{id}'"),
                    id=sector["id"],
                )
                break
            seen.add(node)
            node = parent[node]


def _check_consistency(m: Merged) -> None:
    city_province = {c["id"]: c["province"] for c in m.sections["cities"]}
    regions = {r["id"]: r for r in m.sections["regions"]}
    lookup = lookup_of(m.sections)
    for prov in m.sections["provinces"]:
        if city_province.get(prov["capital"], prov["id"]) != prov["id"]:
            m.add(
                "provinces", prov["id"], ("capital",), N_("capital '{id}' lies in another province"), id=prov["capital"]
            )
        macro = regions.get(prov["macro_region"] or "")
        if macro is not None and macro["kind"] != "macro_region":
            m.add("provinces", prov["id"], ("macro_region",), N_("'{id}' is not a macro_region"), id=macro["id"])
    seen_codes: dict[str, str] = {}
    for city in m.sections["cities"]:
        first = seen_codes.setdefault(city["code"], city["id"])
        if first != city["id"]:
            m.add(
                "cities",
                city["id"],
                ("code",),
                N_("code {code} is also the code of city '{id}'"),
                code=city["code"],
                id=first,
            )
    for region in m.sections["regions"]:
        for city in region["cities"]:
            if city in city_province and city_province[city] not in region["provinces"]:
                m.add(
                    "regions", region["id"], ("cities",), N_("city '{id}' lies outside the region's provinces"), id=city
                )
    for kind in KINDS.values():  # an entry joins one of its own, never one that itself joins another
        if kind.ref("same_as") is None:
            continue
        held = {e["id"]: e for e in m.sections[kind.section]}
        for e in m.sections[kind.section]:
            target = held.get(e.get("same_as") or "")
            if target is not None and (target.get("same_as") or target is e):
                m.add(
                    kind.section,
                    e["id"],
                    ("same_as",),
                    N_("'{id}' must be an entry of its own, not one folded into another"),
                    id=target["id"],
                )
    for cl in m.sections["clusters"]:
        if not (cl.get("region") or cl.get("provinces") or cl.get("cities") or cl.get("parks")):
            m.add("clusters", cl["id"], (), N_("a cluster needs a place: region, provinces, cities or parks"))
        places = {city_province[c] for c in cluster_cities(lookup, cl)}  # references are whole here
        if cl.get("provinces") and not places <= set(cl["provinces"]):
            m.add("clusters", cl["id"], ("cities",), N_("its cities and parks lie outside its provinces"))
        attributed = regions.get(cl.get("region", ""))
        if attributed is not None and not (places | set(cl.get("provinces", []))) <= set(attributed["provinces"]):
            m.add(
                "clusters", cl["id"], ("region",), N_("its places lie outside the region '{id}'"), id=attributed["id"]
            )
    park_city = {p["id"]: p["city"] for p in m.sections["parks"]}
    for st in m.sections["statistics"]:  # the places a figure names nest, as a cluster's do
        field, where = ("city", st.get("city")) if st.get("city") else ("park", park_city.get(st.get("park") or ""))
        province = city_province.get(where or "")
        if st.get("province") and province is not None and province != st["province"]:
            m.add(
                "statistics",
                st["id"],
                (field,),
                N_("{kind} '{id}' lies outside the province '{province}'"),
                kind=Word(KIND_WORDS.get(field, field)),
                id=st[field],
                province=st["province"],
            )
        attributed = regions.get(st.get("region") or "")
        named = {p for p in (province, st.get("province")) if p}
        if attributed is not None and not named <= set(attributed["provinces"]):
            m.add("statistics", st["id"], ("region",), N_("its places lie outside the region '{id}'"), id=st["region"])
    _check_locators(m)
    _check_designations(m)
    check_figures(m)


def _locator_source(m: Merged, section: str, entry: dict[str, Any], locator: dict[str, Any]) -> str | None:
    """The source a locator points into: its own `source`, else the entry's own source where that
    source lists its sections, else the primary source of the entry's pack."""
    if locator.get("source"):
        return str(locator["source"])
    own = m.sources().get(entry.get("source") or "")
    if own and own.get("sections"):
        return str(own["id"])
    pack, _ = m.at(section, entry["id"])
    primary = pack.data.get("meta", {}).get("primary_source")
    return str(primary) if primary else None


def _check_locators(m: Merged) -> None:
    """Every entry that carries facts says where they stand, in a source that exists.

    A section-and-paragraph locator names a section its source has and a paragraph that section has;
    a locator in a pack without a primary source must name its source.
    """
    sources = m.sources()
    for section in citing_sections():
        for entry in m.sections[section]:
            for field, locator in _locators(entry):
                source_id = _locator_source(m, section, entry, locator)
                if source_id is None:
                    m.add(
                        section,
                        entry["id"],
                        field,
                        N_("the locator names no source, and its pack has no primary source"),
                    )
                    continue
                source = sources.get(source_id)
                if source is None or "section" not in locator or not source.get("sections"):
                    continue  # an unknown source is reported with the references
                counts = {s["heading"]: s["paragraphs"] for s in source["sections"]}
                if locator["section"] not in counts:
                    message = N_("section '{section}' is not a section of the source '{id}'")
                    m.add(section, entry["id"], field, message, section=locator["section"], id=source["id"])
                elif locator["paragraph"] > counts[locator["section"]]:
                    message = N_("'{section}' has {has} paragraphs, not {paragraph}")
                    has, paragraph = counts[locator["section"]], locator["paragraph"]
                    m.add(
                        section, entry["id"], field, message, section=locator["section"], has=has, paragraph=paragraph
                    )


def _locators(entry: dict[str, Any]) -> Iterator[tuple[tuple[Any, ...], dict[str, Any]]]:
    """(field path, locator) for an entry's locator, its further sources and its designations."""
    if entry.get("locator"):
        yield ("locator",), entry["locator"]
    for i, locator in enumerate(entry.get("also_in", [])):
        yield ("also_in", i), locator
    for i, designation in enumerate(entry.get("designations", [])):
        yield ("designations", i, "locator"), designation["locator"]


def _check_designations(m: Merged) -> None:
    """A designation names a batch its list has, cites a source that names the list's members, and no
    list or batch holds more members than its sources say it has."""
    lists = {d["id"]: d for d in m.sections["designations"]}
    sources = m.sources()
    held: dict[tuple[str, str | None], int] = {}
    for d in lists.values():
        stated = [b["members"] for b in d["batches"]]
        if d["members"] is not None and None not in stated and sum(stated) != d["members"]:
            message = N_("its batches have {sum} members, not {members}")
            m.add("designations", d["id"], ("batches",), message, sum=sum(stated), members=d["members"])
    for cl in m.sections["clusters"]:
        for i, des in enumerate(cl.get("designations", [])):
            listed = lists[des["list"]]
            if des["batch"] not in {b["batch"] for b in listed["batches"]}:
                batches = ", ".join(b["batch"] for b in listed["batches"])
                m.add(
                    "clusters",
                    cl["id"],
                    ("designations", i, "batch"),
                    N_("'{id}' has no batch '{batch}' (it has: {batches})"),
                    id=listed["id"],
                    batch=des["batch"],
                    batches=batches,
                )
            source_id = _locator_source(m, "clusters", cl, des["locator"])
            source = sources.get(source_id or "")
            if source is not None and des["list"] not in source.get("lists", []):
                m.add(
                    "clusters",
                    cl["id"],
                    ("designations", i, "locator"),
                    N_("the source '{id}' does not name members of '{list}' (see its `lists`)"),
                    id=source["id"],
                    list=des["list"],
                )
            for key in ((des["list"], None), (des["list"], des["batch"])):
                held[key] = held.get(key, 0) + 1
    for d in lists.values():
        limits: list[tuple[tuple[str, str | None], int | None]] = [((d["id"], None), d["members"])]
        limits += [((d["id"], b["batch"]), b["members"]) for b in d["batches"]]
        for key, limit in limits:
            if limit is not None and held.get(key, 0) > limit:
                message = (
                    N_("{n} clusters name the list, which has only {limit}")
                    if key[1] is None
                    else N_("{n} clusters name batch '{batch}', which has only {limit}")
                )
                m.add("designations", d["id"], ("members",), message, n=held[key], batch=key[1], limit=limit)
