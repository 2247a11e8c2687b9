"""Completion trigger characters are the server's: a blank opens compose keys, not Dockerfile noise."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.lsp.conftest import SPEC_WARNINGS_ARE_ERRORS, open_doc

pytestmark = [pytest.mark.asyncio(loop_scope="module"), SPEC_WARNINGS_ARE_ERRORS]

TYPED_BLANK = types.CompletionContext(trigger_kind=types.CompletionTriggerKind.TriggerCharacter, trigger_character=" ")


async def _labels(client, doc, line: int, character: int, context=TYPED_BLANK) -> list[str]:
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=doc.ident, position=types.Position(line=line, character=character), context=context))
    return [i.label for i in result.items] if result else []


async def test_a_blank_opens_compose_keys_under_a_service_and_values_after_a_key(client):
    assert " " in client.init_result.capabilities.completion_provider.trigger_characters
    doc = open_doc(client, "services:\n  web:\n    image: x\n    \n    restart: \n", name="compose.yaml",
                   language_id="dockercompose")
    assert "environment" in await _labels(client, doc, 3, 4)
    assert "always" in await _labels(client, doc, 4, 13)
    assert not await _labels(client, doc, 2, 12)  # a blank inside a value: nothing


async def test_a_blank_in_a_dockerfile_opens_nothing_but_other_triggers_still_do(client):
    doc = open_doc(client, "FROM alpine\nHEALTHCHECK \nCOPY --\n")
    assert not await _labels(client, doc, 1, 12)
    assert "NONE" in await _labels(client, doc, 1, 12, context=None)  # asked explicitly (Ctrl+Space)
    dash = types.CompletionContext(trigger_kind=types.CompletionTriggerKind.TriggerCharacter, trigger_character="-")
    assert "--from" in " ".join(await _labels(client, doc, 2, 7, context=dash))
