"""definition, references, documentHighlight, prepareRename and rename."""

from __future__ import annotations

import logging

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from dockerls.lsp.documents import COMPOSE, DOCKERFILE
from dockerls.lsp import compose_support, convert
from dockerls.lsp.handlers import document, guarded, offset_of
from dockerls.lsp.handlers import register as feature

log = logging.getLogger("dockerls.lsp")


def _index_and_offset(server, params):
    doc = document(server, params)
    if doc is None or doc.model() is None or doc.kind not in (DOCKERFILE, COMPOSE):
        return None, None, None
    offset = offset_of(server, doc, params.position)
    return doc, (doc.index() if doc.kind == DOCKERFILE else None), offset


def _locations(server, doc, spans) -> list[types.Location]:
    """Locations from ``(start, end)`` spans in ``doc`` or ``(uri, lines, start, end)`` anywhere."""
    out = []
    for span in spans:
        uri, lines, start, end = span if len(span) == 4 else (doc.uri, doc.lines, *span)
        out.append(types.Location(uri=uri, range=convert.range_(lines, start, end, server.encoding)))
    return out


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_DEFINITION)
    @guarded(None, "navigation")
    def definition(server, params: types.DefinitionParams):
        doc, index, offset = _index_and_offset(server, params)
        if doc is None:
            return None
        from dockerls.services import navigation as services

        spans = (services.definition(index, offset) if index
                 else compose_support.definition(doc, offset, server.documents))
        return _locations(server, doc, spans) or None

    @feature(server, types.TEXT_DOCUMENT_REFERENCES)
    @guarded(None, "navigation")
    def references(server, params: types.ReferenceParams):
        doc, index, offset = _index_and_offset(server, params)
        if doc is None:
            return None
        from dockerls.services import navigation as services

        include = params.context.include_declaration
        spans = (services.references(index, offset, include) if index
                 else compose_support.references(doc, offset, include, server.documents))
        return _locations(server, doc, spans)

    @feature(server, types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
    @guarded(None, "navigation")
    def document_highlight(server, params: types.DocumentHighlightParams):
        doc, index, offset = _index_and_offset(server, params)
        if doc is None:
            return None
        from dockerls.services import navigation as services

        if index is None:
            found = [services.Occurrence(s, e, w) for s, e, w in compose_support.highlights(doc, offset)]
        else:
            found = services.highlights(index, offset)
        return [types.DocumentHighlight(
            range=convert.range_(doc.lines, o.start, o.end, server.encoding),
            kind=types.DocumentHighlightKind.Write if o.write else types.DocumentHighlightKind.Read)
            for o in found]

    @feature(server, types.TEXT_DOCUMENT_PREPARE_RENAME)
    @guarded(None, "navigation")
    def prepare_rename(server, params: types.PrepareRenameParams):
        doc, index, offset = _index_and_offset(server, params)
        if doc is None:
            return None
        from dockerls.services import navigation as services

        found = services.prepare_rename(index, offset) if index else compose_support.prepare_rename(doc, offset)
        if found is None:
            return None
        start, end, text = found
        return types.PrepareRenamePlaceholder(range=convert.range_(doc.lines, start, end, server.encoding),
                                              placeholder=text)

    @feature(server, types.TEXT_DOCUMENT_RENAME, types.RenameOptions(prepare_provider=True))
    def rename(server, params: types.RenameParams):
        """Not ``guarded``: an invalid new name is answered with an error the editor shows."""
        if not server.settings.enabled("navigation"):
            return None
        doc, index, offset = _index_and_offset(server, params)
        if doc is None:
            return None
        from dockerls.services import navigation as services

        try:
            edits = (services.rename(index, offset, params.new_name) if index
                     else compose_support.rename(doc, offset, params.new_name))
        except ValueError as err:  # RenameError, or a compose service's complaint about the name
            raise JsonRpcInvalidParams(str(err)) from None
        except Exception:
            log.exception("rename failed")
            return None
        if not edits:
            return None
        text_edits = [convert.text_edit(doc.lines, e, server.encoding) for e in edits]
        if server.capability("workspace.workspace_edit.document_changes"):
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version),
                edits=text_edits)])
        return types.WorkspaceEdit(changes={doc.uri: text_edits})
