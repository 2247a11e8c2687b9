"""One bad file never sinks the run: each input that used to crash a rule or the whole check, and
what a crash anywhere becomes (a DLS000 finding on that file, exit 2, the other files checked).
Also: messages name variables, not their values; files outside the checked folder are not read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dockerls.check import CheckOptions, lint_text, run
from dockerls.check.run import EXIT_USAGE
from dockerls.config import DEFAULT
from dockerls.lint.workspace_fs import OutsideRoot, WorkspaceFS


def _codes(text: str, kind: str, path: Path) -> list[str]:
    return [f.code for f in lint_text(text, kind, DEFAULT, str(path))[2]]


def _check(*paths: Path, **options):
    options.setdefault("cache", False)
    return run(CheckOptions(paths=[str(p) for p in paths], **options))


@pytest.mark.parametrize("text,kind,name,expected", [
    ("RUN apt update\n", "dockerfile", "Dockerfile", "DL3009"),  # no FROM: no stage (IndexError)
    ("FROM alpine\nEXPOSE " + "9" * 5000 + "\n", "dockerfile", "Dockerfile", "DL3011"),
    ("FROM alpine\nCOPY --from=" + "1" * 5000 + " /a /b\n", "dockerfile", "Dockerfile", None),
    ("services:\n  a:\n    image: x:1\n    ports:\n      - \"" + "1" * 4400 + ":80\"\n", "compose", "compose.yaml",
     None),
    ("services:\n  a:\n    image: x:1\n    ports:\n      - " + "1" * 4400 + ":20\n", "compose", "compose.yaml",
     "DC108"),
    ("services:\n  a:\n    build: " + "x" * 300 + "\n    env_file: " + "y" * 300 + "\n    volumes:\n      - ./"
     + "z" * 300 + ":/x\n", "compose", "compose.yaml", "DC111"),  # ENAMETOOLONG: "does not exist"
    ("services:\n  a:\n    image: x\ud800y\n", "compose", "compose.yaml", "DC003"),  # an editor's lone surrogate
    ('{"dockerFile": 6}', "devcontainer", ".devcontainer/devcontainer.json", "DV002"),
    ('{"dockerComposeFile": 6}', "devcontainer", ".devcontainer/devcontainer.json", "DV002"),
    ('{"image": "a", "build": {"dockerfile": "D", "context": 6}}', "devcontainer", ".devcontainer/devcontainer.json",
     None),
    ('{"dockerComposeFile": "c.yaml", "service": "a", "runServices": 6}', "devcontainer",
     ".devcontainer/devcontainer.json", None),
    ("[" * 500, "devcontainer", ".devcontainer/devcontainer.json", "DV001"),  # RecursionError before
])
def test_inputs_that_crashed_get_findings_not_failures(tmp_path, text, kind, name, expected):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    (path.parent / "c.yaml").write_text("services:\n  a:\n    image: x:1\n")
    codes = _codes(text, kind, path)
    assert "DLS000" not in codes, codes
    if expected:
        assert expected in codes


def test_jsonc_nesting_is_limited():
    from dockerls.parse.devcontainer.jsonc import JsoncError, parse_jsonc

    assert parse_jsonc("[" * 64 + "]" * 64).value is not None
    with pytest.raises(JsoncError, match="deeper than 64"):
        parse_jsonc("[" * 65 + "]" * 65)


def test_a_failing_rule_is_a_finding_and_exit_2_and_the_other_files_are_checked(tmp_path, monkeypatch):
    from dockerls.rules.dockerfile import dl3007_latest_tag as module

    def boom(self, ins):
        raise KeyError("secret-looking text")

    monkeypatch.setattr(module.LatestTag, "check", boom)
    (tmp_path / ".git").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "Dockerfile").write_text("FROM python:latest\nMAINTAINER x\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "Dockerfile").write_text("FROM alpine:3.20\nMAINTAINER x\n")
    result = _check(tmp_path, no_fail=True)  # never a silent 0 or 1
    assert result.exit_code == EXIT_USAGE
    first, second = result.results
    assert [f.code for f in first.findings][:1] == ["DLS000"] and "DL4000" in [f.code for f in first.findings]
    assert "KeyError" in first.findings[0].message and "DL3007" in first.findings[0].message
    assert "secret-looking" not in first.findings[0].message
    assert "DL4000" in [f.code for f in second.findings]


def test_a_crash_outside_the_rules_is_a_finding_on_that_file(tmp_path, monkeypatch):
    from dockerls import kinds

    compose = kinds.named("compose")
    monkeypatch.setattr(type(compose), "lint_text", lambda *a, **k: 1 // 0)
    (tmp_path / ".git").mkdir()
    (tmp_path / "compose.yaml").write_text("services: {}\n")
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nMAINTAINER x\n")
    result = _check(tmp_path)
    by_path = {Path(r.path).name: [f.code for f in r.findings] for r in result.results}
    assert by_path["compose.yaml"] == ["DLS000"] and "DL4000" in by_path["Dockerfile"]
    assert result.exit_code == EXIT_USAGE


def test_the_run_rules_are_documented():
    from dockerls.rules.registry import find_rule

    for code in ("DLS000", "DLS001", "DLS002"):
        rule = find_rule(code)
        assert rule is not None and rule.kind == "run" and "## Why" in rule.doc()
    assert find_rule("internal-error").code == "DLS000"


# -- disclosure ---------------------------------------------------------------------------------------

def test_workspace_fs_with_a_root_does_not_read_outside_it(tmp_path):
    (tmp_path / "outside.txt").write_text("secret")
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "in.txt").write_text("fine")
    (tmp_path / "repo" / "link.txt").symlink_to(tmp_path / "outside.txt")
    fs = WorkspaceFS(root=tmp_path / "repo")
    assert fs.read_text(tmp_path / "repo" / "in.txt") == "fine"
    for path in (tmp_path / "repo" / "link.txt", tmp_path / "outside.txt", tmp_path / "repo" / ".." / "outside.txt"):
        with pytest.raises(OutsideRoot):
            fs.read_bytes(path)
    assert fs.list_dir(tmp_path) == [] and fs.exists(tmp_path / "outside.txt")  # kinds may be asked


def test_compose_references_outside_the_checked_folder_are_not_read(tmp_path):
    (tmp_path / "outside.yml").write_text("services:\n  leaked:\n    image: leaked:1\n")
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".git").mkdir()
    (repo / "compose.yaml").write_text(
        "include:\n  - ../outside.yml\n"
        "services:\n  web:\n    image: web:1\n    extends:\n      file: ../outside.yml\n      service: leaked\n")
    result = _check(repo)
    messages = [f.message for r in result.results for f in r.findings]
    assert sum("outside the checked folder: not read" in m for m in messages) == 2, messages
    assert not any("leaked" in m and "outside" not in m for m in messages)


def test_messages_name_variables_not_their_values(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_VALUE", "tok_0123456789abcdef")
    (tmp_path / ".git").mkdir()
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    build:\n      context: ./${SECRET_VALUE}\n    env_file: ${SECRET_VALUE}.env\n")
    (tmp_path / ".devcontainer").mkdir()
    (tmp_path / ".devcontainer" / "devcontainer.json").write_text(
        json.dumps({"build": {"dockerfile": "${localEnv:SECRET_VALUE}/Dockerfile"}}))
    result = _check(tmp_path)
    messages = [f.message for r in result.results for f in r.findings]
    assert messages and not any("tok_0123456789abcdef" in m for m in messages), messages
    assert any("${SECRET_VALUE}" in m for m in messages) and any("${localEnv:SECRET_VALUE}" in m for m in messages)


def test_report_replaces_a_symlink_instead_of_writing_through_it(tmp_path):
    from dockerls.report import write_report

    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "report.sarif"
    link.symlink_to(victim)
    write_report(str(link), lambda out: out.write("{}"))
    assert victim.read_text() == "precious" and not link.is_symlink() and link.read_text() == "{}"
