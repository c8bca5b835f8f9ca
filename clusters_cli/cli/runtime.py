"""The one runtime at the edge: the streams and the exit door (printing a view: printing.py).

Commands raise; `ClustersGroup.main` is the only place that turns an
exception into a message on stderr and a named exit code (errors.ExitCode),
for the console script and for CliRunner alike. Data goes to stdout; every
message (errors, "wrote ...", warnings) goes to stderr.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Sequence
from typing import Any

from typer import Abort, Exit
from typer.core import TyperGroup

from ..errors import ClustersError, ExitCode, InvalidKnowledgeBase
from ..i18n import _, list_sep, zh
from ..sanitize import clean, clean_line, clean_one_line


def say(message: str) -> None:
    """A message for the person, never the data: stderr. It may quote a path or a pack's text, so it is
    cleaned of escape sequences and control characters (its line breaks and tabs kept), whoever wrote it."""
    sys.stderr.write(clean(message) + "\n")


def report(error: ClustersError) -> None:
    """An expected failure on stderr, most important line last. A pack's one problem that is its file's as a
    whole (no line, no entry: no such file, a folder, too large) is the error's one line: `--data nope.yaml`
    said the problem, then that the knowledge base was invalid."""
    message = clean_line(str(error))  # it may quote a path or a query: never a control character
    if isinstance(error, InvalidKnowledgeBase):
        whole = error.problems[0] if len(error.problems) == 1 else None
        if whole is not None and whole.line is None and not whole.entry:
            message = clean_line(whole.shown())
        else:
            for problem in error.problems[:PROBLEMS_SHOWN]:  # a problem quotes a pack's text: no control character
                say("  " + clean_line(problem.shown()))
            if len(error.problems) > PROBLEMS_SHOWN:
                say("  " + _more_problems(error.problems[PROBLEMS_SHOWN:]))
    from ..errors import NoMatches

    say(message if isinstance(error, NoMatches) else _("clusters: error: {message}").format(message=message))
    if isinstance(error, InvalidKnowledgeBase) and error.hint:
        say(clean_line(error.hint))


# the problems of a broken knowledge base listed on stderr; the rest are counted, file by file (validate --json
# lists every one)
PROBLEMS_SHOWN = 200


def _more_problems(rest: list[Any]) -> str:
    """The line counting the problems not listed, in each file where they are in several (a small pack's one
    problem after a large pack's thousands was said nowhere but in the total), and where to read them all."""
    counts: dict[str, int] = {}
    for problem in rest:
        counts[problem.path] = counts.get(problem.path, 0) + 1
    if len(counts) == 1:
        return _("... and {n} more; `clusters validate --json` lists every one").format(n=f"{len(rest):,}")
    files = list_sep().join(f"{clean_one_line(path, 200)} {n:,}" for path, n in counts.items())
    return _("... and {n} more ({files}); `clusters validate --json` lists every one").format(
        n=f"{len(rest):,}", files=files
    )


def _repeats_hint(error: InvalidKnowledgeBase) -> InvalidKnowledgeBase:
    """The error, with a hint where one's own packs, read with the shipped ones, repeat their ids: a knowledge
    base of one's own given without --no-shipped was thousands of duplicate ids and no word of the flag."""
    from ..paths import shipped_packs

    shipped = shipped_packs()
    repeats = sum(
        1
        for p in error.problems
        if p.template == "duplicate id (also {where})"
        and p.path not in shipped
        and any(str(p.values.get("where", "")).startswith(f"{path}: ") for path in shipped)
    )
    if repeats:
        error.hint = _(
            "hint: {n} of your entries repeat ids the shipped packs define; --no-shipped reads a knowledge base of"
            " your own alone"
        ).format(n=f"{repeats:,}")
    return error


def shipped_hint(error: InvalidKnowledgeBase, shipped: bool | None) -> InvalidKnowledgeBase:
    """The error, with a hint where a run reading only one's own packs (--no-shipped) refused a reference the
    shipped packs define ('unknown province 'anhui'' said nothing of the flag that left Anhui out)."""
    from ..paths import env_flag

    if shipped or (shipped is None and not env_flag("CLUSTERS_NO_SHIPPED")):
        return _repeats_hint(error)
    unknown = [str(p.values.get("id")) for p in error.problems if p.template == "unknown {kind} '{id}'"]
    if not unknown:
        return error
    from ..model import KINDS
    from ..paths import shipped_packs
    from ..store.cache import load_kb

    try:
        kb = load_kb(shipped_packs(), shipped=False)
    except ClustersError:  # the shipped packs cannot be read either: nothing to say of them
        return error
    try:
        held = [ident for ident in dict.fromkeys(unknown) if any(kb.get(kind, ident) for kind in KINDS)]
    finally:
        kb.conn.close()  # and the build's lock with it (store/buildfiles.read_held)
    if held:
        error.hint = _("hint: the shipped packs define {ids}; leave out --no-shipped to read them with yours").format(
            ids=list_sep().join(f"'{ident}'" for ident in held[:5])
        )
    return error


def _usage(error: Any, args: Sequence[str] = ()) -> None:
    """Click's usage errors in our own voice, on one line with the help to read (Click gives two): the
    command's, also where Click's error carries no context (an option missing its value: `stats --series`)."""
    from .compat import command_word, usage_message
    from .registry import HOMES

    ctx = getattr(error, "ctx", None)
    word = command_word(args, list(HOMES)) if ctx is None else None
    command = ctx.command_path if ctx is not None else "clusters" + (f" {word}" if word else "")

    message = clean_one_line(usage_message(error.format_message()), 300)
    if zh() and '"' not in message:  # Click quotes what it names ('NAME', '--sector') as English does: Chinese
        # quotes as ours are (a value holding a quote Click writes in double quotes, and it is left as typed)
        import re

        message = re.sub(r"(?<![A-Za-z0-9_'])'([^'\s][^']*)'(?![A-Za-z0-9_'])", r"“\1”", message)
    from ..i18n import quotes_set

    said = _("clusters: error: {message} (try '{command} --help')").format(message=message, command=command)
    say(quotes_set(said))


def silence_stdout() -> None:
    """Point stdout at /dev/null, so the final flush cannot fail on a closed pipe."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class OutputFailed(OSError):
    """Standard output would not take what was written (a full disk, a device that refuses it): said on one
    line as a usage problem, as an `-o` file that cannot be written is. A reader that closed the pipe early
    (BrokenPipeError) is not this: the run ends quietly."""


class _Output(io.TextIOWrapper):
    """The process's standard output, its failures to write raised as OutputFailed: whoever writes (a view,
    Rich, the csv module, Click's help), the exit door tells them from any other OSError."""

    def write(self, text: str) -> int:
        try:
            return super().write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputFailed(error.errno, error.strerror) from None

    def flush(self) -> None:
        try:
            super().flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputFailed(error.errno, error.strerror) from None


class _Closed(io.TextIOBase):
    """Standard output where its descriptor was closed: anything written is refused as OutputFailed (EBADF),
    so `export -o - >&-` says it could not write instead of reporting an export nobody received."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        import errno

        if not text:
            return 0
        raise OutputFailed(errno.EBADF, os.strerror(errno.EBADF))


def _output_failed(error: OutputFailed) -> ExitCode:
    """Say that standard output cannot be written, and let nothing more be written to it (the exit's flush of
    what it still holds would fail again)."""
    from ..errors import why_not

    silence_stdout()
    say(_("clusters: error: cannot write to standard output: {reason}").format(reason=why_not(error)))
    return ExitCode.USAGE


def configure_streams() -> None:
    """Never crash on encoding: unencodable characters degrade to escapes. The process's own standard output is
    written through _Output (once: not a stream a caller put in its place, such as a test runner's)."""
    out = sys.stdout
    if out is not None and out is sys.__stdout__ and type(out) is io.TextIOWrapper:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            out.flush()
            sys.stdout = _Output(
                out.buffer,
                encoding=out.encoding,
                errors="backslashreplace",
                newline=None,  # as Python opens it: "\n" written as the system ends a line (\r\n on Windows)
                line_buffering=out.line_buffering,
                write_through=out.write_through,
            )
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:  # the descriptor was closed (`clusters ... >&-`)
            # data written there is lost: said as a full disk is (exit 2), never a success; messages are dropped
            closed = _Closed() if name == "stdout" else open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
            setattr(sys, name, closed)
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


class ClustersGroup(TyperGroup):
    """The Typer group with the one exit door."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        # help fits the terminal however narrow (Click stops at 50 columns), and stays at most 78 wide as
        # Click keeps it; subcommands inherit it
        import shutil

        from .compat import narrow_help_context

        self.context_class = narrow_help_context()
        extra.setdefault("terminal_width", max(20, min(shutil.get_terminal_size().columns, 80) - 2))
        return super().make_context(info_name, args, parent, **extra)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        if zh():  # Click cuts a summary at a space, which Chinese has none of ("..." alone)
            from .compat import summarise_in_chinese

            summarise_in_chinese(self, ctx, formatter.width)
        super().format_commands(ctx, formatter)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        from .compat import narrow_help_context

        command = super().get_command(ctx, cmd_name)
        if command is not None:  # its help is laid out like the group's
            command.context_class = narrow_help_context()
        return command

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        from .compat import click_errors, lang_first, lang_missing
        from .registry import HOMES

        usage_error, click_exception = click_errors()
        configure_streams()
        given = sys.argv[1:] if args is None else list(args)
        if lang_missing(given, list(HOMES)):
            say(_("clusters: error: --lang needs a value: zh or en"))
            if standalone_mode:
                sys.exit(int(ExitCode.USAGE))
            return int(ExitCode.USAGE)
        args = lang_first(given)
        try:
            result = super().main(args, prog_name or "clusters", complete_var, standalone_mode=False, **extra)
            code = result if isinstance(result, int) else ExitCode.OK
            sys.stdout.flush()  # what it still holds: a failure to write it is said here, not at the exit
        except ClustersError as error:
            report(error)
            code = error.exit_code
        except usage_error as error:
            if args is not None and not list(args):  # `clusters` alone: the help, as Typer shows it
                error.show()  # type: ignore[attr-defined]
            else:
                _usage(error, args)
            code = ExitCode.USAGE
        except click_exception as error:
            say(_("clusters: error: {message}").format(message=clean_one_line(error.format_message(), 300)))  # type: ignore[attr-defined]
            code = error.exit_code  # type: ignore[attr-defined]
        except Exit as done:
            code = done.exit_code
        except (Abort, KeyboardInterrupt):
            say("")
            code = ExitCode.INTERRUPTED
        except BrokenPipeError:  # the reader went away (`| head -1`): stop quietly
            silence_stdout()
            code = ExitCode.OK
        except OutputFailed as error:
            code = _output_failed(error)
        if standalone_mode:
            sys.exit(int(code))
        return int(code)

    def invoke(self, ctx: Any) -> Any:
        from ..collector import collector_paused

        # a command runs with the collector paused, from building its view to printing it: the view's objects
        # live until then, and a pass between the two scanned every row for nothing (0.2 s at the end of a list
        # of 318,000 cities). Nothing is frozen: what the command leaves (its knowledge base, which holds its own
        # cycle) is collected after it, in a process that runs many commands too
        try:
            with collector_paused():
                return super().invoke(ctx)
        except BrokenPipeError:  # before Typer turns it into exit 1
            silence_stdout()
            raise Exit(ExitCode.OK) from None
