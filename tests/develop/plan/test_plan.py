"""Develop plans, computed without an engine."""

import json
import os

import pytest

from dockerls.develop.plan.dockerfile import source_mount_point
from dockerls.develop.plan.model import DevelopOptions, Mount, PlanError, PortBinding
from dockerls.develop.plan.mounts import MountError, parse_mount_string, parse_volume_string
from dockerls.develop.plan.ports import parse_app_port, parse_port
from dockerls.develop.plan.workspace import make_plan
from dockerls.parse.dockerfile import parse_dockerfile


@pytest.mark.parametrize("dockerfile, expected", [
    ("FROM a\nWORKDIR /app\nCOPY . .\n", "/app"),
    ("FROM a\nCOPY . /src/\nWORKDIR /elsewhere\n", "/src"),
    ("FROM a\nWORKDIR /app\nCOPY ./ code\n", "/app/code"),
    ('FROM a\nWORKDIR /app\nCOPY ["package.json", "./"]\nCOPY [".", "/srv"]\n', "/srv"),
    ("FROM a\nWORKDIR /app\nWORKDIR sub\nCOPY requirements.txt .\n", "/app/sub"),
    ("FROM a\nRUN true\n", "/workspace"),
    ("FROM a\nARG DIR=/opt/x\nWORKDIR $DIR\nADD . .\n", "/opt/x"),
    ("FROM a AS base\nWORKDIR /base\nFROM base\nCOPY . .\n", "/base"),
    ("FROM a AS build\nWORKDIR /b\nCOPY . .\nFROM c\nCOPY --from=build /b /c\n", "/workspace"),
])
def test_mount_point_follows_the_dockerfile(dockerfile, expected):
    assert source_mount_point(parse_dockerfile(dockerfile)) == expected


def test_dockerfile_plan(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\nWORKDIR /app\nCOPY . .\n")
    plan = make_plan(str(tmp_path))
    spec = plan.main_container
    assert plan.flow == "dockerfile" and plan.workspace_folder == "/app"
    assert spec.build.context == str(tmp_path) and spec.build.tag == spec.image
    assert spec.mounts == [Mount("bind", str(tmp_path), "/app")]
    assert spec.entrypoint[:2] == ["/bin/sh", "-c"] and "wait" in spec.entrypoint[2] and spec.command == []
    assert spec.labels["devcontainer.local_folder"] == str(tmp_path)
    assert spec.labels["dockerls.config_hash"] == spec.config_hash()
    assert len(spec.labels["dockerls.build_hash"]) == 64
    assert plan.watch_files == [str(tmp_path / "Dockerfile")]

    image = make_plan(str(tmp_path), DevelopOptions(image="python:3", mount_point="/m"))
    assert image.flow == "image" and image.main_container.build is None
    assert image.main_container.image == "python:3" and image.workspace_folder == "/m"


def test_config_hash_changes_with_the_configuration(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    first = make_plan(str(tmp_path)).main_container
    assert first.config_hash() == make_plan(str(tmp_path)).main_container.config_hash()
    moved = make_plan(str(tmp_path), DevelopOptions(mount_point="/elsewhere")).main_container
    assert moved.config_hash() != first.config_hash()
    (tmp_path / "Dockerfile").write_text("FROM busybox\nENV A=1\n")
    changed = make_plan(str(tmp_path)).main_container
    assert changed.config_hash() == first.config_hash()  # the Dockerfile is the image's business
    assert changed.labels["dockerls.build_hash"] != first.labels["dockerls.build_hash"]


def test_nothing_to_develop(tmp_path):
    with pytest.raises(PlanError, match="nothing to develop in"):
        make_plan(str(tmp_path))
    with pytest.raises(PlanError, match="is not a folder"):
        make_plan(str(tmp_path / "missing"))


def _devcontainer(tmp_path, config, name=".devcontainer/devcontainer.json"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(config if isinstance(config, str) else json.dumps(config, indent=1))
    return path


def test_devcontainer_plan(tmp_path):
    (tmp_path / ".devcontainer").mkdir()
    (tmp_path / ".devcontainer" / "Dockerfile").write_text("FROM busybox\n")
    config = _devcontainer(tmp_path, {
        "build": {"dockerfile": "Dockerfile", "context": "..", "args": {"V": "1"}, "target": "dev", "cacheFrom": "x"},
        "workspaceMount": "source=${localWorkspaceFolder},target=/src,type=bind,consistency=cached",
        "workspaceFolder": "/src",
        "mounts": ["source=cache,target=/cache,type=volume", {"type": "bind", "source": "/tmp", "target": "/host-tmp"}],
        "containerEnv": {"ID": "${devcontainerId}", "WS": "${containerWorkspaceFolder}"},
        "remoteEnv": {"PATH": "${containerEnv:PATH}:/extra"},
        "containerUser": "app", "remoteUser": "dev",
        "overrideCommand": False, "init": True, "privileged": True, "capAdd": ["NET_ADMIN"],
        "securityOpt": ["seccomp=unconfined"], "appPort": [3000, "127.0.0.1:8081:81"], "forwardPorts": [3000],
        "shutdownAction": "none", "onCreateCommand": "echo a", "updateContentCommand": ["make"],
        "postCreateCommand": {"x": "echo x", "y": ["echo", "y"]}, "postStartCommand": "echo s",
        "runArgs": ["--network=host", "-e", "K=V", "--hostname", "box", "--add-host", "db:127.0.0.1",
                    "-p", "9000:90/udp", "--name", "custom", "-v", "./data:/data:ro", "--gpus", "all"],
        "customizations": {"vscode": {}}, "features": {}, "somethingElse": 1,
    })
    plan = make_plan(str(tmp_path))
    spec = plan.main_container
    assert plan.flow == "devcontainer" and plan.config_file == str(config)
    assert spec.build.context == str(tmp_path) and spec.build.args == {"V": "1"} and spec.build.target == "dev"
    assert spec.build.dockerfile == str(tmp_path / ".devcontainer" / "Dockerfile")
    assert plan.workspace_folder == "/src"
    assert spec.mounts[:3] == [Mount("bind", str(tmp_path), "/src"), Mount("volume", "cache", "/cache"),
                               Mount("bind", "/tmp", "/host-tmp")]
    assert spec.environment["WS"] == "/src" and len(spec.environment["ID"]) == 52 and spec.environment["K"] == "V"
    assert plan.remote_env == {"PATH": "${containerEnv:PATH}:/extra"}
    assert (spec.user, plan.remote_user) == ("app", "dev")
    assert spec.entrypoint is None and spec.command is None  # overrideCommand: false
    assert spec.init and spec.privileged and spec.cap_add == ["NET_ADMIN"]
    assert spec.security_opt == ["seccomp=unconfined"]
    assert spec.ports == [PortBinding(3000, "tcp", 3000, "127.0.0.1"), PortBinding(81, "tcp", 8081, "127.0.0.1"),
                          PortBinding(90, "udp", 9000, None)]
    assert (spec.network, spec.hostname, spec.extra_hosts, spec.name) == ("host", "box", {"db": "127.0.0.1"}, "custom")
    assert Mount("bind", str(tmp_path / "data"), "/data", True) in spec.mounts
    assert [c.step for c in plan.lifecycle] == ["onCreateCommand", "updateContentCommand", "postCreateCommand",
                                                "postStartCommand"]
    assert plan.step("postCreateCommand").commands == {"x": ["/bin/sh", "-c", "echo x"], "y": ["echo", "y"]}
    assert plan.step("updateContentCommand").commands == {"": ["make"]}
    assert plan.forward_ports == ["127.0.0.1:3000"] and plan.shutdown_action == "none"
    assert spec.labels["devcontainer.config_file"] == str(config)
    keys = {p.key: p for p in plan.problems}
    assert set(keys) >= {"somethingElse", "customizations", "runArgs[13]"}
    assert "build.cacheFrom" not in keys and spec.build.options.cache_from == ["x"]  # applied
    assert "forwardPorts" not in keys  # applied: published on 127.0.0.1
    assert "features" not in keys  # an empty features map is nothing to install
    assert keys["somethingElse"].severity == "warning" and keys["customizations"].severity == "info"
    assert "--gpus" in keys["runArgs[13]"].message
    assert keys["somethingElse"].range.start.line > 0


def test_devcontainer_defaults(tmp_path):
    _devcontainer(tmp_path, '{"image": "busybox", // comment\n}', ".devcontainer.json")
    plan = make_plan(str(tmp_path))
    spec = plan.main_container
    workspace = f"/workspaces/{tmp_path.name}"
    assert plan.workspace_folder == workspace and spec.mounts == [Mount("bind", str(tmp_path), workspace)]
    assert spec.entrypoint[0] == "/bin/sh"  # overrideCommand defaults to true
    assert plan.problems == [] and plan.remote_user is None and spec.image == "busybox"


def test_devcontainer_errors_point_at_the_file(tmp_path):
    config = _devcontainer(tmp_path, '{"image": "x",\n "mounts": [1,]\n  "oops"}')
    with pytest.raises(PlanError) as info:
        make_plan(str(tmp_path))
    assert info.value.file == str(config) and info.value.range.start.line == 2
    _devcontainer(tmp_path, {"name": "no image"})
    with pytest.raises(PlanError, match="needs image, build.dockerfile or dockerComposeFile"):
        make_plan(str(tmp_path))
    _devcontainer(tmp_path, {"build": {"dockerfile": "Missing.Dockerfile"}})
    with pytest.raises(PlanError, match="does not exist"):
        make_plan(str(tmp_path))


def test_initialize_command_needs_permission(tmp_path):
    _devcontainer(tmp_path, {"image": "x", "initializeCommand": "touch here"})
    plan = make_plan(str(tmp_path))
    assert plan.initialize_command.commands == {"": ["/bin/sh", "-c", "touch here"]}
    assert any("initializeCommand was not run" in p.message for p in plan.problems)
    allowed = make_plan(str(tmp_path), DevelopOptions(allow_host_commands=True))
    assert not any("initializeCommand" in p.message for p in allowed.problems)


def test_bad_lifecycle_command_is_a_problem(tmp_path):
    _devcontainer(tmp_path, {"image": "x", "postCreateCommand": 3})
    plan = make_plan(str(tmp_path))
    assert plan.lifecycle == [] and plan.problems[0].key == "postCreateCommand"
    assert plan.problems[0].severity == "error"


COMPOSE = """
name: Shop_Project
services:
  web:
    build:
      context: .
      args: [VERSION=2]
    depends_on:
      api: {condition: service_started}
    volumes: [".:/code", "assets:/assets", "/tmp/cache"]
    ports: ["8080:80", {target: 443, published: 8443, host_ip: 127.0.0.1}]
    environment: [DEBUG=1, FROM_HOST]
    command: python -m http.server 80
    deploy: {replicas: 2}
  api:
    image: api:1
    depends_on:
      db:
        condition: service_healthy
    env_file: api.env
    extra_hosts: ["example.test:127.0.0.1"]
  db:
    image: postgres:16
    healthcheck:
      test: pg_isready
      interval: 1m30s
      timeout: 500ms
      retries: 3
  unrelated:
    image: redis
volumes:
  assets:
"""


def test_compose_plan(tmp_path):
    (tmp_path / "compose.yaml").write_text(COMPOSE)
    (tmp_path / "compose.override.yaml").write_text("services:\n  web:\n    environment: [EXTRA=1]\n")
    plan = make_plan(str(tmp_path), DevelopOptions(service="web", environ={"FROM_HOST": "yes"}))
    assert plan.flow == "compose" and plan.compose_project == "shop_project"
    # Compose starts web and what it depends on: the plan holds the container develop works in
    assert [c.service for c in plan.containers] == ["web"] and plan.compose.services == ["web"]
    assert plan.compose.files == [str(tmp_path / "compose.yaml"), str(tmp_path / "compose.override.yaml")]
    assert plan.compose.builds == [(str(tmp_path), str(tmp_path / "Dockerfile"))]  # web's; api and db: images
    assert plan.compose.built_services == ["web"] and str(tmp_path / "Dockerfile") in plan.watch_files
    web = plan.main_container
    assert plan.main == web.name == "shop_project-web-1"
    assert web.id_labels == {"com.docker.compose.project": "shop_project", "com.docker.compose.service": "web",
                             "com.docker.compose.container-number": "1"}
    assert web.labels["devcontainer.local_folder"] == str(tmp_path) and web.labels["dockerls.flow"] == "compose"
    assert plan.workspace_folder == "/code" and web.mounts == []  # the service mounts the folder at /code
    assert not plan.compose.override_command  # the service's own command runs


def test_compose_mounts_the_folder_when_no_volume_does(tmp_path):
    (tmp_path / "compose.yaml").write_text("services:\n  app:\n    image: busybox\n")
    plan = make_plan(str(tmp_path))  # one service: no --service needed
    assert plan.workspace_folder == "/workspace"
    assert plan.main_container.mounts == [Mount("bind", str(tmp_path), "/workspace")]
    assert plan.compose.files == [str(tmp_path / "compose.yaml")]


def test_compose_errors(tmp_path):
    (tmp_path / "compose.yaml").write_text(
        "services:\n  a: {image: x, depends_on: [b]}\n  b: {image: x, depends_on: [a]}\n")
    with pytest.raises(PlanError, match="cycle: a -> b -> a"):
        make_plan(str(tmp_path), DevelopOptions(service="a"))
    with pytest.raises(PlanError, match="say which service"):
        make_plan(str(tmp_path), DevelopOptions(compose_file="compose.yaml"))
    with pytest.raises(PlanError, match="no service 'c'"):
        make_plan(str(tmp_path), DevelopOptions(service="c"))


def test_devcontainer_with_compose(tmp_path):
    (tmp_path / "compose.yaml").write_text(
        "services:\n  app: {image: x, volumes: ['.:/work'], depends_on: [db]}\n  db: {image: y}\n  other: {image: z}\n")
    _devcontainer(tmp_path, {"dockerComposeFile": "../compose.yaml", "service": "app", "runServices": ["app"],
                             "workspaceFolder": "/work", "remoteUser": "me", "overrideCommand": True,
                             "containerEnv": {"A": "1"}, "postStartCommand": "echo hi"})
    plan = make_plan(str(tmp_path))
    # Compose starts the dependencies (db): the plan holds the dev container's service only
    assert plan.flow == "compose" and [c.service for c in plan.containers] == ["app"]
    assert plan.compose.services == ["app"] and plan.compose.override_command
    assert plan.compose.project == plan.compose_project == tmp_path.name.lower().replace(".", "")
    app = plan.main_container
    assert plan.workspace_folder == "/work" and plan.remote_user == "me"
    assert app.environment == {"A": "1"} and app.mounts == []  # the compose file mounts the folder
    assert app.labels["devcontainer.config_file"].endswith("devcontainer.json")
    assert plan.step("postStartCommand") is not None


@pytest.mark.parametrize("text, expected", [
    ("type=bind,source=/a,target=/b,readonly", Mount("bind", "/a", "/b", True)),
    ("src=vol,dst=/data", Mount("volume", "vol", "/data")),
    ("type=tmpfs,target=/t", Mount("tmpfs", "", "/t")),
    ("source=./rel,target=/r,type=bind", Mount("bind", "/base/rel", "/r")),
])
def test_mount_strings(text, expected):
    assert parse_mount_string(text, "/base") == expected


def test_mount_errors():
    with pytest.raises(MountError, match="no target"):
        parse_mount_string("type=bind,source=/a", "/")
    with pytest.raises(MountError, match="bind-propagation"):
        parse_mount_string("type=bind,source=/a,target=/b,bind-propagation=shared", "/")
    assert parse_volume_string("data:/d:ro", "/") == Mount("volume", "data", "/d", True)
    assert parse_volume_string("~/x:/y", "/") == Mount("bind", os.path.expanduser("~/x"), "/y")


def test_ports():
    assert parse_port("3000-3001:4000-4001") == [PortBinding(4000, "tcp", 3000), PortBinding(4001, "tcp", 3001)]
    assert parse_port("[::1]:80:8080") == [PortBinding(8080, "tcp", 80, "::1")]
    assert parse_port(53) == [PortBinding(53)]
    assert parse_app_port("5000:5000") == [PortBinding(5000, "tcp", 5000, None)]


def test_extra_labels_reach_the_container(tmp_path):
    (tmp_path / "compose.yaml").write_text("services:\n  a: {image: x, volumes: ['v:/v']}\nvolumes:\n  v:\n")
    plan = make_plan(str(tmp_path), DevelopOptions(labels={"team": "x"}))
    assert plan.main_container.labels["team"] == "x"


@pytest.mark.parametrize("value", ["1", "true"])
def test_a_dockerComposeFile_that_is_not_a_string_or_list_is_a_finding_not_a_crash(value):
    """Found by tests/fuzz: the plan took any dockerComposeFile as a list (TypeError)."""
    from dockerls.config import DEFAULT
    from dockerls.lint.devcontainer_runner import lint_devcontainer_text

    codes = [f.code for f in lint_devcontainer_text('{"dockerComposeFile": %s}' % value, DEFAULT,
                                                    ".devcontainer/devcontainer.json")[2]]
    assert "DLS000" not in codes and "DV002" in codes, codes


def test_a_dockerfile_next_to_a_compose_file_that_builds_it_says_which_was_chosen(tmp_path):
    from dockerls.develop.plan.workspace import make_plan

    (tmp_path / "Dockerfile").write_text("FROM busybox\n")
    (tmp_path / "compose.yaml").write_text("services:\n  app:\n    build: .\n  db:\n    image: postgres\n")
    plan = make_plan(str(tmp_path))
    assert plan.flow == "dockerfile"
    [info] = [p for p in plan.problems if p.severity == "info"]
    assert "develop used Dockerfile alone (without db and the compose environment)" in info.message
    assert "`dockerls develop --service app`" in info.message
    (tmp_path / "compose.yaml").write_text("services:\n  db:\n    image: postgres\n")
    assert not [p for p in make_plan(str(tmp_path)).problems if p.severity == "info"]
