"""The breadth survey: the questions beyond the scale table's rows, each at 1x and 100x, as a ratio in one run.

    python benchmarks/breadth.py                 # every question, 3 alternated runs at each size (about 15 min,
                                                 # most of it building the 100x pack's cache once)
    python benchmarks/breadth.py --runs 5 --only list

The scale table (table.py) times the issue's rows. This times what a user also asks: every kind's lookup, the
filters of `list`, `rank` at each level, `near`, `compare`, `stats` and `map` with their options, the Chinese
interface, and the answers of a question that fails (an unknown name, another kind's name). Each size is one
synthetic pack from scale.py, read as a pack of one's own, its cache built before timing; every question runs
as a fresh process of the installed `clusters`, at 1x then at 100x, round after round. Reported: the median
time at each size, 100x/1x, peak memory at 100x, the exit code, and a mark where 100x/1x is above 1.5 (what
the issue asks of a lookup): a question whose answer is the same at both sizes should cost the same at both,
and one whose answer grows (a sector's specialties at 100x name 1,882 clusters, not one) says so in the
table's `grows` column, which is this file's word, not a measurement.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import bench_env, compiled_packs, program, run_once  # noqa: E402

# (group, question, whether its answer grows with the data: at 100x the copies name it too)
QUESTIONS: list[tuple[str, str, bool]] = [
    ("lookup", "province Anhui", False),
    ("lookup", "city Nantong", False),
    ("lookup", "region yrd", False),
    ("lookup", "company byd", False),
    ("lookup", "cluster prd-electronics", False),
    ("lookup", "designation national-advanced-manufacturing", False),
    ("lookup", "park liangjiang-new-area", False),
    ("lookup", "cite guangdong-electronics-revenue-2022", False),
    ("lookup", "city Atlantis", False),
    ("lookup", "compare semiconductors batteries", False),
    ("lookup", "compare Atlantis Anhui", False),
    ("lookup", "near Atlantis", False),
    ("lookup", "sector semiconductors --json", True),
    ("list", "list cities --province Anhui", False),
    ("list", "list cities --region yrd", False),
    ("list", "list cities --level county --province Jiangsu", False),
    ("list", "list parks --province Anhui", False),
    ("list", "list parks --region yrd", False),
    ("list", "list sectors --province Anhui", False),
    ("list", "list sectors --region yrd", False),
    ("list", "list provinces --region yrd", False),
    ("list", "list regions --province Anhui", False),
    ("list", "list clusters --region yrd", False),
    ("list", "list companies --province Guangdong", False),
    ("list", "list statistics --province Anhui", False),
    ("list", "list clusters --designation national-advanced-manufacturing", True),
    ("list", "list statistics --sort amount --reverse --limit 5", True),
    ("rank", "rank regions --sector semiconductors", False),
    ("rank", "rank cities --sector wind --limit 5", False),
    ("near", "near Hefei --sector semiconductors", False),
    ("near", "near Hefei --km 500", False),
    ("near", "near Shenzhen --kind company", False),
    ("compare", "compare Anhui Jiangsu", False),
    ("compare", "compare --sector wind --sector photovoltaics", False),
    ("stats", "stats --province Anhui", False),
    ("stats", "stats --region yrd", False),
    ("search", "search battery", True),
    ("search", "search Hefei semiconductors", True),
    ("zh", "--lang zh province Anhui", False),
    ("zh", "--lang zh list cities --province Anhui", False),
    ("zh", "--lang zh sector wind", False),
    ("zh", "--lang zh rank provinces --sector wind", False),
    ("zh", "--lang zh map", True),
]
LOOKUP_LIMIT = 1.5  # the bound for a lookup at 100x against 1x


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each question at each size")
    parser.add_argument("--only", help="only the questions of this group (lookup, list, rank, near, ...)")
    parser.add_argument("--factor", type=int, default=100, help="the larger size (default 100)")
    args = parser.parse_args(argv)
    questions = [q for q in QUESTIONS if args.only is None or q[0] == args.only]
    if not questions:
        parser.error(f"no question in the group {args.only!r}")
    work = Path(tempfile.mkdtemp(prefix="clusters-breadth-"))
    try:
        return _survey(args, questions, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # the 100x pack's cache alone is over a gigabyte


def _survey(args: argparse.Namespace, questions: list[tuple[str, str, bool]], work: Path) -> int:
    env = bench_env(CLUSTERS_MAX_BYTES=str(1 << 30))
    sizes = (1, args.factor)
    prog = [sys.executable, *program()]
    envs = compiled_packs(sizes, work, env, prog)
    print(f"{'group':8} {'1x ms':>7} {f'{args.factor}x ms':>8} {'ratio':>6} {'MiB':>5} {'exit':>4}  question")
    over = 0
    for group, question, grows in questions:
        argv_ = [*prog, *shlex.split(question)]
        for f in sizes:  # warm the files the question reads, untimed
            run_once(argv_, envs[f])
        times: dict[int, list[float]] = {f: [] for f in sizes}
        peak = 0.0
        for _ in range(args.runs):
            for f in sizes:
                seconds, mib = run_once(argv_, envs[f])
                times[f].append(seconds)
                if f == args.factor:
                    peak = max(peak, mib)
        small, large = (statistics.median(times[f]) * 1000 for f in sizes)
        code = subprocess.run(argv_, env=envs[args.factor], capture_output=True).returncode
        ratio = large / small
        mark = "grows" if grows else ("  !" if ratio > LOOKUP_LIMIT else "")
        over += ratio > LOOKUP_LIMIT and not grows
        print(f"{group:8} {small:7.0f} {large:8.0f} {ratio:6.2f} {peak:5.0f} {code:>4}  {question}  {mark}", flush=True)
    print(f"\n{over} question(s) whose answer does not grow took more than {LOOKUP_LIMIT} times their 1x time")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
