"""One test per private API of pygls, lsprotocol, attrs or cattrs that dockerls/lsp/speedups (or
the server's protocol class) relies on, asserting the exact shape relied on: an upgrade that
changes it fails here, not in a user's editor.  pyproject.toml bounds those libraries' versions."""

from __future__ import annotations

import builtins
import inspect
import io
import json
import subprocess
import sys
import threading

import attrs
import pytest


@pytest.fixture
def counting_compile(monkeypatch):
    """A ``compile`` that counts its calls, to put in a module's globals."""
    calls = []

    def compile(source, filename, mode, *args, **kwargs):  # noqa: A001 (it shadows on purpose)
        calls.append((filename, mode, args, kwargs))
        return builtins.compile(source, filename, mode, *args, **kwargs)

    compile.calls = calls  # type: ignore[attr-defined]
    return compile


def test_attrs_make_compiles_through_its_module_global(monkeypatch, counting_compile):
    """compile_cache: ``attr._make`` calls ``compile(source, filename, "exec")`` as a global name,
    so a ``compile`` set on the module is the one attrs uses when it generates a class's methods."""
    import attr._make

    assert "compile" not in vars(attr._make)  # the builtin, reached through the module's globals
    monkeypatch.setattr(attr._make, "compile", counting_compile, raising=False)

    @attrs.define
    class Point:
        x: int
        y: int = 0

    assert Point(1) == Point(1, 0)
    assert counting_compile.calls and all(mode == "exec" and not args and not kwargs
                                          for _, mode, args, kwargs in counting_compile.calls)


def test_cattrs_gen_compiles_through_its_module_global(monkeypatch, counting_compile):
    """compile_cache: ``cattrs.gen`` calls ``compile(source, filename, "exec")`` as a global name
    when it generates a class's structure and unstructure functions."""
    import cattrs
    import cattrs.gen

    assert "compile" not in vars(cattrs.gen)
    monkeypatch.setattr(cattrs.gen, "compile", counting_compile, raising=False)

    @attrs.define
    class Pair:
        a: int
        b: str

    converter = cattrs.Converter()
    assert converter.structure(converter.unstructure(Pair(1, "x")), Pair) == Pair(1, "x")
    assert counting_compile.calls and all(mode == "exec" and not args and not kwargs
                                          for _, mode, args, kwargs in counting_compile.calls)


def test_lsprotocol_forward_reference_flag():
    """lazy_types: ``lsprotocol._hooks._resolved_forward_references`` is the flag lsprotocol's
    ``register_hooks`` checks before resolving every class's forward references; set, it skips
    that pass.  (In a fresh interpreter: the flag is process-wide.)"""
    code = """
import attrs
from lsprotocol import _hooks, types
assert _hooks._resolved_forward_references is False
calls = []
real = attrs.resolve_types
attrs.resolve_types = lambda *a, **k: calls.append(a) or real(*a, **k)
_hooks._resolved_forward_references = True
from pygls.protocol import default_converter
default_converter()
assert calls == [], len(calls)
_hooks._resolved_forward_references = False
default_converter()
assert len(calls) > 100, len(calls)
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr


def test_lazy_converter_round_trips_lsp_messages():
    """lazy_types: the converter with lazily resolved classes (un)structures as pygls' own does,
    using cattrs' public ``get_structure_hook(cls, cache_result=False)``."""
    code = """
import json
from lsprotocol import types
from dockerls.lsp.speedups import lazy_types
from pygls.protocol import default_converter
lazy = lazy_types.converter()
plain = default_converter()
message = {"range": {"start": {"line": 1, "character": 2}, "end": {"line": 1, "character": 5}},
           "message": "m", "severity": 2, "code": "DL3000", "codeDescription": {"href": "https://x"},
           "source": "dockerls", "tags": [1], "data": {"name": "n"},
           "relatedInformation": [{"location": {"uri": "file:///a", "range": {"start": {"line": 0, "character": 0},
                                   "end": {"line": 0, "character": 1}}}, "message": "r"}]}
a = lazy.structure(message, types.Diagnostic)
b = plain.structure(message, types.Diagnostic)
assert a == b and lazy.unstructure(a) == plain.unstructure(b) == message
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr
    import cattrs

    assert "cache_result" in inspect.signature(cattrs.Converter.get_structure_hook).parameters
    assert "cache_result" in inspect.signature(cattrs.Converter.get_unstructure_hook).parameters


def test_server_stop_event_is_what_shutdown_sets():
    """pipe_stdio: pygls' ``JsonRPCServer.shutdown()`` stops the message loop by setting
    ``self._stop_event``, and ``pygls.io_.run_async`` takes that event and a reader with
    ``readline``/``readexactly``."""
    from pygls.io_ import StdoutWriter, run_async
    from pygls.lsp.server import LanguageServer

    server = LanguageServer("contract", "0")
    assert server._stop_event is None
    server._stop_event = event = threading.Event()
    server.shutdown()
    assert event.is_set()
    assert set(inspect.signature(run_async).parameters) >= {"stop_event", "reader", "protocol", "logger",
                                                           "error_handler"}
    assert inspect.signature(StdoutWriter).parameters


def test_protocol_include_headers_and_framing():
    """framed_publish: ``JsonRPCProtocol._include_headers`` says whether the transport frames
    messages (``set_writer``'s ``include_headers``), and ``_send_data`` frames a message as
    ``Content-Length: <bytes>`` header lines, a blank line and the JSON body, as framed_publish
    writes it by hand.  (DockerlsProtocol.send_error calls ``_send_data`` with a dict too.)"""
    from pygls.lsp.server import LanguageServer

    server = LanguageServer("contract", "0")
    protocol = server.protocol
    assert protocol._include_headers is False and protocol.writer is None

    class Writer:
        def __init__(self):
            self.out = io.BytesIO()

        def write(self, data: bytes) -> None:
            self.out.write(data)

        def close(self) -> None:
            pass

    writer = Writer()
    protocol.set_writer(writer, include_headers=False)
    assert protocol._include_headers is False
    protocol.set_writer(writer)
    assert protocol._include_headers is True and protocol.writer is writer
    protocol._send_data({"jsonrpc": "2.0", "method": "x/y", "params": {"a": "é"}})
    data = writer.out.getvalue()
    head, _, body = data.partition(b"\r\n\r\n")
    headers = dict(line.split(b": ", 1) for line in head.split(b"\r\n"))
    assert int(headers[b"Content-Length"]) == len(body)
    assert json.loads(body) == {"jsonrpc": "2.0", "method": "x/y", "params": {"a": "é"}}


def test_protocol_shutdown_and_exit_handlers_can_be_extended():
    """DockerlsProtocol overrides pygls' built-in ``shutdown`` and ``exit`` handlers (to keep the
    exit code for ``start_io``): they are generator methods registered by ``lsp_method`` name."""
    from lsprotocol import types
    from pygls.protocol import LanguageServerProtocol

    for name, method in (("lsp_shutdown", types.SHUTDOWN), ("lsp_exit", types.EXIT)):
        handler = getattr(LanguageServerProtocol, name)
        assert inspect.isgeneratorfunction(handler) and handler.method_name == method


def test_text_sync_handlers_are_replaced_by_name_and_plain_ones_keep_no_future():
    """DockerlsProtocol replaces pygls' built-in didOpen/didChange/didClose (registered by
    ``lsp_method`` name) with plain methods, because pygls keeps the Future of a generator
    notification in ``_request_futures`` for good and keeps none for a plain function.  If pygls
    stops leaking generator futures, the override can go (it still works either way)."""
    import asyncio

    from lsprotocol import types
    from pygls.lsp.server import LanguageServer
    from pygls.protocol import LanguageServerProtocol

    for name, method in (("lsp_text_document__did_open", types.TEXT_DOCUMENT_DID_OPEN),
                         ("lsp_text_document__did_change", types.TEXT_DOCUMENT_DID_CHANGE),
                         ("lsp_text_document__did_close", types.TEXT_DOCUMENT_DID_CLOSE)):
        assert getattr(LanguageServerProtocol, name).method_name == method

    def futures_after(handler) -> int:
        protocol = LanguageServer("contract", "0").protocol

        async def run() -> int:
            for _ in range(3):
                protocol._execute_handler("id", handler, callback=protocol._check_handler_result)
            await asyncio.sleep(0)
            return len(protocol._request_futures)

        return asyncio.run(run())

    def plain():
        return None

    assert futures_after(plain) == 0


def test_start_io_reads_the_stream_it_is_given():
    """framing (plain path): ``start_io(stdin)`` reads ``stdin`` (``readline`` / ``read``) through
    ``pygls.io_.StdinAsyncReader``, so a framing reader can stand in for ``sys.stdin.buffer``."""
    from pygls.io_ import StdinAsyncReader
    from pygls.server import JsonRPCServer

    assert "stdin" in inspect.signature(JsonRPCServer.start_io).parameters
    source = inspect.getsource(StdinAsyncReader)
    assert "self.stdin.readline" in source and "self.stdin.read" in source
