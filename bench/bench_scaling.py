#!/usr/bin/env python3
"""How lint time grows with the size of the file: it should grow linearly.

    python bench/bench_scaling.py [--quick]

Generates Dockerfiles (one stage of mixed RUN/COPY/ENV lines; many stages that COPY --from each
other by name) of 1k, 10k and 100k lines and compose files of 100, 1,000 and 10,000 services
(depends_on, networks, volumes), lints each once with ``dockerls.check.files.lint_text`` and prints
seconds, time per 1k lines (per 100 services) and its ratio to the smallest size.  No assertions:
tests/test_scaling.py keeps a small version of this as a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dockerls.config import Config  # noqa: E402
from dockerls.check.files import lint_text  # noqa: E402


def one_stage_dockerfile(lines: int) -> str:
    """One stage, ``lines`` lines of RUN / COPY / ENV / WORKDIR in turn."""
    out = ["FROM debian:12.5", "WORKDIR /app"]
    i = 0
    while len(out) < lines:
        out += [
            f"ENV VAR_{i}=value_{i} PATH_{i}=/opt/${{VAR_{i}}}/bin",
            f"RUN apt-get update && apt-get install -y --no-install-recommends pkg{i}=1.{i} && rm -rf /var/lib/apt/lists/*",
            f"COPY src/file_{i}.txt /app/file_{i}.txt",
            f"RUN echo $VAR_{i} > /tmp/out_{i} && cd /app && make target_{i}",
            f"COPY requirements_{i}.txt /app/",
        ]
        i += 1
    return "\n".join(out[:lines]) + "\n"


def many_stages_dockerfile(lines: int) -> str:
    """Stages of 10 lines, each copying from earlier stages by name."""
    out: list[str] = []
    i = 0
    while len(out) < lines:
        out.append(f"FROM {'debian:12.5' if i < 2 else f'stage{i - 1}'} AS stage{i}")
        out.append(f"ARG VERSION_{i}=1.{i}")
        out.append(f"ENV HOME_{i}=/home/s{i}")
        out.append(f"WORKDIR /work/{i}")
        if i:
            out.append(f"COPY --from=stage{i - 1} /out/a /in/a{i}")
            out.append(f"COPY --from=stage{i // 2} /out/b /in/b{i}")
        out.append(f"RUN --mount=type=cache,target=/root/.cache echo ${{VERSION_{i}}} > /out/a")
        out.append(f"COPY file_{i}.txt /out/b")
        out.append(f"LABEL stage=\"{i}\"")
        out.append("USER 1000")
        i += 1
    return "\n".join(out[:lines]) + "\n"


def compose_file(services: int) -> str:
    out = ["services:"]
    for i in range(services):
        out += [
            f"  svc{i}:",
            f"    image: example/svc{i}:1.{i}",
            f"    depends_on: [svc{(i + 1) % services}]" if i < services - 1 else "    depends_on: []",
            "    networks: [front, back]",
            f"    volumes: [data{i % 10}:/data, ./conf{i}:/etc/conf:ro]",
            f"    environment: {{NAME: svc{i}, PORT: \"{8000 + i % 1000}\"}}",
        ]
    out += ["networks:", "  front: {}", "  back: {}", "volumes:"]
    out += [f"  data{i}: {{}}" for i in range(10)]
    return "\n".join(out) + "\n"


def timed(text: str, kind: str, path: str) -> float:
    config = Config()
    start = time.process_time()
    lint_text(text, kind, config, path)
    return time.process_time() - start


def table(title: str, unit: str, per: int, rows: list[tuple[int, float]]) -> None:
    print(f"\n{title}")
    print(f"{'size':>10} {'seconds':>9} {'ms per ' + unit:>14} {'ratio':>6}")
    base = rows[0][1] / rows[0][0] * per
    for size, seconds in rows:
        cost = seconds / size * per
        print(f"{size:>10,} {seconds:>9.2f} {cost * 1000:>14.1f} {cost / base:>6.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="sizes up to 10k lines / 1,000 services")
    args = parser.parse_args()
    sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
    services = [100, 1_000] if args.quick else [100, 1_000, 10_000]
    # One warm-up, so imports and caches are not counted in the first row.
    timed(one_stage_dockerfile(200), "dockerfile", "Dockerfile")
    timed(compose_file(10), "compose", "compose.yaml")
    table("Dockerfile, one stage", "1k lines", 1000,
          [(n, timed(one_stage_dockerfile(n), "dockerfile", "Dockerfile")) for n in sizes])
    table("Dockerfile, stages of 10 lines using each other", "1k lines", 1000,
          [(n, timed(many_stages_dockerfile(n), "dockerfile", "Dockerfile")) for n in sizes])
    table("compose file", "100 services", 100,
          [(n, timed(compose_file(n), "compose", "compose.yaml")) for n in services])
    return 0


if __name__ == "__main__":
    sys.exit(main())
