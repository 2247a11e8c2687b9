"""Initialisation, settings (``workspace/configuration``) and configuration files being watched."""

from __future__ import annotations

import logging
from dataclasses import replace

from lsprotocol import types

from dockerls.config import ConfigError
from dockerls.lsp import diagnostics, parent_watch
from dockerls.lsp.handlers import register as feature
from dockerls.lsp.settings import SECTION, Settings, parse_settings

log = logging.getLogger("dockerls.lsp")

CONFIG_FILE_GLOBS = ("**/.dockerls.yaml", "**/.dockerls.yml", "**/pyproject.toml", "**/.hadolint.yaml",
                     "**/.hadolint.yml")


def register(server) -> None:
    @feature(server, types.INITIALIZE)
    def initialize(server, params: types.InitializeParams):
        encoding = str(getattr(server.workspace.position_encoding, "value", server.workspace.position_encoding))
        server.encoding = encoding if encoding in ("utf-8", "utf-16", "utf-32") else "utf-16"
        server.pull_diagnostics = server.capability("text_document.diagnostic") is not None
        parent_watch.watch(params.process_id)
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get(SECTION, options.get("settings")), dict):
            _apply_settings(server, options.get(SECTION, options.get("settings")))
        log.info("initialised: encoding %s, %s diagnostics", server.encoding,
                 "pull" if server.pull_diagnostics else "push")

    @feature(server, types.INITIALIZED)
    async def initialized(server, params):
        try:
            if server.capability("workspace.did_change_watched_files.dynamic_registration"):
                await _watch_config_files(server)
            if server.capability("workspace.did_change_configuration.dynamic_registration"):
                await server.client_register_capability_async(types.RegistrationParams(registrations=[
                    types.Registration(id="dockerls-configuration", method=types.WORKSPACE_DID_CHANGE_CONFIGURATION)]))
            await refresh_settings(server, startup=True)
        except Exception:
            log.exception("initialisation after 'initialized' failed; going on with the defaults")
        from dockerls.lsp.speedups import compile_cache, startup_gc

        startup_gc.freeze(collect=True)  # again: the converter made hooks for the client's messages
        compile_cache.save()  # those hooks' code, for the next start

    @feature(server, types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(server, params: types.DidChangeConfigurationParams):
        try:
            pushed = params.settings.get(SECTION) if isinstance(params.settings, dict) else None
            await refresh_settings(server, pushed)
        except Exception:
            log.exception("reading the changed settings failed")

    @feature(server, types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(server, params: types.DidChangeWatchedFilesParams):
        names = [change.uri.rsplit("/", 1)[-1] for change in params.changes]
        if any(name in (".dockerls.yaml", ".dockerls.yml", "pyproject.toml", ".hadolint.yaml", ".hadolint.yml")
               for name in names):
            log.info("configuration files changed: %s", ", ".join(names))
            server.reload_config_files()
            diagnostics.refresh_all(server)


async def _watch_config_files(server) -> None:
    watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in CONFIG_FILE_GLOBS]
    await server.client_register_capability_async(types.RegistrationParams(registrations=[types.Registration(
        id="dockerls-config-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers))]))


async def refresh_settings(server, pushed=None, startup: bool = False) -> None:
    """Ask the client for the ``dockerls`` section (or use what it pushed) and re-lint.  At
    ``startup``, settings that change nothing keep the generation and re-lint nothing: the
    documents opened while the client was answering are not linted twice."""
    data = pushed
    if server.capability("workspace.configuration"):
        result = await server.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)]))
        data = result[0] if result else None
    if data is None and pushed is None and server.settings.generation:
        return  # nothing new: keep what initializationOptions or an earlier push gave
    old = server.settings
    _apply_settings(server, data)
    if startup and replace(server.settings, generation=old.generation) == old:
        server.settings = old
        return
    diagnostics.refresh_all(server)


def _apply_settings(server, data) -> None:
    """Take new settings.  Bad settings are reported and the defaults used, as with a bad
    configuration file."""
    generation = server.settings.generation + 1
    try:
        server.settings = parse_settings(data, generation)
    except ConfigError as err:
        server.show_config_error(err)
        server.settings = Settings(generation=generation)
