"""textDocument/documentLink: FROM images to their registry pages, compose file references."""

from __future__ import annotations

from lsprotocol import types

from dockerls.lsp import convert
from dockerls.lsp.handlers import analysed, guarded
from dockerls.lsp.handlers import register as feature


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_DOCUMENT_LINK, types.DocumentLinkOptions(resolve_provider=False))
    @guarded(None, "documentLinks")
    def links(server, params: types.DocumentLinkParams):
        opened = analysed(server, params)
        if opened is None:
            return None
        doc, analysis = opened
        found = analysis.links()
        tooltips = server.capability("text_document.document_link.tooltip_support", False)
        return [types.DocumentLink(range=convert.range_(doc.lines, link.start, link.end, server.encoding),
                                   target=link.target, tooltip=link.tooltip if tooltips else None)
                for link in found]
