"""Emacs (Debian's 28, batch) with Eglot and editor-clients/emacs/dockerls.el: Flymake shows the
dockerls server's diagnostics for a Dockerfile (dockerfile-mode) and a compose file
(dockerls-compose-mode), `dockerls-settings' reach the server, and the progress handler echoes
work-done progress.  Skipped when emacs or eglot is not installed (tests/setup/30-editors.sh
installs emacs-nox and elpa-eglot)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.editors._support import make_project, run_editor

EMACS = shutil.which("emacs")
DRIVER = Path(__file__).with_name("emacs_test.el")
BATCH = ["--batch", "-q", "--no-site-file"]  # not -Q: it drops site-lisp, where Debian's elpa-* live


def _has_eglot() -> bool:
    if EMACS is None:
        return False
    done = subprocess.run([EMACS, *BATCH, "--eval", "(progn (require 'package) (package-initialize) "
                           "(kill-emacs (if (locate-library \"eglot\") 0 1)))"],
                          capture_output=True, timeout=60, stdin=subprocess.DEVNULL)
    return done.returncode == 0


pytestmark = [pytest.mark.skipif(EMACS is None, reason="emacs is not installed (apt-get install emacs-nox)"),
              pytest.mark.skipif(EMACS is not None and not _has_eglot(),
                                 reason="eglot is not installed (apt-get install elpa-eglot)")]


@pytest.fixture(scope="module")
def emacs_run(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("emacs"))
    home = project / ".home"
    home.mkdir()
    return run_editor([EMACS, *BATCH, "-l", str(DRIVER)], project, "emacs", 150, HOME=str(home))


def test_dockerfile_diagnostics(emacs_run):
    dockerfile = emacs_run["Dockerfile"]
    assert dockerfile["mode"] == "dockerfile-mode"
    assert dockerfile["attached"] and dockerfile["class"] == "dockerls-eglot-server"
    assert dockerfile["language_id"] == "dockerfile"
    codes = {d["code"] for d in dockerfile["diagnostics"]}
    assert "DL3007" in codes, dockerfile
    assert next(d["line"] for d in dockerfile["diagnostics"] if d["code"] == "DL3007") == 0
    assert "DL3059" not in codes, dockerfile  # dockerls-settings (initializationOptions) reached the server


def test_compose_diagnostics(emacs_run):
    compose = emacs_run["compose.yaml"]
    assert compose["mode"] == "dockerls-compose-mode"
    assert compose["attached"] and compose["language_id"] == "dockercompose"
    if not compose["diagnostics"]:
        pytest.xfail("the language server publishes no compose diagnostics yet")
    codes = {d["code"] for d in compose["diagnostics"]}
    assert codes & {"DC118", "DC117"}, compose


def test_progress_and_commands(emacs_run):
    result = emacs_run["_"]
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
