"""Connecting to the engine the way the docker CLI does: ``DOCKER_HOST`` first, else the context
``DOCKER_CONTEXT`` names, else the ``currentContext`` of ``~/.docker/config.json`` (its endpoint
read from ``~/.docker/contexts/meta/*/meta.json``), else the default socket."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dockerls.engine.errors import EngineUnavailable

if TYPE_CHECKING:
    import docker

    from dockerls.engine.socket_api import SocketAPI

DEFAULT_HOST = "unix:///var/run/docker.sock"
TIMEOUT = 120  # seconds for one API call; builds and logs stream, so this bounds silence, not length


@dataclass(slots=True)
class Endpoint:
    host: str
    context: str | None = None  # the context it came from, for messages
    tls_folder: str | None = None


def docker_config_dir() -> str:
    return os.environ.get("DOCKER_CONFIG") or os.path.join(os.path.expanduser("~"), ".docker")


def current_context(config_dir: str | None = None) -> str | None:
    name = os.environ.get("DOCKER_CONTEXT")
    if name:
        return name
    try:
        with open(os.path.join(config_dir or docker_config_dir(), "config.json"), encoding="utf-8") as fh:
            name = json.load(fh).get("currentContext")
    except (OSError, ValueError, AttributeError):
        return None
    return name or None


def context_endpoint(name: str, config_dir: str | None = None) -> Endpoint | None:
    """The docker endpoint of a named context, from its meta.json."""
    meta_root = os.path.join(config_dir or docker_config_dir(), "contexts", "meta")
    try:
        folders = os.listdir(meta_root)
    except OSError:
        return None
    for folder in folders:
        try:
            with open(os.path.join(meta_root, folder, "meta.json"), encoding="utf-8") as fh:
                meta = json.load(fh)
        except (OSError, ValueError):
            continue
        if meta.get("Name") != name:
            continue
        host = ((meta.get("Endpoints") or {}).get("docker") or {}).get("Host")
        if not host:
            return None
        tls = os.path.join(config_dir or docker_config_dir(), "contexts", "tls", folder, "docker")
        return Endpoint(host, name, tls if os.path.isdir(tls) else None)
    return None


def find_endpoint() -> Endpoint:
    host = os.environ.get("DOCKER_HOST")
    if host:
        return Endpoint(host)
    name = current_context()
    if name and name != "default":
        endpoint = context_endpoint(name)
        if endpoint is None:
            raise EngineUnavailable(f"the docker context {name!r} (current context) has no endpoint "
                                    f"in {os.path.join(docker_config_dir(), 'contexts')}")
        return endpoint
    return Endpoint(DEFAULT_HOST)


def connect(timeout: int = TIMEOUT) -> docker.DockerClient:
    """A client that has answered once; :class:`EngineUnavailable` with a clear message if none does."""
    return _docker_client(find_endpoint(), timeout, "auto")


def _docker_client(endpoint: Endpoint, timeout: int, version: str) -> docker.DockerClient:
    import docker
    from docker.errors import DockerException

    try:
        if os.environ.get("DOCKER_HOST"):
            # DOCKER_TLS_VERIFY, DOCKER_CERT_PATH too
            client = docker.from_env(version=version, timeout=timeout)
        else:
            client = docker.DockerClient(base_url=endpoint.host, version=version, timeout=timeout,
                                         tls=_tls(endpoint))
    except DockerException as err:
        raise EngineUnavailable(unavailable_message(endpoint, err)) from None
    return client


class EngineClient:
    """The client ``develop`` uses: ``quick`` (a :class:`~dockerls.engine.socket_api.SocketAPI`)
    makes the calls of a container start over the engine's unix socket without docker-py, and
    ``api`` is docker-py's ``APIClient`` for everything else, made (and docker-py imported: ~65 ms)
    on first use.  ``quick`` is None when the engine is not on a unix socket (TCP, TLS, ssh):
    then docker-py does everything.  Code that takes a client works with a ``docker.DockerClient``
    as well (it has no ``quick``): see :func:`quick_api`."""

    def __init__(self, endpoint: Endpoint, timeout: int = TIMEOUT):
        self.endpoint = endpoint
        self.timeout = timeout
        self.quick: SocketAPI | None = None
        self._docker: docker.DockerClient | None = None
        if endpoint.host.startswith("unix://"):
            from dockerls.engine.errors import EngineError
            from dockerls.engine.socket_api import SocketAPI

            try:
                self.quick = SocketAPI(endpoint.host.removeprefix("unix://"), timeout=timeout)
            except EngineError as err:
                raise EngineUnavailable(unavailable_message(endpoint, err)) from None
        else:
            self._docker = _docker_client(endpoint, timeout, "auto")

    @property
    def docker_client(self) -> docker.DockerClient:
        if self._docker is None:  # the API version the ping found: no second question to the engine
            version = self.quick.version if self.quick is not None else "auto"
            self._docker = _docker_client(self.endpoint, self.timeout, version)
        return self._docker

    @property
    def api(self):
        return self.docker_client.api

    def close(self) -> None:
        if self.quick is not None:
            self.quick.close()
        if self._docker is not None:
            self._docker.close()


def connect_quick(timeout: int = TIMEOUT) -> EngineClient:
    """As :func:`connect`, for ``develop``: an :class:`EngineClient` that has answered a ping."""
    return EngineClient(find_endpoint(), timeout)


def quick_api(client):
    """The API object for the calls :class:`~dockerls.engine.socket_api.SocketAPI` makes: the
    client's ``quick`` one when it has one, else docker-py's."""
    return getattr(client, "quick", None) or client.api


def unavailable_message(endpoint: Endpoint, err: Exception) -> str:
    """Why connecting failed, in words; the engine library's text only as detail."""
    where = f"{endpoint.host}" + (f" (docker context {endpoint.context!r})" if endpoint.context else "")
    text = str(err)
    if "PermissionError" in text or "Permission denied" in text or "[Errno 13]" in text:
        return (f"permission denied on the socket {where}: add yourself to the docker group "
                "(`sudo usermod -aG docker $USER`, then log in again) or use rootless Docker")
    return (f"no Docker engine answers at {where}: {_reason(err)}. Start Docker, or point DOCKER_HOST "
            "(or `docker context use`) at a running engine.")


def _tls(endpoint: Endpoint):
    folder = endpoint.tls_folder
    if not folder:
        return False
    from docker.tls import TLSConfig

    def part(name: str) -> str | None:
        path = os.path.join(folder, name)
        return path if os.path.isfile(path) else None

    cert, key = part("cert.pem"), part("key.pem")
    return TLSConfig(client_cert=(cert, key) if cert and key else None, ca_cert=part("ca.pem"),
                     verify=part("ca.pem") is not None)


def _reason(err: Exception) -> str:
    text = str(err)
    for marker in ("FileNotFoundError", "ConnectionRefusedError", "Connection refused", "No such file"):
        if marker in text:
            return "nothing is listening there" if "refused" in marker.lower() or "Refused" in marker \
                else "the socket does not exist"
    return text
