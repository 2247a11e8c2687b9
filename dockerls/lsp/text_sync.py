"""didOpen / didChange / didClose: the document store, and diagnostics scheduled after each."""

from __future__ import annotations

from lsprotocol import types

from dockerls.lsp import diagnostics
from dockerls.lsp.documents import workspace_folders
from dockerls.lsp.handlers import guarded
from dockerls.lsp.handlers import register as feature


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_DID_OPEN)
    @guarded()
    def did_open(server, params: types.DidOpenTextDocumentParams):
        item = params.text_document
        server.documents.set_roots(workspace_folders(server))  # what the document may read around it
        doc = server.documents.open(item.uri, item.language_id, item.version, item.text)
        diagnostics.schedule(server, doc, immediately=True)

    @feature(server, types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded()
    def did_change(server, params: types.DidChangeTextDocumentParams):
        doc = server.documents.get(params.text_document.uri)
        if doc is None:
            return
        for change in params.content_changes:
            doc.apply_change(change, server.encoding)
        doc.version = params.text_document.version
        diagnostics.schedule(server, doc)

    @feature(server, types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded()
    def did_close(server, params: types.DidCloseTextDocumentParams):
        doc = server.documents.close(params.text_document.uri)
        if doc is not None:
            diagnostics.forget(server, doc)
