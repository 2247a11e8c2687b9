"""textDocument/documentSymbol, foldingRange and selectionRange."""

from __future__ import annotations

from lsprotocol import types

from dockerls.lsp.documents import COMPOSE, DOCKERFILE
from dockerls.lsp import compose_support, convert
from dockerls.lsp.handlers import document, guarded, offset_of
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
        doc = document(server, params)
        if doc is None or doc.model() is None:
            return []
        if doc.kind == DOCKERFILE:
            from dockerls.services.symbols import document_symbols

            found = document_symbols(doc.model())
        elif doc.kind == COMPOSE:
            found = compose_support.symbols(doc)
        else:
            return []
        if server.capability("text_document.document_symbol.hierarchical_document_symbol_support"):
            return [_symbol(server, doc, s) for s in found]
        return [info for s in found for info in _flat(server, doc, s, None)]

    @feature(server, types.TEXT_DOCUMENT_FOLDING_RANGE)
    @guarded([], "symbols")
    def folding_range(server, params: types.FoldingRangeParams):
        doc = document(server, params, DOCKERFILE)
        if doc is None or doc.model() is None:
            return []
        from dockerls.services.symbols import folding_ranges

        out = []
        for fold in folding_ranges(doc.model()):
            out.append(types.FoldingRange(start_line=fold.start_line, end_line=fold.end_line,
                                          kind=FOLD_KINDS.get(fold.kind) if fold.kind else None))
        return out

    @feature(server, types.TEXT_DOCUMENT_SELECTION_RANGE)
    @guarded([], "symbols")
    def selection_range(server, params: types.SelectionRangeParams):
        doc = document(server, params, DOCKERFILE)
        if doc is None or doc.model() is None:
            return []
        from dockerls.services.symbols import selection_ranges

        out = []
        for position in params.positions:
            spans = selection_ranges(doc.model(), offset_of(server, doc, position))
            parent = None
            for start, end in reversed(spans):
                parent = types.SelectionRange(range=convert.range_(doc.lines, start, end, server.encoding),
                                              parent=parent)
            out.append(parent)
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
