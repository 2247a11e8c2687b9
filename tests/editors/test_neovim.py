"""Neovim (Debian's 0.7, headless) with editor-clients/neovim: diagnostics for a Dockerfile and a
compose file arrive from the dockerls server, the `dockerls` settings reach it, and the progress
handler prints work-done progress.  Skipped when nvim is not installed (tests/setup/30-editors.sh
installs it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.editors._support import make_project, run_editor

NVIM = shutil.which("nvim")
pytestmark = pytest.mark.skipif(NVIM is None, reason="nvim is not installed (apt-get install neovim)")
INIT = Path(__file__).with_name("nvim_init.lua")


@pytest.fixture(scope="module")
def nvim_run(tmp_path_factory):
    """Opens the project's Dockerfile and compose.yaml in headless Neovim; what it saw, as JSON."""
    project = make_project(tmp_path_factory.mktemp("nvim"))
    return run_editor([NVIM, "--headless", "-n", "-i", "NONE", "-u", str(INIT)], project, "neovim", 120,
                      XDG_CONFIG_HOME=str(project / ".config"), XDG_DATA_HOME=str(project / ".data"),
                      XDG_STATE_HOME=str(project / ".state"), XDG_CACHE_HOME=str(project / ".cache"))


def test_dockerfile_diagnostics(nvim_run):
    dockerfile = nvim_run["Dockerfile"]
    assert dockerfile["filetype"] == "dockerfile"
    assert dockerfile["attached"] and dockerfile["client"] == "dockerls_py"
    assert dockerfile["language_id"] == "dockerfile"
    codes = {d["code"] for d in dockerfile["diagnostics"]}
    assert "DL3007" in codes, dockerfile
    line = next(d["line"] for d in dockerfile["diagnostics"] if d["code"] == "DL3007")
    assert line == 0
    # the settings (ignore DL3059, the two consecutive RUNs) reached the server
    assert "DL3059" not in codes, dockerfile


def test_compose_diagnostics(nvim_run):
    compose = nvim_run["compose.yaml"]
    assert compose["filetype"] == "yaml.docker-compose"
    assert compose["attached"] and compose["language_id"] == "dockercompose"
    if not compose["diagnostics"]:
        pytest.xfail("the language server publishes no compose diagnostics yet "
                     "(dockerls/kinds/compose does not lint)")
    codes = {d["code"] for d in compose["diagnostics"]}
    assert codes & {"DC118", "DC117"}, compose  # the obsolete `version:`, the `latest` tag


def test_progress_and_commands(nvim_run):
    result = nvim_run["_"]
    assert result["version"]["major"] == 0 or result["version"]["major"] >= 1
    assert result["progress"] == [
        "dockerls: Develop in Container: building (0%)",
        "dockerls: Develop in Container: step 2/4 (50%)",
        "dockerls: Develop in Container: container up",
    ]
    assert "dockerls: Develop in Container: container up" in result["messages"]
    assert result["commands"] is True
    # :DockerlsLogs / M-x dockerls-logs reached the server and its answer came back
    # The server ran the command: without an engine it answers why, with one it streams the logs.
    assert result["command_reply"] and "dockerls:" in result["command_reply"], result
