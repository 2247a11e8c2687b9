"""definition, references, documentHighlight, prepareRename and rename.

References and rename look across the workspace (:mod:`dockerls.services.workspace`): a Compose
service renamed in one file is renamed in the files linked to it, each edited where it is.
"""

from __future__ import annotations

import logging
from pathlib import Path

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams

from dockerls.lsp import convert
from dockerls.lsp.documents import workspace_folders
from dockerls.lsp.handlers import analysed, guarded, offset_of
from dockerls.lsp.handlers import register as feature
from dockerls.text import LineIndex

log = logging.getLogger("dockerls.lsp")


def _locations(server, doc, found) -> list[types.Location]:
    """LSP locations of :class:`dockerls.services.results.Location` in ``doc`` or in other files
    (whose text is the open document's, else the file's; unreadable files are left out)."""
    out = []
    for loc in found:
        where = _where(server, doc, loc.path)
        if where is not None:
            uri, lines = where
            out.append(types.Location(uri=uri, range=convert.range_(lines, loc.start, loc.end, server.encoding)))
    return out


def _where(server, doc, path: str | None) -> tuple[str, LineIndex] | None:
    if path is None or path == doc.path:
        return doc.uri, doc.lines
    uri = Path(path).resolve().as_uri()
    other = server.documents.get(uri, quiet=True)
    if other is not None:
        return uri, other.lines
    try:
        return uri, LineIndex(Path(path).read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return None


def workspace(server):
    """The workspace view of the cross-file services, on the client's current folders."""
    server.documents.set_roots(workspace_folders(server))
    return server.documents.workspace


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_DEFINITION)
    @guarded(None, "navigation")
    def definition(server, params: types.DefinitionParams):
        opened = analysed(server, params)
        if opened is None:
            return None
        doc, analysis = opened
        return _locations(server, doc, analysis.definition(offset_of(server, doc, params.position))) or None

    @feature(server, types.TEXT_DOCUMENT_REFERENCES)
    @guarded(None, "navigation")
    def references(server, params: types.ReferenceParams):
        opened = analysed(server, params)
        if opened is None:
            return None
        doc, analysis = opened
        found = analysis.references(offset_of(server, doc, params.position), params.context.include_declaration,
                                    workspace(server))
        return _locations(server, doc, found)

    @feature(server, types.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
    @guarded(None, "navigation")
    def document_highlight(server, params: types.DocumentHighlightParams):
        opened = analysed(server, params)
        if opened is None:
            return None
        doc, analysis = opened
        return [types.DocumentHighlight(
            range=convert.range_(doc.lines, o.start, o.end, server.encoding),
            kind=types.DocumentHighlightKind.Write if o.write else types.DocumentHighlightKind.Read)
            for o in analysis.highlights(offset_of(server, doc, params.position))]

    @feature(server, types.TEXT_DOCUMENT_PREPARE_RENAME)
    @guarded(None, "navigation")
    def prepare_rename(server, params: types.PrepareRenameParams):
        opened = analysed(server, params)
        if opened is None:
            return None
        doc, analysis = opened
        found = analysis.prepare_rename(offset_of(server, doc, params.position), workspace(server))
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
        opened = analysed(server, params)
        if opened is None:
            return None
        doc, analysis = opened
        try:
            by_file = analysis.rename_files(offset_of(server, doc, params.position), params.new_name, workspace(server))
        except ValueError as err:  # the new name cannot be used: the message says why
            raise JsonRpcInvalidParams(str(err)) from None
        except Exception:
            log.exception("rename failed")
            return None
        changes: list[tuple[str, int | None, list[types.TextEdit]]] = []
        for path, edits in by_file.items():
            where = _where(server, doc, path)
            if where is None or not edits:
                continue
            uri, lines = where
            other = server.documents.get(uri, quiet=True)
            version = other.version if other is not None else None
            changes.append((uri, version, [convert.text_edit(lines, e, server.encoding) for e in edits]))
        if not changes:
            return None
        if server.capability("workspace.workspace_edit.document_changes"):
            return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version), edits=edits)
                for uri, version, edits in changes])
        return types.WorkspaceEdit(changes={uri: edits for uri, _, edits in changes})
