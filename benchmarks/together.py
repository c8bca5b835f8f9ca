"""First runs started together: what runs of the same packs cost when several start at once on an empty cache.

    python benchmarks/together.py                      # 10x, 3 runs at once, 3 rounds
    python benchmarks/together.py --factors 10,100 --together 2 --rounds 2

Runs of the same packs compile them one at a time (store/cachefolder.building_alone): one that finds another
compiling waits for it and answers from its build, so N runs started together should each take about as
long as one run alone, and all but one stay small. Each round times one first run alone, then N started
together, each in an empty cache folder (the disk settled before, untimed), at every size; reported per size:
the median of one run alone, the median of the slowest of N together and their ratio, and the peak memory
(max RSS) of the largest and of the smallest of the N. Each size is one synthetic pack from scale.py, read as a
pack of one's own (CLUSTERS_DATA, CLUSTERS_NO_SHIPPED), as in table.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import bench_env, program, write_scaled  # noqa: E402

ASK = ["province", "Anhui", "--json"]


def started_together(argv: list[str], env: dict[str, str], n: int) -> list[tuple[float, float]]:
    """(seconds, peak MiB) of each of `n` processes started at once."""
    start = time.perf_counter()
    procs = [subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env) for _ in range(n)]
    done: list[tuple[float, float]] = []
    for proc in procs:
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{' '.join(argv)} exited {os.waitstatus_to_exitcode(status)}")
        done.append((time.perf_counter() - start, usage.ru_maxrss / 1024))
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factors", default="10")
    parser.add_argument("--together", type=int, default=3, help="runs started at once")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    factors = [int(f) for f in args.factors.split(",")]
    work = Path(tempfile.mkdtemp(prefix="clusters-together-"))
    try:
        packs = {f: work / f"kb{f}.yaml" for f in factors}
        for f, pack in packs.items():
            write_scaled(f, pack)
        prog = [sys.executable, *program()]
        alone: dict[int, list[float]] = {f: [] for f in factors}
        slowest: dict[int, list[float]] = {f: [] for f in factors}
        peaks: dict[int, tuple[float, float]] = {f: (0.0, 0.0) for f in factors}
        for _ in range(args.rounds):
            for f, pack in packs.items():
                for n in (1, args.together):
                    cache = work / "cache"
                    shutil.rmtree(cache, ignore_errors=True)
                    env = bench_env(
                        CLUSTERS_MAX_BYTES=str(1 << 30),
                        CLUSTERS_DATA=str(pack),
                        CLUSTERS_NO_SHIPPED="1",
                        CLUSTERS_CACHE_DIR=str(cache),
                    )
                    os.sync()  # untimed: no run pays for the writes of those before it
                    runs = started_together([*prog, *ASK], env, n)
                    if n == 1:
                        alone[f].append(runs[0][0])
                    else:
                        slowest[f].append(max(s for s, _ in runs))
                        mibs = [m for _, m in runs]
                        peaks[f] = (max(peaks[f][0], max(mibs)), max(peaks[f][1], min(mibs)))
        print(f"first runs of `{' '.join(ASK)}` on an empty cache; {args.rounds} rounds, medians (ms)")
        print(f"| size | one alone | slowest of {args.together} together | ratio | peak MiB: largest, smallest |")
        print("|---|---|---|---|---|")
        for f in factors:
            one, many = statistics.median(alone[f]), statistics.median(slowest[f])
            largest, smallest = peaks[f]
            print(
                f"| {f}x | {one * 1000:,.0f} | {many * 1000:,.0f} | {many / one:.2f} | {largest:.0f}, {smallest:.0f} |"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
