"""The checks good Python projects run: ``ruff check`` and ``mypy`` pass, with the configurations
in pyproject.toml.  Marked ``quality``: CI runs them with the rest (``bash tests/run.sh``); skip them
locally with ``-m "not quality"``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.quality


def _tool(name: str) -> list[str]:
    """The tool as a module of this Python (the test extra installs it), else the one on PATH."""
    done = subprocess.run([sys.executable, "-m", name, "--version"], capture_output=True)
    if done.returncode == 0:
        return [sys.executable, "-m", name]
    exe = shutil.which(name)
    if exe is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return [exe]


def _run(argv: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)


def _problems(done: subprocess.CompletedProcess, limit: int = 80) -> str:
    """The tool's summary line, then its first problems (mypy's notes left out)."""
    lines = [line for line in done.stdout.splitlines() if line.strip() and ": note: " not in line]
    summary = lines[-1:] if lines else []
    return "\n".join(summary + lines[:limit] + [done.stderr[-2000:]])


def test_ruff_check_passes():
    done = _run([*_tool("ruff"), "check", "--no-cache", "--output-format", "concise", "dockerls", "tests", "bench"])
    assert done.returncode == 0, _problems(done)


def test_mypy_passes():
    # The files and the strictness are in pyproject.toml ([tool.mypy]).
    done = _run([*_tool("mypy")])
    assert done.returncode == 0, _problems(done)
