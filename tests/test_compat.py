"""The command line's workarounds (cli/compat.py) and its start: only public framework APIs, no interpreter
setting changed on import, one command built per run, --version said once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from helpers import ARTICLE, PLACES, ROOT, cli, env_of, run_many
from typer.testing import CliRunner

from clusters_cli.cli.compat import click_errors, command_word, narrow_help_context

NAMES = ["province", "city", "list", "near"]


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["province", "Anhui"], "province"),
        (["--data", "x.yaml", "city", "Hefei"], "city"),
        (["--data=x.yaml", "--no-color", "list", "cities"], "list"),
        (["--no-shipped", "--data", "province", "near"], "near"),  # --data takes the next word as its value
        (["--version"], None),
        ([], None),
        (["provnce", "Anhui"], None),  # not a command: build them all, so the parse can suggest one
        (["--", "province"], None),
        (["--data"], None),
    ],
)
def test_command_word_reads_past_the_group_options(args: list[str], word: str | None) -> None:
    assert command_word(args, NAMES) == word


def test_paused_collector_restores_the_collector_and_freezes_only_after_a_block_that_ends_well() -> None:
    """In an interpreter of its own: freezing here (and unfreezing after) would change the worker's collector.
    A block that fails freezes nothing: what it held (its traceback's frames) stays collectable."""
    script = (
        "import gc\n"
        "from clusters_cli.cli.compat import paused_collector\n"
        "from clusters_cli.collector import collector_paused\n"
        "before = gc.get_freeze_count()\n"
        "with paused_collector():\n"
        "    paused = not gc.isenabled()\n"
        "    made = [[i] for i in range(1000)]\n"
        "frozen = gc.get_freeze_count()\n"
        "try:\n"
        "    with collector_paused(freeze=True):\n"
        "        more = [[i] for i in range(1000)]\n"
        "        raise ValueError\n"
        "except ValueError:\n"
        "    pass\n"
        "print(paused, frozen >= before + len(made), gc.isenabled(), gc.get_freeze_count() == frozen)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["True", "True", "True", "True"]


def test_no_collector_pass_runs_from_building_a_view_to_printing_it_and_nothing_is_frozen(tmp_path: Path) -> None:
    """In an interpreter of its own, a whole `list cities --format csv` run by `main`: no pass of the cyclic
    collector runs from the moment the view is asked for to the moment its cells reach the CSV writer (a pass
    between the two scanned a list of 318,000 cities for 0.2 s), and the command freezes nothing (what it leaves,
    its knowledge base's connection among it, is collected after it: a process running many commands keeps
    none of them)."""
    script = (
        "import gc, sys\n"
        "passes = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and passes.append(info['generation']))\n"
        "import clusters_cli.flatten as flatten\n"
        "import clusters_cli.views.listing as listing\n"
        "real_view, real_table = listing.list_view, flatten.write_table\n"
        "seen = {}\n"
        "def list_view(*args, **kwargs):\n"
        "    seen['asked'] = len(passes)\n"
        "    seen['frozen'] = gc.get_freeze_count()\n"
        "    return real_view(*args, **kwargs)\n"
        "def write_table(header, rows, stream, delimiter=','):\n"
        "    print(len(rows), len(passes) - seen['asked'], gc.get_freeze_count() - seen['frozen'], file=sys.stderr)\n"
        "    real_table(header, rows, stream, delimiter)\n"
        "listing.list_view, flatten.write_table = list_view, write_table\n"
        "from clusters_cli.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    args = ["--no-shipped", "--data", PLACES, "--data", ARTICLE, "list", "cities", "--format", "csv"]
    env = {**os.environ, "CLUSTERS_CACHE_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr
    rows, passes, frozen = map(int, out.stderr.split())
    assert rows > 10 and (passes, frozen) == (0, 0)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the open files in /proc/self/fd")
def test_commands_run_in_process_leave_no_connection_open(tmp_path: Path) -> None:
    """Commands run one after another in one process (as the tests run them, or an app embedding the CLI) each
    close their knowledge base's connection once the answer is made (cache.with_recovery), without waiting for
    the collector, which this process never runs: after one of them, and after twenty more, none of the cache's
    files is open (a connection holds a cycle of its own, and a frozen view once kept them all)."""
    script = (
        "import gc, os, sys\n"
        "gc.disable()\n"
        "sys.path.insert(0, 'tests')\n"
        "from helpers import cli\n"
        "def open_caches():\n"
        "    links = [f'/proc/self/fd/{fd}' for fd in os.listdir('/proc/self/fd')]\n"
        "    return sum(os.readlink(link).endswith('.sqlite') for link in links if os.path.exists(link))\n"
        "assert cli('province', 'Anhui', '--json').exit_code == 0\n"
        "one = open_caches()\n"
        "for _ in range(20):\n"
        "    assert cli('list', 'cities', '--json').exit_code == 0\n"
        "print(one, open_caches())\n"
    )
    env = {**os.environ, "CLUSTERS_CACHE_DIR": str(tmp_path), **env_of([PLACES, ARTICLE])}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "0"]  # none open after one command, none after twenty-one


def test_a_process_running_commands_freezes_what_they_made_as_it_exits(tmp_path: Path) -> None:
    """main() registers gc.freeze to run at the process's exit (compat.frozen_at_exit): what the commands made
    after the CLI's import was frozen is frozen then, before the interpreter's last collection. A hook
    registered before main() runs after main's (the last registered runs first) and sees it; without main()
    nothing is frozen at the exit."""
    script = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('exit', gc.get_freeze_count() - frozen[-1] > 1000))\n"
        "from clusters_cli.cli import main\n"
        "frozen = [gc.get_freeze_count()]\n"
        "for args in sys.argv[1:2]:\n"
        "    try:\n"
        "        main(args.split())\n"
        "    except SystemExit:\n"
        "        pass\n"
        "    frozen.append(gc.get_freeze_count())\n"
        "    made = [list(range(3)) for _ in range(2000)]  # alive at the exit, made after main()\n"
    )
    env = {**os.environ, "CLUSTERS_CACHE_DIR": str(tmp_path), **env_of([PLACES, ARTICLE])}
    outs = []
    for args in (["list cities --json"], []):
        out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=ROOT, env=env)
        assert out.returncode == 0, out.stderr
        outs.append(out.stdout.split()[-2:])
    assert outs == [["exit", "True"], ["exit", "False"]]


def test_importing_the_cli_changes_no_interpreter_setting_and_loads_no_framework() -> None:
    script = (
        "import gc, sys\n"
        "import clusters_cli.cli\n"
        "print(gc.isenabled(), gc.get_freeze_count(), 'typer' in sys.modules, 'rich' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["True", "0", "False", "False"]


def test_click_errors_are_the_classes_typer_raises() -> None:
    usage, click_exception = click_errors()
    assert (usage.__name__, click_exception.__name__) == ("UsageError", "ClickException")
    assert issubclass(typer.BadParameter, usage) and issubclass(usage, click_exception)
    r = cli("city", "--bogus")  # caught by the exit door as a usage error: one line, exit 2
    assert (r.exit_code, r.stderr) == (
        2,
        "clusters: error: No such option: --bogus (try 'clusters city --help')\n",
    )


def test_help_context_narrows_option_names_on_a_narrow_terminal() -> None:
    context = narrow_help_context()
    assert issubclass(context, typer.Context)
    narrow, plain = context.formatter_class(width=40), typer.Context.formatter_class(width=40)
    for formatter in (narrow, plain):
        formatter.write_dl([("--a-very-long-option-name TEXT", "what it does"), ("--medium-option", "short one")])
    # option names get 16 of 40 columns (two fifths), not 30: what they do keeps room to be read
    assert (
        narrow.getvalue()
        == "--a-very-long-option-name TEXT\n                  what it does\n--medium-option   short one\n"
    )
    assert plain.getvalue().splitlines()[-1] == "--medium-option                 short one"


def test_a_run_builds_only_the_command_it_invokes() -> None:
    from clusters_cli.cli.registry import make_app, names

    assert len(names()) > 10
    app = make_app("province")
    runner = CliRunner()
    assert runner.invoke(app, ["near", "Hefei"]).exit_code == 2  # not built: no such command
    assert runner.invoke(app, ["province", "--help"]).exit_code == 0


def test_version_is_said_once() -> None:
    (r,) = run_many(["--version"])
    assert (r.exit_code, r.stdout) == (0, f"clusters {__import__('clusters_cli').__version__}\n")
