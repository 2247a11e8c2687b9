"""The persistent ShellCheck cache (dockerls.lint.shellcheck_cache) and the prefetch of a check:
a script ShellCheck has answered is never given to it again, in this process or the next, and a
check of many files starts a few ShellCheck processes, not one per file; the findings stay the same."""

from __future__ import annotations

import json

import pytest

from dockerls.lint import shellcheck, shellcheck_cache
from dockerls.lint.shellcheck import shellcheck_findings
from dockerls.parse.dockerfile import parse_dockerfile

needs_shellcheck = pytest.mark.skipif(shellcheck.find_shellcheck() is None, reason="shellcheck is not installed")

TEXT = "FROM debian:12\nRUN cd /a; ls\nRUN echo $undefined_x\n"


@pytest.fixture
def calls(monkeypatch, tmp_path):
    """The ShellCheck command lines run; an empty cache and memory."""
    (tmp_path / "shellcheck").mkdir()
    monkeypatch.setattr(shellcheck_cache, "_folder", tmp_path / "shellcheck")
    monkeypatch.delenv(shellcheck_cache.ENV_SWITCH, raising=False)
    monkeypatch.setattr(shellcheck, "_MEMO", {})
    seen: list[list[str]] = []
    real = shellcheck.subprocess.Popen

    def counting(command, **kwargs):
        seen.append(command)
        return real(command, **kwargs)

    monkeypatch.setattr(shellcheck.subprocess, "Popen", counting)
    return seen


def findings(text=TEXT):
    return [(f.code, f.range.start.line, f.range.start.character, f.message)
            for f in shellcheck_findings(parse_dockerfile(text, "Dockerfile"), "Dockerfile")]


@needs_shellcheck
def test_the_next_process_asks_the_persistent_cache(calls, monkeypatch, tmp_path):
    first = findings()
    assert first and len(calls) == 1
    entries = list((tmp_path / "shellcheck").glob("*/*.shellcheck"))
    assert len(entries) == 2
    assert all("file" not in c for e in entries for c in json.loads(e.read_text()))  # no temporary names
    monkeypatch.setattr(shellcheck, "_MEMO", {})  # as a new process
    assert findings() == first
    assert len(calls) == 1


@needs_shellcheck
def test_switched_off_or_unreadable_the_cache_only_costs_the_saving(calls, monkeypatch, tmp_path):
    first = findings()
    for entry in (tmp_path / "shellcheck").glob("*/*.shellcheck"):
        entry.write_text("{not json")
    monkeypatch.setattr(shellcheck, "_MEMO", {})
    assert findings() == first and len(calls) == 2
    monkeypatch.setenv(shellcheck_cache.ENV_SWITCH, "0")
    monkeypatch.setattr(shellcheck, "_MEMO", {})
    assert findings() == first and len(calls) == 3


def test_the_key_holds_the_program_its_options_and_the_script(tmp_path):
    one, other = tmp_path / "one", tmp_path / "other"
    one.write_text("a")
    other.write_text("bb")
    key = shellcheck_cache.key(str(one), ("--format=json1",), "#!/bin/sh\nls\n")
    assert key == shellcheck_cache.key(str(one), ("--format=json1",), "#!/bin/sh\nls\n")
    assert key != shellcheck_cache.key(str(other), ("--format=json1",), "#!/bin/sh\nls\n")
    assert key != shellcheck_cache.key(str(one), ("--format=json",), "#!/bin/sh\nls\n")
    assert key != shellcheck_cache.key(str(one), ("--format=json1",), "#!/bin/bash\nls\n")


@needs_shellcheck
def test_prefetch_checks_every_files_scripts_in_a_few_processes(calls):
    files = [(f"FROM debian:12\nRUN cd /{n}; ls\nRUN echo {n}\n", f"{n}.Dockerfile") for n in range(6)]
    alone = {}
    for text, path in files:
        alone[path] = findings(text)
    shellcheck._MEMO.clear()
    for entry in shellcheck_cache.folder().glob("*/*.shellcheck"):  # type: ignore[union-attr]
        entry.unlink()
    calls.clear()
    assert shellcheck.prefetch(files, processes=2) == 12
    assert len(calls) == 2
    assert {path: findings(text) for text, path in files} == alone
    assert len(calls) == 2  # the lint of each file found its answers
    assert shellcheck.prefetch(files, processes=2) == 0


@needs_shellcheck
def test_a_check_keeps_the_answers_beside_its_result_cache_and_not_without_one(tmp_path, monkeypatch):
    from dockerls.check import CheckOptions, run

    monkeypatch.setattr(shellcheck, "_MEMO", {})
    for n in range(2):
        (tmp_path / f"{n}.Dockerfile").write_text(f"FROM debian:12\nRUN cd /{n}; ls\n")
    files = [str(tmp_path / f"{n}.Dockerfile") for n in range(2)]
    run(CheckOptions(paths=files, cache=False, jobs=1))
    assert shellcheck_cache.folder() is None
    shellcheck._MEMO.clear()  # as a new process
    result = run(CheckOptions(paths=files, cache_dir=str(tmp_path / "cache"), jobs=1))
    assert [f.code for r in result.results for f in r.findings if f.code.startswith("SC")] == ["SC2164", "SC2164"]
    assert len(list((tmp_path / "cache").glob("*/shellcheck/*/*.shellcheck"))) == 2
