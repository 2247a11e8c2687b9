"""External tools' findings (ShellCheck in RUN) in the editor, off the typing path.

A publish of the fast diagnostics (:mod:`dockerls.lsp.diagnostics`) starts this for the same
document version: after ``DELAY`` seconds without a newer edit, and once no document waits for its
fast diagnostics, a worker thread runs the kind's ``external_findings`` (a ShellCheck process: tens
of milliseconds or more), and when it is done the event loop publishes the fast diagnostics
together with them — only if the document is still at that version.  A newer edit cancels what has
not started and discards what has, so a publish never carries positions of a text the editor no
longer shows.
"""

from __future__ import annotations

import asyncio
import logging

log = logging.getLogger("dockerls.lsp")

DELAY = 0.15  # seconds of no typing before an external tool runs


def start(server, doc) -> None:
    """Run the external tools on ``doc`` as it is now, in the background (cancels an earlier run).
    While other documents wait for their fast diagnostics (an editor opening thousands), the run
    waits its turn in ``server.external_waiting`` (no task each: they cost memory and time by the
    thousand), served newest first by one task once the lint queue is empty."""
    cancel(server, doc.uri)
    if doc.kind is None or server.pull_diagnostics or not server.settings.enabled("diagnostics"):
        return
    config, _ = server.config_for(doc)
    if not getattr(config, "shellcheck", False):
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no loop (a test calling publish directly): nothing in the background
        return
    if server.lint_queue:
        server.external_waiting[doc.uri] = doc.version
        if server.external_drainer is None or server.external_drainer.done():
            server.external_drainer = loop.create_task(_drain(server))
        return
    server.external_tasks[doc.uri] = loop.create_task(_run(server, doc.uri, doc.version, config))


def cancel(server, uri: str) -> None:
    server.external_waiting.pop(uri, None)
    task = server.external_tasks.pop(uri, None)
    if task is not None:
        task.cancel()


async def _drain(server) -> None:
    """The waiting runs, newest first, one at a time, each once no document waits for its fast
    diagnostics."""
    from dockerls.lsp import diagnostics

    while True:
        await diagnostics.queue_drained(server)
        if not server.external_waiting:
            return
        uri, version = server.external_waiting.popitem()
        doc = server.documents.get(uri, quiet=True)
        if doc is None or doc.version != version:
            continue
        config, _ = server.config_for(doc)
        task = server.external_tasks[uri] = asyncio.get_running_loop().create_task(
            _run(server, uri, version, config, delay=0))
        await asyncio.wait([task])


async def _run(server, uri: str, version: int, config, delay: float = DELAY) -> None:
    from dockerls.lsp import diagnostics

    if delay:
        await asyncio.sleep(delay)
    # Every queued document's fast diagnostics first: an editor opening thousands of documents
    # would otherwise wait for them behind a ShellCheck process per document.
    await diagnostics.queue_drained(server)
    doc = server.documents.get(uri, quiet=True)
    if doc is None or doc.version != version:
        return
    text, path, kind = doc.text, doc.path, doc.kind
    try:
        found = await asyncio.get_running_loop().run_in_executor(
            None, kind.external_findings, text, config, path)
    except Exception:
        log.exception("external tools on %s failed", uri)
        return
    doc = server.documents.get(uri, quiet=True)
    if doc is None or doc.version != version or server.external_tasks.get(uri) is not asyncio.current_task():
        return  # edited (or closed) meanwhile: the newer version has its own run
    server.external_tasks.pop(uri, None)
    if not found:
        return
    from dockerls.finding import Finding

    diagnostics._send(server, doc, sorted([*diagnostics._findings(server, doc), *found], key=Finding.sort_key), version)
