"""Shared by the editor tests: the server command they give the editors, and the project they open."""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ROOT / "editor-clients"

DOCKERFILE = "FROM node:latest\nRUN npm ci\nRUN npm test\n"
COMPOSE = 'version: "3.8"\nservices:\n  web:\n    image: nginx:latest\n'


@functools.lru_cache(maxsize=None)
def server_command() -> tuple[str, ...]:
    """``dockerls serve`` when the CLI has it (next to this Python first, then on PATH), else
    ``python -m dockerls.lsp.server``."""
    beside = Path(sys.executable).with_name("dockerls")
    for exe in (str(beside) if beside.exists() else None, shutil.which("dockerls")):
        if not exe:
            continue
        try:
            done = subprocess.run([exe, "serve", "--help"], capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return (exe, "serve")
    return (sys.executable, "-m", "dockerls.lsp.server")


def make_project(folder: Path) -> Path:
    """A project folder (its own .git: the configuration search stops there) with a Dockerfile
    and a compose file."""
    (folder / ".git").mkdir()
    (folder / "Dockerfile").write_text(DOCKERFILE)
    (folder / "compose.yaml").write_text(COMPOSE)
    return folder



def run_editor(argv: list[str], project: Path, client: str, timeout: int, **env: str) -> dict:
    """Run a headless editor on the project's Dockerfile and compose.yaml with the client in
    ``editor-clients/<client>``; its driver writes what it saw to a JSON file, returned by file name
    (``"_"``: the whole result)."""
    import json
    import os

    out = project / f"{client}-out.json"
    env = {**os.environ, "DOCKERLS_CLIENT_DIR": str(CLIENTS / client), "DOCKERLS_TEST_OUT": str(out),
           "DOCKERLS_SERVER_CMD": json.dumps(list(server_command())), "DOCKERLS_TEST_TIMEOUT": "20000", **env}
    done = subprocess.run([*argv, "Dockerfile", "compose.yaml"], cwd=project, env=env, capture_output=True,
                          text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    assert out.exists(), f"{argv[0]} wrote nothing (exit {done.returncode}): {done.stdout}\n{done.stderr}"
    result = json.loads(out.read_text())
    assert "error" not in result, f"{result['error']}\n{done.stderr}"
    assert done.returncode == 0, done.stderr
    return {Path(f["file"]).name: f for f in result["files"]} | {"_": result}
