"""textDocument/semanticTokens/full and /range, encoded relative to the previous token."""

from __future__ import annotations

from lsprotocol import types

from dockerls.lsp.handlers import analysed, guarded, offset_of
from dockerls.lsp.handlers import register as feature
from dockerls.services.semantic_tokens import TOKEN_MODIFIERS, TOKEN_TYPES
from dockerls.text import LineIndex

LEGEND = types.SemanticTokensLegend(token_types=list(TOKEN_TYPES), token_modifiers=list(TOKEN_MODIFIERS))
_TYPE = {t: i for i, t in enumerate(TOKEN_TYPES)}
_MODIFIER = {m: 1 << i for i, m in enumerate(TOKEN_MODIFIERS)}


def encode(lines: LineIndex, found, encoding) -> list[int]:
    data: list[int] = []
    prev_line = prev_col = 0
    for tok in found:
        start = lines.to_client(lines.position(tok.start), encoding)
        end = lines.to_client(lines.position(tok.end), encoding)
        delta_line = start.line - prev_line
        delta_col = start.character - (prev_col if delta_line == 0 else 0)
        modifiers = 0
        for m in tok.modifiers:
            modifiers |= _MODIFIER[m]
        data += [delta_line, delta_col, end.character - start.character, _TYPE[tok.type], modifiers]
        prev_line, prev_col = start.line, start.character
    return data


def register(server) -> None:
    @feature(server, types.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL,
             types.SemanticTokensRegistrationOptions(legend=LEGEND, full=True, range=True))
    @guarded(None, "semanticTokens")
    def full(server, params: types.SemanticTokensParams):
        opened = analysed(server, params)
        if opened is None:
            return types.SemanticTokens(data=[])
        doc, analysis = opened
        return types.SemanticTokens(data=encode(doc.lines, analysis.semantic_tokens(), server.encoding))

    @feature(server, types.TEXT_DOCUMENT_SEMANTIC_TOKENS_RANGE,
             types.SemanticTokensRegistrationOptions(legend=LEGEND, full=True, range=True))
    @guarded(None, "semanticTokens")
    def range_(server, params: types.SemanticTokensRangeParams):
        opened = analysed(server, params)
        if opened is None:
            return types.SemanticTokens(data=[])
        doc, analysis = opened
        start = offset_of(server, doc, params.range.start)
        end = offset_of(server, doc, params.range.end)
        return types.SemanticTokens(data=encode(doc.lines, analysis.semantic_tokens(start, end),
                                                server.encoding))
