"""engine/container_config.py writes the create body docker-py wrote for the same container.

The reference is what ``containers.create`` sent before, through docker-py's
``create_host_config``/``create_container`` (kept here, as it was); keys docker-py sends with their
empty value (None, False) are left out on both sides, as the engine reads them so."""

from __future__ import annotations

import pytest

from dockerls.develop.plan.model import ContainerSpec, Mount, PortBinding
from dockerls.engine.container_config import container_config

docker = pytest.importorskip("docker")


def docker_py_body(spec: ContainerSpec) -> dict:
    """The body docker-py builds from the arguments dockerls used to pass it (containers.create, before)."""
    from docker.api.container import ContainerConfig
    from docker.types import Mount as DockerMount

    api = docker.APIClient(version="1.41")  # no connection: only its body builders are used
    port_bindings: dict[str, list] = {}
    for p in spec.ports:
        binding = (p.host_ip, p.host_port) if p.host_ip and p.host_port else (p.host_ip,) if p.host_ip else p.host_port
        port_bindings.setdefault(p.key, []).append(binding)
    host_config = api.create_host_config(
        mounts=[DockerMount(m.target, m.source or None, type=m.type, read_only=m.read_only) for m in spec.mounts],
        port_bindings={k: v if len(v) > 1 else v[0] for k, v in port_bindings.items()} or None,
        privileged=spec.privileged, init=spec.init or None, cap_add=spec.cap_add or None,
        security_opt=spec.security_opt or None, extra_hosts=spec.extra_hosts or None, network_mode=spec.network or None)
    networking = None
    if spec.network and spec.network not in ("host", "none", "bridge", "default"):
        networking = api.create_networking_config(
            {spec.network: api.create_endpoint_config()})
    return dict(ContainerConfig(
        "1.41", spec.image, spec.command, entrypoint=spec.entrypoint, user=spec.user,
        environment=spec.environment or None, working_dir=spec.workdir, labels=spec.labels,
        ports=[(p.container_port, p.protocol) for p in spec.ports] or None, hostname=spec.hostname,
        tty=spec.tty, stdin_open=spec.stdin_open, detach=True,
        host_config=host_config, networking_config=networking))


def without_empty(value):
    if isinstance(value, dict):
        return {k: without_empty(v) for k, v in value.items() if v is not None and v is not False}
    if isinstance(value, list):
        return [without_empty(v) for v in value]
    return value


SPECS = {
    "plain": ContainerSpec(name="plain", image="busybox:1", labels={"a": "b"}),
    "everything": ContainerSpec(
        name="everything", image="sha256:0123", labels={"dockerls.managed": "true"},
        mounts=[Mount("bind", "/src", "/workspaces/src"), Mount("volume", "cache", "/cache", read_only=True),
                Mount("tmpfs", "", "/scratch")],
        workdir="/workspaces/src", environment={"A": "1", "B": "x=y"},
        ports=[PortBinding(8080), PortBinding(53, "udp", 5353), PortBinding(9000, host_port=9000, host_ip="127.0.0.1"),
               PortBinding(9001, host_ip="127.0.0.1"), PortBinding(8080, host_port=18080)],
        user="dev", entrypoint=["/bin/sh", "-c"], command=["sleep infinity"], privileged=True, init=True,
        cap_add=["SYS_PTRACE"], security_opt=["seccomp=unconfined"], network="proj_default",
        hostname="box", extra_hosts={"db": "10.0.0.2", "api": "10.0.0.3"}, tty=True, stdin_open=True),
    "host network": ContainerSpec(name="host", image="busybox:1", network="host"),
    "a network of its own": ContainerSpec(name="n", image="busybox:1", network="proj_net"),
}


@pytest.mark.parametrize("name", SPECS)
def test_the_body_is_the_one_docker_py_wrote(name):
    spec = SPECS[name]
    assert without_empty(container_config(spec)) == without_empty(docker_py_body(spec))
