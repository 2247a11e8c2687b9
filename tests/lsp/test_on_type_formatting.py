"""textDocument/onTypeFormatting: the escape character (then Enter) indents the continued line."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.lsp.conftest import SPEC_WARNINGS_ARE_ERRORS, open_doc

pytestmark = [pytest.mark.asyncio(loop_scope="module"), SPEC_WARNINGS_ARE_ERRORS]

OPTIONS = types.FormattingOptions(tab_size=4, insert_spaces=True)


async def _typed(client, doc, line: int, character: int, ch: str):
    return await client.text_document_on_type_formatting_async(types.DocumentOnTypeFormattingParams(
        text_document=doc.ident, position=types.Position(line=line, character=character), ch=ch, options=OPTIONS))


async def test_escape_and_enter_indent_the_next_line(client):
    provider = client.init_result.capabilities.document_on_type_formatting_provider
    assert provider.first_trigger_character == "\\" and "\n" in provider.more_trigger_character
    doc = open_doc(client, "FROM alpine\nRUN apk add curl \\\nbash\n")
    assert doc.apply(await _typed(client, doc, 1, 18, "\\")) == "FROM alpine\nRUN apk add curl \\\n    bash\n"
    doc = open_doc(client, "FROM alpine\nRUN apk add curl \\\n\n", name="Containerfile")
    assert doc.apply(await _typed(client, doc, 2, 0, "\n")) == "FROM alpine\nRUN apk add curl \\\n    \n"


async def test_nothing_in_comments_mid_line_or_other_kinds(client):
    doc = open_doc(client, "FROM alpine\n# a \\\nRUN x \\ y\nz\n")
    assert not await _typed(client, doc, 1, 4, "\\")
    assert not await _typed(client, doc, 2, 7, "\\")  # the escape does not end the line
    compose = open_doc(client, "services:\n  a: \\\nb\n", name="compose.yaml", language_id="yaml")
    assert not await _typed(client, compose, 1, 6, "\\")
