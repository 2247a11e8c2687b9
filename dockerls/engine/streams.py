"""Streaming API responses that a cancel can cut short.

docker-py hands streamed responses (build output, pulls, logs) out as generators that block while
the engine is silent (a ``RUN sleep 60`` prints nothing).  A cancel is checked between chunks and,
so that it does not wait for the next chunk, a watcher thread shuts the response's socket down when
the cancel event is set: the blocked read returns at once and the engine, seeing the client gone,
stops the build (and removes its intermediate container).
"""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from typing import Iterator

from dockerls.engine.errors import Cancelled


@contextmanager
def capture_responses(api) -> Iterator[list]:
    """Record the HTTP responses the APIClient streams while inside the block."""
    responses: list = []
    original = api._stream_helper  # docker-py's one funnel for streamed responses

    def helper(response, decode=False):
        responses.append(response)
        return original(response, decode=decode)

    api._stream_helper = helper
    try:
        yield responses
    finally:
        del api._stream_helper  # back to the class's method


class CancelWatcher:
    """While active, shuts down the sockets of ``responses`` as soon as ``cancel`` is set."""

    def __init__(self, api, responses: list, cancel: threading.Event | None):
        self.api = api
        self.responses = responses
        self.cancel = cancel
        self.done = threading.Event()
        self.thread: threading.Thread | None = None

    def __enter__(self) -> CancelWatcher:
        if self.cancel is not None:
            self.thread = threading.Thread(target=self._watch, name="dockerls-cancel", daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        if self.thread is not None:
            self.thread.join(timeout=1)

    def _watch(self) -> None:
        cancel = self.cancel
        assert cancel is not None  # the thread is started only with one
        while not self.done.is_set():
            if cancel.wait(0.05):
                for response in list(self.responses):
                    shutdown(self.api, response)
                return

    def check(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled()


def shutdown(api, response) -> None:
    try:
        sock = api._get_raw_response_socket(response)
        sock = getattr(sock, "_sock", sock)
        sock.shutdown(socket.SHUT_RDWR)
    except Exception:  # already closed, or not a socket we can reach: closing is enough then
        try:
            response.close()
        except Exception:
            pass


def is_cancelled(cancel: threading.Event | None) -> bool:
    return cancel is not None and cancel.is_set()


def check_cancel(cancel: threading.Event | None) -> None:
    if is_cancelled(cancel):
        raise Cancelled()
