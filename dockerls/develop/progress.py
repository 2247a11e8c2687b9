"""How develop reports what it is doing: one interface for the CLI (a progress bar) and the
language server (``$/progress`` work-done notifications).

The engine calls ``on_begin`` once, ``on_step`` whenever the phase or the percentage moves
("Step 3/7 : RUN ...", 42), ``on_log`` for every line of build, pull or lifecycle output, and
``on_end`` once (also after a failure or a cancel; its message says which).
"""

from __future__ import annotations

import threading
from typing import Protocol


class Progress(Protocol):
    def on_begin(self, title: str) -> None: ...

    def on_step(self, message: str, percent: int | None) -> None: ...

    def on_log(self, line: str) -> None: ...

    def on_end(self, message: str) -> None: ...


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
