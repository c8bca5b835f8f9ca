"""The command line: the commands (commands.py, about.py, analyst.py, bulk.py) recorded in one registry
(registry.py), the options they share (options.py), the runtime at the edge (runtime.py: streams, the one
exit door, printing) and the start-up workarounds (compat.py).

Importing this package imports neither Typer nor the commands and changes no interpreter setting; `app`
(every command, for CliRunner and the like) is built when first asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer


def main(args: list[str] | None = None) -> None:
    """Console-script entry point: run `clusters` with `args` (default: sys.argv[1:])."""
    import os
    import sys

    from .compat import command_word, frozen_at_exit, lang_flag, paused_collector

    argv = sys.argv[1:] if args is None else list(args)
    from ..i18n import detect, use

    flag = lang_flag(argv)
    use(detect(flag))  # before the commands are imported: their help is written in the language
    asked = os.environ.get("CLUSTERS_LANG", "").strip()
    completing = any(var.startswith("_CLUSTERS_COMPLETE") for var in os.environ)  # a TAB press: nothing said
    if asked and flag is None and not completing and not asked.lower().startswith(("zh", "en")):  # never quietly
        from ..i18n import _
        from ..sanitize import clean_one_line

        sys.stderr.write(
            _("clusters: warning: CLUSTERS_LANG={value} is neither zh nor en; English is used").format(
                value=clean_one_line(asked, 40)
            )
            + "\n"
        )
    frozen_at_exit()
    with paused_collector():
        from .registry import HOMES, make_app

        if completing:
            from .completion import join_option_values

            join_option_values(os.environ)
        app = make_app(None if completing else command_word(argv, list(HOMES)))
    app(argv, prog_name="clusters")


def __getattr__(name: str) -> Any:
    if name == "app":
        from .registry import make_app

        global app
        app = make_app()
        return app
    raise AttributeError(name)


app: typer.Typer

__all__ = ["app", "main"]
