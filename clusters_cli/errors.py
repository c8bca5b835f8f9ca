"""Domain exceptions and exit codes.

The core raises these with the facts a user needs; the CLI layer turns each
into one message on stderr and the matching exit code, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class ExitCode(IntEnum):
    """Documented exit codes (README, "Exit codes")."""

    OK = 0
    NOT_FOUND = 1  # not found or ambiguous
    USAGE = 2  # bad option or argument (Click's convention)
    INVALID_KB = 3  # the knowledge base cannot be loaded or is invalid
    INTERRUPTED = 130  # Ctrl-C


class ClustersError(Exception):
    """Base of every expected failure."""

    exit_code: ExitCode = ExitCode.NOT_FOUND


@dataclass
class NotFound(ClustersError):
    kind: str
    query: str
    suggestions: list[str] = field(default_factory=list)
    exit_code: ExitCode = ExitCode.NOT_FOUND

    def __str__(self) -> str:
        msg = f"No {self.kind} matches '{self.query}'."
        if self.suggestions:
            msg += " Did you mean: " + ", ".join(self.suggestions) + "?"
        return msg


@dataclass
class Ambiguous(ClustersError):
    kind: str
    query: str
    candidates: list[str] = field(default_factory=list)
    exit_code: ExitCode = ExitCode.NOT_FOUND

    def __str__(self) -> str:
        return (
            f"'{self.query}' is ambiguous: it could be the {self.kind} "
            + ", ".join(self.candidates)
            + ". Be more specific."
        )


@dataclass
class UsageProblem(ClustersError):
    message: str
    exit_code: ExitCode = ExitCode.USAGE

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a knowledge-base file, located as precisely as known."""

    path: str
    line: int | None  # 1-based
    column: int | None  # 1-based
    entry: str  # e.g. "cities[3] (id: suzhou)" or "" for the whole file
    message: str

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        entry = f" {self.entry}:" if self.entry else ""
        return f"{where}:{entry} {self.message}"


@dataclass
class InvalidKnowledgeBase(ClustersError):
    path: str
    problems: list[Problem]
    exit_code: ExitCode = ExitCode.INVALID_KB

    def __str__(self) -> str:
        n = len(self.problems)
        return f"{self.path}: invalid knowledge base ({n} problem{'s' if n != 1 else ''})"
