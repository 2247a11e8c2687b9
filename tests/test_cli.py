"""`dockerls` as a user runs it: a real process, real files, exit codes and output formats."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parent.parent
BAD = "FROM python:latest\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\n" \
      "RUN rm -rf /var/lib/apt/lists/*\nCMD [\"a\"]\nCMD [\"b\"]\n"


def run(*args, stdin=None, cwd=None):
    proc = subprocess.run([sys.executable, "-m", "dockerls", *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd or ROOT, timeout=60)
    return proc.returncode, proc.stdout, proc.stderr


@pytest.fixture(autouse=True)
def user_cache(tmp_path_factory, monkeypatch):
    """The result cache's default folder is the user's cache folder: a temporary one here."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    monkeypatch.delenv("DOCKERLS_CACHE_DIR", raising=False)


@pytest.fixture
def project(tmp_path):
    (tmp_path / ".git").mkdir()  # the configuration search stops here
    (tmp_path / "Dockerfile").write_text(BAD)
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "Dockerfile").write_text("FROM alpine:3.20\nUSER 65534\nCMD [\"sh\"]\n")
    return tmp_path


def test_text_output_and_exit_code(project):
    code, out, err = run("check", str(project))
    assert code == 1, err
    lines = out.splitlines()
    assert any(line.startswith(f"{project}/Dockerfile:1:13: DL3007 [warning]") for line in lines)
    assert any(":3:1: DF100 [warning]" in line and line.endswith("[*]") for line in lines)
    assert any(":4:1: DL4003" in line for line in lines)


def test_check_alias_and_clean_file(project):
    code, out, _ = run("--check", str(project / "ok" / "Dockerfile"))
    assert (code, out) == (0, "")


def test_json_output_matches_the_schema(project):
    code, out, _ = run("check", "--format", "json", str(project / "Dockerfile"))
    assert code == 1
    data = json.loads(out)
    schema = json.loads((ROOT / "schemas" / "findings.schema.json").read_text())
    jsonschema.validate(data, schema)
    latest = next(f for f in data if f["code"] == "DL3007")
    assert latest["range"] == {"start": {"line": 0, "character": 12}, "end": {"line": 0, "character": 18}}
    cleanup = next(f for f in data if f["code"] == "DF100")
    assert cleanup["fix"]["applicability"] == "safe" and cleanup["related"]


def test_json_columns_are_utf16(tmp_path):
    (tmp_path / "Dockerfile").write_text('FROM busybox:1\nLABEL a="😀"\nFROM node:latest\n')
    data = json.loads(run("check", "-f", "json", str(tmp_path / "Dockerfile"))[1])
    assert [f["range"]["start"] for f in data if f["code"] == "DL3007"] == [{"line": 2, "character": 10}]


def test_failure_threshold_and_no_fail(project):
    assert run("check", "--failure-threshold", "error", str(project / "Dockerfile"))[0] == 0
    assert run("check", "--no-fail", str(project / "Dockerfile"))[0] == 0
    (project / ".dockerls.yaml").write_text("failure-threshold: error\n")
    assert run("check", str(project / "Dockerfile"))[0] == 0
    assert run("check", "-t", "warning", str(project / "Dockerfile"))[0] == 1


def test_stdin_with_a_file_name():
    code, out, _ = run("check", "--stdin-filename", "app/Dockerfile", "-", stdin="FROM ubuntu\n")
    assert code == 1 and "app/Dockerfile:1:6: DL3006" in out


def test_fix_writes_the_file_and_diff_does_not(project):
    path = project / "Dockerfile"
    code, out, _ = run("check", "--diff", str(path))
    assert "+RUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*" in out
    assert path.read_text() == BAD
    run("check", "--fix", str(path))
    fixed = path.read_text()
    assert "RUN rm -rf" not in fixed and "gcc && rm -rf /var/lib/apt/lists/*\n" in fixed


def test_ignore_option_and_config(project):
    out = run("check", "--ignore", "DL3007,multiple-cmd", str(project / "Dockerfile"))[1]
    assert "DL3007" not in out and "DL4003" not in out and "DF100" in out
    (project / ".hadolint.yaml").write_text("ignored: [DF100]\n")
    assert "DF100" not in run("check", str(project / "Dockerfile"))[1]


def test_usage_errors_exit_2(project):
    code, _, err = run("check", str(project / "missing"))
    assert code == 2 and "missing" in err
    (project / ".dockerls.yaml").write_text("severity: {DL3007: loud}\n")
    code, _, err = run("check", str(project / "Dockerfile"))
    assert code == 2 and ".dockerls.yaml" in err and "severity.DL3007" in err and "Traceback" not in err
    assert run("check", "--format", "xml")[0] == 2
    assert run("explain", "NOPE")[0] == 2


def test_unreadable_file_exits_2(project):
    target = project / "Dockerfile.dir"
    target.mkdir()
    code, _, err = run("check", str(target / "x" / "Dockerfile"))
    assert code == 2 and "Dockerfile" in err


def test_rules_and_explain():
    code, out, _ = run("rules", "--format", "json")
    rules = json.loads(out)
    by_code = {r["code"]: r for r in rules}
    assert by_code["DL3007"]["hadolint"] == "DL3007" and by_code["DF100"]["fixable"] is True
    assert by_code["DL4003"]["buildkit"] == "MultipleInstructionsDisallowed"
    code, out, _ = run("explain", "cleanup-in-separate-layer")
    assert code == 0 and out.startswith("DF100 cleanup-in-separate-layer [warning]") and "## Why" in out
    assert run("explain", "MultipleInstructionsDisallowed")[1].startswith("DL")


def test_parse_dump():
    code, out, _ = run("parse", "-", stdin="FROM a:1\nRUN echo hi\n")
    assert code == 0 and out == '(from "a:1")\n(run "echo hi")\n'


def test_binary_file_is_reported_not_crashed_on(tmp_path):
    (tmp_path / "Dockerfile").write_bytes(b"\x7fELF\x00\x00\x01")
    code, out, err = run("check", str(tmp_path / "Dockerfile"))
    assert code == 1 and "DF001" in out and "Traceback" not in err


def test_compose_file_also_checks_the_dockerfiles_it_builds(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    build: {context: ./app, target: runtime}\n    image: example/web:1.0\n"
        "  worker:\n    build: {context: ./app, target: tools}\n    image: example/worker:1.0\n")
    (tmp_path / "app" / "Dockerfile").write_text(
        "FROM debian:12 AS base\nFROM base AS tools\nRUN pip install --no-cache-dir requests\n"
        "FROM base AS runtime\nUSER 1000\nCMD [\"sh\"]\nFROM node AS unused\n")
    code, out, _ = run("check", "--no-cache", str(tmp_path / "compose.yaml"))
    assert code == 1
    lines = out.splitlines()
    assert any("app/Dockerfile:3:" in line and "DL3013" in line and "(only matters for service worker)" in line
               for line in lines), out
    assert any("app/Dockerfile:7:6: DL3006" in line and "(no compose service builds this stage)" in line
               for line in lines), out
