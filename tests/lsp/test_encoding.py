"""Positions in the client's encoding: UTF-16 for VS Code, UTF-8 for Neovim (it offers it first).
An emoji is 2 UTF-16 units and 4 UTF-8 bytes; a CJK character is 1 unit and 3 bytes."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.lsp.conftest import SPEC_WARNINGS_ARE_ERRORS, diagnostics, open_doc

pytestmark = [pytest.mark.asyncio(loop_scope="module"), SPEC_WARNINGS_ARE_ERRORS]

TEXT = """\
# 日本語のコメント: ビルド用
FROM alpine:3.20
ARG V=1
LABEL description="🐳 whale" maintainer="日本"
RUN echo "🐳 日本" $V
CMD ["echo", "🐳 日本"]
CMD ["echo", "done"]
COPY 🐳.txt 日本.txt dest
"""


def _expected(client, line: str, code_points: int) -> int:
    prefix = line[:code_points]
    if client.position_encoding == "utf-8":
        return len(prefix.encode("utf-8"))
    return len(prefix.encode("utf-16-le")) // 2


async def test_the_negotiated_encoding(client):
    expected = "utf-8" if client.profile == "neovim" else "utf-16"
    assert client.position_encoding == expected


async def test_hover_range_after_emoji_and_cjk(client):
    doc = open_doc(client, TEXT)
    line = TEXT.splitlines()[4]
    column = line.index("$V")
    position = types.Position(line=4, character=_expected(client, line, column) + 1)
    h = await client.text_document_hover_async(types.HoverParams(text_document=doc.ident, position=position))
    assert h.range.start.character == _expected(client, line, column)
    assert h.range.end.character == _expected(client, line, column + 2)
    assert h.range.start.character == column + (7 if client.position_encoding == "utf-8" else 1)


async def test_diagnostic_range_after_emoji_and_cjk(client):
    doc = open_doc(client, TEXT)
    slash = next(d for d in await diagnostics(doc) if d.code == "DL3021")  # "dest" needs a trailing /
    line = TEXT.splitlines()[7]
    column = line.index("dest")
    assert slash.range.start == types.Position(line=7, character=_expected(client, line, column))
    assert slash.range.end == types.Position(line=7, character=_expected(client, line, column + 4))
    assert slash.range.start.character == column + (7 if client.position_encoding == "utf-8" else 1)
    assert doc.text_of(slash.range) == "dest"


async def test_completion_replace_range_after_cjk(client):
    text = TEXT + "# 日本 🐳\nRUN echo ${V"
    doc = open_doc(client, text)
    last = text.splitlines()[-1]
    position = types.Position(line=len(text.splitlines()) - 1, character=_expected(client, last, len(last)))
    result = await client.text_document_completion_async(types.CompletionParams(text_document=doc.ident,
                                                                                position=position))
    item = next(i for i in result.items if i.label == "V")
    assert doc.text_of(item.text_edit.range) == "V"


async def test_incremental_edit_after_emoji(client):
    doc = open_doc(client, TEXT)
    line = TEXT.splitlines()[3]
    column = line.index("whale")
    start = types.Position(line=3, character=_expected(client, line, column))
    end = types.Position(line=3, character=_expected(client, line, column + len("whale")))
    doc.version += 1
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version),
        content_changes=[types.TextDocumentContentChangePartial(range=types.Range(start=start, end=end),
                                                                text="orca")]))
    doc.text = doc.text.replace("whale", "orca")
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc.ident))
    names = [c.name for s in symbols for c in (s.children or [])]
    assert any("🐳 orca" in n for n in names)
