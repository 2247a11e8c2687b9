"""textDocument/documentLink: FROM images to their registry pages, compose file references."""

from __future__ import annotations

from lsprotocol import types

from dockerls.lsp.documents import COMPOSE, DOCKERFILE
from dockerls.lsp import compose_support, convert
from dockerls.lsp.handlers import document, guarded
from dockerls.lsp.handlers import register as feature


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_DOCUMENT_LINK, types.DocumentLinkOptions(resolve_provider=False))
    @guarded(None, "documentLinks")
    def links(server, params: types.DocumentLinkParams):
        doc = document(server, params)
        if doc is None or doc.model() is None:
            return None
        if doc.kind == DOCKERFILE:
            from dockerls.services.links import document_links

            found = document_links(doc.model())
        elif doc.kind == COMPOSE:
            found = compose_support.links(doc)
        else:
            return None
        tooltips = server.capability("text_document.document_link.tooltip_support", False)
        return [types.DocumentLink(range=convert.range_(doc.lines, link.start, link.end, server.encoding),
                                   target=link.target, tooltip=link.tooltip if tooltips else None)
                for link in found]
