#!/usr/bin/env python3
"""Thousands of documents opened at once (an editor restoring a session), dockerls and its peer in
one run.

Writes ``--files`` small Dockerfiles (about 30 lines each: the first lines of the official-image
Dockerfiles of ``../shared/corpus/official/``, each made distinct) under ``bench/.work/many/``,
starts each server on stdio, answers ``initialize``, then sends every ``didOpen`` in one burst and
reads what comes back.  For each server it reports:

* the last opened document's first diagnostics (the one the user looks at), from the burst's start;
* every document's diagnostics (time to all), from the burst's start;
* the server process's CPU time until then (user + system: less noisy than the clock on a
  loaded machine), and the peak RSS of its process tree.

The peer is ``docker-langserver --stdio`` (npm ``dockerfile-language-server-nodejs``, installed into
``bench/node_modules`` on first use, as ``bench/bench_lsp.py`` does).

    python bench/bench_open_many.py [--files 5000] [--rounds 1] [--no-peer] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from peers import ensure_peer  # bench/peers.py: run as python bench/<script>.py

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("DOCKERLS_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus" / "official"
WORK = HERE / ".work" / "many"
PEER = HERE / "node_modules" / ".bin" / "docker-langserver"
LINES = 30


def make_files(count: int) -> list[Path]:
    """``count`` Dockerfiles of about :data:`LINES` lines, each distinct (a comment names it)."""
    heads = []
    for path in sorted(CORPUS.glob("*Dockerfile")):
        lines = path.read_text(encoding="utf-8").splitlines()
        # Whole instructions only: cut after a line that does not continue.
        cut = next((i + 1 for i in range(min(LINES, len(lines)) - 1, -1, -1)
                    if not lines[i].rstrip().endswith("\\")), len(lines))
        heads.append(lines[:cut])
    if not heads:  # no corpus: a synthetic file of the same shape
        heads.append(["FROM debian:bookworm", *(f"RUN apt-get install -y pkg{i}" for i in range(LINES - 1))])
    files = []
    for i in range(count):
        path = WORK / f"d{i:05}" / "Dockerfile"
        text = "\n".join([f"# document {i}", *heads[i % len(heads)]]) + "\n"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def _frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _reader(stream, inbox: queue.Queue) -> None:
    while True:
        headers = {}
        while True:
            line = stream.readline()
            if not line:
                inbox.put(None)
                return
            line = line.strip()
            if not line:
                break
            key, _, value = line.partition(b":")
            headers[key.strip().lower()] = value.strip()
        inbox.put((time.perf_counter(), json.loads(stream.read(int(headers[b"content-length"])))))


def _peak_rss_mb(pid: int) -> float:
    pids = [pid]
    try:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
        pids += [int(p) for p in out.split()]
    except OSError:
        pass
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status", encoding="ascii") as status:
                total += sum(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
        except OSError:
            pass
    return round(total / 1024, 1)


def _cpu_s(pid: int) -> float:
    """User and system CPU time of a process (and of its waited-for children), in seconds."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return round(sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK"), 2)


def measure(cmd: list[str], files: list[Path], timeout: float) -> dict:
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            cwd=WORK)
    inbox: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, inbox), daemon=True).start()

    def send(data: bytes) -> None:
        proc.stdin.write(data)
        proc.stdin.flush()

    def next_message(deadline: float):
        item = inbox.get(timeout=max(0.0, deadline - time.perf_counter()))
        if item is None:
            raise SystemExit(f"{cmd[0]} exited")
        at, msg = item
        if "method" in msg and "id" in msg:  # a request from the server: answer it
            send(_frame({"jsonrpc": "2.0", "id": msg["id"], "result": None}))
        return at, msg

    root = WORK.as_uri()
    send(_frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": os.getpid(), "rootUri": root, "workspaceFolders": [{"uri": root, "name": "many"}],
        "capabilities": {"textDocument": {"publishDiagnostics": {}}}}}))
    deadline = time.perf_counter() + 60
    while next_message(deadline)[1].get("id") != 1:
        pass
    send(_frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    uris = [f.as_uri() for f in files]
    burst = b"".join(_frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "dockerfile", "version": 1, "text": f.read_text(encoding="utf-8")}}})
        for uri, f in zip(uris, files))
    waiting = set(uris)
    last = uris[-1]
    t0 = time.perf_counter()
    threading.Thread(target=send, args=(burst,), daemon=True).start()  # the server writes while we write
    last_ms = None
    deadline = t0 + timeout
    try:
        while waiting:
            at, msg = next_message(deadline)
            if msg.get("method") != "textDocument/publishDiagnostics":
                continue
            uri = msg["params"]["uri"]
            if uri == last and last_ms is None:
                last_ms = (at - t0) * 1000
            waiting.discard(uri)
        all_ms = (at - t0) * 1000
    except queue.Empty:
        all_ms = None
    cpu = _cpu_s(proc.pid)
    rss = _peak_rss_mb(proc.pid)
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return {"files": len(files), "last_opened_ms": last_ms and round(last_ms), "all_ms": all_ms and round(all_ms),
            "missing": len(waiting), "cpu_s": cpu, "rss_mb": rss}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=1, help="runs per server, interleaved; medians reported")
    ap.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for every document's diagnostics")
    ap.add_argument("--no-peer", action="store_true", help="measure dockerls only")
    ap.add_argument("--json", action="store_true", help="print the raw results as JSON too")
    args = ap.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "dockerls")], check=True)
    files = make_files(args.files)
    servers = {"dockerls": [sys.executable, "-m", "dockerls.lsp.server"]}
    if os.environ.get("BENCH_DOCKERLS_CMD"):  # e.g. the server under a profiler
        servers["dockerls"] = os.environ["BENCH_DOCKERLS_CMD"].split()
    if not args.no_peer and ensure_peer("docker-langserver", "docker-langserver") is not None:
        servers["peer"] = [str(PEER), "--stdio"]
    rounds: dict[str, list[dict]] = {name: [] for name in servers}
    for _ in range(args.rounds):
        for name, cmd in servers.items():
            rounds[name].append(measure(cmd, files, args.timeout))
    results = {name: {key: (statistics.median(r[key] for r in rs) if all(r[key] is not None for r in rs) else None)
                      for key in rs[0]} for name, rs in rounds.items()}
    ours, peer = results["dockerls"], results.get("peer")
    print(f"{args.files} Dockerfiles of ~{LINES} lines opened at once ({args.rounds} round(s), medians)")
    print(f"{'':34} {'dockerls':>10} {'peer':>10} {'ratio':>7}")
    for key, name in (("last_opened_ms", "last opened -> diagnostics ms"), ("all_ms", "all diagnostics ms"),
                      ("cpu_s", "server CPU s (to all diagnostics)"),
                      ("rss_mb", "peak RSS MB"), ("missing", "documents without diagnostics")):
        a, b = ours[key], peer[key] if peer else None
        ratio = f"{a / b:7.2f}" if isinstance(a, (int, float)) and isinstance(b, (int, float)) and b else "      -"
        print(f"{name:34} {a if a is not None else '-':>10} {b if b is not None else '-':>10} {ratio}")
    if args.json:
        print(json.dumps(rounds, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
