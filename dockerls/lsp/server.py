"""The dockerls language server: state shared by the features, their registration, and ``main``.

``python -m dockerls.lsp.server`` (or ``dockerls serve``) speaks LSP on stdio; ``--tcp HOST:PORT``
and ``--ws HOST:PORT`` serve one client over TCP or a WebSocket.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import json
import logging
import os
import sys
from collections import OrderedDict
from typing import Any, Sequence

from dockerls.lsp.speedups import compile_cache, lazy_types, startup_gc

if __name__ == "__main__":
    startup_gc.collect_less()  # until main() has built the server (``dockerls serve`` did it already)
compile_cache.install()  # before lsprotocol is imported: see the module

from lsprotocol import types  # noqa: E402
from pygls.exceptions import JsonRpcException  # noqa: E402
from pygls.lsp.server import LanguageServer  # noqa: E402
from pygls.protocol import LanguageServerProtocol, lsp_method  # noqa: E402

compile_cache.finish_import()

from dockerls import __version__  # noqa: E402
from dockerls.config import DEFAULT, Config, ConfigError, ConfigFinder  # noqa: E402
from dockerls.lsp import framing  # noqa: E402
from dockerls.lsp.documents import Document, Documents  # noqa: E402
from dockerls.lsp.settings import Settings  # noqa: E402
from dockerls.text import Encoding  # noqa: E402

log = logging.getLogger("dockerls.lsp")

class DockerlsProtocol(LanguageServerProtocol):
    """pygls' protocol, with three changes: open documents live in :mod:`dockerls.lsp.documents`
    (pygls' workspace keeps no copy of their text), malformed messages are answered with a
    JSON-RPC error instead of only being logged, and the exit code LSP asks for (0 after
    ``shutdown``, else 1) is kept for ``main`` (pygls' ``start_io`` swallows it)."""

    shutdown_requested = False
    exit_code = 0  # until ``exit``: a client that just goes away has not failed

    @lsp_method(types.SHUTDOWN)
    def lsp_shutdown(self, *args):
        self.shutdown_requested = True
        yield from super().lsp_shutdown(*args)

    @lsp_method(types.EXIT)
    def lsp_exit(self, *args):
        self.exit_code = 0 if self.shutdown_requested else 1
        yield from super().lsp_exit(*args)

    # pygls hands a command handler only the request's arguments; the develop commands also need its
    # workDoneToken (progress on the client's token), so they get the whole request.  A coroutine,
    # not pygls' generator: pygls keeps a coroutine handler's task under the request's id, so the
    # client's $/cancelRequest cancels it and develop stops the build; a generator's yielded
    # handler runs under another id and went on after the cancel (the request was only answered).
    @lsp_method(types.WORKSPACE_EXECUTE_COMMAND)
    async def lsp_workspace__execute_command(self, params):
        from dockerls.lsp import develop

        if params.command in develop.COMMANDS:
            return await develop.execute(self._server, params)
        # pygls' own dispatch for any other command: it yields (handler, args, kwargs) to run
        dispatch = super().lsp_workspace__execute_command(params)
        value = None
        while True:
            try:
                handler, args, kwargs = dispatch.send(value)
            except StopIteration as done:
                return done.value
            value = handler(*args, **(kwargs or {}))
            if inspect.isawaitable(value):
                value = await value

    # didOpen / didChange / didClose call the handler directly.  pygls' own versions are generators,
    # and pygls keeps a Future per generator notification in ``_request_futures`` for good (nothing
    # pops it: ~2 KB per keystroke, 20,000 changes left 20,002).  To report upstream to pygls:
    # ``JsonRPCProtocol._execute_handler`` stores the generator's future under a fresh uuid and
    # ``_check_handler_result`` never removes it.  A plain method takes pygls' path for plain
    # functions, which keeps no future (tests/lsp/test_long_running.py counts them).
    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params):
        self._call_feature(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params):
        self._call_feature(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params):
        self._call_feature(types.TEXT_DOCUMENT_DID_CLOSE, params)

    def _call_feature(self, method: str, params) -> None:
        handler = self.fm.features.get(method)
        if handler is None:
            return
        result = handler(params)
        if inspect.isawaitable(result):
            asyncio.ensure_future(result)

    def structure_message(self, data: dict[str, Any]):
        try:
            return super().structure_message(data)
        except JsonRpcException as error:
            if isinstance(data, dict) and "id" in data and "method" in data:
                msg_id = data["id"]
                if not _valid_id(msg_id):
                    log.warning("a request whose id is neither a number nor a string: %.100r", msg_id)
                    self.send_error(None, types.ErrorCodes.InvalidRequest,
                                    "Invalid Request: the id must be a number or a string")
                    return _Answered()
                log.warning("invalid parameters for %s (id %s)", data.get("method"), msg_id)
                self.send_error(msg_id, types.ErrorCodes.InvalidParams,
                                f"Invalid parameters for {data.get('method')}")
                return _Answered()
            if isinstance(data, dict) and data.get("method") == types.TEXT_DOCUMENT_DID_CHANGE:
                server: Any = self._server
                server.reject_change(data.get("params"))
                return _Answered()
            raise error

    def handle_message(self, message):
        if isinstance(message, _Answered):
            return
        method = getattr(message, "method", None)
        if method is not None and hasattr(message, "id") and not _valid_id(message.id):
            log.warning("a request whose id is neither a number nor a string: %.100r", message.id)
            self.send_error(None, types.ErrorCodes.InvalidRequest, "Invalid Request: the id must be a number or a string")
            return
        if self._shutdown and method is not None and method != types.EXIT and hasattr(message, "id"):
            # LSP: "requests after a shutdown request should error with InvalidRequest".
            self.send_error(message.id, types.ErrorCodes.InvalidRequest, "Invalid Request: the server is shut down")
            return
        if not hasattr(message, "jsonrpc"):
            log.warning("not a JSON-RPC message: %.200r", message)
            self.send_error(None, types.ErrorCodes.InvalidRequest, "Invalid Request: not a JSON-RPC message")
            return
        super().handle_message(message)

    def send_error(self, msg_id, code: int, message: str) -> None:
        # pygls has no public way to answer with an error outside a handler (contract-tested).
        self._send_data({"jsonrpc": "2.0", "id": msg_id, "error": {"code": int(code), "message": message}})


def _valid_id(msg_id) -> bool:
    """JSON-RPC: a request's id is a number or a string (null is not one LSP allows either)."""
    return isinstance(msg_id, (int, str)) and not isinstance(msg_id, bool)


class _Answered:
    """A message that has been answered already (with an error) while it was being read."""

    jsonrpc = "2.0"


class DockerlsServer(LanguageServer):
    protocol: DockerlsProtocol
    converter: Any

    def __init__(self) -> None:
        factory = lazy_types.factory()

        def make_converter():
            self.converter = factory()  # the protocol's (LSP JSON <-> lsprotocol objects), kept in sight
            return self.converter

        super().__init__("dockerls", __version__, protocol_cls=DockerlsProtocol, converter_factory=make_converter,
                         text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.documents = Documents()
        self.settings = Settings()
        self.config_generation = 0
        self._config_finder = ConfigFinder()
        # A document's folder -> its configuration, for the settings and configuration files of
        # ``_configs_key`` (generations): the finder resolves the path (system calls) on each ask.
        self._configs: dict[str | None, Config] = {}
        self._configs_key: tuple = ()
        self._reported_errors: set[str] = set()
        self.encoding: Encoding = "utf-16"
        self.pull_diagnostics = False  # the client asks for diagnostics: do not push them
        self.pending: dict[str, asyncio.TimerHandle] = {}  # uri -> the debounced diagnostics run
        self.lint_queue: OrderedDict[str, int] = OrderedDict()  # uri -> version, to lint: newest last
        self.lint_turn_taken = False  # a turn of the loop will lint the next queued document
        self.lint_drained = asyncio.Event()  # set when the queue has been served to its end
        self.external_tasks: dict[str, asyncio.Task] = {}  # uri -> ShellCheck in the background
        self.external_waiting: OrderedDict[str, int] = OrderedDict()  # uri -> version, for ShellCheck later
        self.external_drainer: asyncio.Task | None = None  # serves external_waiting
        self.build_failures: set[str] = set()  # uris showing a failed build step (lsp/develop.py)

    # -- capabilities --------------------------------------------------------------------------

    def capability(self, path: str, default: Any = None) -> Any:
        """A client capability by dotted path (``text_document.completion.completion_item``)."""
        value: Any = getattr(self.protocol, "client_capabilities", None)
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                return default
        return value

    def markup_kind(self, path: str) -> types.MarkupKind:
        formats = self.capability(path) or []
        if not formats or types.MarkupKind.Markdown in formats:
            return types.MarkupKind.Markdown
        return types.MarkupKind.PlainText

    # -- configuration -------------------------------------------------------------------------

    def config_for(self, doc: Document) -> tuple[Config, tuple]:
        """The configuration for a document (files, then settings) and its cache key."""
        key = (self.settings.generation, self.config_generation)
        if key != self._configs_key:  # settings or configuration files changed: find them again
            self._configs, self._configs_key = {}, key
        folder = os.path.dirname(doc.path) if doc.path else None
        cached = self._configs.get(folder)
        if cached is not None:
            return cached, key
        config = DEFAULT
        if doc.path:
            try:
                config = self._config_finder.for_file(doc.path)
            except ConfigError as err:
                self.show_config_error(err)
        # One object per folder and generation: the lint's caches (enabled rules) go by identity.
        applied = self._configs[folder] = self.settings.apply(config)
        return applied, key

    def reload_config_files(self) -> None:
        self._config_finder = ConfigFinder()
        self._reported_errors.clear()
        self.config_generation += 1

    def show_config_error(self, err: ConfigError) -> None:
        """Tell the user once about a configuration that cannot be used (dockerls goes on without it)."""
        message = f"dockerls: {err} (using the defaults instead)"
        log.warning("%s", message)
        if message not in self._reported_errors:
            self._reported_errors.add(message)
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))

    def reject_change(self, params) -> None:
        """A ``didChange`` that cannot be read (a position past 2^31, a malformed range): the
        document would drift from the editor's, so it is dropped, its diagnostics cleared, and the
        user told to reopen it (LSP has no way to ask the editor for the whole text again)."""
        uri = params.get("textDocument", {}).get("uri") if isinstance(params, dict) else None
        doc = self.documents.close(uri) if isinstance(uri, str) else None
        log.error("a change to %s could not be read: the document is dropped", uri)
        if doc is not None:
            from dockerls.lsp import diagnostics

            diagnostics.forget(self, doc)
        self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=(
            f"dockerls: a change to {uri} could not be read; dockerls no longer follows this file: "
            "close and reopen it")))

    # -- errors --------------------------------------------------------------------------------

    def report_server_error(self, error: Exception, source) -> None:
        """Log; answer a message that is not JSON with JSON-RPC's parse error.  No pop-ups: the
        user cannot do anything about a client's malformed message."""
        framing_error = framing.framing_error(error)
        if framing_error is not None:
            self.protocol.send_error(None, types.ErrorCodes.ParseError, framing_error)
            return
        if isinstance(error, json.JSONDecodeError):
            log.warning("malformed JSON-RPC message: %s", error)
            self.protocol.send_error(None, types.ErrorCodes.ParseError, f"Parse error: {error}")
            return
        log.error("server error (%s): %s", getattr(source, "__name__", source), error)


def build_server() -> DockerlsServer:
    """A server with every feature registered."""
    from dockerls.lsp import (
        code_actions,
        code_lens,
        completion,
        develop,
        diagnostics,
        formatting,
        hover,
        inlay_hints,
        lifecycle,
        links,
        navigation,
        on_type_formatting,
        semantic_tokens,
        signature_help,
        symbols,
        text_sync,
    )

    server = DockerlsServer()
    for module in (lifecycle, text_sync, diagnostics, hover, completion, signature_help, symbols, navigation,
                   formatting, on_type_formatting, semantic_tokens, links, inlay_hints, code_actions, code_lens, develop):
        module.register(server)
    return server


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dockerls serve", description="Start the dockerls language server.")
    transport = parser.add_mutually_exclusive_group()
    transport.add_argument("--stdio", action="store_true", help="talk LSP on stdin/stdout (the default)")
    transport.add_argument("--tcp", metavar="HOST:PORT", help="serve one client over TCP")
    transport.add_argument("--ws", metavar="HOST:PORT", help="serve over a WebSocket (needs pygls[ws])")
    parser.add_argument("--log-level", default="WARNING", choices=["DEBUG", "INFO", "WARNING", "ERROR"],
                        help="log to stderr from this level on (default: WARNING)")
    parser.add_argument("--log-file", metavar="FILE", help="log to FILE instead of stderr")
    return parser.parse_args(list(argv) if argv is not None else None)


def configure_logging(level: str, filename: str | None = None) -> None:
    """dockerls's own messages from ``level`` on; pygls's only from ERROR unless ``level`` is DEBUG.

    The log is what an editor shows the user (VS Code's output channel): pygls's warnings are
    protocol chatter a user can do nothing about ("Cancel notification for unknown message id" each
    time the editor cancels a request that has just been answered, "Ignoring notification for
    unknown method", ...), while its errors (a handler that raised, a lost connection) matter."""
    logging.basicConfig(level=level, filename=filename, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("pygls").setLevel(logging.DEBUG if level == "DEBUG" else logging.ERROR)


def _host_port(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not port.isdigit():
        raise SystemExit(f"dockerls serve: expected HOST:PORT, got {value!r}")
    return host or "127.0.0.1", int(port)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse_args(argv)
    configure_logging(args.log_level, args.log_file)
    startup_gc.collect_less()
    server = build_server()
    startup_gc.freeze()
    startup_gc.collect_as_usual()
    try:
        if args.tcp:
            server.start_tcp(*_host_port(args.tcp))
        elif args.ws:
            server.start_ws(*_host_port(args.ws))
        else:
            from dockerls.lsp.speedups import pipe_stdio

            if pipe_stdio.usable():
                return pipe_stdio.serve_stdio(server)
            framing.loop_logger("pygls.server")  # the loop start_io runs logs there
            stdin: Any = framing.FramedInput(sys.stdin.buffer)  # it reads as start_io reads a BinaryIO
            server.start_io(stdin)  # pygls' reader, given clean frames
            return server.protocol.exit_code
        return 0
    finally:
        compile_cache.save()


if __name__ == "__main__":
    sys.exit(main())
