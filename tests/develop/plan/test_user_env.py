"""userEnvProbe's pure parts: the shell's command, its output, PATH, the user's shell."""

import json

import pytest

from dockerls.develop.plan.user_env import (
    login_shell,
    merge_paths,
    parse_probe_output,
    probe_argv,
    probed_environment,
)
from dockerls.develop.plan.workspace import make_plan

MARK = "0123abcd"


@pytest.mark.parametrize("probe, flag", [("loginInteractiveShell", "-lic"), ("loginShell", "-lc"),
                                         ("interactiveShell", "-ic")])
def test_the_shell_runs_with_the_probe_s_flags(probe, flag):
    argv = probe_argv("/bin/bash", probe, MARK)
    assert argv == ["/bin/bash", flag, f"echo -n {MARK}; cat /proc/self/environ; echo -n {MARK}"]


def test_none_runs_nothing_and_powershell_gets_its_flags():
    assert probe_argv("/bin/bash", "none", MARK) is None
    assert probe_argv("/usr/bin/pwsh", "loginShell", MARK)[:3] == ["/usr/bin/pwsh", "-Login", "-Command"]
    assert probe_argv("/usr/bin/pwsh", "interactiveShell", MARK)[:2] == ["/usr/bin/pwsh", "-Command"]


def test_the_environment_between_the_marks():
    raw = f"motd line\n{MARK}A=1\0B=x=y\0PWD=/root\0EMPTY=\0{MARK}bye".encode()
    assert parse_probe_output(raw, MARK) == {"A": "1", "B": "x=y", "EMPTY": ""}  # PWD dropped


@pytest.mark.parametrize("raw", [b"", f"{MARK}A=1".encode(), b"no marks", f"{MARK}{MARK}".encode()])
def test_a_failed_probe_gives_none(raw):
    assert parse_probe_output(raw, MARK) is None


def test_the_container_s_path_entries_are_merged_in():
    assert merge_paths("/home/dev/.local/bin:/usr/bin:/bin", "/usr/local/bin:/usr/bin:/opt/x/bin:/bin", False) == \
        "/usr/local/bin:/home/dev/.local/bin:/usr/bin:/opt/x/bin:/bin"
    assert merge_paths("/usr/bin", "/usr/local/sbin:/usr/bin:/sbin", False) == "/usr/bin"  # sbin: root only
    assert merge_paths("/usr/bin", "/usr/local/sbin:/usr/bin:/sbin", True) == "/usr/local/sbin:/usr/bin:/sbin"
    env = probed_environment({"PATH": "/a", "X": "1"}, {"PATH": "/b"}, "dev")
    assert env == {"PATH": "/b:/a", "X": "1"}


def test_the_user_s_login_shell():
    passwd = "root:x:0:0:root:/root:/bin/bash\ndev:x:1000:1000::/home/dev:/bin/zsh\nnoshell:x:7:7::/:\n"
    assert login_shell(passwd, "dev") == "/bin/zsh"
    assert login_shell(passwd, "1000:1000") == "/bin/zsh"
    assert login_shell(passwd, None) == "/bin/bash"
    assert login_shell(passwd, "noshell") == "/bin/sh"
    assert login_shell("", "dev") == "/bin/sh"


def _plan(tmp_path, config):
    path = tmp_path / ".devcontainer" / "devcontainer.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config))
    return make_plan(str(tmp_path))


def test_the_plan_s_probe(tmp_path):
    assert _plan(tmp_path, {"image": "x"}).user_env_probe == "loginInteractiveShell"  # the default
    assert _plan(tmp_path, {"image": "x", "userEnvProbe": "none"}).user_env_probe == "none"
    plan = _plan(tmp_path, {"image": "x", "userEnvProbe": "bash"})
    assert plan.user_env_probe == "loginInteractiveShell"
    assert next(p for p in plan.problems if p.key == "userEnvProbe").severity == "info"  # DV006's warning in check


def test_a_folder_without_devcontainer_json_is_not_probed(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    assert make_plan(str(tmp_path)).user_env_probe == "none"
