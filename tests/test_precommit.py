"""The pre-commit hooks (.pre-commit-hooks.yaml): which files they pass, and a real run through
``pre-commit try-repo`` on a sample repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dockerls.discover import COMPOSE, DOCKERFILE, kind_of

ROOT = Path(__file__).resolve().parent.parent
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())

NAMES = [
    "Dockerfile", "dockerfile", "Containerfile", "Dockerfile.prod", "Dockerfile-dev", "Dockerfile_ci",
    "app.Dockerfile", "prod_Dockerfile", "api-Containerfile", "x/y/Dockerfile", "DOCKERFILE.alpine",
    "Dockerfile.md", "Dockerfile.sh", "Dockerfile-dev.bak", "Dockerfile.j2", "Dockerfile.dockerignore",
    "Dockerfile.yml", "app.Dockerfile.md", "Dockerfiles", "MyDockerfile", "README.md", "Makefile",
    "compose.yaml", "compose.yml", "compose.prod.yaml", "docker-compose.yml", "docker-compose.override.yml",
    "docker-compose-prod.yml", "docker-compose_ci.yaml", "Docker-Compose.YML", "deploy/compose.yaml",
    "composer.yaml", "my-compose.yml", "compose.json", "docker-compose.yml.bak", ".devcontainer/devcontainer.json",
]


def selected(hook: dict, name: str) -> bool:
    return bool(re.search(hook["files"], name)) and not re.search(hook.get("exclude", "^$"), name)


@pytest.mark.parametrize("hook_id", ["dockerls", "dockerls-fix"])
def test_hook_selects_what_dockerls_discovers(hook_id):
    hook = next(h for h in HOOKS if h["id"] == hook_id)
    assert hook["language"] == "python" and hook["types"] == ["file"]
    assert hook["entry"] == ("dockerls check" if hook_id == "dockerls" else "dockerls check --fix")
    wrong = [n for n in NAMES if selected(hook, n) != (kind_of(n) in (DOCKERFILE, COMPOSE))]
    assert not wrong


GIT_IDENTITY = {"GIT_AUTHOR_NAME": "test", "GIT_AUTHOR_EMAIL": "test@example.invalid",
                "GIT_COMMITTER_NAME": "test", "GIT_COMMITTER_EMAIL": "test@example.invalid"}


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_IDENTITY})


def _snapshot(target: Path) -> Path:
    """This working tree as pre-commit would fetch it: a git repository whose last commit holds the
    files pip installs and the hook manifest, committed or not yet (try-repo on a dirty tree only
    takes tracked files)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    wanted = [p for p in listed if p and (p.startswith("dockerls/") or p in (
        "pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "LICENSE", "setup.cfg", "setup.py"))]
    for rel in wanted:
        source = ROOT / rel
        if source.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    _git("init", "-q", cwd=target)
    _git("add", "-A", cwd=target)
    _git("commit", "-q", "-m", "snapshot", cwd=target)
    return target


def hook_outputs(stdout: str) -> dict[str, str]:
    """What ``pre-commit run`` printed for each hook, by hook id (from its title line to the next)."""
    sections: dict[str, str] = {}
    for block in re.split(r"^(?=\S.*?\.{3,}(?:Passed|Failed|Skipped)$)", stdout, flags=re.M):
        hook_id = re.search(r"^- hook id: (\S+)$", block, re.M)
        if hook_id:
            sections[hook_id.group(1)] = block
    return sections


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_try_repo(tmp_path):
    """`pre-commit try-repo` installs dockerls from this repository into its own virtualenv (pip
    fetches the dependencies) and runs the hooks on a sample repository.  One run, without a hook
    id, runs every hook of the manifest (in the order of their ids: dockerls, then dockerls-fix):
    try-repo makes a new store each time, so each run pays for the virtualenv again."""
    pytest.importorskip("pre_commit", reason="pip install pre-commit (a test dependency)")
    env = dict(os.environ, **GIT_IDENTITY, PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
               PRE_COMMIT_COLOR="never", PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.pop("DOCKERLS_CACHE_DIR", None)
    source = _snapshot(tmp_path / "dockerls-src")
    sample = tmp_path / "sample"
    (sample / "docs").mkdir(parents=True)
    (sample / "Dockerfile").write_text("FROM python:latest\nRUN apt-get update && apt-get install -y gcc\n"
                                       "RUN rm -rf /var/lib/apt/lists/*\nUSER 1000\n")
    (sample / "docs" / "Dockerfile.md").write_text("# Not a Dockerfile\n\nFROM nothing:latest\n")
    (sample / "compose.yaml").write_text('services:\n  web:\n    image: nginx:1.27\n    ports: ["80:80", "80:80"]\n')
    _git("init", "-q", cwd=sample)
    _git("add", "-A", cwd=sample)
    _git("commit", "-q", "-m", "sample", cwd=sample)

    done = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(source), "--all-files"],
                          cwd=sample, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 1, done.stdout + done.stderr
    hooks = hook_outputs(done.stdout)
    assert sorted(hooks) == sorted(h["id"] for h in HOOKS), done.stdout

    lint = hooks["dockerls"]
    assert "Failed" in lint.splitlines()[0], lint
    assert "Dockerfile:1:13: DL3007 [warning]" in lint
    assert "compose.yaml:4:" in lint  # the duplicate port
    assert "Dockerfile.md" not in done.stdout  # documentation is not passed to the hooks

    fix = hooks["dockerls-fix"]
    assert "files were modified by this hook" in fix, fix
    fixed = (sample / "Dockerfile").read_text()
    assert "gcc && rm -rf /var/lib/apt/lists/*" in fixed and "RUN rm -rf" not in fixed
