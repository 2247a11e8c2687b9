#!/usr/bin/env python3
"""Time of dockerls' Compose checks, and a comparison with dclint on the fixture stacks.

    python bench/bench_compose.py [--repeat N] [--no-dclint]

1. In-process: check a generated 300-service Compose file (goal: median under 100 ms once the
   modules are imported and the schema compiled), a 10 MB file and an alias bomb.
2. If npm is available, dclint (npm ``dclint``) is installed into ``bench/node_modules`` on first
   use and run on the fixture files (``tests/fixtures/compose``): findings and wall time per file,
   next to ``dockerls check`` run the same way (one process per file).  The test suite never needs npm.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from peers import ensure_peer  # bench/peers.py: run as python bench/<script>.py

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

FIXTURES = ROOT / "tests" / "fixtures" / "compose"
DCLINT = HERE / "node_modules" / ".bin" / "dclint"


def generate(services: int) -> str:
    """A valid project: groups of an API, a worker, a PostgreSQL and a Redis service."""
    out = ["name: bench\n", "services:\n"]
    volumes, networks = [], []
    for g in range(services // 4):
        net, data = f"net{g}", f"pg{g}"
        networks.append(net)
        volumes.append(data)
        out.append(f"""  api{g}:
    image: example/api:1.{g}
    ports: ["{10000 + g}:8080"]
    environment:
      DATABASE_URL: postgresql://app@db{g}:5432/app
      REDIS_URL: redis://cache{g}:6379/0
      LOG_LEVEL: ${{LOG_LEVEL:-info}}
    depends_on:
      db{g}:
        condition: service_healthy
      cache{g}:
        condition: service_started
    healthcheck:
      test: ["CMD", "wget", "-qO-", "http://localhost:8080/health"]
      interval: 10s
    networks: [{net}]
  worker{g}:
    image: example/worker:1.{g}
    command: ["python", "-m", "worker", "--queue", "q{g}"]
    depends_on: [db{g}, cache{g}]
    deploy:
      replicas: 2
    networks: [{net}]
  db{g}:
    image: postgres:17.2-alpine
    environment:
      POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    secrets: [db_password]
    volumes: ["{data}:/var/lib/postgresql/data"]
    healthcheck:
      test: ["CMD-SHELL", "pg_isready -U postgres"]
    networks: [{net}]
  cache{g}:
    image: redis:7.4-alpine
    networks: [{net}]
""")
    out.append("volumes:\n" + "".join(f"  {v}: {{}}\n" for v in volumes))
    out.append("networks:\n" + "".join(f"  {n}: {{}}\n" for n in networks))
    out.append("secrets:\n  db_password:\n    environment: DB_PASSWORD\n")
    return "".join(out)


def in_process(repeat: int) -> None:
    started = time.perf_counter()
    from dockerls.config import DEFAULT
    from dockerls.lint.compose_runner import lint_compose

    text = generate(300)
    first = time.perf_counter()
    result = lint_compose(text, DEFAULT, None, environ={})
    warm = time.perf_counter() - first
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        lint_compose(text, DEFAULT, None, environ={})
        times.append(time.perf_counter() - t)
    print(f"300 services ({len(text) / 1000:.0f} kB, {len(result.findings)} findings): "
          f"median {statistics.median(times) * 1000:.1f} ms, best {min(times) * 1000:.1f} ms "
          f"over {repeat} runs (first run {warm * 1000:.0f} ms, imports {(first - started) * 1000:.0f} ms)")
    big = ("services:\n" + "".join(f"  s{i}:\n    image: example/s{i}:1.0\n    ports: ['{i % 60000}:80']\n"
                                   for i in range(240_000)))
    t = time.perf_counter()
    result = lint_compose(big, DEFAULT, None, environ={})
    print(f"{len(big) / 1e6:.1f} MB file: {time.perf_counter() - t:.2f} s, findings {[f.code for f in result.findings]}")
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, 10))
    t = time.perf_counter()
    result = lint_compose(bomb, DEFAULT, None, environ={})
    print(f"alias bomb (10^10 values): {(time.perf_counter() - t) * 1000:.1f} ms, "
          f"findings {[f.code for f in result.findings]}")


def run_timed(cmd: list[str]) -> tuple[float, str]:
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    return time.perf_counter() - t, proc.stdout


def compare(files: list[Path]) -> None:
    rows = []
    for path in files:
        ours_time, ours_out = run_timed([sys.executable, "-m", "dockerls", "check", "--no-fail", "--format", "json",
                                         str(path)])
        theirs_time, theirs_out = run_timed([str(DCLINT), "-f", "json", str(path)])
        try:
            ours = sorted({f["code"] for f in _findings(json.loads(ours_out))})
        except (ValueError, KeyError, TypeError):
            ours = ["?"]
        try:
            theirs = sorted({m["rule"] for r in json.loads(theirs_out) for m in r["messages"]})
        except (ValueError, KeyError, TypeError):
            theirs = ["?"]
        rows.append((str(path.relative_to(FIXTURES)), ours, ours_time, theirs, theirs_time))
    width = max(len(r[0]) for r in rows)
    print(f"\n{'file':{width}}  {'dockerls ms':>11}  {'dclint ms':>9}  dockerls codes | dclint rules")
    for name, ours, ours_time, theirs, theirs_time in rows:
        print(f"{name:{width}}  {ours_time * 1000:11.0f}  {theirs_time * 1000:9.0f}  "
              f"{', '.join(ours) or '-'} | {', '.join(theirs) or '-'}")
    print("(both timed as one process per file, start-up included)")


def _findings(report) -> list[dict]:
    """The findings of ``dockerls check --format json`` (a list, or an object holding one)."""
    if isinstance(report, dict):
        for key in ("findings", "results", "files"):
            if key in report:
                return _findings(report[key])
        return []
    out = []
    for item in report:
        out.extend(_findings(item["findings"]) if isinstance(item, dict) and "findings" in item else [item])
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--no-dclint", action="store_true")
    args = parser.parse_args()
    in_process(args.repeat)
    if args.no_dclint or ensure_peer("dclint", "dclint") is None:
        return 0
    files = sorted(FIXTURES.rglob("compose.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / "compose.yaml"
        generated.write_text(generate(300))
        compare(files)
        t_ours, _ = run_timed([sys.executable, "-m", "dockerls", "check", "--no-fail", str(generated)])
        t_theirs, _ = run_timed([str(DCLINT), str(generated)])
        print(f"\n300-service file, one process each: dockerls {t_ours * 1000:.0f} ms, dclint {t_theirs * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
