"""End to end: devcontainer.json keys beyond building and starting (tests/develop/plan/
test_spec_keys.py plans them): ``forwardPorts`` reachable on 127.0.0.1, ``postAttachCommand`` run at
every develop."""

from __future__ import annotations

import json
import socket
import time
import urllib.request

import pytest

from tests.develop.feature_fixtures import DOCKERFILE
from tests.develop.helpers import cat, develop, managed
from tests.engine.engine_fixtures import TEST_LABELS


def _config(project, base_image, config: dict) -> None:
    folder = project / ".devcontainer"
    folder.mkdir()
    # busybox with every applet: httpd to serve a port
    (folder / "Dockerfile").write_text(DOCKERFILE.format(base=base_image))
    (folder / "devcontainer.json").write_text(json.dumps({"build": {"dockerfile": "Dockerfile"}, **config}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, seconds: float = 10) -> str:
    """GET, straight to the address (never through a proxy of the environment), retried while the
    server in the container starts."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + seconds
    while True:
        try:
            with opener.open(url, timeout=2) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_forward_ports_are_reachable_on_127_0_0_1(clean_engine, base_image, project):
    port = _free_port()
    # The test engine has no default bridge (tests/setup/20-dockerd.sh): a network of the test's own,
    # where an engine publishes ports as on the default one (the test label removes it).
    clean_engine.api.create_network(f"{project.name}-net", driver="bridge", labels=dict(TEST_LABELS))
    _config(project, base_image, {
        "forwardPorts": [port],
        "runArgs": ["--network", f"{project.name}-net"],
        # busybox httpd goes to the background itself
        "postStartCommand": f"mkdir -p /tmp/www && echo served > /tmp/www/index.html && httpd -p {port} -h /tmp/www",
    })
    result = develop(clean_engine, project)
    assert result.ok, result.message
    assert result.plan.forward_ports == [f"127.0.0.1:{port}"]  # where develop says it is
    bindings = clean_engine.api.inspect_container(result.container_id)["HostConfig"]["PortBindings"]
    assert bindings == {f"{port}/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]}
    assert _get(f"http://127.0.0.1:{port}/index.html") == "served\n"  # only ever 127.0.0.1


def _forwarding_config(project, base_image, clean_engine, port: int, attributes: dict) -> None:
    clean_engine.api.create_network(f"{project.name}-net", driver="bridge", labels=dict(TEST_LABELS))
    _config(project, base_image, {"forwardPorts": [port], "portsAttributes": {str(port): attributes},
                                  "runArgs": ["--network", f"{project.name}-net"]})


def test_forwarded_ports_are_reported_with_their_label(clean_engine, base_image, project):
    port = _free_port()
    _forwarding_config(project, base_image, clean_engine, port, {"label": "Web app"})
    result = develop(clean_engine, project)
    assert result.ok, result.message
    assert result.forwarded_ports == [{"port": port, "host": f"127.0.0.1:{port}", "label": "Web app"}]
    assert result.to_json()["forwardedPorts"] == result.forwarded_ports


def test_a_taken_local_port_is_forwarded_to_a_free_one(clean_engine, base_image, project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        _forwarding_config(project, base_image, clean_engine, port, {"label": "Web app"})
        result = develop(clean_engine, project)
        assert result.ok, result.message
        [item] = result.forwarded_ports
        assert item["port"] == port and item["host"].startswith("127.0.0.1:") and item["host"] != f"127.0.0.1:{port}"
        again = develop(clean_engine, project)  # the container is reused as it is
        assert again.ok and again.action == "reused" and again.forwarded_ports == result.forwarded_ports


def test_require_local_port_makes_a_taken_port_an_error(clean_engine, base_image, project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        _forwarding_config(project, base_image, clean_engine, port, {"requireLocalPort": True})
        result = develop(clean_engine, project)
    assert result.outcome == "error"
    assert f"127.0.0.1:{port} is in use on this machine" in result.message and "requireLocalPort" in result.message
    assert not managed(clean_engine, project)  # nothing left behind


def test_post_attach_command_runs_at_every_develop(clean_engine, base_image, project):
    _config(project, base_image, {
        "postCreateCommand": "echo created >> /tmp/steps",
        "postStartCommand": "echo started >> /tmp/steps",
        "postAttachCommand": "echo attached >> /tmp/steps",
    })
    first = develop(clean_engine, project)
    assert first.ok, first.message
    assert cat(clean_engine, first.container_id, "/tmp/steps") == "created\nstarted\nattached\n"
    again = develop(clean_engine, project)
    assert again.ok and again.action == "reused", again.message
    # the container is running already: attached again, not created or started
    assert cat(clean_engine, again.container_id, "/tmp/steps") == "created\nstarted\nattached\nattached\n"


def test_host_requirements_above_the_engine_warn_and_develop_goes_on(clean_engine, base_image, project):
    from dockerls.develop.progress import RecordingProgress

    (project / ".devcontainer").mkdir()
    (project / ".devcontainer" / "devcontainer.json").write_text(json.dumps({
        "image": base_image, "hostRequirements": {"cpus": 100000, "memory": "1024tb"}}))
    progress = RecordingProgress()
    result = develop(clean_engine, project, progress)
    assert result.ok, result.message
    assert "hostRequirements.cpus asks for 100000 CPUs; the engine has" in result.message
    assert "hostRequirements.memory asks for 1024tb" in result.message
    assert any("hostRequirements.cpus" in line for line in progress.texts("log"))


PROFILE_DOCKERFILE = DOCKERFILE + "RUN echo 'export PROBED=from-profile' > /etc/profile\n"


@pytest.mark.parametrize("probe, expected", [(None, "from-profile"), ("loginShell", "from-profile"),
                                             ("none", "")])
def test_user_env_probe_is_the_commands_environment(clean_engine, base_image, project, probe, expected, capfd):
    from dockerls.develop import service
    from dockerls.develop.plan.model import DevelopOptions

    folder = project / ".devcontainer"
    folder.mkdir()
    (folder / "Dockerfile").write_text(PROFILE_DOCKERFILE.format(base=base_image))
    config = {"build": {"dockerfile": "Dockerfile"}, "remoteEnv": {"ON_TOP": "remote"},
              "postCreateCommand": "echo \"$PROBED/$ON_TOP\" > /tmp/probed"}
    if probe:
        config["userEnvProbe"] = probe
    (folder / "devcontainer.json").write_text(json.dumps(config))
    result = develop(clean_engine, project)
    assert result.ok, result.message
    assert cat(clean_engine, result.container_id, "/tmp/probed") == f"{expected}/remote\n"
    capfd.readouterr()
    _, code = service.exec_in(str(project), DevelopOptions(), ["sh", "-c", "echo \"$PROBED/$ON_TOP\""], tty=False,
                              client=clean_engine)
    assert code == 0 and capfd.readouterr().out == f"{expected}/remote\n"


# a user of its own (busybox-static has no adduser): UID and GID 1234, a home it owns
USER_DOCKERFILE = DOCKERFILE + (
    "RUN echo tester:x:1234:1234::/home/tester:/bin/sh >> /etc/passwd && echo tester:x:1234: >> /etc/group"
    " && mkdir -p /home/tester && chown 1234:1234 /home/tester\n")


def test_update_remote_user_uid_builds_an_image_with_the_host_user_s_ids(clean_engine, base_image, project):
    from dockerls.develop import service

    # The tests run as root, whose UID the update skips: the host user's UID/GID are given instead.
    folder = project / ".devcontainer"
    folder.mkdir()
    (folder / "Dockerfile").write_text(USER_DOCKERFILE.format(base=base_image))
    (folder / "devcontainer.json").write_text(json.dumps({
        "build": {"dockerfile": "Dockerfile"}, "remoteUser": "tester",
        "postCreateCommand": "id -u > /tmp/uid; id -g > /tmp/gid"}))
    try:
        result = develop(clean_engine, project, host_ids=(4321, 4322))
        assert result.ok, result.message
        assert cat(clean_engine, result.container_id, "/tmp/uid") == "4321\n"
        assert cat(clean_engine, result.container_id, "/tmp/gid") == "4322\n"
        assert "tester:x:4321:4322:" in cat(clean_engine, result.container_id, "/etc/passwd")
        code, owner = clean_engine.containers.get(result.container_id).exec_run(["stat", "-c", "%u:%g", "/home/tester"])
        assert owner.decode().strip() == "4321:4322"
        image = clean_engine.api.inspect_container(result.container_id)["Config"]["Image"]
        assert image.endswith("-uid:latest")
        again = develop(clean_engine, project, host_ids=(4321, 4322))  # the updated image is reused
        assert again.action == "reused" and again.container_id == result.container_id
        # as root on the host: no update, the user keeps its UID
        root = develop(clean_engine, project, host_ids=(0, 0))
        assert root.ok and root.action == "recreated"
        assert cat(clean_engine, root.container_id, "/tmp/uid") == "1234\n"
    finally:
        gone = service.down(str(project), client=clean_engine, remove_images=True)
    assert any(name.endswith("-uid:latest") for name in
               [c.get("image", "") for c in gone.containers]), gone.containers


def test_user_env_probe_gives_up_on_a_shell_that_hangs_and_never_logs_values(clean_engine, base_image, project):
    from dockerls.develop.progress import RecordingProgress
    from dockerls.engine.user_env import probe_user_env

    folder = project / ".devcontainer"
    folder.mkdir()
    (folder / "Dockerfile").write_text(DOCKERFILE.format(base=base_image) + (
        "RUN echo 'export SECRET=hunter2; case $- in *i*) sleep 30;; esac' > /etc/profile\n"))
    (folder / "devcontainer.json").write_text(json.dumps({"build": {"dockerfile": "Dockerfile"}, "userEnvProbe": "none"}))
    result = develop(clean_engine, project)
    assert result.ok, result.message
    attrs = clean_engine.api.inspect_container(result.container_id)
    progress = RecordingProgress()
    started = time.monotonic()
    assert probe_user_env(clean_engine.api, result.container_id, attrs, None, "loginInteractiveShell", progress,
                          timeout=1) == {}
    assert time.monotonic() - started < 5
    assert "took longer than 1 s" in " ".join(progress.texts("log"))
    # a login shell that does not wait: its environment, and nothing said about it
    quiet = RecordingProgress()
    env = probe_user_env(clean_engine.api, result.container_id, attrs, None, "loginShell", quiet)
    assert env["SECRET"] == "hunter2" and "PWD" not in env
    assert not any("hunter2" in text for _, text, _ in progress.events + quiet.events)
