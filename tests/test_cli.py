"""End to end: help, exit codes, pipes, colour and untrusted text."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import PLACES, ROOT, changed_packs, cli, data_args, env_of, run_many

from clusters_cli.cli import app

ANSI = re.compile(r"\x1b\[")
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)  # type: ignore[union-attr]


def test_every_command_is_registered() -> None:
    assert (
        sorted(
            [
                "province",
                "sector",
                "city",
                "region",
                "company",
                "park",
                "cluster",
                "designation",
                "list",
                "rank",
                "search",
                "info",
                "cite",
                "near",
                "validate",
                "compare",
                "map",
                "stats",
                "export",
                "schema",
            ]
        )
        == COMMANDS
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command: str) -> None:
    r = cli(command, "--help")
    assert r.exit_code == 0
    assert "Example: clusters " + command in r.stdout


def test_top_level_help_lists_commands() -> None:
    r = cli("--help")
    assert r.exit_code == 0
    for command in COMMANDS:
        assert command in r.stdout


def test_version() -> None:
    from clusters_cli import __version__

    assert cli("--version").stdout.strip() == f"clusters {__version__}"


@pytest.mark.parametrize(
    "args",
    [
        ["province"],
        ["list", "provinces", "--format", "xml"],
        ["nonsense"],
        ["province", "Anhui", "--bogus"],
        ["search", "x", "--limit", "0"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    r = cli(*args)
    assert r.exit_code == 2
    assert r.stdout == ""
    assert "Traceback" not in r.stderr


def test_json_and_csv_conflict_is_a_usage_error() -> None:
    r = cli("list", "cities", "--json", "--format", "csv")
    assert r.exit_code == 2 and "cannot both be given" in r.stderr


def test_list_unknown_kind_is_a_usage_error_with_choices() -> None:
    r = cli("list", "planets")
    assert r.exit_code == 2 and "provinces, regions, cities" in r.stderr


def test_singular_list_kinds_are_accepted() -> None:
    assert cli("list", "city", "--json").json()["entity"] == "cities"
    assert cli("list", "company", "--json").json()["entity"] == "companies"


def shell(command: str, **env: str) -> subprocess.CompletedProcess[bytes]:
    prefix = f"{sys.executable} -m clusters_cli"
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command.replace("clusters", prefix, 1)],
        capture_output=True,
        cwd=str(ROOT),
        env={**__import__("os").environ, **env},
        timeout=60,
    )


def test_head_closing_the_pipe_ends_quietly() -> None:
    for command in (
        "clusters list provinces | head -1",
        "clusters list cities --format csv | head -1",
        "clusters province Anhui | head -1",
        "clusters list statistics --json | head -c 10",
    ):
        p = shell(command)
        assert p.returncode == 0, (command, p.stderr)
        assert p.stderr == b"", (command, p.stderr)
        assert p.stdout


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="a device every write to fails on, as a full disk")
def test_a_standard_output_that_cannot_be_written_is_said_on_one_line() -> None:
    """Standard output on a full disk: whoever writes (a JSON view, Rich, the csv module, an export copied out,
    Click's help and version), the run ends with exit 2 and one line saying so, never a traceback; the same
    commands written to a device that takes them end well."""
    commands = [
        ["province", "Anhui", "--json"],
        ["province", "Anhui"],
        ["list", "cities", "--format", "csv"],
        ["export", "-f", "geojson", "-o", "-"],
        ["--help"],
        ["--version"],
    ]
    script = (
        "import os, sys\n"
        "from clusters_cli.cli import main\n"
        "device = sys.argv[1]\n"
        f"for args in {commands!r}:\n"
        "    os.dup2(os.open(device, os.O_WRONLY), 1)\n"  # again: a failure points it at /dev/null
        "    sys.argv = ['clusters', *args]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit as done:\n"
        "        sys.stderr.write(f'exit {done.code}\\n')\n"
    )
    said = "clusters: error: cannot write to standard output: no space left on the device"
    exported = "exported 44 features as geojson to standard output"  # the features written
    for device, expected in (
        ("/dev/full", [said, "exit 2"] * len(commands)),
        (os.devnull, ["exit 0"] * 3 + [exported, "exit 0"] + ["exit 0"] * 2),
    ):
        p = subprocess.run([sys.executable, "-c", script, device], capture_output=True, cwd=str(ROOT), timeout=60)
        assert p.returncode == 0
        assert p.stderr.decode().splitlines() == expected, (device, p.stderr.decode()[-3000:])


def test_a_closed_standard_output_is_said_never_a_success() -> None:
    """`clusters export -o - >&-` said "exported 4878 entries ... to standard output" and exited 0, having
    written nothing: a closed standard output was quietly replaced by /dev/null. Writing to it fails as a
    full disk does (exit 2, one line); a command that writes elsewhere (an export to a file) ends well."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("_CLUSTERS_COMPLETE")}
    for args, code in ((["export", "-f", "json", "-o", "-"], 2), (["province", "Anhui"], 2), (["--version"], 2)):
        p = subprocess.run(  # the shell closes descriptor 1 before Python starts (`>&-`)
            ["sh", "-c", 'exec "$0" -m clusters_cli "$@" >&-', sys.executable, *args],
            stderr=subprocess.PIPE,
            cwd=str(ROOT),
            env=env,
            timeout=60,
        )
        said = p.stderr.decode()
        assert p.returncode == code, (args, said)
        assert said.splitlines()[-1].startswith("clusters: error: cannot write to standard output: "), (args, said)
        assert "exported" not in said and "Traceback" not in said


def test_piped_output_has_no_escape_codes() -> None:
    commands = [["province", "Anhui"], ["sector", "chips"], ["search", "wind"], ["list", "provinces"], ["info"]]
    for args, r in zip(commands, run_many(*commands), strict=True):  # stdout is a real pipe here
        assert r.exit_code == 0 and r.stdout.strip(), args
        assert not ANSI.search(r.stdout), args


def test_forced_colour_is_still_off_with_no_color() -> None:
    r = cli("province", "Anhui", env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert not ANSI.search(r.stdout)
    coloured = cli("province", "Anhui", env={"FORCE_COLOR": "1"})
    assert ANSI.search(coloured.stdout)  # the control: colour does appear when forced
    flag = cli("--no-color", "province", "Anhui", env={"FORCE_COLOR": "1"})
    assert not ANSI.search(flag.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["province", "Anhui", "--no-color"],
        ["list", "provinces", "--no-color"],
        ["map", "--no-color"],
        ["compare", "Anhui", "Jiangsu", "--no-color"],
    ],
)
def test_global_options_work_after_the_command(args: list[str]) -> None:
    r = cli(*args, env={"FORCE_COLOR": "1"})
    assert r.exit_code == 0, r.stderr
    assert r.stdout and not ANSI.search(r.stdout)


def renamed(tmp_path: Path) -> list[str]:
    """The fixture packs, Anhui renamed Anhwei."""
    return changed_packs(tmp_path, "name: Anhui, official_name:", "name: Anhwei, official_name:", PLACES)


def test_data_option_after_the_command(tmp_path: Path) -> None:
    paths = renamed(tmp_path)
    before = cli(*data_args(paths), "province", "Anhwei", "--json").json()
    after = cli("province", "Anhwei", "--json", *data_args(paths)).json()
    assert before == after and after["province"]["name"] == "Anhwei"


def test_json_is_one_valid_document_even_with_brackets_and_long_lines() -> None:
    r = cli("list", "clusters", "--json", env={"COLUMNS": "20"})
    doc = __import__("json").loads(r.stdout)
    assert doc["count"] == len(doc["rows"])


def test_tables_fit_80_columns() -> None:
    cities = ["list", "cities", "--province", "Jiangsu"]
    for args in (["province", "Anhui"], ["sector", "semiconductors"], ["region", "YRD"], cities):
        r = cli(*args, env={"COLUMNS": "80"})
        widest = max(len(line) for line in r.stdout.splitlines())
        assert widest <= 80, (args, widest)


def hostile_kb(tmp_path: Path) -> list[str]:
    return changed_packs(
        tmp_path,
        '"A solar industry whose revenue grew from RMB 20 billion to RMB 700 billion."',
        '"[bold red]Injected[/] markup \\x1b[31mred\\x1b[0m and \\x1b]0;title\\x07 bell\\x07 foo[/]"',
    )


def test_markup_in_data_prints_literally_and_escapes_are_stripped(tmp_path: Path) -> None:
    paths = hostile_kb(tmp_path)
    for args in (["province", "Anhui"], ["cluster", "anhui-pv"], ["search", "Injected"]):
        r = cli(*data_args(paths), *args, env={"FORCE_COLOR": "1", "COLUMNS": "200"})
        assert r.exit_code == 0, r.stderr
        plain = " ".join(re.sub(r"\x1b\[[0-9;]*m", "", r.stdout).split())  # a long cell may wrap
        assert "[bold red]Injected[/] markup" in plain
        assert "foo[/]" in r.stdout
        assert "\x07" not in r.stdout and "]0;title" not in r.stdout and "[31m" not in r.stdout
    doc = cli(*data_args(paths), "cluster", "anhui-pv", "--json").json()
    assert doc["cluster"]["summary"] == "[bold red]Injected[/] markup red and  bell foo[/]"


def test_data_option_and_environment_variable(tmp_path: Path) -> None:
    paths = renamed(tmp_path)
    assert cli(*data_args(paths), "province", "Anhwei", "--json").json()["province"]["id"] == "anhui"
    assert cli("province", "Anhwei", "--json", env=env_of(paths)).json()["province"]["name"] == "Anhwei"
    assert cli("province", "Anhwei").exit_code == 1  # the control: the fixture packs name it Anhui
    info = cli("info", "--json", env=env_of(paths)).json()
    assert info["data_file"] == paths[1]  # the main pack: the one naming a primary source
    assert [p["file"] for p in info["packs"]] == paths


def typer_release() -> tuple[int, int]:
    from importlib.metadata import version

    major, minor = version("typer").split(".")[:2]
    return int(major), int(minor)


def modules_after(*commands: list[str]) -> list[set[str]]:
    """The modules loaded after each command, run in order in one fresh interpreter: order them so that
    what must be absent is checked before any command loads it."""
    return [set(r.stderr.rsplit("MODULES ", 1)[1].split()) for r in run_many(*commands, modules=True)]


def test_each_library_is_imported_only_when_its_path_needs_it() -> None:
    cli("province", "Anhui")  # warm the cache: the cached path is the one that must stay light
    as_json, exact, fuzzy, table = modules_after(
        ["province", "Anhui", "--json"],
        ["province", "皖", "--json"],
        ["province", "Anhiu", "--json"],
        ["province", "Anhui"],
    )
    assert "clusters_cli.views.detail" in as_json  # the control: the view was built
    # pydantic is Typer's own on 0.29 (the reason for pyproject's upper bound); .ci/run runs the suite there too
    heavy = ("rich", "rapidfuzz", "yaml") + (("pydantic",) if typer_release() < (0, 29) else ())
    assert not {m for m in as_json if m.split(".")[0] in heavy}
    assert "rapidfuzz" not in exact  # an exact name needs no fuzzy matching
    assert "rapidfuzz" in fuzzy  # the control: a typo loads it
    assert "rich" in table and "yaml" not in table


def test_each_command_is_imported_from_the_module_the_registry_names() -> None:
    """registry.HOMES (a run imports the module of the command it invokes, not all four) names the module
    that records each command, every command once."""
    from clusters_cli.cli.registry import COMMANDS, HOMES, names

    names()
    assert {name: fn.__module__ for name, (fn, _kwargs) in COMMANDS.items()} == {
        name: f"clusters_cli.cli.{home}" for name, home in HOMES.items()
    }


def test_a_page_of_every_city_loads_no_name_reading_and_no_build_code_and_help_keeps_its_order() -> None:
    """`list cities` with no filter reads no name (resolve, and the fold and slips it uses), renders no detail
    view and builds nothing: a warm run loads only what its page needs (a list is among the commands the
    scale table times against the import floor). A run imports its command's module alone (registry.HOMES);
    help after it, in the same process, still lists the commands by module and as each module defines them
    (registry.names), as a fresh run does."""
    from clusters_cli.cli.registry import names

    cli("province", "Anhui")  # warm the cache
    runs = run_many(["list", "cities"], ["near", "Hefei", "--json"], ["--help"], modules=True)
    page, near = (set(r.stderr.rsplit("MODULES ", 1)[1].split()) for r in runs[:2])
    assert "clusters_cli.views.listing" in page and "clusters_cli.render.grid" in page  # the control
    unread = {
        "resolve",
        "resolver",
        "textfold",
        "slips",
        "views.resolved",
        "views.stats",
        "render.detail",
        "render.sections",
        "store.rules",
    }
    unread |= {"store.build", "store.writers", "store.forked", "store.kept"}  # the build's code; the CSV's cells
    assert not {f"clusters_cli.{m}" for m in unread} & page, sorted(m for m in page if m.startswith("clusters_cli"))
    # and of the command modules (registry.HOMES), the one that defines the command run
    assert "clusters_cli.cli.about" not in page and "clusters_cli.cli.analyst" not in page
    assert "clusters_cli.cli.analyst" in near and not {"clusters_cli.cli.about", "clusters_cli.cli.bulk"} & near
    (alone,) = modules_after(["stats"])  # a command of another module than commands.py, in a process of its own
    assert "clusters_cli.cli.bulk" in alone and "clusters_cli.cli.commands" not in alone  # the group's: options.py
    helped = runs[2]
    assert helped.exit_code == 0
    listed = [line.split()[0] for line in helped.stdout.split("Commands")[1].splitlines() if line.startswith("  ")]
    assert [n for n in listed if n in names()] == names() and len(names()) == 20


def test_core_modules_import_neither_typer_nor_rich() -> None:
    script = (
        "import sys\n"
        "import clusters_cli.store.cache, clusters_cli.store.validate, clusters_cli.store.yamlfile\n"
        "import clusters_cli.resolve, clusters_cli.model, clusters_cli.views.detail, clusters_cli.views.listing\n"
        "import clusters_cli.views.search, clusters_cli.views.compare, clusters_cli.views.map\n"
        "import clusters_cli.views.stats, clusters_cli.views.export, clusters_cli.views.info\n"
        "from clusters_cli import load_kb\n"
        "kb = load_kb()\n"
        "clusters_cli.views.detail.province_view(kb, 'Anhui')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'rich', 'click'}))\n"
    )
    p = subprocess.run([sys.executable, "-c", script], capture_output=True, cwd=str(ROOT), timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.decode().strip() == "[]"


@pytest.mark.parametrize("columns", ["40", "80", "200"])
@pytest.mark.parametrize("kind", ["provinces", "cities", "clusters", "statistics", "sectors"])
def test_list_tables_keep_every_name_whole_at_any_width(kind: str, columns: str) -> None:
    args = ["list", kind] if kind in ("provinces", "sectors") else ["list", kind, "--province", "Jiangsu"]
    doc = cli(*args, "--json").json()
    text = cli(*args, env={"COLUMNS": columns}).stdout
    assert max(len(line) for line in text.splitlines()) <= int(columns)
    flat = " ".join(text.split())
    for row in doc["rows"]:
        first = str(row["name"]).split()[0]
        assert first in flat, (row["name"], columns)  # never cut to a letter per line
    header = text.splitlines()[1]
    assert "name" in header.split()  # the name column is always there


@pytest.mark.parametrize("args", [["list", "cities"], ["list", "clusters"], ["rank", "provinces", "--sector", "wind"]])
def test_a_table_reads_the_same_with_and_without_styles(args: list[str]) -> None:
    """A table without styles (a pipe, NO_COLOR) is written a line at a time (render/grid.py), one with
    styles a cell at a time: the text is the same."""
    plain = cli(*args)
    styled = cli(*args, env={"FORCE_COLOR": "1"})
    assert ANSI.search(styled.stdout) and not ANSI.search(plain.stdout)
    assert re.sub(r"\x1b\[[0-9;]*m", "", styled.stdout) == plain.stdout and plain.stdout.count("\n") > 5


def test_a_province_counts_the_county_level_places_its_command_lists(tmp_path: Path) -> None:
    """'and 94 counties and districts more: clusters list cities ... --level county' pointed to 104 rows: the
    county-level cities and counties with clusters shown above are listed there too. It says both now."""
    kunshan = "lat: 31.39, lon: 120.98}\n"
    wuzhong = (
        "  - {id: wuzhong, code: '320506', name: Wuzhong, name_zh: 吴中区, short_zh: 吴中, pinyin: Wúzhōng, "
        "kind: district, level: county, province: jiangsu, prefecture: suzhou, lat: 31.26, lon: 120.63}\n"
    )
    args = data_args(changed_packs(tmp_path, kunshan, kunshan + wuzhong, PLACES))
    shown = " ".join(cli(*args, "province", "Jiangsu").stdout.split())
    # a county-level city is shown, a district without clusters is not
    assert "Kunshan" in shown and "Wuzhong" not in shown
    assert "1 more of county level not shown; all 2: clusters list cities --province jiangsu --level county" in shown
    listed = cli(*args, "list", "cities", "--province", "jiangsu", "--level", "county", "--json").json()["rows"]
    assert [c["id"] for c in listed] == ["kunshan", "wuzhong"]


def test_an_option_missing_its_value_points_to_its_commands_help() -> None:
    """Click raises this error with no context: it pointed to `clusters --help` rather than the command's."""
    r = cli("stats", "--series")
    assert (r.exit_code, r.stderr) == (
        2,
        "clusters: error: Option '--series' requires an argument. (try 'clusters stats --help')\n",
    )
    assert cli("list", "--limit").stderr.endswith("(try 'clusters list --help')\n")
    assert cli("--data").stderr.endswith("(try 'clusters --help')\n")  # a group option: the group's help
