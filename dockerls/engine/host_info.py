"""What the engine's machine has, for ``hostRequirements`` (``GET /info``): CPUs, memory, a GPU
runtime.  Free storage is not in ``/info``: it stays unknown (not checked)."""

from __future__ import annotations

from dockerls.develop.plan.host_requirements import HostResources


def host_resources(client) -> HostResources:
    """The engine's resources; every field None when the engine does not say (never raises)."""
    try:
        info = client.api.info()
    except Exception:  # a warning's input: an engine that cannot say is not a reason to fail develop
        return HostResources()
    cpus, memory = info.get("NCPU"), info.get("MemTotal")
    runtimes = info.get("Runtimes")
    return HostResources(
        cpus=cpus if isinstance(cpus, int) and cpus > 0 else None,
        memory=memory if isinstance(memory, int) and memory > 0 else None,
        gpu=("nvidia" in runtimes) if isinstance(runtimes, dict) else None,
    )
