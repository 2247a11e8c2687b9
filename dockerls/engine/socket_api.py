"""The few Engine API calls of a container start, spoken over the engine's unix socket directly.

Why: importing docker-py (requests, urllib3, http.client, email, ssl) costs ~65 ms of a ~160 ms
``dockerls develop`` whose image is there already, and a start needs only a handful of JSON calls:
list and inspect containers, inspect an image, create, start, remove.  :class:`SocketAPI` makes
exactly those, with docker-py ``APIClient``'s method names, arguments and return values, so the
code of :mod:`.containers` and :mod:`.images` runs unchanged on either; an HTTP error is an
:class:`~dockerls.engine.errors.ApiError` with ``status_code`` and ``explanation`` as docker-py's
``APIError`` has them (catch both with :func:`~dockerls.engine.errors.api_errors`).  Everything
else (builds, pulls, exec, logs, networks) stays with docker-py: see :class:`.connect.EngineClient`.

The HTTP/1.1 here is the small part the engine needs: one keep-alive connection, JSON bodies,
``Content-Length`` or chunked responses.  Not a general client (no TLS, no redirects, no streams).
"""

from __future__ import annotations

import json
import socket
from typing import BinaryIO
from urllib.parse import quote, urlencode

from dockerls.engine.errors import ApiError, EngineError

_MAX_HEADER_LINES = 100


class SocketAPI:
    """Engine API calls over a unix socket (``path``), at API ``version`` (``"1.41"``); see the module."""

    def __init__(self, path: str, version: str | None = None, timeout: float = 120):
        self.path = path
        self.timeout = timeout
        self.base_url = f"http+unix://{path}"
        self._sock: socket.socket | None = None
        self._reader: BinaryIO | None = None
        self.version = version or self.ping_version()

    # -- the calls (docker-py APIClient's names and shapes) -------------------------------------------

    def ping_version(self) -> str:
        """The engine's API version, from ``GET /_ping``'s ``Api-Version`` header (the docker CLI's
        way: ``/version`` makes the engine run ``runc --version`` and costs ~10 ms)."""
        status, headers, _ = self._request("GET", "/_ping")
        if status != 200:
            raise ApiError(status, "the engine did not answer the ping")
        version = headers.get("api-version")
        if not version:  # engines before API 1.25 do not send it
            version = self._json("GET", "/version", versioned=False)["ApiVersion"]
        return version

    def containers(self, all: bool = False, filters: dict | None = None) -> list[dict]:
        params: dict[str, str] = {"all": "1" if all else "0"}
        if filters:  # as docker-py sends them: each value a list of strings
            params["filters"] = json.dumps({k: _filter_values(v) for k, v in filters.items()})
        return self._json("GET", "/containers/json", params)

    def inspect_container(self, container: str) -> dict:
        return self._json("GET", f"/containers/{quote(container, safe='')}/json")

    def inspect_image(self, image: str) -> dict:
        return self._json("GET", f"/images/{quote(image, safe='/:@')}/json")

    def create_container_from_config(self, config: dict, name: str | None = None) -> dict:
        return self._json("POST", "/containers/create", {"name": name} if name else None, body=config)

    def start(self, container: str) -> None:
        self._json("POST", f"/containers/{quote(container, safe='')}/start")

    def remove_container(self, container: str, v: bool = False, link: bool = False, force: bool = False) -> None:
        params = {"v": str(v).lower(), "link": str(link).lower(), "force": str(force).lower()}
        self._json("DELETE", f"/containers/{quote(container, safe='')}", params)

    def close(self) -> None:
        if self._reader is not None:  # the socket stays open while its file object is
            self._reader.close()
        if self._sock is not None:
            self._sock.close()
        self._sock = self._reader = None

    # -- HTTP/1.1 over the socket ---------------------------------------------------------------------

    def _json(self, method: str, path: str, params: dict | None = None, body: dict | None = None,
              versioned: bool = True):
        if versioned:
            path = f"/v{self.version}{path}"
        if params:
            path += "?" + urlencode(params)
        status, _headers, data = self._request(method, path, None if body is None else json.dumps(body).encode())
        if status >= 400:
            raise ApiError(status, _explanation(data))
        return json.loads(data) if data.strip() else None

    def _request(self, method: str, target: str, body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
        head = f"{method} {target} HTTP/1.1\r\nHost: docker\r\nUser-Agent: dockerls\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        message = head.encode() + b"\r\n" + (body or b"")
        try:
            return self._exchange(method, message)
        except OSError as err:
            self.close()
            raise EngineError(f"no answer from the engine at {self.path}: {err}") from None

    def _exchange(self, method: str, message: bytes) -> tuple[int, dict[str, str], bytes]:
        if self._sock is not None:
            try:
                self._send(message)
                return self._response(method)
            except ConnectionError:  # the engine closed an idle keep-alive connection: a new one
                self.close()
        self._send(message)
        return self._response(method)

    def _send(self, message: bytes) -> None:
        if self._sock is None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(self.timeout)
            try:
                sock.connect(self.path)
            except OSError:
                sock.close()
                raise
            self._sock, self._reader = sock, sock.makefile("rb")
        assert self._sock is not None
        self._sock.sendall(message)

    def _response(self, method: str) -> tuple[int, dict[str, str], bytes]:
        reader = self._reader
        assert reader is not None
        status_line = reader.readline(65536)
        if not status_line:
            raise _Closed()
        parts = status_line.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
            raise ApiError(502, f"not an HTTP answer: {status_line[:80]!r}")
        status = int(parts[1])
        headers: dict[str, str] = {}
        for _ in range(_MAX_HEADER_LINES):
            line = reader.readline(65536)
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            data = b""
        elif "chunked" in headers.get("transfer-encoding", "").lower():
            data = self._chunked(reader)
        elif "content-length" in headers:
            data = reader.read(int(headers["content-length"]))
        else:  # the body ends with the connection
            data = reader.read()
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, data

    @staticmethod
    def _chunked(reader: BinaryIO) -> bytes:
        chunks: list[bytes] = []
        while True:
            size = int(reader.readline(65536).split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while reader.readline(65536) not in (b"\r\n", b"\n", b""):  # trailers
                    pass
                return b"".join(chunks)
            chunks.append(reader.read(size))
            reader.readline(65536)  # the CRLF after the chunk


class _Closed(ConnectionError):
    """The connection ended before an answer (an idle keep-alive connection the engine closed)."""


def _filter_values(value) -> list[str]:
    """docker-py's ``convert_filters`` for one value: a list of strings."""
    if isinstance(value, bool):
        value = "true" if value else "false"
    return [v if isinstance(v, str) else str(v) for v in (value if isinstance(value, list) else [value])]


def _explanation(data: bytes) -> str:
    """The engine's error text: ``{"message": ...}``, else the body as text."""
    try:
        return str(json.loads(data).get("message") or data.decode("utf-8", "replace").strip())
    except (ValueError, AttributeError):
        return data.decode("utf-8", "replace").strip()
