"""End to end: develop through the client ``dockerls develop`` uses (engine.connect.connect_quick):
a start over the engine's socket without docker-py, docker-py only for what needs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from dockerls.develop.plan.model import DevelopOptions
from dockerls.develop.plan.workspace import make_plan
from tests.develop.helpers import cat, develop, managed
from tests.develop.test_develop_devcontainer import CONFIG, _free_port, _write
from tests.engine.engine_fixtures import TEST_LABELS


@pytest.fixture
def quick(engine):
    from dockerls.engine.connect import connect_quick

    client = connect_quick(timeout=60)
    if client.quick is None:
        pytest.skip("the engine is not on a unix socket: develop uses docker-py alone")
    yield client
    client.close()


@pytest.fixture(params=["quick", "docker-py"])
def client(request, engine):
    """Each client develop may be given: the quick one (the CLI's), docker-py's (the editor's, the tests')."""
    if request.param == "docker-py":
        return engine
    return request.getfixturevalue("quick")


def test_the_image_flow_through_the_quick_client(clean_engine, quick, base_image, project):
    engine = clean_engine
    project.chmod(0o755)
    port = _free_port()
    _write(project, CONFIG % {"image": base_image, "port": port})
    first = develop(quick, project)
    assert first.ok, first.message
    assert first.action == "created" and first.remote_user == "dev"
    attrs = engine.api.inspect_container(first.container_id)
    assert attrs["HostConfig"]["PortBindings"] == {f"{port}/tcp": [{"HostIp": "127.0.0.1", "HostPort": str(port)}]}
    assert attrs["HostConfig"]["CapAdd"] == ["SYS_PTRACE"] and "FROM_HOST=fallback" in attrs["Config"]["Env"]
    assert cat(engine, first.container_id, "/tmp/created") == "hello-remote\n"  # lifecycle: docker-py's exec
    assert develop(quick, project).action == "reused"
    engine.api.stop(first.container_id, timeout=1)
    assert develop(quick, project).action == "started"
    _write(project, (CONFIG % {"image": base_image, "port": port}).replace('"hello"', '"changed"'))
    changed = develop(quick, project)
    assert changed.action == "recreated" and "configuration changed" in changed.reason
    assert [c["Id"] for c in managed(engine, project)] == [changed.container_id]


def test_the_remote_user_without_a_look_at_the_container(clean_engine, quick, base_image, project):
    _write(project, {"image": base_image, "containerUser": "dev"})
    assert develop(quick, project).remote_user == "dev"
    clean_engine.api.remove_container(managed(clean_engine, project)[0]["Id"], force=True)
    _write(project, {"image": base_image})
    assert develop(quick, project).remote_user == "root"  # the image's user (none: root)


def test_a_foreign_container_with_the_name_is_an_error(clean_engine, client, base_image, project):
    _write(project, {"image": base_image})
    name = make_plan(str(project), DevelopOptions()).main_container.name
    clean_engine.api.create_container(base_image, command=["sleep", "600"], name=name, labels=TEST_LABELS)
    result = develop(client, project)
    assert result.outcome == "error" and f"a container named {name} exists and was not made by dockerls" \
        in result.message


def test_a_managed_container_with_the_name_but_not_the_labels_is_replaced(clean_engine, client, base_image, project):
    """A container an older dockerls made (other finding labels): found by its name, and recreated
    when its configuration differs, as before the name lookup moved behind the create."""
    _write(project, {"image": base_image})
    name = make_plan(str(project), DevelopOptions()).main_container.name
    old = clean_engine.api.create_container(base_image, command=["sleep", "600"], name=name,
                                            labels={**TEST_LABELS, "dockerls.managed": "true"})
    result = develop(client, project)
    assert result.ok, result.message
    assert result.action == "recreated" and result.container_id != old["Id"]
    assert [c["Id"] for c in managed(clean_engine, project)] == [result.container_id]


def test_an_image_start_does_not_import_docker_py(clean_engine, base_image, project):
    _write(project, {"image": base_image})
    script = ("import json, sys\n"
              "from dockerls.develop import service\n"
              "from dockerls.develop.plan.model import DevelopOptions\n"
              f"r = service.develop(sys.argv[1], DevelopOptions(labels={TEST_LABELS!r}))\n"
              "print(json.dumps([r.outcome, r.action, r.message, 'docker' in sys.modules]))\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH")]))}
    runs = [json.loads(subprocess.run([sys.executable, "-c", script, str(project)], capture_output=True, text=True,
                                      env=env, check=True).stdout) for _ in range(2)]
    assert [r[:2] for r in runs] == [["success", "created"], ["success", "reused"]], runs
    assert [r[3] for r in runs] == [False, False]
