"""Compose files over LSP: classification, diagnostics, hover, completion, symbols, navigation,
rename and links."""

from __future__ import annotations

import pytest
from lsprotocol import types

from tests.lsp.conftest import SPEC_WARNINGS_ARE_ERRORS, codes, diagnostics, open_doc

pytestmark = [pytest.mark.asyncio(loop_scope="module"), SPEC_WARNINGS_ARE_ERRORS]

COMPOSE = """\
services:
  web:
    build:
      context: .
      dockerfile: app.Dockerfile
      target: runtime
    env_file: web.env
    depends_on: [db]
    networks: [front]
  db:
    image: postgres:16
    volumes:
      - data:/var/lib/postgresql/data
networks:
  front: {}
volumes:
  data: {}
"""
APP_DOCKERFILE = "FROM python:3.12 AS build\nFROM python:3.12-slim AS runtime\n"


def _open(client, text=COMPOSE, name="compose.yaml", language_id="dockercompose"):
    doc = open_doc(client, text, name=name, language_id=language_id)
    folder = client.workspace / doc.uri.rsplit("/", 2)[-2]
    (folder / "app.Dockerfile").write_text(APP_DOCKERFILE)
    (folder / "web.env").write_text("A=1\n")
    return doc


async def test_compose_diagnostics(client):
    doc = _open(client, COMPOSE.replace("depends_on: [db]", "depends_on: [cache]"), name="docker-compose.yml",
                language_id="yaml")
    found = await diagnostics(doc)
    assert "DC103" in codes(found)
    bad = next(d for d in found if d.code == "DC103")
    assert doc.text_of(bad.range) == "cache"


async def test_compose_hover_and_symbols(client):
    doc = _open(client)
    h = await client.text_document_hover_async(types.HoverParams(text_document=doc.ident,
                                                                 position=doc.pos("depends_on", 2)))
    assert h is not None and "depends_on" in h.contents.value
    symbols = await client.text_document_document_symbol_async(types.DocumentSymbolParams(text_document=doc.ident))
    names = {s.name: [c.name for c in (s.children or [])] for s in symbols}
    assert names["services"] == ["web", "db"] and names["volumes"] == ["data"]


async def test_compose_completion_of_services_and_stages(client):
    text = COMPOSE.replace("depends_on: [db]", "depends_on:\n      - d")
    doc = _open(client, text)
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=doc.ident, position=doc.pos("- d", 3)))
    assert "db" in [i.label for i in result.items]
    result = await client.text_document_completion_async(types.CompletionParams(
        text_document=doc.ident, position=doc.pos("target: runtime", len("target: "))))
    assert {"build", "runtime"} <= {i.label for i in result.items}


async def test_compose_definition_references_and_rename(client):
    doc = _open(client)
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=doc.ident, position=doc.pos("[db]", 1)))
    assert [doc.text_of(loc.range) for loc in found] == ["db"]
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc.ident, position=doc.pos("front:"), context=types.ReferenceContext(include_declaration=True)))
    assert sorted(doc.text_of(r.range) for r in refs) == ["front", "front"]
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=doc.ident, position=doc.pos("data:/var"), new_name="pgdata"))
    edits = edit.document_changes[0].edits if edit.document_changes else edit.changes[doc.uri]
    renamed = doc.apply(edits)
    assert "pgdata:/var/lib" in renamed and "  pgdata: {}" in renamed


async def test_compose_links_to_files(client):
    doc = _open(client)
    links = await client.text_document_document_link_async(types.DocumentLinkParams(text_document=doc.ident))
    targets = {doc.text_of(link.range): link.target.rsplit("/", 1)[-1] for link in links}
    assert targets == {"app.Dockerfile": "app.Dockerfile", "web.env": "web.env"}


async def test_plain_yaml_is_not_compose(client):
    doc = open_doc(client, "key: value\n", name="settings.yaml", language_id="yaml")
    assert await client.text_document_hover_async(types.HoverParams(
        text_document=doc.ident, position=doc.pos("key"))) is None
