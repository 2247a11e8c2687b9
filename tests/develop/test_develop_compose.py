"""End to end: a compose project, an app that depends on a second (healthy) service, brought up
by Docker Compose (``dockerls develop --service app``)."""

import socket
import subprocess

import pytest

from dockerls.develop import service
from tests.develop.helpers import KEEP_RUNNING, CancelOn, cat, compose_or_skip, develop, managed


@pytest.fixture(autouse=True)
def compose(engine, monkeypatch, tmp_path):
    return compose_or_skip(monkeypatch, tmp_path)


def _project_containers(engine, name: str) -> list[dict]:
    return engine.api.containers(all=True, filters={"label": [f"com.docker.compose.project={name}"]})

def _project(project, base_image, db_test: str = "test -f /tmp/ready", dockerfile_extra: str = "") -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (project / "Dockerfile").write_text(f"FROM {base_image}\nWORKDIR /src\n{dockerfile_extra}")
    (project / "compose.yaml").write_text(f"""
services:
  app:
    build: .
    depends_on:
      db:
        condition: service_healthy
    volumes:
      - .:/src
    environment:
      DB_HOST: db
    ports:
      - "127.0.0.1:{port}:8080"
    command: ["sh", "-c", "echo app-up; {KEEP_RUNNING}"]
    restart: unless-stopped
  db:
    image: {base_image}
    command: ["sh", "-c", "touch /tmp/ready; {KEEP_RUNNING}"]
    healthcheck:
      test: {db_test}
      interval: 200ms
      retries: 50
    volumes:
      - data:/data
volumes:
  data:
""")
    return port


def test_compose_service_with_a_healthy_dependency(clean_engine, base_image, project, compose):
    engine = clean_engine
    port = _project(project, base_image)
    name = project.name  # the compose project name: the folder's name
    try:
        result = develop(engine, project, service="app")
        assert result.ok, result.message
        assert result.container_name == f"{name}-app-1" and result.action == "created"
        app = engine.api.inspect_container(result.container_id)
        db = engine.api.inspect_container(f"{name}-db-1")
        assert app["State"]["Running"] and db["State"]["Health"]["Status"] == "healthy"  # Compose waited for it
        for attrs, service_name in ((app, "app"), (db, "db")):
            labels = attrs["Config"]["Labels"]
            assert labels["com.docker.compose.project"] == name
            assert labels["com.docker.compose.service"] == service_name
            assert labels["com.docker.compose.oneoff"] == "False"
            assert labels["com.docker.compose.container-number"] == "1"
            assert list(attrs["NetworkSettings"]["Networks"]) == [f"{name}_default"]
        assert app["HostConfig"]["PortBindings"] == {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]}
        assert "DB_HOST=db" in app["Config"]["Env"]
        assert [m["Name"] for m in db["Mounts"] if m["Type"] == "volume"] == [f"{name}_data"]
        assert result.remote_workspace_folder == "/src"  # where the service mounts the folder
        (project / "code.py").write_text("print('hi')")
        assert cat(engine, result.container_id, "/src/code.py") == "print('hi')"

        again = develop(engine, project, service="app")
        assert again.action == "reused" and again.container_id == result.container_id

        (project / "Dockerfile").write_text((project / "Dockerfile").read_text() + "ENV V=2\n")
        changed = develop(engine, project, service="app")
        assert changed.ok and changed.action == "recreated", changed.message
        assert "V=2" in engine.api.inspect_container(changed.container_id)["Config"]["Env"]  # built again
        assert engine.api.inspect_container(f"{name}-db-1")["Id"] == db["Id"]  # db left as it was

        down = service.down(str(project), client=engine, remove_volumes=True)
        assert sorted(c["name"] for c in down.containers) == [f"{name}-app-1", f"{name}-db-1"]
        assert managed(engine, project) == [] and _project_containers(engine, name) == []
        assert engine.api.networks(names=[f"{name}_default"]) == []
        assert f"{name}_data" not in [v["Name"] for v in engine.api.volumes()["Volumes"] or []]
    finally:
        subprocess.run([*compose.argv, "-p", name, "down", "--volumes"], capture_output=True, check=False)


def test_compose_failing_build_and_cancel_leave_nothing(clean_engine, base_image, project):
    engine = clean_engine
    _project(project, base_image, dockerfile_extra="RUN false\n")
    failed = develop(engine, project, service="app")
    assert failed.outcome == "error" and "could not start the project" in failed.message
    assert "non-zero code: 1" in failed.message or "exit code: 1" in failed.message  # Compose's words for the step
    assert _project_containers(engine, project.name) == []
    for container in engine.api.containers(all=True, filters={"status": "exited"}):
        if container.get("Command") == "/bin/sh -c false":  # the classic builder keeps a failed step's container
            engine.api.remove_container(container["Id"], force=True)

    _project(project, base_image, db_test="test -f /never")
    progress = CancelOn(": Waiting")  # Compose waits for db to be healthy
    cancelled = develop(engine, project, service="app", progress=progress, cancel=progress.cancel)
    assert cancelled.outcome == "cancelled"
    assert _project_containers(engine, project.name) == []
    assert engine.api.networks(names=[f"{project.name}_default"]) == []
