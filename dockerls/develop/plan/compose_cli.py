"""Compose through Compose (pure part): what ``docker compose`` / ``docker-compose`` is asked to do
for a devcontainer.json with ``dockerComposeFile``.

Every file of ``dockerComposeFile`` (a string or a list, relative to devcontainer.json) is passed
with ``-f``, in order, then an override file generated here, as the Dev Containers CLI writes its
own: the dev container's service gets the keep-alive entrypoint (``overrideCommand``), the labels
that find it again, and the devcontainer.json keys that shape a container (``mounts``,
``containerEnv``, ``containerUser``, ``forwardPorts``/``appPort``, ``init``, ``privileged``,
``capAdd``, ``securityOpt``).  The override is written as JSON (which is YAML) with every ``$``
doubled, so Compose's interpolation leaves the values as they are.

Not used by develop yet: the application still starts compose projects through docker-py
(:mod:`dockerls.develop.plan.compose`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from dockerls.develop.plan.model import ContainerSpec, Mount, PortBinding


@dataclass(slots=True)
class ComposeUp:
    project: str
    files: list[str]  # absolute, in order; the override file comes after them
    services: list[str]  # what ``up`` starts (runServices + the dev container's service; [] = all)
    override: dict = field(default_factory=dict)

    def override_text(self) -> str:
        return json.dumps(_escape(self.override), indent=2) + "\n"

    def command(self, override_path: str, *, progress_json: bool = True) -> list[str]:
        """The arguments after the compose program (``docker compose`` or ``docker-compose``)."""
        args = ["--progress", "json"] if progress_json else []
        args += ["-p", self.project]
        for path in [*self.files, override_path]:
            args += ["-f", path]
        return [*args, "up", "-d", *self.services]


def compose_files(written, config_folder: str) -> list[str]:
    """``dockerComposeFile`` (a string or a list) as absolute paths; ValueError when it is neither."""
    import os

    files = [written] if isinstance(written, str) else written
    if not isinstance(files, list) or not files or not all(isinstance(f, str) and f for f in files):
        raise ValueError("dockerComposeFile must be a string or an array of strings")
    return [os.path.normpath(os.path.join(config_folder, f)) for f in files]


def override_document(service: str, spec: ContainerSpec, *, override_command: bool, keep_alive: list[str]) -> dict:
    """The whole override file: the service's override, and the named volumes of devcontainer.json's
    ``mounts`` declared under their own names (Compose would otherwise refuse them as undefined,
    or prefix them with the project's name)."""
    out: dict = {"services": {service: service_override(spec, override_command=override_command,
                                                          keep_alive=keep_alive)}}
    named = sorted({m.source for m in spec.mounts if m.type == "volume" and m.source})
    if named:
        out["volumes"] = {name: {"name": name} for name in named}
    return out


def service_override(spec: ContainerSpec, *, override_command: bool, keep_alive: list[str]) -> dict:
    """The override of the dev container's service: only what devcontainer.json says."""
    out: dict = {}
    if override_command:
        out["entrypoint"] = list(keep_alive)
        out["command"] = []
    if spec.labels:
        out["labels"] = dict(spec.labels)
    if spec.mounts:
        out["volumes"] = [_volume(m) for m in spec.mounts]
    if spec.environment:
        out["environment"] = dict(spec.environment)
    if spec.user:
        out["user"] = spec.user
    if spec.ports:
        out["ports"] = [_port(p) for p in spec.ports]
    if spec.init:
        out["init"] = True
    if spec.privileged:
        out["privileged"] = True
    if spec.cap_add:
        out["cap_add"] = list(spec.cap_add)
    if spec.security_opt:
        out["security_opt"] = list(spec.security_opt)
    return out


def _volume(mount: Mount) -> dict:
    out: dict = {"type": mount.type, "target": mount.target}
    if mount.source:
        out["source"] = mount.source
    if mount.read_only:
        out["read_only"] = True
    return out


def _port(port: PortBinding) -> dict:
    out: dict = {"target": port.container_port, "protocol": port.protocol}
    if port.host_port:
        out["published"] = str(port.host_port)
    if port.host_ip:
        out["host_ip"] = port.host_ip
    return out


def _escape(value):
    if isinstance(value, str):
        return value.replace("$", "$$")
    if isinstance(value, list):
        return [_escape(v) for v in value]
    if isinstance(value, dict):
        return {k: _escape(v) for k, v in value.items()}
    return value
