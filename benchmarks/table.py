"""The scale table: how each command's time and memory grow with the knowledge base, as ratios in one run.

    python benchmarks/table.py                    # 1x, 10x and 100x; 3 alternated runs each (about 20 min)
    python benchmarks/table.py --factors 1,10     # quicker
    python benchmarks/table.py --runs 5 --skip-cold

Each size is one synthetic pack from scale.py (1x is the shipped packs in one file), read as a pack of
one's own (CLUSTERS_DATA, CLUSTERS_NO_SHIPPED). Every command runs as a fresh process of the installed
`clusters`, all commands at all sizes alternated round-robin so that noise touches all alike: each round runs
every row at each size one after the other (a ratio compares runs made seconds apart, not minutes: this
machine's speed drifts by a fifth over minutes), the floor just before each row compared with it and the
peers just after the row whose question they answer. Reported:
the median time at each size, 100x/1x and 100x/10x, and the peak memory (max RSS) at the largest size.
Before each timed run the disk is settled (os.sync, untimed): a first run at 100x writes 1.5 GB, and no
run should pay for the writing of those before it. What a run reads may still come from the disk: a machine
that pages out files it has not read for a while (this one's kernel does: DAMON's pageout) drops a large
database between two runs of the same row (benchmarks/README.md, the rebuild).

Rows:
- warm: the cache built, the command answered from it;
- "cache rebuild after a touched pack": a small pack of one's own beside the large one is changed before
  each run (a source more), so the database is compiled again: since it comes last and holds only a
  source, by replacing its rows in the last build, where it stands (store/delta.py, store/inplace.py);
- "first run with a pack of one's own added": the large pack's build is in the cache, and a small pack of
  one's own is read beside it for the first time, so its rows are added to a copy of that build;
- "first run on one's own pack": an empty cache folder each run: parse, check, compile, answer;
- "list cities --format csv, made (none kept)": the warm cache without the list's kept cells (store/kept.py),
  removed before each run, so the rows are made and kept again; the warm row above it reads them, kept
  before the first timed run.

Then the peers on the same question as `list cities --format csv` (`sqlite-utils query` over the SQLite
export, `jq` over the JSON export, each left out with a note where it is not installed), in the same
round-robin: each peer's rows are first checked to be ours (the same columns and values, in the same
order), so the comparison is of one answer. And the targets of the issue "Scale" (README of this folder),
each PASS or FAIL.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import bench_env, program, run_once, write_scaled  # noqa: E402

WARM: list[tuple[str, list[str]]] = [
    ("province Anhui --json", ["province", "Anhui", "--json"]),
    ("sector semiconductors", ["sector", "semiconductors"]),
    ("city Shenzen (a near miss)", ["city", "Shenzen"]),
    ("province Atlantis (unknown)", ["province", "Atlantis"]),
    ("search zzqxq (nothing)", ["search", "zzqxq"]),
    ('search "offshore wind"', ["search", "offshore wind"]),
    ("search 汽车 (a Chinese word of two characters)", ["search", "汽车"]),
    ("near Suzhou --json", ["near", "Suzhou", "--json"]),
    ("list cities", ["list", "cities"]),
    ("list cities --format csv", ["list", "cities", "--format", "csv"]),
    ("rank provinces --sector wind", ["rank", "provinces", "--sector", "wind"]),
    ("stats", ["stats"]),
    ("map", ["map"]),
    ("info", ["info"]),
]
LOOKUPS = WARM[:8]
WHOLE = ["list cities", "rank provinces --sector wind", "stats", "map"]
REBUILD = "cache rebuild after a touched pack"
ADDED = "first run with a pack of one's own added"
COLD = "first run on one's own pack"
CHANGED = [(REBUILD, "rebuild"), (ADDED, "added"), (COLD, "cold")]
FLOOR = "floor: import typer + rich table"
FLOORED = ("list cities", "stats")  # the rows compared with the floor
LIST_CSV = "list cities --format csv"
MADE_CSV = "list cities --format csv, made (none kept)"
SQLITE_UTILS = "peer: sqlite-utils query over the SQLite export"
JQ = "peer: jq over the JSON export"
# list cities' CSV columns from the SQLite export: its counts from the counting rule's table
PEER_SQL = (
    "SELECT c.id, c.name, c.name_zh, c.province AS province_id, p.name AS province_name, c.code, c.kind, "
    "c.level, c.prefecture AS prefecture_id, f.name AS prefecture_name, c.lat, c.lon, "
    "coalesce(n.clusters, 0) AS cluster_count "
    "FROM cities c LEFT JOIN provinces p ON p.id = c.province LEFT JOIN cities f ON f.id = c.prefecture "
    "LEFT JOIN (SELECT place_id, COUNT(*) AS clusters FROM cluster_places WHERE kind = 'city' GROUP BY place_id) n "
    "ON n.place_id = c.id ORDER BY c.rowid"
)
# the same from the JSON export
PEER_JQ = (
    '(.counting_rule.cluster_places | map(select(.kind == "city")) | group_by(.place_id)'
    " | map({key: .[0].place_id, value: length}) | from_entries) as $n"
    " | (.provinces | map({key: .id, value: .name}) | from_entries) as $p"
    " | (.cities | map({key: .id, value: .name}) | from_entries) as $c"
    ' | ["id", "name", "name_zh", "province_id", "province_name", "code", "kind", "level", "prefecture_id",'
    ' "prefecture_name", "lat", "lon", "cluster_count"],'
    " (.cities[] | [.id, .name, .name_zh, .province, $p[.province], .code, .kind, .level, .prefecture,"
    " (if .prefecture then $c[.prefecture] else null end), .lat, .lon, ($n[.id] // 0)]) | @csv"
)


def entries(pack: Path) -> int:
    """The entities of a pack scale.py wrote (an entry of a section, as it writes them: "- id: ..." at its column)."""
    with pack.open(encoding="utf-8") as f:
        return sum(1 for line in f if line.startswith(("- id: ", "  - id: ")))


def peers(prog: list[str], env: dict[str, str], folder: Path) -> list[tuple[str, list[str]]]:
    """(label, command) of each installed peer, after exporting what it reads and checking that it prints
    the rows `list cities --format csv` prints."""
    found: list[tuple[str, list[str]]] = []
    su = shutil.which("sqlite-utils") or str(Path(sys.executable).with_name("sqlite-utils"))
    if Path(su).exists():
        subprocess.run([*prog, "export", "-o", str(folder / "kb.db")], env=env, check=True, capture_output=True)
        found.append((SQLITE_UTILS, [su, "query", str(folder / "kb.db"), PEER_SQL, "--csv"]))
    else:
        print("sqlite-utils is not installed (pip install sqlite-utils): its row is left out", file=sys.stderr)
    jq = shutil.which("jq")
    if jq:
        subprocess.run([*prog, "export", "-o", str(folder / "kb.json")], env=env, check=True, capture_output=True)
        found.append((JQ, [jq, "-r", PEER_JQ, str(folder / "kb.json")]))
    else:
        print("jq is not installed (apt install jq): its row is left out", file=sys.stderr)
    with open(folder / "ours.csv", "w", encoding="utf-8") as out:
        subprocess.run([*prog, "list", "cities", "--format", "csv"], env=env, stdout=out, check=True)
    for label, cmd in found:
        with open(folder / "theirs.csv", "w", encoding="utf-8") as out:
            subprocess.run(cmd, env=env, stdout=out, check=True)
        if not _same_rows(folder / "ours.csv", folder / "theirs.csv"):
            raise SystemExit(f"{label}: its rows are not those of `clusters list cities --format csv`")
    return found


def _same_rows(ours: Path, theirs: Path) -> bool:
    """Whether two CSV files hold the same rows, numbers compared as numbers (1.0 and 1 alike), empty and
    null alike. Read a row at a time: this process stays small, since a child's peak memory as the kernel
    reports it starts from the size of the process that started it."""

    def cell(value: str) -> str:
        try:
            return repr(float(value))
        except ValueError:
            return value

    with open(ours, encoding="utf-8", newline="") as a, open(theirs, encoding="utf-8", newline="") as b:
        for x, y in itertools.zip_longest(csv.reader(a), csv.reader(b)):
            if x is None or y is None or [cell(v) for v in x] != [cell(v) for v in y]:
                return False
    return True


# the small pack of one's own changed before each rebuild run (its version is the run's number)
MINE = (
    "meta: {{title: mine, version: '{n}'}}\n"
    "sources:\n  - {{id: mine-{n}, short_name: Mine, name: Mine, kind: secondary}}\n"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factors", default="1,10,100")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-cold", action="store_true", help="leave out the first-run and rebuild rows")
    parser.add_argument(
        "--peer-factors", default="1,10", help="sizes the peers run at (a 100x JSON export is 0.5 GB for jq)"
    )
    args = parser.parse_args(argv)
    factors = [int(f) for f in args.factors.split(",")]
    work = Path(tempfile.mkdtemp(prefix="clusters-table-"))
    env = bench_env(CLUSTERS_MAX_BYTES=str(1 << 30))
    packs: dict[int, Path] = {}
    for f in factors:
        packs[f] = work / f"kb{f}.yaml"
        write_scaled(f, packs[f])
        (work / f"mine{f}.yaml").write_text(MINE.format(n=0), encoding="utf-8")

    def data_env(f: int, cache: str, mine: Path | None = None) -> dict[str, str]:
        files = [str(packs[f]), *([str(mine)] if mine else [])]
        return {**env, "CLUSTERS_DATA": os.pathsep.join(files), "CLUSTERS_NO_SHIPPED": "1", "CLUSTERS_CACHE_DIR": cache}

    prog = [sys.executable, *program()]
    kept: dict[int, set[Path]] = {}  # what the "added" folder holds before each run: the large pack's build
    for f in factors:  # warm the caches (and the rebuild's parse of the large pack) first
        for cache, mine in ((work / f"warm{f}", False), (work / f"rebuild{f}", True)):
            run_once(
                [*prog, "province", "Anhui", "--json"],
                data_env(f, str(cache), work / f"mine{f}.yaml" if mine else None),
            )
        run_once([*prog, "list", "cities", "--format", "csv"], data_env(f, str(work / f"warm{f}")))  # its cells kept
        if not args.skip_cold:
            shutil.copytree(work / f"warm{f}", work / f"added{f}")
            kept[f] = set((work / f"added{f}").iterdir())
    peer_factors = [f for f in factors if str(f) in args.peer_factors.split(",")]
    found: dict[int, list[tuple[str, list[str]]]] = {}
    for f in peer_factors:
        folder = work / f"peers{f}"
        folder.mkdir()
        found[f] = peers(prog, data_env(f, str(work / f"warm{f}")), folder)
    # a round: each row at every size one after the other (the module's docstring says why)
    floor_job = (0, FLOOR, [sys.executable, "-c", "import typer, rich.table"], "")
    rows = [(label, cmd, "warm") for label, cmd in WARM] + [(MADE_CSV, ["list", "cities", "--format", "csv"], "made")]
    if not args.skip_cold:
        rows += [(label, ["province", "Anhui", "--json"], how) for label, how in CHANGED]
    jobs: list[tuple[int, str, list[str], str]] = []
    for label, cmd, how in rows:
        if label in FLOORED:
            jobs.append(floor_job)
        jobs += [(f, label, [*prog, *cmd], how) for f in factors]
        if label == LIST_CSV:
            jobs += [
                (f, peer, run, "warm") for peer in (SQLITE_UTILS, JQ) for f in found for p, run in found[f] if p == peer
            ]
    if not any(label in FLOORED for label, _, _ in rows):
        jobs.insert(0, floor_job)
    times: dict[tuple[int, str], list[float]] = {(f, label): [] for f, label, _, _ in jobs}
    peak: dict[tuple[int, str], float] = {(f, label): 0.0 for f, label, _, _ in jobs}
    for i in range(args.runs):
        for f, label, cmd, how in jobs:
            if how == "warm":
                job_env = data_env(f, str(work / f"warm{f}"))
            elif how == "made":  # the list's kept cells go: made again (and kept for the warm row's next run)
                for made in (work / f"warm{f}").glob("*.list-cities.rows"):
                    made.unlink()
                job_env = data_env(f, str(work / f"warm{f}"))
            elif how == "rebuild":
                (work / f"mine{f}.yaml").write_text(MINE.format(n=i + 1), encoding="utf-8")
                job_env = data_env(f, str(work / f"rebuild{f}"), work / f"mine{f}.yaml")
            elif how == "added":  # the build of both packs that the last run wrote goes: first runs each time
                for extra in set((work / f"added{f}").iterdir()) - kept[f]:
                    extra.unlink()
                (work / f"added{f}.yaml").write_text(MINE.format(n=1000 + i), encoding="utf-8")
                job_env = data_env(f, str(work / f"added{f}"), work / f"added{f}.yaml")
            elif how == "cold":
                job_env = data_env(f, tempfile.mkdtemp(prefix="cold-", dir=work))
            else:
                job_env = env
            if hasattr(os, "sync"):
                os.sync()  # untimed: the disk settled, so no run pays for the writes of the runs before it
            seconds, mib = run_once(cmd, job_env)
            times[(f, label)].append(seconds)
            peak[(f, label)] = max(peak[(f, label)], mib)
            if how == "cold":
                shutil.rmtree(job_env["CLUSTERS_CACHE_DIR"], ignore_errors=True)

    def med(f: int, label: str) -> float:
        return statistics.median(times[(f, label)])

    top = factors[-1]
    sizes = {f: packs[f].stat().st_size for f in factors}
    entities = {f: entries(packs[f]) for f in factors}
    print(
        f"sizes: {', '.join(f'{f}x {sizes[f] / 1048576:.1f} MiB ({entities[f]:,} entities)' for f in factors)}; "
        f"{args.runs} runs, medians (ms)"
    )
    if {10, 100} <= set(factors):  # what "grows faster than the data" is measured against
        print(
            f"the data from 10x to 100x: {sizes[100] / sizes[10]:.2f} times the bytes, "
            f"{entities[100] / entities[10]:.2f} times the entities"
        )
    head = " | ".join(f"{f}x ms" for f in factors)
    ratios = (f" | {top}x/1x" if 1 in factors and top != 1 else "") + (
        " | 100x/10x" if {10, 100} <= set(factors) else ""
    )
    print(f"| command | {head}{ratios} | peak MiB at {top}x |")
    print("|---" * (len(factors) + 2 + ratios.count("|")) + "|")
    labels = [label for label, _ in WARM] + [MADE_CSV] + ([] if args.skip_cold else [REBUILD, ADDED, COLD])
    peer_labels = [p for p in (SQLITE_UTILS, JQ) if any((f, p) in times for f in factors)]
    for label in labels + peer_labels:
        if label in peer_labels:
            cells = " | ".join(f"{med(f, label) * 1000:,.0f}" if (f, label) in times else "-" for f in factors)
            print(f"| {label} | {cells} |")
            continue
        cells = " | ".join(f"{med(f, label) * 1000:,.0f}" for f in factors)
        extra = ""
        if 1 in factors and top != 1:
            extra += f" | {med(top, label) / med(1, label):.1f}"
        if {10, 100} <= set(factors):
            extra += f" | {med(100, label) / med(10, label):.1f}"
        print(f"| `{label}` | {cells}{extra} | {peak[(top, label)]:.0f} |")
    floor = statistics.median(times[(0, FLOOR)])
    # a child's peak is reported from this process's size at its start: the floor's shows that base
    print(f"| {FLOOR} | {floor * 1000:,.0f} | peak {peak[(0, FLOOR)]:.0f} MiB |")

    print("\ntargets:")
    checks: list[tuple[str, bool]] = []
    if {10, 100} <= set(factors):
        # the rows over, each with its ratio to two places: the table prints one, and 10.06 reads 10.0 there
        over = [f"{x} {med(100, x) / med(10, x):.2f}" for x in labels if med(100, x) / med(10, x) > 10]
        said = f" (over: {'; '.join(over)})" if over else ""
        checks.append((f"no row grows faster than the data: 100x/10x <= 10{said}", not over))
    if {1, 100} <= set(factors):
        lookups = [label for label, _ in LOOKUPS]
        checks.append(("lookups at 100x within 1.5x of 1x", all(med(100, x) / med(1, x) <= 1.5 for x in lookups)))
        checks.append(("lookups at 100x under 100 MiB", all(peak[(100, x)] < 100 for x in lookups)))
        checks.append(
            (
                "list cities, rank, stats, map at 100x within 10x of 1x",
                all(med(100, x) / med(1, x) <= 10 for x in WHOLE),
            )
        )
        if not args.skip_cold:
            checks.append(("a cache rebuild at 100x under 10 s", med(100, REBUILD) < 10))
    if 1 in factors:
        checks.append(
            (
                "list cities and stats at 1x within 1.3x the Typer+Rich floor",
                all(med(1, x) / floor <= 1.3 for x in FLOORED),
            )
        )
    for f in peer_factors:
        if (f, SQLITE_UTILS) in times:
            ahead = med(f, LIST_CSV) < med(f, SQLITE_UTILS)
            checks.append((f"list cities --format csv at {f}x ahead of sqlite-utils query", ahead))
        if (f, JQ) in times:
            near = med(f, LIST_CSV) <= 1.5 * med(f, JQ)
            checks.append((f"list cities --format csv at {f}x within 1.5x of jq over the JSON export", near))
    if 10 in factors and not args.skip_cold:
        checks.append(("a first run on a 10x pack under 5 s and 500 MiB", med(10, COLD) < 5 and peak[(10, COLD)] < 500))
    for name, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
