"""A long-lived server: the editor's process dying, requests after ``shutdown``, changes that
cannot be applied, edits inside a surrogate pair, memory over long editing runs, lints at start-up."""

from __future__ import annotations

import asyncio
import json
import queue
import subprocess
import sys
import time

from tests.lsp.test_robustness import RawClient

URI = "file:///tmp/long/Dockerfile"


def _open(raw: RawClient, text: str, uri: str = URI) -> None:
    raw.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
                                                         "text": text}})


def _started(process_id=None, capabilities=None) -> RawClient:
    raw = RawClient()
    raw.call("initialize", {"processId": process_id, "rootUri": None, "capabilities": capabilities or {}})
    raw.notify("initialized", {})
    return raw


def test_the_server_exits_when_the_editor_process_dies():
    editor = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    raw = _started(process_id=editor.pid)
    try:
        raw.alive()
        editor.kill()
        editor.wait(10)
        died = time.monotonic()
        code = raw.proc.wait(5)
        assert time.monotonic() - died < 1.5
        assert code == 1
    finally:
        editor.kill()
        if raw.proc.poll() is None:
            raw.proc.kill()


def test_requests_after_shutdown_get_invalid_request():
    raw = _started()
    try:
        assert raw.call("shutdown", None)["result"] is None
        answer = raw.call("textDocument/hover", {"textDocument": {"uri": URI}, "position": {"line": 0, "character": 0}})
        assert answer["error"]["code"] == -32600
        raw.notify("exit", None)
        assert raw.proc.wait(10) == 0
    finally:
        if raw.proc.poll() is None:
            raw.proc.kill()


def test_a_change_that_cannot_be_read_is_rejected_loudly():
    raw = _started()
    try:
        _open(raw, "FROM alpine:latest\n")
        assert raw.diagnostics_for(URI)
        raw.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 0, "character": 2**31}, "end": {"line": 0, "character": 2**31}},
             "text": "x"}]})
        seen: dict = {}
        while len(seen) < 2:
            msg = raw.wait(lambda m: m.get("method") in ("window/showMessage", "textDocument/publishDiagnostics"))
            seen[msg["method"]] = msg["params"]
        assert seen["window/showMessage"]["type"] == 1 and "reopen" in seen["window/showMessage"]["message"]
        assert seen["textDocument/publishDiagnostics"]["diagnostics"] == []  # no longer followed: none stale
        raw.alive()
    finally:
        raw.stop()


def test_an_edit_inside_a_surrogate_pair_keeps_the_editors_text():
    raw = _started()
    try:
        _open(raw, "FROM alpine:3.20\nLABEL x=\"😀\"\n")
        raw.diagnostics_for(URI)
        # Replace the pair's low half (UTF-16 units 10..11 of line 1), as a UTF-16 editor can.
        raw.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 1, "character": 10}, "end": {"line": 1, "character": 11}}, "text": "y"}]})
        raw.diagnostics_for(URI)
        raw.notify("textDocument/didChange", {"textDocument": {"uri": URI, "version": 3}, "contentChanges": [
            {"range": {"start": {"line": 1, "character": 11}, "end": {"line": 1, "character": 12}},
             "text": "\" z=1"}]})
        raw.diagnostics_for(URI)
        formatted = raw.call("textDocument/formatting", {"textDocument": {"uri": URI},
                                                         "options": {"tabSize": 4, "insertSpaces": True}})
        assert "error" not in formatted
        symbols = raw.call("textDocument/documentSymbol", {"textDocument": {"uri": URI}})
        assert "error" not in symbols
    finally:
        raw.stop()


def test_documents_opened_before_the_settings_arrive_are_linted_once():
    raw = _started(capabilities={"workspace": {"configuration": True}})
    try:
        _open(raw, "FROM alpine:latest\n")
        published = []
        deadline = time.monotonic() + 3
        while (left := deadline - time.monotonic()) > 0:  # every message for 3 s
            try:
                msg = raw.inbox.get(timeout=left)
            except queue.Empty:
                break
            if msg.get("method") == "workspace/configuration":  # as VS Code answers: no settings
                raw.send({"jsonrpc": "2.0", "id": msg["id"], "result": [None]})
            elif msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["uri"] == URI:
                published.append(msg)
        assert len(published) == 1
    finally:
        raw.stop()


def test_text_sync_keeps_no_pygls_future_per_notification():
    """pygls keeps a Future per generator notification for good (see DockerlsProtocol).  In a
    process of its own: building a server changes lsprotocol's converter state (the speed-ups)."""
    out = subprocess.run([sys.executable, "-c", "from tests.lsp.test_long_running import _futures_kept; "
                          "print(max(_futures_kept()))"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout.strip().splitlines()[-1]) <= 1


def _futures_kept() -> list[int]:
    """pygls' kept futures after each 500 of 2,000 changes to one document, and after its close."""
    from dockerls.lsp.server import build_server

    server = build_server()
    protocol = server.protocol
    sent: list = []
    protocol._send_data = sent.append  # no transport: only the document store matters here

    def message(method: str, params: dict):
        body = json.dumps({"jsonrpc": "2.0", "method": method, "params": params})
        return json.loads(body, object_hook=protocol.structure_message)

    async def run() -> list[int]:
        counts = []
        protocol.handle_message(message("textDocument/didOpen", {"textDocument": {
            "uri": URI, "languageId": "dockerfile", "version": 1, "text": "FROM alpine:3.20\nRUN echo\n"}}))
        for version in range(2, 2002):
            protocol.handle_message(message("textDocument/didChange", {
                "textDocument": {"uri": URI, "version": version},
                "contentChanges": [{"range": {"start": {"line": 1, "character": 8}, "end": {"line": 1, "character": 8}},
                                    "text": "x"}]}))
            if version % 500 == 0:
                await asyncio.sleep(0)
                counts.append(len(protocol._request_futures))
        protocol.handle_message(message("textDocument/didClose", {"textDocument": {"uri": URI}}))
        await asyncio.sleep(0)
        counts.append(len(protocol._request_futures))
        return counts

    return asyncio.run(run())


def _open_bytes(uri: str, text: str) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}}).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def test_many_documents_opened_at_once_newest_first_and_requests_are_not_kept_waiting():
    raw = _started()
    try:
        uris = [f"file:///tmp/many/d{i}/Dockerfile" for i in range(200)]
        hover = json.dumps({"jsonrpc": "2.0", "id": 900, "method": "textDocument/hover", "params": {
            "textDocument": {"uri": uris[0]}, "position": {"line": 0, "character": 1}}}).encode()
        raw.send_bytes(b"".join(_open_bytes(uri, "FROM alpine:latest\nRUN echo hi\n") for uri in uris)
                       + b"Content-Length: %d\r\n\r\n" % len(hover) + hover)
        published: list[str] = []
        while True:
            msg = raw.inbox.get(timeout=60)
            if msg.get("id") == 900:
                break
            if msg.get("method") == "textDocument/publishDiagnostics":
                published.append(msg["params"]["uri"])
        assert len(published) < len(uris) // 2  # answered long before every document was linted
        while len(set(published)) < len(uris):
            msg = raw.inbox.get(timeout=60)
            if msg.get("method") == "textDocument/publishDiagnostics":
                published.append(msg["params"]["uri"])
        first = [uri for uri in published if uri in uris]
        assert first.index(uris[-1]) < first.index(uris[0])  # the newest (the one in view) first
    finally:
        raw.stop()


def test_only_the_documents_in_use_keep_their_analysis():
    from dockerls.lsp.documents import KEEP_ANALYSED, Documents

    docs = Documents()
    opened = [docs.open(f"file:///tmp/keep/d{i}/Dockerfile", "dockerfile", 1, "FROM alpine:3.20\n")
              for i in range(KEEP_ANALYSED + 10)]
    for doc in opened:
        assert doc.analysis is not None
        docs.used(doc)
    assert sum(doc._analysis is not None for doc in opened) == KEEP_ANALYSED
    assert opened[0]._analysis is None and opened[-1]._analysis is not None
    assert docs.get(opened[0].uri).analysis is not None  # made again when asked


def test_compose_editing_memory_stays_flat():
    """300 keystrokes in a 300-line Compose file: each version's tree goes when the next comes."""
    import gc
    import tracemalloc
    from types import SimpleNamespace as NS

    from dockerls.config import DEFAULT
    from dockerls.lsp.documents import Documents

    services = "".join(f"  s{i}:\n    image: nginx:1.{i}\n    ports:\n      - \"{8000 + i}:80\"\n"
                       f"    environment:\n      A: \"{i}\"\n    depends_on:\n      - s0\n" for i in range(38))
    text = "services:\n" + services
    doc = Documents().open("file:///tmp/flat/compose.yaml", "dockercompose", 1, text)
    line = text.count("\n") // 2

    def keystrokes(n: int) -> None:
        for _ in range(n):
            doc.apply_change(NS(range=NS(start=NS(line=line, character=0), end=NS(line=line, character=0)),
                                text="#"), "utf-16")
            doc.version += 1
            doc.findings(DEFAULT, 1)

    keystrokes(20)
    gc.collect()
    tracemalloc.start()
    try:
        keystrokes(100)
        after_100 = tracemalloc.get_traced_memory()[0]
        keystrokes(200)
        after_300 = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert after_300 - after_100 < 8_000_000, (after_100, after_300)


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_compose_editing_over_lsp_keeps_memory_flat(tmp_path):
    """1,000 keystrokes in a 300-line Compose file, each linted: the server's memory stays put
    (each version's YAML tree was kept until the cyclic collector ran: 46 -> 192 MB once)."""
    import os

    import pytest

    if not os.path.exists(f"/proc/{os.getpid()}/status"):
        pytest.skip("reads the server's memory from /proc")
    services = "".join(f"  s{i}:\n    image: nginx:1.{i}\n    ports:\n      - \"{8000 + i}:80\"\n"
                       f"    environment:\n      A: \"{i}\"\n    depends_on:\n      - s0\n" for i in range(37))
    text = "services:\n" + services
    (tmp_path / "compose.yaml").write_text(text, encoding="utf-8")
    uri = (tmp_path / "compose.yaml").as_uri()
    line = text.count("\n") // 2
    raw = _started()
    try:
        raw.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockercompose", "version": 1,
                                                             "text": text}})
        raw.diagnostics_for(uri)

        def keystrokes(versions: range) -> None:
            for version in versions:
                raw.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                      "contentChanges": [{"range": {
                                                          "start": {"line": line, "character": 0},
                                                          "end": {"line": line, "character": 0}}, "text": "#"}]})
                raw.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                         and m["params"].get("version") == version)  # noqa: B023 (called at once)

        keystrokes(range(2, 102))  # warmed up: caches filled, the converter's hooks made
        before = _rss_mb(raw.proc.pid)
        keystrokes(range(102, 1002))
        after = _rss_mb(raw.proc.pid)
        assert after - before < 20, (before, after)  # measured: +3 MB (the bug: +146 MB)
    finally:
        raw.stop()
