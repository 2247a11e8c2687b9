"""The fuzzer: generated and mutated Dockerfiles, compose files and devcontainer.json through the
linter, the fixer, the report formats, the incremental parse and the language server's documents.

A short seeded run by default (CI); ``DOCKERLS_FUZZ_EXAMPLES=200000`` for a long random one (see
README.md in this folder)."""

from __future__ import annotations

import os

import pytest

pytest.importorskip("hypothesis", reason="the fuzzer needs Hypothesis (pip install -e '.[test]')")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from dockerls.parse.dockerfile.decode import decode  # noqa: E402
from tests.fuzz import properties as check  # noqa: E402
from tests.fuzz.corpus import KINDS  # noqa: E402
from tests.fuzz.strategies import edits, inputs  # noqa: E402

LONG = int(os.environ.get("DOCKERLS_FUZZ_EXAMPLES", "0"))

settings.register_profile(
    "fuzz-ci", derandomize=True, database=None, deadline=None, print_blob=True,
    suppress_health_check=list(HealthCheck))
settings.register_profile(
    "fuzz-long", derandomize=False, deadline=None, print_blob=True, suppress_health_check=list(HealthCheck))
PROFILE = settings.get_profile("fuzz-long" if LONG else "fuzz-ci")


def budget(ci_examples: int):
    """Examples per test: a seeded few in CI, the asked-for number in a long run."""
    return settings(PROFILE, max_examples=LONG or ci_examples)


def _text(data: str | bytes) -> str:
    return decode(data).text


@pytest.mark.parametrize("kind", KINDS)
def test_lint_never_raises_and_keeps_ranges_inside(kind):
    @budget(60)
    @given(inputs(kind))
    def run(data):
        check.check_lint(data, kind)

    run()


@pytest.mark.parametrize("kind", KINDS)
def test_fixes_reparse_and_converge_and_reports_are_valid(kind):
    @budget(25)
    @given(inputs(kind))
    def run(data):
        result = check.check_fixes(data, kind)
        check.check_reports([result])

    run()


def test_incremental_parse_equals_fresh_parse():
    @budget(60)
    @given(st.data())
    def run(data):
        text = _text(data.draw(inputs("dockerfile")))
        check.check_incremental(text, data.draw(edits(text)))

    run()


@pytest.mark.parametrize("kind", KINDS)
def test_language_server_documents_lint_as_fresh_text(kind):
    @budget(15)
    @given(st.data())
    def run(data):
        text = _text(data.draw(inputs(kind)))
        check.check_document(kind, text, data.draw(edits(text)))

    run()
