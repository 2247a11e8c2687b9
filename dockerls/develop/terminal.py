"""Progress on a terminal: one line redrawn in place, ``[#####-----]  42% Step 3/7 : RUN ...``.
When standard error is not a terminal, each step is printed once on its own line instead."""

from __future__ import annotations

import re
import sys
import threading
from collections import deque
from typing import TextIO

BAR_WIDTH = 24
# Colours and cursor moves in build and command output: kept on a terminal, removed elsewhere (a
# log file, a CI page) where they would show as raw codes.
ANSI_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


class TerminalProgress:
    def __init__(self, stream: TextIO | None = None, verbose: bool = False):
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty()
        self.verbose = verbose  # print every log line, not only the steps
        self.percent = 0
        self.message = ""
        self.recent: deque[str] = deque(maxlen=30)  # shown when the run fails
        self._lock = threading.Lock()
        self._drawn = False

    # -- the Progress interface ------------------------------------------------------------------

    def on_begin(self, title: str) -> None:
        with self._lock:
            self.percent = 0
            self._line(title)

    def on_step(self, message: str, percent: int | None) -> None:
        with self._lock:
            if percent is not None:
                self.percent = max(self.percent, percent)
            self.message = message
            if self.interactive:
                self._draw()
            else:
                self._line(f"{self.percent:3d}% {message}")

    def on_log(self, line: str) -> None:
        with self._lock:
            self.recent.append(line)
            if self.verbose:
                self._line(line)

    def on_build_step(self, step) -> None:
        """On a terminal, each finished build step keeps a full bar line of its own (the live bar
        below shows the running step and its bytes)."""
        if not self.interactive or not step.finished or step.name.startswith("[internal]"):
            return
        with self._lock:
            filled = BAR_WIDTH if step.state != "failed" else 0
            took = f" {step.seconds:.1f}s" if step.seconds is not None else ""
            label = {"cached": " CACHED", "failed": " FAILED"}.get(step.state, "")
            self._line(f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {step.name}{label}{took}")

    def on_ready(self, ready) -> None:
        """The container can be worked in (waitFor's command has run): a line of its own, also
        without --verbose; the lifecycle commands after it go on below."""
        with self._lock:
            self._line(ready.message())

    def on_end(self, message: str) -> None:
        """The last line; a failure's message is left to the command's own error line (each error
        is printed once), after the last lines of output that explain it."""
        with self._lock:
            failed = message.startswith("Failed")
            if failed and not self.verbose and self.recent:
                self._line("Last lines of output:")
                for line in self.recent:
                    self._line(f"  {line}")
            self.message = ""  # the bar is not drawn again after the last line
            if not failed:
                self._line(message)
            elif self.interactive and self._drawn:
                self.stream.write("\r\x1b[2K")
                self.stream.flush()
            self._drawn = False

    # -- drawing ---------------------------------------------------------------------------------

    def _draw(self) -> None:
        import shutil  # here: a start that draws nothing (--json, no terminal) does not import it

        width = shutil.get_terminal_size((80, 20)).columns
        filled = BAR_WIDTH * self.percent // 100
        bar = f"[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] {self.percent:3d}% "
        text = (bar + self.message.replace("\n", " "))[: max(width - 1, 10)]
        self.stream.write("\r\x1b[2K" + text)
        self.stream.flush()
        self._drawn = True

    def _line(self, text: str) -> None:
        """A line of its own; the bar is redrawn below it."""
        if self.interactive and self._drawn:
            self.stream.write("\r\x1b[2K")
        if not self.interactive:
            text = ANSI_ESCAPE.sub("", text)
        self.stream.write(text + "\n")
        if self.interactive and self._drawn and self.message:
            self._draw()
        self.stream.flush()
