"""Exit when the editor that started the server is gone (LSP: ``initialize``'s ``processId``).

An editor that crashes (or is killed) may leave the server's stdin open, through a child that
inherited it; the server would then live on, unseen.  The process is looked at a few times a second
(``os.kill(pid, 0)``: no signal is sent); when it is gone the server exits at once with code 1, as
LSP asks for an exit without ``shutdown``.  ``os._exit``: nobody is left to talk to, and a thread
blocked reading stdin must not keep the process alive.  Not on Windows (no such probe there).
"""

from __future__ import annotations

import asyncio
import logging
import os

log = logging.getLogger("dockerls.lsp")

INTERVAL = 0.25  # seconds between looks


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists (another user's), or it cannot be told: assume alive
    return True


def watch(pid: int | None) -> None:
    """Look at ``pid`` until it is gone, then exit (no-op without a pid, a loop, or on Windows)."""
    if not pid or os.name == "nt" or pid == os.getpid():
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return

    def look() -> None:
        if alive(pid):
            loop.call_later(INTERVAL, look)
            return
        log.error("the editor's process %d is gone: exiting", pid)
        logging.shutdown()
        os._exit(1)

    loop.call_later(INTERVAL, look)
