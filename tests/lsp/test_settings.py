"""Settings (``workspace/configuration`` section ``dockerls``) and configuration files, applied
without a restart; bad ones are reported with a message naming the file and the key."""

from __future__ import annotations

import asyncio

import pytest
from lsprotocol import types

from tests.lsp.conftest import SPEC_WARNINGS_ARE_ERRORS, codes, diagnostics, open_doc

pytestmark = [pytest.mark.asyncio(loop_scope="module"), SPEC_WARNINGS_ARE_ERRORS]


async def _settings_changed(client, doc, settings: dict | None):
    client.set_configuration(settings or {}, section="dockerls")
    client.diagnostics.pop(doc.uri, None)
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={"dockerls": settings}))
    await asyncio.sleep(0.2)  # the server asks for the section, then re-lints
    return await diagnostics(doc)


async def _message(client, *needles: str, timeout: float = 5.0) -> types.ShowMessageParams:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        for m in client.messages:
            if all(n in m.message for n in needles):
                return m
        await asyncio.sleep(0.02)
    raise AssertionError(f"no message with {needles}: {[m.message for m in client.messages]}")


async def test_ignored_rules_and_severities_apply_without_restart(client):
    doc = open_doc(client, "FROM python:latest\nMAINTAINER me\n")
    assert "DL3007" in codes(await diagnostics(doc))
    try:
        found = await _settings_changed(client, doc, {"ignore": ["DL3007"], "severity": {"DL4000": "info"}})
        assert "DL3007" not in codes(found)
        assert next(d for d in found if d.code == "DL4000").severity == types.DiagnosticSeverity.Information
    finally:
        found = await _settings_changed(client, doc, None)
    assert "DL3007" in codes(found)


async def test_features_can_be_turned_off(client):
    doc = open_doc(client, "FROM python:3.12\n")
    hover = types.HoverParams(text_document=doc.ident, position=doc.pos("FROM"))
    assert await client.text_document_hover_async(hover) is not None
    try:
        await _settings_changed(client, doc, {"features": {"hover": False}})
        assert await client.text_document_hover_async(hover) is None
    finally:
        await _settings_changed(client, doc, None)
    assert await client.text_document_hover_async(hover) is not None


async def test_bad_settings_are_reported_not_fatal(client):
    doc = open_doc(client, "FROM python:latest\n")
    try:
        found = await _settings_changed(client, doc, {"severity": {"DL3007": "loud"}})
        message = await _message(client, "settings 'dockerls'", "severity.DL3007")
        assert message.type == types.MessageType.Error
        assert "DL3007" in codes(found)  # the defaults apply
    finally:
        await _settings_changed(client, doc, None)


async def test_config_files_are_watched(client):
    if client.capabilities.workspace.did_change_watched_files.dynamic_registration:
        watched = [r for r in client.registrations if r.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
        globs = [w["globPattern"] for r in watched for w in r.register_options["watchers"]]
        assert "**/.dockerls.yaml" in globs and "**/.hadolint.yaml" in globs
    doc = open_doc(client, "FROM python:latest\n", folder="configured")
    assert "DL3007" in codes(await diagnostics(doc))
    config = client.workspace / "configured" / ".dockerls.yaml"
    config.write_text("ignore: [DL3007]\n")
    try:
        found = await _watched_file_changed(client, doc, config)
        assert "DL3007" not in codes(found)
        config.write_text("severity: {DL3007: loud}\n")
        found = await _watched_file_changed(client, doc, config)
        await _message(client, str(config), "severity.DL3007")
        assert "DL3007" in codes(found)
    finally:
        config.unlink()
        await _watched_file_changed(client, doc, config, types.FileChangeType.Deleted)


async def _watched_file_changed(client, doc, path, kind=types.FileChangeType.Changed):
    client.diagnostics.pop(doc.uri, None)
    client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
        changes=[types.FileEvent(uri=path.as_uri(), type=kind)]))
    await asyncio.sleep(0.1)
    return await diagnostics(doc)


async def test_hadolint_config_is_read(client):
    folder = client.workspace / "hadolint"
    folder.mkdir()
    (folder / ".hadolint.yaml").write_text("ignored: [DL3007]\n")
    doc = open_doc(client, "FROM python:latest\n", folder="hadolint")
    assert "DL3007" not in codes(await diagnostics(doc))
