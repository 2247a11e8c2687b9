"""DOCKERLS_PLAIN_PYGLS: plain pygls with none of the patches, or without the ones named; the
language server works the same either way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dockerls.lsp import speedups

TESTS = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("value", "off"), [
    ("", set()), ("0", set()), ("1", set(speedups.NAMES)), ("all", set(speedups.NAMES)),
    ("lazy_types, pipe_stdio", {"lazy_types", "pipe_stdio"}),
])
def test_the_switch(value, off):
    assert speedups._turned_off(value) == off


def test_unknown_names_are_refused():
    with pytest.raises(ValueError):
        speedups.enabled("turbo")


def test_the_language_server_works_as_plain_pygls():
    """The end-to-end diagnostics, edits and robustness tests, with every patch off."""
    env = {**os.environ, "DOCKERLS_PLAIN_PYGLS": "1"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(TESTS / "test_diagnostics.py"), str(TESTS / "test_edits.py"),
                           str(TESTS / "test_robustness.py")], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]
