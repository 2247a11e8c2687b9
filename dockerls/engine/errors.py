"""What can go wrong while talking to the engine, each with a message meant for the user."""

from __future__ import annotations


class EngineError(Exception):
    """The engine refused or failed something (its message is the engine's own words)."""


class EngineUnavailable(EngineError):
    """No engine answers where we looked."""


class BuildFailed(EngineError):
    def __init__(self, message: str, log: list[str] | None = None):
        super().__init__(message)
        self.log = log or []


class Cancelled(EngineError):
    def __init__(self, message: str = "cancelled"):
        super().__init__(message)
