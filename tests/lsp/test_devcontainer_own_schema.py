"""devcontainer.json in the editor out of the box: hover, completion and DV006 from dockerls' own
schema (the server is started without DOCKERLS_DEVCONTAINER_SCHEMA)."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.lsp.conftest import SPEC_WARNINGS_ARE_ERRORS, diagnostics, open_doc

pytestmark = [pytest.mark.asyncio(loop_scope="module"), SPEC_WARNINGS_ARE_ERRORS]


@pytest.fixture(scope="module", autouse=True)
def no_schema_copy():
    # module scope and autouse: set before the module's server starts (it inherits the environment)
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("DOCKERLS_DEVCONTAINER_SCHEMA", raising=False)
        yield


TEXT = """{
  // a Dockerfile build, a port with attributes, lifecycle commands
  "build": {"dockerfile": "Dockerfile", "args": {"VARIANT": "3.12"}},
  "forwardPorts": [8000],
  "portsAttributes": {"8000": {"label": "API", "onAutoForward": "silent"}},
  "postCreateCommand": {"deps": "pip install -e .", "hooks": ["pre-commit", "install"]},
  "shutdownAction": "stop",
  "waitFor": "postCreateCommand",
  
}
"""


def _open(client):
    return open_doc(client, TEXT, name="devcontainer.json", language_id="jsonc", folder=".devcontainer")


async def _hover(client, doc, needle):
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), position=doc.pos(needle)))
    assert hover is not None, needle
    return hover.contents.value if isinstance(hover.contents, types.MarkupContent) else str(hover.contents)


async def _labels(client, doc, needle):
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), position=doc.pos(needle)))
    items = result.items if isinstance(result, types.CompletionList) else result or []
    return [i.label for i in items]


async def test_hover_on_keys_at_every_level(client):
    doc = _open(client)
    assert "Build arguments" in await _hover(client, doc, '"args"')
    assert "A name for the port" in await _hover(client, doc, '"label"')
    assert "named commands" in await _hover(client, doc, '"hooks"')
    assert 'default: `"updateContentCommand"`' in await _hover(client, doc, '"waitFor"')


async def test_keys_and_values_are_completed(client):
    doc = _open(client)
    keys = await _labels(client, doc, "\n}")
    assert {"image", "features", "hostRequirements", "postStartCommand", "customizations"} <= set(keys)
    assert "none" in await _labels(client, doc, '"stop"')


async def test_only_the_wrong_value_is_a_warning_at_its_key(client):
    doc = _open(client)
    # the Dockerfile does not exist: DV002's; the schema's only complaint is shutdownAction
    found = [d for d in await diagnostics(doc) if d.code == "DV006"]
    assert [(d.range.start, d.severity) for d in found] == [
        (types.Position(line=6, character=2), types.DiagnosticSeverity.Warning)]
    assert "'stop' is not one of" in found[0].message
