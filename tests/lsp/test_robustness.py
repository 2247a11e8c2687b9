"""The server survives what clients (and people) get wrong: malformed JSON-RPC, unknown methods,
requests about documents never opened, positions past the end, a 5 MB document, a binary file.
Each gets an error response or an empty result and a log line, and the server answers afterwards.

Raw bytes over stdio: no LSP client library would send these.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
import time

import pytest

SERVER = [sys.executable, "-m", "dockerls.lsp.server"]


class RawClient:
    def __init__(self, env: dict | None = None) -> None:
        self.proc = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=env)
        self.inbox: queue.Queue = queue.Queue()
        self.ids = iter(range(1, 10_000))
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.inbox.put(None)
                    return
                if not line.strip():
                    break
                key, _, value = line.decode().partition(":")
                headers[key.strip().lower()] = value.strip()
            self.inbox.put(json.loads(out.read(int(headers["content-length"]))))

    def send_bytes(self, data: bytes) -> None:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send_body(self, body: bytes) -> None:
        self.send_bytes(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def send(self, message: dict) -> None:
        self.send_body(json.dumps(message).encode())

    def request(self, method: str, params) -> int:
        msg_id = next(self.ids)
        self.send({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})
        return msg_id

    def notify(self, method: str, params) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def wait(self, pred, timeout: float = 20.0) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("no matching message from the server")
            msg = self.inbox.get(timeout=left)
            if msg is None:
                raise AssertionError(f"the server exited: {self.proc.wait()}")
            if "method" in msg and "id" in msg:  # a request from the server: answer it
                self.send({"jsonrpc": "2.0", "id": msg["id"], "result": None})
                continue
            if pred(msg):
                return msg

    def call(self, method: str, params) -> dict:
        msg_id = self.request(method, params)
        return self.wait(lambda m: m.get("id") == msg_id)

    def diagnostics_for(self, uri: str) -> list:
        msg = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri)
        return msg["params"]["diagnostics"]

    def alive(self) -> None:
        """The server still answers."""
        answer = self.call("textDocument/hover", {"textDocument": {"uri": "file:///nowhere/Dockerfile"},
                                                  "position": {"line": 0, "character": 0}})
        assert "result" in answer

    def stop(self) -> str:
        try:
            self.call("shutdown", None)
            self.notify("exit", None)
            self.proc.wait(10)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        return self.proc.stderr.read().decode(errors="replace")


@pytest.fixture
def raw():
    client = RawClient()
    answer = client.call("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    assert "capabilities" in answer["result"]
    client.notify("initialized", {})
    yield client
    if client.proc.poll() is None:
        client.proc.kill()


def _open(raw: RawClient, uri: str, text: str) -> None:
    raw.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
                                                         "text": text}})


def test_malformed_json_gets_a_parse_error(raw):
    raw.send_body(b'{"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {')
    error = raw.wait(lambda m: "error" in m)
    assert error["id"] is None and error["error"]["code"] == -32700
    raw.send_body(b"[1, 2, 3]")
    error = raw.wait(lambda m: "error" in m)
    assert error["id"] is None and error["error"]["code"] == -32600
    raw.send_body(b"\xff\xfe not even text")
    assert raw.wait(lambda m: "error" in m)["error"]["code"] == -32700
    raw.alive()


def test_garbage_headers_are_skipped(raw):
    raw.send_bytes(b"this is not a header\r\nX-Other: 1\r\n\r\n")
    raw.send_bytes(b"Content-Length: nope\r\n\r\n")
    raw.alive()
    assert "Traceback" not in raw.stop()


def test_invalid_params_get_an_error_response(raw):
    answer = raw.call("textDocument/hover", {"textDocument": {"uri": 5}, "position": "here"})
    assert answer["error"]["code"] == -32602
    raw.alive()


def test_unknown_methods(raw):
    answer = raw.call("dockerls/noSuchMethod", {})
    assert answer["error"]["code"] == -32601
    raw.notify("$/noSuchNotification", {})
    raw.notify("dockerls/noSuchNotification", {})
    raw.alive()


def test_documents_never_opened_are_logged_and_answered_empty(raw):
    uri = "file:///never/opened/Dockerfile"
    position = {"line": 0, "character": 0}
    for method, params in [
        ("textDocument/hover", {"position": position}),
        ("textDocument/completion", {"position": position}),
        ("textDocument/definition", {"position": position}),
        ("textDocument/documentSymbol", {}),
        ("textDocument/formatting", {"options": {"tabSize": 4, "insertSpaces": True}}),
        ("textDocument/semanticTokens/full", {}),
        ("textDocument/codeAction", {"range": {"start": position, "end": position},
                                     "context": {"diagnostics": []}}),
    ]:
        answer = raw.call(method, {"textDocument": {"uri": uri}, **params})
        assert "error" not in answer, method
        assert not answer["result"] or answer["result"] == {"data": []}, method
    raw.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                          "contentChanges": [{"text": "FROM x"}]})
    raw.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    raw.alive()
    assert "not open: file:///never/opened/Dockerfile" in raw.stop()


def test_positions_past_the_end(raw):
    uri = "file:///tmp/past/Dockerfile"
    _open(raw, uri, "FROM alpine:3.20\nRUN echo hi\n")
    raw.diagnostics_for(uri)
    for position in ({"line": 1, "character": 999}, {"line": 999, "character": 0}, {"line": 999, "character": 999}):
        for method in ("textDocument/hover", "textDocument/completion", "textDocument/signatureHelp",
                       "textDocument/definition", "textDocument/references", "textDocument/prepareRename"):
            params = {"textDocument": {"uri": uri}, "position": position}
            if method == "textDocument/references":
                params["context"] = {"includeDeclaration": True}
            assert "error" not in raw.call(method, params), (method, position)
    raw.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [
        {"range": {"start": {"line": 50, "character": 3}, "end": {"line": 60, "character": 0}}, "text": "CMD x\n"}]})
    assert raw.diagnostics_for(uri) is not None
    raw.alive()


def test_a_five_megabyte_document(raw):
    uri = "file:///tmp/big/Dockerfile"
    text = "FROM alpine:3.20\n" + "RUN echo " + "x" * 70 + "\n" * 1
    text = text * (5_000_000 // len(text))
    started = time.monotonic()
    _open(raw, uri, text)
    assert raw.diagnostics_for(uri) == []  # not analysed: logged, not linted for seconds
    answer = raw.call("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}})
    assert answer["result"] is None
    assert time.monotonic() - started < 10
    raw.alive()
    assert "not analysed" in raw.stop()


def test_a_binary_file_opened_by_mistake(raw):
    uri = "file:///tmp/binary/Dockerfile"
    _open(raw, uri, "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00\x01\x00\x00\x00")
    found = raw.diagnostics_for(uri)
    assert [d["code"] for d in found] == ["DF001"]
    for method in ("textDocument/hover", "textDocument/completion"):
        assert "error" not in raw.call(method, {"textDocument": {"uri": uri},
                                                "position": {"line": 0, "character": 3}})
    assert "error" not in raw.call("textDocument/formatting", {"textDocument": {"uri": uri},
                                                               "options": {"tabSize": 4, "insertSpaces": True}})
    raw.alive()


def test_exit_codes(raw):
    assert raw.call("shutdown", None)["result"] is None
    raw.notify("exit", None)
    assert raw.proc.wait(10) == 0
    late = RawClient()
    late.notify("exit", None)  # exit without shutdown: 1, as LSP says
    assert late.proc.wait(10) == 1


def test_tcp_transport():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([*SERVER, "--tcp", f"127.0.0.1:{port}"], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        with conn:
            body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                               "params": {"processId": None, "rootUri": None, "capabilities": {}}}).encode()
            conn.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            reply = b""
            while b'"id": 1' not in reply and b'"id":1' not in reply:
                chunk = conn.recv(65536)
                assert chunk, "the server closed the connection"
                reply += chunk
            assert b'"capabilities"' in reply
    finally:
        proc.kill()
        proc.wait(10)
