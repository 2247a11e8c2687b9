"""textDocument/hover."""

from __future__ import annotations

from lsprotocol import types

from dockerls.lsp import convert, markup
from dockerls.lsp.handlers import analysed, guarded, offset_of
from dockerls.lsp.handlers import register as feature


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_HOVER)
    @guarded(None, "hover")
    def hover(server, params: types.HoverParams):
        opened = analysed(server, params)
        if opened is None:
            return None
        doc, analysis = opened
        found = analysis.hover(offset_of(server, doc, params.position))
        if found is None:
            return None
        kind = server.markup_kind("text_document.hover.content_format")
        return types.Hover(contents=markup.content(kind, found.markdown),
                           range=convert.range_(doc.lines, found.start, found.end, server.encoding))
