"""textDocument/onTypeFormatting: the document's kind decides what typing a trigger character does."""

from __future__ import annotations

from lsprotocol import types

from dockerls.lsp import convert
from dockerls.lsp.formatting import _indent
from dockerls.lsp.handlers import analysed, guarded, offset_of
from dockerls.lsp.handlers import register as feature

# The escape characters a Dockerfile may use (`# escape=`), and Enter after one of them.
FIRST_TRIGGER = "\\"
MORE_TRIGGERS = ["`", "\n"]


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_ON_TYPE_FORMATTING,
             types.DocumentOnTypeFormattingOptions(first_trigger_character=FIRST_TRIGGER,
                                                   more_trigger_character=MORE_TRIGGERS))
    @guarded(None, "onTypeFormatting")
    def on_type_formatting(server, params: types.DocumentOnTypeFormattingParams):
        opened = analysed(server, params)
        if opened is None:
            return None
        doc, analysis = opened
        edits = analysis.on_type_format(offset_of(server, doc, params.position), params.ch, _indent(params.options))
        return [convert.text_edit(doc.lines, e, server.encoding) for e in edits]
