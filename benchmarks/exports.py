"""The exports at 1x, 10x and 100x: time and peak memory of each format, as ratios in one run.

    python benchmarks/exports.py                       # every format, 1 run at each size (about 15 min)
    python benchmarks/exports.py --formats json,csv --factors 1,10 --runs 3

An export writes the whole knowledge base, so its time grows with it; its memory should not (it writes as
it reads: README, `clusters export`). Each size is one synthetic pack from scale.py, read as a pack of one's
own, its cache built before timing; each export runs as a fresh process of the installed `clusters`, every
format at every size one after the other in each round, into a new file in a scratch folder. Reported: the
median time at each size, 100x/10x, and the peak memory (max RSS) at each size. Targets: no export's time
grows faster than the data (100x/10x at most 10), and none needs more than 500 MiB at 100x.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import bench_env, compiled_packs, program, run_once  # noqa: E402

FORMATS = ("json", "geojson", "csv", "sqlite", "xlsx")
PEAK_AT_100X = 500  # MiB


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factors", default="1,10,100")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    factors = [int(f) for f in args.factors.split(",")]
    formats = [f for f in args.formats.split(",") if f]
    if not set(formats) <= set(FORMATS):
        parser.error(f"formats are {', '.join(FORMATS)}")
    work = Path(tempfile.mkdtemp(prefix="clusters-exports-"))
    try:
        return _measure(factors, formats, args.runs, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # the 100x pack's cache alone is over a gigabyte


def _measure(factors: list[int], formats: list[str], runs: int, work: Path) -> int:
    env = bench_env(CLUSTERS_MAX_BYTES=str(1 << 30))
    prog = [sys.executable, *program()]
    envs = compiled_packs(factors, work, env, prog)
    for fmt in formats:  # each format's modules imported once (and their bytecode written), untimed
        out = work / f"warm.{fmt}"
        run_once([*prog, "export", "-o", str(out)], envs[factors[0]])
        shutil.rmtree(out) if out.is_dir() else out.unlink()
    times: dict[tuple[str, int], list[float]] = {(fmt, f): [] for fmt in formats for f in factors}
    peak: dict[tuple[str, int], float] = {(fmt, f): 0.0 for fmt in formats for f in factors}
    for i in range(runs):
        for fmt in formats:
            for f in factors:
                out = work / f"out-{i}-{f}.{fmt}"
                seconds, mib = run_once([*prog, "export", "-o", str(out)], envs[f])
                times[(fmt, f)].append(seconds)
                peak[(fmt, f)] = max(peak[(fmt, f)], mib)
                shutil.rmtree(out) if out.is_dir() else out.unlink()
    top = factors[-1]
    grows = {10, 100} <= set(factors)
    print(f"{runs} run(s) at each size, medians")
    head = " | ".join(f"{f}x s" for f in factors) + (" | 100x/10x" if grows else "")
    print(f"| export | {head} | {' | '.join(f'peak MiB at {f}x' for f in factors)} |")
    print("|---" * (1 + len(factors) * 2 + grows) + "|")
    for fmt in formats:
        med = {f: statistics.median(times[(fmt, f)]) for f in factors}
        ratio = f" | {med[100] / med[10]:.1f}" if grows else ""
        cells = " | ".join(f"{med[f]:,.2f}" for f in factors)
        print(f"| `{fmt}` | {cells}{ratio} | {' | '.join(f'{peak[(fmt, f)]:,.0f}' for f in factors)} |")
    print("\ntargets:")
    if grows:
        ok = all(statistics.median(times[(x, 100)]) / statistics.median(times[(x, 10)]) <= 10 for x in formats)
        print(f"  {'PASS' if ok else 'FAIL'}  no export grows faster than the data: 100x/10x <= 10")
    if top == 100:
        ok = all(peak[(x, 100)] < PEAK_AT_100X for x in formats)
        print(f"  {'PASS' if ok else 'FAIL'}  every export under {PEAK_AT_100X} MiB at 100x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
