#!/usr/bin/env python3
"""What each of the language server's performance patches (dockerls/lsp/speedups/) saves.

Runs the 845-line case of ``bench_lsp.py`` (and its start-up alone) with every patch on, with
plain pygls (``DOCKERLS_PLAIN_PYGLS=1``), and with each patch turned off alone, interleaved
round by round; each figure is the median of its rounds, and a patch's saving is the difference
between "that patch off" and "all on".

    python bench/bench_speedups.py [--rounds 5] [--edits 200]

Measure an installed (non-editable) dockerls: run it with that environment's Python.
"""

from __future__ import annotations

import argparse
import os
import sys

import bench_lsp  # bench/bench_lsp.py: run as python bench/<script>.py

NAMES = ("compile_cache", "lazy_types", "startup_gc", "pipe_stdio", "framed_publish")
CONFIGS = {"all on": "", "plain pygls": "1", **{f"no {name}": name for name in NAMES}}
ROWS = [
    ("start-up alone", lambda r: r["startup_alone"]),
    ("startup (in run)", lambda r: r["startup_ms"]),
    ("open -> diag", lambda r: r["open_ms"]),
    ("edit p50", lambda r: r["edit_ms"]["p50"]),
    ("edit p90", lambda r: r["edit_ms"]["p90"]),
    ("edit p99", lambda r: r["edit_ms"]["p99"]),
    ("hover p50", lambda r: r["hover_ms"]["p50"]),
    ("RSS MB", lambda r: r["rss_mb"]),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--edits", type=int, default=200)
    args = ap.parse_args()
    file = bench_lsp.make_file(845)
    server = [sys.executable, "-m", "dockerls.lsp.server"]
    rounds: dict[str, list[dict]] = {name: [] for name in CONFIGS}
    for _ in range(args.rounds):
        for name, value in CONFIGS.items():
            os.environ["DOCKERLS_PLAIN_PYGLS"] = value
            result = bench_lsp.measure(server, file, args.edits)
            result["startup_alone"] = bench_lsp.startup_ms(server, runs=5)
            rounds[name].append(result)
    os.environ.pop("DOCKERLS_PLAIN_PYGLS", None)
    results = {name: bench_lsp.median_of(rs) for name, rs in rounds.items()}
    base = results["all on"]
    print(f"845-line Dockerfile, median of {args.rounds} rounds (start-up alone: of {5 * args.rounds} starts)")
    print(f"{'':16}" + "".join(f"{name:>20}" for name in CONFIGS))
    for row, get in ROWS:
        cells = []
        for name in CONFIGS:
            value = get(results[name])
            delta = "" if name == "all on" else f" ({value - get(base):+.1f})"
            cells.append(f"{value:>10}{delta:>10}")
        print(f"{row:16}" + "".join(cells))
    print("\n(in parentheses: the difference from all on = what the patch saves)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
