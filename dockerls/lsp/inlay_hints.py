"""textDocument/inlayHint: values that come from elsewhere (an ARG default in a FROM, a Compose
``${VAR}``'s value), answered by the document's analysis."""

from __future__ import annotations

from lsprotocol import types

from dockerls.lsp import convert
from dockerls.lsp.handlers import analysed, guarded, offset_of
from dockerls.lsp.handlers import register as feature


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
    @guarded(None, "inlayHints")
    def inlay_hints(server, params: types.InlayHintParams):
        opened = analysed(server, params)
        if opened is None:
            return None
        doc, analysis = opened
        start = offset_of(server, doc, params.range.start)
        end = offset_of(server, doc, params.range.end)
        return [types.InlayHint(position=convert.position(doc.lines, h.offset, server.encoding), label=h.label,
                                padding_left=True,
                                tooltip=types.MarkupContent(kind=types.MarkupKind.Markdown, value=h.tooltip) if h.tooltip else None)
                for h in analysis.inlay_hints(start, end)]
