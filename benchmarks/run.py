"""Whole-process timings of representative `clusters` commands, as ratios.

    python benchmarks/run.py            # factors 1, 10 and 100; 15 runs each
    python benchmarks/run.py --runs 5 --factors 1

Each command runs as a fresh process, after warm-up runs that also fill the
knowledge-base cache. All runs (every command at every size, and the floor
the tool cannot beat, `python -c "import typer"` in the same environment)
are interleaved round-robin, so machine noise hits all of them alike and
the ratios come from one run. A second reference line shows what importing
Typer and Rich's console and table alone costs. Reported: median and spread (min-max) in ms, the ratio of
the median to the floor's, and peak memory (max RSS of the process). At
factors 10 and 100 (synthetic knowledge bases from scale.py) each command is
also given as a ratio to its own time at 1x.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from clusters_cli.paths import shipped_packs  # noqa: E402

COMMANDS: list[tuple[str, list[str]]] = [
    ("province Anhui", ["province", "Anhui"]),
    ("province Anhui --json", ["province", "Anhui", "--json"]),
    ("sector semiconductors", ["sector", "semiconductors"]),
    ("fuzzy: province Guangdnog --json", ["province", "Guangdnog", "--json"]),
    ("unknown: province Atlantis", ["province", "Atlantis"]),
    ('search "offshore wind"', ["search", "offshore wind"]),
    ("list cities --format csv", ["list", "cities", "--format", "csv"]),
    ("near Suzhou --json", ["near", "Suzhou", "--json"]),
]
# run with an empty cache folder each time: what a first run costs (parse, validate, compile)
COLD = "cold cache: province Anhui --json"
FLOOR = ("floor: python -c 'import typer'", ["-c", "import typer"])
# a second reference, for reading the Rich views: what importing the libraries alone costs
RICH_FLOOR = ("ref: import typer + rich table", ["-c", "import typer, rich.console, rich.table, rich.panel"])
RICH_VIEWS = {"province Anhui", "sector semiconductors"}
LOOKUPS = {
    "province Anhui --json",
    "province Anhui",
    "sector semiconductors",
    "fuzzy: province Guangdnog --json",
    "unknown: province Atlantis",
}


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak MiB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}")
    return elapsed, usage.ru_maxrss / 1024


def bench_env(**settings: str) -> dict[str, str]:
    """This environment as a user's run would see it, plus `settings`: no colour, 100 columns, no pack or
    language of the caller's own (CLUSTERS_DATA, CLUSTERS_NO_SHIPPED, CLUSTERS_LANG), and, as on a user's
    machine, bytecode cached (pip compiles on install; an editable checkout compiles during the warm-up) and
    output buffered."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    for var in ("CLUSTERS_DATA", "CLUSTERS_NO_SHIPPED", "CLUSTERS_LANG", "PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED"):
        env.pop(var, None)
    return {**env, **settings}


def write_scaled(factor: int, path: Path | str) -> None:
    """scale.py's knowledge base `factor` times the shipped one, written to `path` in a child process (a child's
    peak RSS starts from its parent's: this one stays small)."""
    subprocess.run([sys.executable, str(HERE / "scale.py"), "--factor", str(factor), "-o", str(path)], check=True)


def compiled_packs(sizes: Iterable[int], work: Path, env: dict[str, str], prog: list[str]) -> dict[int, dict[str, str]]:
    """size -> the environment of a run on scale.py's pack of that size, written in `work` and read as a pack
    of one's own with a cache folder of its own there, the cache built (untimed)."""
    envs = {}
    for f in sizes:
        pack = work / f"kb{f}.yaml"
        write_scaled(f, pack)
        cache = str(work / f"c{f}")
        envs[f] = {**env, "CLUSTERS_DATA": str(pack), "CLUSTERS_NO_SHIPPED": "1", "CLUSTERS_CACHE_DIR": cache}
        run_once([*prog, "info"], envs[f])
    return envs


def program() -> list[str]:
    """How users start the tool: the installed `clusters` script beside this Python, else -m."""
    script = Path(sys.executable).with_name("clusters")
    return [str(script)] if script.exists() else ["-m", "clusters_cli"]


def measure(
    datasets: dict[int, str], runs: int, warmup: int, env: dict[str, str]
) -> dict[int, dict[str, tuple[list[float], float]]]:
    """Every (knowledge base, command) pair, round-robin, so noise hits all alike and ratios compare."""
    jobs = [(0, FLOOR[0], FLOOR[1]), (0, RICH_FLOOR[0], RICH_FLOOR[1])]
    jobs += [(factor, label, [*program(), *args]) for factor in datasets for label, args in COMMANDS]
    if 1 in datasets:
        jobs.append((1, COLD, [*program(), "province", "Anhui", "--json"]))
    times: dict[tuple[int, str], list[float]] = {(f, label): [] for f, label, _ in jobs}
    peak: dict[tuple[int, str], float] = {(f, label): 0.0 for f, label, _ in jobs}
    for i in range(warmup + runs):
        for factor, label, args in jobs:
            job_env = dict(env)
            if datasets.get(factor):  # a synthetic knowledge base replaces the shipped packs
                job_env.update(CLUSTERS_DATA=datasets[factor], CLUSTERS_NO_SHIPPED="1")
            if label == COLD:
                job_env["CLUSTERS_CACHE_DIR"] = tempfile.mkdtemp(prefix="cold-")
            elapsed, mib = run_once([sys.executable, *args], job_env)
            if i >= warmup:
                times[(factor, label)].append(elapsed)
                peak[(factor, label)] = max(peak[(factor, label)], mib)
    results: dict[int, dict[str, tuple[list[float], float]]] = {}
    for factor in datasets:
        results[factor] = {label: (times[(0, label)], peak[(0, label)]) for label in (FLOOR[0], RICH_FLOOR[0])}
        results[factor].update({label: (times[(factor, label)], peak[(factor, label)]) for label, _ in COMMANDS})
        if (factor, COLD) in times:
            results[factor][COLD] = (times[(factor, COLD)], peak[(factor, COLD)])
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15, help="measured runs per command (default 15)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured runs first (default 3)")
    parser.add_argument("--factors", default="1,10,100", help="knowledge-base sizes, comma-separated")
    args = parser.parse_args(argv)
    factors = [int(f) for f in args.factors.split(",")]

    workdir = Path(tempfile.mkdtemp(prefix="clusters-bench-"))
    # the 100x knowledge base is larger than the default file-size limit (32 MiB): raise it, as a user would
    env = bench_env(CLUSTERS_CACHE_DIR=str(workdir / "cache"), CLUSTERS_MAX_BYTES=str(512 * 1024 * 1024))
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"program: python {' '.join(program())}")
    print(f"runs: {args.runs} measured after {args.warmup} warm-up, interleaved; cache warm\n")

    datasets: dict[int, str] = {}
    for factor in factors:
        data = ""  # the shipped packs
        if factor > 1:
            data = str(workdir / f"kb{factor}.yaml")
            write_scaled(factor, data)
        datasets[factor] = data
    results = measure(datasets, args.runs, args.warmup, env)
    floor = statistics.median(results[factors[0]][FLOOR[0]][0])
    for factor in factors:
        base = results.get(1)
        files = [datasets[factor]] if datasets[factor] else shipped_packs()
        size = sum(os.path.getsize(f) for f in files) / 1024
        print(f"knowledge base {factor}x ({size:,.0f} KiB)")
        print(f"  {'command':32} {'median':>8} {'spread':>15} {'x floor':>8} {'x at 1x':>8} {'peak':>9}")
        for label, (times, mib) in results[factor].items():
            if factor != factors[0] and label in (FLOOR[0], RICH_FLOOR[0]):
                continue  # the references are the same processes at every size
            med = statistics.median(times)
            spread = f"{min(times) * 1000:.0f}-{max(times) * 1000:.0f} ms"
            vs_one = ""
            if base is not None and factor > 1:
                vs_one = f"{med / statistics.median(base[label][0]):.2f}"
            print(f"  {label:32} {med * 1000:6.0f}ms {spread:>15} {med / floor:8.2f} {vs_one:>8} {mib:6.1f}MiB")
        print()

    one = results.get(1)
    if one is not None:
        floor = statistics.median(one[FLOOR[0]][0])
        ratio = {label: statistics.median(t) / floor for label, (t, _) in one.items()}
        checks = [
            ("province Anhui --json within 1.3x floor", ratio["province Anhui --json"] <= 1.3),
            (
                "Rich views within 1.3x the typer + rich reference",
                all(ratio[v] / ratio[RICH_FLOOR[0]] <= 1.3 for v in RICH_VIEWS),
            ),
            ("a first run on a cold cache under 0.6 s", statistics.median(one[COLD][0]) < 0.6),
            (
                "an unknown name within 1.5x of a known one",
                ratio["unknown: province Atlantis"] / ratio["province Anhui --json"] <= 1.5,
            ),
            # with every county in the reference pack (the issue "One question, one answer" set 80 MiB)
            ("peak memory at 1x under 80 MiB", all(mib < 80 for _, mib in one.values())),
        ]
        if 100 in results:
            grow = {
                label: statistics.median(results[100][label][0]) / statistics.median(one[label][0]) for label in LOOKUPS
            }
            checks.append(("lookups at 100x within 1.5x of 1x", all(g <= 1.5 for g in grow.values())))
        print("targets:")
        for name, ok in checks:
            print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
