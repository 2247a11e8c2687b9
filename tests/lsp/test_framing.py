"""Framing mistakes cost one message, never the connection (:mod:`dockerls.lsp.framing`): raw
bytes over stdio, through the asyncio pipe reader and through pygls' own loop
(``DOCKERLS_PLAIN_PYGLS=1``)."""

from __future__ import annotations

import json
import os

import pytest

from dockerls.lsp.framing import Framer
from tests.lsp.test_robustness import RawClient

MODES = {"pipe": {}, "plain": {"DOCKERLS_PLAIN_PYGLS": "1"}}


@pytest.fixture(params=list(MODES))
def raw(request):
    client = RawClient(env={**os.environ, **MODES[request.param]})
    answer = client.call("initialize", {"processId": None, "rootUri": None, "capabilities": {}})
    assert "capabilities" in answer["result"]
    client.notify("initialized", {})
    yield client
    if client.proc.poll() is None:
        client.proc.kill()
        client.proc.wait(10)


def _hover(msg_id: int) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": msg_id, "method": "textDocument/hover", "params": {
        "textDocument": {"uri": "file:///nowhere/Dockerfile"}, "position": {"line": 0, "character": 0}}}).encode()


def _framed(body: bytes, length=None, name: bytes = b"Content-Length", eol: bytes = b"\r\n") -> bytes:
    return name + b": " + str(len(body) if length is None else length).encode() + eol + eol + body


BAD = {
    "not a number": lambda b: _framed(b, "abc"),
    "negative": lambda b: _framed(b, -len(b)),
    "5 bytes too long": lambda b: _framed(b, len(b) + 5),
    "5 bytes too short": lambda b: _framed(b, len(b) - 5),
    "lowercase name": lambda b: _framed(b, name=b"content-length"),
    "LF only": lambda b: _framed(b, eol=b"\n"),
}


@pytest.mark.parametrize("mistake", list(BAD))
def test_a_framing_mistake_costs_at_most_one_message(raw, mistake):
    raw.send_bytes(BAD[mistake](_hover(500)))
    raw.send_body(_hover(501))
    # The next message is answered, and so (once the bytes up to the next header complete it) is
    # the mis-framed one: nothing glued, nothing silent.
    answered = {}
    while len(answered) < 2:
        answer = raw.wait(lambda m: m.get("id") in (500, 501), timeout=10)
        answered[answer["id"]] = answer
    assert all("result" in answer for answer in answered.values())
    raw.alive()


@pytest.mark.parametrize("mistake", ["not a number", "negative"])
def test_a_length_that_is_not_one_is_answered_with_an_error(raw, mistake):
    raw.send_bytes(BAD[mistake](_hover(600)))
    error = raw.wait(lambda m: "error" in m, timeout=10)
    assert error["id"] is None and error["error"]["code"] == -32700
    assert "Content-Length" in error["error"]["message"]
    raw.alive()


def test_a_request_whose_id_is_an_object_gets_an_error(raw):
    raw.send({"jsonrpc": "2.0", "id": {"x": 1}, "method": "textDocument/hover",
              "params": {"textDocument": {"uri": "file:///a/Dockerfile"}, "position": {"line": 0, "character": 0}}})
    error = raw.wait(lambda m: "error" in m, timeout=10)
    assert error["id"] is None and error["error"]["code"] == -32600
    raw.alive()


def _bodies(data: bytes, chunk: int) -> list[bytes]:
    framer, out = Framer(), []
    for i in range(0, len(data), chunk):
        framer.feed(data[i:i + chunk])
        while (body := framer.next_body()) is not None:
            out.append(body)
    return out


@pytest.mark.parametrize("mistake", list(BAD))
@pytest.mark.parametrize("chunk", [1, 3, 4096])
def test_framer_recovers_whatever_the_reads(mistake, chunk):
    data = BAD[mistake](_hover(1)) + _framed(_hover(2)) + _framed(_hover(3))
    bodies = [b for b in _bodies(data, chunk) if b.startswith(b"{")]
    assert bodies[-2:] == [_hover(2), _hover(3)]
    assert _hover(1) in bodies


def test_framer_skips_garbage_lines_and_keeps_other_headers():
    data = (b"garbage\r\nmore garbage\n" + b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n"
            + _framed(_hover(1)))
    assert _bodies(data, 5)[-1] == _hover(1)
