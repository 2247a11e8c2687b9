"""End to end: a folder with .devcontainer/devcontainer.json."""

import json
import socket

from dockerls.cli import main
from dockerls.develop import service
from tests.develop.helpers import CancelOn, cat, develop, labels_of, managed


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write(project, config: dict | str) -> str:
    folder = project / ".devcontainer"
    folder.mkdir(exist_ok=True)
    path = folder / "devcontainer.json"
    path.write_text(config if isinstance(config, str) else json.dumps(config, indent=2))
    return str(path)


CONFIG = """{
  // JSON with comments and trailing commas, as editors write it
  "image": "%(image)s",
  "containerEnv": {"GREETING": "hello", "FROM_HOST": "${localEnv:DLS_TEST_UNSET:fallback}"},
  "remoteEnv": {"COMBINED": "${containerEnv:GREETING}-remote"},
  "remoteUser": "dev",
  "mounts": ["type=tmpfs,target=/scratch"],
  "appPort": [%(port)d],
  "runArgs": ["--cap-add=SYS_PTRACE", "--label", "extra=yes", "--device", "/dev/null"],
  "customizations": {"vscode": {}},
  "initializeCommand": "touch init-ran",
  "onCreateCommand": "id -un > /tmp/whoami",
  "postCreateCommand": {"one": "echo $COMBINED >> /tmp/created", "two": ["touch", "/tmp/two"]},
  "postStartCommand": "echo start >> /tmp/starts",
}
"""


def test_devcontainer_image_flow(clean_engine, base_image, project):
    engine = clean_engine
    project.chmod(0o755)  # the remote user (uid 1000) works in the mounted folder
    port = _free_port()
    config_path = _write(project, CONFIG % {"image": base_image, "port": port})
    result = develop(engine, project)
    assert result.ok, result.message
    workspace = f"/workspaces/{project.name}"
    assert (result.remote_user, result.remote_workspace_folder) == ("dev", workspace)
    attrs = engine.api.inspect_container(result.container_id)
    labels = labels_of(engine, result.container_id)
    assert labels["devcontainer.local_folder"] == str(project)
    assert labels["devcontainer.config_file"] == config_path
    assert labels["extra"] == "yes" and labels["dockerls.managed"] == "true"
    assert attrs["HostConfig"]["CapAdd"] == ["SYS_PTRACE"]
    assert attrs["HostConfig"]["PortBindings"] == {f"{port}/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]}
    assert {(m["Type"], m["Destination"]) for m in attrs["Mounts"]} >= {("bind", workspace)}
    assert "FROM_HOST=fallback" in attrs["Config"]["Env"]
    (project / "host.txt").write_text("from the host")
    assert cat(engine, result.container_id, f"{workspace}/host.txt") == "from the host"
    # lifecycle: as the remote user, remoteEnv resolved against the container's environment
    assert cat(engine, result.container_id, "/tmp/whoami") == "dev\n"
    assert cat(engine, result.container_id, "/tmp/created") == "hello-remote\n"
    assert cat(engine, result.container_id, "/tmp/starts") == "start\n"
    # what was not done is said, with the key's position
    problems = {p.key: p for p in result.problems}
    assert (problems["customizations"].range.start.line, problems["customizations"].range.start.character) == (9, 2)
    assert "not supported yet" in problems["runArgs[3]"].message
    assert "initializeCommand was not run" in problems["initializeCommand"].message
    assert not (project / "init-ran").exists()

    again = develop(engine, project)
    assert again.action == "reused" and again.container_id == result.container_id
    assert cat(engine, result.container_id, "/tmp/starts") == "start\n"

    engine.api.stop(result.container_id, timeout=1)
    restarted = develop(engine, project)
    assert restarted.action == "started"
    assert cat(engine, result.container_id, "/tmp/starts") == "start\nstart\n"  # postStart: every start
    assert cat(engine, result.container_id, "/tmp/created") == "hello-remote\n"  # postCreate: once

    _write(project, (CONFIG % {"image": base_image, "port": port}).replace('"hello"', '"changed"'))
    changed = develop(engine, project, allow_host_commands=True)
    assert changed.action == "recreated" and "configuration changed" in changed.reason
    assert cat(engine, changed.container_id, "/tmp/created") == "changed-remote\n"
    assert (project / "init-ran").exists()  # initializeCommand ran on the host when allowed
    assert len(managed(engine, project)) == 1
    assert service.down(str(project), client=engine).ok
    assert managed(engine, project) == []


def test_devcontainer_build_flow(clean_engine, base_image, project):
    engine = clean_engine
    (project / ".devcontainer").mkdir()
    dockerfile = project / ".devcontainer" / "Dockerfile"
    dockerfile.write_text(f"FROM {base_image}\nARG FLAVOUR\nRUN echo $FLAVOUR > /flavour\n")
    _write(project, {"build": {"dockerfile": "Dockerfile", "args": {"FLAVOUR": "mint"}},
                     "workspaceFolder": "/code"})
    first = develop(engine, project)
    assert first.ok, first.message
    assert first.remote_workspace_folder == "/code"
    assert cat(engine, first.container_id, "/flavour") == "mint\n"
    (project / "a.txt").write_text("a")
    assert cat(engine, first.container_id, "/code/a.txt") == "a"
    assert develop(engine, project).action == "reused"
    dockerfile.write_text(dockerfile.read_text() + "ENV MORE=1\n")
    changed = develop(engine, project)
    assert changed.action == "recreated" and "image changed" in changed.reason

    dockerfile.write_text(dockerfile.read_text() + "RUN false\n")
    failed = develop(engine, project)
    assert failed.outcome == "error" and "failed (exit 1)" in failed.message  # either builder: the step and its exit code
    # the container of the previous, working configuration is still there; nothing new is
    assert [c["Id"] for c in managed(engine, project)] == [changed.container_id]


def test_failed_or_cancelled_creation_leaves_nothing(clean_engine, base_image, project):
    engine = clean_engine
    _write(project, {"image": base_image, "postCreateCommand": "echo creating && sleep 30"})
    progress = CancelOn("creating")
    cancelled = develop(engine, project, progress=progress, cancel=progress.cancel)
    assert cancelled.outcome == "cancelled"
    assert managed(engine, project) == []

    _write(project, {"image": base_image, "postCreateCommand": "exit 3"})
    failed = develop(engine, project)
    assert failed.outcome == "error" and "exit code 3" in failed.message
    assert managed(engine, project) == []


def test_logs_of_the_container(clean_engine, base_image, project):
    _write(project, {"image": base_image})
    assert develop(clean_engine, project).ok
    lines: list[str] = []
    result = service.logs(str(project), None, lines.append, client=clean_engine, follow=False)
    assert result.ok and lines == ["Container started"]


def test_a_container_made_by_the_devcontainers_cli_is_adopted(clean_engine, base_image, project):
    from tests.engine.engine_fixtures import TEST_LABELS

    config_path = _write(project, {"image": base_image})
    theirs = clean_engine.api.create_container(base_image, command=["sleep", "600"], labels={
        **TEST_LABELS, "devcontainer.local_folder": str(project), "devcontainer.config_file": config_path})
    clean_engine.api.start(theirs["Id"])
    result = develop(clean_engine, project)
    assert result.ok, result.message
    assert result.container_id == theirs["Id"] and result.action == "reused"
    assert "Dev Containers CLI" in result.reason
    # and dockerls' own containers carry the labels the CLI finds them by
    clean_engine.api.remove_container(theirs["Id"], force=True)
    ours = develop(clean_engine, project)
    assert ours.ok and ours.action == "created"
    labels = labels_of(clean_engine, ours.container_id)
    assert labels["devcontainer.local_folder"] == str(project) and labels["devcontainer.config_file"] == config_path


def test_the_images_own_metadata_label_is_merged(clean_engine, base_image, project, capsys):
    """An image with a devcontainer.metadata label: its remoteUser, containerEnv and commands apply
    (before devcontainer.json's) in develop, exec and run-user-commands; the container's label
    lists the image's entry first."""
    engine = clean_engine
    project.chmod(0o755)
    tag = f"{project.name}-labelled:1"
    entries = [{"remoteUser": "dev", "containerEnv": {"FROM_LABEL": "1"},
                "postCreateCommand": "id -un >> /tmp/image-command"}]
    (project / "image").mkdir()
    (project / "image" / "Dockerfile").write_text(
        f"FROM {base_image}\nLABEL devcontainer.metadata={json.dumps(json.dumps(entries))}\n")
    engine.images.build(path=str(project / "image"), tag=tag, rm=True)
    try:
        _write(project, {"image": tag, "postCreateCommand": "echo own >> /tmp/image-command"})

        def merged_configuration():
            assert main(["read-configuration", "-p", str(project), "--include-merged-configuration"]) == 0
            merged = json.loads(capsys.readouterr().out)["mergedConfiguration"]
            return merged["remoteUser"], merged["containerEnv"], merged["postCreateCommands"]

        expected = ("dev", {"FROM_LABEL": "1"}, ["id -un >> /tmp/image-command", "echo own >> /tmp/image-command"])
        assert merged_configuration() == expected  # from the image
        result = develop(engine, project)
        assert result.ok, result.message
        assert merged_configuration() == expected  # from the container's label
        assert result.remote_user == "dev"
        config = engine.api.inspect_container(result.container_id)["Config"]
        assert "FROM_LABEL=1" in config["Env"]
        assert config["User"] == "root"  # as the Dev Containers CLI's -uid image leaves it
        assert json.loads(config["Labels"]["devcontainer.metadata"]) == [
            *entries, {"postCreateCommand": "echo own >> /tmp/image-command"}]
        assert cat(engine, result.container_id, "/tmp/image-command") == "dev\nown\n"
        assert develop(engine, project).action == "reused"

        exec_result, code = service.exec_in(str(project), None, ["sh", "-c", "id -un > /tmp/exec-user"], tty=False,
                                            client=engine)
        assert exec_result.ok and code == 0
        assert cat(engine, result.container_id, "/tmp/exec-user") == "dev\n"
        from dockerls.develop.user_commands import run_user_commands

        assert run_user_commands(str(project), client=engine).ok
        assert cat(engine, result.container_id, "/tmp/image-command") == "dev\nown\ndev\nown\n"
    finally:
        for container in managed(engine, project):
            engine.api.remove_container(container["Id"], force=True)
        engine.api.remove_image(tag, force=True)
