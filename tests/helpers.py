"""Helpers for running the real CLI against the real shipped data."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import typer.main
import typer.testing
from typer.testing import CliRunner

from clusters_cli.cli import app

# CliRunner turns the Typer app into a Click group on every call (~18 ms); build it once.
_COMMAND = typer.main.get_command(app)
typer.testing._get_command = lambda a: _COMMAND if a is app else typer.main.get_command(a)  # type: ignore[attr-defined]

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "clusters.yaml"
DIVISIONS = ROOT / "data" / "divisions.yaml"


class Run:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> Any:
        return json.loads(self.stdout)


def cli(*args: str, env: dict[str, str] | None = None) -> Run:
    """Invoke the real Typer app in-process (CliRunner)."""
    result = CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def run(*args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: float = 60) -> Run:
    """Run `python -m clusters_cli` as a separate process, the way a shell would."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "clusters_cli", *args],
        capture_output=True,
        env=full_env,
        input=stdin,
        timeout=timeout,
        cwd=str(ROOT),
    )
    return Run(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


_END = "\x00end of command "


def run_many(*commands: list[str], env: dict[str, str] | None = None, modules: bool = False) -> list[Run]:
    """Run several commands through the real entry point in one fresh process, one after another: for what
    only a process can set (an encoding, a real pipe, what is imported), at the cost of one interpreter
    start, not one each. With `modules`, each command's stderr ends with the modules loaded so far."""
    script = (
        "import sys\n"
        "from clusters_cli.cli import main\n"
        f"for args in {[list(c) for c in commands]!r}:\n"
        "    sys.argv = ['clusters', *args]\n"
        "    code = 0\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as done:\n"
        "        code = done.code\n"
        + ("    sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)))\n" if modules else "")
        + f"    sys.stdout.write({_END!r} + str(code) + '\\n')\n"
        f"    sys.stderr.write({_END!r} + '\\n')\n"
        "    sys.stdout.flush(); sys.stderr.flush()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        env={**os.environ, **(env or {})},
        cwd=str(ROOT),
        timeout=60,
    )
    outs = proc.stdout.decode("utf-8", "replace").split(_END)
    errs = proc.stderr.decode("utf-8", "replace").split(_END)
    assert len(outs) == len(commands) + 1, proc.stderr.decode("utf-8", "replace")[-2000:]
    runs = []
    for i in range(len(commands)):
        out = outs[i] if i == 0 else outs[i].split("\n", 1)[1]
        code = int(outs[i + 1].split("\n", 1)[0])
        err = errs[i] if i == 0 else errs[i].split("\n", 1)[1]
        runs.append(Run(code, out, err))
    return runs


def write(tmp_path: Path, text: str, name: str = "kb.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def article_clusters() -> set[str]:
    """The ids of the clusters of the article's pack (data/clusters.yaml), read from the file."""
    return set(
        re.findall(
            r"^  - id: ([a-z0-9-]+)$",
            SHIPPED.read_text(encoding="utf-8").split("\nclusters:\n")[1].split("\nstatistics:\n")[0],
            re.M,
        )
    )


def shipped_text() -> str:
    """The shipped packs as one file, for tests that break a copy (use it with --no-shipped --data):
    the reference pack's provinces and the cities the article's pack refers to (or that are capitals),
    inside the article's pack. Small, so that each broken copy parses quickly."""
    article = SHIPPED.read_text(encoding="utf-8")
    divisions = DIVISIONS.read_text(encoding="utf-8")
    places = divisions[divisions.index("\nprovinces:\n") :]
    wanted = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", article)) | set(re.findall(r"capital: ([a-z-]+)", places))
    lines = [
        line
        for line in places.splitlines(keepends=True)
        if not line.startswith("  - {id: ") or ", level: " not in line or line[9:].split(",")[0] in wanted
    ]
    at = article.index("\nregions:\n")
    return article[:at] + "".join(lines) + article[at:]
