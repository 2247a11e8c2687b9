"""Definition, references, highlights, rename; document symbols, folding and selection ranges."""

from __future__ import annotations

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import SPEC_WARNINGS_ARE_ERRORS, open_doc

pytestmark = [pytest.mark.asyncio(loop_scope="module"), SPEC_WARNINGS_ARE_ERRORS]

DOCKERFILE = """\
ARG BASE=alpine:3.20
FROM ${BASE} AS builder
ENV OUT=/out
RUN <<EOF
mkdir -p $OUT
echo built > $OUT/result
EOF

FROM builder AS tester
RUN test -f $OUT/result

FROM alpine:3.20
COPY --from=builder /out /out
RUN --mount=type=bind,from=tester,source=/out,target=/t ls /t
"""


def _texts(doc, locations) -> list[str]:
    return [doc.text_of(loc.range) for loc in locations]


async def test_definition_of_a_stage_and_a_variable(client):
    doc = open_doc(client, DOCKERFILE)
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=doc.ident, position=doc.pos("--from=builder", len("--from=") + 2)))
    assert len(found) == 1 and found[0].range.start == doc.pos("builder")
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=doc.ident, position=doc.pos("$OUT/result", 2, nth=1)))
    assert found[0].range.start == doc.pos("OUT=")
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=doc.ident, position=doc.pos("${BASE}", 3)))
    assert found[0].range.start == doc.pos("BASE=")


async def test_references_of_a_stage(client):
    doc = open_doc(client, DOCKERFILE)
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc.ident, position=doc.pos("builder"),
        context=types.ReferenceContext(include_declaration=True)))
    assert _texts(doc, refs) == ["builder"] * 3
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc.ident, position=doc.pos("from=tester", 6),
        context=types.ReferenceContext(include_declaration=False)))
    assert len(refs) == 1 and refs[0].range.start == doc.pos("from=tester", 5)


async def test_references_of_a_variable_across_heredoc_and_child_stage(client):
    doc = open_doc(client, DOCKERFILE)
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc.ident, position=doc.pos("OUT="),
        context=types.ReferenceContext(include_declaration=True)))
    assert _texts(doc, refs) == ["OUT"] * 4


async def test_highlights_mark_the_definition_as_write(client):
    doc = open_doc(client, DOCKERFILE)
    found = await client.text_document_document_highlight_async(types.DocumentHighlightParams(
        text_document=doc.ident, position=doc.pos("EOF")))
    assert [h.kind for h in found] == [types.DocumentHighlightKind.Write, types.DocumentHighlightKind.Read]
    assert [doc.text_of(h.range) for h in found] == ["EOF", "EOF"]


async def test_rename_a_stage(client):
    doc = open_doc(client, DOCKERFILE)
    prepared = await client.text_document_prepare_rename_async(types.PrepareRenameParams(
        text_document=doc.ident, position=doc.pos("builder", 2)))
    assert prepared.placeholder == "builder"
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=doc.ident, position=doc.pos("builder", 2), new_name="compile"))
    edits = edit.document_changes[0].edits if edit.document_changes else edit.changes[doc.uri]
    renamed = doc.apply(edits)
    assert renamed.count("compile") == 3 and "builder" not in renamed


async def test_rename_a_variable_and_a_heredoc(client):
    doc = open_doc(client, DOCKERFILE)
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=doc.ident, position=doc.pos("$OUT", 1), new_name="DEST"))
    edits = edit.document_changes[0].edits if edit.document_changes else edit.changes[doc.uri]
    renamed = doc.apply(edits)
    assert "ENV DEST=/out" in renamed and "$DEST/result" in renamed and "$OUT" not in renamed
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=doc.ident, position=doc.pos("EOF"), new_name="SCRIPT"))
    edits = edit.document_changes[0].edits if edit.document_changes else edit.changes[doc.uri]
    assert doc.apply(edits).count("SCRIPT") == 2


async def test_rename_refuses_a_bad_name_and_a_non_symbol(client):
    doc = open_doc(client, DOCKERFILE)
    with pytest.raises(JsonRpcException):
        await client.text_document_rename_async(types.RenameParams(
            text_document=doc.ident, position=doc.pos("builder"), new_name="not a name"))
    assert await client.text_document_prepare_rename_async(types.PrepareRenameParams(
        text_document=doc.ident, position=doc.pos("mkdir"))) is None


async def test_document_symbols_are_stages_holding_instructions(client):
    doc = open_doc(client, DOCKERFILE)
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc.ident))
    assert [s.name for s in symbols] == ["ARG BASE", "builder", "tester", "stage 2"]
    builder = symbols[1]
    assert builder.kind == types.SymbolKind.Class
    assert [c.name.split()[0] for c in builder.children] == ["FROM", "ENV", "RUN"]
    assert doc.text_of(builder.selection_range) == "builder"


async def test_folding_ranges(client):
    doc = open_doc(client, DOCKERFILE)
    folds = await client.text_document_folding_range_async(types.FoldingRangeParams(text_document=doc.ident))
    spans = {(f.start_line, f.end_line) for f in folds}
    assert (3, 6) in spans  # the heredoc RUN
    assert (1, 6) in spans  # the builder stage


async def test_selection_ranges_grow_outwards(client):
    doc = open_doc(client, DOCKERFILE)
    result = await client.text_document_selection_range_async(types.SelectionRangeParams(
        text_document=doc.ident, positions=[doc.pos("/out /out", 1)]))
    texts = []
    node = result[0]
    while node is not None:
        texts.append(doc.text_of(node.range))
        node = node.parent
    assert texts[0] == "/out"
    assert "COPY --from=builder /out /out" in texts
    assert texts[-1] == doc.text
