"""textDocument/hover."""

from __future__ import annotations

from lsprotocol import types

from dockerls.lsp.documents import COMPOSE, DOCKERFILE
from dockerls.lsp import compose_support, convert
from dockerls.lsp.handlers import document, guarded, offset_of
from dockerls.lsp.handlers import register as feature


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_HOVER)
    @guarded(None, "hover")
    def hover(server, params: types.HoverParams):
        doc = document(server, params)
        if doc is None or doc.model() is None:
            return None
        offset = offset_of(server, doc, params.position)
        if doc.kind == DOCKERFILE:
            from dockerls.services.hover import hover as dockerfile_hover

            found = dockerfile_hover(doc.model(), offset, doc.index)
        elif doc.kind == COMPOSE:
            found = compose_support.hover(doc, offset)
        else:
            found = None
        if found is None:
            return None
        kind = server.markup_kind("text_document.hover.content_format")
        return types.Hover(contents=types.MarkupContent(kind=kind, value=found.markdown),
                           range=convert.range_(doc.lines, found.start, found.end, server.encoding))
