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
    targets = {doc.text_of(link.range): link.target for link in links}
    folder = client.workspace / doc.uri.rsplit("/", 2)[-2]
    assert targets == {"app.Dockerfile": (folder / "app.Dockerfile").as_uri(), "web.env": (folder / "web.env").as_uri(),
                       "postgres:16": "https://hub.docker.com/_/postgres"}


async def test_plain_yaml_is_not_compose(client):
    doc = open_doc(client, "key: value\n", name="settings.yaml", language_id="yaml")
    assert await client.text_document_hover_async(types.HoverParams(
        text_document=doc.ident, position=doc.pos("key"))) is None


async def test_compose_formatting_folding_and_selection(client):
    text = "services:\n    web:\n        image:   nginx:1   \n        ports:\n        -   \"80:80\"\n"
    doc = _open(client, text)
    edits = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=doc.ident, options=types.FormattingOptions(tab_size=2, insert_spaces=True)))
    assert doc.apply(edits) == "services:\n  web:\n    image: nginx:1\n    ports:\n    - \"80:80\"\n"
    folds = await client.text_document_folding_range_async(types.FoldingRangeParams(text_document=doc.ident))
    assert sorted((f.start_line, f.end_line) for f in folds) == [(0, 4), (1, 4), (3, 4)]
    found = await client.text_document_selection_range_async(types.SelectionRangeParams(
        text_document=doc.ident, positions=[doc.pos("nginx", 1)]))
    spans = []
    node = found[0]
    while node is not None:
        spans.append(doc.text_of(node.range))
        node = node.parent
    assert spans[:2] == ["nginx:1", "image:   nginx:1"]


async def test_compose_inlay_hints_and_ignore_actions(client):
    text = "services:\n  web:\n    image: nginx:${TAG}\n    depends_on: [cache]\n"
    doc = _open(client, text)
    (client.workspace / doc.uri.rsplit("/", 2)[-2] / ".env").write_text("TAG=1.25\n")
    doc.change(text)  # read again, with the .env file
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=doc.ident, range=types.Range(start=types.Position(line=0, character=0),
                                                   end=types.Position(line=4, character=0))))
    assert [(h.position, h.label) for h in hints] == [(doc.pos("}\n", 1), "= 1.25")]
    bad = next(d for d in await diagnostics(doc) if d.code == "DC103")
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        text_document=doc.ident, range=bad.range, context=types.CodeActionContext(diagnostics=[bad])))
    titles = [a.title for a in actions]
    assert "Ignore DC103 for this entry" in titles and "Ignore DC103 for this file" in titles
    action = actions[titles.index("Ignore DC103 for this entry")]
    assert doc.apply(action.edit.changes[doc.uri]) == text.replace("    depends_on", "    # dockerls ignore=DC103\n"
                                                                    "    depends_on")


async def test_dockerfile_inlay_hint_for_a_from_built_from_args(client):
    doc = open_doc(client, "ARG PY=3.12\nFROM python:${PY}-slim\n")
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=doc.ident, range=types.Range(start=types.Position(line=0, character=0),
                                                   end=types.Position(line=2, character=0))))
    assert [(h.position, h.label) for h in hints] == [(doc.pos("-slim", 5), "= python:3.12-slim")]


async def test_compose_highlights_mark_the_declaration_as_write(client):
    doc = _open(client)
    found = await client.text_document_document_highlight_async(types.DocumentHighlightParams(
        text_document=doc.ident, position=doc.pos("[db]", 1)))
    assert [(doc.text_of(h.range), h.kind) for h in found] == [("db", types.DocumentHighlightKind.Read),
                                                             ("db", types.DocumentHighlightKind.Write)]


async def test_compose_files_get_the_develop_lens(client):
    doc = _open(client)
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(text_document=doc.ident))
    assert [(lens.command.title, lens.command.command) for lens in lenses] == [
        ("Develop in container", "dockerls.develop")]
