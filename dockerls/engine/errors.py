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
