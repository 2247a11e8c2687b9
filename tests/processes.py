"""What the tests that cancel a build look at on this machine: the processes whose command line
holds a marker (a build's RUN step is a process of the engine's, not a container), and waiting."""

from __future__ import annotations

import time
from pathlib import Path


def processes_with(text: str, but: int | None = None) -> list[str]:
    """Command lines of this machine's processes that contain ``text``, except process ``but``
    (the one that sent the marker, whose own command line holds it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (but is None or int(entry.name) != but):
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if text in cmdline:
                found.append(cmdline)
    return found


def wait_for(condition, seconds: float, interval: float = 0.1):
    """``condition()``'s first true value within ``seconds``, else its last value."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(interval)
    return condition()
