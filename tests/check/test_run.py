"""``dockerls.check.run`` without the command line: options in, a result out, nothing printed."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockerls.check import CheckOptions, CheckResult, run
from dockerls.check.run import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from dockerls.finding import Severity

BAD = "FROM python:latest\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\n" \
      "RUN rm -rf /var/lib/apt/lists/*\nCMD [\"a\"]\nCMD [\"b\"]\n"
FIXED_RUN = "gcc && rm -rf /var/lib/apt/lists/*\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the configuration search stops here
    (tmp_path / "Dockerfile").write_text(BAD)
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "Dockerfile").write_text("FROM alpine:3.20\nUSER 65534\nCMD [\"sh\"]\n")
    return tmp_path


@pytest.fixture(autouse=True)
def prints_nothing(capsys):
    yield
    assert capsys.readouterr() == ("", "")


def check(*paths: Path | str, **options) -> CheckResult:
    options.setdefault("cache", False)
    return run(CheckOptions(paths=[str(p) for p in paths], **options))


def test_results_in_discovery_order_and_the_exit_code(project):
    result = check(project)
    assert [Path(r.path) for r in result.results] == [project / "Dockerfile", project / "ok" / "Dockerfile"]
    assert {"DL3007", "DF100", "DL4003"} <= {f.code for f in result.results[0].findings}
    assert result.results[1].findings == []
    assert (result.errors, result.exit_code, result.fixed, result.stdout_taken) == ([], EXIT_FINDINGS, [], False)
    assert check(project / "ok").exit_code == EXIT_OK


def test_failure_threshold_and_no_fail(project):
    assert check(project, failure_threshold="error").exit_code == EXIT_OK
    # `none` (and `ignore`) mean what they mean in hadolint: below style, so any finding fails
    # (they meant "never fail" before; --no-fail is that).
    assert check(project, failure_threshold="none").exit_code == EXIT_FINDINGS
    assert check(project, failure_threshold="ignore").exit_code == EXIT_FINDINGS
    assert check(project, no_fail=True).exit_code == EXIT_OK
    (project / ".dockerls.yaml").write_text("failure-threshold: error\n")
    assert check(project).exit_code == EXIT_OK
    assert check(project, failure_threshold="warning").exit_code == EXIT_FINDINGS


def test_ignore_items_may_hold_several_codes(project):
    result = check(project / "Dockerfile", ignore=["DL3007,multiple-cmd"])
    found = {f.code for f in result.results[0].findings}
    assert "DL3007" not in found and "DL4003" not in found and "DF100" in found


def test_errors_end_the_run_with_exit_2(project):
    for result in (check(project / "missing"),
                   check(project, unsafe_fixes=True),
                   check(project, config_file=str(project / "nope.yaml"))):
        assert result.exit_code == EXIT_USAGE and result.errors and result.results == []
    (project / ".dockerls.yaml").write_text("severity: {DL3007: loud}\n")
    result = check(project / "Dockerfile")
    assert result.exit_code == EXIT_USAGE and "severity.DL3007" in result.errors[0]


def test_diff_computes_the_fixes_and_writes_nothing(project):
    path = project / "Dockerfile"
    result = check(path, diff=True)
    assert path.read_text() == BAD and result.stdout_taken
    [fixed] = result.fixed
    assert (fixed.path, fixed.original) == (str(path), BAD) and FIXED_RUN in fixed.text
    assert result.results[0].text == fixed.text


def test_fix_writes_the_file(project):
    path = project / "Dockerfile"
    result = check(path, fix=True)
    assert FIXED_RUN in path.read_text() and "RUN rm -rf" not in path.read_text()
    assert [f.path for f in result.fixed] == [str(path)] and not result.stdout_taken
    assert "DF100" not in {f.code for f in result.results[0].findings}


def test_standard_input_with_a_file_name_and_its_kind():
    result = check("-", stdin=b"FROM ubuntu\n", stdin_filename="app/Dockerfile")
    assert [(r.path, r.kind) for r in result.results] == [("app/Dockerfile", "dockerfile")]
    assert "DL3006" in {f.code for f in result.results[0].findings}
    compose = check("-", stdin=b'services:\n  a:\n    image: x\n    ports: ["80:80", "80:80"]\n',
                    stdin_filename="deploy/compose.yaml")
    assert compose.results[0].kind == "compose" and compose.exit_code == EXIT_FINDINGS


def test_fixing_standard_input_leaves_the_text_to_the_caller(project):
    result = check("-", stdin=BAD.encode(), stdin_filename="Dockerfile", fix=True)
    assert result.stdout_taken and [f.path for f in result.fixed] == ["-"] and FIXED_RUN in result.fixed[0].text
    assert (project / "Dockerfile").read_text() == BAD


def test_the_cache_answers_the_second_run(project, tmp_path):
    cache_dir = tmp_path / "cache"
    first = check(project, cache=True, cache_dir=str(cache_dir))
    assert cache_dir.is_dir()
    second = check(project, cache=True, cache_dir=str(cache_dir))
    assert [[(f.code, f.message) for f in r.findings] for r in second.results] == \
           [[(f.code, f.message) for f in r.findings] for r in first.results]
    assert second.exit_code == first.exit_code == EXIT_FINDINGS


def test_without_the_cache_nothing_is_written(project, tmp_path):
    check(project, cache=False, cache_dir=str(tmp_path / "cache"))
    assert not (tmp_path / "cache").exists()


def test_a_compose_file_brings_the_dockerfiles_it_builds(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "compose.yaml").write_text(
        "services:\n  web:\n    build: {context: ./app, target: runtime}\n    image: example/web:1.0\n"
        "  worker:\n    build: {context: ./app, target: tools}\n    image: example/worker:1.0\n")
    (tmp_path / "app" / "Dockerfile").write_text(
        "FROM debian:12 AS base\nFROM base AS tools\nRUN pip install --no-cache-dir requests\n"
        "FROM base AS runtime\nUSER 1000\nCMD [\"sh\"]\nFROM node AS unused\n")
    result = check(tmp_path / "compose.yaml")
    assert [r.kind for r in result.results] == ["compose", "dockerfile"]
    messages = [f.message for f in result.results[1].findings]
    assert any(m.endswith("(only matters for service worker)") for m in messages)
    assert any(m.endswith("(no compose service builds this stage)") for m in messages)
    unbuilt = [f for f in result.results[1].findings if f.message.endswith("(no compose service builds this stage)")]
    assert unbuilt and all(f.severity <= Severity.INFO for f in unbuilt)  # DL3006 (a warning) in `unused`
    assert any(f.code == "DL3006" and f.severity == Severity.INFO for f in unbuilt)


def test_many_files_in_worker_processes_give_the_same_results(tmp_path):
    (tmp_path / ".git").mkdir()
    for i in range(40):
        (tmp_path / f"d{i:02}").mkdir()
        (tmp_path / f"d{i:02}" / "Dockerfile").write_text(BAD if i % 2 else "FROM alpine:3.20\nUSER 1\nCMD [\"sh\"]\n")
    one = check(tmp_path, jobs=1)
    many = check(tmp_path, jobs=2)
    assert [(r.path, [f.code for f in r.findings]) for r in many.results] == \
           [(r.path, [f.code for f in r.findings]) for r in one.results]
