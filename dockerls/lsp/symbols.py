"""textDocument/documentSymbol, foldingRange, selectionRange, and workspace/symbol (the stages,
services, volumes and networks of the workspace's files: :mod:`dockerls.services.workspace`)."""

from __future__ import annotations

from lsprotocol import types

import os
from pathlib import Path

from dockerls.lsp import convert
from dockerls.lsp.documents import workspace_folders
from dockerls.lsp.handlers import analysed, guarded, offset_of
from dockerls.lsp.handlers import register as feature

KINDS = {
    "class": types.SymbolKind.Class, "module": types.SymbolKind.Module, "function": types.SymbolKind.Function,
    "variable": types.SymbolKind.Variable, "property": types.SymbolKind.Property,
    "interface": types.SymbolKind.Interface, "event": types.SymbolKind.Event, "object": types.SymbolKind.Object,
    "field": types.SymbolKind.Field, "key": types.SymbolKind.Key, "namespace": types.SymbolKind.Namespace,
}
FOLD_KINDS = {"comment": types.FoldingRangeKind.Comment, "region": types.FoldingRangeKind.Region}


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @guarded([], "symbols")
    def document_symbol(server, params: types.DocumentSymbolParams):
        opened = analysed(server, params)
        if opened is None:
            return []
        doc, analysis = opened
        found = analysis.symbols()
        if server.capability("text_document.document_symbol.hierarchical_document_symbol_support"):
            return [_symbol(server, doc, s) for s in found]
        return [info for s in found for info in _flat(server, doc, s, None)]

    @feature(server, types.WORKSPACE_SYMBOL)
    @guarded([], "symbols")
    def workspace_symbol(server, params: types.WorkspaceSymbolParams):
        return _workspace_symbols(server, params.query)

    @feature(server, types.TEXT_DOCUMENT_FOLDING_RANGE)
    @guarded([], "symbols")
    def folding_range(server, params: types.FoldingRangeParams):
        opened = analysed(server, params)
        if opened is None:
            return []
        doc, analysis = opened
        out = []
        for fold in analysis.folding():
            out.append(types.FoldingRange(start_line=fold.start_line, end_line=fold.end_line,
                                          kind=FOLD_KINDS.get(fold.kind) if fold.kind else None))
        return out

    @feature(server, types.TEXT_DOCUMENT_SELECTION_RANGE)
    @guarded([], "symbols")
    def selection_range(server, params: types.SelectionRangeParams):
        opened = analysed(server, params)
        if opened is None:
            return []
        doc, analysis = opened
        out = []
        for position in params.positions:
            spans = analysis.selection_ranges(offset_of(server, doc, position))
            if spans is None:
                return []  # the kind has no selection ranges
            parent = None
            for start, end in reversed(spans):
                parent = types.SelectionRange(range=convert.range_(doc.lines, start, end, server.encoding),
                                              parent=parent)
            out.append(parent)
        return out


def _workspace_symbols(server, query: str) -> list[types.SymbolInformation]:
    from dockerls.text import LineIndex

    server.documents.set_roots(workspace_folders(server))
    workspace = server.documents.workspace
    out = []
    for path, s in workspace.symbols(query):
        lines = workspace.derived(path, "lines", LineIndex)
        if lines is None:
            continue
        root = workspace.root_of(path)
        where = os.path.relpath(path, root) if root else os.path.basename(path)
        out.append(types.SymbolInformation(
            name=s.name, kind=KINDS.get(s.kind, types.SymbolKind.Object), container_name=where,
            location=types.Location(uri=Path(path).as_uri(),
                                    range=convert.range_(lines, s.selection_start, s.selection_end, server.encoding))))
    return out


def _symbol(server, doc, s) -> types.DocumentSymbol:
    lines, enc = doc.lines, server.encoding
    return types.DocumentSymbol(
        name=s.name or "?", kind=KINDS.get(s.kind, types.SymbolKind.Object), detail=s.detail or None,
        range=convert.range_(lines, s.start, s.end, enc),
        selection_range=convert.range_(lines, s.selection_start, s.selection_end, enc),
        children=[_symbol(server, doc, c) for c in s.children] or None)


def _flat(server, doc, s, container: str | None):
    yield types.SymbolInformation(
        name=s.name or "?", kind=KINDS.get(s.kind, types.SymbolKind.Object), container_name=container,
        location=types.Location(uri=doc.uri, range=convert.range_(doc.lines, s.start, s.end, server.encoding)))
    for child in s.children:
        yield from _flat(server, doc, child, s.name)
