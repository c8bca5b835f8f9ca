#!/usr/bin/env python3
"""Refresh the example outputs in README.md and README.zh-CN.md from the real CLI (80 columns, no colour).

    python scripts/readme_examples.py          # rewrite both in place
    python scripts/readme_examples.py --check  # exit 1 if an example is stale

An example is a ```text block that follows a block holding only `$ clusters ...`, or a block that opens
with `$ clusters ...` followed by the output. Blocks without a command are left alone.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READMES = [ROOT / "README.md", ROOT / "README.zh-CN.md"]
BLOCK = re.compile(r"```text\n(.*?)```", re.S)


def run(command: str) -> str:
    args = shlex.split(command)
    assert args[0] == "clusters", command
    pipe = ""
    if "|" in args:
        at = args.index("|")
        args, pipe = args[:at], " ".join(args[at + 1 :])
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb", "LANG": "C.UTF-8"}
    for var in ("CLUSTERS_DATA", "CLUSTERS_LANG", "LC_ALL", "LC_MESSAGES"):  # English unless --lang says
        env.pop(var, None)
    proc = subprocess.run([sys.executable, "-m", "clusters_cli", *args[1:]], capture_output=True, text=True, env=env)
    out = proc.stdout + proc.stderr if proc.returncode else proc.stdout or proc.stderr
    if pipe.startswith("head -"):
        out = "\n".join(out.splitlines()[: int(pipe.split("-")[1])]) + "\n"
    return "\n".join(line.rstrip() for line in out.rstrip("\n").splitlines()) + "\n"


def refresh(text: str) -> str:
    out, last, pending = [], 0, None
    for m in BLOCK.finditer(text):
        body = m.group(1)
        lines = body.splitlines()
        new_body = body
        if pending is not None:
            new_body = run(pending)
            pending = None
        elif lines and lines[0].startswith("$ clusters"):
            if len(lines) == 1:
                pending = lines[0][2:]
            else:
                new_body = lines[0] + "\n" + run(lines[0][2:])
        out.append(text[last : m.start(1)] + new_body)
        last = m.end(1)
    out.append(text[last:])
    return "".join(out)


def main() -> int:
    stale = []
    for readme in READMES:
        old = readme.read_text(encoding="utf-8")
        new = refresh(old)
        if new != old:
            stale.append(readme.name)
            if "--check" not in sys.argv:
                readme.write_text(new, encoding="utf-8")
    if "--check" in sys.argv:
        print(f"examples are stale in {', '.join(stale)}" if stale else "up to date", file=sys.stderr)
        return 1 if stale else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
