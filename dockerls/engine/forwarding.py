"""forwardPorts when the host port is taken: the dev container is created with the port forwarded
to a free one instead (as an editor forwards it to another local port), unless its
``portsAttributes`` say ``requireLocalPort``: then develop fails with a message that says so."""

from __future__ import annotations

from dockerls.develop.plan.model import ContainerSpec, DevelopPlan
from dockerls.develop.plan.ports import attributes_of, busy_port
from dockerls.engine.containers import ContainerOutcome, ensure_container, remove
from dockerls.engine.errors import EngineError


def ensure_forwarding_container(api, plan: DevelopPlan, spec: ContainerSpec, image_id: str, on_created, attrs,
                                image_reason: str, progress) -> ContainerOutcome:
    """:func:`~dockerls.engine.containers.ensure_container`, moving forwardPorts whose host port
    is taken (the main container only; the others as they are)."""
    if spec.name != plan.main or not plan.forward_container_ports:
        return ensure_container(api, spec, image_id, on_created, attrs, image_reason)
    try:
        return ensure_container(api, spec, image_id, on_created, attrs, image_reason)
    except EngineError as err:
        movable = [b for b in spec.ports if b.container_port in plan.forward_container_ports and b.host_port
                   and b.host_ip == "127.0.0.1"]
        port = busy_port(str(err), [b.host_port for b in movable if b.host_port])
        if port is None:
            raise
        binding = next(b for b in movable if b.host_port == port)
        attributes = attributes_of(binding.container_port, plan.ports_attributes, plan.other_ports_attributes)
        if attributes.get("requireLocalPort") is True:
            raise EngineError(f"forwardPorts {binding.container_port}: 127.0.0.1:{port} is in use on this machine, and "
                              "portsAttributes require that local port (requireLocalPort): free it and develop "
                              "again") from None
        progress.on_log(f"forwardPorts {binding.container_port}: 127.0.0.1:{port} is in use: forwarded to a free "
                        "port instead")
        remove(api, spec.name)  # the container that could not start (created, or an old one stopped)
        binding.host_port = None  # docker picks a free one: said once the container runs
        return ensure_forwarding_container(api, plan, spec, image_id, on_created, None, image_reason, progress)
