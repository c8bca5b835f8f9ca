"""Domain exceptions and exit codes.

The core raises these with the facts a user needs; the CLI layer turns each
into one message on stderr and the matching exit code, in one place.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterable
from enum import IntEnum

from .i18n import N_


class ExitCode(IntEnum):
    """Documented exit codes (README, "Exit codes")."""

    OK = 0
    NOT_FOUND = 1  # not found or ambiguous
    USAGE = 2  # bad option or argument (Click's convention)
    INVALID_KB = 3  # the knowledge base cannot be loaded or is invalid
    INTERRUPTED = 130  # Ctrl-C


# Plain classes rather than dataclasses: each @dataclass compiles code at
# import, and this module is imported on every run.


class ClustersError(Exception):
    """Base of every expected failure."""

    exit_code: ExitCode = ExitCode.NOT_FOUND


class NotFound(ClustersError):
    def __init__(self, kind: str, query: str, suggestions: list[str] | None = None, hint: str = "") -> None:
        super().__init__(kind, query)
        self.kind = kind
        self.query = query
        self.suggestions = list(suggestions or [])
        self.hint = hint  # a sentence of its own after the suggestions ("`clusters search X` looks everywhere")
        # (kind, id) of the places the query is one typing slip from that resolve declined to read, likeliest
        # first: a caller asking several kinds (near, compare) suggests them first, as resolve does
        self.readings: list[tuple[str, str]] = []

    def __str__(self) -> str:
        from .i18n import _, kind_word, list_sep

        msg = _("No {kind} matches '{query}'.").format(kind=kind_word(self.kind), query=self.query)
        if self.suggestions:
            msg += _(" Did you mean: {names}?").format(names=list_sep().join(self.suggestions))
        if self.hint:
            msg += _(" {hint}.").format(hint=_(self.hint))
        return msg


class NoMatches(ClustersError):
    """A search or a filtered list that found nothing: an answer, said on stderr, with exit 1 so that a
    script can tell it from rows."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# the candidates an ambiguous name's message names (the error line of a code 100 of a knowledge base's places
# share named every one of them: 9 KB on one line)
AMBIGUOUS_SHOWN = 10


class Ambiguous(ClustersError):
    """A query several entities answer: the first AMBIGUOUS_SHOWN candidates named, then how many more of the
    `total` (by default, the candidates given); with `at_least`, they were looked for up to a limit, so the
    total is the least there are."""

    def __init__(
        self, kind: str, query: str, candidates: list[str], *, total: int | None = None, at_least: bool = False
    ) -> None:
        super().__init__(kind, query)
        self.kind = kind
        self.query = query
        self.candidates = candidates
        self.total = len(candidates) if total is None else total
        self.at_least = at_least

    def __str__(self) -> str:
        from .i18n import _, kind_word, list_sep

        names = list_sep().join(self.candidates[:AMBIGUOUS_SHOWN])
        more = self.total - min(len(self.candidates), AMBIGUOUS_SHOWN)
        if more > 0 and self.at_least:
            names = _("{names} and at least {more} more").format(names=names, more=f"{more:,}")
        elif more > 0:
            names = _("{names} and {more} more").format(names=names, more=f"{more:,}")
        return _("'{query}' is ambiguous: it could be the {kind} {names}. Name one by its id in brackets.").format(
            query=self.query, kind=kind_word(self.kind), names=names
        )


class UsageProblem(ClustersError):
    exit_code = ExitCode.USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# why a file, a folder or standard output could not be written, in our words for the usual reasons (the
# system's words otherwise)
_OS_REASONS = {
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("permission denied"),
    errno.ENOSPC: N_("no space left on the device"),
    errno.EROFS: N_("the file system is read-only"),
    errno.EISDIR: N_("it is a folder"),
    errno.ENOENT: N_("no such file or folder"),
    errno.ENAMETOOLONG: N_("the name is too long"),
}


def why_not(error: OSError) -> str:
    """Why an OSError stopped a write, as a user reads it."""
    from .i18n import _

    if error.errno in _OS_REASONS:
        return _(_OS_REASONS[error.errno])
    return str(error.strerror or error)


class Word(str):
    """A value of a problem's message that is itself a marked phrase ("the same name"): translated where the
    problem is shown, like the message around it."""

    __slots__ = ()


class Either(tuple[str, ...]):
    """Marked phrases a problem's message offers as alternatives ("a string or a number"): joined by "or" in
    the language shown."""

    __slots__ = ()


class Quoted(str):
    """Values a problem's message quotes ('north', or 'en', 'zh' for a field's choices): as Python writes them in
    English (what `validate --json` carries), and in Chinese each text between Chinese quotes, parted by 、
    (“north”; “en”、“zh”), as the rest of a Chinese message quotes."""

    __slots__ = ("parts",)
    parts: tuple[object, ...]

    def __new__(cls, english: str, parts: tuple[object, ...]) -> Quoted:
        made = super().__new__(cls, english)
        made.parts = parts
        return made

    def chinese(self) -> str:
        return "、".join(f"“{p}”" if isinstance(p, str) else str(p) for p in self.parts)


class Amount(str):
    """A sum of money a problem's message states ("100 billion" of yuan): as the figure writes it in English,
    and in Chinese in Chinese units with its currency (1000亿元, 500亿美元), as the figures' views write them:
    a scale word translated alone read 100 十亿."""

    __slots__ = ("currency", "scale", "value")
    value: float
    scale: str
    currency: str

    def __new__(cls, value: float, scale: str, currency: str) -> Amount:
        made = super().__new__(cls, f"{value} {scale}")
        made.value, made.scale, made.currency = value, scale, currency
        return made

    def chinese(self) -> str:
        from .model import SCALES
        from .values import chinese_number

        return chinese_number(self.value * SCALES[self.scale], {"CNY": "元", "USD": "美元"}.get(self.currency, ""))


class Problem:
    """One thing wrong with a knowledge-base file, located as precisely as known.

    The message is a marked template and its values: `message` is the English (what `validate --json`
    carries), `shown()` the line in the interface's language.
    """

    __slots__ = ("column", "entry", "line", "message", "path", "pending", "template", "values")

    def __init__(
        self, path: str, line: int | None, column: int | None, entry: str, template: str, /, **values: object
    ) -> None:
        self.path = path
        self.line = line  # 1-based
        self.column = column  # 1-based
        self.entry = entry  # e.g. "cities[3] (id: suzhou)", or "" for the whole file
        # what finds its line and column where they are found later, with others of its pack (settle)
        self.pending: Callable[[], None] | None = None
        self.template = template
        self.values = values
        english = {k: " or ".join(v) if isinstance(v, Either) else v for k, v in values.items()}
        self.message = template.format(**english) if values else template

    def __repr__(self) -> str:
        return f"Problem({str(self)!r})"

    def __str__(self) -> str:
        return self._line(self.message)

    def shown(self) -> str:
        """The problem as a person reads it, in the interface's language."""
        from .i18n import _

        if not self.values:
            return self._line(_(self.template) if self.template else "")
        from .i18n import quotes_set

        values = {k: _shown_value(v) for k, v in self.values.items()}
        return self._line(quotes_set(_(self.template).format(**values)))

    def _line(self, message: str) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        entry = f" {self.entry}:" if self.entry else ""
        return f"{where}:{entry} {message}"


def _shown_value(value: object) -> object:
    from .i18n import _

    if isinstance(value, Word):
        return _(value)
    if isinstance(value, (Amount, Quoted)):
        from .i18n import zh

        return value.chinese() if zh() else str(value)
    if isinstance(value, Either):
        return _(" or ").join(_(v) for v in value)
    return value


def settle(problems: Iterable[Problem]) -> None:
    """Find the line and column of the problems whose place is found later (a checked pack's, read again once
    for all of its problems: store/parsecache.Reparsed), before any is sorted or shown."""
    for problem in problems:
        if problem.pending is not None:
            problem.pending()


class InvalidKnowledgeBase(ClustersError):
    exit_code = ExitCode.INVALID_KB

    def __init__(self, path: str, problems: list[Problem]) -> None:
        super().__init__(path)
        self.path = path
        self.hint: str | None = None  # a line said after the summary (cli/runtime.shipped_hint)
        # in the order a reader meets them: file by file as the packs were read, then by line and column (the
        # stages found them in their own order: a misspelt status two entries below an unknown city came first);
        # a problem of no line stays last in its file, in the order found
        settle(problems)
        files = {name: i for i, name in enumerate(dict.fromkeys(p.path for p in problems))}
        self.problems = sorted(problems, key=lambda p: (files[p.path], p.line is None, p.line or 0, p.column or 0))

    def __str__(self) -> str:
        from .i18n import _

        n = len(self.problems)
        files = list(dict.fromkeys(p.path for p in self.problems))
        # the file the problems are in, or how many files when they span several (not the last pack read)
        path = _("{n} packs").format(n=len(files)) if len(files) > 1 else (files[0] if files else self.path)
        if n == 1:
            return _("{path}: invalid knowledge base (1 problem)").format(path=path)
        return _("{path}: invalid knowledge base ({n} problems)").format(path=path, n=n)
