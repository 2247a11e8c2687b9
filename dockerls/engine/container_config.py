"""The body of ``POST /containers/create`` for a :class:`~dockerls.develop.plan.model.ContainerSpec`.

Written out here rather than through docker-py's ``create_host_config``/``create_container`` so
that a start can create a container without importing docker-py (see :mod:`.socket_api`); both
clients send it with ``create_container_from_config``.  The fields and their forms are the ones
docker-py produced for the same arguments (``tests/engine/test_container_config.py`` compares them).
"""

from __future__ import annotations

from dockerls.develop.plan.model import ContainerSpec

# Networks every engine has: a container joins them through NetworkMode alone.
BUILTIN_NETWORKS = ("host", "none", "bridge", "default")


def container_config(spec: ContainerSpec) -> dict:
    """The create body (the container's name goes in the query, not here)."""
    config: dict = {
        "Image": spec.image,
        "Tty": spec.tty,
        "OpenStdin": spec.stdin_open,
        "Labels": spec.labels,
        "HostConfig": host_config(spec),
    }
    optional: dict[str, object] = {
        "Cmd": spec.command, "Entrypoint": spec.entrypoint, "User": spec.user, "WorkingDir": spec.workdir,
        "Hostname": spec.hostname,
        "Env": [f"{k}={v}" for k, v in spec.environment.items()] or None,
        "ExposedPorts": {p.key: {} for p in spec.ports} or None,
    }
    config.update({k: v for k, v in optional.items() if v is not None})
    if spec.network and spec.network not in BUILTIN_NETWORKS:
        config["NetworkingConfig"] = {"EndpointsConfig": {spec.network: {}}}
    return config


def host_config(spec: ContainerSpec) -> dict:
    bindings: dict[str, list[dict[str, str]]] = {}
    for p in spec.ports:
        bindings.setdefault(p.key, []).append(
            {"HostIp": p.host_ip or "", "HostPort": "" if p.host_port is None else str(p.host_port)})
    config: dict = {
        "NetworkMode": spec.network or "default",
        "Mounts": [{"Target": m.target, "Source": m.source or None, "Type": m.type, "ReadOnly": m.read_only}
                   for m in spec.mounts],
    }
    optional: dict[str, object] = {
        "PortBindings": bindings, "Privileged": spec.privileged, "Init": spec.init, "CapAdd": spec.cap_add,
        "SecurityOpt": spec.security_opt,
        "ExtraHosts": [f"{k}:{v}" for k, v in sorted(spec.extra_hosts.items())],
    }
    config.update({k: v for k, v in optional.items() if v})
    return config
