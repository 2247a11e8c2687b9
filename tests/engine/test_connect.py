"""Finding the engine: DOCKER_HOST, the current docker context, and the message when none answers."""

import json

import pytest

from dockerls.engine import connect as connect_module
from dockerls.engine.connect import connect, context_endpoint, current_context, find_endpoint
from dockerls.engine.errors import EngineUnavailable


def _write_context(config_dir, name: str, host: str) -> None:
    (config_dir / "config.json").write_text(json.dumps({"currentContext": name}))
    meta = config_dir / "contexts" / "meta" / "0123abcd"
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text(json.dumps({"Name": name, "Endpoints": {"docker": {"Host": host}}}))


def test_current_context_comes_from_config_json(tmp_path, monkeypatch):
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    _write_context(tmp_path, "remote", "tcp://127.0.0.1:2375")
    assert current_context(str(tmp_path)) == "remote"
    assert context_endpoint("remote", str(tmp_path)).host == "tcp://127.0.0.1:2375"
    assert context_endpoint("other", str(tmp_path)) is None


def test_docker_host_wins_over_the_context(tmp_path, monkeypatch):
    _write_context(tmp_path, "remote", "unix:///from/context.sock")
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    assert find_endpoint().host == "unix:///from/context.sock"
    assert find_endpoint().context == "remote"
    monkeypatch.setenv("DOCKER_HOST", "unix:///from/env.sock")
    assert find_endpoint().host == "unix:///from/env.sock"


def test_docker_context_variable_names_the_context(tmp_path, monkeypatch):
    _write_context(tmp_path, "remote", "unix:///from/context.sock")
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    monkeypatch.setenv("DOCKER_CONTEXT", "missing")
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    with pytest.raises(EngineUnavailable, match="'missing'"):
        find_endpoint()


def test_default_socket_without_anything(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    assert find_endpoint().host == connect_module.DEFAULT_HOST


def test_no_engine_gives_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/nothing.sock")
    with pytest.raises(EngineUnavailable) as info:
        connect(timeout=5)
    message = str(info.value)
    assert "no Docker engine answers" in message and "nothing.sock" in message and "DOCKER_HOST" in message


def test_context_endpoint_is_used_to_connect(engine, tmp_path, monkeypatch):
    host = engine.api.base_url
    import os

    real_host = os.environ.get("DOCKER_HOST")
    if not real_host:
        pytest.skip("the engine was not reached through DOCKER_HOST")
    _write_context(tmp_path, "tests", real_host)
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path))
    monkeypatch.delenv("DOCKER_HOST")
    monkeypatch.delenv("DOCKER_CONTEXT", raising=False)
    client = connect(timeout=10)
    assert client.ping() and host


def test_permission_denied_on_the_socket_says_what_to_do():
    from docker.errors import DockerException

    from dockerls.engine.connect import Endpoint, unavailable_message

    err = DockerException("Error while fetching server API version: ('Connection aborted.', "
                          "PermissionError(13, 'Permission denied'))")
    message = unavailable_message(Endpoint("unix:///var/run/docker.sock"), err)
    assert message.startswith("permission denied on the socket unix:///var/run/docker.sock: add yourself to the "
                              "docker group")
    assert "rootless Docker" in message and "no Docker engine answers" not in message
    refused = unavailable_message(Endpoint("unix:///x.sock"), DockerException("ConnectionRefusedError(111)"))
    assert refused.startswith("no Docker engine answers at unix:///x.sock: nothing is listening there")


def test_the_quick_client_says_the_same_when_no_engine_answers(tmp_path, monkeypatch):
    from dockerls.engine.connect import connect_quick

    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/nothing.sock")
    with pytest.raises(EngineUnavailable) as info:
        connect_quick(timeout=5)
    message = str(info.value)
    assert message.startswith(f"no Docker engine answers at unix://{tmp_path}/nothing.sock: the socket does not exist")
    listening = tmp_path / "closed.sock"
    import socket

    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(listening))  # bound, never listening: refused
        monkeypatch.setenv("DOCKER_HOST", f"unix://{listening}")
        with pytest.raises(EngineUnavailable, match="nothing is listening there"):
            connect_quick(timeout=5)


def test_the_quick_client_leaves_tcp_engines_to_docker_py(monkeypatch):
    from dockerls.engine.connect import connect_quick

    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:9")  # discard: nothing answers
    with pytest.raises(EngineUnavailable, match="no Docker engine answers at tcp://127.0.0.1:9"):
        connect_quick(timeout=5)


def test_docker_py_made_by_the_quick_client_uses_the_pinged_version(engine):
    import os

    from dockerls.engine.connect import connect_quick

    if not os.environ.get("DOCKER_HOST", "").startswith("unix://"):
        pytest.skip("the engine is not reached on a unix socket through DOCKER_HOST")
    client = connect_quick(timeout=10)
    assert client.quick is not None
    assert client.api._version == client.quick.version == engine.api._version
    assert client.api.ping()
    client.close()
