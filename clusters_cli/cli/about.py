"""The commands about the knowledge base and the tool: info, validate and schema (recorded in the same
registry, after the lookups of commands.py and before the analyst's commands).

Split from commands.py by size only; the same rules hold: one small function per command, a view to build, a
format to print.
"""

from typing import Annotated

import typer

from ..errors import UsageProblem
from ..i18n import _, list_sep
from ..sanitize import clean_line, clean_one_line
from .completion import complete_schema_kind
from .options import (
    DataOpt,
    ExactOpt,
    JsonOpt,
    NoColorOpt,
    NoShippedOpt,
    Settings,
)
from .printing import build, emit, say_stand_ins
from .registry import command
from .runtime import say, shipped_hint


@command()
def info(
    ctx: typer.Context,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    no_shipped: NoShippedOpt = False,
    no_color: NoColorOpt = False,
    exact: ExactOpt = False,
) -> None:
    """The knowledge base in use: version, packs, counts and sources.

    \b
    Example: clusters info
    """
    settings = Settings.of(ctx, data, no_shipped, no_color, exact)
    from ..views.info import info_view

    emit(settings, build(settings, info_view), "json" if json_out else "table")


@command()
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[str] | None,
        typer.Argument(metavar="[PATH]...", help=_("Packs to check with the others in use."), show_default=False),
    ] = None,
    json_out: JsonOpt = False,
    data: DataOpt = None,
    no_shipped: NoShippedOpt = False,
    no_color: NoColorOpt = False,
    exact: ExactOpt = False,
) -> None:
    """Check knowledge-base packs: YAML, schema, ids, references, RMB/USD figures.

    Exit 0 when valid, 3 when not, listing every problem with file and line.

    \b
    Example: clusters validate data/clusters.yaml
    """
    settings = Settings.of(ctx, data, no_shipped, no_color, exact)
    from ..errors import ExitCode, InvalidKnowledgeBase
    from ..render.parts import counts_text
    from ..views.validation import validation_view

    say_stand_ins([*settings.data, *(paths or [])], settings.shipped)
    view, problems, warnings = validation_view([*settings.data, *(paths or [])], settings.shipped)
    if json_out:
        emit(settings, view, "json")
        if problems:
            raise typer.Exit(ExitCode.INVALID_KB)
    elif problems:
        # its summary names the file(s) the problems are in
        raise shipped_hint(InvalidKnowledgeBase(view["file"], problems), settings.shipped)
    else:
        for warning in warnings:
            say(clean_one_line(_("clusters: warning: {problem}").format(problem=warning.shown()), 400))
        total = sum(view["counts"].values())
        counts = counts_text(view["counts"])
        folded = view.get("folded", 0)
        if folded:  # entries a `same_as` joins to another: in the files, not among the entities
            counts += _("; {folded} of them join another entry by same_as").format(folded=folded)
        shown = list_sep().join(clean_line(_shown(f)) for f in view["files"])  # a name's line break: a space
        say(_("{files}: valid ({total} entries: {counts})").format(files=shown, total=total, counts=counts))


def _shown(path: str) -> str:
    """A pack's path as a person reads it: relative to the current folder when it lies inside it."""
    import os

    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive
        return path
    return path if relative.startswith("..") else relative


@command()
def schema(
    kind: Annotated[
        str | None,
        typer.Argument(
            metavar="[KIND]",
            autocompletion=complete_schema_kind,
            help=_("A document kind (province, list, map...), or `input` for the packs' schema."),
            show_default=False,
        ),
    ] = None,
) -> None:
    """The published contract: the JSON Schema of a command's --json document, or of a pack (`input`).

    Without KIND, the kinds there are, one a line.

    \b
    Example: clusters schema province
             clusters schema map > map.schema.json
             clusters schema input
    """
    import json
    import sys

    from ..views.schemas import DOCUMENTS, output_schema

    if kind is None:
        sys.stdout.write("".join(f"{k}\n" for k in [*DOCUMENTS, "input"]))
        return
    chosen = kind.strip().lower()
    if chosen == "input":
        from ..paths import schema_path

        sys.stdout.write(schema_path().read_text(encoding="utf-8"))
        return
    if chosen not in DOCUMENTS:
        raise UsageProblem(
            _("no schema named '{kind}'; choose from: {value}").format(
                kind=kind[:40], value=list_sep().join([*DOCUMENTS, "input"])
            )
        )
    sys.stdout.write(json.dumps(output_schema(chosen), ensure_ascii=False, indent=2) + "\n")
