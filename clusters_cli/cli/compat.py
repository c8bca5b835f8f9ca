"""What the command line needs beyond Typer's documented API, in one place, each piece pinned by a test.

Start-up: two measured workarounds keep a command's start near `import typer`, and one its end (5).

Both are called from `main()` only, never on import, so a process that imports the package (a notebook,
the tests) keeps its own garbage-collector settings and its full Typer app.

1. `paused_collector()`: importing Typer, its vendored Click and our commands creates tens of thousands of
   objects that live until the process exits; the cyclic collector's passes over them while they are
   imported find nothing to free and cost 10-20 ms of each start (benchmarks/run.py). Collection pauses
   while the CLI is imported; what was imported is then frozen (never scanned again) and collection
   resumes, so a long command (export, a cache build) still reclaims its cycles.
2. `command_word(args)`: Typer turns every registered command into a Click command on each start
   (~7 ms for our 21). The word that names the command is read here from the arguments, past the group's
   own options, so that only that command is registered; anything unusual returns None and every command
   is built, so the real parse reports it as it would have.

Both are plain Python over public behaviour (gc, Typer's `command()` registration).

3. `click_errors()`: Typer vendors Click (since 0.26) and exports one of its exceptions, `BadParameter`.
   Its bases are the vendored `UsageError` and `ClickException`, the classes the parser raises for a bad
   option or a missing argument; the exit door catches them to print one line in our voice instead of
   Typer's usage block. They are read from that public class, never imported from Typer's private vendored package.
4. `narrow_help_context()`: help that fits a 40-column terminal.
5. `frozen_at_exit()`: as the interpreter shuts down it runs the collector once more over everything a run
   made, to free what the operating system frees anyway as the process ends: 2-4 ms of a page of `list
   cities` or of `stats`, about a fortieth of their time (30 runs each, alternated). An exit hook freezes
   everything first; registered once per process, however many commands it runs, whose cycles are collected
   as usual until then. Called from `main()` only, as 1 and 2 are: a process that imports the package exits
   as it would have. What it gives up: a cycle still alive at the exit is never collected, so no finalizer of
   it runs then. The tool leaves nothing to one: its files, connections and child processes are closed,
   removed and reaped where they are used, before the exit.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from ..i18n import N_

if TYPE_CHECKING:
    import typer

# the group's options that take a value (`--data PATH`); the others are flags
GROUP_OPTIONS_WITH_VALUE = frozenset({"--data", "--lang"})


def paused_collector() -> contextlib.AbstractContextManager[None]:
    """Import with the cyclic collector paused, then freeze what was imported and resume collecting."""
    from ..collector import collector_paused

    return collector_paused(freeze=True)


def frozen_at_exit() -> None:
    """At the process's exit, everything alive frozen before the interpreter's last collection (item 5)."""
    import atexit
    import gc

    atexit.unregister(gc.freeze)  # once, however many times main() runs in the process
    atexit.register(gc.freeze)


def command_word(args: Sequence[str], commands: Sequence[str]) -> str | None:
    """The command `args` invoke, if they name one of `commands` after the group's options; else None."""
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            return None
        if word in GROUP_OPTIONS_WITH_VALUE:
            i += 2
            continue
        if word.startswith("-"):
            i += 1  # a flag, or --data=PATH
            continue
        return word if word in commands else None
    return None


def lang_first(args: Sequence[str]) -> list[str]:
    """The arguments with every `--lang` moved before the command (`province Anhui --lang zh` as `--lang zh
    province Anhui`; it was 'No such option'), as --data may stand on either side; nothing after `--` moves."""
    moved: list[str] = []
    kept: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            kept += args[i:]
            break
        if word == "--lang":  # with its value; without one (last), as an empty one: the option's own error
            moved += args[i : i + 2] if i + 1 < len(args) else ["--lang="]
            i += 2
            continue
        (moved if word.startswith("--lang=") else kept).append(word)
        i += 1
    return [*moved, *kept]


def lang_missing(args: Sequence[str], commands: Sequence[str]) -> bool:
    """Whether a `--lang` stands with no value: last, or before another option or a command's name
    (`clusters --lang province Anhui` took `province` for the language and said "No such command 'Anhui'";
    `province Anhui --lang` said "--lang '' is not one of: zh, en")."""
    for i, word in enumerate(args):
        if word == "--":
            break
        if word == "--lang":
            value = args[i + 1] if i + 1 < len(args) else None
            if value is None or value.startswith("-") or value in commands:
                return True
    return False


def lang_flag(args: Sequence[str]) -> str | None:
    """The value of a `--lang` (`--lang zh` or `--lang=zh`), before the command or after it, if valid."""
    for i, word in enumerate(args):
        if word == "--":
            break
        value = args[i + 1] if word == "--lang" and i + 1 < len(args) else word.removeprefix("--lang=")
        if (word == "--lang" or word.startswith("--lang=")) and value in ("zh", "en"):
            return value
    return None


@cache
def click_errors() -> tuple[type[Exception], type[Exception]]:
    """(UsageError, ClickException) of the Click that Typer runs on, found among typer.BadParameter's bases."""
    import typer

    bases = {cls.__name__: cls for cls in typer.BadParameter.__mro__}
    return bases["UsageError"], bases["ClickException"]


HELP_LINE = N_("Show this message and exit.")

# the help of the options Typer adds, which it writes in English: translated where the help is written
TYPER_HELP = frozenset(
    {
        HELP_LINE,
        N_("Install completion for the current shell."),
        N_("Show completion for the current shell, to copy it or customize the installation."),
    }
)

# Click's usage errors as its vendored copy words them in English (it has no catalog): each pattern and the
# marked template it is said by; a message none matches is shown as Click wrote it
_CLICK_USAGE = (
    (
        r"No such command '(?P<name>.*)'\. Did you mean (?P<names>.*)\?",
        N_("No such command '{name}'. Did you mean {names}?"),
    ),
    (r"No such command '(?P<name>.*)'\.", N_("No such command '{name}'.")),
    (
        r"No such option: (?P<name>-\S+?)\.?(?: Did you mean | \(Possible options: )(?P<names>.*?)(?:\?|\))",
        N_("No such option: {name}. Did you mean {names}?"),
    ),
    (r"No such option: (?P<name>-\S+?)\.?", N_("No such option: {name}")),
    (r"Missing argument (?P<hint>.*)\.", N_("Missing argument {hint}.")),
    (r"Missing option (?P<hint>.*)\.", N_("Missing option {hint}.")),
    (r"Missing parameter (?P<hint>.*)\.", N_("Missing parameter {hint}.")),
    (r"Missing command\.", N_("Missing command.")),
    (r"Got unexpected extra argument(?:\(s\))? \((?P<args>[^ ]*)\)", N_("Got an unexpected extra argument ({args})")),
    (r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)", N_("Got unexpected extra arguments ({args})")),
    (r"Option '(?P<name>.*)' requires an argument\.", N_("Option '{name}' requires an argument.")),
    (r"Option '(?P<name>.*)' does not take a value\.", N_("Option '{name}' does not take a value.")),
    (r"Invalid value for (?P<hint>.*?): (?P<detail>.*)", N_("Invalid value for {hint}: {detail}")),
)
# what a value's check says, inside "Invalid value for ...: "
_CLICK_VALUES = (
    (r"(?P<value>'.*') is not a valid float(?: range)?\.", N_("{value} is not a valid number.")),
    (r"(?P<value>'.*') is not a valid int(?:eger)?(?: range)?\.", N_("{value} is not a valid integer.")),
    (r"(?P<value>'.*') is not a valid boolean\.(?: Recognized values: .*)?", N_("{value} is not a valid boolean.")),
    (r"(?P<value>.*) is not in the range (?P<range>.*)\.", N_("{value} is not in the range {range}.")),
    (r"(?P<value>'.*') is not one of (?P<choices>.*)\.", N_("{value} is not one of {choices}.")),
    (r"(?P<value>'.*') is not (?P<choices>.*)\.", N_("{value} is not {choices}.")),
    # Typer 0.29 checks values its own way, and words them so
    (r"Input should be a valid number, unable to parse string as a number", N_("it must be a number.")),
    (r"Input should be a valid integer, unable to parse string as an integer", N_("it must be a whole number.")),
    (r"Input should be greater than or equal to (?P<n>\S+)", N_("it must be at least {n}.")),
    (r"Input should be less than or equal to (?P<n>\S+)", N_("it must be at most {n}.")),
    (r"Input should be greater than (?P<n>\S+)", N_("it must be more than {n}.")),
    (r"Input should be less than (?P<n>\S+)", N_("it must be less than {n}.")),
)


# where Click parts a list of quoted choices or commands ('a', "it's"), or of options (--a, --b)
_LISTED = r"(?<=['\"]), (?=['\"])|(?<=\w), (?=-)"


def usage_message(message: str) -> str:
    """A usage error of Click's (English, as its vendored copy words them) in the run's language."""
    import re

    from ..i18n import _, list_sep

    def said(text: str, table: tuple[tuple[str, str], ...]) -> str | None:
        for pattern, template in table:
            found = re.fullmatch(pattern, text, flags=re.DOTALL)
            if found:
                values = found.groupdict()
                if "detail" in values:  # Typer 0.29 puts "Value error, " before a value's message
                    detail = values["detail"].removeprefix("Value error, ")
                    values["detail"] = said(detail, _CLICK_VALUES) or detail
                for listed in ("names", "choices"):  # Click parts them with ", ": in Chinese, 、 (choices and
                    if listed in values:  # commands are quoted: only a ", " between two quotes parts them)
                        values[listed] = list_sep().join(re.split(_LISTED, values[listed]))
                return _(template).format(**values)
        return None

    return said(message.strip(), _CLICK_USAGE) or message


@cache
def summarise_in_chinese(group: Any, ctx: Any, width: int) -> None:
    """Give each of a group's commands its line of the command list in Chinese (Click's `short_help`). Click cuts
    a summary at a space, which a Chinese sentence has none of: 16 of 20 commands read "..." alone at 40 columns.
    The limit is Click's own at this width (what the help leaves after the longest command's name)."""
    named = [(name, group.get_command(ctx, name)) for name in group.list_commands(ctx)]
    limit = max(10, width - 6 - max((len(name) for name, _cmd in named), default=0))
    for _name, cmd in named:
        if cmd is not None and cmd.help:
            cmd.short_help = chinese_summary(cmd.help, limit)


def chinese_summary(text: str | None, cells: int) -> str | None:
    """A command's line in the list of commands, in Chinese: the first sentence, or where it is longer than
    `cells`, its clauses up to the last 、，；： that fits, then "…"."""
    if not text:
        return None
    from rich.cells import cell_len  # help is being written: Rich is loaded for it anyway (write_dl)

    first = text.split("\n\n")[0].replace("\n", "").split("。")[0].strip()
    if cell_len(first) <= cells:
        return first
    cut, used = 0, 0
    while used + cell_len(first[cut]) <= cells - 2:
        used += cell_len(first[cut])
        cut += 1
    mark = max(first.rfind(m, 0, cut) for m in "、，；：")
    return (first[:mark] if mark > 0 else first[:cut]) + "…"


def narrow_help_context() -> type[typer.Context]:
    """typer.Context whose help formatter gives option names at most two fifths of a narrow terminal (Click's
    formatter gives them up to 30 columns, which left a 40-column terminal 8 for what each option does).

    Built on the public `typer.Context`, its documented `formatter_class` and the formatter's `write_dl`."""
    import typer

    base: Any = typer.Context.formatter_class

    from ..i18n import _

    class NarrowFormatter(base):  # type: ignore[misc, valid-type]
        def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
            # the help option's line, which Typer's Click writes in English, in the run's language
            rows = [(term, _(text) if text in TYPER_HELP else text) for term, text in rows]
            col_max = min(col_max, max(10, self.width * 2 // 5))
            if all(term.isascii() and text.isascii() for term, text in rows):
                super().write_dl(rows, col_max=col_max, col_spacing=col_spacing)
                return
            # Click counts characters and breaks only at spaces: a Chinese character takes two cells, and
            # Chinese has no spaces, so its lines ran past the terminal and split words where it wrapped them
            from rich.cells import cell_len

            from ..render.grid import wrap

            first = min(max((cell_len(term) for term, _text in rows), default=0), col_max) + col_spacing
            room = max(self.width - first - self.current_indent, 10)
            for term, text in rows:
                self.write(f"{'':>{self.current_indent}}{term}")
                if not text:
                    self.write("\n")
                    continue
                if cell_len(term) <= first - col_spacing:
                    self.write(" " * (first - cell_len(term)))
                else:
                    self.write("\n" + " " * (first + self.current_indent))
                lines = wrap(" ".join(text.split()), room)
                self.write(lines[0] + "\n")
                for line in lines[1:]:
                    self.write(f"{'':>{first + self.current_indent}}{line}\n")

        def write_text(self, text: str) -> None:
            if text.isascii():
                super().write_text(text)
                return
            from ..render.grid import wrap  # by terminal cells, as write_dl

            indent = " " * self.current_indent
            for at, paragraph in enumerate(text.split("\n\n")):
                if at:  # a blank line between paragraphs, none after the last (as Click writes English)
                    self.write("\n")
                if paragraph.startswith("\b\n"):  # Click's mark for a paragraph kept as written
                    self.write("".join(f"{indent}{line}\n" for line in paragraph[2:].splitlines()))
                else:
                    lines = wrap(" ".join(paragraph.split()), max(self.width - self.current_indent, 11))
                    self.write("".join(f"{indent}{line}\n" for line in lines))

        def write_heading(self, heading: str) -> None:
            # "Options:", and in Chinese 选项： with the full-width colon Chinese text takes
            colon = _(":")
            self.write(f"{'':>{self.current_indent}}{heading}{colon}\n")

        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, prefix=_("Usage: ") if prefix is None else prefix)

    class NarrowContext(typer.Context):
        formatter_class = NarrowFormatter

    return NarrowContext
