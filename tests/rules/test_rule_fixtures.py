"""Every rule has a fixture: cases that fire (with the exact start of each finding), cases that
don't, and, for a fixable rule, the text its fix produces.

Fixtures are ``tests/rules/<kind>/<CODE>.yaml``::

    cases:
      - name: untagged image
        text: |
          FROM ubuntu
        findings: ["1:6"]        # 1-based line:column of each finding of this rule, in order
    fixes:
      - name: ...
        text: ...
        fixed: ...                # after `--fix` (or `--fix --unsafe-fixes` with unsafe: true)
        unsafe: false
        config: {}                # optional, for configuration-driven rules
"""

from pathlib import Path

import pytest
import yaml

from dockerls.check import lint_text
from dockerls.config import from_dockerls_mapping
from dockerls.lint.fixes import fix_text
from dockerls.rules.registry import all_rules

HERE = Path(__file__).parent


def _fixture_path(rule) -> Path:
    return HERE / rule.kind / f"{rule.code}.yaml"


def _load(rule) -> dict:
    path = _fixture_path(rule)
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


def _cases():
    for rule in all_rules():
        for i, case in enumerate(_load(rule).get("cases", [])):
            yield pytest.param(rule, case, id=f"{rule.code}-{i}-{case.get('name', '')}")


def _fixes():
    for rule in all_rules():
        for i, case in enumerate(_load(rule).get("fixes", [])):
            yield pytest.param(rule, case, id=f"{rule.code}-fix-{i}-{case.get('name', '')}")


def _lint(rule, case, text):
    config = from_dockerls_mapping(case.get("config") or {}, "<fixture>")
    path = case.get("path")
    _, _, findings = lint_text(text, rule.kind, config, path)
    return findings


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_has_docs_and_fixture(rule):
    doc = rule.doc()
    assert doc and "## Why" in doc and "## Example" in doc and "## Fix" in doc, f"{rule.code} lacks documentation"
    assert rule.name == rule.name.lower() and " " not in rule.name
    data = _load(rule)
    assert data, f"{_fixture_path(rule)} is missing"
    cases = data.get("cases", [])
    assert any(c.get("findings") for c in cases), f"{rule.code}: no case that fires"
    assert any(not c.get("findings") for c in cases), f"{rule.code}: no case that passes"
    if rule.fixable:
        assert data.get("fixes"), f"{rule.code} claims a fix but has no fix test"


@pytest.mark.parametrize("rule,case", list(_cases()))
def test_rule_case(rule, case):
    findings = [f for f in _lint(rule, case, case["text"]) if f.code == rule.code]
    got = [f"{f.range.start.line + 1}:{f.range.start.character + 1}" for f in findings]
    assert got == [str(x) for x in case.get("findings") or []], [f.message for f in findings]


@pytest.mark.parametrize("rule,case", list(_fixes()))
def test_rule_fix(rule, case):
    unsafe = bool(case.get("unsafe"))
    result = fix_text(case["text"], lambda t: _lint(rule, case, t), unsafe=unsafe)
    assert result.text == case["fixed"]
    applicable = [f for f in result.remaining
                  if f.code == rule.code and f.fix and (unsafe or f.fix.applicability == "safe")]
    assert not applicable or result.rejected, "a fix left an applicable fix of the same rule behind"
