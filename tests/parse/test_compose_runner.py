"""The Compose runner: suppression comments, configuration, the broken fixture stacks, and routing
through :func:`dockerls.check.lint_text`."""

import sys
from pathlib import Path

import pytest

from dockerls.check import check_file, lint_text
from dockerls.config import DEFAULT, from_dockerls_mapping
from dockerls.lint.compose_runner import lint_compose
from dockerls.finding import Severity

BROKEN = Path(__file__).resolve().parents[1] / "fixtures" / "compose" / "broken"

TEXT = """\
services:
  # dockerls ignore=DC117,untagged-image
  web:
    image: nginx:latest
  cache:
    image: redis
  db:
    image: postgres:latest
"""


def codes(text, config=DEFAULT, path=None):
    return [(f.code, f.range.start.line + 1) for f in lint_compose(text, config, path, environ={}).findings]


def test_pragma_above_a_key_covers_what_is_under_it():
    assert codes(TEXT) == [("DC116", 6), ("DC117", 8)]


def test_pragma_above_a_list_item_and_a_nested_key():
    text = ("services:\n  web:\n    image: nginx:1.27\n    ports:\n      # dockerls ignore=DC108\n      - 22:22\n"
            "      - 23:23\n")
    assert codes(text) == [("DC108", 7)]


def test_global_pragma_anywhere():
    assert codes(TEXT + "# dockerls global ignore=DC117, DC116\n") == []


def test_pragma_needs_to_be_right_above():
    text = "services:\n  # dockerls ignore=DC116\n\n  cache:\n    image: redis\n"
    assert codes(text) == [("DC116", 5)]


def test_configuration_ignores_and_changes_severity():
    config = from_dockerls_mapping({"ignore": ["latest-tag"], "severity": {"DC116": "error"}}, "<test>")
    findings = lint_compose(TEXT.replace("  # dockerls ignore=DC117,untagged-image\n", ""), config, None,
                            environ={}).findings
    assert [(f.code, f.severity) for f in findings] == [("DC116", Severity.ERROR)]
    off = from_dockerls_mapping({"severity": {"DC116": "off", "DC117": "off"}}, "<test>")
    assert codes(TEXT, off) == []


EXPECTED = {
    "typos": {"DC009", "DC103", "DC109", "DC110", "DC122"},  # DC122: `restart: unless-stoped`
    "ports": {"DC107", "DC108"},
    "paths": {"DC111", "DC112", "DC113", "DC114", "DC121"},
    "secrets": {"DC116", "DC117", "DC118", "DC119", "DC120"},
    "dependencies": {"DC101", "DC102", "DC104", "DC105", "DC106", "DC115"},
    "yaml": {"DC001"},
    "include": {"DC011", "DC012"},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_stacks(name):
    path = BROKEN / name / "compose.yaml"
    result = lint_compose(path.read_bytes(), DEFAULT, str(path), environ={})
    assert {f.code for f in result.findings} == EXPECTED[name]


def test_check_routes_compose_and_fixes(tmp_path):
    path = tmp_path / "compose.yaml"
    text = "version: '3'\nservices:\n  sftp:\n    image: atmoz/sftp:alpine\n    ports:\n      - 2222:22\n"
    path.write_text(text)
    _, _, findings = lint_text(text, "compose", DEFAULT, str(path))
    assert [f.code for f in findings] == ["DC118", "DC108"]
    result = check_file(str(path), "compose", path.read_bytes(), DEFAULT, fix=True)
    assert result.text == "services:\n  sftp:\n    image: atmoz/sftp:alpine\n    ports:\n      - \"2222:22\"\n"
    assert result.findings == []


def test_a_failing_rule_does_not_stop_the_others(monkeypatch, caplog):
    from dockerls.rules.compose import dc116_untagged_image as module

    def boom(self, service):
        raise RuntimeError("broken rule")

    monkeypatch.setattr(module.UntaggedImage, "check", boom)
    found = lint_compose(TEXT.replace("  # dockerls ignore=DC117,untagged-image\n", ""), DEFAULT, environ={}).findings
    assert [(f.code, f.range.start.line + 1) for f in found] == [("DLS000", 1), ("DC117", 3), ("DC117", 7)]
    assert "RuntimeError" in found[0].message and "rule DC116" in found[0].message  # the failure is a finding
    assert "broken rule" not in found[0].message  # an exception's text may quote anything: not shown


def test_importing_the_model_does_not_import_jsonschema():
    import subprocess

    code = "import sys, dockerls.parse.compose.project, dockerls.lint.compose_runner; print('jsonschema' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "False"


ANCHORED = """\
x-common: &common
  image: redis
  depends_on: [nope]
services:
  a:
    <<: *common
  b:
    <<: *common
  c:
    image: redis:7
    environment: &env
      DB_PASSWORD: hunter2hunter2
  d:
    image: redis:7
    environment: *env
"""


def test_an_anchor_merged_into_several_services_is_reported_once_with_them_as_related():
    findings = lint_compose(ANCHORED, DEFAULT, environ={}).findings
    assert [(f.code, f.range.start.line + 1) for f in findings] == [("DC116", 2), ("DC103", 3), ("DC120", 12)]
    by_code = {f.code: f for f in findings}
    assert [(r.message, r.range.start.line + 1) for r in by_code["DC116"].related] == \
           [("used by the service `a`", 5), ("used by the service `b`", 7)]
    assert [r.message for r in by_code["DC120"].related] == ["used by the service `c`", "used by the service `d`"]


def test_findings_at_different_places_are_not_collapsed():
    text = "services:\n  a:\n    image: redis\n  b:\n    image: redis\n"
    findings = lint_compose(text, DEFAULT, environ={}).findings
    assert [(f.code, f.range.start.line + 1, f.related) for f in findings] == [("DC116", 3, []), ("DC116", 5, [])]
