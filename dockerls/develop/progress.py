"""How develop reports what it is doing: one interface for the CLI (a progress bar) and the
language server (``$/progress`` work-done notifications).

The engine calls ``on_begin`` once, ``on_step`` whenever the phase or the percentage moves
("Step 3/7 : RUN ...", 42), ``on_log`` for every line of build, pull or lifecycle output, and
``on_end`` once (also after a failure or a cancel; its message says which).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol


class Progress(Protocol):
    def on_begin(self, title: str) -> None: ...

    def on_step(self, message: str, percent: int | None) -> None: ...

    def on_log(self, line: str) -> None: ...

    def on_end(self, message: str) -> None: ...


@dataclass
class BuildStep:
    """One step of a build as the builder reports it (a BuildKit vertex, a classic ``Step N/M``).

    A Progress that has ``on_build_step(step)`` gets one call whenever a step starts, moves (bytes
    of a pull or a copy) or ends; the others see the same as ``on_step`` messages."""

    key: str  # stable id (a vertex digest, the step number)
    name: str  # "[stage-0 2/3] RUN make", "Step 3/7 : RUN make"
    state: str  # "running", "cached", "done" or "failed"
    current: int = 0  # bytes so far (pulls, context transfers); 0 when not counted
    total: int = 0
    line: int = 0  # the Dockerfile line (1-based), 0 when unknown
    seconds: float | None = None  # how long it ran, once done

    @property
    def finished(self) -> bool:
        return self.state in ("cached", "done", "failed")


def report_step(progress: Progress, step: BuildStep) -> None:
    hook = getattr(progress, "on_build_step", None)
    if hook is not None:
        hook(step)


@dataclass
class Ready:
    """The container is ready to work in (``waitFor``'s command has run); ``remaining``: the
    lifecycle steps that go on after it."""

    container_id: str
    container_name: str
    wait_for: str
    remaining: list[str]

    def message(self) -> str:
        rest = f" (still to run: {', '.join(self.remaining)})" if self.remaining else ""
        return f"Ready (waitFor: {self.wait_for}): {self.container_name}{rest}"


def report_ready(progress: Progress, ready: Ready) -> None:
    """Said once, before the steps after ``waitFor`` run: in the log, and to a Progress that has
    ``on_ready(ready)`` (the CLI prints a line, the language server tells the user)."""
    progress.on_log(ready.message())
    hook = getattr(progress, "on_ready", None)
    if hook is not None:
        hook(ready)


class NullProgress:
    """Reports nothing."""

    def on_begin(self, title: str) -> None:
        pass

    def on_step(self, message: str, percent: int | None) -> None:
        pass

    def on_log(self, line: str) -> None:
        pass

    def on_end(self, message: str) -> None:
        pass


class RecordingProgress(NullProgress):
    """Keeps every event, as ``(kind, text, percent)``; thread-safe (lifecycle commands run in
    parallel threads).  Used by tests and by callers that show the log afterwards."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, int | None]] = []
        self._lock = threading.Lock()

    def _add(self, kind: str, text: str, percent: int | None = None) -> None:
        with self._lock:
            self.events.append((kind, text, percent))

    def on_begin(self, title: str) -> None:
        self._add("begin", title)

    def on_step(self, message: str, percent: int | None) -> None:
        self._add("step", message, percent)

    def on_log(self, line: str) -> None:
        self._add("log", line)

    def on_end(self, message: str) -> None:
        self._add("end", message)

    def on_build_step(self, step: BuildStep) -> None:
        self._add("build_step", f"{step.state} {step.name}", step.current or None)

    def texts(self, kind: str) -> list[str]:
        return [text for k, text, _ in self.events if k == kind]


class Phase:
    """Maps a phase's own 0..100 onto its share of the whole run (build 0-70 %, ...), so the
    percentage only ever grows."""

    def __init__(self, progress: Progress, start: int, end: int):
        self.progress = progress
        self.start = start
        self.end = end

    def step(self, message: str, fraction: float | None = None) -> None:
        percent = None if fraction is None else self.start + int((self.end - self.start) * max(0.0, min(fraction, 1.0)))
        self.progress.on_step(message, percent)
