"""End to end: a compose project, an app that depends on a second (healthy) service."""

import socket

from dockerls.develop import service
from tests.develop.helpers import CancelOn, cat, develop, managed

KEEP_RUNNING = "trap 'exit 0' TERM; while sleep 1 & wait $$!; do :; done"


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


def test_compose_service_with_a_healthy_dependency(clean_engine, base_image, project):
    engine = clean_engine
    port = _project(project, base_image)
    name = project.name  # the compose project name: the folder's name
    result = develop(engine, project, service="app")
    assert result.ok, result.message
    assert [c["name"] for c in result.containers] == [f"{name}-db-1", f"{name}-app-1"]  # dependency first
    app = engine.api.inspect_container(result.container_id)
    db = engine.api.inspect_container(f"{name}-db-1")
    assert app["State"]["Running"] and db["State"]["Health"]["Status"] == "healthy"
    for attrs, service_name in ((app, "app"), (db, "db")):
        labels = attrs["Config"]["Labels"]
        assert labels["com.docker.compose.project"] == name
        assert labels["com.docker.compose.service"] == service_name
        assert labels["com.docker.compose.oneoff"] == "False"
        assert labels["com.docker.compose.container-number"] == "1"
        assert list(attrs["NetworkSettings"]["Networks"]) == [f"{name}_default"]
        assert service_name in attrs["NetworkSettings"]["Networks"][f"{name}_default"]["Aliases"]
    assert app["HostConfig"]["PortBindings"] == {"8080/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]}
    assert "DB_HOST=db" in app["Config"]["Env"]
    assert [m["Name"] for m in db["Mounts"] if m["Type"] == "volume"] == [f"{name}_data"]
    assert result.remote_workspace_folder == "/src"  # where the service mounts the folder
    (project / "code.py").write_text("print('hi')")
    assert cat(engine, result.container_id, "/src/code.py") == "print('hi')"
    assert any("restart is not applied" in p.message for p in result.problems)

    again = develop(engine, project, service="app")
    assert [c["action"] for c in again.containers] == ["reused", "reused"]

    (project / "Dockerfile").write_text((project / "Dockerfile").read_text() + "ENV V=2\n")
    changed = develop(engine, project, service="app")
    assert [c["action"] for c in changed.containers] == ["reused", "recreated"]
    assert "image changed" in changed.reason

    down = service.down(str(project), client=engine)
    assert sorted(c["name"] for c in down.containers) == [f"{name}-app-1", f"{name}-db-1"]
    assert managed(engine, project) == []
    assert engine.api.networks(names=[f"{name}_default"]) == []


def test_compose_failing_build_and_cancel_leave_nothing(clean_engine, base_image, project):
    engine = clean_engine
    _project(project, base_image, dockerfile_extra="RUN false\n")
    failed = develop(engine, project, service="app")
    assert failed.outcome == "error" and "failed (exit 1)" in failed.message  # either builder: the step and its exit code
    assert managed(engine, project) == []

    _project(project, base_image, db_test="test -f /never")
    progress = CancelOn("Waiting for db")
    cancelled = develop(engine, project, service="app", progress=progress, cancel=progress.cancel)
    assert cancelled.outcome == "cancelled"
    assert managed(engine, project) == []
    assert engine.api.networks(names=[f"{project.name}_default"]) == []
