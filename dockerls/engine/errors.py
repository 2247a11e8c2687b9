"""What can go wrong while talking to the engine, each with a message meant for the user."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dockerls.engine.build_steps import FailedStep


class EngineError(Exception):
    """The engine refused or failed something (its message is the engine's own words)."""


class EngineUnavailable(EngineError):
    """No engine answers where we looked."""


class BuildFailed(EngineError):
    """A build failed; ``step`` says at which Dockerfile line when that is known."""

    def __init__(self, message: str, log: list[str] | None = None, step: FailedStep | None = None):
        super().__init__(message)
        self.log = log or []
        self.step = step


class Cancelled(EngineError):
    def __init__(self, message: str = "cancelled"):
        super().__init__(message)


class ApiError(EngineError):
    """The engine answered a call of :class:`~dockerls.engine.socket_api.SocketAPI` with an HTTP
    error; ``status_code`` and ``explanation`` as on docker-py's ``APIError``."""

    def __init__(self, status_code: int, explanation: str):
        super().__init__(f"{status_code}: {explanation}")
        self.status_code = status_code
        self.explanation = explanation


def api_errors() -> tuple[type[BaseException], ...]:
    """The HTTP errors an ``api`` object raises: ours, and docker-py's when docker-py is loaded
    (when it is not, none of its errors can be raised: checking costs no import)."""
    import sys

    docker_errors = sys.modules.get("docker.errors")
    return (ApiError, docker_errors.APIError) if docker_errors is not None else (ApiError,)


def explanation_of(err: BaseException) -> str:
    """The engine's words for an error from :func:`api_errors`."""
    return getattr(err, "explanation", None) or str(err)


def status_of(err: BaseException) -> int | None:
    """The HTTP status of an error from :func:`api_errors` (None when there was no response)."""
    return getattr(err, "status_code", None)


def docker_error(err: BaseException) -> bool:
    """A docker-py error (``DockerException``), without importing docker-py to ask."""
    import sys

    docker_errors = sys.modules.get("docker.errors")
    return docker_errors is not None and isinstance(err, docker_errors.DockerException)
