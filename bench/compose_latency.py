#!/usr/bin/env python3
"""Measure a stdio language server on a Compose file, the way ``lsp_latency.py`` does a Dockerfile.

    compose_latency.py --file compose.yaml [--edits 200] [--init-options JSON] -- SERVER CMD ARGS...

Times, as ``../shared/bench/lsp_latency.py`` (whose connection, percentiles and memory reading it
reuses) but with edits and hovers that suit YAML:

  startup   launch -> ``initialize`` answered
  open      ``didOpen`` (languageId ``dockercompose``) -> the first ``publishDiagnostics``
  edit      each ``didChange`` (full text) -> the ``publishDiagnostics`` that follows it; the edits
            type one character at the end of a ``key: value`` line's value, then delete it, so the
            file stays valid YAML (appending to a key would turn the mapping into a scalar)
  hover     ``textDocument/hover`` on the first character of every mapping key
and the peak RSS of the server's process tree.  ``--init-options`` is sent as
``initializationOptions`` (compose-language-service waits ``diagnosticDelay`` ms, 1000 by default,
after the last change before it publishes; the benchmark sets it to 0 so that the time measured is
the work, not the debounce).  Prints one JSON object with the keys ``lsp_latency.py`` prints.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

SHARED = Path(os.environ.get("DOCKERLS_SHARED", Path(__file__).resolve().parent.parent.parent / "shared"))
sys.path.insert(0, str(SHARED / "bench"))
from lsp_latency import Conn, pct, rss_mb  # noqa: E402  (../shared/bench/lsp_latency.py)

VALUE_LINE = re.compile(r"^\s+[\w.-]+: [^\s\[{&*|>#][^#]*$")  # a key with a plain scalar value
KEY = re.compile(r"^(\s*)(?:- )?([\w.-]+):")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--file", required=True)
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("--init-options", default=None, help="initializationOptions, as JSON")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == "--" else a.cmd
    path = os.path.abspath(a.file)
    text = Path(path).read_text(encoding="utf-8")
    uri = "file://" + path
    folder = "file://" + os.path.dirname(path)

    t0 = time.perf_counter()
    c = Conn(cmd)
    params = {"processId": os.getpid(), "rootUri": folder, "workspaceFolders": [{"uri": folder, "name": "w"}],
              "capabilities": {"textDocument": {"publishDiagnostics": {},
                                                "hover": {"contentFormat": ["markdown", "plaintext"]}},
                               "window": {"workDoneProgress": True}}}
    if a.init_options:
        params["initializationOptions"] = json.loads(a.init_options)
    rid = c.request("initialize", params)
    got = c.wait(lambda m: m.get("id") == rid, 30)
    if not got:
        raise SystemExit("no initialize answer")
    startup = (got[0] - t0) * 1000
    c.notify("initialized", {})

    def is_diag(m: dict) -> bool:
        return m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri

    t1 = time.perf_counter()
    c.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "dockercompose", "version": 1,
                                                       "text": text}})
    got = c.wait(is_diag, 30)
    open_ms = (got[0] - t1) * 1000 if got else None
    last = got[1]["params"]["diagnostics"] if got else []

    lines = text.split("\n")
    editable = [i for i, line in enumerate(lines) if VALUE_LINE.match(line)]
    if not editable:
        raise SystemExit("no 'key: value' line to edit")
    edit_ms, missed = [], 0
    for i in range(a.edits):
        ln = editable[((i // 2) * 7) % len(editable)]  # type a character, then delete it
        lines[ln] = lines[ln] + "x" if i % 2 == 0 else lines[ln][:-1]
        t = time.perf_counter()
        c.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": i + 2},
                                            "contentChanges": [{"text": "\n".join(lines)}]})
        got = c.wait(is_diag, a.timeout)
        if got:
            edit_ms.append((got[0] - t) * 1000)
            last = got[1]["params"]["diagnostics"]
        else:
            missed += 1

    hover_ms = []
    for ln, line in enumerate(lines):
        key = KEY.match(line)
        if key is None:
            continue
        t = time.perf_counter()
        rid = c.request("textDocument/hover", {"textDocument": {"uri": uri},
                                               "position": {"line": ln, "character": key.start(2)}})
        got = c.wait(lambda m, rid=rid: m.get("id") == rid, a.timeout)
        if got:
            hover_ms.append((got[0] - t) * 1000)
    mem = rss_mb(c.proc.pid)
    sid = c.request("shutdown", None)
    c.wait(lambda m: m.get("id") == sid, 5)
    c.notify("exit", None)
    try:
        c.proc.wait(5)
    except subprocess.TimeoutExpired:
        c.proc.kill()
    print(json.dumps({"server": " ".join(cmd), "file": os.path.basename(path), "lines": len(lines),
                      "startup_ms": round(startup, 1), "open_ms": open_ms and round(open_ms, 2),
                      "edit_ms": pct(edit_ms), "edits": len(edit_ms), "missed": missed,
                      "hover_ms": pct(hover_ms), "hovers": len(hover_ms),
                      "diagnostics_last": len(last), "rss_mb": mem}))


if __name__ == "__main__":
    main()
