#!/usr/bin/env python3
"""The language server against its peer, as an editor uses them.

Runs ``../shared/bench/lsp_latency.py`` (startup, didChange -> diagnostics, hover, memory) on
dockerls and on ``docker-langserver --stdio`` (npm ``dockerfile-language-server-nodejs``, installed
into ``bench/node_modules`` on first use) with a 333-line and an 845-line Dockerfile made by
concatenating the official-image Dockerfiles of ``../shared/corpus/official/`` (written to
``bench/.work/``), in one run, and prints a table with the ratios and the goals:

* edit -> diagnostics p50 at most half the peer's, p99 under 20 ms on the 845-line file;
* hover p50 under 1 ms; startup within 1.5x the peer's; memory no more than the peer's.

It also times start-up alone for dockerls, the peer, and the floor of any pygls server (Python,
asyncio, lsprotocol and pygls imported and a bare ``LanguageServer`` answering ``initialize``).

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
    WORK.mkdir(parents=True, exist_ok=True)
    target = WORK / f"bench-{lines}.Dockerfile"
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
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


def table(results: dict, what: str = "Dockerfile", peer_name: str = "peer") -> str:
    lines = []
    for size, by_server in results.items():
        ours, peer = by_server["dockerls"], by_server.get("peer")
        lines.append(f"\n{size}-line {what} ({ours['edits']} edits, {ours['hovers']} hovers)")
        lines.append(f"{'':28} {'dockerls':>10} {peer_name:>10} {'ratio':>7}")
        for name, get in ROWS:
            a = get(ours)
            b = get(peer) if peer else None
            ratio = f"{a / b:7.2f}" if isinstance(a, (int, float)) and b else "      -"
            lines.append(f"{name:28} {a:>10} {b if b is not None else '-':>10} {ratio}")
    return "\n".join(lines)


def goals(results: dict[int, dict[str, dict]]) -> str:
    big = results[max(results)]
    ours, peer = big["dockerls"], big.get("peer")
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
    args = ap.parse_args()
    if not LATENCY.is_file() or not CORPUS.is_dir():
        raise SystemExit(f"{LATENCY} and {CORPUS} are needed (../shared beside the repository)")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "dockerls")], check=True)
    servers = {"dockerls": [sys.executable, "-m", "dockerls.lsp.server"]}
    if not args.no_peer and ensure_peer("docker-langserver", "docker-langserver") is not None:
        servers["peer"] = [str(PEER), "--stdio"]
    results: dict[int, dict[str, dict]] = {}
    for size in SIZES:
        file = make_file(size)
        rounds: dict[str, list[dict]] = {name: [] for name in servers}
        for _ in range(args.rounds):
            for name, cmd in servers.items():
                rounds[name].append(measure(cmd, file, args.edits))
        results[size] = {name: median_of(rs) for name, rs in rounds.items()}
    compose = {} if args.no_compose else measure_compose(servers["dockerls"], args)
    print(table(results))
    print("\ngoals (845-line file):")
    print(goals(results))
    if compose:
        print(table(compose, "Compose file", "compose-ls"))
    floor, ours = startup_ms(FLOOR_SERVER), startup_ms(servers["dockerls"])
    peer = startup_ms(servers["peer"]) if "peer" in servers else None
    print(f"\nstart-up alone (median of 7): dockerls {ours} ms, peer {peer if peer else '-'} ms; the floor of any "
          f"pygls server (imports and a bare LanguageServer, no dockerls features) {floor} ms"
          + (f" = {floor / peer:.2f}x the peer" if peer else ""))
    if args.json:
        print(json.dumps({"dockerfile": results, "compose": compose}, indent=2))
    return 0


def measure_compose(ours: list[str], args: argparse.Namespace) -> dict[int, dict[str, dict]]:
    """dockerls and compose-language-service on the generated Compose file, rounds interleaved."""
    servers: dict[str, tuple[list[str], tuple[str, ...]]] = {"dockerls": (ours, ())}
    if not args.no_peer and ensure_peer("docker-compose-langserver", "compose-language-service") is not None:
        servers["peer"] = ([str(COMPOSE_PEER), "--stdio"], ("--init-options", json.dumps({"diagnosticDelay": 0})))
    file = make_compose_file()
    rounds: dict[str, list[dict]] = {name: [] for name in servers}
    for _ in range(args.rounds):
        for name, (cmd, extra) in servers.items():
            rounds[name].append(measure(cmd, file, args.edits, COMPOSE_LATENCY, extra))
    return {len(file.read_text(encoding="utf-8").splitlines()): {name: median_of(rs) for name, rs in rounds.items()}}


if __name__ == "__main__":
    sys.exit(main())
