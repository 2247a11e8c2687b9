"""The VS Code extension builds from `npm ci`: tsc (strict) compiles it, its unit tests
(node:test, no VS Code) pass, and `vsce package` makes a .vsix with the compiled code and the
language client in it.  Skipped when node/npm are missing or too old, or the npm registry cannot be
reached.

`npm ci`, most of the build's time, is skipped when node_modules is already what it installed from
this package.json and package-lock.json (ci.sh keeps a stamp of them; set
DOCKERLS_REUSE_NODE_MODULES=0 to install afresh anyway)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile

import pytest

from tests.editors._support import CLIENTS

EXTENSION = CLIENTS / "vscode"
NODE, NPM = shutil.which("node"), shutil.which("npm")


def _node_major() -> int:
    try:
        out = subprocess.run([NODE, "--version"], capture_output=True, text=True, timeout=30).stdout
        return int(out.strip().lstrip("v").split(".")[0])
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return 0


def _registry_reachable() -> str | None:
    """None when `npm ping` answers, else why not."""
    try:
        done = subprocess.run([NPM, "ping"], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return "npm ping timed out"
    return None if done.returncode == 0 else f"npm ping failed: {done.stderr.strip()[-300:]}"


@pytest.fixture(scope="module")
def ci_run():
    if NODE is None or NPM is None:
        pytest.skip("node/npm are not installed (the VS Code extension needs Node.js 20 or newer)")
    if _node_major() < 20:
        pytest.skip(f"Node.js {_node_major()} is too old: @vscode/vsce 3 needs 20 or newer")
    if (why := _registry_reachable()) is not None:
        pytest.skip(f"the npm registry cannot be reached ({why})")
    env = {"DOCKERLS_REUSE_NODE_MODULES": "1", **os.environ}
    done = subprocess.run(["bash", str(EXTENSION / "ci.sh")], capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL, env=env)
    assert done.returncode == 0, f"ci.sh failed ({done.returncode}):\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done


def test_unit_tests_pass(ci_run):
    # node:test's summary (TAP, or the spec reporter's "ℹ pass N")
    out = ci_run.stdout
    passed = [int(n) for n in re.findall(r"^(?:# |ℹ )pass (\d+)$", out, re.M)]
    failed = [int(n) for n in re.findall(r"^(?:# |ℹ )fail (\d+)$", out, re.M)]
    assert passed and passed[-1] > 10, out[-2000:]
    assert failed == [0], out[-2000:]


def test_vsix_contents(ci_run):
    vsix = EXTENSION / "dockerls.vsix"
    assert vsix.exists()
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("extension/package.json"))
    for name in ("extension/out/extension.js", "extension/out/lookup.js", "extension/out/config.js",
                 "extension/node_modules/vscode-languageclient/package.json", "extension/LICENSE.txt",
                 "extension/readme.md"):
        assert name in names, name
    assert not any(n.startswith(("extension/src/", "extension/out/test/")) for n in names)
    assert not any(n.startswith("extension/node_modules/typescript/") for n in names)  # dev dependencies stay out
    assert manifest["main"] == "./out/extension.js"
    assert "onLanguage:dockerfile" in manifest["activationEvents"]
