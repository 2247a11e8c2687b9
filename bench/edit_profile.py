#!/usr/bin/env python3
"""In-process cost of an edit as the language server handles it: the bench_lsp.py edits (a
character typed at the end of every 7th line, then deleted), each followed by analysis, lint and
the publish text (``framed_publish``), timed with ``time.thread_time`` (CPU of this thread only:
steadier than the clock on a shared machine).  No editor, no peer, no JSON-RPC.

    python bench/edit_profile.py [--file stages|845] [--edits 600] [--profile] [--rules]

``--profile`` prints cProfile's top functions; ``--rules`` the CPU per rule and edit.
"""

from __future__ import annotations

import argparse
import cProfile
import collections
import pstats
import statistics
import time
from types import SimpleNamespace

from bench_lsp import make_few_stages_file, make_file  # run as python bench/<script>.py

from dockerls.config import DEFAULT
from dockerls.lint import runner
from dockerls.lsp import diagnostics
from dockerls.lsp.documents import Documents
from dockerls.lsp.speedups import framed_publish


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--file", choices=("stages", "845"), default="stages")
    ap.add_argument("--edits", type=int, default=600)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--rules", action="store_true")
    args = ap.parse_args()
    text = (make_few_stages_file() if args.file == "stages" else make_file(845)).read_text(encoding="utf-8")
    doc = Documents().open("file:///bench/Dockerfile", "dockerfile", 1, text)

    def publish() -> None:
        found = doc.findings(DEFAULT, 1)
        framed_publish.diagnostics_text(doc, found, ("utf-16", True),
                                        lambda f: diagnostics.to_json(doc, f, "utf-16", True))

    publish()
    lines = text.split("\n")
    times: list[float] = []
    per_rule: collections.Counter = collections.Counter()
    if args.rules:
        plain = runner.collect_findings

        def timed(out, rule, method, *rest):
            t = time.thread_time()
            plain(out, rule, method, *rest)
            per_rule[(rule.code, rule.scope, rule.per_instruction)] += time.thread_time() - t

        runner.collect_findings = timed  # this script's own measurement, not the product's code path
    profile = cProfile.Profile() if args.profile else None
    if profile:
        profile.enable()
    for i in range(args.edits):
        line = ((i // 2) * 7) % len(lines)
        lines[line] = lines[line] + "x" if i % 2 == 0 else lines[line][:-1]
        t = time.thread_time()
        doc.apply_change(SimpleNamespace(text="\n".join(lines)), "utf-16")  # a full-text change
        doc.version += 1
        publish()
        times.append((time.thread_time() - t) * 1000)
    if profile:
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    for (code, scope, per_instruction), spent in per_rule.most_common(20):
        print(f"{code:8} {scope:6} {'per-instruction' if per_instruction else '':16} {spent * 1000 / args.edits:.3f} ms/edit")
    q = statistics.quantiles(times, n=100)
    print(f"{args.file}: {args.edits} edits, CPU per edit p50 {statistics.median(times):.2f} ms, p90 {q[89]:.2f}, "
          f"p99 {q[98]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
