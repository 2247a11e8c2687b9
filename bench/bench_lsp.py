#!/usr/bin/env python3
"""The language server against its peer, as an editor uses them.

Runs ``../shared/bench/lsp_latency.py`` (startup, didChange -> diagnostics, hover, memory) on
dockerls and on ``docker-langserver --stdio`` (npm ``dockerfile-language-server-nodejs``, installed
into ``bench/node_modules`` on first use) with a 333-line and an 845-line Dockerfile made by
concatenating the official-image Dockerfiles of ``../shared/corpus/official/``, and an 845-line one
of 6 stages (two large: 288 and 212 lines) made of their instructions (written to ``bench/.work/``),
in one run, and prints a table with the ratios and the goals:

* edit -> diagnostics p50 at most half the peer's, p99 under 20 ms on both 845-line files;
* hover p50 under 1 ms; startup within 1.5x the peer's; memory no more than the peer's.

It also times start-up alone for dockerls, the peer, and the floor of any pygls server (Python,
asyncio, lsprotocol and pygls imported and a bare ``LanguageServer`` answering ``initialize``), and
start-up + open: from process start to the first ``publishDiagnostics`` of a document opened as
soon as ``initialize`` is answered, which is what a user waits for.

    python bench/bench_lsp.py [--edits 200] [--rounds 3] [--no-peer] [--no-compose]

Each (server, file) pair runs ``--rounds`` times, interleaved, and each number is the median of its
rounds: the machine's load changes from one second to the next.

Compose too, in the same run (``--no-compose`` skips it): ``bench/compose_latency.py`` times a
303-line Compose file (``bench_compose.generate``) on dockerls and on compose-language-service
(npm ``@microsoft/compose-language-service``, its ``docker-compose-langserver --stdio``, with
``diagnosticDelay`` 0 so that its 1 s debounce is not counted): start-up, open -> diagnostics,
edit -> diagnostics (a character typed into a value, then deleted), hover on every key, peak RSS.

The dockerls package is byte-compiled first (``python -m compileall -q dockerls``): an installed
package is compiled at install time, but an editable install under ``PYTHONDONTWRITEBYTECODE``
would compile every module from source on every start, which is not what a user waits for.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from peers import ensure_peer  # bench/peers.py: run as python bench/<script>.py

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SHARED = Path(os.environ.get("DOCKERLS_SHARED", ROOT.parent / "shared"))
LATENCY = SHARED / "bench" / "lsp_latency.py"
CORPUS = SHARED / "corpus" / "official"
WORK = HERE / ".work"
PEER = HERE / "node_modules" / ".bin" / "docker-langserver"
COMPOSE_PEER = HERE / "node_modules" / ".bin" / "docker-compose-langserver"
COMPOSE_LATENCY = HERE / "compose_latency.py"
SIZES = (333, 845)
COMPOSE_SERVICES = 32  # bench_compose.generate(32): 303 lines


def make_file(lines: int) -> Path:
    """Whole corpus files, in name order, while they fit; comment lines pad to exactly ``lines``."""
    out: list[str] = []
    for path in sorted(CORPUS.glob("*Dockerfile")):
        body = path.read_text(encoding="utf-8").splitlines()
        if len(out) + len(body) > lines:
            continue
        out.extend(body)
    out.extend(f"# padding {i}" for i in range(lines - len(out)))
    return _write(f"bench-{lines}.Dockerfile", out)


# A file with few large stages (issue #18 §8): 845 lines in 6 stages, two of them 288 and 212 lines.
FEW_STAGES = (288, 212, 92, 90, 85, 78)


def make_few_stages_file(sizes: tuple[int, ...] = FEW_STAGES) -> Path:
    """Stages of exactly ``sizes`` lines: a ``FROM`` each, then the corpus's instructions other
    than ``FROM`` (whole instructions, in name order of the files), comment lines padding a stage."""
    instructions: list[list[str]] = []
    for path in sorted(CORPUS.glob("*Dockerfile")):
        current: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            current.append(line)
            if len(current) > 1 and (not line.strip() or line.lstrip().startswith("#")):
                continue  # a comment or blank line inside a continuation does not end the instruction
            if not line.rstrip().endswith("\\"):
                if not current[0].lstrip().upper().startswith("FROM"):
                    instructions.append(current)
                current = []
    out: list[str] = []
    source = iter(instructions)
    pending: list[str] | None = None
    for n, size in enumerate(sizes):
        stage = [f"FROM debian:bookworm-slim AS stage{n}" if n == 0 else f"FROM stage{n - 1} AS stage{n}"]
        while True:
            pending = pending or next(source, None)
            while pending is not None and len(pending) >= size:  # longer than the stage: left out
                pending = next(source, None)
            if pending is None or len(stage) + len(pending) > size:
                break
            stage.extend(pending)
            pending = None
        stage.extend(f"# padding {n}.{i}" for i in range(size - len(stage)))
        out.extend(stage)
    return _write(f"bench-{sum(sizes)}-{len(sizes)}-stages.Dockerfile", out)


def _write(name: str, lines: list[str]) -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    target = WORK / name
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def make_compose_file() -> Path:
    from bench_compose import generate  # bench/bench_compose.py

    WORK.mkdir(parents=True, exist_ok=True)
    target = WORK / "compose.yaml"
    target.write_text(generate(COMPOSE_SERVICES), encoding="utf-8")
    return target


def measure(server: list[str], file: Path, edits: int, script: Path = LATENCY, extra: tuple[str, ...] = ()) -> dict:
    cmd = [sys.executable, str(script), "--file", str(file), "--edits", str(edits), *extra, "--", *server]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=WORK)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# The least any pygls server starts in: Python, asyncio, lsprotocol and pygls imported (with
# dockerls' start-up patches, see dockerls/lsp/speedups/, unless DOCKERLS_PLAIN_PYGLS turns them
# off) and a bare LanguageServer answering ``initialize``; no dockerls feature at all.
FLOOR_SERVER = [sys.executable, "-c", (
    "from dockerls.lsp.speedups import compile_cache, lazy_types, startup_gc\n"
    "startup_gc.collect_less(); compile_cache.install()\n"
    "from pygls.lsp.server import LanguageServer\n"
    "LanguageServer('floor', '0', converter_factory=lazy_types.factory()).start_io()")]


def startup_ms(cmd: list[str], runs: int = 7) -> float:
    """Median time from launch to the ``initialize`` answer (what lsp_latency.py calls startup)."""
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                       "params": {"processId": None, "rootUri": None, "capabilities": {}}}).encode()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                cwd=WORK)
        proc.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        proc.stdin.flush()
        proc.stdout.readline()  # the answer's first header line
        times.append((time.perf_counter() - t0) * 1000)
        proc.kill()
        proc.wait()
    return round(statistics.median(times), 1)


def _read_message(stream) -> dict | None:
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        if not line.strip():
            break
        key, _, value = line.partition(b":")
        if key.strip().lower() == b"content-length":
            length = int(value)
    return json.loads(stream.read(length or 0))


def first_diagnostics_ms(cmd: list[str], file: Path, runs: int = 7) -> float | None:
    """Median time from launch to the first ``publishDiagnostics`` of a document opened as soon as
    ``initialize`` is answered (what a user waits for on opening a file: start-up + open)."""
    uri = file.resolve().as_uri()
    folder = file.resolve().parent.as_uri()
    text = file.read_text(encoding="utf-8")

    def frame(message: dict) -> bytes:
        body = json.dumps(message).encode()
        return b"Content-Length: %d\r\n\r\n%s" % (len(body), body)

    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                cwd=WORK)
        proc.stdin.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
            "processId": os.getpid(), "rootUri": folder, "workspaceFolders": [{"uri": folder, "name": "w"}],
            "capabilities": {"textDocument": {"publishDiagnostics": {}}}}}))
        proc.stdin.flush()
        try:
            while (msg := _read_message(proc.stdout)) is not None:
                if "method" in msg and "id" in msg:  # a request from the server: answer it
                    proc.stdin.write(frame({"jsonrpc": "2.0", "id": msg["id"], "result": None}))
                    proc.stdin.flush()
                elif msg.get("id") == 1:
                    proc.stdin.write(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
                                     + frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
                                         "textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1,
                                                          "text": text}}}))
                    proc.stdin.flush()
                elif msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["uri"] == uri:
                    times.append((time.perf_counter() - t0) * 1000)
                    break
        finally:
            proc.kill()
            proc.wait()
    return round(statistics.median(times), 1) if times else None


def median_of(rounds: list[dict]) -> dict:
    """Every number the median of its rounds (each metric on its own)."""
    first = rounds[0]
    out: dict = {}
    for key, value in first.items():
        if isinstance(value, dict):
            out[key] = median_of([r[key] for r in rounds if r.get(key)])
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[key] = statistics.median(r[key] for r in rounds if r.get(key) is not None)
        else:
            out[key] = value
    return out


ROWS = [
    ("startup ms", lambda r: r["startup_ms"]),
    ("open -> diagnostics ms", lambda r: r["open_ms"]),
    ("edit -> diagnostics p50 ms", lambda r: r["edit_ms"]["p50"]),
    ("edit -> diagnostics p90 ms", lambda r: r["edit_ms"]["p90"]),
    ("edit -> diagnostics p99 ms", lambda r: r["edit_ms"]["p99"]),
    ("hover p50 ms", lambda r: r["hover_ms"]["p50"]),
    ("hover p99 ms", lambda r: r["hover_ms"]["p99"]),
    ("peak RSS MB", lambda r: r["rss_mb"]),
    ("diagnostics (last)", lambda r: r["diagnostics_last"]),
]


def table(results: dict, what: str = "", peer_name: str = "peer") -> str:
    lines = []
    for label, by_server in results.items():
        ours, peer = by_server["dockerls"], by_server.get("peer")
        lines.append(f"\n{label}{' ' + what if what else ''} ({ours['edits']} edits, {ours['hovers']} hovers)")
        lines.append(f"{'':28} {'dockerls':>10} {peer_name:>10} {'ratio':>7}")
        for name, get in ROWS:
            a = get(ours)
            b = get(peer) if peer else None
            ratio = f"{a / b:7.2f}" if isinstance(a, (int, float)) and b else "      -"
            lines.append(f"{name:28} {a:>10} {b if b is not None else '-':>10} {ratio}")
    return "\n".join(lines)


def goals(by_server: dict[str, dict]) -> str:
    ours, peer = by_server["dockerls"], by_server.get("peer")
    checks = [("edit p99 < 20 ms", ours["edit_ms"]["p99"] < 20), ("hover p50 < 1 ms", ours["hover_ms"]["p50"] < 1)]
    if peer:
        checks += [
            ("edit p50 <= peer/2", ours["edit_ms"]["p50"] <= peer["edit_ms"]["p50"] / 2),
            ("startup <= 1.5x peer", ours["startup_ms"] <= 1.5 * peer["startup_ms"]),
            ("memory <= peer", ours["rss_mb"] <= peer["rss_mb"]),
        ]
    return "\n".join(f"  [{'x' if ok else ' '}] {name}" for name, ok in checks)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--no-peer", action="store_true", help="measure dockerls only")
    ap.add_argument("--no-compose", action="store_true", help="measure Dockerfiles only")
    ap.add_argument("--json", action="store_true", help="print the raw results as JSON too")
    ap.add_argument("--only", metavar="TEXT", help="only the files whose label holds TEXT (e.g. 'stages')")
    ap.add_argument("--no-startup", action="store_true", help="skip the start-up measurements")
    args = ap.parse_args()
    if not LATENCY.is_file() or not CORPUS.is_dir():
        raise SystemExit(f"{LATENCY} and {CORPUS} are needed (../shared beside the repository)")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "dockerls")], check=True)
    servers = {"dockerls": [sys.executable, "-m", "dockerls.lsp.server"]}
    if not args.no_peer and ensure_peer("docker-langserver", "docker-langserver") is not None:
        servers["peer"] = [str(PEER), "--stdio"]
    files = {f"{size}-line Dockerfile": make_file(size) for size in SIZES}
    files[f"{sum(FEW_STAGES)}-line Dockerfile in {len(FEW_STAGES)} stages ({', '.join(map(str, FEW_STAGES))} lines)"] \
        = make_few_stages_file()
    if args.only:
        files = {label: file for label, file in files.items() if args.only in label}
    results: dict[str, dict[str, dict]] = {}
    for label, file in files.items():
        rounds: dict[str, list[dict]] = {name: [] for name in servers}
        for _ in range(args.rounds):
            for name, cmd in servers.items():
                rounds[name].append(measure(cmd, file, args.edits))
        results[label] = {name: median_of(rs) for name, rs in rounds.items()}
    compose = {} if args.no_compose else measure_compose(servers["dockerls"], args)
    print(table(results))
    for label, by_server in results.items():
        if label.startswith(f"{max(SIZES)}-line"):
            print(f"\ngoals ({label}):")
            print(goals(by_server))
    if compose:
        print(table(compose, "Compose file", "compose-ls"))
    if args.json:
        print(json.dumps({"dockerfile": results, "compose": compose}, indent=2))
    if args.no_startup:
        return 0
    floor, ours = startup_ms(FLOOR_SERVER), startup_ms(servers["dockerls"])
    peer = startup_ms(servers["peer"]) if "peer" in servers else None
    print(f"\nstart-up alone (median of 7): dockerls {ours} ms, peer {peer if peer else '-'} ms; the floor of any "
          f"pygls server (imports and a bare LanguageServer, no dockerls features) {floor} ms"
          + (f" = {floor / peer:.2f}x the peer" if peer else ""))
    small = make_file(min(SIZES))
    opened = {name: first_diagnostics_ms(cmd, small) for name, cmd in servers.items()}
    peer_opened = opened.get("peer")
    print(f"start-up + open -> first diagnostics ({min(SIZES)}-line file, median of 7; process start to the "
          f"first publishDiagnostics): dockerls {opened['dockerls']} ms, peer {peer_opened or '-'} ms"
          + (f" = {opened['dockerls'] / peer_opened:.2f}x the peer" if peer_opened and opened["dockerls"] else ""))
    return 0


def measure_compose(ours: list[str], args: argparse.Namespace) -> dict[str, dict[str, dict]]:
    """dockerls and compose-language-service on the generated Compose file, rounds interleaved."""
    servers: dict[str, tuple[list[str], tuple[str, ...]]] = {"dockerls": (ours, ())}
    if not args.no_peer and ensure_peer("docker-compose-langserver", "compose-language-service") is not None:
        servers["peer"] = ([str(COMPOSE_PEER), "--stdio"], ("--init-options", json.dumps({"diagnosticDelay": 0})))
    file = make_compose_file()
    rounds: dict[str, list[dict]] = {name: [] for name in servers}
    for _ in range(args.rounds):
        for name, (cmd, extra) in servers.items():
            rounds[name].append(measure(cmd, file, args.edits, COMPOSE_LATENCY, extra))
    lines = len(file.read_text(encoding="utf-8").splitlines())
    return {f"{lines}-line": {name: median_of(rs) for name, rs in rounds.items()}}


if __name__ == "__main__":
    sys.exit(main())
