"""devcontainer.json in the editor: hover and completion from the Dev Container schema (the tests'
small one, through DOCKERLS_DEVCONTAINER_SCHEMA), DV006 at the value's key, the Develop lens."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.lsp.conftest import SPEC_WARNINGS_ARE_ERRORS, codes, diagnostics, open_doc
from tests.rules.conftest import MINI_SCHEMA

pytestmark = [pytest.mark.asyncio(loop_scope="module"), SPEC_WARNINGS_ARE_ERRORS]


@pytest.fixture(scope="module", autouse=True)
def devcontainer_schema():
    # module scope and autouse: set before the module's server starts (it inherits the environment)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DOCKERLS_DEVCONTAINER_SCHEMA", str(MINI_SCHEMA))
        yield


TEXT = '{\n  "image": "python:3.12",\n  "waitFor": "postCreate",\n  \n}\n'


def _open(client):
    return open_doc(client, TEXT, name="devcontainer.json", language_id="jsonc", folder=".devcontainer")


async def test_hover_shows_the_schema_description(client):
    doc = _open(client)
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), position=doc.pos("waitFor")))
    assert hover is not None
    value = hover.contents.value if isinstance(hover.contents, types.MarkupContent) else str(hover.contents)
    assert "The command to wait for." in value


async def test_keys_and_values_are_completed(client):
    doc = _open(client)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), position=doc.pos("\n}")))
    items = result.items if isinstance(result, types.CompletionList) else result or []
    assert "forwardPorts" in [i.label for i in items]
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri), position=doc.pos('"postCreate"')))
    items = result.items if isinstance(result, types.CompletionList) else result or []
    assert "postCreateCommand" in [i.label for i in items]


async def test_a_value_the_schema_refuses_is_a_warning_at_its_key(client):
    doc = _open(client)
    diags = await diagnostics(doc)
    assert codes(diags) == ["DV006"]
    assert diags[0].range.start == types.Position(line=2, character=2)
    assert diags[0].severity == types.DiagnosticSeverity.Warning


async def test_the_develop_lens_is_offered(client):
    doc = _open(client)
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(
        text_document=types.TextDocumentIdentifier(uri=doc.uri)))
    assert [lens.command.title for lens in lenses or [] if lens.command] == ["Develop in container"]
