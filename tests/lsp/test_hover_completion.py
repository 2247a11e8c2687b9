"""Hover, completion and signature help over LSP."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.lsp.conftest import SPEC_WARNINGS_ARE_ERRORS, open_doc

pytestmark = [pytest.mark.asyncio(loop_scope="module"), SPEC_WARNINGS_ARE_ERRORS]

DOCKERFILE = """\
# syntax=docker/dockerfile:1
ARG PY_VERSION=3.12
FROM python:${PY_VERSION}-slim AS build
ARG PY_VERSION
ENV APP_HOME=/srv/app
# hadolint ignore=DL3008
RUN --mount=type=cache,target=/root/.cache apt-get update && apt-get install -y gcc
WORKDIR $APP_HOME

FROM build AS test
COPY --from=build /srv/app /srv/app
RUN echo $APP_HOME
"""


async def _hover(client, doc, needle, delta=0, nth=0) -> types.Hover | None:
    return await client.text_document_hover_async(
        types.HoverParams(text_document=doc.ident, position=doc.pos(needle, delta, nth)))


async def test_hover_instruction_and_flag(client):
    doc = open_doc(client, DOCKERFILE)
    h = await _hover(client, doc, "RUN --mount", 1)
    assert "**RUN**" in h.contents.value
    assert doc.text_of(h.range) == "RUN"
    h = await _hover(client, doc, "--mount", 3)
    assert "--mount" in h.contents.value and "cache" in h.contents.value


async def test_hover_directive(client):
    doc = open_doc(client, DOCKERFILE)
    h = await _hover(client, doc, "syntax", 2)
    assert "parser directive" in h.contents.value


async def test_hover_variable_shows_its_value(client):
    doc = open_doc(client, DOCKERFILE)
    h = await _hover(client, doc, "$APP_HOME", 2)
    assert "/srv/app" in h.contents.value and "ENV" in h.contents.value
    assert doc.text_of(h.range) == "$APP_HOME"
    h = await _hover(client, doc, "${PY_VERSION}", 3)
    assert "3.12" in h.contents.value
    # inherited through FROM build
    h = await _hover(client, doc, "$APP_HOME", 2, nth=1)
    assert "/srv/app" in h.contents.value


async def test_hover_stage_reference_shows_its_from_line(client):
    doc = open_doc(client, DOCKERFILE)
    h = await _hover(client, doc, "--from=build", len("--from=") + 1)
    assert "FROM python:${PY_VERSION}-slim AS build" in h.contents.value
    h = await _hover(client, doc, "FROM build", 6)
    assert "FROM python:${PY_VERSION}-slim AS build" in h.contents.value


async def test_hover_rule_code_in_a_pragma(client):
    doc = open_doc(client, DOCKERFILE)
    h = await _hover(client, doc, "DL3008", 2)
    assert "DL3008" in h.contents.value and "https://dockerls.dev/rules/DL3008" in h.contents.value
    assert doc.text_of(h.range) == "DL3008"


async def test_hover_on_nothing(client):
    doc = open_doc(client, DOCKERFILE)
    assert await _hover(client, doc, "\n\nFROM build", 1) is None


def _labels(result) -> list[str]:
    items = result.items if isinstance(result, types.CompletionList) else result
    return [i.label for i in items]


async def _complete(client, doc, needle, delta=None):
    delta = len(needle) if delta is None else delta
    return await client.text_document_completion_async(
        types.CompletionParams(text_document=doc.ident, position=doc.pos(needle, delta)))


async def test_complete_instructions_with_snippets_when_supported(client):
    doc = open_doc(client, "FROM alpine:3.20\nRU\n")
    result = await _complete(client, doc, "RU")
    item = next(i for i in result.items if i.label == "RUN")
    snippets = client.capabilities.text_document.completion.completion_item.snippet_support
    assert item.insert_text_format == (types.InsertTextFormat.Snippet if snippets else types.InsertTextFormat.PlainText)
    assert item.text_edit.new_text.startswith("RUN ")
    assert doc.text_of(item.text_edit.range) == "RU"


async def test_complete_flags_stages_variables_and_mount_types(client):
    doc = open_doc(client, DOCKERFILE + "COPY --\nCOPY --from=\nRUN echo ${\nRUN --mount=type=\n")
    assert {"--from", "--chown", "--chmod", "--link"} <= set(_labels(await _complete(client, doc, "COPY --")))
    assert _labels(await _complete(client, doc, "COPY --from=\n", len("COPY --from="))) == ["build"]
    labels = _labels(await _complete(client, doc, "RUN echo ${"))
    assert {"APP_HOME", "TARGETPLATFORM"} <= set(labels)
    assert "PY_VERSION" not in labels  # an ARG of the parent stage is not inherited, its ENV is
    assert {"cache", "bind", "secret"} <= set(_labels(await _complete(client, doc, "RUN --mount=type=\n",
                                                                          len("RUN --mount=type="))))


async def test_complete_directives_and_rule_codes(client):
    doc = open_doc(client, "# esc\nFROM alpine:3.20\n# hadolint ignore=DL30\nRUN true\n")
    assert "escape=" in _labels(await _complete(client, doc, "# esc"))
    assert "DL3007" in _labels(await _complete(client, doc, "ignore=DL30"))


async def test_signature_help(client):
    doc = open_doc(client, "FROM alpine:3.20\nCOPY --chown=app:app src \n")
    help_ = await client.text_document_signature_help_async(types.SignatureHelpParams(
        text_document=doc.ident, position=doc.pos("src ", 4)))
    sig = help_.signatures[help_.active_signature]
    assert sig.label.startswith("COPY ")
    param = sig.parameters[help_.active_parameter].label
    label = sig.label[param[0]:param[1]] if isinstance(param, (list, tuple)) else param
    assert label == "..."


async def test_hover_variable_the_base_image_may_set(client):
    doc = open_doc(client, "FROM alpine:3.20\nENV PATH=$PATH:/opt/bin\nWORKDIR $HOME\n")
    h = await _hover(client, doc, "$PATH", 2)
    assert "set by the base image" in h.contents.value and "empty string" not in h.contents.value
    h = await _hover(client, doc, "$HOME", 2)
    assert "base image" in h.contents.value


async def test_complete_after_from_offers_platform_and_stages(client):
    doc = open_doc(client, DOCKERFILE + "FROM \n")
    labels = _labels(await _complete(client, doc, "FROM \n", len("FROM ")))
    assert {"--platform", "build", "test", "scratch"} <= set(labels)
    doc = open_doc(client, DOCKERFILE + "FROM --platform=linux/amd64 \n")
    labels = _labels(await _complete(client, doc, "linux/amd64 \n", len("linux/amd64 ")))
    assert "--platform" not in labels and "build" in labels
