"""Helpers for running the real CLI, and for the fixture packs it reads in the code tests."""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from clusters_cli.cli.compat import command_word
from clusters_cli.cli.registry import HOMES, make_app


def command_for(word: str | None) -> Any:
    """The Click command (typer.main.get_command) of the app a run of `main()` makes: only the invoked command,
    or every command when no command is named; one per language, since the commands' help is written in the
    language the app is made in. Made once: Typer's CliRunner.invoke converts the app it is given on every call
    (1 ms for one command, 10 ms for all), and a Click command is made to be invoked many times."""
    from clusters_cli.i18n import lang

    return _command_for(word, lang())


@functools.cache
def _command_for(word: str | None, language: str) -> Any:
    return typer.main.get_command(make_app(word))


ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# the fixture packs, in the order the code tests read them (conftest.py sets CLUSTERS_DATA to these)
PLACES, ARTICLE, PAGES = (str(FIXTURES / n) for n in ("places.yaml", "article.yaml", "pages.yaml"))
PACKS = [PLACES, ARTICLE, PAGES]


class ShippedDataRead(AssertionError):
    """A code test opened a file of the shipped data (the guard in conftest.py raises it)."""


READS: list[str] = []  # the shipped files the guard refused in the running code test


class Run:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> Any:
        return json.loads(self.stdout)


def cli(*args: str, env: dict[str, str] | None = None) -> Run:
    """Invoke the real Typer app in-process (CliRunner), in the language the run asks for, chosen before the
    app is made as main() chooses it (the commands' help is written in it)."""
    from clusters_cli.cli.compat import lang_flag
    from clusters_cli.i18n import detect, use

    use(detect(lang_flag(list(args)), {**os.environ, **(env or {})}))
    command = command_for(command_word(list(args), list(HOMES)))  # as main() reads it
    runner = CliRunner()
    code: Any = 0
    # what CliRunner.invoke does with the app's command, given the command: its isolation (streams, env), its
    # program name, the exit code from SystemExit; an exception other than SystemExit goes to the test
    with runner.isolation(env=env) as (out, err, _):
        try:
            command.main(args=list(args), prog_name=runner.get_default_prog_name(command))
        except SystemExit as done:
            code = 0 if done.code is None else done.code
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        stdout, stderr = (s.getvalue().decode(runner.charset, "replace").replace("\r\n", "\n") for s in (out, err))
    assert isinstance(code, int), code  # the tool exits with its named codes only
    return Run(code, stdout, stderr)


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


def base_env(monkeypatch: Any, cache: Path) -> None:
    """No stray environment: a known cache folder and width, no colour settings, no packs of one's own."""
    monkeypatch.setenv("CLUSTERS_CACHE_DIR", str(cache))
    for var in ("CLUSTERS_DATA", "CLUSTERS_NO_SHIPPED", "NO_COLOR", "CLUSTERS_MAX_BYTES", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "80")


def load_through(cache: Path, paths: list[str]) -> Any:
    """The knowledge base of these packs (and no other), loaded through a session's cache folder."""
    from clusters_cli import load_kb

    before = os.environ.get("CLUSTERS_CACHE_DIR")
    os.environ["CLUSTERS_CACHE_DIR"] = str(cache)
    try:
        return load_kb(paths, shipped=False)
    finally:
        if before is None:
            del os.environ["CLUSTERS_CACHE_DIR"]
        else:
            os.environ["CLUSTERS_CACHE_DIR"] = before


def own_pack(entries: str = "") -> str:
    """A pack of one's own as many tests write one: the head they share (its meta, and the one source its entries
    cite as `locator: {section: Only, paragraph: 1}`), after an empty first line, then `entries` (sections, as
    YAML)."""
    return (
        "\nmeta: {title: Mine, primary_source: mine-notes}\nsources:\n  - {id: mine-notes, short_name: My notes, "
        "name: My notes, kind: secondary, sections: [{heading: Only, paragraphs: 1}]}\n" + entries
    )


def write(tmp_path: Path, text: str, name: str = "kb.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def fixture_text(pack: str = ARTICLE) -> str:
    return Path(pack).read_text(encoding="utf-8")


def changed_packs(tmp_path: Path, old: str, new: str, pack: str = ARTICLE, count: int = 1) -> list[str]:
    """The fixture packs with one of them changed (`old` replaced by `new`, which must be there), written
    beside copies of the others: for tests of what a broken or edited pack does."""
    paths = []
    for path in PACKS:
        text = fixture_text(path)
        if path == pack:
            assert old in text, old
            text = text.replace(old, new, count)
        paths.append(write(tmp_path, text, Path(path).name))
    return paths


def copied_packs(tmp_path: Path) -> list[str]:
    """Copies of the fixture packs in tmp_path (to change, damage or time them)."""
    return [write(tmp_path, fixture_text(path), Path(path).name) for path in PACKS]


def data_args(paths: list[str]) -> list[str]:
    """--no-shipped and a --data option per pack."""
    return ["--no-shipped", *(a for p in paths for a in ("--data", p))]


def env_of(paths: list[str]) -> dict[str, str]:
    """The environment that makes a run read these packs only."""
    return {"CLUSTERS_DATA": os.pathsep.join(paths), "CLUSTERS_NO_SHIPPED": "1"}


# the helper process of a large build is forked on Linux only (store/forked.py); elsewhere one process builds
forks = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the helper process is forked on Linux only")


def open_build(path: str) -> sqlite3.Connection:
    """A connection to a compiled database with the file its build's helper left beside it attached, as the tool
    attaches it (store/buildfiles.py), where its meta names one."""
    from clusters_cli.store.buildfiles import beside_file

    conn = sqlite3.connect(path)
    meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('beside', 'build')").fetchall())
    if "beside" in meta:
        conn.execute("ATTACH DATABASE ? AS beside", (beside_file(path, meta["build"]),))
        assert conn.execute("SELECT value FROM beside.meta WHERE key = 'build'").fetchone() == (meta["build"],)
    return conn


def deltas_of(path: str) -> str:
    """How many delta builds in a row made the database at `path` (its meta's count, as written)."""
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT value FROM meta WHERE key = 'deltas'").fetchone()[0])
    finally:
        conn.close()


def placed_within(kb: Any, kinds: Iterable[str]) -> None:
    """Assert that each entity of these kinds that `places` puts in a province or region is among those the
    kind's `within` names there (kinds.Adapter.within), exactly but for a sector in a region (its clusters'
    cities and provinces there, perhaps more), and that each kind is placed in both (tests/test_place_reads.py
    on the fixture packs, the audits on the shipped ones)."""
    from clusters_cli.kinds import adapter

    places = [("province", p["id"]) for p in kb.all("province")] + [("region", r["id"]) for r in kb.all("region")]
    for kind in kinds:
        holding: dict[tuple[str, str], set[str]] = {}
        for e in kb.all(kind):
            provinces, regions = adapter(kind).places(kb, e)
            for place in [*(("province", p) for p in provinces), *(("region", r) for r in regions)]:
                holding.setdefault(place, set()).add(e["id"])
        assert {place_kind for place_kind, _ in holding} == {"province", "region"}, kind
        for place in places:
            named = adapter(kind).within(kb, *place)
            assert named is not None and holding.get(place, set()) <= named, (kind, place)
            if (kind, place[0]) != ("sector", "region"):
                assert named == holding.get(place, set()), (kind, place)
