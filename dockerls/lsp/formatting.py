"""textDocument/formatting and rangeFormatting."""

from __future__ import annotations

from lsprotocol import types

from dockerls.lsp import convert
from dockerls.lsp.handlers import analysed, guarded
from dockerls.lsp.handlers import register as feature


def _indent(options: types.FormattingOptions) -> str:
    if options is not None and options.insert_spaces is False:
        return "\t"
    size = options.tab_size if options is not None and options.tab_size else 4
    return " " * max(1, min(int(size), 16))


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_FORMATTING)
    @guarded(None, "formatting")
    def formatting(server, params: types.DocumentFormattingParams):
        opened = analysed(server, params)
        if opened is None:
            return None
        doc, analysis = opened
        edits = analysis.format(_indent(params.options))
        if edits is None:
            return None
        return [convert.text_edit(doc.lines, e, server.encoding) for e in edits]

    @feature(server, types.TEXT_DOCUMENT_RANGE_FORMATTING)
    @guarded(None, "formatting")
    def range_formatting(server, params: types.DocumentRangeFormattingParams):
        opened = analysed(server, params)
        if opened is None:
            return None
        doc, analysis = opened
        first, last = params.range.start.line, params.range.end.line
        if params.range.end.character == 0 and last > first:
            last -= 1  # a selection of whole lines ends at the start of the next one
        edits = analysis.format(_indent(params.options), first, last)
        if edits is None:
            return None
        return [convert.text_edit(doc.lines, e, server.encoding) for e in edits]
