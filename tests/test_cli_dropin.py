"""`dockerls ARGS` without a command is `dockerls check ARGS` (hadolint's command lines work with only
the program's name changed); the server starts on `serve`, on a server option, or without arguments
when standard input is not a terminal (editors); on a terminal, no arguments print the help."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dockerls.cli import command_line, describe_configuration
from dockerls.config import Config
from dockerls.finding import Severity


@pytest.mark.parametrize("args,expected", [
    (["Dockerfile"], ("cli", ["check", "Dockerfile"])),
    (["-f", "json", "-t", "warning", "Dockerfile"], ("cli", ["check", "-f", "json", "-t", "warning", "Dockerfile"])),
    (["-"], ("cli", ["check", "-"])),
    (["--config", "x.yaml", "a/Dockerfile", "b/Dockerfile"],
     ("cli", ["check", "--config", "x.yaml", "a/Dockerfile", "b/Dockerfile"])),
    (["-V", "Dockerfile"], ("cli", ["check", "-V", "Dockerfile"])),
    (["-v"], ("cli", ["check", "-v"])),
    (["--check", "."], ("cli", ["check", "."])),
    (["check", "."], ("cli", ["check", "."])),
    (["rules"], ("cli", ["rules"])),
    (["explain", "DL3007"], ("cli", ["explain", "DL3007"])),
    (["--version"], ("cli", ["--version"])),
    (["--help"], ("cli", ["--help"])),
    (["serve"], ("serve", [])),
    (["serve", "--tcp", "127.0.0.1:2087"], ("serve", ["--tcp", "127.0.0.1:2087"])),
    (["--tcp", "127.0.0.1:2087"], ("serve", ["--tcp", "127.0.0.1:2087"])),
    (["--log-level=DEBUG"], ("serve", ["--log-level=DEBUG"])),
])
def test_what_a_command_line_does(args, expected):
    assert command_line(args, stdin_is_terminal=True) == expected
    assert command_line(args, stdin_is_terminal=False) == expected


def test_no_arguments_help_on_a_terminal_the_server_otherwise():
    assert command_line([], stdin_is_terminal=True) == ("help", [])
    assert command_line([], stdin_is_terminal=False) == ("serve", [])


def _run(args, **kw):
    env = dict(os.environ, XDG_CACHE_HOME=kw.pop("cache"))
    return subprocess.run([sys.executable, "-m", "dockerls", *args], capture_output=True, text=True, env=env,
                          timeout=120, **kw)


def test_a_hadolint_command_line_checks(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM debian:latest\nUSER 1000\n")
    done = _run(["-f", "json", "-t", "warning", "Dockerfile"], cwd=tmp_path, cache=str(tmp_path / "c"))
    assert done.returncode == 1, done.stderr
    assert '"code": "DL3007"' in done.stdout.replace('":"', '": "')
    done = _run(["-"], cwd=tmp_path, cache=str(tmp_path / "c"), input="FROM debian:12\nUSER 1000\nCMD [\"x\"]\n")
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_arguments_with_a_pipe_for_standard_input_is_the_server(tmp_path):
    """An editor starts ``dockerls`` with pipes: it must answer LSP, not print help."""
    proc = subprocess.Popen([sys.executable, "-m", "dockerls"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=dict(os.environ, XDG_CACHE_HOME=str(tmp_path)))
    try:
        body = b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{},"processId":null,"rootUri":null}}'
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        proc.stdin.flush()
        header = proc.stdout.readline()
        assert header.startswith(b"Content-Length:"), header
    finally:
        proc.kill()
        proc.communicate(timeout=30)


def test_verbose_prints_the_configuration_as_hadolint_does():
    config = Config(ignored=frozenset({"dl3007"}), severity={"dl3059": Severity.ERROR},
                    failure_threshold=Severity.WARNING, label_schema={"maintainer": "text"},
                    trusted_registries=("docker.io",), source="/p/.hadolint.yaml")
    text = describe_configuration(config, output_format="json")
    assert text.splitlines() == [
        '"Configuration file used: /p/.hadolint.yaml"', "Configuration:", "  no fail: False", "  no color: False",
        "  output format:", "    - json", "  failure threshold: warning", "  override error:", '    - "DL3059"',
        "  override warning:", "    none", "  override info:", "    none", "  override style:", "    none",
        "  override ignore:", '    - "DL3007"', "  strict labels: False", "  label schema:", "    - maintainer: text",
        "  disable ignore pragma: False", "  allowed registries:", "    - - docker.io"]
    assert describe_configuration(Config()).startswith(
        '"No configuration was specified. Using default configuration"\nConfiguration:\n')
