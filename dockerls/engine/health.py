"""Waiting for ``depends_on`` conditions before a compose service starts."""

from __future__ import annotations

import threading
import time

from docker.errors import DockerException

from dockerls.develop.plan.model import ContainerSpec
from dockerls.engine.errors import EngineError
from dockerls.engine.streams import check_cancel

POLL_SECONDS = 0.2


def _deadline(spec: ContainerSpec) -> float:
    """How long a dependency may take: what its healthcheck allows, at least a minute."""
    h = spec.healthcheck
    allowed = 60.0
    if h is not None:
        interval = (h.interval_ns or 30_000_000_000) / 1e9
        timeout = (h.timeout_ns or 30_000_000_000) / 1e9
        allowed = max(allowed, h.start_period_ns / 1e9 + (interval + timeout) * ((h.retries or 3) + 1))
    return time.monotonic() + allowed


def wait_for(api, dependency: ContainerSpec, container_id: str, condition: str, progress,
             cancel: threading.Event | None = None) -> None:
    if condition == "service_started":
        return
    name = dependency.service or dependency.name
    progress.on_step(f"Waiting for {name} to be "
                     f"{'healthy' if condition == 'service_healthy' else 'completed'}", None)
    deadline = _deadline(dependency)
    while True:
        check_cancel(cancel)
        try:
            state = api.inspect_container(container_id)["State"]
        except DockerException as err:
            raise EngineError(f"cannot inspect {name}: {err}") from None
        if condition == "service_healthy":
            health = (state.get("Health") or {}).get("Status")
            if health is None:
                raise EngineError(f"{name} has no healthcheck, so it can never be service_healthy")
            if health == "healthy":
                return
            if health == "unhealthy":
                raise EngineError(f"{name} is unhealthy")
            if not state.get("Running"):
                raise EngineError(f"{name} stopped (exit code {state.get('ExitCode')}) before it was healthy")
        elif condition == "service_completed_successfully":
            if not state.get("Running") and state.get("Status") == "exited":
                if state.get("ExitCode") == 0:
                    return
                raise EngineError(f"{name} exited with code {state.get('ExitCode')}")
        if time.monotonic() > deadline:
            raise EngineError(f"{name} did not become {condition.removeprefix('service_')} in time")
        time.sleep(POLL_SECONDS)
