"""A container's output, line by line, until it ends, the caller cancels or Ctrl-C."""

from __future__ import annotations

import threading
from typing import Callable

from docker.errors import NotFound

from dockerls.engine.errors import Cancelled, EngineError
from dockerls.engine.streams import CancelWatcher, capture_responses


def stream_logs(client, container: str, on_line: Callable[[str], None], *, follow: bool = True,
                tail: int | str = "all", cancel: threading.Event | None = None) -> None:
    """Send each line of ``container``'s output (stdout and stderr) to ``on_line``.  With ``follow``
    it returns when the container stops or ``cancel`` is set (without raising)."""
    api = client.api
    pending = b""
    with capture_responses(api) as responses, CancelWatcher(api, responses, cancel) as watcher:
        try:
            for chunk in api.logs(container, stream=True, follow=follow, tail=tail):
                watcher.check()
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    on_line(line.decode("utf-8", "replace").rstrip("\r"))
        except Cancelled:
            return
        except NotFound:
            raise EngineError(f"no container {container}") from None
        except Exception as err:
            if cancel is not None and cancel.is_set():
                return
            raise EngineError(f"the output of {container} was interrupted: {err}") from None
    if pending:
        on_line(pending.decode("utf-8", "replace"))
