#!/usr/bin/env python3
"""What each language server advertises: dockerls, docker-langserver and compose-language-service.

    python bench/peer_capabilities.py [--json]

Starts each server over stdio (dockerls as ``python -m dockerls.lsp.server`` with this Python; the
npm peers from ``bench/node_modules``, installed by ``bench/peers.py`` on first use), sends an
``initialize`` from a client that supports every feature statically (no dynamic registration, so
that a server has to state what it does in its answer), then ``initialized``, and keeps any
``client/registerCapability`` the server sends in the next second too.  Prints one row per server
capability and one column per server: ``-`` when it is not advertised, otherwise a short summary
(trigger characters, code action kinds, the number of semantic token types...).  ``--json`` prints
the raw capabilities instead.

This is what a server *says*; docs/editor-comparison.md says what each one answers.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from peers import ensure_peer  # bench/peers.py: run as python bench/<script>.py

HERE = Path(__file__).resolve().parent
BIN = HERE / "node_modules" / ".bin"

# A client that can do everything, statically.
CLIENT = {
    "general": {"positionEncodings": ["utf-16"]},
    "window": {"workDoneProgress": True, "showMessage": {}, "showDocument": {"support": True}},
    "workspace": {"applyEdit": True, "workspaceEdit": {"documentChanges": True}, "configuration": True,
                  "workspaceFolders": True, "symbol": {}, "executeCommand": {}, "semanticTokens": {},
                  "codeLens": {}, "inlayHint": {}, "diagnostics": {}},
    "textDocument": {
        "synchronization": {"didSave": True, "willSave": True, "willSaveWaitUntil": True},
        "completion": {"completionItem": {"snippetSupport": True, "documentationFormat": ["markdown", "plaintext"],
                                          "resolveSupport": {"properties": ["documentation", "detail"]}},
                       "contextSupport": True},
        "hover": {"contentFormat": ["markdown", "plaintext"]},
        "signatureHelp": {"signatureInformation": {"parameterInformation": {"labelOffsetSupport": True}}},
        "declaration": {}, "definition": {}, "typeDefinition": {}, "implementation": {}, "references": {},
        "documentHighlight": {}, "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
        "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": [
            "", "quickfix", "refactor", "source", "source.fixAll", "source.organizeImports"]}}},
        "codeLens": {}, "documentLink": {}, "colorProvider": {}, "formatting": {}, "rangeFormatting": {},
        "onTypeFormatting": {}, "rename": {"prepareSupport": True}, "publishDiagnostics": {"relatedInformation": True},
        "foldingRange": {}, "selectionRange": {}, "linkedEditingRange": {}, "callHierarchy": {},
        "semanticTokens": {"requests": {"full": {"delta": True}, "range": True}, "tokenTypes": [], "tokenModifiers": [],
                           "formats": ["relative"]},
        "moniker": {}, "typeHierarchy": {}, "inlineValue": {}, "inlayHint": {}, "diagnostic": {},
    },
}


def servers() -> dict[str, list[str]]:
    found = {"dockerls": [sys.executable, "-m", "dockerls.lsp.server"]}
    if ensure_peer("docker-langserver", "docker-langserver") is not None:
        found["docker-langserver"] = [str(BIN / "docker-langserver"), "--stdio"]
    if ensure_peer("docker-compose-langserver", "compose-language-service") is not None:
        found["compose-language-service"] = [str(BIN / "docker-compose-langserver"), "--stdio"]
    return found


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)


def _reader(stream, inbox: queue.Queue) -> None:
    while True:
        length = None
        while True:
            line = stream.readline()
            if not line:
                inbox.put(None)
                return
            if not line.strip():
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length is not None:
            inbox.put(json.loads(stream.read(length)))


def capabilities(cmd: list[str]) -> dict:
    """The ``initialize`` answer's capabilities, plus ``registered``: what the server registered
    dynamically within a second of ``initialized``."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    inbox: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, inbox), daemon=True).start()

    def send(message: dict) -> None:
        proc.stdin.write(_frame(message))
        proc.stdin.flush()

    def next_message(timeout: float) -> dict | None:
        try:
            message = inbox.get(timeout=timeout)
        except queue.Empty:
            return None
        if message is None:
            raise SystemExit(f"{cmd[0]} exited")
        return message

    root = Path.cwd().as_uri()
    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": os.getpid(), "rootUri": root, "workspaceFolders": [{"uri": root, "name": "w"}],
        "capabilities": CLIENT}})
    caps: dict = {}
    registered: list[str] = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        message = next_message(deadline - time.monotonic())
        if message is not None and message.get("id") == 1 and "method" not in message:
            caps = message.get("result", {}).get("capabilities", {})
            break
    send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    quiet = time.monotonic() + 1.0
    while time.monotonic() < quiet:
        message = next_message(max(0.01, quiet - time.monotonic()))
        if message is None or "method" not in message or "id" not in message:
            continue
        if message["method"] == "client/registerCapability":
            registered += [r["method"] for r in message["params"]["registrations"]]
        send({"jsonrpc": "2.0", "id": message["id"], "result": None})
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
    send({"jsonrpc": "2.0", "method": "exit", "params": None})
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return {**caps, "registered": registered} if registered else caps


def summary(name: str, value) -> str:
    """A few words for one advertised capability."""
    if value is None or value is False:
        return "-"
    if name == "textDocumentSync" and isinstance(value, int):  # the short form: a kind alone
        value = {"change": value}
    if not isinstance(value, dict):
        return "yes" if value is True else json.dumps(value)
    parts = []
    if name == "textDocumentSync":
        kind = {0: "none", 1: "full", 2: "incremental"}.get(value.get("change"), "?")
        return f"{kind}{', save' if value.get('save') else ''}"
    if name == "semanticTokensProvider":
        legend = value.get("legend", {})
        parts.append(f"{len(legend.get('tokenTypes', []))} types, {len(legend.get('tokenModifiers', []))} modifiers")
        parts += [k for k in ("full", "range") if value.get(k)]
    for key in ("triggerCharacters", "retriggerCharacters"):
        if value.get(key):
            parts.append(f"{key[:-len('Characters')]} {''.join(value[key])!r}")
    if "firstTriggerCharacter" in value:
        parts.append(f"on {(value['firstTriggerCharacter'] + ''.join(value.get('moreTriggerCharacter', [])))!r}")
    if value.get("codeActionKinds"):
        parts.append(", ".join(value["codeActionKinds"]))
    if value.get("commands"):
        parts.append(f"{len(value['commands'])} commands")
    if value.get("prepareProvider"):
        parts.append("prepare")
    if value.get("resolveProvider"):
        parts.append("resolve")
    if name == "diagnosticProvider":
        parts.append("pull" + (", workspace" if value.get("workspaceDiagnostics") else ""))
    return "yes" + (f" ({'; '.join(parts)})" if parts else "")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", action="store_true", help="print the raw capabilities")
    args = ap.parse_args()
    found = {name: capabilities(cmd) for name, cmd in servers().items()}
    if args.json:
        print(json.dumps(found, indent=2, sort_keys=True))
        return 0
    names = sorted({key for caps in found.values() for key in caps})
    width = max(len(n) for n in names)
    columns = {server: [summary(n, caps.get(n)) for n in names] for server, caps in found.items()}
    widths = {server: max(len(server), *(len(c) for c in cells)) for server, cells in columns.items()}
    print(f"{'':{width}}  " + "  ".join(f"{s:{widths[s]}}" for s in found))
    for i, n in enumerate(names):
        print(f"{n:{width}}  " + "  ".join(f"{columns[s][i]:{widths[s]}}" for s in found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
