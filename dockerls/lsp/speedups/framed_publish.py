"""``framed_publish``: ``publishDiagnostics`` written as text serialized once per diagnostic.

pygls sends a notification by turning its lsprotocol objects into JSON again each time
(``converter.unstructure`` and ``json.dumps`` of every diagnostic, on every keystroke).  Here each
diagnostic's JSON text is kept in a side table per document, and the message is framed by hand
from those texts, as pygls frames what it sends (``Content-Length`` header, then the body).

The side table finds a diagnostic again two ways:

* by the finding object, when the lint returns the very same one (unchanged stages before the edit);
* by the finding it was moved from (``Finding.moved_from``), when the incremental lint moved it
  to new offsets with the same lines and columns: the same diagnostic;
* by the finding's content measured from the start of its first line: the incremental lint
  (:mod:`dockerls.lint.incremental`) moves the findings of unchanged stages after the edit to new
  offsets, as new objects with the same lines and columns.  The key holds everything the JSON is
  made of (the line number, the text from that line's start to the finding's last offset, the
  offsets relative to it, the messages and the fix), so equal keys mean equal JSON.

Only the last publish's texts are kept for a document, for the :data:`KEEP_DOCUMENTS` documents
published last, and :func:`forget` drops them at close.

Private part relied on (tests/lsp/speedups/test_contracts.py): ``JsonRPCProtocol._include_headers``
(whether the transport wants ``Content-Length`` framing; without it, pygls' public path is used),
and the framing of ``JsonRPCProtocol._send_data`` itself.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
from collections import OrderedDict
from typing import Any, Callable, Hashable, Iterable

from dockerls.lsp.speedups import enabled

log = logging.getLogger("dockerls.lsp")

METHOD = "textDocument/publishDiagnostics"


class _Texts:
    """One document's diagnostic texts of the last publish."""

    __slots__ = ("setting", "by_id", "by_content")

    def __init__(self, setting: Hashable):
        self.setting = setting
        self.by_id: dict[int, tuple[Any, tuple, str]] = {}  # id(finding) -> (finding: keeps the id taken, key, text)
        self.by_content: dict[tuple, str] = {}


# The side tables of the documents published last, newest last: only a document being edited has
# use for one, and an editor restoring a session opens thousands (their texts took ~10 KB each).
KEEP_DOCUMENTS = 32
_documents: OrderedDict[str, _Texts] = OrderedDict()


def available(server) -> bool:
    """Whether diagnostics can go out this way: the patch is on and the transport frames messages."""
    protocol = server.protocol
    return (enabled("framed_publish") and getattr(protocol, "writer", None) is not None
            and getattr(protocol, "_include_headers", False) is True)


def _content_key(text: str, line_starts: list[int], position, f) -> tuple:
    r = f.range
    lo, hi = r.start_offset, r.end_offset
    fix = f.fix
    if fix is not None:
        for e in fix.edits:
            lo, hi = min(lo, e.start), max(hi, e.end)
    for rel in f.related:
        lo, hi = min(lo, rel.range.start_offset), max(hi, rel.range.end_offset)
    line = position(lo).line
    base = line_starts[line]
    return (f.code, f.name, f.severity, f.message, f.tags, line, text[base:hi], r.start_offset - base,
            r.end_offset - base,
            None if fix is None else (fix.title, fix.applicability,
                                      tuple((e.start - base, e.end - base, e.new_text) for e in fix.edits)),
            tuple((rel.range.start_offset - base, rel.range.end_offset - base, rel.message) for rel in f.related))


def diagnostics_text(doc, findings: Iterable, setting: Hashable, render: Callable[[Any], dict]) -> str:
    """The text of the JSON array of ``findings``' diagnostics; ``render`` makes one diagnostic's
    JSON, ``setting`` names what else it depends on (encoding, client capabilities)."""
    old = _documents.get(doc.uri)
    if old is None or old.setting != setting:
        old = _Texts(setting)
    new = _Texts(setting)
    lines = doc.lines
    text, line_starts, position = lines.text, lines.line_starts, lines.position
    parts = []
    for f in findings:
        hit = old.by_id.get(id(f))
        if hit is None or hit[0] is not f:
            origin, f.moved_from = f.moved_from, None
            if origin is not None:
                hit = old.by_id.get(id(origin))
                if hit is not None and hit[0] is not origin:
                    hit = None
        if hit is not None:
            key, item = hit[1], hit[2]  # the same finding, or one moved from it: the same diagnostic
        else:
            key = _content_key(text, line_starts, position, f)
            known = old.by_content.get(key)
            item = known if known is not None else json.dumps(render(f), separators=(",", ":"))
        new.by_content[key] = item
        new.by_id[id(f)] = (f, key, item)
        parts.append(item)
    _documents[doc.uri] = new
    _documents.move_to_end(doc.uri)
    while len(_documents) > KEEP_DOCUMENTS:
        _documents.popitem(last=False)
    return "[" + ",".join(parts) + "]"


def forget(uri: str) -> None:
    _documents.pop(uri, None)


def send(server, uri: str, items_text: str, version: int | None) -> None:
    """Write the ``publishDiagnostics`` notification (only when :func:`available`)."""
    params = '{"uri":%s,"diagnostics":%s%s}' % (
        json.dumps(uri), items_text, "" if version is None else ',"version":%d' % version)
    body = '{"jsonrpc":"2.0","method":"%s","params":%s}' % (METHOD, params)
    try:
        written = server.protocol.writer.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body.encode("ascii")))
    except OSError:  # the client went away: the message loop ends on its own
        log.exception("sending diagnostics for %s failed", uri)
        return
    if inspect.isawaitable(written):
        asyncio.ensure_future(written)
