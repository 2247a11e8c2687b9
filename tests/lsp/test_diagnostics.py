"""Diagnostics over LSP: pushed (VS Code profile) or pulled (Neovim profile), with codes, links,
severities, tags, related locations and fixes in ``data``; incremental changes."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from tests.lsp.conftest import CLASSIC, SPEC_WARNINGS_ARE_ERRORS, codes, diagnostics, open_doc, pulls_diagnostics

pytestmark = [pytest.mark.asyncio(loop_scope="module"), SPEC_WARNINGS_ARE_ERRORS]


async def test_the_four_classic_problems(client):
    doc = open_doc(client, CLASSIC)
    found = codes(await diagnostics(doc))
    for code in ("DL3061", "DL4003", "DL3007", "DF100"):
        assert code in found


async def test_each_diagnostic_links_to_its_rule_and_names_the_source(client):
    doc = open_doc(client, CLASSIC)
    for d in await diagnostics(doc):
        assert d.source == "dockerls"
        assert d.code_description.href == f"https://dockerls.dev/rules/{d.code}"
        assert d.data["name"]


async def test_ranges_and_severities(client):
    doc = open_doc(client, CLASSIC)
    by_code = {str(d.code): d for d in await diagnostics(doc)}
    latest = by_code["DL3007"]
    assert doc.text_of(latest.range) == "latest"
    assert latest.severity == types.DiagnosticSeverity.Warning
    assert by_code["DL3061"].severity == types.DiagnosticSeverity.Error


async def test_style_findings_are_hints(client):
    doc = open_doc(client, "FROM alpine:3.20 AS Build\nRUN echo hi\n")
    style = [d for d in await diagnostics(doc) if str(d.code) == "DF201"]
    assert style and style[0].severity == types.DiagnosticSeverity.Hint


async def test_deprecated_tag_and_related_information(client):
    doc = open_doc(client, CLASSIC.replace("FROM python:latest AS base\n",
                                           "FROM python:latest AS base\nMAINTAINER someone\n"))
    by_code = {str(d.code): d for d in await diagnostics(doc)}
    assert list(by_code["DL4000"].tags) == [types.DiagnosticTag.Deprecated]
    cleanup = by_code["DF100"]
    if client.capabilities.text_document.publish_diagnostics.related_information:
        related = cleanup.related_information[0]
        assert related.location.uri == doc.uri
        assert doc.text_of(related.location.range) == "RUN"


async def test_the_fix_travels_in_data(client):
    doc = open_doc(client, CLASSIC)
    cleanup = next(d for d in await diagnostics(doc) if str(d.code) == "DF100")
    fix = cleanup.data["fix"]
    assert fix["safe"] is True and fix["title"]
    assert any("rm -rf /var/lib/apt/lists/*" in e["newText"] for e in fix["edits"])


async def test_changes_update_the_diagnostics(client):
    doc = open_doc(client, "FROM python:latest\n")
    assert "DL3007" in codes(await diagnostics(doc))
    doc.change("FROM python:3.12-slim\n")
    assert "DL3007" not in codes(await diagnostics(doc))


async def test_incremental_changes(client):
    doc = open_doc(client, "FROM python:3.12\nCMD [\"a\"]\n")
    assert "DL4003" not in codes(await diagnostics(doc))
    doc.version += 1
    client.diagnostics.pop(doc.uri, None)
    end = doc.pos('CMD ["a"]\n', len('CMD ["a"]\n'))
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version),
        content_changes=[types.TextDocumentContentChangePartial(
            range=types.Range(start=end, end=end), text='CMD ["b"]\n')]))
    doc.text += 'CMD ["b"]\n'
    assert "DL4003" in codes(await diagnostics(doc))
    # replace "3.12" by "latest" in the middle of the first line
    doc.version += 1
    client.diagnostics.pop(doc.uri, None)
    rng = types.Range(start=doc.pos("3.12"), end=doc.pos("3.12", 4))
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=doc.uri, version=doc.version),
        content_changes=[types.TextDocumentContentChangePartial(range=rng, text="latest")]))
    doc.text = doc.text.replace("3.12", "latest")
    found = await diagnostics(doc)
    latest = next(d for d in found if str(d.code) == "DL3007")
    assert doc.text_of(latest.range) == "latest"


async def test_a_burst_of_changes_ends_with_the_last_version(client):
    if pulls_diagnostics(client):
        pytest.skip("pulled diagnostics are computed on request")
    doc = open_doc(client, "FROM python:3.12\n")
    await diagnostics(doc)
    for i in range(10):
        doc.change("FROM python:latest\n" + "RUN true\n" * i)
    doc.change("FROM python:3.13\n")
    await asyncio.sleep(0.3)
    assert "DL3007" not in codes(await diagnostics(doc))


async def test_closing_clears_pushed_diagnostics(client):
    if pulls_diagnostics(client):
        pytest.skip("nothing is pushed to a client that pulls")
    doc = open_doc(client, "FROM python:latest\n")
    assert await diagnostics(doc)
    client.diagnostics.pop(doc.uri)
    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=doc.ident))
    assert await diagnostics(doc) == []


async def test_pull_reports_unchanged_for_the_same_version(client):
    if not pulls_diagnostics(client):
        pytest.skip("the client does not pull")
    doc = open_doc(client, "FROM python:latest\n")
    first = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(text_document=doc.ident))
    again = await client.text_document_diagnostic_async(types.DocumentDiagnosticParams(
        text_document=doc.ident, previous_result_id=first.result_id))
    assert again.kind == "unchanged"


async def test_files_that_are_not_ours_get_nothing(client):
    doc = open_doc(client, "just some text\n", name="notes.txt", language_id="plaintext")
    if pulls_diagnostics(client):
        assert await diagnostics(doc) == []
    else:
        await asyncio.sleep(0.3)
        assert doc.uri not in client.diagnostics


async def test_devcontainer_json_gets_diagnostics(client):
    text = '{\n  // dev\n  "image": "python:3.12",\n  "features": {"x": {}},\n}\n'
    doc = open_doc(client, text, name="devcontainer.json", language_id="jsonc", folder="dv/.devcontainer")
    diags = await diagnostics(doc)
    assert codes(diags) == ["DV005"]  # "x" is not a feature reference: at the reference
    assert diags[0].range.start == types.Position(line=3, character=15)


MULTI_STAGE = """\
ARG BASE=debian:bookworm-slim
FROM $BASE AS build
RUN apt-get update && apt-get install -y gcc
LABEL maintainer="émile 😀"
COPY . /src

FROM build AS test
RUN cd /src && make test

FROM alpine:3.20
COPY --from=build /src/app /app
RUN apk add curl
CMD ["/app"]
CMD ["/app", "--again"]
"""


async def test_typing_publishes_what_a_fresh_open_does(client):
    """The server re-lints only what an edit changed (the parse before the edited line, the stage
    rules' findings of other stages, each diagnostic's JSON): after every keystroke the published
    diagnostics equal those of the same text opened afresh."""
    doc = open_doc(client, MULTI_STAGE)
    await diagnostics(doc)
    text = MULTI_STAGE
    steps = [
        ("apt-get install -y gcc", "apt-get install -y gcc g"),  # type in the first stage
        ("gcc g", "gcc"),
        ("RUN cd /src", "RUN cd  /src"),  # in the stage built from it
        ("FROM alpine:3.20\n", "\nFROM alpine:3.20\n"),  # a new line moves the last stage
        ("FROM build AS test", "FROM build AS tests"),
        ("ARG BASE=debian:bookworm-slim", "ARG BASE=debian:latest"),  # the preamble
        ("RUN apk add curl", "RUN apk add --no-cache curl"),
    ]

    def key(d):
        return (str(d.code), d.message, d.range.start.line, d.range.start.character, d.range.end.line,
                d.range.end.character, str(d.data))

    for old, new in steps:
        assert old in text
        text = text.replace(old, new, 1)
        doc.change(text)
        typed = sorted(map(key, await diagnostics(doc)))
        fresh = sorted(map(key, await diagnostics(open_doc(client, text))))
        assert typed == fresh, (old, new)
        assert typed
