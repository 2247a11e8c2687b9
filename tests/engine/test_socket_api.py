"""engine/socket_api.py: the calls of a start over the unix socket, as docker-py answers them.

The HTTP part runs against a small fake engine (chunked bodies, a closed keep-alive connection);
the calls against the real engine are compared with docker-py's answers."""

from __future__ import annotations

import socket
import threading

import pytest

from dockerls.engine.errors import ApiError, EngineError, api_errors, status_of
from dockerls.engine.socket_api import SocketAPI
from tests.engine.engine_fixtures import TEST_LABELS


class FakeEngine:
    """Answers each request on a unix socket with the next of ``answers`` (raw HTTP bytes); an
    answer ``None`` closes the connection instead (as an engine does with an idle one)."""

    def __init__(self, path: str, answers: list[bytes | None]):
        self.answers = list(answers)
        self.requests: list[bytes] = []
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while self.answers:
            conn, _ = self.server.accept()
            with conn, conn.makefile("rb") as reader:
                while self.answers:
                    request = b""
                    while not request.endswith(b"\r\n\r\n"):
                        line = reader.readline()
                        if not line:
                            break
                        request += line
                    if not request:
                        break
                    length = [int(h.split(b":")[1]) for h in request.split(b"\r\n") if h.lower().startswith(b"content-length")]
                    self.requests.append(request + (reader.read(length[0]) if length else b""))
                    answer = self.answers.pop(0)
                    if answer is None:
                        break
                    conn.sendall(answer)

    def close(self) -> None:
        self.server.close()


def _answer(status: str, body: bytes, headers: str = "") -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\n{headers}"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


PING = b"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Length: 2\r\n\r\nOK"


def test_version_from_the_ping_and_a_chunked_answer(tmp_path):
    chunked = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"5\r\n[{\"Id\r\n7;ext=1\r\n\": \"a\"}\r\n1\r\n]\r\n0\r\n\r\n")
    fake = FakeEngine(str(tmp_path / "e.sock"), [PING, chunked])
    api = SocketAPI(str(tmp_path / "e.sock"), timeout=5)
    assert api.version == "1.41"
    assert api.containers(all=True, filters={"label": ["a=b"]}) == [{"Id": "a"}]
    assert fake.requests[1].startswith(b"GET /v1.41/containers/json?all=1&filters=")
    api.close()
    fake.close()


def test_a_closed_keep_alive_connection_is_opened_again(tmp_path):
    fake = FakeEngine(str(tmp_path / "e.sock"), [PING, None, _answer("200 OK", b'{"Id": "sha256:1"}')])
    api = SocketAPI(str(tmp_path / "e.sock"), timeout=5)
    assert api.inspect_image("busybox:1")["Id"] == "sha256:1"
    assert fake.requests[-1].startswith(b"GET /v1.41/images/busybox:1/json ")
    api.close()
    fake.close()


def test_http_errors_carry_the_status_and_the_engines_words(tmp_path):
    fake = FakeEngine(str(tmp_path / "e.sock"), [
        PING, _answer("409 Conflict", b'{"message": "Conflict. The container name \\"/x\\" is already in use"}'),
        _answer("204 No Content", b"")])
    api = SocketAPI(str(tmp_path / "e.sock"), timeout=5)
    with pytest.raises(api_errors()) as info:
        api.create_container_from_config({"Image": "x"}, "x")
    assert status_of(info.value) == 409 and "already in use" in info.value.explanation
    assert b'"Image": "x"' in fake.requests[1] and b"POST /v1.41/containers/create?name=x " in fake.requests[1]
    api.start("abc")  # 204: no body
    api.close()
    fake.close()


def test_no_engine_is_an_engine_error(tmp_path):
    with pytest.raises(EngineError, match="No such file"):
        SocketAPI(str(tmp_path / "nothing.sock"))


def _socket_api(engine) -> SocketAPI:
    url = engine.api.base_url
    import os

    host = os.environ.get("DOCKER_HOST", "")
    if not host.startswith("unix://"):
        pytest.skip(f"the engine is not on a unix socket ({url})")
    return SocketAPI(host.removeprefix("unix://"))


def test_the_calls_answer_as_docker_py_does(engine, base_image):
    api = _socket_api(engine)
    assert api.version == engine.api._version  # what docker-py's "auto" negotiated
    assert api.inspect_image(base_image) == engine.api.inspect_image(base_image)
    with pytest.raises(ApiError) as missing:
        api.inspect_image("dockerls-no-such-image:0")
    assert missing.value.status_code == 404
    config = {"Image": base_image, "Cmd": ["sleep", "600"], "Labels": {**TEST_LABELS, "dockerls.socket_api": "1"},
              "HostConfig": {"NetworkMode": "default"}}
    created = api.create_container_from_config(config, "dlstest-socket-api")
    try:
        with pytest.raises(ApiError) as taken:
            api.create_container_from_config(config, "dlstest-socket-api")
        assert taken.value.status_code == 409
        api.start(created["Id"])
        filters = {"label": ["dockerls.socket_api=1"]}
        assert api.containers(all=True, filters=filters) == engine.api.containers(all=True, filters=filters)
        mine, theirs = api.inspect_container(created["Id"]), engine.api.inspect_container(created["Id"])
        assert mine["Id"] == theirs["Id"] and mine["State"]["Running"] and mine["Config"] == theirs["Config"]
    finally:
        api.remove_container(created["Id"], force=True)
    with pytest.raises(ApiError) as gone:
        api.inspect_container(created["Id"])
    assert gone.value.status_code == 404
    api.close()


def test_filters_are_sent_as_docker_py_sends_them(tmp_path):
    from urllib.parse import parse_qs, urlsplit

    from docker.utils import convert_filters

    fake = FakeEngine(str(tmp_path / "e.sock"), [PING, _answer("200 OK", b"[]")])
    api = SocketAPI(str(tmp_path / "e.sock"), timeout=5)
    filters = {"label": ["a=b", "c"], "dangling": True, "status": "running", "id": [1, True]}
    assert api.containers(filters=filters) == []
    target = fake.requests[1].split(b" ")[1].decode()
    assert parse_qs(urlsplit(target).query) == {"all": ["0"], "filters": [convert_filters(filters)]}
    api.close()
    fake.close()
