"""The server's log (what VS Code's output channel shows) keeps to what a user needs: pygls's
protocol warnings, such as "Cancel notification for unknown message id" each time the editor cancels
a request that was just answered, only with --log-level DEBUG."""

from __future__ import annotations

import json
import logging
import subprocess
import sys

import pytest

from dockerls.lsp.server import configure_logging


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _session_stderr(*args: str) -> str:
    """stderr of a server that is sent a cancel for an unknown request and an unknown notification."""
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 4242}},
        {"jsonrpc": "2.0", "method": "dockerls/noSuchNotification", "params": {}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None},
        {"jsonrpc": "2.0", "method": "exit", "params": None},
    ]
    done = subprocess.run([sys.executable, "-m", "dockerls.lsp.server", *args], input=b"".join(map(_frame, messages)),
                          capture_output=True, timeout=60)
    assert b'"id": 2' in done.stdout or b'"id":2' in done.stdout, done.stdout[-2000:]  # shutdown answered
    return done.stderr.decode(errors="replace")


def test_pygls_protocol_warnings_stay_out_of_the_log():
    stderr = _session_stderr()
    assert "Cancel notification for unknown message id" not in stderr, stderr
    assert "unknown method" not in stderr, stderr


def test_debug_shows_them():
    stderr = _session_stderr("--log-level", "DEBUG")
    assert "Cancel notification for unknown message id" in stderr, stderr[-3000:]


@pytest.mark.parametrize(("level", "pygls_level"), [("WARNING", logging.ERROR), ("INFO", logging.ERROR),
                                                    ("DEBUG", logging.DEBUG)])
def test_levels(level, pygls_level):
    pygls = logging.getLogger("pygls")
    saved = pygls.level, logging.getLogger().level
    try:
        configure_logging(level)
        assert pygls.getEffectiveLevel() == pygls_level
        assert logging.getLogger("pygls.protocol.json_rpc").isEnabledFor(logging.ERROR)  # errors always
    finally:
        pygls.setLevel(saved[0])
        logging.getLogger().setLevel(saved[1])
