"""Shell completion: what a user may type after a command, from the knowledge base and the model.

No `from __future__ import annotations` here: Typer tells a completion function's parameters (a
Context, the incomplete word) by their annotations, which must be real types.
"""

from collections.abc import Callable, Iterator

import typer

from ..model import KINDS


def complete(kind: str) -> Callable[[str], Iterator[tuple[str, str]]]:
    """Shell completion of knowledge-base names, aliases and synonyms for a command's argument.

    Forms with spaces are left out (the shell would split them); the id stands in.
    """

    def names(incomplete: str) -> Iterator[tuple[str, str]]:
        from ..errors import ClustersError
        from ..store.cache import load_kb
        from ..store.kb import CacheCorrupt

        try:
            entities = load_kb().all(kind)
        except (ClustersError, CacheCorrupt):
            return
        prefix = incomplete.casefold()
        for entity in entities:
            forms = [
                entity.get("name", ""),
                *entity.get("aliases", []),
                *entity.get("synonyms", []),
                entity.get("short_zh") or entity.get("name_zh") or "",
                entity["id"],
            ]
            for value in forms:
                if value.casefold().startswith(prefix) and " " not in value:
                    # shells keep only candidates that start with what was typed, case and all:
                    # 'to' is offered the id 'toys', not the name 'Toys'
                    if not value.startswith(incomplete) and entity["id"].startswith(incomplete):
                        value = entity["id"]
                    yield value, str(entity.get("name_zh") or entity.get("name", ""))
                    break

    return names


def complete_choices(*choices: str | tuple[str, str]) -> Callable[[str], Iterator[tuple[str, str]]]:
    """Shell completion of a fixed set of values (--kind, --level, --status, list's KIND...), each a value
    or a (value, what it means) pair."""
    pairs = [c if isinstance(c, tuple) else (c, "") for c in choices]

    def values(incomplete: str) -> Iterator[tuple[str, str]]:
        for value, help_text in pairs:
            if value.startswith(incomplete.lower()):
                yield value, help_text

    return values


# the fields of the rows of the row commands other than `list` (views/types.py, views/analysis_types.py)
ROW_FIELDS = {
    "search": ("kind", "id", "name", "name_zh", "province", "score", "why"),
    "near": ("kind", "id", "name", "name_zh", "where", "province", "distance_km", "bearing_deg", "bearing"),
    "rank": ("rank", "id", "name", "name_zh", "clusters", "companies", "parks", "cluster_names", "figures"),
}


def complete_fields(ctx: typer.Context, incomplete: str) -> Iterator[tuple[str, str]]:
    """Shell completion of --fields: the fields of the rows this command prints, after the last comma."""
    from ..errors import ClustersError
    from ..model import kind_named
    from ..store.cache import load_kb
    from ..store.kb import CacheCorrupt
    from ..views.listing import list_row

    command = ctx.info_name or ""
    if command in ROW_FIELDS:
        fields = list(ROW_FIELDS[command])
    else:
        # the KIND argument (under resilient parsing Click may leave it among the unparsed args)
        kind = kind_named(str(ctx.params.get("entity") or (ctx.args[0] if ctx.args else "")))
        if kind is None:
            return
        try:
            kb = load_kb()
            sample = kb.all(kind.name)[:1]
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
        if str(row["id"]).startswith(incomplete):
            yield str(row["id"]), str(row["name"])


complete_list_kind = complete_choices(*(kind.plural for kind in KINDS.values()), "series")
complete_rank_level = complete_choices("provinces", "cities", "regions")
complete_export_format = complete_choices(
    ("json", "one document"),
    ("csv", "a folder of files"),
    ("geojson", "points"),
    ("sqlite", "a database"),
    ("xlsx", "a workbook"),
)


complete_geo_layer = complete_choices(
    ("places", "cities at their seats"),
    ("parks", "parks at their cities"),
    ("companies", "firms at their headquarters"),
    ("clusters", "a feature per cluster"),
    ("provinces", "outlines with counts"),
)
