"""Findings as LSP diagnostics: pushed after open/change (``publishDiagnostics``), or pulled
(``textDocument/diagnostic``) by clients that ask for them that way.

Each diagnostic carries its rule code with a link to the rule's page, tags, related locations and,
in ``data``, the finding's fix as ready-made edits, so code actions never lint again.

Timing: a change queues the lint for the next turn of the loop (or ``debounceMs`` later when set),
and a newer change of the same document replaces the queued run, so changes that are already
waiting are linted once.  The queue is served one document per turn, newest first (:func:`_queue`).  A fixed debounce was measured and rejected: on the 845-line benchmark file 50 ms
took edit -> diagnostics from 21 to 72 ms (p50): changes come one per keystroke, mostly further
apart than a lint takes, so there is rarely a burst to coalesce, and ``call_soon`` coalesces those.
"""

from __future__ import annotations

import asyncio
import logging

from lsprotocol import types

from dockerls.finding import SAFE, Severity
from dockerls.lsp import convert, external_diagnostics
from dockerls.lsp.speedups import framed_publish
from dockerls.lsp.handlers import guarded
from dockerls.lsp.handlers import register as feature
from dockerls.services.rule_docs import rule_docs_url

log = logging.getLogger("dockerls.lsp")

SOURCE = "dockerls"
SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
    Severity.STYLE: types.DiagnosticSeverity.Hint,
}
TAGS = {"unnecessary": types.DiagnosticTag.Unnecessary, "deprecated": types.DiagnosticTag.Deprecated}


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_DIAGNOSTIC,
             types.DiagnosticOptions(identifier=SOURCE, inter_file_dependencies=False, workspace_diagnostics=False))
    @guarded(types.RelatedFullDocumentDiagnosticReport(items=[]))
    def pull(server, params: types.DocumentDiagnosticParams):
        doc = server.documents.get(params.text_document.uri)
        if doc is None:
            return types.RelatedFullDocumentDiagnosticReport(items=[])
        result_id = f"{doc.version}:{server.settings.generation}:{server.config_generation}"
        if params.previous_result_id == result_id:
            return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
        items = server.converter.structure(diagnostics_of(server, doc), list[types.Diagnostic])
        return types.RelatedFullDocumentDiagnosticReport(items=items, result_id=result_id)


def diagnostics_of(server, doc) -> list[dict]:
    """The document's diagnostics as LSP JSON (structured for pull requests)."""
    related = bool(server.capability("text_document.publish_diagnostics.related_information"))
    return [to_json(doc, f, server.encoding, related) for f in _findings(server, doc)]


def _findings(server, doc) -> list:
    if doc.kind is None or not server.settings.enabled("diagnostics"):
        return []
    config, key = server.config_for(doc)
    return doc.findings(config, key)


def to_json(doc, finding, encoding, related_information: bool = True) -> dict:
    """One finding as a ``Diagnostic`` (plain JSON: the hot path of every keystroke)."""
    lines = doc.lines
    r = finding.range
    out = {
        "range": convert.range_json(lines, r.start_offset, r.end_offset, encoding),
        "message": finding.message,
        "severity": SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning).value,
        "code": finding.code,
        "codeDescription": {"href": rule_docs_url(finding.code)},
        "source": SOURCE,
    }
    data: dict = {"name": finding.name}
    if finding.fix is not None:
        data["fix"] = {
            "title": finding.fix.title,
            "safe": finding.fix.applicability == SAFE,
            "edits": [{"range": convert.range_json(lines, e.start, e.end, encoding), "newText": e.new_text}
                      for e in finding.fix.edits],
        }
    out["data"] = data
    tags = [TAGS[t].value for t in finding.tags if t in TAGS]
    if tags:
        out["tags"] = tags
    if finding.related and related_information:
        out["relatedInformation"] = [
            {"location": {"uri": doc.uri, "range": convert.range_json(lines, rel.range.start_offset,
                                                                       rel.range.end_offset, encoding)},
             "message": rel.message}
            for rel in finding.related]
    return out


def _send(server, doc, findings: list, version: int | None) -> None:
    """``publishDiagnostics`` for ``findings``: through :mod:`.speedups.framed_publish` when it can,
    else as pygls sends any notification."""
    related = bool(server.capability("text_document.publish_diagnostics.related_information"))

    def render(f) -> dict:
        return to_json(doc, f, server.encoding, related)

    if framed_publish.available(server):
        framed_publish.send(server, doc.uri, framed_publish.diagnostics_text(
            doc, findings, (server.encoding, related), render), version)
        return
    items = server.converter.structure([render(f) for f in findings], list[types.Diagnostic])
    server.text_document_publish_diagnostics(
        types.PublishDiagnosticsParams(uri=doc.uri, diagnostics=items, version=version))


def schedule(server, doc, immediately: bool = False) -> None:
    """Publish ``doc``'s diagnostics soon; a later change of the same document replaces this run."""
    if server.pull_diagnostics or doc.kind is None:
        return
    _unschedule(server, doc.uri)
    external_diagnostics.cancel(server, doc.uri)  # its results would be about an older text
    delay = 0 if immediately else server.settings.debounce_ms / 1000
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no loop (called from a test or a thread): publish now
        publish(server, doc.uri, doc.version)
        return
    if delay <= 0:
        _queue(server, loop, doc.uri, doc.version)
    else:
        server.pending[doc.uri] = loop.call_later(delay, _queue, server, loop, doc.uri, doc.version)


def _unschedule(server, uri: str) -> None:
    pending = server.pending.pop(uri, None)
    if pending is not None:
        pending.cancel()
    server.lint_queue.pop(uri, None)


def _queue(server, loop, uri: str, version: int) -> None:
    """Lint ``uri`` at the next turn of the loop, before documents queued earlier.

    One document per turn, newest first: the messages waiting are read between two lints, so a
    request is answered after at most one lint, however many documents were opened at once (an
    editor restoring a session of thousands), and the document just opened or changed (the one
    the user looks at) goes first."""
    server.pending.pop(uri, None)
    server.lint_queue[uri] = version
    server.lint_queue.move_to_end(uri)
    if not server.lint_turn_taken:
        server.lint_turn_taken = True
        loop.call_soon(_lint_next, server, loop)


def _lint_next(server, loop) -> None:
    if not server.lint_queue:
        server.lint_turn_taken = False
        server.lint_drained.set()
        return
    uri, version = server.lint_queue.popitem()  # the newest
    try:
        publish(server, uri, version)
    finally:
        loop.call_soon(_lint_next, server, loop)


async def queue_drained(server) -> None:
    """Until no document waits for its diagnostics (at once when none does)."""
    while server.lint_queue:
        server.lint_drained.clear()
        await server.lint_drained.wait()


def publish(server, uri: str, version: int) -> None:
    server.pending.pop(uri, None)
    doc = server.documents.get(uri, quiet=True)
    if doc is None or doc.version != version:
        return  # closed, or changed again: that change scheduled its own run
    try:
        findings = _findings(server, doc)
        _send(server, doc, findings, version)
        server.documents.used(doc)  # the analysis is kept for the documents in use only
    except Exception:
        log.exception("linting %s failed", uri)
        _send(server, doc, [], version)
    external_diagnostics.start(server, doc)  # ShellCheck in the background, published when done


def forget(server, doc) -> None:
    _unschedule(server, doc.uri)
    framed_publish.forget(doc.uri)
    external_diagnostics.cancel(server, doc.uri)
    if not server.pull_diagnostics and doc.kind is not None:
        _send(server, doc, [], None)


def refresh_all(server) -> None:
    """Settings or configuration files changed: every open document's diagnostics again."""
    if server.pull_diagnostics:
        if server.capability("workspace.diagnostics.refresh_support"):
            server.workspace_diagnostic_refresh(None)
        return
    for doc in server.documents:
        schedule(server, doc, immediately=True)
