"""Shell completion: what a user may type after a command, from the knowledge base and the model.

No `from __future__ import annotations` here: Typer tells a completion function's parameters (a
Context, the incomplete word) by their annotations, which must be real types.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterator, MutableMapping
from typing import Any

import typer

from ..i18n import N_, _
from ..model import KINDS

# a name a shell could take apart: quotes, spaces, backslashes, $, `... (`Lu'an`): offered by its id instead
_SHELL_SAFE = r"[\w.·-]+"


# what a description of a completion may hold of a pack's text: letters and digits of any script, spaces and a
# few marks. The description is written into the shell's completion (zsh evaluates it: a name_zh of
# `园\$(touch x)` ran `touch` on a TAB press, Typer's escaping doubling the backslash; a closing backslash
# broke the quoting) and Typer reads Rich markup in it: anything else, a pack's quotes, backslashes, dollars,
# backquotes, colons, brackets, percent signs and control characters, is dropped
_DESCRIPTION_DROPS = r"[^\w ,.·()/+-]+"


def safe_description(text: str) -> str:
    """A pack's text as a completion may describe a candidate with: only what no shell and no Rich reads
    (_DESCRIPTION_DROPS), on one line, cut to 60 characters."""
    return " ".join(re.sub(_DESCRIPTION_DROPS, " ", text).split())[:60]


def _folded(text: str) -> str:
    return re.sub(r"['’\s]", "", text).casefold()


def complete(kind: str) -> Callable[[str], Iterator[tuple[str, str]]]:
    """Shell completion of knowledge-base names, aliases and synonyms for a command's argument.

    A form a shell would split or quote (a space, an apostrophe: `Lu'an`) is offered as the entity's id, which
    is letters, digits and hyphens; a name several entities share (苏州 and 宿州 are both Suzhou) is offered
    once per entity, as its id, with its province in the description.
    """

    def names(incomplete: str) -> Iterator[tuple[str, str]]:
        from ..errors import ClustersError
        from ..store.cache import load_kb
        from ..store.kb import CacheCorrupt

        try:
            kb = load_kb()
            entities = _candidates(kb, kind, incomplete)
        except (ClustersError, CacheCorrupt):
            return
        prefix = _folded(incomplete)

        def by_id(ident: str) -> str:
            # shells and Typer keep only candidates that start with what was typed, case and all, and ids
            # match whatever their case: 'Suz' is offered 'Suzhou-ah', 'to' the id 'toys'
            if ident.casefold().startswith(incomplete.casefold()):
                return incomplete + ident[len(incomplete) :]
            return ident

        found: list[tuple[str, dict[str, object]]] = []
        for entity in entities:
            forms = [
                entity.get("name") or entity.get("metric") or "",
                *entity.get("aliases", []),
                *entity.get("synonyms", []),
                entity.get("short_zh") or entity.get("name_zh") or "",
                entity["id"],
            ]
            matching = [v for v in forms if v and _folded(v).startswith(prefix)]
            if not matching:
                continue
            # the first form offered as typed (starting with what was typed, nothing a shell would split),
            # else the id in the case typed
            as_typed = [v for v in matching if v.startswith(incomplete) and re.fullmatch(_SHELL_SAFE, v)]
            found.append((as_typed[0] if as_typed else by_id(str(entity["id"])), entity))
        times = Counter(v for v, _ in found)
        shared = {v for v, n in times.items() if n > 1}
        seen: set[str] = set()
        for value, entity in found:
            offered = by_id(str(entity["id"])) if value in shared else value
            if offered in seen:
                continue
            seen.add(offered)
            described = str(entity.get("name_zh") or entity.get("name") or entity.get("metric") or "")
            province = kb.get("province", str(entity.get("province") or "")) if value in shared else None
            if province is not None:
                described = f"{entity.get('name')}, {province['name']} {described}".strip()
            yield offered, safe_description(described)

    return names


def _candidates(kb: Any, kind: str, incomplete: str) -> list[dict[str, Any]]:
    """The entities of a kind a completion may offer, in file order: for a word typed, those with a name key that
    starts as its compact form does (KB.keys_with_prefix), not every entity read: each form completion offers
    (name, aliases, synonyms, Chinese names, id) is a name the keys hold, compacted letter by letter (what
    `_folded` keeps of a word, compacting keeps in the same order), so a form starting with the word has a key
    starting with its compact form. Those are then checked as every entity would be."""
    from ..textfold import MAX_QUERY, compact

    key = compact(incomplete)
    if not key or len(key) >= MAX_QUERY:  # nothing to narrow by (or cut): every entity
        return list(kb.all(kind))
    return list(kb.in_file_order(kind, set(kb.keys_with_prefix(kind, key, limit=None))))


def join_option_values(environ: MutableMapping[str, str]) -> None:
    """Bash splits `--sector=wi` into `--sector`, `=`, `wi` (`=` is one of its word breaks); join them back
    in the completion request, so `--sector=wi<TAB>` completes as `--sector wi<TAB>` does. The shell's own
    current word is `wi`, which the candidate replaces."""
    words, cword = environ.get("COMP_WORDS"), environ.get("COMP_CWORD", "")
    if not words or not cword.isdigit():
        return
    tokens = words.split(" ")
    out: list[str] = []
    moved: dict[int, int] = {}  # a token's index before -> after
    i = 0
    while i < len(tokens):
        if tokens[i] == "=" and out and out[-1].startswith("--") and i + 1 < len(tokens):
            out[-1] += "=" + tokens[i + 1]  # the option, its `=` and the value typed so far: one word
            moved[i] = moved[i + 1] = len(out) - 1
            i += 2
            continue
        out.append(tokens[i])
        moved[i] = len(out) - 1
        i += 1
    if len(out) == len(tokens):
        return
    index = int(cword)
    environ["COMP_WORDS"] = " ".join(out)
    environ["COMP_CWORD"] = str(moved.get(index, len(out) + index - len(tokens)))


def complete_choices(*choices: str | tuple[str, str]) -> Callable[[str], Iterator[tuple[str, str]]]:
    """Shell completion of a fixed set of values (--kind, --level, --status, list's KIND...), each a value
    or a (value, what it means) pair."""
    pairs = [c if isinstance(c, tuple) else (c, "") for c in choices]

    def values(incomplete: str) -> Iterator[tuple[str, str]]:
        for value, help_text in pairs:
            if value.startswith(incomplete.lower()):
                yield value, _(help_text) if help_text else ""

    return values


def row_fields(command: str) -> tuple[str, ...] | None:
    """The fields of the rows of a row command other than `list`, read from the typed rows themselves
    (views/types.py, views/analysis_types.py); None for another command."""
    from ..views.analysis_types import RankRow
    from ..views.types import NearRow, SearchHit

    rows: dict[str, Any] = {"search": SearchHit, "near": NearRow, "rank": RankRow}
    return tuple(rows[command].__annotations__) if command in rows else None


def complete_fields(ctx: typer.Context, incomplete: str) -> Iterator[tuple[str, str]]:
    """Shell completion of --fields: the fields of the rows this command prints, after the last comma."""
    from ..errors import ClustersError
    from ..model import kind_named
    from ..store.cache import load_kb
    from ..store.kb import CacheCorrupt
    from ..views.listing import list_row

    command = ctx.info_name or ""
    known = row_fields(command)
    if known is not None:
        fields = list(known)
    else:
        # the KIND argument (under resilient parsing Click may leave it among the unparsed args)
        kind = kind_named(str(ctx.params.get("entity") or (ctx.args[0] if ctx.args else "")))
        if kind is None:
            return
        try:
            kb = load_kb()
            sample = kb.first(kind.name, 1)
        except (ClustersError, CacheCorrupt):
            return
        fields = list(list_row(kb, kind.name, sample[0])) if sample else ["id", "name"]
    done, _, last = incomplete.rpartition(",")
    chosen = set(done.split(",")) if done else set()
    for field in fields:
        if field.startswith(last) and field not in chosen:
            yield (f"{done},{field}" if done else field), ""


def complete_places(incomplete: str) -> Iterator[tuple[str, str]]:
    """Provinces, regions and cities, for compare."""
    from ..model import divisions

    for kind in divisions():
        yield from complete(kind)(incomplete)


def complete_series(incomplete: str) -> Iterator[tuple[str, str]]:
    from ..store.cache import with_recovery
    from ..views.stats import series_rows

    try:
        rows = with_recovery(series_rows)
    except Exception:  # completion never fails loudly
        return
    for row in rows:
        if str(row["id"]).startswith(incomplete) and re.fullmatch(_SHELL_SAFE, str(row["id"])):
            yield str(row["id"]), safe_description(str(row["name"]))


complete_list_kind = complete_choices(*(kind.plural for kind in KINDS.values()), "series")
complete_rank_level = complete_choices("provinces", "cities", "regions")
complete_export_format = complete_choices(
    ("json", N_("one document")),
    ("csv", N_("a folder of files")),
    ("geojson", N_("points")),
    ("sqlite", N_("a database")),
    ("xlsx", N_("a workbook")),
)


complete_geo_layer = complete_choices(
    ("places", N_("cities at their seats")),
    ("parks", N_("parks at their cities")),
    ("companies", N_("firms at their headquarters")),
    ("clusters", N_("a feature per cluster")),
    ("provinces", N_("outlines with counts")),
)


def complete_schema_kind(incomplete: str) -> Iterator[tuple[str, str]]:
    """The document kinds `clusters schema` knows, and `input`."""
    from ..views.schemas import DOCUMENTS

    for kind, (_shape, printed_by) in DOCUMENTS.items():
        if kind.startswith(incomplete):
            yield kind, printed_by  # a command line: the same in every language
    if "input".startswith(incomplete):
        yield "input", _("the knowledge-base packs")
