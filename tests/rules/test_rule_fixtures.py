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

A case may also give ``files: {name: content}`` (a name ending in ``/`` is a folder): they are
written to a temporary folder, with the checked text as ``path`` (default ``Dockerfile``) in it.
"""

import tempfile
from pathlib import Path

import pytest
import yaml

from dockerls.check import lint_text
from dockerls.config import from_dockerls_mapping
from dockerls.lint.fixes import fix_text
from dockerls.rules.registry import all_rules

HERE = Path(__file__).parent
ROOT = HERE.parent.parent


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
    if "files" not in case:
        return lint_text(text, rule.kind, config, str(ROOT / path) if path else None)[2]
    with tempfile.TemporaryDirectory() as tmp:
        for name, content in (case["files"] or {}).items():
            target = Path(tmp, name)
            if name.endswith("/"):
                target.mkdir(parents=True, exist_ok=True)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content or "", encoding="utf-8")
        checked = Path(tmp, path or "Dockerfile")
        checked.parent.mkdir(parents=True, exist_ok=True)
        checked.write_text(text, encoding="utf-8")
        return lint_text(text, rule.kind, config, str(checked))[2]


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_rule_has_docs_and_fixture(rule):
    doc = rule.doc()
    assert doc and "## Why" in doc and "## Example" in doc and "## Fix" in doc, f"{rule.code} lacks documentation"
    assert rule.name == rule.name.lower() and " " not in rule.name
    if rule.kind == "run":
        return  # made by the check, not by a lint pass over a text: tests/check/test_failures.py
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
    result = fix_text(case["text"], lambda t: _lint(rule, case, t), unsafe=unsafe, only={rule.code})
    assert result.text == case["fixed"]
    applicable = [f for f in result.remaining
                  if f.code == rule.code and f.fix and (unsafe or f.fix.applicability == "safe")]
    assert not applicable or result.rejected, "a fix left an applicable fix of the same rule behind"
