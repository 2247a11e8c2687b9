"""Cross-file services over LSP: rename and references of Compose names across the files linked by
include, extends and overlays; workspace symbols; from a Dockerfile stage back to the Compose files
whose build.target names it."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.conftest import SPEC_WARNINGS_ARE_ERRORS, open_doc

pytestmark = [pytest.mark.asyncio(loop_scope="module"), SPEC_WARNINGS_ARE_ERRORS]
_folders = itertools.count()

MAIN = """\
include:
  - db/compose.yaml
services:
  web:
    extends:
      file: common.yaml
      service: base
    depends_on: [db]
    volumes_from: [db]
volumes:
  data: {}
"""
COMMON = "services:\n  base:\n    image: alpine\n"
DB = "services:\n  db:\n    image: postgres\n    volumes: [data:/var/lib/postgresql/data]\n"
OVERRIDE = "services:\n  db:\n    environment: [A=1]\n"


def _project(client) -> str:
    """A project folder with the files of the tests written (none opened)."""
    folder = f"x{next(_folders)}"
    root = client.workspace / folder
    for name, text in {"common.yaml": COMMON, "db/compose.yaml": DB, "compose.override.yaml": OVERRIDE}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return folder


def _by_file(edit: types.WorkspaceEdit) -> dict[str, list[types.TextEdit]]:
    if edit.document_changes:
        return {c.text_document.uri: c.edits for c in edit.document_changes}
    return dict(edit.changes or {})


def _apply(text: str, edits: list[types.TextEdit]) -> str:
    lines = text.splitlines(keepends=True)
    for e in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        line = lines[e.range.start.line]  # single-line ASCII edits
        lines[e.range.start.line] = line[: e.range.start.character] + e.new_text + line[e.range.end.character :]
    return "".join(lines)


async def test_rename_a_service_in_every_linked_file(client):
    folder = _project(client)
    doc = open_doc(client, MAIN, name="compose.yaml", language_id="dockercompose", folder=folder)
    root = client.workspace / folder
    prepared = await client.text_document_prepare_rename_async(types.PrepareRenameParams(
        text_document=doc.ident, position=doc.pos("[db]", 1)))
    assert prepared is not None
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=doc.ident, position=doc.pos("[db]", 1), new_name="postgres"))
    files = _by_file(edit)
    assert set(files) == {doc.uri, (root / "db/compose.yaml").as_uri(), (root / "compose.override.yaml").as_uri()}
    assert doc.apply(files[doc.uri]).count("[postgres]") == 2
    assert _apply(DB, files[(root / "db/compose.yaml").as_uri()]).startswith("services:\n  postgres:\n")
    assert _apply(OVERRIDE, files[(root / "compose.override.yaml").as_uri()]).startswith("services:\n  postgres:\n")


async def test_prepare_rename_refuses_what_is_not_a_name(client):
    folder = _project(client)
    doc = open_doc(client, MAIN, name="compose.yaml", language_id="dockercompose", folder=folder)
    for needle in ("extends", "common.yaml", "include"):
        assert await client.text_document_prepare_rename_async(types.PrepareRenameParams(
            text_document=doc.ident, position=doc.pos(needle, 1))) is None


async def test_references_from_an_extended_file_and_an_included_one(client):
    folder = _project(client)
    root = client.workspace / folder
    (root / "compose.yaml").write_text(MAIN)
    common = open_doc(client, COMMON, name="common.yaml", language_id="dockercompose", folder=folder)
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=common.ident, position=common.pos("base"), context=types.ReferenceContext(include_declaration=True)))
    assert sorted(Path(r.uri[len("file://"):]).name for r in refs) == ["common.yaml", "compose.yaml"]
    db = open_doc(client, DB, name="compose.yaml", language_id="dockercompose", folder=f"{folder}/db")
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=db.ident, position=db.pos("data:"), context=types.ReferenceContext(include_declaration=True)))
    assert sorted(Path(r.uri[len("file://"):]).relative_to(root).as_posix() for r in refs) == [
        "compose.yaml", "db/compose.yaml"]


async def test_workspace_symbols_find_stages_and_services_in_files_not_opened(client):
    folder = _project(client)
    root = client.workspace / folder
    (root / "app").mkdir()
    (root / "app" / "Dockerfile").write_text("FROM alpine AS zyxbuilder\nFROM zyxbuilder AS zyxruntime\n")
    (root / "compose.yaml").write_text(MAIN.replace("  web:", "  zyxweb:"))
    assert client.init_result.capabilities.workspace_symbol_provider
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="zyx"))
    names = sorted((s.name, s.kind, Path(s.location.uri[len("file://"):]).relative_to(root).as_posix()) for s in found)
    assert names == [("zyxbuilder", types.SymbolKind.Class, "app/Dockerfile"),
                     ("zyxruntime", types.SymbolKind.Class, "app/Dockerfile"),
                     ("zyxweb", types.SymbolKind.Class, "compose.yaml")]
    runtime = next(s for s in found if s.name == "zyxruntime")
    assert runtime.location.range.start == types.Position(line=1, character=len("FROM zyxbuilder AS "))
    found = await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="zyxrt"))
    assert [s.name for s in found] == ["zyxruntime"]


async def test_hover_on_a_referenced_service_shows_its_yaml(client):
    folder = _project(client)
    doc = open_doc(client, MAIN, name="compose.yaml", language_id="dockercompose", folder=folder)
    h = await client.text_document_hover_async(types.HoverParams(text_document=doc.ident, position=doc.pos("[db]", 1)))
    assert h is not None and h.contents.kind == types.MarkupKind.Markdown
    assert "(in `db/compose.yaml`)" in h.contents.value
    assert h.contents.value.endswith("```yaml\ndb:\n  image: postgres\n  volumes: [data:/var/lib/postgresql/data]\n```")
    assert doc.text_of(h.range) == "db"


async def test_references_from_a_dockerfile_stage_to_compose_build_targets(client):
    folder = _project(client)
    root = client.workspace / folder
    compose = "services:\n  web:\n    build:\n      context: app\n      target: builder\n"
    (root / "compose.yaml").write_text(compose)
    text = "FROM alpine AS builder\nRUN true\nFROM builder\n"
    doc = open_doc(client, text, folder=f"{folder}/app")
    refs = await client.text_document_references_async(types.ReferenceParams(
        text_document=doc.ident, position=doc.pos("AS builder", 4), context=types.ReferenceContext(include_declaration=True)))
    here = [doc.text_of(r.range) for r in refs if r.uri == doc.uri]
    there = [r for r in refs if r.uri != doc.uri]
    assert here == ["builder", "builder"]
    assert [Path(r.uri[len("file://"):]).relative_to(root).as_posix() for r in there] == ["compose.yaml"]
    assert there[0].range.start == types.Position(line=4, character=len("      target: "))
    # and back: the definition of the build.target is the stage
    target = open_doc(client, compose, name="compose.yaml", language_id="dockercompose", folder=folder)
    found = await client.text_document_definition_async(types.DefinitionParams(
        text_document=target.ident, position=target.pos("builder", 2)))
    assert [loc.uri for loc in found] == [doc.uri]


async def test_inlay_hints_show_the_extends_origin(client):
    folder = _project(client)
    text = MAIN.replace("    depends_on", "    image: alpine:3\n    depends_on")
    doc = open_doc(client, text, name="compose.yaml", language_id="dockercompose", folder=folder)
    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        text_document=doc.ident, range=types.Range(start=types.Position(line=0, character=0),
                                                   end=types.Position(line=20, character=0))))
    assert [(h.position, h.label) for h in hints] == [(doc.pos("service: base", len("service: base")),
                                                       "from common.yaml: base"),
                                                      (doc.pos("image: alpine", len("image")),
                                                       "overrides common.yaml: base")]
    assert "extends `common.yaml: base`" in hints[0].tooltip.value


async def test_renaming_a_stage_renames_the_compose_build_target(client):
    folder = _project(client)
    root = client.workspace / folder
    compose = "services:\n  web:\n    build:\n      context: app\n      target: builder\n"
    (root / "compose.yaml").write_text(compose)
    doc = open_doc(client, "FROM alpine AS builder\nFROM builder\n", folder=f"{folder}/app")
    edit = await client.text_document_rename_async(types.RenameParams(
        text_document=doc.ident, position=doc.pos("builder"), new_name="base"))
    files = _by_file(edit)
    assert doc.apply(files[doc.uri]) == "FROM alpine AS base\nFROM base\n"
    assert _apply(compose, files[(root / "compose.yaml").as_uri()]).endswith("target: base\n")
