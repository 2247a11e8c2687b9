"""Formatting, code actions (quick fixes, ignore pragmas, fix all), semantic tokens, links,
code lenses."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.lsp.conftest import CLASSIC, SPEC_WARNINGS_ARE_ERRORS, diagnostics, open_doc

pytestmark = [pytest.mark.asyncio(loop_scope="module"), SPEC_WARNINGS_ARE_ERRORS]

OPTIONS = types.FormattingOptions(tab_size=4, insert_spaces=True)


async def test_document_formatting_is_idempotent(client):
    doc = open_doc(client, "from alpine:3.20 as base\nrun apk add curl && \\\n  echo done   \n")
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=doc.ident, options=OPTIONS))
    formatted = doc.apply(edits)
    assert formatted == "FROM alpine:3.20 AS base\nRUN apk add curl && \\\n    echo done\n"
    doc.change(formatted)
    again = await client.text_document_formatting_async(
        types.DocumentFormattingParams(text_document=doc.ident, options=OPTIONS))
    assert not again


async def test_range_formatting_touches_only_the_range(client):
    doc = open_doc(client, "from alpine:3.20\nrun   true\nrun   false\n")
    edits = await client.text_document_range_formatting_async(types.DocumentRangeFormattingParams(
        text_document=doc.ident, options=OPTIONS,
        range=types.Range(start=types.Position(line=1, character=0), end=types.Position(line=1, character=3))))
    assert doc.apply(edits) == "from alpine:3.20\nRUN true\nrun   false\n"


async def _actions(client, doc, diags, only=None):
    rng = diags[0].range if diags else types.Range(start=types.Position(line=0, character=0),
                                                   end=types.Position(line=0, character=0))
    return await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc.ident, range=rng, context=types.CodeActionContext(diagnostics=diags, only=only)))


async def test_quick_fix_from_the_diagnostic_data(client):
    doc = open_doc(client, CLASSIC)
    cleanup = [d for d in await diagnostics(doc) if d.code == "DF100"]
    actions = await _actions(client, doc, cleanup)
    fix = next(a for a in actions if a.is_preferred)
    assert fix.kind == types.CodeActionKind.QuickFix
    fixed = doc.apply(fix.edit.changes[doc.uri])
    assert "&& rm -rf /var/lib/apt/lists/*" in fixed and "RUN apt-get purge" not in fixed


async def test_ignore_for_this_instruction_and_for_the_file(client):
    doc = open_doc(client, "FROM python:latest\n# dockerls ignore=DL3008\nCMD [\"a\"]\nCMD [\"b\"]\n")
    found = await diagnostics(doc)
    latest = [d for d in found if d.code == "DL3007"]
    titles = {a.title: a for a in await _actions(client, doc, latest)}
    inserted = doc.apply(titles["Ignore DL3007 for this instruction"].edit.changes[doc.uri])
    assert inserted.startswith("# dockerls ignore=DL3007\nFROM python:latest\n")
    whole_file = doc.apply(titles["Ignore DL3007 for this file"].edit.changes[doc.uri])
    assert whole_file.startswith("# dockerls global ignore=DL3007\n")
    # an existing pragma above the instruction is extended, not duplicated
    doc2 = open_doc(client, "FROM python:3.12\n# dockerls ignore=DL3008\nCMD [\"a\"]\nCMD [\"b\"]\n")
    multiple = [d for d in await diagnostics(doc2) if d.code == "DL4003"]
    titles = {a.title: a for a in await _actions(client, doc2, multiple)}
    merged = doc2.apply(titles["Ignore DL4003 for this instruction"].edit.changes[doc2.uri])
    assert "# dockerls ignore=DL3008,DL4003\nCMD [\"a\"]" in merged
    doc2.change(merged)
    assert not [d for d in await diagnostics(doc2) if d.code == "DL4003"]


async def test_fix_all_applies_the_safe_fixes(client):
    doc = open_doc(client, CLASSIC)
    await diagnostics(doc)
    actions = await _actions(client, doc, [], only=["source.fixAll"])
    assert [a.kind for a in actions] == ["source.fixAll.dockerls"]
    fixed = doc.apply(actions[0].edit.changes[doc.uri])
    assert "&& rm -rf /var/lib/apt/lists/*" in fixed
    assert not await _actions(client, doc, [], only=["quickfix"])


async def test_semantic_tokens_full_and_range(client):
    if client.capabilities.text_document.semantic_tokens is None:
        pytest.skip("the client does not ask for semantic tokens")
    doc = open_doc(client, "FROM alpine:3.20 AS base\nARG V=1\nRUN echo $V\n")
    legend = client.init_result.capabilities.semantic_tokens_provider.legend
    assert legend.token_types[0] == "keyword" and "variable" in legend.token_types
    full = await client.text_document_semantic_tokens_full_async(
        types.SemanticTokensParams(text_document=doc.ident))
    data = list(full.data)
    assert len(data) % 5 == 0 and data[:5] == [0, 0, 4, 0, 0]  # FROM: keyword at 0:0, length 4
    ranged = await client.text_document_semantic_tokens_range_async(types.SemanticTokensRangeParams(
        text_document=doc.ident, range=types.Range(start=types.Position(line=2, character=0),
                                                   end=types.Position(line=3, character=0))))
    assert list(ranged.data[:5]) == [2, 0, 3, 0, 0]  # RUN


async def test_document_links_to_registries(client):
    doc = open_doc(client, "FROM python:3.12 AS a\nFROM bitnami/redis:7 AS b\nFROM quay.io/prometheus/node-exporter\n"
                           "FROM a\nFROM $IMAGE\n")
    links = await client.text_document_document_link_async(types.DocumentLinkParams(text_document=doc.ident))
    assert [(doc.text_of(link.range), link.target) for link in links] == [
        ("python:3.12", "https://hub.docker.com/_/python"),
        ("bitnami/redis:7", "https://hub.docker.com/r/bitnami/redis"),
        ("quay.io/prometheus/node-exporter", "https://quay.io/repository/prometheus/node-exporter"),
    ]


async def test_code_lenses_come_from_the_providers(client):
    from dockerls.lsp import develop

    doc = open_doc(client, "FROM python:3.12\n")
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(text_document=doc.ident))
    assert all(lens.command.command in develop.COMMANDS for lens in lenses or [])
    other = open_doc(client, "just text\n", name="notes.txt", language_id="plaintext")
    assert not await client.text_document_code_lens_async(types.CodeLensParams(text_document=other.ident))
