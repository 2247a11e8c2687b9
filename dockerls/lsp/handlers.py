"""What every feature handler needs: finding the document a request is about, converting its
position, and never letting an exception out (a failing feature answers empty and logs why).
"""

from __future__ import annotations

import functools
import inspect
import logging
import time
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from dockerls.kinds import Analysis
    from dockerls.lsp.documents import Document
    from dockerls.lsp.server import DockerlsServer

log = logging.getLogger("dockerls.lsp")


def guarded(default: Any = None, feature: str | None = None):
    """Wrap a handler ``(server, params)``: exceptions are logged and ``default`` is answered, and a
    feature turned off in the settings answers ``default`` too."""

    def wrap(fn: Callable):
        @functools.wraps(fn)
        def run(server: DockerlsServer, params):
            if feature is not None and not server.settings.enabled(feature):
                return default
            started = time.perf_counter()
            try:
                return fn(server, params)
            except Exception:
                log.exception("%s failed", fn.__name__)
                return default
            finally:
                if log.isEnabledFor(logging.DEBUG):
                    log.debug("%s took %.2f ms", fn.__name__, (time.perf_counter() - started) * 1000)

        return run

    return wrap


def document(server: DockerlsServer, params) -> Document | None:
    """The open document ``params.text_document`` names, or None."""
    return server.documents.get(params.text_document.uri)


def analysed(server: DockerlsServer, params) -> tuple[Document, Analysis] | None:
    """The open document ``params.text_document`` names and its analysis, when it has one (it is
    of a kind of ours and not too big)."""
    doc = server.documents.get(params.text_document.uri)
    analysis = doc.analysis if doc is not None else None
    if doc is None or analysis is None:
        return None
    return doc, analysis


def offset_of(server: DockerlsServer, doc: Document, position) -> int:
    return doc.offset_at(position.line, position.character, server.encoding)


def register(server: DockerlsServer, method: str, options: Any = None):
    """``server.feature`` for a handler that takes ``(server, params)``."""

    def decorator(fn: Callable):
        handler: Callable
        if inspect.iscoroutinefunction(fn):
            async def run_async(params):
                return await fn(server, params)

            handler = run_async
        else:
            def run(params):
                return fn(server, params)

            handler = run
        handler.__name__ = fn.__name__
        server.feature(method, options)(handler)
        return fn

    return decorator
