"""Checking many files at once: worker processes when there are enough files to pay for them.

Starting processes costs more than checking a few files (a check takes a few milliseconds), so
files are checked in this process unless there are more than ``PARALLEL_THRESHOLD`` of them and
more than one CPU.  Workers are forked (Linux and other systems with ``fork``: they start with the
rules already imported, in milliseconds); where ``fork`` is unsafe or missing (macOS, Windows) the
check stays in one process.  Jobs go out in chunks, and results come back in the order of the jobs,
so the output does not depend on the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Sequence

from dockerls.check import FileResult, check_file
from dockerls.config import Config
from dockerls.lint.workspace_fs import PLAIN_FS, RecordingFS, WorkspaceFS
from dockerls.text import LineIndex

PARALLEL_THRESHOLD = 32


@dataclass
class Job:
    path: str  # the file ("-" for standard input)
    shown: str  # the path findings carry
    kind: str
    data: bytes
    config: Config
    fix: bool = False
    unsafe_fixes: bool = False
    record: bool = False  # record what the check looks at (for the cache)
    root: str | None = None  # the folder the file is checked within: nothing outside it is read


@dataclass
class Outcome:
    result: FileResult
    dependencies: dict | None = None


def run_job(job: Job) -> Outcome:
    if not job.record:
        return Outcome(_check(job, PLAIN_FS if job.root is None else WorkspaceFS(root=job.root)))
    from dockerls.cache import dependencies

    # What the checks ask about the files around this one is what its cached result depends on
    # (the file itself is covered by its digest).
    fs = RecordingFS(own=(job.path,) if job.path != "-" else (), root=job.root)
    result = _check(job, fs)
    return Outcome(result, dependencies(fs))


def _check(job: Job, fs: WorkspaceFS) -> FileResult:
    """The file's result; when checking it fails, a result holding only that failure (the run goes
    on with the other files)."""
    try:
        return check_file(job.shown, job.kind, job.data, job.config, fix=job.fix, unsafe_fixes=job.unsafe_fixes,
                          fs=fs)
    except Exception as err:  # RecursionError and MemoryError included: a file's input, not the run's state
        from dockerls.rules.run.dls000_internal_error import InternalError

        text = job.data.decode("utf-8", "replace")
        return FileResult(job.shown, job.kind, text, LineIndex(text), [InternalError.of(job.shown, err)])


def _run_chunk(jobs: list[Job]) -> list[Outcome]:
    return [run_job(j) for j in jobs]


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def workers_for(jobs: int, requested: int | None) -> int:
    """How many processes check ``jobs`` files (1: this process alone)."""
    wanted = cpu_count() if not requested else requested
    if wanted <= 1 or jobs <= PARALLEL_THRESHOLD or not can_fork():
        return 1
    return min(wanted, jobs)


def run_jobs(jobs: Sequence[Job], workers: int = 1) -> list[Outcome]:
    """The outcome of each job, in order; ``workers`` > 1 uses that many processes."""
    if workers <= 1 or len(jobs) <= 1:
        return [run_job(j) for j in jobs]
    from dockerls.rules.registry import all_rules

    all_rules()  # import every rule before forking, once, instead of in each worker
    # Chunks: few enough to keep messaging cheap, many enough to balance uneven files.
    size = max(4, min(64, len(jobs) // (workers * 8) or 1))
    chunks = [list(jobs[i:i + size]) for i in range(0, len(jobs), size)]
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return [outcome for chunk in pool.map(_run_chunk, chunks) for outcome in chunk]
    except (BrokenProcessPool, OSError):  # a worker died (memory, a signal) or none could start
        return [run_job(j) for j in jobs]
